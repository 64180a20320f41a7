//! docs/envelope.md: liveness and readiness.

use actix_web::{HttpResponse, get, web};

use crate::dto::health::{DependencyCheck, Health, Readiness};
use crate::state::{AppState, READY_TIMEOUT};

/// Liveness
///
/// `{"status": "ok"}` while the process runs (no envelope: load balancers read it).
#[utoipa::path(
    tag = "health",
    operation_id = "getHealth",
    security(()),
    responses(
        (status = 200, description = "The process runs", body = Health),
        (status = 400, description = crate::openapi::UNREADABLE_REQUEST),
    )
)]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
    })
}

async fn check<E: std::fmt::Display>(
    name: &str,
    probe: impl Future<Output = Result<(), E>>,
) -> DependencyCheck {
    let error = match tokio::time::timeout(READY_TIMEOUT, probe).await {
        Ok(Ok(())) => None,
        Ok(Err(error)) => Some(error.to_string()),
        Err(_) => Some(format!("no answer within {} s", READY_TIMEOUT.as_secs())),
    };
    if let Some(error) = &error {
        tracing::warn!(dependency = name, %error, "not ready");
    }
    DependencyCheck {
        name: name.into(),
        ok: error.is_none(),
        error,
    }
}

/// Readiness
///
/// 200 when PostgreSQL, Redis and object storage answer; 503 naming the one that does not.
#[utoipa::path(
    tag = "health",
    operation_id = "getReadiness",
    security(()),
    responses(
        (status = 200, description = "Every backing service answers", body = Readiness),
        (status = 503, description = "At least one backing service does not answer", body = Readiness),
        (status = 400, description = crate::openapi::UNREADABLE_REQUEST),
    )
)]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let (postgres, redis, storage) = tokio::join!(
        check("postgres", state.db.ping()),
        check("redis", state.redis.ping()),
        check("storage", state.blobs.ping()),
    );
    let checks = vec![postgres, redis, storage];
    let ok = checks.iter().all(|c| c.ok);
    let body = Readiness {
        status: if ok { "ready" } else { "unavailable" }.into(),
        checks,
    };
    if ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
