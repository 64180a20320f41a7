//! docs/events.md: notifications, one per event that concerns the caller.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use krika_kernel::PageRequest;
use krika_messaging::NotificationId;
use uuid::Uuid;

use super::messages::viewer;
use crate::dto::messages::*;
use crate::dto::reply;
use crate::error::{ApiError, ApiResult, ErrorResponse};
use crate::extract::Auth;
use crate::state::AppState;

/// List my notifications
///
/// Newest first; `unread=true` keeps the unread ones.
#[utoipa::path(
    tag = "notifications",
    operation_id = "listNotifications",
    params(NotificationsQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of notifications", body = NotificationListResponse),
        (status = 400, description = "Unparsable query", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 422, description = "`page` or `limit` out of range", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<NotificationsQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::parse(query.page, query.limit, 20).map_err(ApiError::validation)?;
    let unread_only = query.unread.unwrap_or(false);
    let notifications = state
        .messaging
        .notifications(&viewer(&auth), unread_only, page)
        .await?;
    let list = NotificationList::new(notifications, Into::into);
    Ok(reply(StatusCode::OK, NotificationListResponse::from(list)))
}

/// Count what is unread
///
/// For a badge: unread notifications and unread messages.
#[utoipa::path(
    tag = "notifications",
    operation_id = "getUnreadCount",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The counts", body = UnreadCountResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[get("/notifications/unread-count")]
pub async fn get_unread_count(state: web::Data<AppState>, auth: Auth) -> ApiResult<HttpResponse> {
    let counts = state.messaging.unread_counts(&viewer(&auth)).await?;
    Ok(reply(
        StatusCode::OK,
        UnreadCountResponse::from(UnreadCount::from(counts)),
    ))
}

/// Mark a notification read
///
/// Sets `readAt` on one of the caller's notifications (kept if already read). Another
/// user's notification is 404.
#[utoipa::path(
    tag = "notifications",
    operation_id = "markNotificationRead",
    params(("notificationId" = Uuid, Path)),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The notification, read", body = NotificationResponse),
        (status = 400, description = "Unparsable path", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 404, description = "No such notification, or not the caller's", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/notifications/{notificationId}/read")]
pub async fn mark_notification_read(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let notification = state
        .messaging
        .read_notification(&viewer(&auth), NotificationId(path.into_inner()))
        .await?;
    Ok(reply(
        StatusCode::OK,
        NotificationResponse::from(AppNotification::from(notification)),
    ))
}

/// Mark every notification read
///
/// Sets `readAt` on every unread notification of the caller and answers how many changed.
#[utoipa::path(
    tag = "notifications",
    operation_id = "markAllNotificationsRead",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "How many were marked", body = NotificationsReadResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/notifications/read-all")]
pub async fn mark_all_notifications_read(
    state: web::Data<AppState>,
    auth: Auth,
) -> ApiResult<HttpResponse> {
    let marked = state.messaging.read_all(&viewer(&auth)).await?;
    Ok(reply(
        StatusCode::OK,
        NotificationsReadResponse::from(NotificationsRead { marked }),
    ))
}
