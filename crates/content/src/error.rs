use krika_kernel::{Unexpected, ValidationErrors};

/// Everything a content use case can refuse; the HTTP layer picks statuses.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// Unknown, or a draft the caller may not see.
    #[error("not found")]
    NotFound,
    /// Only signed-in callers may ask for this (drafts), and this one is anonymous.
    #[error("sign-in required")]
    Unauthenticated,
    #[error("only admins see drafts")]
    DraftsAdminOnly,
    #[error("only admins write the blog")]
    AdminOnly,
    #[error("unsupported media type")]
    UnsupportedMedia,
    #[error("file too large (limit {limit} bytes)")]
    TooLarge { limit: usize },
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<krika_kernel::ports::BlobError> for ContentError {
    fn from(error: krika_kernel::ports::BlobError) -> Self {
        Self::Unexpected(Unexpected::new(error))
    }
}

impl From<krika_kernel::media::ImageRejection> for ContentError {
    fn from(rejection: krika_kernel::media::ImageRejection) -> Self {
        match rejection {
            krika_kernel::media::ImageRejection::TooLarge { limit } => Self::TooLarge { limit },
            krika_kernel::media::ImageRejection::NotAnImage => Self::UnsupportedMedia,
        }
    }
}
