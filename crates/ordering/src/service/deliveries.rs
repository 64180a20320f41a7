//! Deliveries: a message and up to five files, stored privately.

use krika_kernel::ValidationErrors;
use krika_kernel::ids::{DeliveryId, OrderId};

use super::{Customer, Ordering};
use crate::OrderingError;
use crate::model::{Delivery, DeliveryFile, Order, OrderStatus};
use crate::rules::{ChangeRequest, Via, decide};

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub const MESSAGE_MAX: usize = 5_000;

impl Ordering {
    /// `in_progress → delivered`, seller only.
    pub async fn deliver(
        &self,
        caller: &Customer,
        id: OrderId,
        message: Option<String>,
        files: Vec<Upload>,
    ) -> Result<Order, OrderingError> {
        let (order, party) = self.order(caller, id).await?;
        // Kept exactly as sent; only a blank one is refused.
        let message = message.unwrap_or_default();
        let mut errors = ValidationErrors::new();
        if message.trim().is_empty() || message.chars().count() > MESSAGE_MAX {
            errors.push("message", "message must be 1 to 5000 characters");
        }
        if files.len() > self.config.delivery_files_max {
            errors.push(
                "files",
                format!("at most {} files", self.config.delivery_files_max),
            );
        }
        let limit = self.config.delivery_file_max_bytes;
        if files.iter().any(|f| f.bytes.len() > limit) {
            return Err(OrderingError::TooLarge { limit });
        }
        errors.into_result()?;

        let delivery_id = DeliveryId::new();
        let now = self.now();
        let mut delivery = Delivery {
            id: delivery_id,
            message,
            files: Vec::new(),
            created_at: now,
        };
        let request = |delivery: Delivery| ChangeRequest {
            to: OrderStatus::Delivered,
            by: party,
            user: Some(caller.id),
            reason: None,
            via: Via::Deliver(delivery),
            now,
        };
        // Refuse before storing anything; the adapter checks again under the lock.
        decide(&order, &request(delivery.clone()))?;

        for (i, file) in files.into_iter().enumerate() {
            let key = format!(
                "deliveries/{id}/{delivery_id}/{i}-{}",
                krika_kernel::media::storage_name(&file.name)
            );
            let size = file.bytes.len() as i64;
            self.ports
                .blobs
                .put(&key, file.bytes, &file.content_type)
                .await?;
            delivery.files.push(DeliveryFile {
                key,
                name: file.name,
                size,
                content_type: file.content_type,
            });
        }
        let keys: Vec<String> = delivery.files.iter().map(|f| f.key.clone()).collect();
        let changed = self.ports.orders.change_order(id, &request(delivery)).await;
        let result = match changed {
            Ok(order) => return Ok(order),
            Err(error) => Err(OrderingError::from(error)),
        };
        for key in keys {
            if let Err(error) = self.ports.blobs.delete(&key).await {
                tracing::warn!(%error, key, "could not remove the file of a refused delivery");
            }
        }
        result
    }

    /// A link that serves a delivered file for a while.
    pub async fn file_link(&self, key: &str) -> Result<String, OrderingError> {
        Ok(self
            .ports
            .blobs
            .signed_url(key, self.config.file_link_ttl)
            .await?)
    }
}
