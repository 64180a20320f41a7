//! docs/orders.md, docs/money.md, the admin side of money: disputes, payouts, platform figures.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use krika_kernel::FieldError;
use krika_ordering::Outcome;
use uuid::Uuid;

use super::orders::order_dto;
use crate::dto::orders::*;
use crate::dto::page::PageQuery;
use crate::dto::reply;
use crate::dto::stats::{StatsDto, StatsResponse};
use crate::dto::wallet::*;
use crate::error::{ApiError, ApiResult, ErrorResponse};
use crate::extract::{Auth, Json, customer, payer};
use crate::idempotency;
use crate::state::AppState;

/// Resolve a dispute
///
/// `release` pays the seller (order `completed`), `refund` returns the money to the
/// buyer's wallet (order `cancelled`). Only disputed orders.
#[utoipa::path(
    tag = "admin",
    operation_id = "resolveDispute",
    params(("orderId" = Uuid, Path)),
    params(crate::idempotency::IdempotencyKey),
    request_body = ResolveDisputeRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The order after the decision", body = OrderResponse),
        (status = 400, description = "Not JSON, not a JSON object, or an unparsable id", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such order", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: the order is not disputed; or `CONFLICT`: the same Idempotency-Key is still being processed", body = crate::dto::orders::OrderConflictResponse),
        (status = 422, description = "Missing outcome; `IDEMPOTENCY_MISMATCH`", body = ErrorResponse),
    )
)]
#[post("/admin/orders/{orderId}/resolve")]
pub async fn resolve_dispute(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Auth,
    path: web::Path<Uuid>,
    body: Json<ResolveDisputeRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let admin = customer(&auth.0);
    if !admin.is_admin {
        return Err(ApiError::forbidden("Admin role required"));
    }
    let outcome = match body.outcome {
        Some(ResolveOutcome::Release) => Outcome::Release,
        Some(ResolveOutcome::Refund) => Outcome::Refund,
        None => {
            return Err(ApiError::validation(vec![FieldError::new(
                "outcome",
                "outcome is required (release or refund)",
            )]));
        }
    };
    let id = path.into_inner();
    idempotency::once(&state, &req, admin.id, &(id, &body), || async {
        let order = state
            .ordering
            .resolve_dispute(&admin, id.into(), outcome, body.note.clone())
            .await?;
        Ok(reply(
            StatusCode::OK,
            OrderResponse::from(order_dto(&state, order).await),
        ))
    })
    .await
}

/// Payouts to process
///
/// Oldest first; `status` filters (all by default).
#[utoipa::path(
    tag = "admin",
    operation_id = "adminListPayouts",
    params(PageQuery, PayoutFilters),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "A page of payouts", body = PayoutListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit", body = ErrorResponse),
    )
)]
#[get("/admin/payouts")]
pub async fn admin_list_payouts(
    state: web::Data<AppState>,
    auth: Auth,
    page: web::Query<PageQuery>,
    filters: web::Query<PayoutFilters>,
) -> ApiResult<HttpResponse> {
    let page = state
        .payments
        .admin_payouts(
            &payer(&auth.0),
            filters.status.map(Into::into),
            page.request()?,
        )
        .await?;
    let list = PayoutList::new(page, PayoutDto::from);
    Ok(reply(StatusCode::OK, PayoutListResponse::from(list)))
}

/// Mark a payout sent
///
/// `pending → processed`; emits `payout.processed`.
#[utoipa::path(
    tag = "admin",
    operation_id = "processPayout",
    params(("payoutId" = Uuid, Path)),
    params(crate::idempotency::IdempotencyKey),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The payout, processed", body = PayoutResponse),
        (status = 400, description = "Unparsable id", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such payout", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: not pending; or `CONFLICT`: the same Idempotency-Key is still being processed", body = ErrorResponse),
        (status = 422, description = "Invalid Idempotency-Key", body = ErrorResponse),
    )
)]
#[post("/admin/payouts/{payoutId}/process")]
pub async fn process_payout(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let admin = payer(&auth.0);
    let id = path.into_inner();
    idempotency::once(&state, &req, admin.id, &id, || async {
        let payout = state.payments.process_payout(&admin, id.into()).await?;
        Ok(reply(
            StatusCode::OK,
            PayoutResponse::from(PayoutDto::from(payout)),
        ))
    })
    .await
}

/// Reject a payout
///
/// `pending → rejected`; the amount returns to the seller's available balance.
#[utoipa::path(
    tag = "admin",
    operation_id = "rejectPayout",
    params(("payoutId" = Uuid, Path)),
    params(crate::idempotency::IdempotencyKey),
    request_body = RejectPayoutRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The payout, rejected", body = PayoutResponse),
        (status = 400, description = "Not JSON, not a JSON object, or an unparsable id", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such payout", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: not pending; or `CONFLICT`: the same Idempotency-Key is still being processed", body = ErrorResponse),
        (status = 422, description = "Missing reason; `IDEMPOTENCY_MISMATCH`", body = ErrorResponse),
    )
)]
#[post("/admin/payouts/{payoutId}/reject")]
pub async fn reject_payout(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Auth,
    path: web::Path<Uuid>,
    body: Json<RejectPayoutRequest>,
) -> ApiResult<HttpResponse> {
    let admin = payer(&auth.0);
    let (id, body) = (path.into_inner(), body.into_inner());
    idempotency::once(&state, &req, admin.id, &(id, &body), || async {
        let payout = state
            .payments
            .reject_payout(&admin, id.into(), body.reason.clone())
            .await?;
        Ok(reply(
            StatusCode::OK,
            PayoutResponse::from(PayoutDto::from(payout)),
        ))
    })
    .await
}

/// Platform figures
///
/// Counts of users by role and status, services by status, orders by status with the gross
/// merchandise value, the commission earned, and the KYC files and payouts waiting for an
/// admin. Amounts are integers in XOF.
#[utoipa::path(
    tag = "admin",
    operation_id = "getAdminStats",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Users, services, orders, revenue, pending work", body = StatsResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
    )
)]
#[get("/admin/stats")]
pub async fn get_admin_stats(state: web::Data<AppState>, auth: Auth) -> ApiResult<HttpResponse> {
    if !auth.0.is_admin() {
        return Err(ApiError::forbidden("Admin role required"));
    }
    let stats = state
        .stats
        .platform_stats()
        .await
        .map_err(|e| ApiError::unexpected(&e))?;
    let dto = StatsDto::new(stats, state.config.platform_currency.to_string());
    Ok(reply(StatusCode::OK, StatsResponse::from(dto)))
}
