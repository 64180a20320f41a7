//! docs/orders.md: orders.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use krika_ordering::ports::Side;
use std::sync::Arc;

use krika_ordering::{CheckoutInput, Order, Receipt, Upload};
use uuid::Uuid;

use super::multipart::read_form;
use crate::dto::orders::*;
use crate::dto::page::PageQuery;
use crate::dto::reply;
use crate::error::{ApiResult, ErrorResponse};
use crate::extract::{Auth, Json, customer};
use crate::idempotency;
use crate::state::{AppState, DELIVERY_FILE_MAX_BYTES};

/// Files are served with their declared type only when it cannot run in a browser.
fn safe_content_type(declared: &str) -> String {
    const SAFE: &[&str] = &[
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "application/pdf",
        "application/zip",
        "text/plain",
        "video/mp4",
        "audio/mpeg",
    ];
    if SAFE.contains(&declared) {
        declared.into()
    } else {
        "application/octet-stream".into()
    }
}

/// An order as the contract shows it, with signed links to delivered files.
pub async fn order_dto(state: &AppState, order: Order) -> OrderDto {
    let mut links = std::collections::HashMap::new();
    for file in order.deliveries.iter().flat_map(|d| &d.files) {
        match state.ordering.file_link(&file.key).await {
            Ok(url) => {
                links.insert(file.key.clone(), url);
            }
            Err(error) => tracing::warn!(%error, key = file.key, "could not sign a delivery link"),
        }
    }
    OrderDto::new(order, &|key| links.get(key).cloned().unwrap_or_default())
}

async fn order_reply(state: &AppState, status: StatusCode, order: Order) -> HttpResponse {
    reply(status, OrderResponse::from(order_dto(state, order).await))
}

/// Place an order
///
/// Pays the package (and extras) by card through the payment gateway, or from the wallet,
/// and holds the money in escrow; the order starts `pending`. Send an `Idempotency-Key`
/// header: a retry with the same key and body returns the same order and never charges
/// twice. Not on one's own service, nor on a service that is not approved.
#[utoipa::path(
    tag = "orders",
    operation_id = "createOrder",
    request_body = CreateOrderRequest,
    params(crate::idempotency::IdempotencyKey),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "Paid and pending", body = OrderResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "One's own service", body = ErrorResponse),
        (status = 409, description = "The same Idempotency-Key is still being processed", body = ErrorResponse),
        (status = 422, description = "Invalid fields; `INSUFFICIENT_FUNDS` (card declined, wallet short); `IDEMPOTENCY_MISMATCH`", body = ErrorResponse),
        (status = 503, description = "The payment provider failed and nothing was charged; or the database went away after the card was charged: the message says so, and a retry with the same Idempotency-Key after `Retry-After` completes the order with that charge", body = ErrorResponse),
    )
)]
#[post("/orders")]
pub async fn create_order(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Auth,
    body: Json<CreateOrderRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let buyer = customer(&auth.0);
    idempotency::once_storing(&state, &req, buyer.id, &body, |claim| async {
        let payment = body.payment.as_ref();
        let input = CheckoutInput {
            service_id: body.service_id.map(Into::into),
            package_id: body.package_id.map(Into::into),
            extras: body.extras.iter().copied().map(Into::into).collect(),
            requirements: body.requirements.clone(),
            offer_code: body.offer_code.clone(),
            payment_method: payment.and_then(|p| p.method).map(Into::into),
            card_token: payment.and_then(|p| p.token.clone()),
            request_key: idempotency::key(&req),
        };
        // The answer a retry replays is stored with the order, in its transaction.
        let receipt = claim.map(|claim| Receipt {
            scope: claim.scope,
            key: claim.key,
            attempt: claim.attempt,
            render: Arc::new(|order: &Order| (201, created_body(order))),
        });
        let (order, answer) = state
            .ordering
            .place_order_answering(&buyer, input, receipt)
            .await?;
        Ok(match answer {
            // What was stored is what is sent: rendered once.
            Some(answer) => (
                HttpResponse::build(StatusCode::CREATED)
                    .content_type("application/json")
                    .body(answer.body),
                true,
            ),
            None => (order_reply(&state, StatusCode::CREATED, order).await, false),
        })
    })
    .await
}

/// What `order_reply` sends for a new order (no deliveries, so no links to sign).
fn created_body(order: &Order) -> Vec<u8> {
    let dto = OrderDto::new(order.clone(), &|_| String::new());
    serde_json::to_vec(&OrderResponse::from(dto)).unwrap_or_default()
}

async fn list_side(
    state: &AppState,
    auth: &Auth,
    side: Side,
    page: &PageQuery,
    filters: &OrderFilters,
) -> ApiResult<HttpResponse> {
    let page = state
        .ordering
        .list_orders(
            &customer(&auth.0),
            side,
            filters.status.map(Into::into),
            page.request()?,
        )
        .await?;
    let pagination = crate::dto::page::Pagination::of(&page);
    let mut items = Vec::with_capacity(page.items.len());
    for order in page.items {
        items.push(order_dto(state, order).await);
    }
    Ok(reply(
        StatusCode::OK,
        OrderListResponse::from(OrderList { items, pagination }),
    ))
}

/// My purchases
///
/// Orders where the caller is the buyer, newest first.
#[utoipa::path(
    tag = "orders",
    operation_id = "listPurchases",
    params(PageQuery, OrderFilters),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "A page of orders", body = OrderListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit", body = ErrorResponse),
    )
)]
#[get("/orders/purchases")]
pub async fn list_purchases(
    state: web::Data<AppState>,
    auth: Auth,
    page: web::Query<PageQuery>,
    filters: web::Query<OrderFilters>,
) -> ApiResult<HttpResponse> {
    list_side(&state, &auth, Side::Purchases, &page, &filters).await
}

/// My sales
///
/// Orders where the caller is the seller, newest first.
#[utoipa::path(
    tag = "orders",
    operation_id = "listSales",
    params(PageQuery, OrderFilters),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "A page of orders", body = OrderListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit", body = ErrorResponse),
    )
)]
#[get("/orders/sales")]
pub async fn list_sales(
    state: web::Data<AppState>,
    auth: Auth,
    page: web::Query<PageQuery>,
    filters: web::Query<OrderFilters>,
) -> ApiResult<HttpResponse> {
    list_side(&state, &auth, Side::Sales, &page, &filters).await
}

/// One order
///
/// The buyer, the seller and admins; anyone else gets 404.
#[utoipa::path(
    tag = "orders",
    operation_id = "getOrder",
    params(("orderId" = Uuid, Path)),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The order", body = OrderResponse),
        (status = 400, description = "Unparsable id", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 404, description = "No such order, or not the caller's", body = ErrorResponse),
    )
)]
#[get("/orders/{orderId}")]
pub async fn get_order(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let (order, _) = state
        .ordering
        .order(&customer(&auth.0), path.into_inner().into())
        .await?;
    Ok(order_reply(&state, StatusCode::OK, order).await)
}

/// Change an order's status
///
/// The transition table: `pending → in_progress` (seller; `dueAt` = now + `deliveryDays`),
/// `pending → cancelled` (either), `delivered → in_progress` (buyer's revision request, needs
/// `reason`, while revisions are left; `dueAt` = now + `deliveryDays` again),
/// `delivered → completed` (buyer; releases escrow to the seller minus commission),
/// `in_progress|delivered → disputed` (either, needs `reason`), `in_progress → cancelled`
/// (seller). Cancelling refunds the buyer's wallet. Delivering goes through
/// `POST /orders/{orderId}/deliver`, resolving disputes through the admin endpoint.
#[utoipa::path(
    tag = "orders",
    operation_id = "updateOrderStatus",
    params(("orderId" = Uuid, Path)),
    request_body = UpdateOrderStatusRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The order after the change", body = OrderResponse),
        (status = 400, description = "Not JSON, not a JSON object, or an unparsable id", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "The change belongs to the other party", body = ErrorResponse),
        (status = 404, description = "No such order, or not the caller's", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: `allowedStatuses` lists the statuses the caller may reach", body = crate::dto::orders::OrderConflictResponse),
        (status = 422, description = "Missing status or reason", body = ErrorResponse),
    )
)]
#[put("/orders/{orderId}/status")]
pub async fn update_order_status(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
    body: Json<UpdateOrderStatusRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let status = body.status.ok_or_else(|| {
        crate::error::ApiError::validation(vec![krika_kernel::FieldError::new(
            "status",
            "status is required",
        )])
    })?;
    let order = state
        .ordering
        .change_status(
            &customer(&auth.0),
            path.into_inner().into(),
            status.into(),
            body.reason,
        )
        .await?;
    Ok(order_reply(&state, StatusCode::OK, order).await)
}

/// Deliver an order
///
/// The seller, on an order `in_progress`. Multipart: `message` (1..5000 characters) and
/// 0 to 5 `files` of at most 25 MB each, kept private and linked from the order with
/// signed URLs.
#[utoipa::path(
    tag = "orders",
    operation_id = "deliverOrder",
    params(("orderId" = Uuid, Path)),
    request_body(content = DeliverOrderForm, content_type = "multipart/form-data"),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The order, `delivered`", body = OrderResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not the seller", body = ErrorResponse),
        (status = 404, description = "No such order, or not the caller's", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: not in progress", body = crate::dto::orders::OrderConflictResponse),
        (status = 413, description = "A file over 25 MB", body = ErrorResponse),
        (status = 422, description = "Missing message, or more than 5 files", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/orders/{orderId}/deliver")]
pub async fn deliver_order(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
    multipart: Multipart,
) -> ApiResult<HttpResponse> {
    let max_files = state.ordering.config().delivery_files_max;
    let mut form = read_form(multipart, DELIVERY_FILE_MAX_BYTES, max_files)
        .await?
        .only(&["message", "files"])?;
    let files = form
        .take_parts("files")
        .into_iter()
        .map(|part| Upload {
            name: part.file_name,
            content_type: safe_content_type(&part.content_type),
            bytes: part.bytes,
        })
        .collect();
    let order = state
        .ordering
        .deliver(
            &customer(&auth.0),
            path.into_inner().into(),
            form.text("message"),
            files,
        )
        .await?;
    Ok(order_reply(&state, StatusCode::OK, order).await)
}
