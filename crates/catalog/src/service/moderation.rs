//! The admins' moderation of services.

use krika_kernel::{DomainEvent, FieldError, Page, PageRequest, RepoError, ValidationErrors};
use serde::Serialize;

use super::{Actor, CATEGORIES_KEY, Catalog, require_admin, service_key};
use crate::error::CatalogError;
use crate::model::{Service, ServiceStatus};
use crate::ports::NotModerated;

const REASON_MAX_CHARS: usize = 1000;

impl Catalog {
    /// Services in `status` (default `pending_review`), oldest submission first.
    pub async fn moderation_queue(
        &self,
        actor: &Actor,
        status: Option<ServiceStatus>,
        page: PageRequest,
    ) -> Result<Page<Service>, CatalogError> {
        require_admin(actor)?;
        let status = status.unwrap_or(ServiceStatus::PendingReview);
        Ok(self.ports.services.moderation_queue(status, page).await?)
    }

    pub async fn approve_service(
        &self,
        actor: &Actor,
        id_or_slug: &str,
    ) -> Result<Service, CatalogError> {
        self.moderate(actor, id_or_slug, ServiceStatus::Approved, None)
            .await
    }

    pub async fn reject_service(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        reason: &str,
    ) -> Result<Service, CatalogError> {
        // Who asks comes first: a client learns nothing of the rules of a refusal.
        require_admin(actor)?;
        let reason = reason.trim();
        let valid = !reason.is_empty() && reason.chars().count() <= REASON_MAX_CHARS;
        if !valid {
            return Err(ValidationErrors::from_one(FieldError::new(
                "reason",
                format!("Reason is required, at most {REASON_MAX_CHARS} characters"),
            ))
            .into());
        }
        self.moderate(actor, id_or_slug, ServiceStatus::Rejected, Some(reason))
            .await
    }

    /// Only a service waiting for review can be decided on.
    async fn moderate(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        to: ServiceStatus,
        reason: Option<&str>,
    ) -> Result<Service, CatalogError> {
        require_admin(actor)?;
        let service = self.owned(actor, id_or_slug, true).await?;
        let from = ServiceStatus::PendingReview;
        // Others hear of the decision (`service.approved`, `service.rejected`: the seller's
        // notification and e-mail, webhooks), written with the change.
        let events = [decision_event(&service, to, reason)];
        let moved = self
            .ports
            .services
            .moderate_service(service.id, from, to, reason, &events, self.now())
            .await;
        self.forget(&[service_key(service.id), CATEGORIES_KEY.to_owned()])
            .await;
        match moved {
            Ok(service) => Ok(service),
            Err(RepoError::Refused(NotModerated::Gone)) => Err(CatalogError::NotFound),
            Err(RepoError::Refused(NotModerated::Moved(current))) => {
                Err(CatalogError::InvalidTransition {
                    from: current.as_str(),
                    allowed: Vec::new(),
                })
            }
            Err(RepoError::Unexpected(error)) => Err(error.into()),
        }
    }
}

/// The payload of `service.approved` and `service.rejected`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ServiceDecision<'a> {
    service_id: uuid::Uuid,
    seller_id: uuid::Uuid,
    title: &'a str,
    slug: &'a str,
    status: &'static str,
    reason: Option<&'a str>,
}

fn decision_event(service: &Service, to: ServiceStatus, reason: Option<&str>) -> DomainEvent {
    let kind = if to == ServiceStatus::Approved {
        "service.approved"
    } else {
        "service.rejected"
    };
    DomainEvent::new(
        kind,
        service.id.as_uuid(),
        ServiceDecision {
            service_id: service.id.as_uuid(),
            seller_id: service.seller.id.as_uuid(),
            title: &service.title,
            slug: &service.slug,
            status: to.as_str(),
            reason,
        },
    )
}
