//! Listing and search of the public catalogue.

use std::sync::Arc;

use krika_kernel::ids::UserId;
use krika_kernel::{FieldError, Page, PageRequest, ValidationErrors};

use super::Catalog;
use crate::error::CatalogError;
use crate::model::{Service, ServiceQuery, SortBy, SortOrder};

/// A listing as the client asked for it, unchecked.
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    pub category: Option<String>,
    pub search: Option<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub seller_id: Option<UserId>,
    /// Comma-separated or repeated; every tag must match.
    pub tags: Vec<String>,
    pub sort_by: Option<String>,
    pub sort_order: Option<String>,
}

const SEARCH_MAX_CHARS: usize = 200;

/// A listing page as cached.
#[derive(serde::Serialize, serde::Deserialize)]
struct CachedPage {
    items: Vec<Service>,
    total: u64,
}

impl Catalog {
    /// Approved, available services matching the filters. An unknown category is a 404
    /// (the path or filter names something that does not exist).
    pub async fn list_services(
        &self,
        params: ListParams,
        page: PageRequest,
    ) -> Result<Page<Service>, CatalogError> {
        let mut query = ServiceQuery::public();
        let mut errors = ValidationErrors::new();
        if let Some(category) = params
            .category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let tree = self.category_tree().await?;
            let found = tree.find(category).ok_or(CatalogError::NotFound)?;
            query.categories = Some(tree.with_descendants(found.id));
        }
        query.search = params
            .search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if query
            .search
            .as_ref()
            .is_some_and(|s| s.chars().count() > SEARCH_MAX_CHARS)
        {
            errors.push(
                "search",
                format!("Search must be at most {SEARCH_MAX_CHARS} characters"),
            );
        }
        for (field, value) in [
            ("minPrice", params.min_price),
            ("maxPrice", params.max_price),
        ] {
            if value.is_some_and(|v| v < 0) {
                errors.push(field, "Price bounds cannot be negative");
            }
        }
        if let (Some(min), Some(max)) = (params.min_price, params.max_price)
            && min > max
        {
            errors.push("maxPrice", "maxPrice must be at least minPrice");
        }
        query.min_price = params.min_price;
        query.max_price = params.max_price;
        query.seller_id = params.seller_id;
        query.tags = params
            .tags
            .iter()
            .flat_map(|t| t.split(','))
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        if query.tags.len() > 10 {
            errors.push("tags", "At most 10 tags");
        }
        let searching = query.search.is_some();
        query.sort_by = match params.sort_by.as_deref() {
            None if searching => SortBy::Relevance,
            None => SortBy::CreatedAt,
            Some(text) => errors
                .check(parse_sort_by(text, searching))
                .unwrap_or(SortBy::CreatedAt),
        };
        query.sort_order = match params.sort_order.as_deref() {
            // Cheapest first reads naturally; everything else best or newest first.
            None if query.sort_by == SortBy::Price => SortOrder::Asc,
            None => SortOrder::Desc,
            Some("asc") => SortOrder::Asc,
            Some("desc") => SortOrder::Desc,
            Some(_) => {
                errors.push("sortOrder", "sortOrder must be asc or desc");
                SortOrder::Desc
            }
        };
        errors.into_result()?;
        let key = self.list_key(&query, page).await;
        if let Some(key) = &key
            && let Some(cached) = self.cached::<CachedPage>(key).await
        {
            return Ok(Page {
                items: cached.items,
                request: page,
                total: cached.total,
            });
        }
        let Some(key) = key else {
            return Ok(self.ports.services.search_services(&query, page).await?);
        };
        // One query refills a page that many requests missed at once.
        let flight = key.clone();
        let this = self.clone();
        let load = async move {
            let found = this
                .ports
                .services
                .search_services(&query, page)
                .await
                .map_err(Arc::new)?;
            let cached = CachedPage {
                items: found.items.clone(),
                total: found.total,
            };
            this.remember(&key, &cached, this.config.list_cache_ttl_secs)
                .await;
            Ok(found)
        };
        self.page_loads
            .run(flight, load)
            .await
            .map_err(|shared| CatalogError::from(shared.copy()))
    }
}

fn parse_sort_by(text: &str, searching: bool) -> Result<SortBy, FieldError> {
    match text {
        "price" => Ok(SortBy::Price),
        "rating" => Ok(SortBy::Rating),
        "createdAt" => Ok(SortBy::CreatedAt),
        "relevance" if searching => Ok(SortBy::Relevance),
        "relevance" => Err(FieldError::new("sortBy", "relevance needs a search term")),
        _ => Err(FieldError::new(
            "sortBy",
            "sortBy must be price, rating, createdAt or relevance",
        )),
    }
}
