//! What identity needs from the outside world. Methods that change several things at once
//! (a reset that also ends sessions, a deletion that also ends sessions) are one call, and
//! the adapter makes them atomic.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_kernel::Unexpected;
use krika_kernel::ids::{SessionId, UserId};
use uuid::Uuid;

use krika_kernel::{DomainEvent, Page, PageRequest, RepoError};

use crate::model::{
    Email, KycDecision, KycDocuments, KycFile, KycIdentity, KycStatus, NewUser, Password,
    PasswordHash, Role, User, UserStatus, Username,
};

#[derive(Debug, thiserror::Error)]
pub enum UserWriteError {
    #[error("email already registered")]
    EmailTaken,
    #[error("username already taken")]
    UsernameTaken,
    #[error("user not found")]
    NotFound,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// Changes to a profile; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileChanges {
    pub name: Option<String>,
    pub username: Option<String>,
    pub bio: Option<Option<String>>,
    pub phone: Option<Option<String>>,
}

impl ProfileChanges {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[async_trait]
pub trait UserRepository: Send + Sync + 'static {
    /// Stores a new user. Errors: `EmailTaken`, `UsernameTaken`.
    async fn create(&self, user: NewUser) -> Result<User, UserWriteError>;

    /// A live (not deleted) user.
    async fn find(&self, id: UserId) -> Result<Option<User>, Unexpected>;

    async fn find_credentials_by_email(
        &self,
        email: &Email,
    ) -> Result<Option<(User, PasswordHash)>, Unexpected>;

    async fn find_credentials_by_username(
        &self,
        username: &str,
    ) -> Result<Option<(User, PasswordHash)>, Unexpected>;

    async fn find_credentials(
        &self,
        id: UserId,
    ) -> Result<Option<(User, PasswordHash)>, Unexpected>;

    /// The user behind an access token and whether its session is still open, in one read.
    async fn find_with_session(
        &self,
        id: UserId,
        session: SessionId,
    ) -> Result<Option<(User, bool)>, Unexpected>;

    async fn username_taken(&self, username: &Username) -> Result<bool, Unexpected>;

    /// Errors: `UsernameTaken`, `NotFound`.
    async fn update_profile(
        &self,
        id: UserId,
        changes: ProfileChanges,
        now: DateTime<Utc>,
    ) -> Result<User, UserWriteError>;

    /// Sets (or clears) the avatar; returns the key it replaced.
    async fn set_avatar(
        &self,
        id: UserId,
        key: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, UserWriteError>;

    async fn set_status(
        &self,
        id: UserId,
        status: UserStatus,
        now: DateTime<Utc>,
    ) -> Result<User, UserWriteError>;

    /// Suspends the user, ends all their sessions and records `events`, atomically.
    /// Errors: `NotFound`.
    async fn suspend(
        &self,
        id: UserId,
        reason: &str,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<User, UserWriteError>;

    /// Live users matching the filter, newest first.
    async fn list_users(
        &self,
        filter: &UserFilter,
        page: PageRequest,
    ) -> Result<Page<User>, Unexpected>;

    /// Soft-deletes the user and ends all their sessions, atomically.
    /// Deletes the account (softly), ends all its sessions and records `events`, atomically.
    async fn soft_delete(
        &self,
        id: UserId,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<(), UserWriteError>;

    /// Creates the admin with this email, or resets its password, name and role if it
    /// exists (used by the command line, never by the public API).
    async fn upsert_admin(&self, user: NewUser, now: DateTime<Utc>)
    -> Result<User, UserWriteError>;
}

/// What admins filter the user list on.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub status: Option<UserStatus>,
    /// Matched against email, username and name, accents and case folded.
    pub search: Option<String>,
}

/// A KYC file with the user it belongs to (the admin queue).
#[derive(Debug, Clone)]
pub struct KycReviewItem {
    pub file: KycFile,
    pub user: User,
}

/// The KYC files. Every write names the statuses it may start from and happens only if the
/// user is still in one of them (checked and written in one statement), so two concurrent
/// submissions or reviews cannot both win. A write that did not happen returns the current
/// status instead.
/// A KYC step refused because the file is not in a status it starts from; carries the
/// status it is in.
pub type KycMoveError = RepoError<KycStatus>;

#[async_trait]
pub trait KycRepository: Send + Sync + 'static {
    /// The user's file (a `not_started` one when there is none).
    async fn kyc_file(&self, user_id: UserId) -> Result<KycFile, Unexpected>;

    /// Records step 1 and moves to `step1_completed`; clears documents and any rejection.
    async fn save_kyc_identity(
        &self,
        user_id: UserId,
        identity: &KycIdentity,
        from: &[KycStatus],
        now: DateTime<Utc>,
    ) -> Result<KycFile, KycMoveError>;

    /// Records step 2 and moves to `pending_review`.
    async fn submit_kyc_documents(
        &self,
        user_id: UserId,
        documents: &KycDocuments,
        from: &[KycStatus],
        now: DateTime<Utc>,
    ) -> Result<KycFile, KycMoveError>;

    /// Applies an admin's decision to a `pending_review` file; approval also makes the user
    /// a seller (an admin stays admin), in the same transaction.
    async fn review_kyc(
        &self,
        user_id: UserId,
        decision: &KycDecision,
        reviewer: UserId,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<KycFile, KycMoveError>;

    /// Files in `status`, oldest submission first.
    async fn kyc_queue(
        &self,
        status: KycStatus,
        page: PageRequest,
    ) -> Result<Page<KycReviewItem>, Unexpected>;
}

/// A refresh token about to be stored (only its digest).
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    pub digest: Vec<u8>,
    pub expires_at: DateTime<Utc>,
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was current: it is now spent and the new one is stored.
    Rotated {
        user_id: UserId,
        session_id: SessionId,
    },
    /// No such token.
    Unknown,
    /// The token was current but past its expiry.
    Expired,
    /// The session was already ended.
    Revoked,
    /// The token had already been rotated: someone replayed it, so the whole session
    /// (token family) has just been revoked.
    Reused { session_id: SessionId },
}

#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// Opens a session with its first refresh token.
    async fn start(
        &self,
        user_id: UserId,
        session_id: SessionId,
        token: NewRefreshToken,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected>;

    /// Spends the presented token and stores `next` in its family, atomically; two
    /// concurrent rotations of one token cannot both succeed.
    async fn rotate(
        &self,
        presented: &[u8],
        next: NewRefreshToken,
        now: DateTime<Utc>,
    ) -> Result<Rotation, Unexpected>;

    /// The session (of `user_id`) that a refresh token belongs to.
    async fn session_of(
        &self,
        user_id: UserId,
        token: &[u8],
    ) -> Result<Option<SessionId>, Unexpected>;

    /// Ends `sessions` (those already ended stay as they were) and records `events`,
    /// atomically.
    async fn revoke(
        &self,
        sessions: &[SessionId],
        reason: &str,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected>;

    async fn revoke_all(
        &self,
        user_id: UserId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected>;
}

#[async_trait]
pub trait ResetTokenStore: Send + Sync + 'static {
    async fn create_reset(
        &self,
        user_id: UserId,
        digest: Vec<u8>,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected>;

    /// Spends a live reset token: sets the new password hash, ends every session of its
    /// user and records `events_for(user)`, atomically. `None` when the token is unknown,
    /// spent or expired.
    async fn consume_reset(
        &self,
        digest: &[u8],
        new_hash: PasswordHash,
        events_for: &(dyn Fn(UserId) -> Vec<DomainEvent> + Send + Sync),
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, Unexpected>;
}

#[async_trait]
pub trait PasswordHasher: Send + Sync + 'static {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, Unexpected>;

    /// Whether `password` matches; any input, even over 72 bytes, gets an answer.
    async fn verify(&self, password: &str, hash: &PasswordHash) -> Result<bool, Unexpected>;

    /// A hash of nothing anyone knows, with the same cost as real ones: verifying against
    /// it makes an unknown user take as long as a wrong password.
    fn dummy_hash(&self) -> &PasswordHash;
}

/// What a signed access token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    pub user_id: UserId,
    pub session_id: SessionId,
    pub token_id: Uuid,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The role when the token was issued; informative only, the database decides.
    pub role: Role,
}

/// Signs and checks access tokens. `decode` checks the signature and the algorithm but not
/// the expiry: the domain decides that with its clock.
pub trait AccessTokenCodec: Send + Sync + 'static {
    fn encode(&self, claims: &AccessClaims) -> Result<String, Unexpected>;
    fn decode(&self, token: &str) -> Option<AccessClaims>;
}

/// Access tokens that must stop working before they expire (logout).
#[async_trait]
pub trait TokenDenylist: Send + Sync + 'static {
    async fn deny(
        &self,
        token_id: Uuid,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected>;
    async fn is_denied(&self, token_id: Uuid) -> Result<bool, Unexpected>;
}
