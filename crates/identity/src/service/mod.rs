//! The identity use cases.

mod access;
mod password;
mod profile;
mod session;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use krika_kernel::Clock;
use krika_kernel::ports::{BlobStore, Mailer};

use crate::ports::{
    AccessTokenCodec, PasswordHasher, ResetTokenStore, SessionStore, TokenDenylist, UserRepository,
};

pub use access::Principal;
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
        }
    }
}

/// Every port identity uses.
#[derive(Clone)]
pub struct IdentityPorts {
    pub users: Arc<dyn UserRepository>,
    pub sessions: Arc<dyn SessionStore>,
    pub resets: Arc<dyn ResetTokenStore>,
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
        Self { ports, config: Arc::new(config) }
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
