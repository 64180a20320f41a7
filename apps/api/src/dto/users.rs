use chrono::{DateTime, Utc};
use krika_identity::{KycStatus, Role, User, UserStatus};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::envelope;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = Role)]
pub enum RoleDto {
    Client,
    Seller,
    Admin,
}

impl From<Role> for RoleDto {
    fn from(role: Role) -> Self {
        match role {
            Role::Client => Self::Client,
            Role::Seller => Self::Seller,
            Role::Admin => Self::Admin,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = UserStatus)]
pub enum UserStatusDto {
    Active,
    Suspended,
}

impl From<UserStatus> for UserStatusDto {
    fn from(status: UserStatus) -> Self {
        match status {
            UserStatus::Active => Self::Active,
            UserStatus::Suspended => Self::Suspended,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = KycStatus)]
pub enum KycStatusDto {
    NotStarted,
    Step1Completed,
    PendingReview,
    Approved,
    Rejected,
}

impl From<KycStatus> for KycStatusDto {
    fn from(status: KycStatus) -> Self {
        match status {
            KycStatus::NotStarted => Self::NotStarted,
            KycStatus::Step1Completed => Self::Step1Completed,
            KycStatus::PendingReview => Self::PendingReview,
            KycStatus::Approved => Self::Approved,
            KycStatus::Rejected => Self::Rejected,
        }
    }
}

impl From<RoleDto> for Role {
    fn from(role: RoleDto) -> Self {
        match role {
            RoleDto::Client => Self::Client,
            RoleDto::Seller => Self::Seller,
            RoleDto::Admin => Self::Admin,
        }
    }
}

impl From<UserStatusDto> for UserStatus {
    fn from(status: UserStatusDto) -> Self {
        match status {
            UserStatusDto::Active => Self::Active,
            UserStatusDto::Suspended => Self::Suspended,
        }
    }
}

impl From<KycStatusDto> for KycStatus {
    fn from(status: KycStatusDto) -> Self {
        match status {
            KycStatusDto::NotStarted => Self::NotStarted,
            KycStatusDto::Step1Completed => Self::Step1Completed,
            KycStatusDto::PendingReview => Self::PendingReview,
            KycStatusDto::Approved => Self::Approved,
            KycStatusDto::Rejected => Self::Rejected,
        }
    }
}

/// The caller's own account (private view).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = User)]
pub struct UserDto {
    pub id: Uuid,
    #[schema(format = Email)]
    pub email: String,
    pub username: String,
    pub name: String,
    pub bio: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub avatar_url: Option<String>,
    pub role: RoleDto,
    pub status: UserStatusDto,
    pub kyc_status: KycStatusDto,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl UserDto {
    pub fn new(user: User, avatar_url: Option<String>) -> Self {
        Self {
            id: user.id.as_uuid(),
            email: user.email,
            username: user.username,
            name: user.name,
            bio: user.bio,
            phone: user.phone,
            avatar_url,
            role: user.role.into(),
            status: user.status.into(),
            kyc_status: user.kyc_status.into(),
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

/// A seller's public figures.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SellerStats {
    /// Average review rating, 0 when there is none yet.
    #[schema(example = 4.8)]
    pub rating: f64,
    pub reviews_count: i64,
    pub completed_orders: i64,
    pub services_count: i64,
}

/// What anyone may see of a user: no email, no phone.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublicProfile {
    pub id: Uuid,
    pub username: String,
    pub name: String,
    pub bio: Option<String>,
    pub avatar_url: Option<String>,
    pub role: RoleDto,
    pub created_at: DateTime<Utc>,
    /// Present for sellers only.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_stats: Option<SellerStats>,
}

/// A field that may be absent (keep), `null` (clear) or a value (set).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Patch<T> {
    #[default]
    Missing,
    Null,
    Value(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Patch::Value(value),
            None => Patch::Null,
        })
    }
}

impl<T> Patch<T> {
    /// `None` to keep, `Some(None)` to clear, `Some(Some(v))` to set.
    pub fn into_change(self) -> Option<Option<T>> {
        match self {
            Patch::Missing => None,
            Patch::Null => Some(None),
            Patch::Value(value) => Some(Some(value)),
        }
    }
}

/// `PUT /users/me`: every field optional. `bio` and `phone` accept `null` to clear them.
/// Email, role and status cannot be changed here: sending them is refused.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"name": "Awa Koné", "bio": "Graphiste à Abidjan depuis 8 ans.", "phone": "+2250700000000"}))]
pub struct UpdateMeRequest {
    #[schema(min_length = 1, max_length = 100)]
    #[serde(default)]
    pub name: Option<String>,
    #[schema(min_length = 3, max_length = 30, pattern = "^[a-z0-9_]{3,30}$")]
    #[serde(default)]
    pub username: Option<String>,
    #[schema(value_type = Option<String>, max_length = 2000)]
    #[serde(default)]
    pub bio: Patch<String>,
    /// E.164, e.g. `+22507000000`.
    #[schema(value_type = Option<String>, pattern = "^\\+[1-9][0-9]{7,14}$", example = "+22507000000")]
    #[serde(default)]
    pub phone: Patch<String>,
    /// Refused (422): not changeable here.
    #[schema(ignore)]
    #[serde(default)]
    pub email: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default)]
    pub role: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default)]
    pub status: Option<serde_json::Value>,
}

/// `DELETE /users/me`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"password": "motdepasse"}))]
pub struct DeleteMeRequest {
    #[schema(required = true, nullable = false, format = Password)]
    #[serde(default)]
    pub password: String,
}

/// `POST /users/me/avatar` (multipart).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct AvatarUpload {
    /// JPEG, PNG or WebP (checked by content), at most 5 MB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvatarPayload {
    pub avatar_url: String,
}

envelope!(UserResponse, UserDto);
envelope!(PublicProfileResponse, PublicProfile);
envelope!(AvatarResponse, AvatarPayload);
