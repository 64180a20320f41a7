use krika_kernel::{Unexpected, ValidationErrors};

/// Everything a catalog use case can refuse; the HTTP layer picks statuses.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// Unknown, deleted, or not visible to the caller.
    #[error("not found")]
    NotFound,
    #[error("only the service's seller may do this")]
    NotTheSeller,
    #[error("only sellers (approved KYC) can publish services")]
    NotASeller,
    #[error("admins only")]
    AdminOnly,
    #[error("slug already used")]
    SlugTaken,
    #[error("category still has sub-categories or services")]
    CategoryInUse,
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

impl CatalogError {
    /// A refusal of who the caller is (403), as opposed to the state of things (409).
    pub fn is_forbidden(&self) -> bool {
        matches!(
            self,
            Self::NotTheSeller | Self::NotASeller | Self::AdminOnly
        )
    }

    /// Something in the way exists (409).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::SlugTaken | Self::CategoryInUse)
    }
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
