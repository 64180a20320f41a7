//! the spec, openapi/openapi.json: the caller's account and public profiles.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, put, web};
use krika_identity::{ProfileUpdate, Role, User};
use krika_kernel::ValidationErrors;
use uuid::Uuid;

use super::multipart::read_file_field;
use crate::dto::reply;
use crate::dto::users::*;
use crate::error::{ApiError, ApiResult, ErrorResponse};
use crate::extract::{Auth, Json};
use crate::state::{AVATAR_MAX_BYTES, AppState};

fn private_view(state: &AppState, user: User) -> UserDto {
    let avatar = state.identity.avatar_url(&user);
    UserDto::new(user, avatar)
}

/// My account
///
/// The caller's private view, with e-mail, phone, role, status and KYC status.
#[utoipa::path(
    tag = "users",
    operation_id = "getMe",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The caller's private view", body = UserResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorResponse),
    )
)]
#[get("/users/me")]
pub async fn get_me(state: web::Data<AppState>, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(reply(
        StatusCode::OK,
        UserResponse::from(private_view(&state, auth.0.user)),
    ))
}

/// Edit my profile
///
/// Partial update of name, username, bio and phone. Email, role and status cannot be
/// changed here: sending them is a 422.
#[utoipa::path(
    tag = "users",
    operation_id = "updateMe",
    request_body = UpdateMeRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The updated account", body = UserResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 409, description = "Username taken", body = ErrorResponse),
        (status = 422, description = "Invalid fields, or a field that cannot be changed here", body = ErrorResponse),
    )
)]
#[put("/users/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<UpdateMeRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut refused = ValidationErrors::new();
    for (field, sent) in [
        ("email", &body.email),
        ("role", &body.role),
        ("status", &body.status),
    ] {
        if sent.is_some() {
            refused.push(field, "This field cannot be changed here");
        }
    }
    refused.into_result()?;
    let update = ProfileUpdate {
        name: body.name,
        username: body.username,
        bio: body.bio.into_change(),
        phone: body.phone.into_change(),
    };
    let user = state.identity.update_profile(&auth.0, update).await?;
    Ok(reply(
        StatusCode::OK,
        UserResponse::from(private_view(&state, user)),
    ))
}

/// Delete my account
///
/// Needs the password. The account is soft-deleted and every session ends.
#[utoipa::path(
    tag = "users",
    operation_id = "deleteMe",
    request_body = DeleteMeRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 422, description = "Wrong password (field `password`)", body = ErrorResponse),
    )
)]
#[delete("/users/me")]
pub async fn delete_me(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<DeleteMeRequest>,
) -> ApiResult<HttpResponse> {
    state
        .identity
        .delete_account(&auth.0, &body.password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Upload my avatar
///
/// JPEG, PNG or WebP, recognised by content (not by name or declared type), at most 5 MB.
#[utoipa::path(
    tag = "users",
    operation_id = "uploadAvatar",
    request_body(content = AvatarUpload, content_type = "multipart/form-data"),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The new avatar", body = AvatarResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 413, description = "Over 5 MB", body = ErrorResponse),
        (status = 415, description = "Not a JPEG, PNG or WebP image", body = ErrorResponse),
        (status = 422, description = "No `file` field", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/users/me/avatar")]
pub async fn upload_avatar(
    state: web::Data<AppState>,
    auth: Auth,
    multipart: Multipart,
) -> ApiResult<HttpResponse> {
    let bytes = read_file_field(multipart, "file", AVATAR_MAX_BYTES).await?;
    let user = state.identity.set_avatar(&auth.0, bytes).await?;
    let avatar_url = state
        .identity
        .avatar_url(&user)
        .ok_or_else(ApiError::internal)?;
    Ok(reply(
        StatusCode::OK,
        AvatarResponse::from(AvatarPayload { avatar_url }),
    ))
}

/// A user's public profile
///
/// No email, no phone. Sellers also show their statistics.
#[utoipa::path(
    tag = "users",
    operation_id = "getUser",
    params(("userId" = Uuid, Path, description = "The user's id")),
    security(()),
    responses(
        (status = 200, description = "Public profile", body = PublicProfileResponse),
        (status = 400, description = "Not a UUID", body = ErrorResponse),
        (status = 404, description = "No such user (or deleted)", body = ErrorResponse),
    )
)]
#[get("/users/{userId}")]
pub async fn get_user(
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let user = state.identity.user(path.into_inner().into()).await?;
    let avatar_url = state.identity.avatar_url(&user);
    let seller_stats = if user.role == Role::Seller {
        let stats = state.catalog.seller_stats(user.id).await?;
        Some(SellerStats {
            rating: stats.rating,
            reviews_count: stats.reviews_count,
            completed_orders: stats.completed_orders,
            services_count: stats.services_count,
        })
    } else {
        None
    };
    let profile = PublicProfile {
        id: user.id.as_uuid(),
        username: user.username,
        name: user.name,
        bio: user.bio,
        avatar_url,
        role: user.role.into(),
        created_at: user.created_at,
        seller_stats,
    };
    Ok(reply(StatusCode::OK, PublicProfileResponse::from(profile)))
}
