//! the spec, openapi/openapi.json: the seller's verification.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use krika_identity::{KycStep1, KycStep2};

use super::multipart::read_form;
use crate::dto::kyc::*;
use crate::dto::reply;
use crate::error::{ApiResult, ErrorResponse};
use crate::extract::{Auth, Json};
use crate::state::{AppState, UPLOAD_MAX_BYTES};

fn status_reply(file: &krika_identity::KycFile) -> HttpResponse {
    reply(
        StatusCode::OK,
        KycStatusResponse::from(KycStatusPayload::from(file)),
    )
}

/// KYC step 1: identity
///
/// First and last name, date of birth (18 or older), country (ISO 3166-1 alpha-2) and
/// phone (E.164). Can be redone until the documents are submitted, and after a rejection.
#[utoipa::path(
    tag = "kyc",
    operation_id = "submitKycStep1",
    request_body = KycStep1Request,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Step 1 recorded: status `step1_completed`", body = KycStatusResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: the file is under review or approved", body = ErrorResponse),
        (status = 422, description = "Invalid fields (under 18, unknown country, phone not E.164…)", body = ErrorResponse),
    )
)]
#[post("/seller/kyc/step1")]
pub async fn kyc_step1(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<KycStep1Request>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let step = KycStep1 {
        first_name: body.first_name,
        last_name: body.last_name,
        date_of_birth: body.date_of_birth,
        country: body.country,
        phone: body.phone,
    };
    let file = state.identity.kyc_step1(&auth.0, step).await?;
    Ok(status_reply(&file))
}

/// KYC step 2: documents
///
/// Multipart: `documentType`, `documentFront`, `documentBack` (not for a passport) and
/// `selfie`. Photos are checked by content and stored privately. Needs step 1 first.
#[utoipa::path(
    tag = "kyc",
    operation_id = "submitKycStep2",
    request_body(content = KycStep2Upload, content_type = "multipart/form-data"),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Submitted: status `pending_review`", body = KycStatusResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 409, description = "`INVALID_TRANSITION`: step 1 not done, or already submitted", body = ErrorResponse),
        (status = 413, description = "A photo over 5 MB", body = ErrorResponse),
        (status = 415, description = "A photo that is not JPEG, PNG or WebP", body = ErrorResponse),
        (status = 422, description = "Missing document type or photo", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/seller/kyc/step2")]
pub async fn kyc_step2(
    state: web::Data<AppState>,
    auth: Auth,
    multipart: Multipart,
) -> ApiResult<HttpResponse> {
    let mut form = read_form(multipart, UPLOAD_MAX_BYTES, 3).await?.only(&[
        "documentType",
        "documentFront",
        "documentBack",
        "selfie",
    ])?;
    let step = KycStep2 {
        document_type: form.text("documentType"),
        front: form.take_file("documentFront"),
        back: form.take_file("documentBack"),
        selfie: form.take_file("selfie"),
    };
    let file = state.identity.kyc_step2(&auth.0, step).await?;
    Ok(status_reply(&file))
}

/// My KYC status
///
/// Where the caller's verification stands, with the rejection reason and dates when they
/// apply.
#[utoipa::path(
    tag = "kyc",
    operation_id = "getKycStatus",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Where the caller's verification stands", body = KycStatusResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorResponse),
    )
)]
#[get("/seller/kyc/status")]
pub async fn kyc_status(state: web::Data<AppState>, auth: Auth) -> ApiResult<HttpResponse> {
    let file = state.identity.kyc_status(&auth.0).await?;
    Ok(status_reply(&file))
}
