//! Registration, login, refresh and logout.

use chrono::{DateTime, Utc};
use krika_kernel::ids::{SessionId, UserId};
use krika_kernel::{DomainEvent, ValidationErrors};
use uuid::Uuid;

use super::{Identity, Principal};
use crate::error::IdentityError;
use crate::model::{DisplayName, Email, NewUser, Password, Role, User, UserStatus, Username};
use crate::ports::{AccessClaims, NewRefreshToken, Rotation, UserWriteError};
use crate::secret;

/// What a new user sends.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub email: String,
    pub password: String,
    pub name: String,
    pub username: Option<String>,
}

/// How a user names themselves at login.
#[derive(Debug, Clone)]
pub enum LoginIdentifier {
    Email(String),
    Username(String),
}

/// What register, login and refresh hand back.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: DateTime<Utc>,
    pub expires_in: i64,
    pub user: Option<User>,
}

impl From<UserWriteError> for IdentityError {
    fn from(error: UserWriteError) -> Self {
        match error {
            UserWriteError::EmailTaken => Self::EmailTaken,
            UserWriteError::UsernameTaken => Self::UsernameTaken,
            UserWriteError::NotFound => Self::NotFound,
            UserWriteError::Unexpected(cause) => Self::Unexpected(cause),
        }
    }
}

impl Identity {
    /// Creates a client account and signs it in.
    pub async fn register(&self, input: Registration) -> Result<TokenPair, IdentityError> {
        let mut errors = ValidationErrors::new();
        let email = errors.check(Email::parse("email", &input.email));
        let password = errors.check(Password::parse("password", &input.password));
        let name = errors.check(DisplayName::parse("name", &input.name));
        let username = match &input.username {
            Some(raw) => errors.check(Username::parse("username", raw)).map(Some),
            None => Some(None),
        };
        let (Some(email), Some(password), Some(name), Some(username)) =
            (email, password, name, username)
        else {
            return Err(errors.into());
        };
        let username = match username {
            Some(chosen) => chosen,
            None => {
                self.free_username(&Username::suggest(email.local_part()))
                    .await?
            }
        };
        let password_hash = self.ports.hasher.hash(&password).await?;
        let user = self
            .ports
            .users
            .create(NewUser {
                id: UserId::new(),
                email,
                username,
                name,
                password_hash,
                role: Role::Client,
                created_at: self.now(),
            })
            .await?;
        self.open_session(user).await
    }

    /// The suggestion itself when free, else the suggestion with a random suffix.
    async fn free_username(&self, suggestion: &Username) -> Result<Username, IdentityError> {
        if !self.ports.users.username_taken(suggestion).await? {
            return Ok(suggestion.clone());
        }
        for _ in 0..8 {
            let candidate = suggestion.with_suffix(rand::random_range(1000..100_000));
            if !self.ports.users.username_taken(&candidate).await? {
                return Ok(candidate);
            }
        }
        Ok(suggestion.with_suffix(rand::random_range(100_000..u32::MAX / 2)))
    }

    /// Signs a user in. Unknown users cost the same work as wrong passwords and get the
    /// same answer.
    pub async fn login(
        &self,
        identifier: LoginIdentifier,
        password: &str,
    ) -> Result<TokenPair, IdentityError> {
        let found = match &identifier {
            LoginIdentifier::Email(raw) => match Email::parse("email", raw) {
                Ok(email) => self.ports.users.find_credentials_by_email(&email).await?,
                Err(_) => None,
            },
            LoginIdentifier::Username(raw) => {
                self.ports
                    .users
                    .find_credentials_by_username(raw.trim())
                    .await?
            }
        };
        let hasher = &self.ports.hasher;
        let Some((user, hash)) = found else {
            hasher.verify(password, hasher.dummy_hash()).await?;
            return Err(IdentityError::InvalidCredentials);
        };
        if !hasher.verify(password, &hash).await? {
            return Err(IdentityError::InvalidCredentials);
        }
        if user.status == UserStatus::Suspended {
            return Err(IdentityError::Suspended);
        }
        self.open_session(user).await
    }

    /// Starts a session (token family) for a user already checked.
    pub async fn open_session(&self, user: User) -> Result<TokenPair, IdentityError> {
        let now = self.now();
        let session_id = SessionId::new();
        let refresh_token = secret::generate();
        let stored = NewRefreshToken {
            digest: secret::digest(&refresh_token),
            expires_at: now + self.config.refresh_ttl,
        };
        self.ports
            .sessions
            .start(user.id, session_id, stored, now)
            .await?;
        self.pair(
            user.id,
            user.role,
            session_id,
            refresh_token,
            Some(user),
            now,
        )
    }

    fn pair(
        &self,
        user_id: UserId,
        role: Role,
        session_id: SessionId,
        refresh_token: String,
        user: Option<User>,
        now: DateTime<Utc>,
    ) -> Result<TokenPair, IdentityError> {
        let expires_at = now + self.config.access_ttl;
        let claims = AccessClaims {
            user_id,
            session_id,
            token_id: Uuid::now_v7(),
            issued_at: now,
            expires_at,
            role,
        };
        Ok(TokenPair {
            access_token: self.ports.tokens.encode(&claims)?,
            refresh_token,
            expires_at,
            expires_in: self.config.access_ttl.num_seconds(),
            user,
        })
    }

    /// Trades a refresh token for a new pair. The old token is spent; presenting a spent
    /// token again ends the whole session.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair, IdentityError> {
        let now = self.now();
        let next_token = secret::generate();
        let next = NewRefreshToken {
            digest: secret::digest(&next_token),
            expires_at: now + self.config.refresh_ttl,
        };
        let presented = secret::digest(refresh_token.trim());
        match self.ports.sessions.rotate(&presented, next, now).await? {
            Rotation::Rotated {
                user_id,
                session_id,
            } => {
                let user = self.ports.users.find(user_id).await?;
                let Some(user) = user else {
                    self.ports
                        .sessions
                        .revoke(&[session_id], "user_gone", &[], now)
                        .await?;
                    return Err(IdentityError::Unauthorized);
                };
                if user.status == UserStatus::Suspended {
                    return Err(IdentityError::Suspended);
                }
                self.pair(user.id, user.role, session_id, next_token, Some(user), now)
            }
            Rotation::Reused { .. } | Rotation::Unknown | Rotation::Expired | Rotation::Revoked => {
                Err(IdentityError::Unauthorized)
            }
        }
    }

    /// Ends the caller's session: its refresh tokens stop working and the access token is
    /// refused from now on. A refresh token of another of the caller's sessions, if given,
    /// ends that session too.
    pub async fn logout(
        &self,
        principal: &Principal,
        refresh_token: Option<&str>,
    ) -> Result<(), IdentityError> {
        let now = self.now();
        let sessions = &self.ports.sessions;
        let mut ended = vec![principal.session_id];
        if let Some(token) = refresh_token {
            let digest = secret::digest(token.trim());
            if let Some(other) = sessions.session_of(principal.user.id, &digest).await?
                && other != principal.session_id
            {
                ended.push(other);
            }
        }
        // The sockets opened with these sessions close too, through the outbox.
        let event = DomainEvent::new(
            "session.revoked",
            principal.user.id.as_uuid(),
            SessionsRevoked {
                user_id: principal.user.id,
                session_ids: ended.clone(),
            },
        );
        sessions.revoke(&ended, "logout", &[event], now).await?;
        self.deny(principal, now).await;
        Ok(())
    }

    /// Adds the caller's access token to the denylist; the session is already revoked in
    /// the database, so a failure here is logged, not fatal.
    pub(super) async fn deny(&self, principal: &Principal, now: DateTime<Utc>) {
        if let Err(error) = self
            .ports
            .denylist
            .deny(principal.token_id, principal.expires_at, now)
            .await
        {
            tracing::warn!(%error, "token denylist unavailable");
        }
    }
}

/// The payload of `session.revoked`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionsRevoked {
    user_id: UserId,
    session_ids: Vec<SessionId>,
}
