//! The route tree. One function builds it for the server, the tests and the OpenAPI export,
//! so they cannot disagree.

pub mod admin;
pub mod admin_money;
pub mod auth;
pub mod blog;
pub mod categories;
pub mod docs;
pub mod fallback;
pub mod files;
pub mod health;
pub mod kyc;
pub mod messages;
mod multipart;
pub mod notifications;
pub mod offers;
pub mod orders;
pub mod reviews;
pub mod services;
pub mod users;
pub mod wallet;
pub mod webhooks;
pub mod ws;

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
            .service(reviews::list_service_reviews)
            .service(orders::create_order)
            .service(orders::list_purchases)
            .service(orders::list_sales)
            .service(orders::get_order)
            .service(orders::update_order_status)
            .service(orders::deliver_order)
            .service(reviews::create_review)
            .service(reviews::respond_to_review)
            .service(wallet::get_wallet)
            .service(wallet::list_wallet_transactions)
            .service(wallet::request_payout)
            .service(wallet::list_my_payouts)
            .service(messages::list_conversations)
            .service(messages::list_conversation_messages)
            .service(messages::send_message)
            .service(messages::send_message_file)
            .service(messages::mark_conversation_read)
            .service(notifications::list_notifications)
            .service(notifications::get_unread_count)
            .service(notifications::mark_all_notifications_read)
            .service(notifications::mark_notification_read)
            .service(webhooks::create_webhook)
            .service(webhooks::list_webhooks)
            .service(webhooks::list_webhook_event_types)
            .service(webhooks::get_webhook)
            .service(webhooks::update_webhook)
            .service(webhooks::delete_webhook)
            .service(webhooks::test_webhook)
            .service(webhooks::rotate_webhook_secret)
            .service(webhooks::list_webhook_deliveries)
            .service(webhooks::retry_webhook_delivery)
            .service(offers::list_offers)
            .service(offers::create_offer)
            .service(offers::update_offer)
            .service(offers::delete_offer)
            .service(blog::list_blog_posts)
            .service(blog::create_blog_post)
            .service(blog::get_blog_post)
            .service(blog::update_blog_post)
            .service(blog::delete_blog_post)
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
            .service(admin::delete_category)
            .service(admin_money::resolve_dispute)
            .service(admin_money::admin_list_payouts)
            .service(admin_money::process_payout)
            .service(admin_money::reject_payout)
            .service(admin_money::get_admin_stats)
            .service(ws::open_realtime_socket),
    );
}
