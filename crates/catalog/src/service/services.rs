//! A seller's services: create, read (with visibility), edit, delete.

use krika_kernel::ValidationErrors;
use krika_kernel::ids::{ServiceId, UserId};
use krika_kernel::slug::slugify;

use super::{Actor, CATEGORIES_KEY, Catalog, service_key};
use crate::error::CatalogError;
use crate::model::{
    SellerStats, Service, ServiceContent, ServiceInput, ServicePatch, ServiceStatus,
};
use crate::ports::{NewService, ServiceKey};

impl Catalog {
    /// A service by id or slug. Services not approved yet are shown only to their seller
    /// and to admins; everyone else gets `NotFound`, as for a service that does not exist.
    pub async fn service(
        &self,
        actor: Option<&Actor>,
        id_or_slug: &str,
    ) -> Result<Service, CatalogError> {
        let service = self.load(id_or_slug, true).await?;
        visible_to(service, actor)
    }

    /// Approved services are cached by id for reads; writes (`use_cache = false`) always
    /// decide on the stored service, never on a cached copy.
    async fn load(&self, id_or_slug: &str, use_cache: bool) -> Result<Service, CatalogError> {
        let key = match uuid::Uuid::parse_str(id_or_slug) {
            Ok(id) => ServiceKey::Id(id.into()),
            Err(_) => ServiceKey::Slug(id_or_slug),
        };
        if use_cache
            && let ServiceKey::Id(id) = key
            && let Some(service) = self.cached::<Service>(&service_key(id)).await
        {
            return Ok(service);
        }
        let service = self
            .ports
            .services
            .find_service(key)
            .await?
            .ok_or(CatalogError::NotFound)?;
        if service.is_public() {
            self.remember(
                &service_key(service.id),
                &service,
                self.config.service_cache_ttl_secs,
            )
            .await;
        }
        Ok(service)
    }

    /// A service the actor may change: their own, or any for an admin when `admin_ok`.
    /// Someone else's service is `Forbidden` when they can see it, `NotFound` otherwise.
    pub(super) async fn owned(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        admin_ok: bool,
    ) -> Result<Service, CatalogError> {
        let service = visible_to(self.load(id_or_slug, false).await?, Some(actor))?;
        if service.seller.id == actor.id || (admin_ok && actor.is_admin) {
            Ok(service)
        } else {
            Err(CatalogError::NotTheSeller)
        }
    }

    pub async fn create_service(
        &self,
        actor: &Actor,
        input: ServiceInput,
    ) -> Result<Service, CatalogError> {
        if !actor.is_seller {
            return Err(CatalogError::NotASeller);
        }
        let content = ServiceContent::parse(input)?;
        self.check_category(&content).await?;
        let mut slug = slugify(&content.title, 80);
        if slug.is_empty() {
            slug = "service".into();
        }
        let new = NewService {
            id: ServiceId::new(),
            seller_id: actor.id,
            slug,
            content,
            currency: self.config.currency,
            now: self.now(),
        };
        self.ports
            .services
            .create_service(new)
            .await?
            .ok_or_else(unknown_category)
    }

    /// A partial edit by the seller. Changing what buyers judge (title, descriptions,
    /// packages) sends an approved or rejected service back to review.
    pub async fn update_service(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        patch: ServicePatch,
    ) -> Result<Service, CatalogError> {
        let current = self.owned(actor, id_or_slug, false).await?;
        let content = ServiceContent::patch(&current, &patch)?;
        if patch.category_id.is_some() {
            self.check_category(&content).await?;
        }
        let status = if content.needs_review_against(&current) {
            ServiceStatus::PendingReview
        } else {
            current.status
        };
        let is_available = patch.is_available.unwrap_or(current.is_available);
        let updated = self
            .ports
            .services
            .update_service(current.id, &content, is_available, status, self.now())
            .await?
            .ok_or(CatalogError::NotFound)?;
        self.forget(&[service_key(current.id), CATEGORIES_KEY.to_owned()])
            .await;
        Ok(updated)
    }

    /// Soft delete by the seller or an admin; orders keep their snapshots.
    pub async fn delete_service(
        &self,
        actor: &Actor,
        id_or_slug: &str,
    ) -> Result<(), CatalogError> {
        let service = self.owned(actor, id_or_slug, true).await?;
        if !self
            .ports
            .services
            .delete_service(service.id, self.now())
            .await?
        {
            return Err(CatalogError::NotFound);
        }
        self.forget(&[service_key(service.id), CATEGORIES_KEY.to_owned()])
            .await;
        Ok(())
    }

    pub async fn seller_stats(&self, seller: UserId) -> Result<SellerStats, CatalogError> {
        Ok(self.ports.services.seller_stats(seller).await?)
    }

    async fn check_category(&self, content: &ServiceContent) -> Result<(), CatalogError> {
        let tree = self.category_tree().await?;
        if tree.get(content.category_id).is_none() {
            return Err(unknown_category());
        }
        Ok(())
    }
}

/// Services not approved yet are shown only to their seller and to admins; everyone else
/// gets `NotFound`, as for a service that does not exist.
fn visible_to(service: Service, actor: Option<&Actor>) -> Result<Service, CatalogError> {
    if service.is_public() || actor.is_some_and(|a| a.is_admin || a.id == service.seller.id) {
        Ok(service)
    } else {
        Err(CatalogError::NotFound)
    }
}

fn unknown_category() -> CatalogError {
    ValidationErrors::single("categoryId", "No such category").into()
}
