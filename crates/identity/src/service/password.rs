//! Forgotten passwords: a single-use link by email, valid one hour.

use krika_kernel::ids::UserId;
use krika_kernel::ports::Mail;
use krika_kernel::{DomainEvent, ValidationErrors};

use super::Identity;
use crate::error::IdentityError;
use crate::model::{Email, Password};
use crate::secret;

impl Identity {
    /// Sends a reset link when the address belongs to an account. The caller answers the
    /// same way whatever happened, so nobody learns which addresses are registered.
    pub async fn forgot_password(&self, email: &str) -> Result<(), IdentityError> {
        let email = Email::parse("email", email).map_err(|e| ValidationErrors(vec![e]))?;
        let Some((user, _)) = self.ports.users.find_credentials_by_email(&email).await? else {
            return Ok(());
        };
        let now = self.now();
        let token = secret::generate();
        let expires_at = now + self.config.reset_ttl;
        self.ports
            .resets
            .create_reset(user.id, secret::digest(&token), expires_at, now)
            .await?;
        let link = format!("{}?token={token}", self.config.reset_url);
        // The same templates as every other mail: French, plain text and HTML.
        let (subject, text, html) = match krika_messaging::mail::password_reset(&user.name, &link) {
            Ok(parts) => parts,
            Err(error) => {
                tracing::error!(%error, "password reset template failed");
                return Ok(());
            }
        };
        let mail = Mail {
            to: user.email.clone(),
            subject,
            text,
            html: Some(html),
        };
        if let Err(error) = self.ports.mailer.send(mail).await {
            // The token is stored and the user can ask again; never reveal this to the caller.
            tracing::warn!(%error, user_id = %user.id, "password reset mail not sent");
        }
        Ok(())
    }

    /// Sets a new password with a reset token and ends every session of its user.
    pub async fn reset_password(&self, token: &str, password: &str) -> Result<(), IdentityError> {
        let mut errors = ValidationErrors::new();
        if token.trim().is_empty() {
            errors.push("token", "Token is required");
        }
        let password = errors.check(Password::parse("password", password));
        let (Some(password), true) = (password, errors.is_empty()) else {
            return Err(errors.into());
        };
        let hash = self.ports.hasher.hash(&password).await?;
        // Every session ends: open sockets hear of it (they close at once), through the outbox.
        let events_for = |user_id: UserId| {
            vec![DomainEvent::new(
                "user.password_reset",
                user_id.as_uuid(),
                PasswordReset { user_id },
            )]
        };
        let consumed = self
            .ports
            .resets
            .consume_reset(&secret::digest(token.trim()), hash, &events_for, self.now())
            .await?;
        match consumed {
            Some(_) => Ok(()),
            None => {
                Err(ValidationErrors::single("token", "Reset token is invalid or expired").into())
            }
        }
    }
}

/// The payload of `user.password_reset`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PasswordReset {
    user_id: UserId,
}
