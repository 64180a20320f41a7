//! Turning an access token into a caller, on every authenticated request.

use chrono::{DateTime, Utc};
use krika_kernel::ids::SessionId;
use uuid::Uuid;

use super::Identity;
use crate::error::IdentityError;
use crate::model::{Role, User, UserStatus};

/// The authenticated caller of a request, with role and status as the database has them now.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub session_id: SessionId,
    pub token_id: Uuid,
    pub expires_at: DateTime<Utc>,
    /// The token expires soon: the client should refresh.
    pub refresh_required: bool,
}

impl Principal {
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }
}

impl Identity {
    /// Checks signature, expiry, logout denylist, session and account, in that order.
    /// Role and status come from the database, so a suspension or role change acts at once.
    pub async fn authenticate(&self, token: &str) -> Result<Principal, IdentityError> {
        let claims = self
            .ports
            .tokens
            .decode(token)
            .ok_or(IdentityError::Unauthorized)?;
        let now = self.now();
        if claims.expires_at <= now {
            return Err(IdentityError::Unauthorized);
        }
        // The denylist is a fast path; the session check below is the authority, so a
        // denylist that cannot answer does not lock everyone out.
        match self.ports.denylist.is_denied(claims.token_id).await {
            Ok(true) => return Err(IdentityError::Unauthorized),
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "token denylist unavailable"),
        }
        let found = self
            .ports
            .users
            .find_with_session(claims.user_id, claims.session_id)
            .await?;
        let Some((user, session_open)) = found else {
            return Err(IdentityError::Unauthorized);
        };
        if user.status == UserStatus::Suspended {
            return Err(IdentityError::Suspended);
        }
        if !session_open {
            return Err(IdentityError::Unauthorized);
        }
        Ok(Principal {
            user,
            session_id: claims.session_id,
            token_id: claims.token_id,
            expires_at: claims.expires_at,
            refresh_required: claims.expires_at - now <= self.config.refresh_warning,
        })
    }
}
