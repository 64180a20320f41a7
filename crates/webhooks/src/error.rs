use krika_kernel::{Unexpected, ValidationErrors};

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    #[error("not found")]
    NotFound,
    #[error("admins only")]
    AdminOnly,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}
