//! The one error type of the HTTP layer: every failure leaves as the contract's envelope.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use krika_catalog::CatalogError;
use krika_content::ContentError;
use krika_identity::IdentityError;
use krika_kernel::{FieldError, Unexpected, ValidationErrors};
use krika_ordering::OrderingError;
use krika_payments::PaymentsError;
use serde::Serialize;
use utoipa::ToSchema;

/// The stable error codes of docs/errors.md
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    InvalidCredentials,
    Forbidden,
    AccountSuspended,
    NotFound,
    MethodNotAllowed,
    Conflict,
    InvalidTransition,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationError,
    InsufficientFunds,
    IdempotencyMismatch,
    RateLimited,
    InternalError,
    Unavailable,
}

/// One failing field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The field as the client sent it (`email`, `packages[0].price`).
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// For `INVALID_TRANSITION`, one `{"field": "status", "message": <target>}` per status
    /// the resource may move to (kept for older clients; read `allowedStatuses`).
    pub details: Vec<ErrorDetail>,
    /// With `INVALID_TRANSITION` only: the statuses the caller may move the resource to
    /// from where it is, as values of its status enum (`OrderStatus` for orders — typed so
    /// in the order operations' 409 — `PayoutStatus`, `KycStatus`, `ServiceStatus`).
    #[serde(rename = "allowedStatuses", skip_serializing_if = "Vec::is_empty")]
    pub allowed_statuses: Vec<String>,
}

/// Every 4XX and 5XX response body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorResponse {
    /// Always `false`.
    #[schema(example = false)]
    pub success: bool,
    pub error: ErrorBody,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    details: Vec<ErrorDetail>,
    allowed_statuses: Vec<String>,
    retry_after: Option<u64>,
    /// The request's Idempotency-Key claim must stay (crate::idempotency::KeepsClaim).
    keeps_claim: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
            allowed_statuses: Vec::new(),
            retry_after: None,
            keeps_claim: false,
        }
    }

    pub fn with_detail(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.details.push(ErrorDetail {
            field: field.into(),
            message: message.into(),
        });
        self
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "Missing, invalid or expired access token",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "Resource not found",
        )
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!("Body or file larger than the limit of {limit} bytes"),
        )
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let mut error = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationError,
            "Validation failed",
        );
        error.details = errors
            .into_iter()
            .map(|e| ErrorDetail {
                field: e.field,
                message: e.message,
            })
            .collect();
        error
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "Too many requests, slow down",
        );
        error.retry_after = Some(retry_after);
        error
    }

    /// Logs the cause with the request's span (which carries the request id) and hides it
    /// from the client.
    pub fn unexpected(cause: &Unexpected) -> Self {
        if cause.is_unavailable() {
            tracing::error!(error = %cause, "backing service unavailable");
            Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "A backing service is unavailable, try again shortly",
            )
        } else {
            tracing::error!(error = %cause, "unexpected error");
            Self::internal()
        }
    }

    /// A card charged for an order the database could not confirm: the charge waits for
    /// the retry under the same key, which takes the claim over once it is stale and gets
    /// that charge back, so the claim is kept and the client told when to come back.
    pub fn charge_unsettled(cause: &Unexpected, retry_after: u64) -> Self {
        tracing::error!(error = %cause, "card charged, order not confirmed");
        let mut error = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            "The card was charged but the order could not be confirmed: retry with the same \
             Idempotency-Key, which completes it with that charge",
        );
        error.retry_after = Some(retry_after);
        error.keeps_claim = true;
        error
    }

    /// A state change the state machine refuses, listing what the caller could move to.
    pub fn invalid_transition(from: &str, allowed: &[&str]) -> Self {
        let mut error = Self::new(
            StatusCode::CONFLICT,
            ErrorCode::InvalidTransition,
            format!("Not allowed from status {from}"),
        );
        for target in allowed {
            error = error.with_detail("status", *target);
        }
        error.allowed_statuses = allowed.iter().map(|s| (*s).to_owned()).collect();
        error
    }

    pub fn insufficient_funds() -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InsufficientFunds,
            "Insufficient funds: the balance does not cover it, or the card was declined",
        )
    }

    /// A record's Idempotency-Key reused after its keeping ended.
    pub fn key_reused(error: &impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyMismatch,
            capitalise(&error.to_string()),
        )
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, message)
    }

    pub fn unsupported_media() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "Unsupported file type: JPEG, PNG or WebP expected",
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalError,
            "Internal server error",
        )
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let body = ErrorResponse {
            success: false,
            error: ErrorBody {
                code: self.code,
                message: self.message.clone(),
                details: self.details.clone(),
                allowed_statuses: self.allowed_statuses.clone(),
            },
        };
        let mut response = HttpResponse::build(self.status);
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(seconds)));
        }
        let mut response = response.json(body);
        if self.keeps_claim {
            response
                .extensions_mut()
                .insert(crate::idempotency::KeepsClaim);
        }
        response
    }
}

impl From<Unexpected> for ApiError {
    fn from(cause: Unexpected) -> Self {
        Self::unexpected(&cause)
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        Self::validation(errors.0)
    }
}

impl From<IdentityError> for ApiError {
    fn from(error: IdentityError) -> Self {
        match error {
            IdentityError::Validation(errors) => errors.into(),
            IdentityError::EmailTaken => Self::new(
                StatusCode::CONFLICT,
                ErrorCode::Conflict,
                "Email already registered",
            )
            .with_detail("email", "Email already registered"),
            IdentityError::UsernameTaken => Self::new(
                StatusCode::CONFLICT,
                ErrorCode::Conflict,
                "Username already taken",
            )
            .with_detail("username", "Username already taken"),
            IdentityError::InvalidCredentials => Self::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::InvalidCredentials,
                "Invalid credentials",
            ),
            IdentityError::Unauthorized => Self::unauthorized(),
            IdentityError::Suspended => Self::new(
                StatusCode::FORBIDDEN,
                ErrorCode::AccountSuspended,
                "This account is suspended",
            ),
            IdentityError::NotFound => Self::not_found(),
            IdentityError::AdminOnly | IdentityError::SuspendingOneself => {
                Self::forbidden(capitalise(&error.to_string()))
            }
            IdentityError::InvalidTransition { from, allowed } => {
                Self::invalid_transition(from, &allowed)
            }
            IdentityError::UnsupportedMedia => Self::unsupported_media(),
            IdentityError::TooLarge { limit } => Self::payload_too_large(limit),
            IdentityError::Unexpected(cause) => Self::unexpected(&cause),
        }
    }
}

impl From<CatalogError> for ApiError {
    fn from(error: CatalogError) -> Self {
        match error {
            CatalogError::Validation(errors) => errors.into(),
            CatalogError::NotFound => Self::not_found(),
            CatalogError::NotTheSeller | CatalogError::NotASeller | CatalogError::AdminOnly => {
                Self::forbidden(capitalise(&error.to_string()))
            }
            CatalogError::SlugTaken | CatalogError::CategoryInUse => {
                Self::conflict(capitalise(&error.to_string()))
            }
            CatalogError::InvalidTransition { from, allowed } => {
                Self::invalid_transition(from, &allowed)
            }
            CatalogError::UnsupportedMedia => Self::unsupported_media(),
            CatalogError::TooLarge { limit } => Self::payload_too_large(limit),
            CatalogError::Unexpected(cause) => Self::unexpected(&cause),
        }
    }
}

impl From<ContentError> for ApiError {
    fn from(error: ContentError) -> Self {
        match error {
            ContentError::Validation(errors) => errors.into(),
            ContentError::NotFound => Self::not_found(),
            ContentError::Unauthenticated => Self::unauthorized(),
            ContentError::DraftsAdminOnly | ContentError::AdminOnly => {
                Self::forbidden(capitalise(&error.to_string()))
            }
            ContentError::UnsupportedMedia => Self::unsupported_media(),
            ContentError::TooLarge { limit } => Self::payload_too_large(limit),
            ContentError::Unexpected(cause) => Self::unexpected(&cause),
        }
    }
}

impl From<OrderingError> for ApiError {
    fn from(error: OrderingError) -> Self {
        match error {
            OrderingError::Validation(errors) => errors.into(),
            OrderingError::NotFound => Self::not_found(),
            OrderingError::OwnService
            | OrderingError::OtherPartysMove
            | OrderingError::NotTheBuyer
            | OrderingError::NotTheSeller
            | OrderingError::AdminOnly => Self::forbidden(capitalise(&error.to_string())),
            OrderingError::AlreadyReviewed | OrderingError::AlreadyAnswered => {
                Self::conflict(capitalise(&error.to_string()))
            }
            OrderingError::InvalidTransition { from, allowed } => {
                Self::invalid_transition(from, &allowed)
            }
            OrderingError::InsufficientFunds => Self::insufficient_funds(),
            OrderingError::RequestKeyReused { .. } => Self::key_reused(&error),
            OrderingError::TooLarge { limit } => Self::payload_too_large(limit),
            OrderingError::ChargeUnsettled(cause) => {
                Self::charge_unsettled(&cause, crate::idempotency::STALE_SECONDS)
            }
            OrderingError::Unexpected(cause) => Self::unexpected(&cause),
        }
    }
}

impl From<PaymentsError> for ApiError {
    fn from(error: PaymentsError) -> Self {
        match error {
            PaymentsError::Validation(errors) => errors.into(),
            PaymentsError::NotFound => Self::not_found(),
            PaymentsError::AdminOnly | PaymentsError::KycNotApproved => {
                Self::forbidden(capitalise(&error.to_string()))
            }
            PaymentsError::OfferCodeTaken => Self::conflict(capitalise(&error.to_string())),
            PaymentsError::InvalidTransition { from, allowed } => {
                Self::invalid_transition(from, &allowed)
            }
            PaymentsError::InsufficientFunds => Self::insufficient_funds(),
            PaymentsError::RequestKeyReused => Self::key_reused(&error),
            PaymentsError::Unexpected(cause) => Self::unexpected(&cause),
        }
    }
}

impl From<krika_messaging::MessagingError> for ApiError {
    fn from(error: krika_messaging::MessagingError) -> Self {
        use krika_messaging::MessagingError;
        match error {
            MessagingError::Validation(errors) => errors.into(),
            MessagingError::NotFound => Self::not_found(),
            MessagingError::Forbidden => Self::forbidden("Not allowed"),
            MessagingError::TooLarge { limit } => Self::payload_too_large(limit),
            MessagingError::UnsupportedMedia => Self::unsupported_media(),
            MessagingError::Unexpected(cause) => Self::unexpected(&cause),
        }
    }
}

impl From<krika_webhooks::WebhookError> for ApiError {
    fn from(error: krika_webhooks::WebhookError) -> Self {
        use krika_webhooks::WebhookError;
        match error {
            WebhookError::Validation(errors) => errors.into(),
            WebhookError::NotFound => Self::not_found(),
            WebhookError::AdminOnly => Self::forbidden(capitalise(&error.to_string())),
            WebhookError::EndpointDisabled | WebhookError::DeliveryInFlight => {
                Self::conflict(capitalise(&error.to_string()))
            }
            WebhookError::Unexpected(cause) => Self::unexpected(&cause),
        }
    }
}

/// Domain reasons are lower-case phrases; messages start with a capital.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
