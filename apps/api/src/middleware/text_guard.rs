//! PostgreSQL cannot store the NUL character in text. A JSON body that carries one (as
//! `\u0000`) is refused here, naming its field, before any use case runs: otherwise the
//! first write would fail with a 500, and checkout would already have charged the card.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{Error, HttpMessage, web};
use futures_util::StreamExt;
use krika_kernel::FieldError;
use serde_json::Value;

use crate::error::ApiError;
use crate::state::AppState;

const NUL_ESCAPE: &[u8] = b"\\u0000";
const JSON: &str = "application/json";

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_start().get(..JSON.len()))
        .is_some_and(|v| v.eq_ignore_ascii_case(JSON))
}

/// The path (`details.phone`, `extras[1]`) of the first key or string holding a NUL.
fn nul_path(value: &Value, path: &str) -> Option<String> {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(text) => text.contains('\0').then(|| path.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_path(item, &format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if key.contains('\0') {
                Some(join(&key.replace('\0', "")))
            } else {
                nul_path(item, &join(key))
            }
        }),
        _ => None,
    }
}

/// The field to name when `body` is JSON with a NUL somewhere; `None` otherwise (and for
/// malformed JSON, which the extractor reports).
pub fn nul_field(body: &[u8]) -> Option<String> {
    // Cheap first: NUL can only appear escaped in JSON text.
    body.windows(NUL_ESCAPE.len())
        .any(|w| w == NUL_ESCAPE)
        .then_some(())?;
    let value: Value = serde_json::from_slice(body).ok()?;
    nul_path(&value, "").map(|path| if path.is_empty() { "body".into() } else { path })
}

pub async fn text_guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.config.json_body_limit);
    let Some(limit) = limit.filter(|_| is_json(&req)) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Ok(req.error_response(ApiError::payload_too_large(limit)));
        }
        body.extend_from_slice(&chunk);
    }
    if let Some(field) = nul_field(&body) {
        let message = format!("{field} must not contain the NUL character");
        return Ok(req.error_response(ApiError::validation(vec![FieldError::new(field, message)])));
    }
    req.set_payload(replay(body.freeze()));
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// The body again, for the extractors downstream.
fn replay(body: Bytes) -> Payload {
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    Payload::Stream {
        payload: Box::pin(stream),
    }
}

#[cfg(test)]
mod tests {
    use super::nul_field;

    #[test]
    fn names_the_field_that_holds_a_nul() {
        let body = br#"{"payment": {"method": "card"}, "extras": ["a", "b\u0000"], "x": 1}"#;
        assert_eq!(nul_field(body).as_deref(), Some("extras[1]"));
        let body = br#"{"details": {"phone": "+225\u0000"}}"#;
        assert_eq!(nul_field(body).as_deref(), Some("details.phone"));
        assert_eq!(nul_field(br#""\u0000""#).as_deref(), Some("body"));
    }

    #[test]
    fn lets_clean_and_malformed_bodies_through() {
        assert_eq!(
            nul_field(br#"{"requirements": "un logo \\u0000 en texte"}"#),
            None
        );
        assert_eq!(nul_field(br#"{"requirements": "un logo"}"#), None);
        assert_eq!(nul_field(br#"{"requirements": "\u0000"#), None);
    }
}
