//! `X-Token-Refresh-Required: true` when the caller's access token expires within 60 s.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use crate::extract::RefreshRequired;

pub const X_TOKEN_REFRESH_REQUIRED: HeaderName =
    HeaderName::from_static("x-token-refresh-required");

pub async fn token_refresh(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut response = next.call(req).await?;
    if response
        .request()
        .extensions()
        .get::<RefreshRequired>()
        .is_some()
    {
        response
            .headers_mut()
            .insert(X_TOKEN_REFRESH_REQUIRED, HeaderValue::from_static("true"));
    }
    Ok(response)
}
