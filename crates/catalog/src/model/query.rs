//! What a listing asks for: filters, sort, scope.

use krika_kernel::ids::{CategoryId, UserId};

use super::service::ServiceStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Price,
    Rating,
    CreatedAt,
    /// Best match first; only when searching.
    Relevance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Asc,
    Desc,
}

/// A validated listing query. `statuses` is the moderation scope: the public sees approved
/// and available services only.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceQuery {
    /// The category and its descendants; `None` for all.
    pub categories: Option<Vec<CategoryId>>,
    pub search: Option<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub seller_id: Option<UserId>,
    /// Services carrying every one of these tags.
    pub tags: Vec<String>,
    pub sort_by: SortBy,
    pub sort_order: SortOrder,
    pub status: ServiceStatus,
    pub only_available: bool,
}

impl ServiceQuery {
    /// The public catalogue, newest first.
    pub fn public() -> Self {
        Self {
            categories: None,
            search: None,
            min_price: None,
            max_price: None,
            seller_id: None,
            tags: Vec::new(),
            sort_by: SortBy::CreatedAt,
            sort_order: SortOrder::Desc,
            status: ServiceStatus::Approved,
            only_available: true,
        }
    }
}
