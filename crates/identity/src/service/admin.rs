//! User administration: the user list, suspensions.

use krika_kernel::ids::UserId;
use krika_kernel::{Page, PageRequest, ValidationErrors};

use super::kyc::require_admin;
use super::{Identity, Principal};
use crate::error::IdentityError;
use crate::model::{User, UserStatus, parse_reason};
use crate::ports::UserFilter;

/// Longest user-list search.
const SEARCH_MAX_CHARS: usize = 100;

impl Identity {
    pub async fn list_users(
        &self,
        admin: &Principal,
        mut filter: UserFilter,
        page: PageRequest,
    ) -> Result<Page<User>, IdentityError> {
        require_admin(admin)?;
        filter.search = filter
            .search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if filter
            .search
            .as_ref()
            .is_some_and(|s| s.chars().count() > SEARCH_MAX_CHARS)
        {
            return Err(ValidationErrors::single(
                "search",
                format!("Search must be at most {SEARCH_MAX_CHARS} characters"),
            )
            .into());
        }
        Ok(self.ports.users.list_users(&filter, page).await?)
    }

    /// Suspends a user and ends every session they have; their tokens stop working at once
    /// because every request re-reads the status.
    pub async fn suspend_user(
        &self,
        admin: &Principal,
        user_id: UserId,
        reason: &str,
    ) -> Result<User, IdentityError> {
        require_admin(admin)?;
        let reason = parse_reason(reason).map_err(ValidationErrors::from_one)?;
        if user_id == admin.user.id {
            return Err(IdentityError::SuspendingOneself);
        }
        // Open sockets hear of it (they close at once), through the outbox.
        let event = krika_kernel::DomainEvent::new(
            "user.suspended",
            user_id.as_uuid(),
            Suspended { user_id },
        );
        Ok(self
            .ports
            .users
            .suspend(user_id, &reason, &[event], self.now())
            .await?)
    }

    pub async fn unsuspend_user(
        &self,
        admin: &Principal,
        user_id: UserId,
    ) -> Result<User, IdentityError> {
        require_admin(admin)?;
        Ok(self
            .ports
            .users
            .set_status(user_id, UserStatus::Active, self.now())
            .await?)
    }
}

/// The payload of `user.suspended`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Suspended {
    user_id: UserId,
}
