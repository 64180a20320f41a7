//! Extractors: the authenticated caller, and JSON/path/query errors in the contract's envelope.

use std::future::Future;
use std::pin::Pin;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use krika_identity::Principal;

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller. Role and status are read from the database on every request.
pub struct Auth(pub Principal);

/// Marks a response whose access token expires within a minute.
#[derive(Clone, Copy)]
pub struct RefreshRequired;

/// The bearer token of a request, if it has one.
pub fn bearer_token(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(ApiError::internal)?;
            let token = bearer_token(&req).ok_or_else(ApiError::unauthorized)?;
            let principal = state.identity.authenticate(token).await?;
            if principal.refresh_required {
                req.extensions_mut().insert(RefreshRequired);
            }
            Ok(Auth(principal))
        })
    }
}

pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(move |error, _req| {
            match error {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => {
                    ApiError::payload_too_large(limit)
                }
                JsonPayloadError::ContentType => {
                    ApiError::bad_request("Expected a JSON body (Content-Type: application/json)")
                }
                JsonPayloadError::Deserialize(e) => {
                    ApiError::bad_request(format!("Malformed JSON body: {e}"))
                }
                other => ApiError::bad_request(format!("Unreadable body: {other}")),
            }
            .into()
        })
}

/// A JSON object body, read in two steps so that each failure gets the right answer:
/// not JSON (nor UTF-8), or over the limit, is 400 / 413 ([`json_config`]); JSON that is
/// not an object is 400; an object whose field has the wrong type or an unknown value
/// (`"status": "shipped"`) is 422 naming that field (`payment.method` when nested).
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: serde::de::DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let value = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move { typed(value.await?.into_inner()).map(Json) })
    }
}

/// The second step of [`Json`]: an object, read into `T` field by field.
fn typed<T: serde::de::DeserializeOwned>(
    mut value: serde_json::Value,
) -> Result<T, actix_web::Error> {
    integral_floats_as_integers(&mut value);
    if !value.is_object() {
        return Err(ApiError::bad_request("The body must be a JSON object").into());
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        // An unknown field is reported at the object that holds it.
        let field = match error.path().to_string() {
            root if root == "." => "body".to_owned(),
            path => path,
        };
        let message = error.into_inner().to_string();
        ApiError::validation(vec![krika_kernel::FieldError { field, message }]).into()
    })
}

/// JSON Schema counts `3.0` as an integer; serde's integer types refuse it. Whole numbers
/// written with a fraction become integers before the typed read, so `"rating": 5.0` is 5.
fn integral_floats_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // Within ±2^53 an f64 is exact, and the cast below cannot saturate.
            if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_floats_as_integers),
        _ => {}
    }
}

/// A JSON body that may be left out (no bytes at all, or `null`): `None` then. A body that
/// is sent is read as [`Json`], its errors answered, never mistaken for no body.
pub struct OptionalJson<T>(pub Option<T>);

impl<T: serde::de::DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let has_body = match length {
            Some(length) => length > 0,
            None => req.headers().contains_key(header::TRANSFER_ENCODING),
        };
        if !has_body {
            return Box::pin(async { Ok(OptionalJson(None)) });
        }
        let value = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            match value.await?.into_inner() {
                serde_json::Value::Null => Ok(OptionalJson(None)),
                value => typed(value).map(|t| OptionalJson(Some(t))),
            }
        })
    }
}

/// An unparsable path parameter is a 400, unless the path is in fact another route's
/// literal path (`PATCH /admin/webhooks/event-types` reached `/admin/webhooks/{webhookId}`):
/// then it is that route's 405.
pub fn path_config() -> web::PathConfig {
    use crate::routes::fallback::{KnownPaths, method_not_allowed};
    web::PathConfig::default().error_handler(|error: PathError, req| {
        let literal = req
            .app_data::<web::Data<KnownPaths>>()
            .and_then(|known| known.literal(req.path()));
        match literal {
            Some(methods) if !methods.iter().any(|m| m == req.method().as_str()) => {
                let response = method_not_allowed(req, &methods);
                actix_web::error::InternalError::from_response(error, response).into()
            }
            _ => ApiError::bad_request(format!("Invalid path parameter: {error}")).into(),
        }
    })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error: QueryPayloadError, _req| {
        ApiError::bad_request(format!("Invalid query string: {error}")).into()
    })
}

/// The caller if a bearer token is sent (then it must be valid), `None` for anonymous
/// calls: public endpoints that show more to owners and admins.
pub struct MaybeAuth(pub Option<Principal>);

impl FromRequest for MaybeAuth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        if req.headers().get(header::AUTHORIZATION).is_none() {
            return Box::pin(async { Ok(MaybeAuth(None)) });
        }
        let auth = Auth::from_request(req, payload);
        Box::pin(async move { Ok(MaybeAuth(Some(auth.await?.0))) })
    }
}

/// The caller as the catalog sees them.
pub fn actor(principal: &Principal) -> krika_catalog::Actor {
    use krika_identity::Role;
    krika_catalog::Actor {
        id: principal.user.id,
        is_seller: principal.user.role == Role::Seller,
        is_admin: principal.user.role == Role::Admin,
    }
}

pub fn customer(principal: &Principal) -> krika_ordering::Customer {
    krika_ordering::Customer {
        id: principal.user.id,
        name: principal.user.name.as_str().to_owned(),
        username: principal.user.username.as_str().to_owned(),
        is_admin: principal.is_admin(),
    }
}

pub fn payer(principal: &Principal) -> krika_payments::Payer {
    use krika_identity::{KycStatus, Role};
    krika_payments::Payer {
        id: principal.user.id,
        is_seller: principal.user.role == Role::Seller,
        kyc_approved: principal.user.kyc_status == KycStatus::Approved,
        is_admin: principal.is_admin(),
    }
}
