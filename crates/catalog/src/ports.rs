//! What the catalog needs from storage. Writes that touch several rows (a service and its
//! images, a status and its counters) are one call, made atomic by the adapter.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_kernel::ids::{CategoryId, ImageId, ServiceId, UserId};
use krika_kernel::{DomainEvent, Page, PageRequest, RepoError, Unexpected};

use crate::model::{
    Category, CategoryDraft, SellerStats, Service, ServiceContent, ServiceImage, ServiceQuery,
    ServiceStatus,
};

#[derive(Debug, thiserror::Error)]
pub enum CategoryWriteError {
    #[error("slug already used")]
    SlugTaken,
    #[error("unknown parent")]
    UnknownParent,
    /// Sub-categories or services still point at it.
    #[error("category in use")]
    InUse,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// Why moderation did not move a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotModerated {
    Gone,
    /// It is no longer in the status the moderator saw (another admin decided first).
    Moved(ServiceStatus),
}

pub type ModerateError = RepoError<NotModerated>;

/// Why images were not added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImagesRefused {
    Gone,
    /// The service would have more than allowed; it has `count` already.
    Full {
        count: usize,
    },
}

pub type AddImagesError = RepoError<ImagesRefused>;

#[async_trait]
pub trait CategoryRepository: Send + Sync + 'static {
    /// Every category; `services_count` counts only its own approved, available services.
    async fn categories(&self) -> Result<Vec<Category>, Unexpected>;
    async fn create_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
        now: DateTime<Utc>,
    ) -> Result<(), CategoryWriteError>;
    async fn update_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
        now: DateTime<Utc>,
    ) -> Result<(), CategoryWriteError>;
    async fn delete_category(&self, id: CategoryId) -> Result<(), CategoryWriteError>;
}

/// A service about to be stored.
#[derive(Debug, Clone)]
pub struct NewService {
    pub id: ServiceId,
    pub seller_id: UserId,
    /// The slug wanted; the adapter appends `-2`, `-3`… if it is taken.
    pub slug: String,
    pub content: ServiceContent,
    pub currency: krika_kernel::Currency,
    pub now: DateTime<Utc>,
}

/// How a service is looked up.
#[derive(Debug, Clone, Copy)]
pub enum ServiceKey<'a> {
    Id(ServiceId),
    Slug(&'a str),
}

#[async_trait]
pub trait ServiceRepository: Send + Sync + 'static {
    /// Errors only when the category does not exist (`Ok(None)`).
    async fn create_service(&self, new: NewService) -> Result<Option<Service>, Unexpected>;

    /// A live (not deleted) service, whatever its status.
    async fn find_service(&self, key: ServiceKey<'_>) -> Result<Option<Service>, Unexpected>;

    /// Replaces the content; `status` is the status it moves to (pending review after an
    /// edit that needs one). `None` when the service is gone.
    async fn update_service(
        &self,
        id: ServiceId,
        content: &ServiceContent,
        is_available: bool,
        status: ServiceStatus,
        now: DateTime<Utc>,
    ) -> Result<Option<Service>, Unexpected>;

    /// Moderation: moves a service from `from` to `to`, recording `events` with it; refused
    /// with the current status when it was not `from`, or when the service is gone.
    async fn moderate_service(
        &self,
        id: ServiceId,
        from: ServiceStatus,
        to: ServiceStatus,
        reason: Option<&str>,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<Service, ModerateError>;

    /// Soft delete; returns whether a live service was deleted.
    async fn delete_service(&self, id: ServiceId, now: DateTime<Utc>) -> Result<bool, Unexpected>;

    /// Adds images unless the service would then have more than `max` (refused with the
    /// current count) or is gone. `status` is applied too (an approved service goes back to
    /// review).
    async fn add_images(
        &self,
        id: ServiceId,
        images: &[ServiceImage],
        max: usize,
        status: ServiceStatus,
        now: DateTime<Utc>,
    ) -> Result<Service, AddImagesError>;

    /// Removes one image; returns its storage key, `None` if it was not the service's.
    async fn remove_image(
        &self,
        id: ServiceId,
        image: ImageId,
        status: ServiceStatus,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, Unexpected>;

    /// A page of services matching the query. Costs a bounded number of queries whatever
    /// the page size.
    async fn search_services(
        &self,
        query: &ServiceQuery,
        page: PageRequest,
    ) -> Result<Page<Service>, Unexpected>;

    /// The moderation queue: services in `status`, oldest submission first.
    async fn moderation_queue(
        &self,
        status: ServiceStatus,
        page: PageRequest,
    ) -> Result<Page<Service>, Unexpected>;

    async fn seller_stats(&self, seller: UserId) -> Result<SellerStats, Unexpected>;
}
