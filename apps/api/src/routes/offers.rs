//! docs/money.md: offers (TIKONNA's "Offres").

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, put, web};
use uuid::Uuid;

use crate::dto::page::PageQuery;
use crate::dto::reply;
use crate::dto::wallet::*;
use crate::error::{ApiResult, ErrorResponse};
use crate::extract::{Auth, Json, MaybeAuth, payer};
use crate::state::AppState;

fn offer_dto(state: &AppState, offer: krika_payments::Offer) -> OfferDto {
    OfferDto::new(offer, state.clock.now().date_naive())
}

/// Offers
///
/// The offers valid today, ending soonest first. Admins add `all=true` (with their token)
/// to see past and future ones too.
#[utoipa::path(
    tag = "offers",
    operation_id = "listOffers",
    params(PageQuery, OfferFilters),
    security(()),
    responses(
        (status = 200, description = "A page of offers", body = OfferListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 401, description = "A token was sent and is invalid, or `all=true` without one", body = ErrorResponse),
        (status = 403, description = "`all=true` without the admin role", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit", body = ErrorResponse),
    )
)]
#[get("/offers")]
pub async fn list_offers(
    state: web::Data<AppState>,
    auth: MaybeAuth,
    page: web::Query<PageQuery>,
    filters: web::Query<OfferFilters>,
) -> ApiResult<HttpResponse> {
    let caller = auth.0.as_ref().map(payer);
    let all = filters.all.unwrap_or(false);
    if all && caller.is_none() {
        return Err(crate::error::ApiError::unauthorized());
    }
    let page = state
        .payments
        .list_offers(caller.as_ref(), all, page.request()?)
        .await?;
    let list = OfferList::new(page, |o| offer_dto(&state, o));
    Ok(reply(StatusCode::OK, OfferListResponse::from(list)))
}

/// Create an offer
///
/// A platform discount (`discountPercent` 1..90) valid from `startDate` to `endDate`, with
/// an optional promotion `code` that buyers send when ordering.
#[utoipa::path(
    tag = "offers",
    operation_id = "createOffer",
    request_body = OfferRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The offer", body = OfferResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 409, description = "Another offer uses this code", body = ErrorResponse),
        (status = 422, description = "Invalid fields", body = ErrorResponse),
    )
)]
#[post("/offers")]
pub async fn create_offer(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<OfferRequest>,
) -> ApiResult<HttpResponse> {
    let offer = state
        .payments
        .create_offer(&payer(&auth.0), body.into_inner().into())
        .await?;
    Ok(reply(
        StatusCode::CREATED,
        OfferResponse::from(offer_dto(&state, offer)),
    ))
}

/// Replace an offer
///
/// Replaces every field of the offer; the same rules as creation apply.
#[utoipa::path(
    tag = "offers",
    operation_id = "updateOffer",
    params(("offerId" = Uuid, Path)),
    request_body = OfferRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The offer", body = OfferResponse),
        (status = 400, description = "Not JSON, not a JSON object, or an unparsable id", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such offer", body = ErrorResponse),
        (status = 409, description = "Another offer uses this code", body = ErrorResponse),
        (status = 422, description = "Invalid fields", body = ErrorResponse),
    )
)]
#[put("/offers/{offerId}")]
pub async fn update_offer(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
    body: Json<OfferRequest>,
) -> ApiResult<HttpResponse> {
    let offer = state
        .payments
        .update_offer(
            &payer(&auth.0),
            path.into_inner().into(),
            body.into_inner().into(),
        )
        .await?;
    Ok(reply(
        StatusCode::OK,
        OfferResponse::from(offer_dto(&state, offer)),
    ))
}

/// Delete an offer
///
/// Orders that used it keep their discount.
#[utoipa::path(
    tag = "offers",
    operation_id = "deleteOffer",
    params(("offerId" = Uuid, Path)),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Unparsable id", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such offer", body = ErrorResponse),
    )
)]
#[delete("/offers/{offerId}")]
pub async fn delete_offer(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    state
        .payments
        .delete_offer(&payer(&auth.0), path.into_inner().into())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
