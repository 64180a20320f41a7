//! A user's notifications and unread badge.

use krika_kernel::{Page, PageRequest};

use super::{Messaging, Viewer};
use crate::MessagingError;
use crate::model::{Notification, NotificationId, UnreadCounts};

impl Messaging {
    /// Newest first; only the unread ones with `unread_only`.
    pub async fn notifications(
        &self,
        viewer: &Viewer,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Notification>, MessagingError> {
        Ok(self
            .ports
            .notifications
            .list(viewer.id, unread_only, page)
            .await?)
    }

    /// Marks one of the viewer's notifications read; `NotFound` for anyone else's.
    pub async fn read_notification(
        &self,
        viewer: &Viewer,
        id: NotificationId,
    ) -> Result<Notification, MessagingError> {
        self.ports
            .notifications
            .mark_read(viewer.id, id, self.now())
            .await?
            .ok_or(MessagingError::NotFound)
    }

    /// Marks every notification of the viewer read; returns how many were unread.
    pub async fn read_all(&self, viewer: &Viewer) -> Result<u64, MessagingError> {
        Ok(self
            .ports
            .notifications
            .mark_all_read(viewer.id, self.now())
            .await?)
    }

    pub async fn unread_counts(&self, viewer: &Viewer) -> Result<UnreadCounts, MessagingError> {
        Ok(self.ports.notifications.unread(viewer.id).await?)
    }
}
