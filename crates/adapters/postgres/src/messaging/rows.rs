//! Rows and their conversion into messaging's types.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use krika_kernel::ids::{OrderId, UserId};
use krika_messaging::model::{
    Attachment, Contact, ConversationHead, ConversationId, Message, MessageId, Notification,
    NotificationId, OrderRef, Person,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AvatarUrl;
use crate::schema::{conversations, messages, notifications, orders, users};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct PersonRow {
    pub id: Uuid,
    pub username: String,
    pub name: String,
    pub email: String,
    pub avatar_key: Option<String>,
    pub role: String,
    pub status: String,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl PersonRow {
    pub fn person(&self, avatar_url: &AvatarUrl) -> Person {
        Person {
            id: UserId(self.id),
            username: self.username.clone(),
            name: self.name.clone(),
            avatar_url: self.avatar_key.as_deref().map(|key| avatar_url(key)),
        }
    }

    pub fn contact(&self, avatar_url: &AvatarUrl) -> Contact {
        Contact {
            person: self.person(avatar_url),
            email: self.email.clone(),
            active: self.status == "active" && self.deleted_at.is_none(),
            is_admin: self.role == "admin",
        }
    }
}

/// The people named by `ids`, by id (one query).
pub async fn people(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, PersonRow>> {
    let rows: Vec<PersonRow> = users::table
        .filter(users::id.eq_any(ids))
        .select(PersonRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

/// Order numbers by order id (one query).
pub async fn order_numbers(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, String>> {
    let rows: Vec<(Uuid, String)> = orders::table
        .filter(orders::id.eq_any(ids))
        .select((orders::id, orders::number))
        .load(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// An attachment as stored in `messages.attachments`.
#[derive(Serialize, Deserialize)]
pub struct AttachmentRow {
    pub key: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

pub fn attachments_json(attachments: &[Attachment]) -> serde_json::Value {
    let rows: Vec<AttachmentRow> = attachments
        .iter()
        .map(|a| AttachmentRow {
            key: a.key.clone(),
            name: a.name.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
        })
        .collect();
    serde_json::to_value(rows).unwrap_or_else(|_| serde_json::json!([]))
}

#[derive(Queryable, Selectable, Insertable, Clone)]
#[diesel(table_name = conversations, check_for_backend(diesel::pg::Pg))]
pub struct ConversationRow {
    pub id: Uuid,
    pub user_low: Uuid,
    pub user_high: Uuid,
    pub order_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_message_id: Option<Uuid>,
}

impl ConversationRow {
    pub fn head(&self, numbers: &HashMap<Uuid, String>) -> ConversationHead {
        ConversationHead {
            id: ConversationId(self.id),
            participants: [UserId(self.user_low), UserId(self.user_high)],
            order: self.order_id.map(|id| OrderRef {
                id: OrderId(id),
                number: numbers.get(&id).cloned().unwrap_or_default(),
            }),
        }
    }
}

/// `(a, b)` as stored: smaller id first.
pub fn pair(a: UserId, b: UserId) -> (Uuid, Uuid) {
    if a.0 < b.0 { (a.0, b.0) } else { (b.0, a.0) }
}

#[derive(Queryable, Selectable, Insertable, Clone)]
#[diesel(table_name = messages, check_for_backend(diesel::pg::Pg))]
pub struct MessageRow {
    pub id: Uuid,
    pub conversation_id: Uuid,
    pub sender_id: Uuid,
    pub content: String,
    pub masked: bool,
    pub attachments: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl MessageRow {
    pub fn message(self, people: &HashMap<Uuid, PersonRow>, avatar_url: &AvatarUrl) -> Message {
        let sender = people.get(&self.sender_id).map_or_else(
            || Person {
                id: UserId(self.sender_id),
                username: String::new(),
                name: String::new(),
                avatar_url: None,
            },
            |p| p.person(avatar_url),
        );
        let attachments: Vec<AttachmentRow> =
            serde_json::from_value(self.attachments).unwrap_or_default();
        Message {
            id: MessageId(self.id),
            conversation_id: ConversationId(self.conversation_id),
            sender,
            content: self.content,
            masked: self.masked,
            attachments: attachments
                .into_iter()
                .map(|a| Attachment {
                    key: a.key,
                    name: a.name,
                    content_type: a.content_type,
                    size: a.size,
                })
                .collect(),
            created_at: self.created_at,
            read_at: self.read_at,
        }
    }
}

/// Messages with their senders (two queries whatever their number).
pub async fn with_senders(
    conn: &mut AsyncPgConnection,
    rows: Vec<MessageRow>,
    avatar_url: &AvatarUrl,
) -> QueryResult<Vec<Message>> {
    let mut ids: Vec<Uuid> = rows.iter().map(|m| m.sender_id).collect();
    ids.sort();
    ids.dedup();
    let people = people(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|m| m.message(&people, avatar_url))
        .collect())
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications, check_for_backend(diesel::pg::Pg))]
pub struct NotificationRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub data: serde_json::Value,
    pub source_event: Uuid,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<NotificationRow> for Notification {
    fn from(row: NotificationRow) -> Self {
        Notification {
            id: NotificationId(row.id),
            user_id: UserId(row.user_id),
            kind: row.kind,
            title: row.title,
            body: row.body,
            data: row.data,
            read_at: row.read_at,
            created_at: row.created_at,
        }
    }
}
