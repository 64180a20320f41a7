use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ids::{OrderId, UserId};
use krika_messaging::ports::People;
use krika_messaging::{Contact, OrderParties};

use super::MemoryMessaging;
use crate::lock;

#[async_trait]
impl People for MemoryMessaging {
    async fn contact(&self, id: UserId) -> Result<Option<Contact>, Unexpected> {
        Ok(lock(&self.state).people.get(&id).cloned())
    }

    async fn contacts(&self, ids: &[UserId]) -> Result<Vec<Contact>, Unexpected> {
        let state = lock(&self.state);
        Ok(ids
            .iter()
            .filter_map(|id| state.people.get(id).cloned())
            .collect())
    }

    async fn admins(&self) -> Result<Vec<Contact>, Unexpected> {
        Ok(lock(&self.state)
            .people
            .values()
            .filter(|c| c.is_admin && c.active)
            .cloned()
            .collect())
    }

    async fn order_parties(&self, order: OrderId) -> Result<Option<OrderParties>, Unexpected> {
        Ok(lock(&self.state).orders.get(&order).cloned())
    }

    async fn share_an_order(&self, a: UserId, b: UserId) -> Result<bool, Unexpected> {
        Ok(lock(&self.state)
            .orders
            .values()
            .any(|o| o.is_between(a, b)))
    }
}
