//! Reading orders and moving them through the transition table.

use chrono::Duration;
use krika_kernel::ids::OrderId;
use krika_kernel::{Page, PageRequest};

use super::{Customer, Ordering};
use crate::OrderingError;
use crate::model::{Order, OrderStatus, Party};
use crate::ports::Side;
use crate::rules::{ChangeRequest, Refusal, Via};

/// How an admin settles a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Pay the seller: `completed`.
    Release,
    /// Refund the buyer: `cancelled`.
    Refund,
}

impl From<Refusal> for OrderingError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Forbidden => OrderingError::OtherPartysMove,
            Refusal::Invalid { from, allowed } => OrderingError::InvalidTransition {
                from: from.as_str(),
                allowed: allowed.into_iter().map(OrderStatus::as_str).collect(),
            },
            Refusal::Validation(errors) => OrderingError::Validation(errors),
        }
    }
}

impl Ordering {
    /// The order with the caller's part in it; anyone else gets `NotFound`.
    pub async fn order(
        &self,
        caller: &Customer,
        id: OrderId,
    ) -> Result<(Order, Party), OrderingError> {
        let order = self
            .ports
            .orders
            .find_order(id)
            .await?
            .ok_or(OrderingError::NotFound)?;
        let party = order
            .party_of(caller.id, caller.is_admin)
            .ok_or(OrderingError::NotFound)?;
        Ok((order, party))
    }

    pub async fn list_orders(
        &self,
        caller: &Customer,
        side: Side,
        status: Option<OrderStatus>,
        page: PageRequest,
    ) -> Result<Page<Order>, OrderingError> {
        Ok(self
            .ports
            .orders
            .list_orders(side, caller.id, status, page)
            .await?)
    }

    /// `PUT /orders/{id}/status`.
    pub async fn change_status(
        &self,
        caller: &Customer,
        id: OrderId,
        to: OrderStatus,
        reason: Option<String>,
    ) -> Result<Order, OrderingError> {
        let (_, party) = self.order(caller, id).await?;
        self.apply(id, to, party, caller, reason, Via::Status).await
    }

    /// `POST /admin/orders/{id}/resolve`: only disputed orders.
    pub async fn resolve_dispute(
        &self,
        admin: &Customer,
        id: OrderId,
        outcome: Outcome,
        note: Option<String>,
    ) -> Result<Order, OrderingError> {
        if !admin.is_admin {
            return Err(OrderingError::AdminOnly);
        }
        self.ports
            .orders
            .find_order(id)
            .await?
            .ok_or(OrderingError::NotFound)?;
        let to = match outcome {
            Outcome::Release => OrderStatus::Completed,
            Outcome::Refund => OrderStatus::Cancelled,
        };
        self.apply(id, to, Party::Admin, admin, note, Via::Resolve)
            .await
    }

    pub(super) async fn apply(
        &self,
        id: OrderId,
        to: OrderStatus,
        party: Party,
        caller: &Customer,
        reason: Option<String>,
        via: Via,
    ) -> Result<Order, OrderingError> {
        let request = ChangeRequest {
            to,
            by: party,
            user: Some(caller.id),
            reason,
            via,
            now: self.now(),
        };
        Ok(self.ports.orders.change_order(id, &request).await?)
    }

    /// Completes orders delivered more than `auto_complete_days` ago and returns them.
    /// Safe to run on every instance at once.
    pub async fn auto_complete_due(&self, batch: i64) -> Result<Vec<Order>, OrderingError> {
        let now = self.now();
        let cutoff = now - Duration::days(self.config.auto_complete_days);
        // A batch below one would never be "short", and the loop would never end.
        let batch = batch.max(1);
        let mut done = Vec::new();
        loop {
            let completed = self.ports.orders.auto_complete(cutoff, now, batch).await?;
            let short = (completed.len() as i64) < batch;
            done.extend(completed);
            if short {
                return Ok(done);
            }
        }
    }
}
