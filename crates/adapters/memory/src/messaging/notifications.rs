use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_kernel::ids::UserId;
use krika_kernel::{Page, PageRequest, Unexpected};
use krika_messaging::ports::Notifications;
use krika_messaging::{NewNotification, Notification, NotificationId, UnreadCounts};

use super::MemoryMessaging;
use crate::{lock, paginate};

#[async_trait]
impl Notifications for MemoryMessaging {
    async fn add(&self, n: NewNotification) -> Result<Notification, Unexpected> {
        let mut state = lock(&self.state);
        if let Some((_, existing)) = state
            .notifications
            .iter()
            .find(|(source, existing)| *source == n.source_event && existing.user_id == n.user_id)
        {
            return Ok(existing.clone());
        }
        let notification = Notification {
            id: n.id,
            user_id: n.user_id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            data: n.data,
            read_at: None,
            created_at: n.created_at,
        };
        state
            .notifications
            .push((n.source_event, notification.clone()));
        Ok(notification)
    }

    async fn list(
        &self,
        user: UserId,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Notification>, Unexpected> {
        let state = lock(&self.state);
        let mut found: Vec<Notification> = state
            .notifications
            .iter()
            .map(|(_, n)| n)
            .filter(|n| n.user_id == user && (!unread_only || n.read_at.is_none()))
            .cloned()
            .collect();
        found.sort_by_key(|m| std::cmp::Reverse((m.created_at, m.id)));
        Ok(paginate(found, page))
    }

    async fn mark_read(
        &self,
        user: UserId,
        id: NotificationId,
        at: DateTime<Utc>,
    ) -> Result<Option<Notification>, Unexpected> {
        let mut state = lock(&self.state);
        Ok(state
            .notifications
            .iter_mut()
            .map(|(_, n)| n)
            .find(|n| n.id == id && n.user_id == user)
            .map(|n| {
                n.read_at.get_or_insert(at);
                n.clone()
            }))
    }

    async fn mark_all_read(&self, user: UserId, at: DateTime<Utc>) -> Result<u64, Unexpected> {
        let mut state = lock(&self.state);
        let mut count = 0;
        for (_, n) in state.notifications.iter_mut() {
            if n.user_id == user && n.read_at.is_none() {
                n.read_at = Some(at);
                count += 1;
            }
        }
        Ok(count)
    }

    async fn unread(&self, user: UserId) -> Result<UnreadCounts, Unexpected> {
        let state = lock(&self.state);
        let notifications = state
            .notifications
            .iter()
            .filter(|(_, n)| n.user_id == user && n.read_at.is_none())
            .count() as i64;
        let messages = state
            .conversations
            .values()
            .filter_map(|c| c.unread.get(&user))
            .sum();
        Ok(UnreadCounts {
            notifications,
            messages,
        })
    }
}
