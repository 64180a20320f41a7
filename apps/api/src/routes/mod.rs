//! The route tree. One function builds it for the server, the tests and the OpenAPI export,
//! so they cannot disagree.

pub mod admin;
pub mod auth;
pub mod categories;
pub mod docs;
pub mod fallback;
pub mod files;
pub mod health;
pub mod kyc;
mod multipart;
pub mod services;
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
            .service(users::get_user)
            .service(kyc::kyc_step1)
            .service(kyc::kyc_step2)
            .service(kyc::kyc_status)
            .service(categories::list_categories)
            .service(categories::get_category)
            .service(categories::list_category_services)
            .service(services::list_services)
            .service(services::create_service)
            .service(services::get_service)
            .service(services::update_service)
            .service(services::delete_service)
            .service(services::upload_service_images)
            .service(services::delete_service_image)
            .service(admin::admin_list_users)
            .service(admin::suspend_user)
            .service(admin::unsuspend_user)
            .service(admin::admin_list_services)
            .service(admin::approve_service)
            .service(admin::reject_service)
            .service(admin::admin_list_kyc)
            .service(admin::admin_get_kyc)
            .service(admin::approve_kyc)
            .service(admin::reject_kyc)
            .service(admin::create_category)
            .service(admin::update_category)
            .service(admin::delete_category),
    );
}
