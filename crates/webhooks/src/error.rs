use krika_kernel::{Unexpected, ValidationErrors};

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}
