//! The outbox's events become deliveries: one per endpoint subscribed, written idempotently
//! (an event handed over twice adds nothing).

use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ports::{StoredEvent, Subscriber};

use crate::Webhooks;
use crate::catalogue;
use crate::service::body;

pub struct WebhookFanout(pub Webhooks);

#[async_trait]
impl Subscriber for WebhookFanout {
    fn name(&self) -> &'static str {
        "webhooks.fanout"
    }

    fn wants(&self, kind: &str) -> bool {
        catalogue::is_known(kind)
    }

    async fn handle(&self, event: &StoredEvent) -> Result<(), Unexpected> {
        let payload = body(&event.kind, event.created_at, &event.data);
        let now = self.0.now();
        self.0
            .store()
            .enqueue(event.id, &event.kind, &payload, now)
            .await?;
        Ok(())
    }
}
