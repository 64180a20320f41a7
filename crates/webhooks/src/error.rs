use krika_kernel::{Unexpected, ValidationErrors};

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    #[error("not found")]
    NotFound,
    #[error("admins only")]
    AdminOnly,
    /// A disabled endpoint is sent nothing, not even a test or a manual retry (409).
    #[error("this endpoint is disabled: enable it first")]
    EndpointDisabled,
    /// A worker is sending this delivery right now (409): its outcome is on the way.
    #[error("this delivery is being sent right now")]
    DeliveryInFlight,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}
