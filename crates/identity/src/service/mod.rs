//! The identity use cases.

mod access;
mod admin;
mod kyc;
mod password;
mod profile;
mod session;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use krika_kernel::Clock;
use krika_kernel::ports::{BlobStore, Mailer};

use crate::ports::{
    AccessTokenCodec, KycRepository, PasswordHasher, ResetTokenStore, SessionStore, TokenDenylist,
    UserRepository,
};

pub use access::Principal;
pub use kyc::{KycReview, KycStep1, KycStep2};
pub use profile::ProfileUpdate;
pub use session::{LoginIdentifier, Registration, TokenPair};

/// Lifetimes and limits; the app fills them from its configuration.
#[derive(Debug, Clone)]
pub struct IdentityConfig {
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub reset_ttl: Duration,
    /// The page that receives `?token=…` from the password-reset email.
    pub reset_url: String,
    pub avatar_max_bytes: usize,
    /// A response is told to refresh when its access token expires within this.
    pub refresh_warning: Duration,
    pub kyc_document_max_bytes: usize,
    /// How long admins' links to KYC documents work.
    pub signed_url_ttl: Duration,
}

impl Default for IdentityConfig {
    fn default() -> Self {
        Self {
            access_ttl: Duration::seconds(900),
            refresh_ttl: Duration::days(7),
            reset_ttl: Duration::hours(1),
            reset_url: "http://localhost:8000/reset-password".into(),
            avatar_max_bytes: 5 * 1024 * 1024,
            refresh_warning: Duration::seconds(60),
            kyc_document_max_bytes: 5 * 1024 * 1024,
            signed_url_ttl: Duration::minutes(10),
        }
    }
}

/// Every port identity uses.
#[derive(Clone)]
pub struct IdentityPorts {
    pub users: Arc<dyn UserRepository>,
    pub sessions: Arc<dyn SessionStore>,
    pub resets: Arc<dyn ResetTokenStore>,
    pub kyc: Arc<dyn KycRepository>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub tokens: Arc<dyn AccessTokenCodec>,
    pub denylist: Arc<dyn TokenDenylist>,
    pub blobs: Arc<dyn BlobStore>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
}

/// The identity use cases, cheap to clone.
#[derive(Clone)]
pub struct Identity {
    ports: IdentityPorts,
    config: Arc<IdentityConfig>,
}

/// Whether a user may act: live and not suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAccess {
    Allowed,
    Suspended,
}

impl Identity {
    pub fn new(ports: IdentityPorts, config: IdentityConfig) -> Self {
        Self {
            ports,
            config: Arc::new(config),
        }
    }

    pub fn config(&self) -> &IdentityConfig {
        &self.config
    }

    pub fn ports(&self) -> &IdentityPorts {
        &self.ports
    }

    fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }
}

/// Creates the admin with this email, or resets its password and name and makes it an
/// admin again (the command line's `create-admin`; never reachable from the public API).
pub async fn provision_admin(
    users: &dyn UserRepository,
    hasher: &dyn PasswordHasher,
    email: &str,
    password: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<crate::User, crate::IdentityError> {
    use crate::model::{DisplayName, Email, NewUser, Password, Role, Username};
    let mut errors = krika_kernel::ValidationErrors::new();
    let email = errors.check(Email::parse("email", email));
    let password = errors.check(Password::parse("password", password));
    let name = errors.check(DisplayName::parse("name", name));
    let (Some(email), Some(password), Some(name)) = (email, password, name) else {
        return Err(errors.into());
    };
    let mut username = Username::suggest(email.local_part());
    if users.username_taken(&username).await? {
        username = username.with_suffix(rand::random_range(1000..100_000));
    }
    let new = NewUser {
        id: krika_kernel::ids::UserId::new(),
        password_hash: hasher.hash(&password).await?,
        email,
        username,
        name,
        role: Role::Admin,
        created_at: now,
    };
    Ok(users.upsert_admin(new, now).await?)
}
