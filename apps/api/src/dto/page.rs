//! The contract's paginated list shape.

use krika_kernel::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    #[schema(minimum = 1)]
    pub page: u32,
    #[schema(minimum = 1, maximum = 100)]
    pub limit: u32,
    pub total: u64,
    pub pages: u64,
    pub has_next: bool,
    pub has_prev: bool,
}

impl Pagination {
    pub fn of<T>(page: &Page<T>) -> Self {
        Self {
            page: page.request.page(),
            limit: page.request.limit(),
            total: page.total,
            pages: page.pages(),
            has_next: page.has_next(),
            has_prev: page.has_prev(),
        }
    }
}

/// `page` (≥ 1, default 1) and `limit` (1..100, default 20); out of range is a 422.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[param(minimum = 1, maximum = 2147483647, default = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
}

impl PageQuery {
    pub fn request(&self) -> Result<PageRequest, ApiError> {
        PageRequest::parse(self.page, self.limit, 20).map_err(ApiError::validation)
    }
}

/// Declares a named list payload `{items, pagination}` and its envelope.
macro_rules! list {
    ($list:ident, $response:ident, $item:ty) => {
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $list {
            pub items: Vec<$item>,
            pub pagination: $crate::dto::page::Pagination,
        }

        impl $list {
            pub fn new<T>(page: krika_kernel::Page<T>, f: impl FnMut(T) -> $item) -> Self {
                let pagination = $crate::dto::page::Pagination::of(&page);
                Self {
                    items: page.items.into_iter().map(f).collect(),
                    pagination,
                }
            }
        }

        $crate::dto::envelope!($response, $list);
    };
}
pub(crate) use list;
