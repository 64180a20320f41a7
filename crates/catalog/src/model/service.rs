//! A service as sellers publish it and buyers read it.

use chrono::{DateTime, Utc};
use krika_kernel::ids::{CategoryId, ExtraId, ImageId, PackageId, ServiceId, UserId};
use krika_kernel::string_enum;
use serde::{Deserialize, Serialize};

string_enum!(
    /// Moderation state: new and edited services wait for an admin.
    ServiceStatus {
        PendingReview => "pending_review",
        Approved => "approved",
        Rejected => "rejected",
    }
);

impl Serialize for ServiceStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ServiceStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom("unknown service status"))
    }
}

/// One way to buy a service (basic, standard, premium…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Package {
    pub id: PackageId,
    pub name: String,
    pub description: String,
    /// A list price in minor units of the service's `currency` (stored in the package's
    /// JSON as a plain integer).
    pub price: i64,
    pub delivery_days: i32,
    pub revisions: i32,
    pub features: Vec<String>,
}

/// Something added to a package for a price (and maybe days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extra {
    pub id: ExtraId,
    pub title: String,
    pub price: i64,
    pub delivery_days: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceImage {
    pub id: ImageId,
    /// Storage key (a `public/` key).
    pub key: String,
    pub position: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRef {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SellerRef {
    pub id: UserId,
    pub username: String,
    pub name: String,
    pub avatar_key: Option<String>,
    /// Average stars over all the seller's reviews, 0 without reviews.
    pub rating: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: ServiceId,
    pub slug: String,
    pub title: String,
    pub short_description: String,
    pub description: String,
    pub category: CategoryRef,
    pub tags: Vec<String>,
    pub packages: Vec<Package>,
    pub extras: Vec<Extra>,
    pub images: Vec<ServiceImage>,
    /// The cheapest package's price.
    pub starting_price: i64,
    pub currency: krika_kernel::Currency,
    pub rating: f64,
    pub reviews_count: i64,
    pub orders_count: i64,
    pub seller: SellerRef,
    pub status: ServiceStatus,
    pub rejection_reason: Option<String>,
    pub is_available: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Service {
    /// Whether the public (not the owner, not an admin) may see it.
    pub fn is_public(&self) -> bool {
        self.status == ServiceStatus::Approved
    }
}

/// A seller's public numbers (the spec, openapi/openapi.json `sellerStats`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SellerStats {
    pub rating: f64,
    pub reviews_count: i64,
    pub completed_orders: i64,
    pub services_count: i64,
}

/// An average of stars from their sum and count, one decimal, 0 without reviews.
pub fn rating_of(total: i64, count: i64) -> f64 {
    if count <= 0 {
        0.0
    } else {
        ((total as f64 / count as f64) * 10.0).round() / 10.0
    }
}
