//! The caller's own account: read, edit, delete, avatar; and public profiles.

use krika_kernel::ids::UserId;
use krika_kernel::media::check_image;
use krika_kernel::{DomainEvent, ValidationErrors};

use super::{Identity, Principal};
use crate::error::IdentityError;
use crate::model::{Bio, DisplayName, Phone, User, Username};
use crate::ports::ProfileChanges;

/// A requested profile edit: `None` keeps a field, `Some(None)` clears a clearable one.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    pub name: Option<String>,
    pub username: Option<String>,
    pub bio: Option<Option<String>>,
    pub phone: Option<Option<String>>,
}

impl Identity {
    /// A live user by id.
    pub async fn user(&self, id: UserId) -> Result<User, IdentityError> {
        self.ports
            .users
            .find(id)
            .await?
            .ok_or(IdentityError::NotFound)
    }

    /// Applies a profile edit; email, role and status are not part of it.
    pub async fn update_profile(
        &self,
        principal: &Principal,
        update: ProfileUpdate,
    ) -> Result<User, IdentityError> {
        let mut errors = ValidationErrors::new();
        let mut changes = ProfileChanges::default();
        if let Some(name) = &update.name {
            changes.name = errors
                .check(DisplayName::parse("name", name))
                .map(|n| n.as_str().into());
        }
        if let Some(username) = &update.username {
            changes.username = errors
                .check(Username::parse("username", username))
                .map(|u| u.as_str().into());
        }
        changes.bio = match update.bio {
            Some(Some(bio)) => errors
                .check(Bio::parse("bio", &bio))
                .map(|b| Some(b.into_inner())),
            Some(None) => Some(None),
            None => None,
        };
        changes.phone = match update.phone {
            Some(Some(phone)) if !phone.trim().is_empty() => errors
                .check(Phone::parse("phone", &phone))
                .map(|p| Some(p.as_str().into())),
            Some(_) => Some(None),
            None => None,
        };
        errors.into_result()?;
        if changes.is_empty() {
            return Ok(principal.user.clone());
        }
        Ok(self
            .ports
            .users
            .update_profile(principal.user.id, changes, self.now())
            .await?)
    }

    /// Soft-deletes the caller's account after checking their password; every session ends.
    pub async fn delete_account(
        &self,
        principal: &Principal,
        password: &str,
    ) -> Result<(), IdentityError> {
        let (_, hash) = self
            .ports
            .users
            .find_credentials(principal.user.id)
            .await?
            .ok_or(IdentityError::NotFound)?;
        if !self.ports.hasher.verify(password, &hash).await? {
            return Err(ValidationErrors::single("password", "Password is incorrect").into());
        }
        let now = self.now();
        // Open sockets hear of it (they close at once), through the outbox.
        let event = DomainEvent::new(
            "user.deleted",
            principal.user.id.as_uuid(),
            Deleted {
                user_id: principal.user.id,
            },
        );
        self.ports
            .users
            .soft_delete(principal.user.id, &[event], now)
            .await?;
        self.deny(principal, now).await;
        Ok(())
    }

    /// Replaces the caller's avatar with an image recognised by its content.
    pub async fn set_avatar(
        &self,
        principal: &Principal,
        bytes: Vec<u8>,
    ) -> Result<User, IdentityError> {
        let kind = check_image(&bytes, self.config.avatar_max_bytes)?;
        let user_id = principal.user.id;
        let key = format!(
            "public/avatars/{user_id}/{}.{}",
            uuid::Uuid::now_v7().simple(),
            kind.extension()
        );
        self.ports
            .blobs
            .put(&key, bytes, kind.content_type())
            .await?;
        let previous = self
            .ports
            .users
            .set_avatar(user_id, Some(key), self.now())
            .await?;
        if let Some(previous) = previous
            && let Err(error) = self.ports.blobs.delete(&previous).await
        {
            tracing::warn!(%error, key = previous, "old avatar not deleted");
        }
        self.user(user_id).await
    }

    /// Where an avatar key is served.
    pub fn avatar_url(&self, user: &User) -> Option<String> {
        user.avatar_key
            .as_deref()
            .map(|key| self.ports.blobs.public_url(key))
    }
}

/// The payload of `user.deleted`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Deleted {
    user_id: UserId,
}
