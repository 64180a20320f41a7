//! Conversations and messages. A post is one transaction: the conversation (created unless
//! the pair already has one for that order), the message, both members' inbox rows and the
//! `message.created` event.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_kernel::ids::{OrderId, UserId};
use krika_kernel::{DomainEvent, Page, PageRequest, Unexpected};
use krika_messaging::model::{
    ConversationHead, ConversationId, ConversationSummary, Message, MessageId, NewPost, Reminder,
};
use krika_messaging::ports::Conversations;
use uuid::Uuid;

use super::PgMessagingStore;
use super::rows::{
    ConversationRow, MessageRow, attachments_json, order_numbers, pair, people, with_senders,
};
use crate::Keep;
use crate::error::unexpected;
use crate::schema::{conversation_members as members, conversations, messages};

/// The pair's conversation about `order` (`None`: their general one).
async fn find_row(
    conn: &mut AsyncPgConnection,
    a: UserId,
    b: UserId,
    order: Option<OrderId>,
) -> QueryResult<Option<ConversationRow>> {
    let (low, high) = pair(a, b);
    let mut query = conversations::table
        .filter(conversations::user_low.eq(low))
        .filter(conversations::user_high.eq(high))
        .into_boxed();
    query = match order {
        Some(order) => query.filter(conversations::order_id.eq(order.0)),
        None => query.filter(conversations::order_id.is_null()),
    };
    query
        .select(ConversationRow::as_select())
        .first(conn)
        .await
        .optional()
}

async fn heads(
    conn: &mut AsyncPgConnection,
    rows: &[ConversationRow],
) -> QueryResult<Vec<ConversationHead>> {
    let orders: Vec<Uuid> = rows.iter().filter_map(|r| r.order_id).collect();
    let numbers = order_numbers(conn, &orders).await?;
    Ok(rows.iter().map(|r| r.head(&numbers)).collect())
}

async fn load_message(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    store: &PgMessagingStore,
) -> QueryResult<Option<Message>> {
    let row: Option<MessageRow> = messages::table
        .find(id)
        .select(MessageRow::as_select())
        .first(conn)
        .await
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    Ok(with_senders(conn, vec![row], &store.avatar_url)
        .await?
        .pop())
}

#[async_trait]
impl Conversations for PgMessagingStore {
    async fn head(&self, id: ConversationId) -> Result<Option<ConversationHead>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<ConversationRow> = conversations::table
            .find(id.0)
            .select(ConversationRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        let rows: Vec<ConversationRow> = row.into_iter().collect();
        Ok(heads(&mut conn, &rows).await.map_err(unexpected)?.pop())
    }

    async fn find(
        &self,
        a: UserId,
        b: UserId,
        order: Option<OrderId>,
    ) -> Result<Option<ConversationHead>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row = find_row(&mut conn, a, b, order).await.map_err(unexpected)?;
        let rows: Vec<ConversationRow> = row.into_iter().collect();
        Ok(heads(&mut conn, &rows).await.map_err(unexpected)?.pop())
    }

    async fn post(&self, post: NewPost) -> Result<Message, Unexpected> {
        let NewPost {
            conversation,
            message,
            mut event,
        } = post;
        let [a, b] = conversation.participants;
        let order = conversation.order.as_ref().map(|o| o.id);
        let (low, high) = pair(a, b);
        let at = message.created_at;
        let mut conn = self.db.conn().await?;
        let message_id = message.id.0;
        conn.transaction::<_, diesel::result::Error, _>(async |conn| {
            // The unique index on (pair, order) decides a race between two first posts:
            // the loser's insert does nothing and its message joins the winner's conversation.
            diesel::insert_into(conversations::table)
                .values(ConversationRow {
                    id: conversation.id.0,
                    user_low: low,
                    user_high: high,
                    order_id: order.map(|o| o.0),
                    created_at: at,
                    updated_at: at,
                    last_message_id: None,
                })
                .on_conflict_do_nothing()
                .kept()
                .execute(conn)
                .await?;
            let id = find_row(conn, a, b, order)
                .await?
                .ok_or(diesel::result::Error::NotFound)?
                .id;
            diesel::insert_into(members::table)
                .values(
                    [low, high]
                        .map(|user| {
                            (
                                members::conversation_id.eq(id),
                                members::user_id.eq(user),
                                members::updated_at.eq(at),
                            )
                        })
                        .to_vec(),
                )
                .on_conflict_do_nothing()
                .kept()
                .execute(conn)
                .await?;
            diesel::insert_into(messages::table)
                .values(MessageRow {
                    id: message.id.0,
                    conversation_id: id,
                    sender_id: message.sender.0,
                    content: message.content.clone(),
                    masked: message.masked,
                    attachments: attachments_json(&message.attachments),
                    created_at: at,
                    read_at: None,
                })
                .kept()
                .execute(conn)
                .await?;
            diesel::update(conversations::table.find(id))
                .set((
                    conversations::updated_at.eq(at),
                    conversations::last_message_id.eq(message.id.0),
                ))
                .kept()
                .execute(conn)
                .await?;
            let recipient = if message.sender.0 == low { high } else { low };
            diesel::update(
                members::table
                    .filter(members::conversation_id.eq(id))
                    .filter(members::user_id.eq(recipient)),
            )
            .set((
                members::unread_count.eq(members::unread_count + 1),
                members::first_unread_at.eq(crate::functions::coalesce_time(
                    members::first_unread_at,
                    at,
                )),
                members::last_unread_at.eq(at),
                members::updated_at.eq(at),
            ))
            .kept()
            .execute(conn)
            .await?;
            diesel::update(
                members::table
                    .filter(members::conversation_id.eq(id))
                    .filter(members::user_id.eq(message.sender.0)),
            )
            .set(members::updated_at.eq(at))
            .kept()
            .execute(conn)
            .await?;
            if let Some(field) = event.data.get_mut("conversationId") {
                *field = serde_json::Value::String(id.to_string());
            }
            crate::outbox::record(conn, std::slice::from_ref(&event), at).await?;
            Ok(())
        })
        .await
        .map_err(unexpected)?;
        load_message(&mut conn, message_id, self)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| Unexpected::msg("message vanished after its commit"))
    }

    async fn message(&self, id: MessageId) -> Result<Option<Message>, Unexpected> {
        let mut conn = self.db.conn().await?;
        load_message(&mut conn, id.0, self)
            .await
            .map_err(unexpected)
    }

    async fn inbox(
        &self,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<ConversationSummary>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let total: i64 = members::table
            .filter(members::user_id.eq(user.0))
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        // One index scan for the page, then one query each for the conversations, their
        // last messages, the people and the order numbers, whatever the page's size.
        let mine: Vec<(Uuid, i32)> = members::table
            .filter(members::user_id.eq(user.0))
            .order((members::updated_at.desc(), members::conversation_id.desc()))
            .select((members::conversation_id, members::unread_count))
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        let ids: Vec<Uuid> = mine.iter().map(|(id, _)| *id).collect();
        let rows: Vec<ConversationRow> = conversations::table
            .filter(conversations::id.eq_any(&ids))
            .select(ConversationRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        let last_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.last_message_id).collect();
        let last_rows: Vec<MessageRow> = messages::table
            .filter(messages::id.eq_any(&last_ids))
            .select(MessageRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        let mut person_ids: Vec<Uuid> = rows
            .iter()
            .flat_map(|r| [r.user_low, r.user_high])
            .collect();
        person_ids.sort();
        person_ids.dedup();
        let found = people(&mut conn, &person_ids).await.map_err(unexpected)?;
        let orders: Vec<Uuid> = rows.iter().filter_map(|r| r.order_id).collect();
        let numbers = order_numbers(&mut conn, &orders)
            .await
            .map_err(unexpected)?;

        let mut last: HashMap<Uuid, Message> = last_rows
            .into_iter()
            .map(|m| (m.id, m.message(&found, &self.avatar_url)))
            .collect();
        let by_id: HashMap<Uuid, &ConversationRow> = rows.iter().map(|r| (r.id, r)).collect();
        let items = mine
            .iter()
            .filter_map(|(id, unread)| {
                let row = by_id.get(id)?;
                let head = row.head(&numbers);
                Some(ConversationSummary {
                    id: head.id,
                    participants: [row.user_low, row.user_high]
                        .iter()
                        .filter_map(|u| found.get(u).map(|p| p.person(&self.avatar_url)))
                        .collect(),
                    order: head.order,
                    last_message: row.last_message_id.and_then(|m| last.remove(&m)),
                    unread_count: i64::from(*unread),
                    updated_at: row.updated_at,
                })
            })
            .collect();
        Ok(Page {
            items,
            request: page,
            total: total as u64,
        })
    }

    async fn messages(
        &self,
        id: ConversationId,
        page: PageRequest,
    ) -> Result<Page<Message>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let total: i64 = messages::table
            .filter(messages::conversation_id.eq(id.0))
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let rows: Vec<MessageRow> = messages::table
            .filter(messages::conversation_id.eq(id.0))
            .order((messages::created_at.desc(), messages::id.desc()))
            .select(MessageRow::as_select())
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        let items = with_senders(&mut conn, rows, &self.avatar_url)
            .await
            .map_err(unexpected)?;
        Ok(Page {
            items,
            request: page,
            total: total as u64,
        })
    }

    async fn mark_read(
        &self,
        id: ConversationId,
        reader: UserId,
        at: DateTime<Utc>,
        event: DomainEvent,
    ) -> Result<bool, Unexpected> {
        let mut conn = self.db.conn().await?;
        conn.transaction::<_, diesel::result::Error, _>(async |conn| {
            let read = diesel::update(
                messages::table
                    .filter(messages::conversation_id.eq(id.0))
                    .filter(messages::sender_id.ne(reader.0))
                    .filter(messages::read_at.is_null()),
            )
            .set(messages::read_at.eq(at))
            .kept()
            .execute(conn)
            .await?;
            diesel::update(
                members::table
                    .filter(members::conversation_id.eq(id.0))
                    .filter(members::user_id.eq(reader.0)),
            )
            .set((
                members::unread_count.eq(0),
                members::first_unread_at.eq(None::<DateTime<Utc>>),
                members::last_unread_at.eq(None::<DateTime<Utc>>),
            ))
            .kept()
            .execute(conn)
            .await?;
            if read > 0 {
                crate::outbox::record(conn, std::slice::from_ref(&event), at).await?;
            }
            Ok(read > 0)
        })
        .await
        .map_err(unexpected)
    }

    async fn unread_reminders(
        &self,
        older_than: DateTime<Utc>,
        not_since: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Reminder>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let rows: Vec<(Uuid, Uuid, i32, Option<DateTime<Utc>>)> = members::table
            .filter(members::unread_count.gt(0))
            .filter(members::first_unread_at.lt(older_than))
            .filter(
                members::reminded_at.is_null().or(members::reminded_at
                    .lt(not_since)
                    .and(members::reminded_at.le(members::last_unread_at))),
            )
            .order(members::first_unread_at.asc())
            .select((
                members::conversation_id,
                members::user_id,
                members::unread_count,
                members::first_unread_at,
            ))
            .limit(limit)
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(rows
            .into_iter()
            .filter_map(|(conversation, user, unread, oldest)| {
                Some(Reminder {
                    conversation_id: ConversationId(conversation),
                    user: UserId(user),
                    unread: i64::from(unread),
                    oldest_unread_at: oldest?,
                })
            })
            .collect())
    }

    async fn reminded(
        &self,
        conversation: ConversationId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        diesel::update(
            members::table
                .filter(members::conversation_id.eq(conversation.0))
                .filter(members::user_id.eq(user.0)),
        )
        .set(members::reminded_at.eq(at))
        .kept()
        .execute(&mut conn)
        .await
        .map_err(unexpected)?;
        Ok(())
    }
}
