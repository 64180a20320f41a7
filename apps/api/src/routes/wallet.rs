//! docs/money.md: the caller's wallet, statement and payouts.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use krika_payments::PayoutInput;

use crate::dto::page::PageQuery;
use crate::dto::reply;
use crate::dto::wallet::*;
use crate::error::{ApiResult, ErrorResponse};
use crate::extract::{Auth, Json, payer};
use crate::idempotency;
use crate::state::AppState;

/// My wallet
///
/// Balances in XOF: `available` (can be paid out), `pending` (the seller's share of paid
/// orders not yet completed) and `totalEarned`, read from the ledger.
#[utoipa::path(
    tag = "wallet",
    operation_id = "getWallet",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Balances", body = WalletResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
    )
)]
#[get("/wallet")]
pub async fn get_wallet(state: web::Data<AppState>, auth: Auth) -> ApiResult<HttpResponse> {
    let wallet = state.payments.wallet(auth.0.user.id).await?;
    let dto = WalletDto {
        available: wallet.available.minor(),
        pending: wallet.pending.minor(),
        total_earned: wallet.total_earned.minor(),
        currency: wallet.available.currency().to_string(),
    };
    Ok(reply(StatusCode::OK, WalletResponse::from(dto)))
}

/// My wallet's transactions
///
/// Every entry of the wallet, newest first, with the balance after it.
#[utoipa::path(
    tag = "wallet",
    operation_id = "listWalletTransactions",
    params(PageQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "A page of entries", body = TransactionListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit", body = ErrorResponse),
    )
)]
#[get("/wallet/transactions")]
pub async fn list_wallet_transactions(
    state: web::Data<AppState>,
    auth: Auth,
    page: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = state
        .payments
        .wallet_entries(auth.0.user.id, page.request()?)
        .await?;
    let list = TransactionList::new(page, TransactionDto::from);
    Ok(reply(StatusCode::OK, TransactionListResponse::from(list)))
}

/// Request a payout
///
/// Sellers with an approved KYC. The amount (at least `MIN_PAYOUT`) leaves `available` at
/// once and waits for an admin. Send an `Idempotency-Key` header to make retries safe.
#[utoipa::path(
    tag = "wallet",
    operation_id = "requestPayout",
    request_body = CreatePayoutRequest,
    params(crate::idempotency::IdempotencyKey),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The payout, pending", body = PayoutResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not a seller with an approved KYC", body = ErrorResponse),
        (status = 409, description = "The same Idempotency-Key is still being processed", body = ErrorResponse),
        (status = 422, description = "Invalid fields (`details.phone`…); `INSUFFICIENT_FUNDS`; `IDEMPOTENCY_MISMATCH`", body = ErrorResponse),
    )
)]
#[post("/wallet/payout")]
pub async fn request_payout(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Auth,
    body: Json<CreatePayoutRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let payer = payer(&auth.0);
    idempotency::once(&state, &req, payer.id, &body, || async {
        let details = body.details.as_ref();
        let text = |v: Option<&String>| v.cloned();
        let input = PayoutInput {
            amount: body.amount,
            method: body.method.map(Into::into),
            account_number: text(details.and_then(|d| d.account_number.as_ref())),
            bank_name: text(details.and_then(|d| d.bank_name.as_ref())),
            account_name: text(details.and_then(|d| d.account_name.as_ref())),
            provider: details.and_then(|d| d.provider).map(Into::into),
            phone: text(details.and_then(|d| d.phone.as_ref())),
            request_key: idempotency::key(&req),
        };
        let payout = state.payments.request_payout(&payer, input).await?;
        Ok(reply(
            StatusCode::CREATED,
            PayoutResponse::from(PayoutDto::from(payout)),
        ))
    })
    .await
}

/// My payouts
///
/// Newest first.
#[utoipa::path(
    tag = "wallet",
    operation_id = "listMyPayouts",
    params(PageQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "A page of payouts", body = PayoutListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit", body = ErrorResponse),
    )
)]
#[get("/wallet/payouts")]
pub async fn list_my_payouts(
    state: web::Data<AppState>,
    auth: Auth,
    page: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = state
        .payments
        .my_payouts(&payer(&auth.0), page.request()?)
        .await?;
    let list = PayoutList::new(page, PayoutDto::from);
    Ok(reply(StatusCode::OK, PayoutListResponse::from(list)))
}
