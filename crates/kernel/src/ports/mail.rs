//! Outgoing email.

use async_trait::async_trait;

use crate::error::Unexpected;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The same message as HTML, sent as the `multipart/alternative` of `text`.
    pub html: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address: {0}")]
    InvalidAddress(String),
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: Mail) -> Result<(), MailError>;
}
