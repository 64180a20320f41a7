//! Messaging in PostgreSQL: conversations with a member row per participant (the inbox
//! and unread counts are index reads, never a scan of messages), messages, notifications
//! (one per event and user), and the people and orders messaging reads.

mod conversations;
mod notifications;
mod people;
mod rows;

use std::sync::Arc;

use crate::Db;

/// Turns a stored avatar key into the URL clients load it from.
pub type AvatarUrl = Arc<dyn Fn(&str) -> String + Send + Sync>;

#[derive(Clone)]
pub struct PgMessagingStore {
    db: Db,
    avatar_url: AvatarUrl,
}

impl PgMessagingStore {
    pub fn new(db: Db, avatar_url: AvatarUrl) -> Self {
        Self { db, avatar_url }
    }
}
