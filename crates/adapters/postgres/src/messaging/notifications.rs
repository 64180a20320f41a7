//! Notifications: one per (event, user), so an event delivered twice adds nothing.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krika_kernel::ids::UserId;
use krika_kernel::{Page, PageRequest, Unexpected};
use krika_messaging::model::{NewNotification, Notification, NotificationId, UnreadCounts};
use krika_messaging::ports::Notifications;

use super::PgMessagingStore;
use super::rows::NotificationRow;
use crate::Keep;
use crate::error::unexpected;
use crate::schema::{conversation_members as members, notifications};

#[async_trait]
impl Notifications for PgMessagingStore {
    async fn add(&self, n: NewNotification) -> Result<Notification, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row = NotificationRow {
            id: n.id.0,
            user_id: n.user_id.0,
            kind: n.kind,
            title: n.title,
            body: n.body,
            data: n.data,
            source_event: n.source_event,
            created_at: n.created_at,
            read_at: None,
        };
        diesel::insert_into(notifications::table)
            .values(&row)
            .on_conflict((notifications::source_event, notifications::user_id))
            .do_nothing()
            .kept()
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        let stored: NotificationRow = notifications::table
            .filter(notifications::source_event.eq(row.source_event))
            .filter(notifications::user_id.eq(row.user_id))
            .select(NotificationRow::as_select())
            .first(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(stored.into())
    }

    async fn list(
        &self,
        user: UserId,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Notification>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let filtered = || {
            let mut query = notifications::table
                .filter(notifications::user_id.eq(user.0))
                .into_boxed();
            if unread_only {
                query = query.filter(notifications::read_at.is_null());
            }
            query
        };
        let total: i64 = filtered()
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let rows: Vec<NotificationRow> = filtered()
            .select(NotificationRow::as_select())
            .order((notifications::created_at.desc(), notifications::id.desc()))
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(Page {
            items: rows.into_iter().map(Into::into).collect(),
            request: page,
            total: total as u64,
        })
    }

    async fn mark_read(
        &self,
        user: UserId,
        id: NotificationId,
        at: DateTime<Utc>,
    ) -> Result<Option<Notification>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<NotificationRow> = diesel::update(
            notifications::table
                .filter(notifications::id.eq(id.0))
                .filter(notifications::user_id.eq(user.0)),
        )
        .set(notifications::read_at.eq(crate::functions::coalesce_time(notifications::read_at, at)))
        .returning(NotificationRow::as_returning())
        .kept()
        .get_result(&mut conn)
        .await
        .optional()
        .map_err(unexpected)?;
        Ok(row.map(Into::into))
    }

    async fn mark_all_read(&self, user: UserId, at: DateTime<Utc>) -> Result<u64, Unexpected> {
        let mut conn = self.db.conn().await?;
        let n = diesel::update(
            notifications::table
                .filter(notifications::user_id.eq(user.0))
                .filter(notifications::read_at.is_null()),
        )
        .set(notifications::read_at.eq(at))
        .kept()
        .execute(&mut conn)
        .await
        .map_err(unexpected)?;
        Ok(n as u64)
    }

    async fn unread(&self, user: UserId) -> Result<UnreadCounts, Unexpected> {
        let mut conn = self.db.conn().await?;
        let notifications: i64 = notifications::table
            .filter(notifications::user_id.eq(user.0))
            .filter(notifications::read_at.is_null())
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let messages: Option<i64> = members::table
            .filter(members::user_id.eq(user.0))
            .filter(members::unread_count.gt(0))
            .select(diesel::dsl::sum(members::unread_count))
            .first(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(UnreadCounts {
            notifications,
            messages: messages.unwrap_or(0),
        })
    }
}
