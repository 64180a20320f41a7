//! Pagination as the contract defines it: `page` ≥ 1, `limit` 1..=100, out of range is an error.

use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    limit: u32,
}

impl PageRequest {
    pub const MAX_LIMIT: u32 = 100;
    /// The spec's `maximum` for `page` (i32::MAX, which every client language can hold).
    pub const MAX_PAGE: u32 = i32::MAX as u32;

    /// Checks both values; `default_limit` applies when `limit` is absent.
    pub fn parse(
        page: Option<i64>,
        limit: Option<i64>,
        default_limit: u32,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let page = page.unwrap_or(1);
        let limit = limit.unwrap_or(i64::from(default_limit));
        if !(1..=i64::from(Self::MAX_PAGE)).contains(&page) {
            errors.push(FieldError::new("page", "must be between 1 and 2147483647"));
        }
        if !(1..=i64::from(Self::MAX_LIMIT)).contains(&limit) {
            errors.push(FieldError::new("limit", "must be between 1 and 100"));
        }
        if errors.is_empty() {
            Ok(Self {
                page: page as u32,
                limit: limit as u32,
            })
        } else {
            Err(errors)
        }
    }

    pub fn page(&self) -> u32 {
        self.page
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.limit)
    }
}

/// One page of results and the total they were taken from.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub request: PageRequest,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(u64::from(self.request.limit()))
    }

    pub fn has_next(&self) -> bool {
        u64::from(self.request.page()) < self.pages()
    }

    pub fn has_prev(&self) -> bool {
        self.request.page() > 1
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            request: self.request,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_is_refused_not_clamped() {
        assert!(PageRequest::parse(Some(0), None, 20).is_err());
        assert!(PageRequest::parse(None, Some(101), 20).is_err());
        assert_eq!(
            PageRequest::parse(Some(1), Some(0), 20).unwrap_err()[0].field,
            "limit"
        );
        let page = PageRequest::parse(Some(3), Some(10), 20).unwrap();
        assert_eq!(page.offset(), 20);
    }

    #[test]
    fn page_arithmetic() {
        let request = PageRequest::parse(Some(2), Some(10), 20).unwrap();
        let page = Page {
            items: vec![1],
            request,
            total: 21,
        };
        assert_eq!(page.pages(), 3);
        assert!(page.has_next());
        assert!(page.has_prev());
        let empty = Page::<u8> {
            items: vec![],
            request,
            total: 0,
        };
        assert_eq!(empty.pages(), 0);
        assert!(!empty.has_next());
    }
}
