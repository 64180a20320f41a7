use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_kernel::ids::{OrderId, UserId};
use krika_kernel::{DomainEvent, Page, PageRequest, Unexpected};
use krika_messaging::ports::Conversations;
use krika_messaging::{
    ConversationHead, ConversationId, ConversationSummary, Message, MessageId, NewPost, Reminder,
};

use super::{MemoryMessaging, State, StoredConversation, StoredMessage};
use crate::{lock, paginate};

fn same_pair(head: &ConversationHead, a: UserId, b: UserId, order: Option<OrderId>) -> bool {
    head.has(a) && head.has(b) && head.order.as_ref().map(|o| o.id) == order
}

impl State {
    fn find(&self, a: UserId, b: UserId, order: Option<OrderId>) -> Option<&StoredConversation> {
        self.conversations
            .values()
            .find(|c| same_pair(&c.head, a, b, order))
    }
}

#[async_trait]
impl Conversations for MemoryMessaging {
    async fn head(&self, id: ConversationId) -> Result<Option<ConversationHead>, Unexpected> {
        Ok(lock(&self.state)
            .conversations
            .get(&id)
            .map(|c| c.head.clone()))
    }

    async fn find(
        &self,
        a: UserId,
        b: UserId,
        order: Option<OrderId>,
    ) -> Result<Option<ConversationHead>, Unexpected> {
        Ok(lock(&self.state).find(a, b, order).map(|c| c.head.clone()))
    }

    async fn post(&self, post: NewPost) -> Result<Message, Unexpected> {
        let NewPost {
            conversation,
            message,
            mut event,
        } = post;
        let mut state = lock(&self.state);
        let [a, b] = conversation.participants;
        let order = conversation.order.as_ref().map(|o| o.id);
        // The pair's conversation wins over the one proposed, as the unique index does.
        let id = match state.find(a, b, order) {
            Some(existing) => existing.head.id,
            None => {
                state.conversations.insert(
                    conversation.id,
                    StoredConversation {
                        head: conversation.clone(),
                        updated_at: message.created_at,
                        last_message: None,
                        unread: HashMap::new(),
                        reminded: HashMap::new(),
                    },
                );
                conversation.id
            }
        };
        if let Some(field) = event.data.get_mut("conversationId") {
            *field = serde_json::to_value(id).map_err(Unexpected::new)?;
        }
        let stored = state
            .conversations
            .get_mut(&id)
            .ok_or_else(|| Unexpected::msg("conversation vanished"))?;
        let recipient = stored.head.other(message.sender);
        *stored.unread.entry(recipient).or_default() += 1;
        stored.updated_at = message.created_at;
        stored.last_message = Some(message.id);
        state.messages.push(StoredMessage {
            id: message.id,
            conversation_id: id,
            sender: message.sender,
            content: message.content,
            masked: message.masked,
            attachments: message.attachments,
            created_at: message.created_at,
            read_at: None,
        });
        state.events.push(event);
        let written = state.messages.last().map(|m| state.message(m));
        written.ok_or_else(|| Unexpected::msg("message vanished"))
    }

    async fn message(&self, id: MessageId) -> Result<Option<Message>, Unexpected> {
        let state = lock(&self.state);
        Ok(state
            .messages
            .iter()
            .find(|m| m.id == id)
            .map(|m| state.message(m)))
    }

    async fn inbox(
        &self,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<ConversationSummary>, Unexpected> {
        let state = lock(&self.state);
        let mut mine: Vec<&StoredConversation> = state
            .conversations
            .values()
            .filter(|c| c.head.has(user))
            .collect();
        mine.sort_by_key(|c| std::cmp::Reverse((c.updated_at, c.head.id)));
        let summaries = mine
            .into_iter()
            .map(|c| ConversationSummary {
                id: c.head.id,
                participants: c
                    .head
                    .participants
                    .iter()
                    .map(|p| state.person(*p))
                    .collect(),
                order: c.head.order.clone(),
                last_message: c.last_message.and_then(|id| {
                    state
                        .messages
                        .iter()
                        .find(|m| m.id == id)
                        .map(|m| state.message(m))
                }),
                unread_count: c.unread.get(&user).copied().unwrap_or(0),
                updated_at: c.updated_at,
            })
            .collect();
        Ok(paginate(summaries, page))
    }

    async fn messages(
        &self,
        id: ConversationId,
        page: PageRequest,
    ) -> Result<Page<Message>, Unexpected> {
        let state = lock(&self.state);
        let mut found: Vec<&StoredMessage> = state
            .messages
            .iter()
            .filter(|m| m.conversation_id == id)
            .collect();
        found.sort_by_key(|m| std::cmp::Reverse((m.created_at, m.id)));
        let messages = found.into_iter().map(|m| state.message(m)).collect();
        Ok(paginate(messages, page))
    }

    async fn mark_read(
        &self,
        id: ConversationId,
        reader: UserId,
        at: DateTime<Utc>,
        event: DomainEvent,
    ) -> Result<bool, Unexpected> {
        let mut state = lock(&self.state);
        let mut any = false;
        for message in state
            .messages
            .iter_mut()
            .filter(|m| m.conversation_id == id && m.sender != reader && m.read_at.is_none())
        {
            message.read_at = Some(at);
            any = true;
        }
        if let Some(conversation) = state.conversations.get_mut(&id) {
            conversation.unread.insert(reader, 0);
        }
        if any {
            state.events.push(event);
        }
        Ok(any)
    }

    async fn unread_reminders(
        &self,
        older_than: DateTime<Utc>,
        not_since: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Reminder>, Unexpected> {
        let state = lock(&self.state);
        let mut due = Vec::new();
        for conversation in state.conversations.values() {
            for user in conversation.head.participants {
                let unread: Vec<&StoredMessage> = state
                    .messages
                    .iter()
                    .filter(|m| {
                        m.conversation_id == conversation.head.id
                            && m.sender != user
                            && m.read_at.is_none()
                    })
                    .collect();
                let Some(oldest) = unread.iter().map(|m| m.created_at).min() else {
                    continue;
                };
                let newest = unread.iter().map(|m| m.created_at).max().unwrap_or(oldest);
                let reminded = conversation.reminded.get(&user);
                let recently = reminded.is_some_and(|at| *at >= not_since);
                let nothing_new = reminded.is_some_and(|at| *at > newest);
                if oldest < older_than && !recently && !nothing_new {
                    due.push(Reminder {
                        conversation_id: conversation.head.id,
                        user,
                        unread: unread.len() as i64,
                        oldest_unread_at: oldest,
                    });
                }
            }
        }
        due.sort_by_key(|r| (r.oldest_unread_at, r.conversation_id));
        due.truncate(limit.max(0) as usize);
        Ok(due)
    }

    async fn reminded(
        &self,
        conversation: ConversationId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        if let Some(stored) = lock(&self.state).conversations.get_mut(&conversation) {
            stored.reminded.insert(user, at);
        }
        Ok(())
    }
}
