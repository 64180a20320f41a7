//! Builds the actix application: routes, middleware, error rendering, docs.

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, Error, web};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use prometheus::{IntGaugeVec, Opts, Registry};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use crate::config::Config;
use crate::extract::{json_config, path_config, query_config};
use crate::middleware::{
    catch_panic, rate_limit, request_id, security_headers, text_guard, token_refresh,
};
use crate::openapi::{ApiDoc, finish};
use crate::routes::{self, docs, fallback, files};
use crate::state::AppState;

/// The OpenAPI document of the routes below.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    finish(document)
}

/// Metrics shared by every worker: HTTP metrics from actix-web-prom plus our own gauges.
#[derive(Clone)]
pub struct Metrics {
    pub http: PrometheusMetrics,
    pub db_pool: IntGaugeVec,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new();
        let db_pool = IntGaugeVec::new(
            Opts::new(
                "krika_db_pool_connections",
                "PostgreSQL pool connections by state",
            ),
            &["state"],
        )?;
        registry.register(Box::new(db_pool.clone()))?;
        registry.register(Box::new(crate::cache::CACHE_LOOKUPS.clone()))?;
        registry.register(Box::new(crate::outbox::BACKLOG.clone()))?;
        registry.register(Box::new(crate::outbox::OLDEST_AGE.clone()))?;
        registry.register(Box::new(crate::outbox::FAILURES.clone()))?;
        for state in ["max", "open", "idle", "waiting"] {
            db_pool.with_label_values(&[state]).set(0);
        }
        let http = PrometheusMetricsBuilder::new("krika")
            .registry(registry)
            .endpoint("/metrics")
            .mask_unmatched_patterns("UNMATCHED")
            .build()
            .map_err(|e| anyhow::anyhow!("metrics: {e}"))?;
        Ok(Self { http, db_pool })
    }

    /// Copies the pool's occupancy into the gauges.
    pub fn observe(&self, state: &AppState) {
        let status = state.db.status();
        for (label, value) in [
            ("max", status.max_size),
            ("open", status.size),
            ("idle", status.available),
            ("waiting", status.waiting),
        ] {
            self.db_pool.with_label_values(&[label]).set(value as i64);
        }
    }

    /// Everything `observe` copies, plus the outbox backlog (one query).
    pub async fn observe_all(&self, state: &AppState) {
        self.observe(state);
        crate::outbox::observe(&state.dispatcher, state.clock.now()).await;
    }
}

fn cors(config: &Config) -> Cors {
    let mut cors = Cors::default()
        .allow_any_method()
        .allow_any_header()
        .expose_headers([
            "x-request-id",
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
            "retry-after",
            "x-token-refresh-required",
            "idempotent-replayed",
        ])
        .max_age(3600);
    for origin in &config.cors_origins {
        cors = if origin == "*" {
            cors.allow_any_origin()
        } else {
            cors.allowed_origin(origin)
        };
    }
    cors
}

pub fn build(
    state: AppState,
    metrics: Metrics,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let (app, document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    let document = finish(document);
    let known_paths = fallback::KnownPaths::from_openapi(&document);
    let config = state.config.clone();
    app.app_data(web::Data::new(state))
        .app_data(web::Data::new(known_paths))
        .app_data(json_config(config.json_body_limit))
        .app_data(web::PayloadConfig::new(config.json_body_limit))
        .app_data(path_config())
        .app_data(query_config())
        .service(docs::swagger(document))
        .configure(docs::configure)
        .route("/files/signed/{key:.*}", web::get().to(files::signed_file))
        .route("/files/{key:.*}", web::get().to(files::public_file))
        .default_service(web::to(fallback::not_found))
        .wrap(from_fn(text_guard::text_guard))
        .wrap(from_fn(token_refresh::token_refresh))
        .wrap(from_fn(rate_limit::rate_limit))
        .wrap(from_fn(catch_panic::catch_panic))
        .wrap(from_fn(request_id::request_id))
        .wrap(from_fn(security_headers::security_headers))
        .wrap(cors(&config))
        .wrap(metrics.http)
        // Outermost: the metrics middleware answers /metrics itself, replacing the inner
        // response's body; compressing inside it left a gzip header on plain text.
        .wrap(Compress::default())
}
