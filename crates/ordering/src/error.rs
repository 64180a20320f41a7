use krika_kernel::{Unexpected, ValidationErrors};

/// Everything an ordering use case can refuse; the HTTP layer picks statuses.
#[derive(Debug, thiserror::Error)]
pub enum OrderingError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// Unknown, or not visible to the caller.
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("invalid transition from {from}")]
    InvalidTransition {
        from: &'static str,
        allowed: Vec<&'static str>,
    },
    /// The wallet does not cover the order, or the card was declined.
    #[error("insufficient funds")]
    InsufficientFunds,
    #[error("file too large (limit {limit} bytes)")]
    TooLarge { limit: usize },
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<krika_kernel::ports::BlobError> for OrderingError {
    fn from(error: krika_kernel::ports::BlobError) -> Self {
        Self::Unexpected(Unexpected::new(error))
    }
}
