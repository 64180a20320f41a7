use krika_kernel::{Unexpected, ValidationErrors};

/// Everything a payments use case can refuse; the HTTP layer picks statuses.
#[derive(Debug, thiserror::Error)]
pub enum PaymentsError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// More than the available balance, or a declined card.
    #[error("insufficient funds")]
    InsufficientFunds,
    #[error("invalid transition from {from}")]
    InvalidTransition {
        from: &'static str,
        allowed: Vec<&'static str>,
    },
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}
