//! Requests no route takes: 405 with `Allow` when the path exists under another method
//! (learned from the OpenAPI document), else 404, both in the contract's envelope.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use utoipa::openapi::OpenApi;

use crate::error::{ApiError, ErrorCode};

/// The documented paths as segments (`{param}` matches any one segment), with their methods.
#[derive(Clone, Default)]
pub struct KnownPaths(Arc<Vec<(Vec<String>, Vec<String>)>>);

impl KnownPaths {
    pub fn from_openapi(openapi: &OpenApi) -> Self {
        let paths = openapi
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_matches('/')
                    .split('/')
                    .map(str::to_owned)
                    .collect();
                let methods = serde_json::to_value(item)
                    .ok()
                    .and_then(|v| v.as_object().cloned())
                    .map(|o| {
                        o.keys()
                            .filter(|k| {
                                ["get", "put", "post", "delete", "patch"].contains(&k.as_str())
                            })
                            .map(|k| k.to_uppercase())
                            .collect()
                    })
                    .unwrap_or_default();
                (segments, methods)
            })
            .collect();
        Self(Arc::new(paths))
    }

    /// A path spelled out in full is its own route, not a value of another's parameter.
    fn allowed(&self, path: &str) -> Option<Vec<String>> {
        self.literal(path).or_else(|| self.methods(path, true))
    }

    /// The methods of a documented path spelled out in full, no `{param}` in it
    /// (`/api/v1/admin/webhooks/event-types`).
    pub fn literal(&self, path: &str) -> Option<Vec<String>> {
        self.methods(path, false)
    }

    fn methods(&self, path: &str, params: bool) -> Option<Vec<String>> {
        let wanted: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut methods: Vec<String> = self
            .0
            .iter()
            .filter(|(segments, _)| {
                segments.len() == wanted.len()
                    && segments
                        .iter()
                        .zip(&wanted)
                        .all(|(s, w)| s == w || (params && s.starts_with('{') && !w.is_empty()))
            })
            .flat_map(|(_, m)| m.clone())
            .collect();
        methods.sort();
        methods.dedup();
        (!methods.is_empty()).then_some(methods)
    }
}

pub async fn not_found(req: HttpRequest, known: web::Data<KnownPaths>) -> HttpResponse {
    match known.allowed(req.path()) {
        Some(methods) if !methods.iter().any(|m| m == req.method().as_str()) => {
            method_not_allowed(&req, &methods)
        }
        _ => ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, "No such route")
            .error_response(),
    }
}

/// 405 with `Allow` listing `methods`.
pub fn method_not_allowed(req: &HttpRequest, methods: &[String]) -> HttpResponse {
    let allow = methods.join(", ");
    let mut response = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        format!("Method {} not allowed here; use {allow}", req.method()),
    )
    .error_response();
    if let Ok(value) = allow.parse() {
        response
            .headers_mut()
            .insert(actix_web::http::header::ALLOW, value);
    }
    response
}
