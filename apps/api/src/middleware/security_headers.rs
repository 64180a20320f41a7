//! Headers that keep browsers from misusing what the API answers (OWASP API8, security
//! misconfiguration): no type sniffing, no framing, no referrer leaking tokens from URLs,
//! no script in API answers, no shared cache keeping a signed-in caller's data, and HSTS
//! in production (behind TLS). Set only where a handler did not choose otherwise.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_SECURITY_POLICY, HeaderMap, HeaderName, HeaderValue,
    REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use actix_web::middleware::Next;
use actix_web::{Error, web};

use crate::state::AppState;

/// A year, subdomains included: the platform serves nothing over plain HTTP.
const HSTS: &str = "max-age=31536000; includeSubDomains";
/// API answers are data: nothing in them may load or run.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

fn set_default(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !headers.contains_key(&name) {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let production = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.config.production);
    let api = req.path().starts_with("/api/");
    let signed_in = req.headers().contains_key(AUTHORIZATION);
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    set_default(headers, X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(headers, X_FRAME_OPTIONS, "DENY");
    set_default(headers, REFERRER_POLICY, "no-referrer");
    if api {
        set_default(headers, CONTENT_SECURITY_POLICY, API_CSP);
    }
    if signed_in {
        set_default(headers, CACHE_CONTROL, "private, no-store");
    }
    if production {
        set_default(headers, STRICT_TRANSPORT_SECURITY, HSTS);
    }
    Ok(res)
}
