//! A mailer that writes each mail to the log instead of sending it.

use async_trait::async_trait;
use krika_kernel::ports::{Mail, MailError, Mailer};

/// Used in development when no SMTP server is configured: the whole mail, body included,
/// goes to the log at `info`, so a developer can copy a reset or verification link from it.
/// Never use it in production — the log would then hold those secrets.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogMailer;

impl LogMailer {
    pub fn new() -> Self {
        Self
    }
}

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        tracing::info!(
            to = %mail.to,
            subject = %mail.subject,
            body = %mail.text,
            "mail not sent (development mailer): {}\n{}",
            mail.subject,
            mail.text,
        );
        Ok(())
    }
}
