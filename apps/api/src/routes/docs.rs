//! The OpenAPI document and Swagger UI (vendored assets: works offline).

use actix_web::{HttpResponse, web};
use utoipa::openapi::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

pub fn swagger(openapi: OpenApi) -> SwaggerUi {
    SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi)
}

/// `/docs` → `/docs/` (the UI is mounted below it).
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/docs/"))
        .finish()
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/docs", web::get().to(docs_redirect));
}
