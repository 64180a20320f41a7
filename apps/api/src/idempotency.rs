//! `Idempotency-Key` (docs/idempotency.md): the first request with a key does the work and its
//! response is stored; a repeat with the same body gets that response again, a repeat with
//! another body 422 `IDEMPOTENCY_MISMATCH`, a repeat while the first still runs 409.
//! Keys are scoped to the caller and the route, and kept 24 hours.

use std::future::Future;

use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use chrono::Duration;
use krika_kernel::ids::UserId;
use krika_kernel::ports::IdempotencyStart;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;

pub const HEADER: &str = "Idempotency-Key";

/// The header as the spec declares it, for the operations that honour it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IdempotencyKey {
    /// Makes retries safe: 1..255 visible ASCII characters, kept 24 h.
    #[param(
        rename = "Idempotency-Key",
        nullable = false,
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]+$"
    )]
    idempotency_key: Option<String>,
}
/// Set on replayed responses.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";
const KEY_MAX: usize = 255;
const KEPT: Duration = Duration::hours(krika_kernel::ports::KEY_KEPT_HOURS);
/// A claim this old without a response belongs to a request that died (or left a charge
/// for its retry: `ApiError::charge_unsettled`). Longer than any request lives.
pub const STALE_SECONDS: u64 = 60;
const STALE: Duration = Duration::seconds(STALE_SECONDS as i64);

/// Set on a response whose request's claim must not be released though it failed: the
/// work left something outside (a card charge) that the retry under the key must find.
#[derive(Debug, Clone, Copy)]
pub struct KeepsClaim;

/// The request's key, when it sent a usable one. Use cases that create money records keep
/// it with them, so a retry finds the record even if the stored answer was lost.
pub fn key(req: &HttpRequest) -> Option<String> {
    usable(req.headers().get(HEADER)?).map(str::to_owned)
}

fn usable(value: &HeaderValue) -> Option<&str> {
    value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= KEY_MAX && k.bytes().all(|b| b.is_ascii_graphic()))
}

/// Runs `work` once per key; without the header, just runs it.
pub async fn once<F, Fut>(
    state: &AppState,
    req: &HttpRequest,
    caller: UserId,
    body: &impl Serialize,
    work: F,
) -> ApiResult<HttpResponse>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ApiResult<HttpResponse>>,
{
    once_storing(state, req, caller, body, |_| async {
        Ok((work().await?, false))
    })
    .await
}

/// The key a request claimed, for work that stores its answer with its own writes.
#[derive(Debug, Clone)]
pub struct Claim {
    pub scope: String,
    pub key: String,
    /// `IdempotencyStart::Proceed`'s attempt: the idempotency key for outside calls.
    pub attempt: String,
}

/// [`once`] for work that can store its answer in its own transaction (one commit): it
/// gets the claim, and says whether it stored the answer; if not, it is stored after.
pub async fn once_storing<F, Fut>(
    state: &AppState,
    req: &HttpRequest,
    caller: UserId,
    body: &impl Serialize,
    work: F,
) -> ApiResult<HttpResponse>
where
    F: FnOnce(Option<Claim>) -> Fut,
    Fut: Future<Output = ApiResult<(HttpResponse, bool)>>,
{
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(work(None).await?.0);
    };
    let key = usable(value).ok_or_else(|| {
        ApiError::validation(vec![krika_kernel::FieldError::new(
            HEADER,
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
        )])
    })?;
    let scope = format!("{caller}:{} {}", req.method(), req.path());
    let fingerprint = hex::encode(Sha256::digest(
        serde_json::to_vec(body).map_err(|_| ApiError::internal())?,
    ));
    let now = state.clock.now();
    let start = state
        .idempotency
        .start(&scope, key, &fingerprint, now, now - KEPT, now - STALE)
        .await
        .map_err(|e| ApiError::unexpected(&e))?;
    match start {
        IdempotencyStart::Replay { status, body } => Ok(HttpResponse::build(
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        )
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .insert_header((REPLAYED_HEADER, "true"))
        .body(body)),
        IdempotencyStart::Mismatch => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyMismatch,
            "This Idempotency-Key was used with a different request body",
        )),
        IdempotencyStart::InFlight => Err(ApiError::conflict(
            "A request with this Idempotency-Key is still being processed",
        )),
        IdempotencyStart::Proceed { attempt } => {
            let claim = Claim {
                scope: scope.clone(),
                key: key.to_owned(),
                attempt,
            };
            let response = match work(Some(claim)).await {
                Ok((response, true)) => return Ok(response),
                Ok((response, false)) => response,
                Err(error) => error.error_response(),
            };
            let status = response.status();
            if response.extensions().contains::<KeepsClaim>() {
                return Ok(response);
            }
            if status.is_server_error() {
                // Worth retrying: release the key rather than replay a failure.
                if let Err(e) = state.idempotency.abandon(&scope, key).await {
                    tracing::warn!(error = %e, "could not release an idempotency key");
                }
                return Ok(response);
            }
            let (head, body) = response.into_parts();
            let bytes = body.try_into_bytes().unwrap_or_default();
            if let Err(e) = state
                .idempotency
                .finish(&scope, key, status.as_u16(), &bytes)
                .await
            {
                tracing::error!(error = %e, "could not store an idempotent response");
            }
            Ok(head.set_body(bytes).map_into_boxed_body())
        }
    }
}
