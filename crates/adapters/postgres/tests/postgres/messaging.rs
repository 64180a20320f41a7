//! What the messaging ports promise, run against PostgreSQL and the memory adapter alike:
//! one conversation per pair, atomic posts with their event, unread counts, read receipts,
//! reminders, notifications one per event and user, people as messaging sees them.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use diesel_async::RunQueryDsl;
use krika_kernel::ids::UserId;
use krika_kernel::ports::OutboxStore;
use krika_kernel::{DomainEvent, PageRequest};
use krika_memory::MemoryMessaging;
use krika_messaging::model::{
    Contact, ConversationHead, ConversationId, MessageId, NewMessage, NewNotification, NewPost,
    NotificationId, Person,
};
use krika_messaging::ports::{Conversations, Notifications, People};
use krika_postgres::testing::TestDatabase;
use krika_postgres::{Db, DbConfig, PgMessagingStore, PgOutbox};
use serde_json::{Value, json};
use uuid::Uuid;

/// The three ports of one adapter, and how a test sets up people and reads events.
#[async_trait]
trait Store: Send + Sync {
    fn c(&self) -> &dyn Conversations;
    fn n(&self) -> &dyn Notifications;
    fn p(&self) -> &dyn People;
    async fn add_user(&self, username: &str, active: bool, admin: bool) -> UserId;
    /// `(kind, data)` of every event written so far, oldest first.
    async fn written(&self) -> Vec<(String, Value)>;
}

struct Pg {
    store: PgMessagingStore,
    db: Db,
    _database: TestDatabase,
}

#[async_trait]
impl Store for Pg {
    fn c(&self) -> &dyn Conversations {
        &self.store
    }
    fn n(&self) -> &dyn Notifications {
        &self.store
    }
    fn p(&self) -> &dyn People {
        &self.store
    }
    async fn add_user(&self, username: &str, active: bool, admin: bool) -> UserId {
        let id = Uuid::now_v7();
        let mut conn = self.db.conn().await.unwrap();
        diesel::sql_query(
            "INSERT INTO users (id, email, username, name, password_hash, role, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'x', $5, $6, now(), now())",
        )
        .bind::<diesel::sql_types::Uuid, _>(id)
        .bind::<diesel::sql_types::Text, _>(format!("{username}@2krika.test"))
        .bind::<diesel::sql_types::Text, _>(username)
        .bind::<diesel::sql_types::Text, _>(format!("Nom {username}"))
        .bind::<diesel::sql_types::Text, _>(if admin { "admin" } else { "client" })
        .bind::<diesel::sql_types::Text, _>(if active { "active" } else { "suspended" })
        .execute(&mut conn)
        .await
        .unwrap();
        UserId(id)
    }

    async fn written(&self) -> Vec<(String, Value)> {
        let outbox = PgOutbox::new(self.db.clone());
        let claimed = outbox
            .claim(Utc::now() + Duration::days(1), Duration::seconds(1), 1000)
            .await
            .unwrap();
        claimed
            .into_iter()
            .map(|c| (c.event.kind, c.event.data))
            .collect()
    }
}

#[async_trait]
impl Store for MemoryMessaging {
    fn c(&self) -> &dyn Conversations {
        self
    }
    fn n(&self) -> &dyn Notifications {
        self
    }
    fn p(&self) -> &dyn People {
        self
    }
    async fn add_user(&self, username: &str, active: bool, admin: bool) -> UserId {
        let id = UserId::new();
        self.add_person(Contact {
            person: Person {
                id,
                username: username.into(),
                name: format!("Nom {username}"),
                avatar_url: None,
            },
            email: format!("{username}@2krika.test"),
            active,
            is_admin: admin,
        });
        id
    }

    async fn written(&self) -> Vec<(String, Value)> {
        self.events()
            .into_iter()
            .map(|e| (e.kind.to_owned(), e.data))
            .collect()
    }
}

async fn pg() -> Arc<Pg> {
    let database = TestDatabase::create().await;
    let db = Db::connect(&DbConfig::new(&database.url)).unwrap();
    Arc::new(Pg {
        store: PgMessagingStore::new(db.clone(), Arc::new(|key: &str| format!("/files/{key}"))),
        db,
        _database: database,
    })
}

/// Microsecond precision, as PostgreSQL keeps it.
fn start() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap()
}

fn post(id: ConversationId, from: UserId, to: UserId, text: &str, at: DateTime<Utc>) -> NewPost {
    NewPost {
        conversation: ConversationHead {
            id,
            participants: [from, to],
            order: None,
        },
        message: NewMessage {
            id: MessageId::new(),
            sender: from,
            content: text.into(),
            masked: false,
            attachments: Vec::new(),
            created_at: at,
        },
        event: DomainEvent::new(
            "message.created",
            Uuid::now_v7(),
            json!({"conversationId": id, "content": text}),
        ),
    }
}

fn page(n: u32, limit: u32) -> PageRequest {
    PageRequest::parse(Some(i64::from(n)), Some(i64::from(limit)), 20).unwrap()
}

async fn a_pair_has_one_conversation_and_posts_are_atomic(s: Arc<dyn Store>) {
    let (awa, koffi) = (
        s.add_user("awa", true, false).await,
        s.add_user("koffi", true, false).await,
    );
    let t0 = start();
    let first = ConversationId::new();
    let m1 = s
        .c()
        .post(post(first, awa, koffi, "Bonjour", t0))
        .await
        .unwrap();
    assert_eq!(m1.conversation_id, first);
    assert_eq!(m1.sender.username, "awa");
    assert_eq!(m1.content, "Bonjour");
    assert!(m1.read_at.is_none());

    // A second first post (a lost race) under another id joins the pair's conversation,
    // from either side, and its event says so.
    let m2 = s
        .c()
        .post(post(
            ConversationId::new(),
            koffi,
            awa,
            "Salut",
            t0 + Duration::seconds(1),
        ))
        .await
        .unwrap();
    assert_eq!(m2.conversation_id, first);
    let head = s
        .c()
        .find(koffi, awa, None)
        .await
        .unwrap()
        .expect("the pair's conversation");
    assert_eq!(head.id, first);
    assert!(head.has(awa) && head.has(koffi));
    assert_eq!(s.c().head(first).await.unwrap().unwrap().id, first);
    assert!(s.c().head(ConversationId::new()).await.unwrap().is_none());
    let events = s.written().await;
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|(kind, data)| kind == "message.created"
        && data["conversationId"] == json!(first)));
    assert_eq!(
        s.c().message(m2.id).await.unwrap().unwrap().content,
        "Salut"
    );
    assert!(s.c().message(MessageId::new()).await.unwrap().is_none());
}

async fn the_inbox_is_most_recent_first_with_unread_counts(s: Arc<dyn Store>) {
    let awa = s.add_user("awa", true, false).await;
    let (koffi, fatou) = (
        s.add_user("koffi", true, false).await,
        s.add_user("fatou", true, false).await,
    );
    let t0 = start();
    let with_koffi = ConversationId::new();
    let with_fatou = ConversationId::new();
    s.c()
        .post(post(with_koffi, koffi, awa, "un", t0))
        .await
        .unwrap();
    s.c()
        .post(post(
            with_fatou,
            fatou,
            awa,
            "deux",
            t0 + Duration::seconds(1),
        ))
        .await
        .unwrap();
    s.c()
        .post(post(
            with_koffi,
            koffi,
            awa,
            "trois",
            t0 + Duration::seconds(2),
        ))
        .await
        .unwrap();

    let inbox = s.c().inbox(awa, page(1, 20)).await.unwrap();
    assert_eq!(inbox.total, 2);
    let ids: Vec<ConversationId> = inbox.items.iter().map(|c| c.id).collect();
    assert_eq!(ids, [with_koffi, with_fatou]);
    assert_eq!(inbox.items[0].unread_count, 2);
    assert_eq!(
        inbox.items[0].last_message.as_ref().unwrap().content,
        "trois"
    );
    assert_eq!(inbox.items[0].participants.len(), 2);
    assert_eq!(inbox.items[0].updated_at, t0 + Duration::seconds(2));
    assert_eq!(
        s.c().inbox(awa, page(2, 1)).await.unwrap().items[0].id,
        with_fatou
    );
    // The sender has nothing unread.
    let theirs = s.c().inbox(koffi, page(1, 20)).await.unwrap();
    assert_eq!(theirs.items[0].unread_count, 0);
    assert_eq!(s.n().unread(awa).await.unwrap().messages, 3);
    assert_eq!(s.n().unread(koffi).await.unwrap().messages, 0);

    let messages = s.c().messages(with_koffi, page(1, 20)).await.unwrap();
    let texts: Vec<&str> = messages.items.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(texts, ["trois", "un"], "newest first");
    assert_eq!(messages.total, 2);
}

async fn reading_marks_the_others_messages_and_tells_once(s: Arc<dyn Store>) {
    let (awa, koffi) = (
        s.add_user("awa", true, false).await,
        s.add_user("koffi", true, false).await,
    );
    let t0 = start();
    let id = ConversationId::new();
    s.c().post(post(id, koffi, awa, "un", t0)).await.unwrap();
    s.c()
        .post(post(id, awa, koffi, "réponse", t0 + Duration::seconds(1)))
        .await
        .unwrap();
    let read_event = || DomainEvent::new("conversation.read", id.0, json!({"readerId": awa}));

    let at = t0 + Duration::seconds(5);
    assert!(s.c().mark_read(id, awa, at, read_event()).await.unwrap());
    let messages = s.c().messages(id, page(1, 20)).await.unwrap();
    let from_koffi = messages
        .items
        .iter()
        .find(|m| m.sender.id == koffi)
        .unwrap();
    let from_awa = messages.items.iter().find(|m| m.sender.id == awa).unwrap();
    assert_eq!(from_koffi.read_at, Some(at));
    assert_eq!(
        from_awa.read_at, None,
        "one's own messages stay unread by the other"
    );
    assert_eq!(s.n().unread(awa).await.unwrap().messages, 0);
    assert_eq!(s.n().unread(koffi).await.unwrap().messages, 1);

    // Nothing left to read: no second event.
    assert!(!s.c().mark_read(id, awa, at, read_event()).await.unwrap());
    let reads = s
        .written()
        .await
        .into_iter()
        .filter(|(kind, _)| kind == "conversation.read")
        .count();
    assert_eq!(reads, 1);
}

async fn reminders_come_after_the_delay_once_per_new_message_and_hour(s: Arc<dyn Store>) {
    let (awa, koffi) = (
        s.add_user("awa", true, false).await,
        s.add_user("koffi", true, false).await,
    );
    let t0 = start();
    let id = ConversationId::new();
    s.c().post(post(id, koffi, awa, "un", t0)).await.unwrap();
    let due = |now: DateTime<Utc>| {
        let s = s.clone();
        async move {
            s.c()
                .unread_reminders(now - Duration::minutes(15), now - Duration::hours(1), 10)
                .await
                .unwrap()
        }
    };
    assert!(due(t0 + Duration::minutes(14)).await.is_empty());
    let found = due(t0 + Duration::minutes(16)).await;
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].conversation_id, found[0].user), (id, awa));
    assert_eq!((found[0].unread, found[0].oldest_unread_at), (1, t0));

    s.c()
        .reminded(id, awa, t0 + Duration::minutes(16))
        .await
        .unwrap();
    assert!(
        due(t0 + Duration::hours(3)).await.is_empty(),
        "nothing new since"
    );
    s.c()
        .post(post(id, koffi, awa, "deux", t0 + Duration::minutes(20)))
        .await
        .unwrap();
    assert!(
        due(t0 + Duration::minutes(50)).await.is_empty(),
        "within the hour"
    );
    assert_eq!(due(t0 + Duration::minutes(80)).await.len(), 1);

    s.c()
        .mark_read(
            id,
            awa,
            t0 + Duration::minutes(81),
            DomainEvent::new("x", id.0, json!({})),
        )
        .await
        .unwrap();
    assert!(due(t0 + Duration::hours(5)).await.is_empty(), "read");
}

fn notification(user: UserId, source: Uuid, at: DateTime<Utc>) -> NewNotification {
    NewNotification {
        id: NotificationId::new(),
        user_id: user,
        kind: "order.created".into(),
        title: "Nouvelle commande".into(),
        body: "KR-2026-000001".into(),
        data: json!({"orderId": source}),
        source_event: source,
        created_at: at,
    }
}

async fn notifications_are_one_per_event_and_user(s: Arc<dyn Store>) {
    let (awa, koffi) = (
        s.add_user("awa", true, false).await,
        s.add_user("koffi", true, false).await,
    );
    let t0 = start();
    let (e1, e2) = (Uuid::now_v7(), Uuid::now_v7());
    let first = s.n().add(notification(awa, e1, t0)).await.unwrap();
    let again = s
        .n()
        .add(notification(awa, e1, t0 + Duration::seconds(9)))
        .await
        .unwrap();
    assert_eq!(again, first, "a redelivered event adds nothing");
    s.n()
        .add(notification(awa, e2, t0 + Duration::seconds(1)))
        .await
        .unwrap();
    s.n().add(notification(koffi, e1, t0)).await.unwrap();

    let list = s.n().list(awa, false, page(1, 20)).await.unwrap();
    assert_eq!(list.total, 2);
    assert_eq!(list.items[0].data["orderId"], json!(e2), "newest first");
    assert_eq!(s.n().unread(awa).await.unwrap().notifications, 2);

    assert!(
        s.n()
            .mark_read(koffi, first.id, t0)
            .await
            .unwrap()
            .is_none(),
        "not his"
    );
    let read = s
        .n()
        .mark_read(awa, first.id, t0 + Duration::seconds(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.read_at, Some(t0 + Duration::seconds(5)));
    let again = s
        .n()
        .mark_read(awa, first.id, t0 + Duration::seconds(7))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        again.read_at,
        Some(t0 + Duration::seconds(5)),
        "the first reading stays"
    );
    let unread = s.n().list(awa, true, page(1, 20)).await.unwrap();
    assert_eq!(unread.total, 1);
    assert_eq!(s.n().mark_all_read(awa, t0).await.unwrap(), 1);
    assert_eq!(s.n().unread(awa).await.unwrap().notifications, 0);
    assert_eq!(s.n().unread(koffi).await.unwrap().notifications, 1);
}

async fn people_are_seen_with_their_standing(s: Arc<dyn Store>) {
    let awa = s.add_user("awa", true, false).await;
    let gone = s.add_user("suspendu", false, false).await;
    let admin = s.add_user("admin", true, true).await;
    let contact = s.p().contact(awa).await.unwrap().unwrap();
    assert_eq!(contact.person.username, "awa");
    assert_eq!(contact.person.name, "Nom awa");
    assert_eq!(contact.email, "awa@2krika.test");
    assert!(contact.active && !contact.is_admin);
    assert!(!s.p().contact(gone).await.unwrap().unwrap().active);
    assert!(s.p().contact(UserId::new()).await.unwrap().is_none());
    assert_eq!(
        s.p()
            .contacts(&[awa, gone, UserId::new()])
            .await
            .unwrap()
            .len(),
        2
    );
    let admins = s.p().admins().await.unwrap();
    assert_eq!(admins.len(), 1);
    assert_eq!(admins[0].person.id, admin);
    assert!(!s.p().share_an_order(awa, admin).await.unwrap());
    assert!(
        s.p()
            .order_parties(krika_kernel::ids::OrderId::new())
            .await
            .unwrap()
            .is_none()
    );
}

macro_rules! contract {
    ($($name:ident),*) => {
        mod memory_messaging {
            use super::*;
            $(#[tokio::test]
            async fn $name() {
                super::$name(Arc::new(MemoryMessaging::default())).await;
            })*
        }
        mod pg_messaging {
            use super::*;
            $(#[tokio::test]
            async fn $name() {
                super::$name(pg().await).await;
            })*
        }
    };
}

contract!(
    a_pair_has_one_conversation_and_posts_are_atomic,
    the_inbox_is_most_recent_first_with_unread_counts,
    reading_marks_the_others_messages_and_tells_once,
    reminders_come_after_the_delay_once_per_new_message_and_hour,
    notifications_are_one_per_event_and_user,
    people_are_seen_with_their_standing
);
