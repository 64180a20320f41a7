//! What the catalog hears from other domains through the outbox.

use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ids::ServiceId;
use krika_kernel::ports::{StoredEvent, Subscriber};

use crate::Catalog;

/// A completed order (`ordersCount`) or a new review (`rating`, `reviewsCount`) changes a
/// service's counters: its cached page goes, so they show at once. The counters themselves
/// are written in the order's or review's transaction.
pub struct CountersFollow(pub Catalog);

#[async_trait]
impl Subscriber for CountersFollow {
    fn name(&self) -> &'static str {
        "catalog.counters"
    }

    fn wants(&self, kind: &str) -> bool {
        matches!(kind, "order.completed" | "review.created")
    }

    async fn handle(&self, event: &StoredEvent) -> Result<(), Unexpected> {
        let Some(service) = event.uuid("serviceId") else {
            // No retry would ever find the field: an error would bring the event back
            // every hour forever. There is no page to refresh, so it is done.
            tracing::warn!(event = %event.id, kind = %event.kind, "counters: event without serviceId, skipped");
            return Ok(());
        };
        self.0.counters_changed(ServiceId(service)).await;
        Ok(())
    }
}
