//! Users and orders, read as messaging sees them.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krika_kernel::Unexpected;
use krika_kernel::ids::{OrderId, UserId};
use krika_messaging::model::{Contact, OrderParties, OrderRef};
use krika_messaging::ports::People;
use uuid::Uuid;

use super::PgMessagingStore;
use super::rows::{PersonRow, people};
use crate::error::unexpected;
use crate::schema::{orders, users};

#[async_trait]
impl People for PgMessagingStore {
    async fn contact(&self, id: UserId) -> Result<Option<Contact>, Unexpected> {
        Ok(self.contacts(&[id]).await?.pop())
    }

    async fn contacts(&self, ids: &[UserId]) -> Result<Vec<Contact>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let ids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
        let found = people(&mut conn, &ids).await.map_err(unexpected)?;
        Ok(found
            .values()
            .map(|row| row.contact(&self.avatar_url))
            .collect())
    }

    async fn admins(&self) -> Result<Vec<Contact>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let rows: Vec<PersonRow> = users::table
            .filter(users::role.eq("admin"))
            .filter(users::status.eq("active"))
            .filter(users::deleted_at.is_null())
            .select(PersonRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(rows.iter().map(|r| r.contact(&self.avatar_url)).collect())
    }

    async fn order_parties(&self, order: OrderId) -> Result<Option<OrderParties>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<(Uuid, String, Uuid, Uuid, String)> = orders::table
            .find(order.0)
            .select((
                orders::id,
                orders::number,
                orders::buyer_id,
                orders::seller_id,
                orders::status,
            ))
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        Ok(row.map(|(id, number, buyer, seller, status)| OrderParties {
            order: OrderRef {
                id: OrderId(id),
                number,
            },
            buyer: UserId(buyer),
            seller: UserId(seller),
            status,
        }))
    }

    async fn share_an_order(&self, a: UserId, b: UserId) -> Result<bool, Unexpected> {
        let mut conn = self.db.conn().await?;
        // Two index probes (orders by buyer), whichever side bought.
        diesel::select(diesel::dsl::exists(
            orders::table.filter(
                orders::buyer_id
                    .eq(a.0)
                    .and(orders::seller_id.eq(b.0))
                    .or(orders::buyer_id.eq(b.0).and(orders::seller_id.eq(a.0))),
            ),
        ))
        .get_result(&mut conn)
        .await
        .map_err(unexpected)
    }
}
