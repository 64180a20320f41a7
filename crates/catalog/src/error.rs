use krika_kernel::{Unexpected, ValidationErrors};

/// Everything a catalog use case can refuse; the HTTP layer picks statuses.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// Unknown, deleted, or not visible to the caller.
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
    #[error("unsupported media type")]
    UnsupportedMedia,
    #[error("file too large (limit {limit} bytes)")]
    TooLarge { limit: usize },
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<krika_kernel::ports::BlobError> for CatalogError {
    fn from(error: krika_kernel::ports::BlobError) -> Self {
        Self::Unexpected(Unexpected::new(error))
    }
}

impl From<krika_kernel::media::ImageRejection> for CatalogError {
    fn from(rejection: krika_kernel::media::ImageRejection) -> Self {
        match rejection {
            krika_kernel::media::ImageRejection::TooLarge { limit } => Self::TooLarge { limit },
            krika_kernel::media::ImageRejection::NotAnImage => Self::UnsupportedMedia,
        }
    }
}
