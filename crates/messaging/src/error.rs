use krika_kernel::{Unexpected, ValidationErrors};

/// Everything a messaging use case can refuse; the HTTP layer picks the statuses
/// (422, 404, 403, 413, 415, 500).
#[derive(Debug, thiserror::Error)]
pub enum MessagingError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// Unknown, or not visible to the caller (a conversation they are not part of).
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("file too large (limit {limit} bytes)")]
    TooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMedia,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl MessagingError {
    pub(crate) fn field(field: &str, message: &str) -> Self {
        Self::Validation(ValidationErrors::single(field, message))
    }
}

impl From<krika_kernel::ports::BlobError> for MessagingError {
    fn from(error: krika_kernel::ports::BlobError) -> Self {
        Self::Unexpected(Unexpected::new(error))
    }
}
