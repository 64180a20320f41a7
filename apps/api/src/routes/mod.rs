//! The route tree. One function builds it for the server, the tests and the OpenAPI export,
//! so they cannot disagree.

pub mod auth;
pub mod docs;
pub mod fallback;
pub mod files;
pub mod health;
mod multipart;
pub mod users;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Every documented operation.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health).service(health::ready).service(
        scope::scope("/api/v1")
            .service(auth::register)
            .service(auth::login)
            .service(auth::refresh)
            .service(auth::logout)
            .service(auth::forgot_password)
            .service(auth::reset_password)
            .service(users::get_me)
            .service(users::update_me)
            .service(users::delete_me)
            .service(users::upload_avatar)
            .service(users::get_user),
    );
}
