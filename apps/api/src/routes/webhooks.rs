//! docs/webhooks.md: admins manage webhook endpoints and read their delivery logs.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use krika_kernel::{Page, PageRequest};
use krika_webhooks::catalogue::EVENT_TYPES;
use krika_webhooks::{Admin, DeliveryId, EndpointChanges, EndpointId};
use uuid::Uuid;

use crate::dto::page::PageQuery;
use crate::dto::reply;
use crate::dto::webhooks::*;
use crate::error::{ApiError, ApiResult, ErrorResponse};
use crate::extract::{Auth, Json};
use crate::state::AppState;

fn admin(auth: &Auth) -> Admin {
    Admin {
        is_admin: auth.0.is_admin(),
    }
}

fn endpoint_reply(status: StatusCode, endpoint: &krika_webhooks::Endpoint) -> HttpResponse {
    reply(
        status,
        WebhookEndpointResponse::from(WebhookEndpoint::from(endpoint)),
    )
}

fn attempt_reply(
    delivery: &krika_webhooks::Delivery,
    attempt: &krika_webhooks::Attempt,
) -> HttpResponse {
    reply(
        StatusCode::OK,
        WebhookAttemptResultResponse::from(WebhookAttemptResult {
            delivery: delivery.into(),
            attempt: attempt.into(),
        }),
    )
}

/// Register a webhook endpoint
///
/// The URL must be `http(s)` and resolve to public addresses only (checked again at every
/// attempt). The answer is the only time the signing `secret` is shown.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "createWebhook",
    request_body = CreateWebhookRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "Registered, with its secret", body = CreatedWebhookResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 422, description = "Invalid `url` (form, or a private address) or `events`", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/admin/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<CreateWebhookRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let url = body.url.unwrap_or_default();
    let events = body.events.unwrap_or_default();
    let endpoint = state.webhooks.create(admin(&auth), &url, &events).await?;
    let created = CreatedWebhook {
        endpoint: WebhookEndpoint::from(&endpoint),
        secret: endpoint.secret.clone(),
    };
    Ok(reply(
        StatusCode::CREATED,
        CreatedWebhookResponse::from(created),
    ))
}

/// List webhook endpoints
///
/// Every registered endpoint with its events, state (`enabled`, `disabledReason`,
/// `failingSince`); secrets are never shown again after creation or rotation.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "listWebhooks",
    params(PageQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of endpoints, newest first", body = WebhookEndpointListResponse),
        (status = 400, description = "Unparsable query", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 422, description = "`page` or `limit` out of range", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[get("/admin/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.request()?;
    let endpoints = state.webhooks.list(admin(&auth), page).await?;
    let list = WebhookEndpointList::new(endpoints, |e| WebhookEndpoint::from(&e));
    Ok(reply(
        StatusCode::OK,
        WebhookEndpointListResponse::from(list),
    ))
}

/// List the webhook event types
///
/// Every event an endpoint can subscribe to, with a line of description; `*` subscribes to
/// all of them. Their payloads are under the document's `webhooks`.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "listWebhookEventTypes",
    params(PageQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The event types", body = WebhookEventTypeListResponse),
        (status = 400, description = "Unparsable query", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 422, description = "`page` or `limit` out of range", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[get("/admin/webhooks/event-types")]
pub async fn list_webhook_event_types(
    auth: Auth,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page: PageRequest = query.request()?;
    if !auth.0.is_admin() {
        return Err(ApiError::forbidden("Admins only"));
    }
    let all: Vec<WebhookEventType> = EVENT_TYPES
        .iter()
        .map(|(name, description)| WebhookEventType {
            name: (*name).into(),
            description: (*description).into(),
        })
        .collect();
    let total = all.len() as u64;
    let items = all
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .collect();
    let list = WebhookEventTypeList::new(
        Page {
            items,
            request: page,
            total,
        },
        |t| t,
    );
    Ok(reply(
        StatusCode::OK,
        WebhookEventTypeListResponse::from(list),
    ))
}

/// Get a webhook endpoint
///
/// One endpoint with its events and state; the secret is not included.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "getWebhook",
    params(("webhookId" = Uuid, Path)),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The endpoint (without its secret)", body = WebhookEndpointResponse),
        (status = 400, description = "Unparsable path", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such endpoint", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[get("/admin/webhooks/{webhookId}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let endpoint = state
        .webhooks
        .get(admin(&auth), EndpointId(path.into_inner()))
        .await?;
    Ok(endpoint_reply(StatusCode::OK, &endpoint))
}

/// Change a webhook endpoint
///
/// Any of `url`, `events`, `enabled`. Turning an endpoint back on clears its failures.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "updateWebhook",
    params(("webhookId" = Uuid, Path)),
    request_body = UpdateWebhookRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The endpoint", body = WebhookEndpointResponse),
        (status = 400, description = "Not JSON, not a JSON object, or an unparsable path", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such endpoint", body = ErrorResponse),
        (status = 422, description = "Invalid `url` or `events`", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[patch("/admin/webhooks/{webhookId}")]
pub async fn update_webhook(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
    body: Json<UpdateWebhookRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let changes = EndpointChanges {
        url: body.url,
        events: body.events,
        enabled: body.enabled,
    };
    let endpoint = state
        .webhooks
        .update(admin(&auth), EndpointId(path.into_inner()), changes)
        .await?;
    Ok(endpoint_reply(StatusCode::OK, &endpoint))
}

/// Delete a webhook endpoint
///
/// With its delivery log; nothing more is sent to it.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "deleteWebhook",
    params(("webhookId" = Uuid, Path)),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Unparsable path", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such endpoint", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[delete("/admin/webhooks/{webhookId}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    state
        .webhooks
        .delete(admin(&auth), EndpointId(path.into_inner()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Send a test event
///
/// Posts `webhook.test` to the endpoint at once and answers with the attempt. A disabled
/// endpoint is sent nothing: enable it first.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "testWebhook",
    params(("webhookId" = Uuid, Path)),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The delivery and the attempt just made (whatever the partner answered)", body = WebhookAttemptResultResponse),
        (status = 400, description = "Unparsable path", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such endpoint", body = ErrorResponse),
        (status = 409, description = "The endpoint is disabled: enable it first", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/admin/webhooks/{webhookId}/test")]
pub async fn test_webhook(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let (delivery, attempt) = state
        .webhooks
        .test(admin(&auth), EndpointId(path.into_inner()))
        .await?;
    Ok(attempt_reply(&delivery, &attempt))
}

/// Rotate a webhook's secret
///
/// A new secret; for 24 h deliveries carry two signatures (new and old, space-separated),
/// so the partner can switch without losing a delivery.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "rotateWebhookSecret",
    params(("webhookId" = Uuid, Path)),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The new secret", body = RotatedSecretResponse),
        (status = 400, description = "Unparsable path", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such endpoint", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/admin/webhooks/{webhookId}/rotate-secret")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let endpoint = state
        .webhooks
        .rotate_secret(admin(&auth), EndpointId(path.into_inner()))
        .await?;
    let rotated = RotatedSecret {
        secret: endpoint.secret.clone(),
        previous_valid_until: endpoint.previous_until.unwrap_or(endpoint.updated_at),
    };
    Ok(reply(StatusCode::OK, RotatedSecretResponse::from(rotated)))
}

/// List a webhook's deliveries
///
/// Newest first, each with its attempts; `status` filters.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "listWebhookDeliveries",
    params(("webhookId" = Uuid, Path), DeliveriesQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of deliveries", body = WebhookDeliveryListResponse),
        (status = 400, description = "Unparsable path or query (an unknown `status`)", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such endpoint", body = ErrorResponse),
        (status = 422, description = "`page` or `limit` out of range", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[get("/admin/webhooks/{webhookId}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
    query: web::Query<DeliveriesQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::parse(query.page, query.limit, 20).map_err(ApiError::validation)?;
    let deliveries = state
        .webhooks
        .deliveries(
            admin(&auth),
            EndpointId(path.into_inner()),
            query.status.map(Into::into),
            page,
        )
        .await?;
    let list = WebhookDeliveryList::new(deliveries, |d| WebhookDelivery::from(&d));
    Ok(reply(
        StatusCode::OK,
        WebhookDeliveryListResponse::from(list),
    ))
}

/// Send a delivery again now
///
/// Sends the delivery again at once, whatever its status, and answers with the attempt just
/// made; the attempt is recorded in its history. The delivery is leased meanwhile, as a
/// worker's claim is, so it is never sent twice at once. A disabled endpoint is sent
/// nothing: enable it first.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "retryWebhookDelivery",
    params(("webhookId" = Uuid, Path), ("deliveryId" = Uuid, Path)),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The delivery and the attempt just made", body = WebhookAttemptResultResponse),
        (status = 400, description = "Unparsable path", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such endpoint or delivery", body = ErrorResponse),
        (status = 409, description = "The endpoint is disabled, or a worker is sending this delivery right now", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/admin/webhooks/{webhookId}/deliveries/{deliveryId}/retry")]
pub async fn retry_webhook_delivery(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (endpoint, delivery) = path.into_inner();
    let (delivery, attempt) = state
        .webhooks
        .retry(admin(&auth), EndpointId(endpoint), DeliveryId(delivery))
        .await?;
    Ok(attempt_reply(&delivery, &attempt))
}
