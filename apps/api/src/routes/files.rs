//! Files kept on local disk, served by the API: `public/` keys to anyone, other keys only
//! through a signed, unexpired URL. (With S3 storage, URLs point at the bucket instead.)

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Signature {
    expires: Option<i64>,
    signature: Option<String>,
}

async fn serve(state: &AppState, key: &str, cache: &'static str) -> ApiResult<HttpResponse> {
    let store = state.local_files.as_ref().ok_or_else(ApiError::not_found)?;
    let blob = krika_kernel::ports::BlobStore::get(store.as_ref(), key)
        .await
        .map_err(|e| match e {
            krika_kernel::ports::BlobError::InvalidKey(_) => ApiError::not_found(),
            krika_kernel::ports::BlobError::Unexpected(cause) => ApiError::from(cause),
        })?;
    let blob = blob.ok_or_else(ApiError::not_found)?;
    let mut response = HttpResponse::Ok();
    // What was stored as bytes with no safe type (HTML, SVG, scripts in a chat file) is a
    // download, never a page the browser renders on our origin.
    if blob.content_type == "application/octet-stream" {
        response.insert_header((header::CONTENT_DISPOSITION, "attachment"));
    }
    Ok(response
        .content_type(blob.content_type)
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(blob.bytes))
}

/// `GET /files/{key}`: public objects only.
pub async fn public_file(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let key = key.into_inner();
    if !key.starts_with(krika_kernel::ports::blob::PUBLIC_PREFIX) {
        return Err(ApiError::not_found());
    }
    serve(&state, &key, "public, max-age=86400").await
}

/// `GET /files/signed/{key}?expires=&signature=`: any object, while the signature holds.
pub async fn signed_file(
    state: web::Data<AppState>,
    key: web::Path<String>,
    query: web::Query<Signature>,
) -> ApiResult<HttpResponse> {
    let store = state.local_files.as_ref().ok_or_else(ApiError::not_found)?;
    let key = key.into_inner();
    let (Some(expires), Some(signature)) = (query.expires, query.signature.as_deref()) else {
        return Err(ApiError::not_found());
    };
    if !store.verify_signed(&key, expires, signature, state.clock.now().timestamp()) {
        return Err(ApiError::not_found());
    }
    serve(&state, &key, "private, no-store").await
}
