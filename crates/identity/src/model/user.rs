use chrono::{DateTime, Utc};
use krika_kernel::ids::UserId;

use super::fields::{DisplayName, Email, PasswordHash, Username};

use krika_kernel::string_enum;

string_enum!(
    /// What a user may do. Sellers can still buy.
    Role { Client => "client", Seller => "seller", Admin => "admin" }
);
string_enum!(
    UserStatus { Active => "active", Suspended => "suspended" }
);
string_enum!(
    /// Where the user stands in seller verification.
    KycStatus {
        NotStarted => "not_started",
        Step1Completed => "step1_completed",
        PendingReview => "pending_review",
        Approved => "approved",
        Rejected => "rejected",
    }
);

/// A user as the domain sees it (never deleted: deleted users are not returned at all).
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub username: String,
    pub name: String,
    pub bio: Option<String>,
    pub phone: Option<String>,
    /// Storage key of the avatar (a `public/` key), if one was uploaded.
    pub avatar_key: Option<String>,
    pub role: Role,
    pub status: UserStatus,
    pub kyc_status: KycStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A user about to be stored.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    pub email: Email,
    pub username: Username,
    pub name: DisplayName,
    pub password_hash: PasswordHash,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}
