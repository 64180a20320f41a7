//! Rate limits of docs/envelope.md, counted in Redis so every instance shares them: per user
//! when the request carries a valid token, per client IP otherwise (behind a trusted proxy,
//! the forwarded one: `client_ip`).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use krika_kernel::ports::RateDecision;

use crate::error::ApiError;
use crate::extract::bearer_token;
use crate::state::AppState;

/// Which limit a request counts against, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Auth,
    Upload,
    Default,
}

impl Bucket {
    pub fn of(method: &Method, path: &str) -> Option<Self> {
        let api = path.strip_prefix("/api/v1/")?;
        if api.starts_with("auth/") {
            Some(Self::Auth)
        } else if (method == Method::POST && is_upload(api))
            || (method == Method::PUT && api.starts_with("blog/"))
        {
            Some(Self::Upload)
        } else {
            Some(Self::Default)
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::Upload => "upload",
            Self::Default => "default",
        }
    }

    fn limit(self, state: &AppState) -> u32 {
        match self {
            Self::Auth => state.config.rate_limit_auth_per_min,
            Self::Upload => state.config.rate_limit_upload_per_min,
            Self::Default => state.config.rate_limit_default_per_min,
        }
    }
}

/// Endpoints that take files.
fn is_upload(api_path: &str) -> bool {
    api_path == "users/me/avatar"
        || api_path == "blog"
        || api_path == "seller/kyc/step2"
        || api_path == "messages/files"
        || (api_path.starts_with("services/") && api_path.ends_with("/images"))
}

fn set_headers(headers: &mut HeaderMap, decision: &RateDecision) {
    let pairs = [
        ("x-ratelimit-limit", u64::from(decision.limit)),
        ("x-ratelimit-remaining", u64::from(decision.remaining)),
        (
            "x-ratelimit-reset",
            decision.reset_at.timestamp().max(0) as u64,
        ),
    ];
    for (name, value) in pairs {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
}

pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let bucket = Bucket::of(req.method(), req.path());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(bucket), Some(state)) = (bucket, state) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let subject =
        match bearer_token(req.request()).and_then(|t| state.identity.ports().tokens.decode(t)) {
            Some(claims) => format!("user:{}", claims.user_id),
            None => {
                let forwarded = req
                    .headers()
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok());
                let client = state
                    .config
                    .trusted_proxies
                    .client(req.peer_addr().map(|a| a.ip()), forwarded);
                format!(
                    "ip:{}",
                    client.map_or_else(|| "unknown".into(), |ip| ip.to_string())
                )
            }
        };
    let now = state.clock.now();
    let decision = match state
        .limiter
        .hit(bucket.name(), &subject, bucket.limit(&state), now)
        .await
    {
        Ok(decision) => decision,
        Err(error) => {
            // Losing Redis must not take the API down: serve unlimited and say so in the logs.
            tracing::warn!(%error, "rate limiter unavailable; request not counted");
            return next
                .call(req)
                .await
                .map(ServiceResponse::map_into_boxed_body);
        }
    };
    let mut response = if decision.allowed {
        next.call(req).await?.map_into_boxed_body()
    } else {
        let retry_after = (decision.reset_at - now).num_seconds().max(1) as u64;
        req.error_response(ApiError::rate_limited(retry_after))
    };
    set_headers(response.headers_mut(), &decision);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets() {
        assert_eq!(
            Bucket::of(&Method::POST, "/api/v1/auth/login"),
            Some(Bucket::Auth)
        );
        assert_eq!(
            Bucket::of(&Method::POST, "/api/v1/users/me/avatar"),
            Some(Bucket::Upload)
        );
        // Blog posts may carry a cover image, on creation and edit.
        assert_eq!(
            Bucket::of(&Method::POST, "/api/v1/blog"),
            Some(Bucket::Upload)
        );
        assert_eq!(
            Bucket::of(&Method::PUT, "/api/v1/blog/nouveau-projet"),
            Some(Bucket::Upload)
        );
        assert_eq!(
            Bucket::of(&Method::GET, "/api/v1/blog"),
            Some(Bucket::Default)
        );
        assert_eq!(
            Bucket::of(&Method::GET, "/api/v1/users/me"),
            Some(Bucket::Default)
        );
        assert_eq!(Bucket::of(&Method::GET, "/health"), None);
        assert_eq!(Bucket::of(&Method::GET, "/docs/"), None);
    }
}
