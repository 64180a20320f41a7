//! the spec, openapi/openapi.json: administration (admins only; everyone else gets 403).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, put, web};
use krika_identity::ports::UserFilter;
use krika_identity::{KycDecision, User};
use uuid::Uuid;

use super::services::service_dto;
use crate::dto::admin::*;
use crate::dto::catalog::*;
use crate::dto::kyc::*;
use crate::dto::page::PageQuery;
use crate::dto::reply;
use crate::dto::users::{UserDto, UserResponse};
use crate::error::{ApiResult, ErrorResponse};
use crate::extract::{Auth, Json, actor};
use crate::state::AppState;

fn user_dto(state: &AppState, user: User) -> UserDto {
    let avatar = state.identity.avatar_url(&user);
    UserDto::new(user, avatar)
}

/// List users
///
/// Newest first; filter by role and status, search email, username and name.
#[utoipa::path(
    tag = "admin",
    operation_id = "adminListUsers",
    params(PageQuery, UserFilters),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "A page of users", body = UserListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit", body = ErrorResponse),
    )
)]
#[get("/admin/users")]
pub async fn admin_list_users(
    state: web::Data<AppState>,
    auth: Auth,
    page: web::Query<PageQuery>,
    filters: web::Query<UserFilters>,
) -> ApiResult<HttpResponse> {
    let filters = filters.into_inner();
    let filter = UserFilter {
        role: filters.role.map(Into::into),
        status: filters.status.map(Into::into),
        search: filters.search,
    };
    let users = state
        .identity
        .list_users(&auth.0, filter, page.request()?)
        .await?;
    let list = UserList::new(users, |u| user_dto(&state, u));
    Ok(reply(StatusCode::OK, UserListResponse::from(list)))
}

/// Suspend a user
///
/// Ends every session at once; the user's tokens get `ACCOUNT_SUSPENDED`.
#[utoipa::path(
    tag = "admin",
    operation_id = "suspendUser",
    params(("userId" = Uuid, Path, description = "The user's id")),
    request_body = ReasonRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The suspended user", body = UserResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin, or suspending oneself", body = ErrorResponse),
        (status = 404, description = "No such user", body = ErrorResponse),
        (status = 422, description = "Missing reason", body = ErrorResponse),
    )
)]
#[post("/admin/users/{userId}/suspend")]
pub async fn suspend_user(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
    body: Json<ReasonRequest>,
) -> ApiResult<HttpResponse> {
    let user = state
        .identity
        .suspend_user(&auth.0, path.into_inner().into(), &body.reason)
        .await?;
    Ok(reply(
        StatusCode::OK,
        UserResponse::from(user_dto(&state, user)),
    ))
}

/// Lift a suspension
///
/// Sets a suspended user back to `active`; they can log in again. Their earlier sessions
/// stay ended.
#[utoipa::path(
    tag = "admin",
    operation_id = "unsuspendUser",
    params(("userId" = Uuid, Path, description = "The user's id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The active user", body = UserResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such user", body = ErrorResponse),
    )
)]
#[post("/admin/users/{userId}/unsuspend")]
pub async fn unsuspend_user(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let user = state
        .identity
        .unsuspend_user(&auth.0, path.into_inner().into())
        .await?;
    Ok(reply(
        StatusCode::OK,
        UserResponse::from(user_dto(&state, user)),
    ))
}

/// Service moderation queue
///
/// Services in `status` (default `pending_review`), oldest submission first.
#[utoipa::path(
    tag = "admin",
    operation_id = "adminListServices",
    params(PageQuery, ModerationFilters),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "A page of services", body = ServiceListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit", body = ErrorResponse),
    )
)]
#[get("/admin/services")]
pub async fn admin_list_services(
    state: web::Data<AppState>,
    auth: Auth,
    page: web::Query<PageQuery>,
    filters: web::Query<ModerationFilters>,
) -> ApiResult<HttpResponse> {
    let services = state
        .catalog
        .moderation_queue(
            &actor(&auth.0),
            filters.status.map(Into::into),
            page.request()?,
        )
        .await?;
    let list = ServiceList::new(services, |s| service_dto(&state, s));
    Ok(reply(StatusCode::OK, ServiceListResponse::from(list)))
}

/// Approve a service
///
/// Only a service pending review; it goes public at once.
#[utoipa::path(
    tag = "admin",
    operation_id = "approveService",
    params(("serviceId" = String, Path, description = "Id or slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The approved service", body = ServiceResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such service", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: not pending review", body = ErrorResponse),
    )
)]
#[post("/admin/services/{serviceId}/approve")]
pub async fn approve_service(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let service = state
        .catalog
        .approve_service(&actor(&auth.0), &path)
        .await?;
    Ok(reply(
        StatusCode::OK,
        ServiceResponse::from(service_dto(&state, service)),
    ))
}

/// Reject a service
///
/// Sets the service to `rejected` with the reason shown to its seller (`rejectionReason`);
/// the seller is notified and may edit and resubmit it.
#[utoipa::path(
    tag = "admin",
    operation_id = "rejectService",
    params(("serviceId" = String, Path, description = "Id or slug")),
    request_body = ReasonRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The rejected service, with its reason", body = ServiceResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such service", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: not pending review", body = ErrorResponse),
        (status = 422, description = "Missing reason", body = ErrorResponse),
    )
)]
#[post("/admin/services/{serviceId}/reject")]
pub async fn reject_service(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    body: Json<ReasonRequest>,
) -> ApiResult<HttpResponse> {
    let service = state
        .catalog
        .reject_service(&actor(&auth.0), &path, &body.reason)
        .await?;
    Ok(reply(
        StatusCode::OK,
        ServiceResponse::from(service_dto(&state, service)),
    ))
}

/// KYC review queue
///
/// Files in `status` (default `pending_review`), oldest submission first.
#[utoipa::path(
    tag = "admin",
    operation_id = "adminListKyc",
    params(PageQuery, KycFilters),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "A page of KYC files", body = KycQueueResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit", body = ErrorResponse),
    )
)]
#[get("/admin/kyc")]
pub async fn admin_list_kyc(
    state: web::Data<AppState>,
    auth: Auth,
    page: web::Query<PageQuery>,
    filters: web::Query<KycFilters>,
) -> ApiResult<HttpResponse> {
    let files = state
        .identity
        .kyc_queue(&auth.0, filters.status.map(Into::into), page.request()?)
        .await?;
    let list = KycQueue::new(files, |item| KycQueueItem::from(&item));
    Ok(reply(StatusCode::OK, KycQueueResponse::from(list)))
}

/// One KYC file
///
/// With links to the documents that expire after `documentUrlsExpireIn` seconds.
#[utoipa::path(
    tag = "admin",
    operation_id = "adminGetKyc",
    params(("userId" = Uuid, Path, description = "The user's id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The file", body = KycDetailResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such user, or KYC not started", body = ErrorResponse),
    )
)]
#[get("/admin/kyc/{userId}")]
pub async fn admin_get_kyc(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let review = state
        .identity
        .kyc_review(&auth.0, path.into_inner().into())
        .await?;
    let user = user_dto(&state, review.item.user.clone());
    Ok(reply(
        StatusCode::OK,
        KycDetailResponse::from(KycDetail::new(review, user)),
    ))
}

/// Approve a KYC file
///
/// The user becomes a seller at once.
#[utoipa::path(
    tag = "admin",
    operation_id = "approveKyc",
    params(("userId" = Uuid, Path, description = "The user's id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The file, now `approved`", body = KycStatusResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such user", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: not pending review", body = ErrorResponse),
    )
)]
#[post("/admin/kyc/{userId}/approve")]
pub async fn approve_kyc(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let file = state
        .identity
        .review_kyc(&auth.0, path.into_inner().into(), KycDecision::Approve)
        .await?;
    Ok(reply(
        StatusCode::OK,
        KycStatusResponse::from(KycStatusPayload::from(&file)),
    ))
}

/// Reject a KYC file
///
/// The seller sees the reason and may start again from step 1.
#[utoipa::path(
    tag = "admin",
    operation_id = "rejectKyc",
    params(("userId" = Uuid, Path, description = "The user's id")),
    request_body = ReasonRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The file, now `rejected`", body = KycStatusResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such user", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: not pending review", body = ErrorResponse),
        (status = 422, description = "Missing reason", body = ErrorResponse),
    )
)]
#[post("/admin/kyc/{userId}/reject")]
pub async fn reject_kyc(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
    body: Json<ReasonRequest>,
) -> ApiResult<HttpResponse> {
    let decision = KycDecision::Reject {
        reason: body.into_inner().reason,
    };
    let file = state
        .identity
        .review_kyc(&auth.0, path.into_inner().into(), decision)
        .await?;
    Ok(reply(
        StatusCode::OK,
        KycStatusResponse::from(KycStatusPayload::from(&file)),
    ))
}

/// Create a category
///
/// Adds a category to the tree, under `parentId` when given. The slug is derived from the
/// name unless sent, and must be unused.
#[utoipa::path(
    tag = "admin",
    operation_id = "createCategory",
    request_body = CreateCategoryRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = CategoryResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 409, description = "Slug already used", body = ErrorResponse),
        (status = 422, description = "Invalid fields or unknown parent", body = ErrorResponse),
    )
)]
#[post("/admin/categories")]
pub async fn create_category(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<CreateCategoryRequest>,
) -> ApiResult<HttpResponse> {
    let category = state
        .catalog
        .create_category(&actor(&auth.0), body.into_inner().into())
        .await?;
    Ok(reply(
        StatusCode::CREATED,
        CategoryResponse::from(CategoryDto::from(category)),
    ))
}

/// Edit a category
///
/// Changes the fields sent; fields left out keep their value (`parentId: null` makes it a
/// top-level category). A parent that would make a cycle (the category itself or one of its
/// descendants) is refused.
#[utoipa::path(
    tag = "admin",
    operation_id = "updateCategory",
    params(("categoryId" = String, Path, description = "Id or slug")),
    request_body = CategoryRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = CategoryResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such category", body = ErrorResponse),
        (status = 409, description = "Slug already used", body = ErrorResponse),
        (status = 422, description = "Invalid fields, unknown parent, or a cycle", body = ErrorResponse),
    )
)]
#[put("/admin/categories/{categoryId}")]
pub async fn update_category(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    body: Json<CategoryRequest>,
) -> ApiResult<HttpResponse> {
    let category = state
        .catalog
        .update_category(&actor(&auth.0), &path, body.into_inner().into())
        .await?;
    Ok(reply(
        StatusCode::OK,
        CategoryResponse::from(CategoryDto::from(category)),
    ))
}

/// Delete a category
///
/// Only a category without sub-categories or services (deleted services included: their
/// orders still point at it).
#[utoipa::path(
    tag = "admin",
    operation_id = "deleteCategory",
    params(("categoryId" = String, Path, description = "Id or slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin", body = ErrorResponse),
        (status = 404, description = "No such category", body = ErrorResponse),
        (status = 409, description = "Still has sub-categories or services", body = ErrorResponse),
    )
)]
#[delete("/admin/categories/{categoryId}")]
pub async fn delete_category(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    state
        .catalog
        .delete_category(&actor(&auth.0), &path)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
