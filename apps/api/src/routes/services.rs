//! the spec, openapi/openapi.json: services.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, put, web};
use krika_catalog::{ListParams, Service};
use uuid::Uuid;

use super::multipart::read_form;
use crate::dto::catalog::*;
use crate::dto::page::PageQuery;
use crate::dto::reply;
use crate::error::{ApiResult, ErrorResponse};
use crate::extract::{Auth, Json, MaybeAuth, actor};
use crate::state::{AppState, UPLOAD_MAX_BYTES};

pub fn service_dto(state: &AppState, service: Service) -> ServiceDto {
    ServiceDto::new(service, |key| state.catalog.public_url(key))
}

pub async fn list_page(
    state: &AppState,
    params: ListParams,
    page: &PageQuery,
) -> ApiResult<HttpResponse> {
    let page = state.catalog.list_services(params, page.request()?).await?;
    let list = ServiceList::new(page, |s| service_dto(state, s));
    Ok(reply(StatusCode::OK, ServiceListResponse::from(list)))
}

/// List and search services
///
/// Approved, available services. `search` is full text over title, descriptions and tags,
/// accent-insensitive (`developpeur` finds `Développeur`) and tolerant of small typos;
/// results then default to `relevance` order.
#[utoipa::path(
    tag = "services",
    operation_id = "listServices",
    params(PageQuery, ServiceFilters),
    security(()),
    responses(
        (status = 200, description = "A page of services", body = ServiceListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 404, description = "Unknown category", body = ErrorResponse),
        (status = 422, description = "Out-of-range page, limit or filter", body = ErrorResponse),
    )
)]
#[get("/services")]
pub async fn list_services(
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    filters: web::Query<ServiceFilters>,
) -> ApiResult<HttpResponse> {
    list_page(&state, filters.into_inner().params(None), &page).await
}

/// One service
///
/// By id or slug. Public; a service not approved yet is visible only to its seller and
/// admins, who send their bearer token (optional here); anyone else gets 404.
#[utoipa::path(
    tag = "services",
    operation_id = "getService",
    params(("serviceId" = String, Path, description = "Id or slug")),
    security(()),
    responses(
        (status = 200, description = "The service", body = ServiceResponse),
        (status = 401, description = "A token was sent and is invalid", body = ErrorResponse),
        (status = 404, description = "No such service, or not visible to the caller", body = ErrorResponse),
    )
)]
#[get("/services/{serviceId}")]
pub async fn get_service(
    state: web::Data<AppState>,
    auth: MaybeAuth,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let actor = auth.0.as_ref().map(actor);
    let service = state.catalog.service(actor.as_ref(), &path).await?;
    Ok(reply(
        StatusCode::OK,
        ServiceResponse::from(service_dto(&state, service)),
    ))
}

/// Publish a service
///
/// Sellers only (approved KYC). The service waits for moderation (`pending_review`).
#[utoipa::path(
    tag = "services",
    operation_id = "createService",
    request_body = CreateServiceRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "Created, pending review", body = ServiceResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not a seller, or `ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 422, description = "Invalid fields, each named (`packages[0].price`)", body = ErrorResponse),
    )
)]
#[post("/services")]
pub async fn create_service(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<CreateServiceRequest>,
) -> ApiResult<HttpResponse> {
    let service = state
        .catalog
        .create_service(&actor(&auth.0), body.into_inner().into())
        .await?;
    Ok(reply(
        StatusCode::CREATED,
        ServiceResponse::from(service_dto(&state, service)),
    ))
}

/// Edit a service
///
/// The seller only. Partial; changing title, descriptions or packages sends an approved
/// service back to review.
#[utoipa::path(
    tag = "services",
    operation_id = "updateService",
    params(("serviceId" = String, Path, description = "Id or slug")),
    request_body = UpdateServiceRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The updated service", body = ServiceResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not the seller of this service", body = ErrorResponse),
        (status = 404, description = "No such service, or not visible to the caller", body = ErrorResponse),
        (status = 422, description = "Invalid fields", body = ErrorResponse),
    )
)]
#[put("/services/{serviceId}")]
pub async fn update_service(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    body: Json<UpdateServiceRequest>,
) -> ApiResult<HttpResponse> {
    let service = state
        .catalog
        .update_service(&actor(&auth.0), &path, body.into_inner().into())
        .await?;
    Ok(reply(
        StatusCode::OK,
        ServiceResponse::from(service_dto(&state, service)),
    ))
}

/// Delete a service
///
/// The seller or an admin. Soft delete: existing orders keep their snapshot.
#[utoipa::path(
    tag = "services",
    operation_id = "deleteService",
    params(("serviceId" = String, Path, description = "Id or slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Neither the seller nor an admin", body = ErrorResponse),
        (status = 404, description = "No such service, or not visible to the caller", body = ErrorResponse),
    )
)]
#[delete("/services/{serviceId}")]
pub async fn delete_service(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    state.catalog.delete_service(&actor(&auth.0), &path).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add images to a service
///
/// Multipart `files`: 1 to 5 per request, at most 8 per service, JPEG, PNG or WebP
/// (checked by content), 5 MB each. Sends an approved service back to review.
#[utoipa::path(
    tag = "services",
    operation_id = "uploadServiceImages",
    params(("serviceId" = String, Path, description = "Id or slug")),
    request_body(content = ServiceImagesUpload, content_type = "multipart/form-data"),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "Every image of the service", body = ServiceImagesResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not the seller of this service", body = ErrorResponse),
        (status = 404, description = "No such service, or not visible to the caller", body = ErrorResponse),
        (status = 413, description = "A file over 5 MB", body = ErrorResponse),
        (status = 415, description = "A file that is not JPEG, PNG or WebP", body = ErrorResponse),
        (status = 422, description = "No file, more than 5, or more than 8 in all (field `files`)", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/services/{serviceId}/images")]
pub async fn upload_service_images(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    multipart: Multipart,
) -> ApiResult<HttpResponse> {
    let per_call = state.catalog.config().images_per_upload;
    let mut form = read_form(multipart, UPLOAD_MAX_BYTES, per_call)
        .await?
        .only(&["files"])?;
    let files = form.take_files("files");
    let service = state
        .catalog
        .add_images(&actor(&auth.0), &path, files)
        .await?;
    let images = service_dto(&state, service).images;
    Ok(reply(
        StatusCode::CREATED,
        ServiceImagesResponse::from(images),
    ))
}

/// Remove an image
///
/// Removes the image from the service and from storage. Only the service's seller may; an
/// approved service goes back to `pending_review`.
#[utoipa::path(
    tag = "services",
    operation_id = "deleteServiceImage",
    params(
        ("serviceId" = String, Path, description = "Id or slug"),
        ("imageId" = Uuid, Path, description = "The image's id"),
    ),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Image id is not a UUID", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not the seller of this service", body = ErrorResponse),
        (status = 404, description = "No such service or image", body = ErrorResponse),
    )
)]
#[delete("/services/{serviceId}/images/{imageId}")]
pub async fn delete_service_image(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (service, image) = path.into_inner();
    state
        .catalog
        .remove_image(&actor(&auth.0), &service, image.into())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
