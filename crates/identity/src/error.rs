use krika_kernel::{Unexpected, ValidationErrors};

/// Everything an identity use case can refuse, in domain words; the HTTP layer picks statuses.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    #[error("email already registered")]
    EmailTaken,
    #[error("username already taken")]
    UsernameTaken,
    /// Login failed; the same answer for an unknown user and a wrong password.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Missing, malformed, expired, revoked or reused token.
    #[error("invalid or expired token")]
    Unauthorized,
    #[error("account suspended")]
    Suspended,
    #[error("admins only")]
    AdminOnly,
    #[error("admins cannot suspend themselves")]
    SuspendingOneself,
    /// The state machine does not allow this step now; `allowed` lists what the caller
    /// could move to instead.
    #[error("invalid transition from {from}")]
    InvalidTransition {
        from: &'static str,
        allowed: Vec<&'static str>,
    },
    #[error("not found")]
    NotFound,
    /// An upload whose content is not an accepted type.
    #[error("unsupported media type")]
    UnsupportedMedia,
    #[error("file too large (limit {limit} bytes)")]
    TooLarge { limit: usize },
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<krika_kernel::ports::BlobError> for IdentityError {
    fn from(error: krika_kernel::ports::BlobError) -> Self {
        Self::Unexpected(Unexpected::new(error))
    }
}

impl From<krika_kernel::media::ImageRejection> for IdentityError {
    fn from(rejection: krika_kernel::media::ImageRejection) -> Self {
        match rejection {
            krika_kernel::media::ImageRejection::TooLarge { limit } => Self::TooLarge { limit },
            krika_kernel::media::ImageRejection::NotAnImage => Self::UnsupportedMedia,
        }
    }
}
