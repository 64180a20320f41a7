//! the spec, openapi/openapi.json: the category tree (public reads; admin edits live in `admin`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::services::list_page;
use crate::dto::catalog::*;
use crate::dto::page::PageQuery;
use crate::dto::reply;
use crate::error::{ApiResult, ErrorResponse};
use crate::state::AppState;

/// All categories
///
/// The whole tree as a flat list (top-level first, then by position); `parentId` links a
/// sub-category to its parent. Not paginated.
#[utoipa::path(
    tag = "categories",
    operation_id = "listCategories",
    security(()),
    responses((status = 200, description = "Every category", body = CategoryListResponse))
)]
#[get("/categories")]
pub async fn list_categories(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let tree = state.catalog.category_tree().await?;
    let categories: Vec<CategoryDto> = tree.categories.into_iter().map(Into::into).collect();
    Ok(reply(
        StatusCode::OK,
        CategoryListResponse::from(categories),
    ))
}

/// One category
///
/// By id or slug, with its parent id; unknown ids and slugs are 404.
#[utoipa::path(
    tag = "categories",
    operation_id = "getCategory",
    params(("categoryId" = String, Path, description = "Id or slug")),
    security(()),
    responses(
        (status = 200, description = "The category", body = CategoryResponse),
        (status = 404, description = "No such category", body = ErrorResponse),
    )
)]
#[get("/categories/{categoryId}")]
pub async fn get_category(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let category = state.catalog.category(&path).await?;
    Ok(reply(
        StatusCode::OK,
        CategoryResponse::from(CategoryDto::from(category)),
    ))
}

/// Services of a category
///
/// As `GET /services` with the category (and its sub-categories) fixed.
#[utoipa::path(
    tag = "categories",
    operation_id = "listCategoryServices",
    params(("categoryId" = String, Path, description = "Id or slug"), PageQuery, ServiceFilters),
    security(()),
    responses(
        (status = 200, description = "A page of services", body = ServiceListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 404, description = "No such category", body = ErrorResponse),
        (status = 422, description = "Out-of-range page, limit or filter", body = ErrorResponse),
    )
)]
#[get("/categories/{categoryId}/services")]
pub async fn list_category_services(
    state: web::Data<AppState>,
    path: web::Path<String>,
    page: web::Query<PageQuery>,
    filters: web::Query<ServiceFilters>,
) -> ApiResult<HttpResponse> {
    let params = filters.into_inner().params(Some(path.into_inner()));
    list_page(&state, params, &page).await
}
