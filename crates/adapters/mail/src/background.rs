//! A mailer that sends from a spawned task.

use std::sync::Arc;

use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ports::{Mail, MailError, Mailer};

/// Hands each mail to a tokio task and returns at once.
///
/// Why: a password-reset request must take the same time whether the address exists or
/// not, and no request should wait on (or fail because of) a slow SMTP server. The cost is
/// that a failure is only logged (`warn`), never returned to the caller.
#[derive(Clone)]
pub struct BackgroundMailer {
    inner: Arc<dyn Mailer>,
}

impl BackgroundMailer {
    pub fn new(inner: Arc<dyn Mailer>) -> Self {
        Self { inner }
    }
}

impl std::fmt::Debug for BackgroundMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackgroundMailer").finish_non_exhaustive()
    }
}

#[async_trait]
impl Mailer for BackgroundMailer {
    /// Returns `Ok` as soon as the mail is handed over; errs only outside a tokio runtime.
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(Unexpected::new)?;
        let inner = Arc::clone(&self.inner);
        runtime.spawn(async move {
            let to = mail.to.clone();
            let subject = mail.subject.clone();
            if let Err(error) = inner.send(mail).await {
                tracing::warn!(%to, %subject, %error, "background mail delivery failed");
            }
        });
        Ok(())
    }
}
