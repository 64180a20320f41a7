use chrono::{DateTime, NaiveDate, Utc};
use krika_identity::{DocumentType, KycFile, KycReview};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::envelope;
use super::users::{KycStatusDto, UserDto};

/// `POST /seller/kyc/step1`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"firstName": "Aminata", "lastName": "Diallo", "dateOfBirth": "1995-04-12", "country": "CI", "phone": "+2250700000000"}))]
pub struct KycStep1Request {
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 100,
        example = "Aminata"
    )]
    #[serde(default)]
    pub first_name: String,
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 100,
        example = "Diallo"
    )]
    #[serde(default)]
    pub last_name: String,
    /// `YYYY-MM-DD`; the seller must be 18 or older.
    #[schema(required = true, nullable = false, format = Date, example = "1995-04-12")]
    #[serde(default)]
    pub date_of_birth: String,
    /// ISO 3166-1 alpha-2.
    #[schema(
        required = true,
        nullable = false,
        pattern = "^[A-Za-z]{2}$",
        example = "CI"
    )]
    #[serde(default)]
    pub country: String,
    /// E.164.
    #[schema(
        required = true,
        nullable = false,
        pattern = "^\\+[1-9][0-9]{7,14}$",
        example = "+2250700000000"
    )]
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = DocumentType)]
pub enum DocumentTypeDto {
    Passport,
    NationalId,
    DriverLicense,
}

impl From<DocumentType> for DocumentTypeDto {
    fn from(kind: DocumentType) -> Self {
        match kind {
            DocumentType::Passport => Self::Passport,
            DocumentType::NationalId => Self::NationalId,
            DocumentType::DriverLicense => Self::DriverLicense,
        }
    }
}

/// `POST /seller/kyc/step2` (multipart). Photos are JPEG, PNG or WebP (checked by content),
/// at most 5 MB each.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct KycStep2Upload {
    /// `passport`, `national_id` or `driver_license`.
    #[schema(value_type = DocumentTypeDto)]
    pub document_type: String,
    #[schema(value_type = String, format = Binary)]
    pub document_front: Vec<u8>,
    /// Required except for passports.
    #[schema(nullable = false, value_type = Option<String>, format = Binary)]
    pub document_back: Option<Vec<u8>>,
    #[schema(value_type = String, format = Binary)]
    pub selfie: Vec<u8>,
}

/// Where the caller's verification stands.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KycStatusPayload {
    pub status: KycStatusDto,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed_at: Option<DateTime<Utc>>,
}

impl From<&KycFile> for KycStatusPayload {
    fn from(file: &KycFile) -> Self {
        Self {
            status: file.status.into(),
            rejection_reason: file.rejection_reason.clone(),
            submitted_at: file.submitted_at,
            reviewed_at: file.reviewed_at,
        }
    }
}

/// A KYC file in the admin queue.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KycQueueItem {
    pub user_id: Uuid,
    pub email: String,
    pub username: String,
    pub name: String,
    pub status: KycStatusDto,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub country: Option<String>,
    pub document_type: Option<DocumentTypeDto>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
}

impl From<&krika_identity::ports::KycReviewItem> for KycQueueItem {
    fn from(item: &krika_identity::ports::KycReviewItem) -> Self {
        let identity = item.file.identity.as_ref();
        Self {
            user_id: item.user.id.as_uuid(),
            email: item.user.email.clone(),
            username: item.user.username.clone(),
            name: item.user.name.clone(),
            status: item.file.status.into(),
            first_name: identity.map(|i| i.first_name.clone()),
            last_name: identity.map(|i| i.last_name.clone()),
            country: identity.map(|i| i.country.clone()),
            document_type: item.file.documents.as_ref().map(|d| d.document_type.into()),
            submitted_at: item.file.submitted_at,
            reviewed_at: item.file.reviewed_at,
            rejection_reason: item.file.rejection_reason.clone(),
        }
    }
}

/// One KYC file for review, with links to the documents that stop working after
/// `documentUrlsExpireIn` seconds.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KycDetail {
    pub user: UserDto,
    pub status: KycStatusDto,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub document_type: Option<DocumentTypeDto>,
    pub document_front_url: Option<String>,
    pub document_back_url: Option<String>,
    pub selfie_url: Option<String>,
    pub document_urls_expire_in: i64,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
}

impl KycDetail {
    pub fn new(review: KycReview, user: UserDto) -> Self {
        let file = &review.item.file;
        let identity = file.identity.as_ref();
        Self {
            user,
            status: file.status.into(),
            first_name: identity.map(|i| i.first_name.clone()),
            last_name: identity.map(|i| i.last_name.clone()),
            date_of_birth: identity.map(|i| i.date_of_birth),
            country: identity.map(|i| i.country.clone()),
            phone: identity.map(|i| i.phone.clone()),
            document_type: file.documents.as_ref().map(|d| d.document_type.into()),
            document_front_url: review.front_url,
            document_back_url: review.back_url,
            selfie_url: review.selfie_url,
            document_urls_expire_in: review.urls_expire_in.num_seconds(),
            submitted_at: file.submitted_at,
            reviewed_at: file.reviewed_at,
            rejection_reason: file.rejection_reason.clone(),
        }
    }
}

/// A reason given by an admin (rejection, suspension).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"reason": "La photo du document est floue : envoyez-en une plus nette."}))]
pub struct ReasonRequest {
    #[schema(required = true, nullable = false, min_length = 1, max_length = 1000)]
    #[serde(default)]
    pub reason: String,
}

envelope!(KycStatusResponse, KycStatusPayload);
envelope!(KycDetailResponse, KycDetail);
