//! The catalog's ports in memory: categories and services behind one lock (so every
//! multi-step method is atomic, as the PostgreSQL transactions are), and a read cache.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use krika_catalog::ports::{
    AddImagesError, CategoryRepository, CategoryWriteError, ImagesRefused, ModerateError,
    NewService, NotModerated, ServiceKey, ServiceRepository,
};
use krika_catalog::{
    Category, CategoryDraft, CategoryRef, SellerRef, SellerStats, Service, ServiceContent,
    ServiceImage, ServiceQuery, ServiceStatus, SortBy, SortOrder, rating_of,
};
use krika_kernel::ids::{CategoryId, ImageId, ServiceId, UserId};
use krika_kernel::ports::Cache;
use krika_kernel::slug::slugify;
use krika_kernel::{Clock, Page, PageRequest, RepoError, Unexpected};

use crate::lock;

struct CategoryRow {
    slug: String,
    name: String,
    description: String,
    parent_id: Option<CategoryId>,
    position: i32,
}

impl CategoryRow {
    fn from_draft(draft: &CategoryDraft) -> Self {
        Self {
            slug: draft.slug.clone(),
            name: draft.name.clone(),
            description: draft.description.clone(),
            parent_id: draft.parent_id,
            position: draft.position,
        }
    }
}

struct SellerRow {
    username: String,
    name: String,
    avatar_key: Option<String>,
}

struct ServiceRow {
    id: ServiceId,
    seller_id: UserId,
    slug: String,
    content: ServiceContent,
    starting_price: i64,
    currency: krika_kernel::Currency,
    status: ServiceStatus,
    rejection_reason: Option<String>,
    is_available: bool,
    /// Ordered by position.
    images: Vec<ServiceImage>,
    rating_total: i64,
    reviews_count: i64,
    orders_count: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    /// When it last entered review: the moderation queue's order.
    submitted_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

impl ServiceRow {
    fn is_live(&self) -> bool {
        self.deleted_at.is_none()
    }

    fn is_public(&self) -> bool {
        self.is_live() && self.status == ServiceStatus::Approved && self.is_available
    }

    /// Moves to `to`; entering review clears the old rejection and restarts the queue
    /// place (as the PostgreSQL adapter's `set_status`).
    fn set_status(&mut self, to: ServiceStatus, now: DateTime<Utc>) {
        if self.status != to && to == ServiceStatus::PendingReview {
            self.rejection_reason = None;
            self.submitted_at = now;
        }
        self.status = to;
        self.updated_at = now;
    }

    /// Exact average for sorting (the domain rounds only for display).
    fn rating_avg(&self) -> f64 {
        if self.reviews_count <= 0 {
            0.0
        } else {
            self.rating_total as f64 / self.reviews_count as f64
        }
    }
}

#[derive(Default)]
struct State {
    categories: HashMap<CategoryId, CategoryRow>,
    services: HashMap<ServiceId, ServiceRow>,
    sellers: HashMap<UserId, SellerRow>,
}

impl State {
    fn live(&self) -> impl Iterator<Item = &ServiceRow> {
        self.services.values().filter(|row| row.is_live())
    }

    fn live_mut(&mut self, id: ServiceId) -> Option<&mut ServiceRow> {
        self.services.get_mut(&id).filter(|row| row.is_live())
    }

    fn slug_taken(&self, slug: &str, except: Option<CategoryId>) -> bool {
        self.categories
            .iter()
            .any(|(id, c)| c.slug == slug && Some(*id) != except)
    }

    /// The smallest free slug among `base`, `base-2`, `base-3`… over live services.
    fn free_slug(&self, base: &str) -> String {
        let taken = |slug: &str| self.live().any(|row| row.slug == slug);
        if !taken(base) {
            return base.to_owned();
        }
        (2u64..)
            .map(|n| format!("{base}-{n}"))
            .find(|slug| !taken(slug))
            .unwrap_or_else(|| format!("{base}-2"))
    }

    fn seller_rating(&self, seller: UserId) -> f64 {
        let (total, count) = self
            .live()
            .filter(|row| row.seller_id == seller)
            .fold((0, 0), |(t, c), row| {
                (t + row.rating_total, c + row.reviews_count)
            });
        rating_of(total, count)
    }

    fn assemble(&self, row: &ServiceRow) -> Service {
        let category = self.categories.get(&row.content.category_id);
        let seller = self.sellers.get(&row.seller_id);
        Service {
            id: row.id,
            slug: row.slug.clone(),
            title: row.content.title.clone(),
            short_description: row.content.short_description.clone(),
            description: row.content.description.clone(),
            category: CategoryRef {
                id: row.content.category_id,
                slug: category.map(|c| c.slug.clone()).unwrap_or_default(),
                name: category.map(|c| c.name.clone()).unwrap_or_default(),
            },
            tags: row.content.tags.clone(),
            packages: row.content.packages.clone(),
            extras: row.content.extras.clone(),
            images: row.images.clone(),
            starting_price: row.starting_price,
            currency: row.currency,
            rating: rating_of(row.rating_total, row.reviews_count),
            reviews_count: row.reviews_count,
            orders_count: row.orders_count,
            seller: SellerRef {
                id: row.seller_id,
                username: seller.map_or_else(|| "unknown".to_owned(), |s| s.username.clone()),
                name: seller.map(|s| s.name.clone()).unwrap_or_default(),
                avatar_key: seller.and_then(|s| s.avatar_key.clone()),
                rating: self.seller_rating(row.seller_id),
            },
            status: row.status,
            rejection_reason: row.rejection_reason.clone(),
            is_available: row.is_available,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }

    fn assemble_id(&self, id: ServiceId) -> Option<Service> {
        self.services
            .get(&id)
            .filter(|row| row.is_live())
            .map(|row| self.assemble(row))
    }
}

/// Categories and services behind one lock; implements `CategoryRepository` and
/// `ServiceRepository` with the promises of the PostgreSQL adapter (unique slugs, refused
/// deletes of used categories, soft-deleted services, atomic image counts).
#[derive(Default)]
pub struct MemoryCatalogStore {
    state: Mutex<State>,
}

impl MemoryCatalogStore {
    /// Makes a seller known, so services show their username and name (the users table
    /// the PostgreSQL adapter joins). Unknown sellers read as `unknown`.
    pub fn add_seller(&self, id: UserId, username: &str, name: &str) {
        lock(&self.state).sellers.insert(
            id,
            SellerRow {
                username: username.to_owned(),
                name: name.to_owned(),
                avatar_key: None,
            },
        );
    }

    /// Sets a known seller's avatar key; `false` if the seller is unknown.
    pub fn set_seller_avatar(&self, id: UserId, avatar_key: Option<&str>) -> bool {
        match lock(&self.state).sellers.get_mut(&id) {
            Some(seller) => {
                seller.avatar_key = avatar_key.map(str::to_owned);
                true
            }
            None => false,
        }
    }

    /// Sets what reviews and orders would maintain: the sum of stars, the number of
    /// reviews and of completed orders. `false` if no such live service.
    pub fn set_counters(
        &self,
        id: ServiceId,
        rating_total: i64,
        reviews_count: i64,
        orders_count: i64,
    ) -> bool {
        match lock(&self.state).live_mut(id) {
            Some(row) => {
                row.rating_total = rating_total;
                row.reviews_count = reviews_count;
                row.orders_count = orders_count;
                true
            }
            None => false,
        }
    }

    /// Every stored service, deleted ones included (tests look at what a delete left).
    pub fn services_count(&self) -> usize {
        lock(&self.state).services.len()
    }

    /// The order store's hook: counts a completed order on its service. Deleted services
    /// count too, as the PostgreSQL update by id does.
    pub(crate) fn count_order(&self, id: ServiceId) {
        if let Some(row) = lock(&self.state).services.get_mut(&id) {
            row.orders_count += 1;
        }
    }

    /// The review store's hook: adds a review's stars to its service's rating.
    pub(crate) fn add_review(&self, id: ServiceId, stars: i16) {
        if let Some(row) = lock(&self.state).services.get_mut(&id) {
            row.rating_total += i64::from(stars);
            row.reviews_count += 1;
        }
    }

    /// The status of every live service, for the platform's figures.
    pub(crate) fn live_statuses(&self) -> Vec<ServiceStatus> {
        lock(&self.state).live().map(|row| row.status).collect()
    }
}

#[async_trait]
impl CategoryRepository for MemoryCatalogStore {
    async fn categories(&self) -> Result<Vec<Category>, Unexpected> {
        let state = lock(&self.state);
        let mut counts: HashMap<CategoryId, u64> = HashMap::new();
        for row in state.services.values().filter(|row| row.is_public()) {
            *counts.entry(row.content.category_id).or_default() += 1;
        }
        let mut categories: Vec<Category> = state
            .categories
            .iter()
            .map(|(id, c)| Category {
                id: *id,
                slug: c.slug.clone(),
                name: c.name.clone(),
                description: c.description.clone(),
                parent_id: c.parent_id,
                position: c.position,
                services_count: counts.get(id).copied().unwrap_or(0),
            })
            .collect();
        categories.sort_by_key(|c| c.id);
        Ok(categories)
    }

    async fn create_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
        _now: DateTime<Utc>,
    ) -> Result<(), CategoryWriteError> {
        let mut state = lock(&self.state);
        if state.slug_taken(&draft.slug, None) || state.categories.contains_key(&id) {
            return Err(CategoryWriteError::SlugTaken);
        }
        if let Some(parent) = draft.parent_id
            && !state.categories.contains_key(&parent)
        {
            return Err(CategoryWriteError::UnknownParent);
        }
        state.categories.insert(id, CategoryRow::from_draft(draft));
        Ok(())
    }

    async fn update_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
        _now: DateTime<Utc>,
    ) -> Result<(), CategoryWriteError> {
        let mut state = lock(&self.state);
        if !state.categories.contains_key(&id) {
            return Err(CategoryWriteError::NotFound);
        }
        if state.slug_taken(&draft.slug, Some(id)) {
            return Err(CategoryWriteError::SlugTaken);
        }
        if let Some(parent) = draft.parent_id
            && !state.categories.contains_key(&parent)
        {
            return Err(CategoryWriteError::UnknownParent);
        }
        state.categories.insert(id, CategoryRow::from_draft(draft));
        Ok(())
    }

    async fn delete_category(&self, id: CategoryId) -> Result<(), CategoryWriteError> {
        let mut state = lock(&self.state);
        if !state.categories.contains_key(&id) {
            return Err(CategoryWriteError::NotFound);
        }
        let has_children = state.categories.values().any(|c| c.parent_id == Some(id));
        // Deleted services count too: orders still point at them.
        let has_services = state
            .services
            .values()
            .any(|row| row.content.category_id == id);
        if has_children || has_services {
            return Err(CategoryWriteError::InUse);
        }
        state.categories.remove(&id);
        Ok(())
    }
}

/// How a search term matches a service: `None` when it does not, else the number of the
/// service's words that contain one of the term's words.
fn relevance(words: &[String], row: &ServiceRow) -> Option<usize> {
    let document = [
        row.content.title.as_str(),
        row.content.short_description.as_str(),
        row.content.description.as_str(),
        &row.content.tags.join(" "),
    ]
    .map(|text| slugify(text, usize::MAX))
    .join("-");
    // Every word of the term must appear (as full-text search ANDs them); a word matches
    // inside a longer one, so `logo` finds `logos`.
    if !words.iter().all(|w| document.contains(w.as_str())) {
        return None;
    }
    Some(
        document
            .split('-')
            .filter(|word| words.iter().any(|w| word.contains(w.as_str())))
            .count(),
    )
}

/// The folded words of a search term; empty when it has no letter or digit.
fn search_words(term: &str) -> Vec<String> {
    slugify(term, usize::MAX)
        .split('-')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[async_trait]
impl ServiceRepository for MemoryCatalogStore {
    async fn create_service(&self, new: NewService) -> Result<Option<Service>, Unexpected> {
        let mut state = lock(&self.state);
        if !state.categories.contains_key(&new.content.category_id) {
            return Ok(None);
        }
        if state.services.contains_key(&new.id) {
            return Err(Unexpected::msg(format!(
                "service {} already exists",
                new.id
            )));
        }
        let slug = state.free_slug(&new.slug);
        let row = ServiceRow {
            id: new.id,
            seller_id: new.seller_id,
            slug,
            starting_price: new.content.starting_price(),
            content: new.content,
            currency: new.currency,
            status: ServiceStatus::PendingReview,
            rejection_reason: None,
            is_available: true,
            images: Vec::new(),
            rating_total: 0,
            reviews_count: 0,
            orders_count: 0,
            created_at: new.now,
            updated_at: new.now,
            submitted_at: new.now,
            deleted_at: None,
        };
        state.services.insert(new.id, row);
        Ok(state.assemble_id(new.id))
    }

    async fn find_service(&self, key: ServiceKey<'_>) -> Result<Option<Service>, Unexpected> {
        let state = lock(&self.state);
        let found = match key {
            ServiceKey::Id(id) => state.services.get(&id).filter(|row| row.is_live()),
            ServiceKey::Slug(slug) => state.live().find(|row| row.slug == slug),
        };
        Ok(found.map(|row| state.assemble(row)))
    }

    async fn update_service(
        &self,
        id: ServiceId,
        content: &ServiceContent,
        is_available: bool,
        status: ServiceStatus,
        now: DateTime<Utc>,
    ) -> Result<Option<Service>, Unexpected> {
        let mut state = lock(&self.state);
        if !state.categories.contains_key(&content.category_id) {
            // The foreign key would refuse it.
            return Err(Unexpected::msg(format!(
                "unknown category {}",
                content.category_id
            )));
        }
        let Some(row) = state.live_mut(id) else {
            return Ok(None);
        };
        row.content = content.clone();
        row.starting_price = content.starting_price();
        row.is_available = is_available;
        row.set_status(status, now);
        Ok(state.assemble_id(id))
    }

    async fn moderate_service(
        &self,
        id: ServiceId,
        from: ServiceStatus,
        to: ServiceStatus,
        reason: Option<&str>,
        _events: &[krika_kernel::DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<Service, ModerateError> {
        let mut state = lock(&self.state);
        let Some(row) = state.live_mut(id) else {
            return Err(RepoError::Refused(NotModerated::Gone));
        };
        if row.status != from {
            return Err(RepoError::Refused(NotModerated::Moved(row.status)));
        }
        row.set_status(to, now);
        row.rejection_reason = reason.map(str::to_owned);
        state
            .assemble_id(id)
            .ok_or(RepoError::Refused(NotModerated::Gone))
    }

    async fn delete_service(&self, id: ServiceId, now: DateTime<Utc>) -> Result<bool, Unexpected> {
        let mut state = lock(&self.state);
        match state.live_mut(id) {
            Some(row) => {
                row.deleted_at = Some(now);
                row.updated_at = now;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn add_images(
        &self,
        id: ServiceId,
        images: &[ServiceImage],
        max: usize,
        status: ServiceStatus,
        now: DateTime<Utc>,
    ) -> Result<Service, AddImagesError> {
        let mut state = lock(&self.state);
        let Some(row) = state.live_mut(id) else {
            return Err(RepoError::Refused(ImagesRefused::Gone));
        };
        let count = row.images.len();
        if count + images.len() > max {
            return Err(RepoError::Refused(ImagesRefused::Full { count }));
        }
        row.images.extend(images.iter().cloned());
        row.images.sort_by_key(|image| image.position);
        row.set_status(status, now);
        let service = state
            .assemble_id(id)
            .ok_or_else(|| Unexpected::msg("service vanished while adding images"))?;
        Ok(service)
    }

    async fn remove_image(
        &self,
        id: ServiceId,
        image: ImageId,
        status: ServiceStatus,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, Unexpected> {
        let mut state = lock(&self.state);
        let Some(row) = state.live_mut(id) else {
            return Ok(None);
        };
        let Some(at) = row.images.iter().position(|i| i.id == image) else {
            return Ok(None);
        };
        let removed = row.images.remove(at);
        row.set_status(status, now);
        Ok(Some(removed.key))
    }

    async fn search_services(
        &self,
        query: &ServiceQuery,
        page: PageRequest,
    ) -> Result<Page<Service>, Unexpected> {
        let state = lock(&self.state);
        let words = query.search.as_deref().map(search_words);
        let mut found: Vec<(&ServiceRow, usize)> = state
            .live()
            .filter(|row| row.status == query.status)
            .filter(|row| !query.only_available || row.is_available)
            .filter(|row| {
                query
                    .categories
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&row.content.category_id))
            })
            .filter(|row| query.min_price.is_none_or(|min| row.starting_price >= min))
            .filter(|row| query.max_price.is_none_or(|max| row.starting_price <= max))
            .filter(|row| query.seller_id.is_none_or(|seller| row.seller_id == seller))
            .filter(|row| query.tags.iter().all(|tag| row.content.tags.contains(tag)))
            .filter_map(|row| match &words {
                // A term without any word matches nothing, as an empty tsquery does.
                Some(words) if words.is_empty() => None,
                Some(words) => relevance(words, row).map(|score| (row, score)),
                None => Some((row, 0)),
            })
            .collect();
        let desc = query.sort_order == SortOrder::Desc;
        let directed = |ordering: Ordering| if desc { ordering.reverse() } else { ordering };
        found.sort_by(|(a, score_a), (b, score_b)| {
            let primary = match query.sort_by {
                SortBy::Relevance if words.is_some() => {
                    directed(score_a.cmp(score_b)).then(b.created_at.cmp(&a.created_at))
                }
                SortBy::Price => directed(a.starting_price.cmp(&b.starting_price)),
                SortBy::Rating if desc => b
                    .rating_avg()
                    .total_cmp(&a.rating_avg())
                    .then(b.reviews_count.cmp(&a.reviews_count)),
                SortBy::Rating => a.rating_avg().total_cmp(&b.rating_avg()),
                SortBy::CreatedAt | SortBy::Relevance => directed(a.created_at.cmp(&b.created_at)),
            };
            // A total order, so pages never overlap or skip.
            primary.then_with(|| directed(a.id.cmp(&b.id)))
        });
        let services = found
            .into_iter()
            .map(|(row, _)| state.assemble(row))
            .collect();
        Ok(crate::paginate(services, page))
    }

    async fn moderation_queue(
        &self,
        status: ServiceStatus,
        page: PageRequest,
    ) -> Result<Page<Service>, Unexpected> {
        let state = lock(&self.state);
        let mut found: Vec<&ServiceRow> = state.live().filter(|row| row.status == status).collect();
        found.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at).then(a.id.cmp(&b.id)));
        let services = found.into_iter().map(|row| state.assemble(row)).collect();
        Ok(crate::paginate(services, page))
    }

    async fn seller_stats(&self, seller: UserId) -> Result<SellerStats, Unexpected> {
        let state = lock(&self.state);
        let mut stats = SellerStats::default();
        let mut rating_total = 0;
        // As the PostgreSQL adapter: every live service's reviews and orders count, only
        // approved, available ones are "services".
        for row in state.live().filter(|row| row.seller_id == seller) {
            if row.status == ServiceStatus::Approved && row.is_available {
                stats.services_count += 1;
            }
            rating_total += row.rating_total;
            stats.reviews_count += row.reviews_count;
            stats.completed_orders += row.orders_count;
        }
        stats.rating = rating_of(rating_total, stats.reviews_count);
        Ok(stats)
    }
}

struct CacheEntry {
    value: Vec<u8>,
    /// `None` when the cache has no clock to expire entries by.
    expires_at: Option<DateTime<Utc>>,
}

/// The shared read cache in a map. Without a clock entries never expire; with one
/// ([`MemoryCache::with_clock`]) they expire after their TTL (at least a second, as Redis
/// `SET EX` needs). Counts hits and misses so tests can see what was served from it.
#[derive(Default)]
pub struct MemoryCache {
    entries: Mutex<HashMap<String, CacheEntry>>,
    clock: Option<Arc<dyn Clock>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl MemoryCache {
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock: Some(clock),
            ..Self::default()
        }
    }

    fn now(&self) -> Option<DateTime<Utc>> {
        self.clock.as_ref().map(|clock| clock.now())
    }

    fn alive(entry: &CacheEntry, now: Option<DateTime<Utc>>) -> bool {
        match (entry.expires_at, now) {
            (Some(expires_at), Some(now)) => now < expires_at,
            _ => true,
        }
    }

    /// Keys of the live entries, sorted.
    pub fn keys(&self) -> Vec<String> {
        let now = self.now();
        let mut keys: Vec<String> = lock(&self.entries)
            .iter()
            .filter(|(_, entry)| Self::alive(entry, now))
            .map(|(key, _)| key.clone())
            .collect();
        keys.sort();
        keys
    }

    pub fn contains(&self, key: &str) -> bool {
        let now = self.now();
        lock(&self.entries)
            .get(key)
            .is_some_and(|entry| Self::alive(entry, now))
    }

    /// Number of live entries.
    pub fn len(&self) -> usize {
        self.keys().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `get` calls answered from the cache.
    pub fn hits(&self) -> u64 {
        self.hits.load(AtomicOrdering::Relaxed)
    }

    /// `get` calls that found nothing.
    pub fn misses(&self) -> u64 {
        self.misses.load(AtomicOrdering::Relaxed)
    }
}

#[async_trait]
impl Cache for MemoryCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Unexpected> {
        let now = self.now();
        let mut entries = lock(&self.entries);
        let value = match entries.get(key) {
            Some(entry) if Self::alive(entry, now) => Some(entry.value.clone()),
            Some(_) => {
                entries.remove(key);
                None
            }
            None => None,
        };
        let counter = if value.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, AtomicOrdering::Relaxed);
        Ok(value)
    }

    async fn put(&self, key: &str, value: &[u8], ttl_secs: u64) -> Result<(), Unexpected> {
        // A TTL too large to represent never expires.
        let ttl = Duration::try_seconds(i64::try_from(ttl_secs.max(1)).unwrap_or(i64::MAX));
        let expires_at = self
            .now()
            .zip(ttl)
            .and_then(|(now, ttl)| now.checked_add_signed(ttl));
        lock(&self.entries).insert(
            key.to_owned(),
            CacheEntry {
                value: value.to_vec(),
                expires_at,
            },
        );
        Ok(())
    }

    async fn delete(&self, keys: &[String]) -> Result<(), Unexpected> {
        let mut entries = lock(&self.entries);
        for key in keys {
            entries.remove(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_fold_accents_and_case() {
        assert_eq!(search_words("  Créer un LOGO! "), ["creer", "un", "logo"]);
        assert!(search_words("!!!").is_empty());
    }
}
