use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_identity::ports::{
    NewRefreshToken, PasswordHasher, ProfileChanges, ResetTokenStore, Rotation, SessionStore,
    UserFilter, UserRepository, UserWriteError,
};
use krika_identity::{
    Email, KycStatus, NewUser, Password, PasswordHash, User, UserStatus, Username,
};
use krika_kernel::ids::{SessionId, UserId};
use krika_kernel::{Page, PageRequest, Unexpected};

use crate::lock;

mod kyc;

struct UserRow {
    user: User,
    hash: PasswordHash,
    deleted: bool,
}

struct SessionRow {
    user_id: UserId,
    revoked: bool,
}

struct TokenRow {
    session_id: SessionId,
    expires_at: DateTime<Utc>,
    used: bool,
}

struct ResetRow {
    user_id: UserId,
    expires_at: DateTime<Utc>,
    used: bool,
}

#[derive(Default)]
struct State {
    users: HashMap<UserId, UserRow>,
    sessions: HashMap<SessionId, SessionRow>,
    tokens: HashMap<Vec<u8>, TokenRow>,
    resets: HashMap<Vec<u8>, ResetRow>,
    kyc: HashMap<UserId, krika_identity::KycFile>,
    /// Events written with KYC decisions, as the outbox would hold them.
    events: Vec<krika_kernel::DomainEvent>,
}

impl State {
    fn live(&self) -> impl Iterator<Item = &UserRow> {
        self.users.values().filter(|row| !row.deleted)
    }

    fn live_mut(&mut self, id: UserId) -> Result<&mut UserRow, UserWriteError> {
        self.users
            .get_mut(&id)
            .filter(|row| !row.deleted)
            .ok_or(UserWriteError::NotFound)
    }

    fn revoke_all(&mut self, user_id: UserId) {
        for session in self.sessions.values_mut().filter(|s| s.user_id == user_id) {
            session.revoked = true;
        }
    }
}

/// Users, sessions and reset tokens behind one lock, so multi-step methods are atomic.
#[derive(Default)]
pub struct MemoryIdentityStore {
    state: Mutex<State>,
}

impl MemoryIdentityStore {
    /// Every user not deleted, for the platform's figures.
    pub(crate) fn live_users(&self) -> Vec<User> {
        lock(&self.state)
            .live()
            .map(|row| row.user.clone())
            .collect()
    }

    /// The events written so far (KYC decisions).
    pub fn events(&self) -> Vec<krika_kernel::DomainEvent> {
        lock(&self.state).events.clone()
    }
}

fn credentials(row: &UserRow) -> (User, PasswordHash) {
    (row.user.clone(), row.hash.clone())
}

#[async_trait]
impl UserRepository for MemoryIdentityStore {
    async fn create(&self, new: NewUser) -> Result<User, UserWriteError> {
        let mut state = lock(&self.state);
        if state.live().any(|row| row.user.email == new.email.as_str()) {
            return Err(UserWriteError::EmailTaken);
        }
        if state
            .live()
            .any(|row| row.user.username == new.username.as_str())
        {
            return Err(UserWriteError::UsernameTaken);
        }
        let user = User {
            id: new.id,
            email: new.email.as_str().to_owned(),
            username: new.username.as_str().to_owned(),
            name: new.name.as_str().to_owned(),
            bio: None,
            phone: None,
            avatar_key: None,
            role: new.role,
            status: UserStatus::Active,
            kyc_status: KycStatus::NotStarted,
            created_at: new.created_at,
            updated_at: new.created_at,
        };
        let row = UserRow {
            user: user.clone(),
            hash: new.password_hash,
            deleted: false,
        };
        state.users.insert(user.id, row);
        Ok(user)
    }

    async fn find(&self, id: UserId) -> Result<Option<User>, Unexpected> {
        let state = lock(&self.state);
        Ok(state
            .users
            .get(&id)
            .filter(|row| !row.deleted)
            .map(|row| row.user.clone()))
    }

    async fn find_credentials_by_email(
        &self,
        email: &Email,
    ) -> Result<Option<(User, PasswordHash)>, Unexpected> {
        let state = lock(&self.state);
        Ok(state
            .live()
            .find(|row| row.user.email == email.as_str())
            .map(credentials))
    }

    async fn find_credentials_by_username(
        &self,
        username: &str,
    ) -> Result<Option<(User, PasswordHash)>, Unexpected> {
        let state = lock(&self.state);
        Ok(state
            .live()
            .find(|row| row.user.username == username)
            .map(credentials))
    }

    async fn find_credentials(
        &self,
        id: UserId,
    ) -> Result<Option<(User, PasswordHash)>, Unexpected> {
        let state = lock(&self.state);
        Ok(state
            .users
            .get(&id)
            .filter(|row| !row.deleted)
            .map(credentials))
    }

    async fn find_with_session(
        &self,
        id: UserId,
        session: SessionId,
    ) -> Result<Option<(User, bool)>, Unexpected> {
        let state = lock(&self.state);
        let open = state
            .sessions
            .get(&session)
            .is_some_and(|s| s.user_id == id && !s.revoked);
        Ok(state
            .users
            .get(&id)
            .filter(|row| !row.deleted)
            .map(|row| (row.user.clone(), open)))
    }

    async fn username_taken(&self, username: &Username) -> Result<bool, Unexpected> {
        let state = lock(&self.state);
        Ok(state
            .live()
            .any(|row| row.user.username == username.as_str()))
    }

    async fn update_profile(
        &self,
        id: UserId,
        changes: ProfileChanges,
        now: DateTime<Utc>,
    ) -> Result<User, UserWriteError> {
        let mut state = lock(&self.state);
        if let Some(username) = &changes.username
            && state
                .live()
                .any(|row| row.user.username == *username && row.user.id != id)
        {
            return Err(UserWriteError::UsernameTaken);
        }
        let row = state.live_mut(id)?;
        let user = &mut row.user;
        if let Some(name) = changes.name {
            user.name = name;
        }
        if let Some(username) = changes.username {
            user.username = username;
        }
        if let Some(bio) = changes.bio {
            user.bio = bio;
        }
        if let Some(phone) = changes.phone {
            user.phone = phone;
        }
        user.updated_at = now;
        Ok(user.clone())
    }

    async fn set_avatar(
        &self,
        id: UserId,
        key: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, UserWriteError> {
        let mut state = lock(&self.state);
        let row = state.live_mut(id)?;
        row.user.updated_at = now;
        Ok(std::mem::replace(&mut row.user.avatar_key, key))
    }

    async fn set_status(
        &self,
        id: UserId,
        status: UserStatus,
        now: DateTime<Utc>,
    ) -> Result<User, UserWriteError> {
        let mut state = lock(&self.state);
        let row = state.live_mut(id)?;
        row.user.status = status;
        row.user.updated_at = now;
        Ok(row.user.clone())
    }

    async fn suspend(
        &self,
        id: UserId,
        _reason: &str,
        events: &[krika_kernel::DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<User, UserWriteError> {
        let mut state = lock(&self.state);
        let row = state.live_mut(id)?;
        row.user.status = UserStatus::Suspended;
        row.user.updated_at = now;
        let user = row.user.clone();
        state.revoke_all(id);
        state.events.extend_from_slice(events);
        Ok(user)
    }

    async fn list_users(
        &self,
        filter: &UserFilter,
        page: PageRequest,
    ) -> Result<Page<User>, Unexpected> {
        let state = lock(&self.state);
        let search = filter.search.as_deref().map(str::to_lowercase);
        let mut found: Vec<User> = state
            .live()
            .map(|row| &row.user)
            .filter(|u| filter.role.is_none_or(|r| u.role == r))
            .filter(|u| filter.status.is_none_or(|s| u.status == s))
            .filter(|u| {
                search.as_deref().is_none_or(|s| {
                    [&u.email, &u.username, &u.name]
                        .iter()
                        .any(|text| text.to_lowercase().contains(s))
                })
            })
            .cloned()
            .collect();
        found.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(crate::paginate(found, page))
    }

    async fn soft_delete(
        &self,
        id: UserId,
        events: &[krika_kernel::DomainEvent],
        _now: DateTime<Utc>,
    ) -> Result<(), UserWriteError> {
        let mut state = lock(&self.state);
        state.live_mut(id)?.deleted = true;
        state.revoke_all(id);
        state.events.extend_from_slice(events);
        Ok(())
    }

    async fn upsert_admin(&self, new: NewUser, now: DateTime<Utc>) -> Result<User, UserWriteError> {
        let existing = {
            let mut state = lock(&self.state);
            let found = state
                .users
                .values_mut()
                .find(|row| !row.deleted && row.user.email == new.email.as_str());
            found.map(|row| {
                row.user.role = krika_identity::Role::Admin;
                row.user.status = UserStatus::Active;
                row.user.name = new.name.as_str().to_owned();
                row.user.updated_at = now;
                row.hash = new.password_hash.clone();
                row.user.clone()
            })
        };
        match existing {
            Some(user) => Ok(user),
            None => {
                self.create(NewUser {
                    role: krika_identity::Role::Admin,
                    ..new
                })
                .await
            }
        }
    }
}

#[async_trait]
impl SessionStore for MemoryIdentityStore {
    async fn start(
        &self,
        user_id: UserId,
        session_id: SessionId,
        token: NewRefreshToken,
        _now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let mut state = lock(&self.state);
        state.sessions.insert(
            session_id,
            SessionRow {
                user_id,
                revoked: false,
            },
        );
        let row = TokenRow {
            session_id,
            expires_at: token.expires_at,
            used: false,
        };
        state.tokens.insert(token.digest, row);
        Ok(())
    }

    async fn rotate(
        &self,
        presented: &[u8],
        next: NewRefreshToken,
        now: DateTime<Utc>,
    ) -> Result<Rotation, Unexpected> {
        let mut state = lock(&self.state);
        let Some(token) = state.tokens.get_mut(presented) else {
            return Ok(Rotation::Unknown);
        };
        let session_id = token.session_id;
        let (used, expired) = (token.used, token.expires_at <= now);
        token.used = true;
        let Some(session) = state.sessions.get_mut(&session_id) else {
            return Ok(Rotation::Unknown);
        };
        if session.revoked {
            return Ok(Rotation::Revoked);
        }
        if used {
            session.revoked = true;
            return Ok(Rotation::Reused { session_id });
        }
        if expired {
            return Ok(Rotation::Expired);
        }
        let user_id = session.user_id;
        let row = TokenRow {
            session_id,
            expires_at: next.expires_at,
            used: false,
        };
        state.tokens.insert(next.digest, row);
        Ok(Rotation::Rotated {
            user_id,
            session_id,
        })
    }

    async fn session_of(
        &self,
        user_id: UserId,
        token: &[u8],
    ) -> Result<Option<SessionId>, Unexpected> {
        let state = lock(&self.state);
        let session_id = state.tokens.get(token).map(|t| t.session_id);
        Ok(session_id.filter(|id| state.sessions.get(id).is_some_and(|s| s.user_id == user_id)))
    }

    async fn revoke(
        &self,
        sessions: &[SessionId],
        _reason: &str,
        events: &[krika_kernel::DomainEvent],
        _now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let mut state = lock(&self.state);
        for id in sessions {
            if let Some(session) = state.sessions.get_mut(id) {
                session.revoked = true;
            }
        }
        state.events.extend_from_slice(events);
        Ok(())
    }

    async fn revoke_all(
        &self,
        user_id: UserId,
        _reason: &str,
        _now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        lock(&self.state).revoke_all(user_id);
        Ok(())
    }
}

#[async_trait]
impl ResetTokenStore for MemoryIdentityStore {
    async fn create_reset(
        &self,
        user_id: UserId,
        digest: Vec<u8>,
        expires_at: DateTime<Utc>,
        _now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        lock(&self.state).resets.insert(
            digest,
            ResetRow {
                user_id,
                expires_at,
                used: false,
            },
        );
        Ok(())
    }

    async fn consume_reset(
        &self,
        digest: &[u8],
        new_hash: PasswordHash,
        events_for: &(dyn Fn(UserId) -> Vec<krika_kernel::DomainEvent> + Send + Sync),
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, Unexpected> {
        let mut state = lock(&self.state);
        let Some(reset) = state.resets.get_mut(digest) else {
            return Ok(None);
        };
        if reset.used || reset.expires_at <= now {
            return Ok(None);
        }
        reset.used = true;
        let user_id = reset.user_id;
        let Ok(row) = state.live_mut(user_id) else {
            return Ok(None);
        };
        row.hash = new_hash;
        state.revoke_all(user_id);
        state.events.extend(events_for(user_id));
        Ok(Some(user_id))
    }
}

/// A fast stand-in for bcrypt in domain tests: the "hash" is the password behind a prefix.
pub struct PlainHasher {
    dummy: PasswordHash,
}

impl Default for PlainHasher {
    fn default() -> Self {
        Self {
            dummy: PasswordHash("plain:\u{0}nobody".into()),
        }
    }
}

#[async_trait]
impl PasswordHasher for PlainHasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, Unexpected> {
        Ok(PasswordHash(format!("plain:{}", password.expose())))
    }

    async fn verify(&self, password: &str, hash: &PasswordHash) -> Result<bool, Unexpected> {
        Ok(hash.0.strip_prefix("plain:") == Some(password))
    }

    fn dummy_hash(&self) -> &PasswordHash {
        &self.dummy
    }
}
