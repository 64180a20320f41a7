//! the spec, openapi/openapi.json: reviews.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use krika_ordering::ReviewInput;
use uuid::Uuid;

use crate::dto::orders::*;
use crate::dto::page::Pagination;
use crate::dto::reply;
use crate::error::{ApiResult, ErrorResponse};
use crate::extract::{Auth, Json, customer};

use crate::state::AppState;

/// Review an order
///
/// The buyer of a `completed` order, once. Updates the service's and the seller's rating.
#[utoipa::path(
    tag = "reviews",
    operation_id = "createReview",
    request_body = CreateReviewRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The review", body = ReviewResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not the buyer of the order", body = ErrorResponse),
        (status = 404, description = "No such order, or not the caller's", body = ErrorResponse),
        (status = 409, description = "The order already has a review", body = ErrorResponse),
        (status = 422, description = "Invalid fields, or the order is not completed (`orderId`)", body = ErrorResponse),
    )
)]
#[post("/reviews")]
pub async fn create_review(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<CreateReviewRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let criteria = body.criteria.unwrap_or_default();
    let input = ReviewInput {
        order_id: body.order_id.map(Into::into),
        rating: body.rating,
        comment: body.comment,
        communication: criteria.communication,
        quality: criteria.quality,
        delivery: criteria.delivery,
    };
    let review = state
        .ordering
        .create_review(&customer(&auth.0), input)
        .await?;
    Ok(reply(
        StatusCode::CREATED,
        ReviewResponse::from(ReviewDto::from(review)),
    ))
}

/// Answer a review
///
/// The seller of the reviewed order, once.
#[utoipa::path(
    tag = "reviews",
    operation_id = "respondToReview",
    params(("reviewId" = Uuid, Path)),
    request_body = ReviewResponseRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The review with its response", body = ReviewResponse),
        (status = 400, description = "Not JSON, not a JSON object, or an unparsable id", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not the seller", body = ErrorResponse),
        (status = 404, description = "No such review", body = ErrorResponse),
        (status = 409, description = "Already answered", body = ErrorResponse),
        (status = 422, description = "Missing or too long comment", body = ErrorResponse),
    )
)]
#[post("/reviews/{reviewId}/response")]
pub async fn respond_to_review(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
    body: Json<ReviewResponseRequest>,
) -> ApiResult<HttpResponse> {
    let review = state
        .ordering
        .respond_to_review(
            &customer(&auth.0),
            path.into_inner().into(),
            body.into_inner().comment,
        )
        .await?;
    Ok(reply(
        StatusCode::CREATED,
        ReviewResponse::from(ReviewDto::from(review)),
    ))
}

/// `limit` defaults to 10 here.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewPageQuery {
    #[param(minimum = 1, maximum = 2147483647, default = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub limit: Option<i64>,
}

/// A service's reviews
///
/// Newest first, with the summary over all of them (average, criteria, distribution).
#[utoipa::path(
    tag = "reviews",
    operation_id = "listServiceReviews",
    params(("serviceId" = Uuid, Path), ReviewPageQuery),
    security(()),
    responses(
        (status = 200, description = "A page of reviews and the summary", body = ReviewListResponse),
        (status = 400, description = "Unparsable id or query value", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit", body = ErrorResponse),
    )
)]
#[get("/services/{serviceId}/reviews")]
pub async fn list_service_reviews(
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<ReviewPageQuery>,
) -> ApiResult<HttpResponse> {
    let request = krika_kernel::PageRequest::parse(query.page, query.limit, 10)
        .map_err(crate::error::ApiError::validation)?;
    let (page, summary) = state
        .ordering
        .service_reviews(path.into_inner().into(), request)
        .await?;
    let pagination = Pagination::of(&page);
    let list = ReviewList {
        items: page.items.into_iter().map(ReviewDto::from).collect(),
        pagination,
        summary: summary.into(),
    };
    Ok(reply(StatusCode::OK, ReviewListResponse::from(list)))
}
