//! Messaging use cases and subscribers on the in-memory adapters, with a clock that only
//! moves when told (README.md, Messaging).

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use krika_kernel::ids::{OrderId, UserId};
use krika_kernel::ports::{Frame, StoredEvent, Subscriber};
use krika_kernel::{Clock, DomainEvent, ManualClock, PageRequest};
use krika_memory::{MemoryBlobStore, MemoryMailer, MemoryMessaging, MemoryRealtime};
use krika_messaging::ports::{Conversations, Notifications};
use krika_messaging::{
    Contact, ConversationHead, ConversationId, MailSubscriber, Message, MessageId, Messaging,
    MessagingConfig, MessagingError, MessagingPorts, NewMessage, NewNotification, NewPost,
    NotificationId, NotificationSubscriber, OrderParties, OrderRef, Person, RealtimeSubscriber,
    Target, Upload, Viewer,
};
use serde_json::{Value, json};
use uuid::Uuid;

const MASK: &str = "[coordonnées masquées]";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

struct World {
    messaging: Messaging,
    store: Arc<MemoryMessaging>,
    realtime: Arc<MemoryRealtime>,
    mailer: Arc<MemoryMailer>,
    blobs: Arc<MemoryBlobStore>,
    clock: Arc<ManualClock>,
    /// Sells to Koffi: `order` is theirs.
    awa: Viewer,
    koffi: Viewer,
    /// Has no order with anyone.
    mariam: Viewer,
    admin: Viewer,
    order: OrderParties,
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

fn page() -> PageRequest {
    PageRequest::parse(None, None, 50).unwrap()
}

fn person(store: &MemoryMessaging, username: &str, first_name: &str, is_admin: bool) -> Viewer {
    let id = UserId::new();
    store.add_person(Contact {
        person: Person {
            id,
            username: username.into(),
            name: first_name.into(),
            avatar_url: None,
        },
        email: format!("{username}@example.ci"),
        active: true,
        is_admin,
    });
    Viewer { id, is_admin }
}

fn world_with(config: MessagingConfig) -> World {
    let store = Arc::new(MemoryMessaging::default());
    let realtime = Arc::new(MemoryRealtime::default());
    let mailer = Arc::new(MemoryMailer::default());
    let blobs = Arc::new(MemoryBlobStore::default());
    let clock = Arc::new(ManualClock::new(start()));
    let awa = person(&store, "awa", "Awa", false);
    let koffi = person(&store, "koffi", "Koffi", false);
    let mariam = person(&store, "mariam", "Mariam", false);
    let admin = person(&store, "admin", "Admin", true);
    let order = OrderParties {
        order: OrderRef {
            id: OrderId::new(),
            number: "KR-2026-000001".into(),
        },
        buyer: koffi.id,
        seller: awa.id,
        status: "in_progress".into(),
    };
    store.add_order(order.clone());
    let messaging = Messaging::new(
        MessagingPorts {
            conversations: store.clone(),
            notifications: store.clone(),
            people: store.clone(),
            realtime: realtime.clone(),
            mailer: mailer.clone(),
            blobs: blobs.clone(),
            clock: clock.clone(),
        },
        config,
    );
    World {
        messaging,
        store,
        realtime,
        mailer,
        blobs,
        clock,
        awa,
        koffi,
        mariam,
        admin,
        order,
    }
}

fn world() -> World {
    world_with(MessagingConfig {
        app_url: "https://2krika.test".into(),
        ..MessagingConfig::default()
    })
}

fn to(recipient: &Viewer) -> Target {
    Target::Recipient {
        recipient: recipient.id,
        order: None,
    }
}

fn fields(error: MessagingError) -> Vec<String> {
    match error {
        MessagingError::Validation(errors) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn stored(event: &DomainEvent) -> StoredEvent {
    StoredEvent {
        id: Uuid::new_v4(),
        kind: event.kind.to_owned(),
        subject: event.subject,
        data: event.data.clone(),
        created_at: start(),
        attempts: 0,
    }
}

fn external(kind: &str, data: Value) -> StoredEvent {
    StoredEvent {
        id: Uuid::new_v4(),
        kind: kind.to_owned(),
        subject: Uuid::new_v4(),
        data,
        created_at: start(),
        attempts: 0,
    }
}

impl World {
    async fn send(&self, from: &Viewer, target: Target, content: &str) -> Message {
        self.messaging
            .send(from, target, content.into())
            .await
            .unwrap()
    }

    fn last_event(&self, kind: &str) -> DomainEvent {
        self.store
            .events()
            .into_iter()
            .rev()
            .find(|e| e.kind == kind)
            .unwrap_or_else(|| panic!("no {kind} event"))
    }

    fn order_event(&self, kind: &str, previous: Option<&str>, status: &str) -> StoredEvent {
        external(
            kind,
            json!({
                "orderId": self.order.order.id, "number": self.order.order.number,
                "status": status, "previousStatus": previous,
                "buyerId": self.koffi.id, "sellerId": self.awa.id,
                "serviceId": Uuid::new_v4(), "serviceTitle": "Logo <pro>",
                "total": 10000, "currency": "XOF",
            }),
        )
    }

    /// `(user, kind, title)` of every notification, oldest first.
    fn notified(&self) -> Vec<(UserId, String, String)> {
        self.store
            .all_notifications()
            .into_iter()
            .map(|n| (n.user_id, n.kind, n.title))
            .collect()
    }
}

// ---- conversations -------------------------------------------------------------------

#[tokio::test]
async fn a_message_to_a_person_opens_their_general_conversation_then_reuses_it() {
    let w = world();
    let first = w.send(&w.koffi, to(&w.awa), "Bonjour Awa").await;
    w.clock.advance(Duration::minutes(1));
    let reply = w.send(&w.awa, to(&w.koffi), "Bonjour Koffi").await;
    let third = w
        .send(
            &w.koffi,
            Target::Conversation(first.conversation_id),
            "Ça va ?",
        )
        .await;
    assert_eq!(
        reply.conversation_id, first.conversation_id,
        "the pair is unordered"
    );
    assert_eq!(third.conversation_id, first.conversation_id);
    assert_eq!(w.store.conversation_count(), 1);
    assert_eq!(first.sender.username, "koffi");
    assert_eq!(first.content, "Bonjour Awa");
    let head = w.store.head(first.conversation_id).await.unwrap().unwrap();
    assert_eq!(head.order, None);
}

#[tokio::test]
async fn an_order_has_its_own_conversation_open_only_to_its_buyer_and_seller() {
    let w = world();
    let general = w.send(&w.koffi, to(&w.awa), "Question générale").await;
    let about_order = Target::Recipient {
        recipient: w.awa.id,
        order: Some(w.order.order.id),
    };
    let first = w
        .send(&w.koffi, about_order, "À propos de ma commande")
        .await;
    let back = w
        .send(
            &w.awa,
            Target::Recipient {
                recipient: w.koffi.id,
                order: Some(w.order.order.id),
            },
            "Je m'en occupe",
        )
        .await;
    assert_ne!(first.conversation_id, general.conversation_id);
    assert_eq!(back.conversation_id, first.conversation_id);
    let head = w.store.head(first.conversation_id).await.unwrap().unwrap();
    assert_eq!(head.order, Some(w.order.order.clone()));

    // A third party, an order between others, an unknown order: all the same 422.
    for (from, recipient, order) in [
        (&w.mariam, &w.awa, w.order.order.id),
        (&w.koffi, &w.mariam, w.order.order.id),
        (&w.koffi, &w.awa, OrderId::new()),
    ] {
        let target = Target::Recipient {
            recipient: recipient.id,
            order: Some(order),
        };
        let error = w
            .messaging
            .send(from, target, "Bonjour".into())
            .await
            .unwrap_err();
        assert_eq!(fields(error), ["orderId"]);
    }
    assert_eq!(w.store.conversation_count(), 2);
}

#[tokio::test]
async fn nobody_messages_themselves_an_unknown_or_a_suspended_user() {
    let w = world();
    let error = w
        .messaging
        .send(&w.koffi, to(&w.koffi), "moi".into())
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["recipientId"]);
    let ghost = Viewer {
        id: UserId::new(),
        is_admin: false,
    };
    let error = w
        .messaging
        .send(&w.koffi, to(&ghost), "allo".into())
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["recipientId"]);

    let open = w.send(&w.koffi, to(&w.awa), "Bonjour").await;
    w.store.set_active(w.awa.id, false);
    let error = w
        .messaging
        .send(&w.koffi, to(&w.awa), "Bonjour".into())
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["recipientId"]);
    let error = w
        .messaging
        .send(
            &w.koffi,
            Target::Conversation(open.conversation_id),
            "Bonjour".into(),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["conversationId"]);
    let upload = Upload {
        name: "a.png".into(),
        bytes: PNG.to_vec(),
        declared_type: None,
    };
    let error = w
        .messaging
        .send_file(&w.koffi, open.conversation_id, upload)
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["conversationId"]);
    assert_eq!(
        w.store.events().len(),
        1,
        "only the first message was written"
    );
}

#[tokio::test]
async fn content_is_one_to_5000_characters_without_nul_and_kept_as_sent() {
    let w = world();
    for bad in ["", "   \n\t ", "a\0b", &"x".repeat(5001)] {
        let error = w
            .messaging
            .send(&w.koffi, to(&w.awa), bad.into())
            .await
            .unwrap_err();
        assert_eq!(fields(error), ["content"], "{bad:?}");
    }
    let error = w
        .messaging
        .send(&w.koffi, to(&w.koffi), String::new())
        .await
        .unwrap_err();
    assert_eq!(
        fields(error),
        ["content", "recipientId"],
        "every field at once"
    );

    let padded = format!("  {}\n", "é".repeat(5000));
    let message = w.send(&w.koffi, to(&w.awa), &padded).await;
    assert_eq!(message.content, padded, "stored exactly as sent");
    assert!(w.store.events().len() == 1);
}

#[tokio::test]
async fn contact_details_are_masked_until_the_two_share_an_order() {
    let w = world();
    let text = "Écris-moi : mariam@gmail.com ou +225 07 08 09 10 11, prix 5000";
    let masked = w.send(&w.mariam, to(&w.awa), text).await;
    assert!(masked.masked);
    assert_eq!(
        masked.content,
        format!("Écris-moi : {MASK} ou {MASK}, prix 5000")
    );
    let event = w.last_event("message.created");
    assert_eq!(event.data["masked"], json!(true));
    assert!(!event.data["preview"].as_str().unwrap().contains("gmail"));

    let plain = w
        .send(&w.mariam, to(&w.awa), "Le logo coûte 5000 FCFA")
        .await;
    assert!(!plain.masked, "nothing to mask, nothing flagged");

    // Koffi and Awa share an order: even their general conversation passes unchanged.
    let free = w.send(&w.koffi, to(&w.awa), text).await;
    assert!(!free.masked);
    assert_eq!(free.content, text);
    // The order can be finished or cancelled: they still share it.
    w.store.set_status(w.order.order.id, "cancelled");
    assert!(!w.send(&w.awa, to(&w.koffi), text).await.masked);

    let off = world_with(MessagingConfig {
        mask_contacts: false,
        ..MessagingConfig::default()
    });
    let unmasked = off.send(&off.mariam, to(&off.awa), text).await;
    assert!(!unmasked.masked);
    assert_eq!(unmasked.content, text);
}

#[tokio::test]
async fn strangers_get_404_on_every_conversation_action() {
    let w = world();
    let open = w.send(&w.koffi, to(&w.awa), "Bonjour").await;
    let id = open.conversation_id;
    for viewer in [&w.mariam, &w.admin] {
        let sent = w
            .messaging
            .send(viewer, Target::Conversation(id), "x".into())
            .await;
        assert!(matches!(sent, Err(MessagingError::NotFound)));
        let upload = Upload {
            name: "a.png".into(),
            bytes: PNG.to_vec(),
            declared_type: None,
        };
        let file = w.messaging.send_file(viewer, id, upload).await;
        assert!(matches!(file, Err(MessagingError::NotFound)));
        let read = w.messaging.messages(viewer, id, page()).await;
        assert!(matches!(read, Err(MessagingError::NotFound)));
        let mark = w.messaging.mark_read(viewer, id).await;
        assert!(matches!(mark, Err(MessagingError::NotFound)));
    }
    let unknown = w
        .messaging
        .messages(&w.koffi, ConversationId::new(), page())
        .await;
    assert!(matches!(unknown, Err(MessagingError::NotFound)));
    assert_eq!(w.store.events().len(), 1);
    assert!(w.blobs.keys().is_empty());
}

#[tokio::test]
async fn admins_read_an_order_conversation_only_while_it_is_disputed_and_never_post() {
    let w = world();
    let target = Target::Recipient {
        recipient: w.awa.id,
        order: Some(w.order.order.id),
    };
    let message = w
        .send(&w.koffi, target, "Le travail n'est pas conforme")
        .await;
    let id = message.conversation_id;
    let general = w.send(&w.koffi, to(&w.awa), "Bonjour").await;

    let before = w.messaging.messages(&w.admin, id, page()).await;
    assert!(matches!(before, Err(MessagingError::NotFound)));

    w.store.set_status(w.order.order.id, "disputed");
    let read = w.messaging.messages(&w.admin, id, page()).await.unwrap();
    assert_eq!(read.items.len(), 1);
    assert_eq!(read.items[0].content, "Le travail n'est pas conforme");
    let general_read = w
        .messaging
        .messages(&w.admin, general.conversation_id, page())
        .await;
    assert!(
        matches!(general_read, Err(MessagingError::NotFound)),
        "no order, no dispute"
    );
    let not_admin = w.messaging.messages(&w.mariam, id, page()).await;
    assert!(matches!(not_admin, Err(MessagingError::NotFound)));
    let post = w
        .messaging
        .send(&w.admin, Target::Conversation(id), "Arbitrage".into())
        .await;
    assert!(matches!(post, Err(MessagingError::NotFound)));

    w.store.set_status(w.order.order.id, "completed");
    let after = w.messaging.messages(&w.admin, id, page()).await;
    assert!(matches!(after, Err(MessagingError::NotFound)));
}

#[tokio::test]
async fn messages_come_newest_first_and_the_inbox_most_recent_first() {
    let w = world();
    let with_awa = w.send(&w.koffi, to(&w.awa), "un").await;
    w.clock.advance(Duration::minutes(1));
    let with_mariam = w.send(&w.mariam, to(&w.koffi), "deux").await;
    w.clock.advance(Duration::minutes(1));
    w.send(&w.awa, to(&w.koffi), "trois").await;

    let inbox = w.messaging.conversations(&w.koffi, page()).await.unwrap();
    let ids: Vec<ConversationId> = inbox.items.iter().map(|c| c.id).collect();
    assert_eq!(ids, [with_awa.conversation_id, with_mariam.conversation_id]);
    assert_eq!(inbox.total, 2);
    let top = &inbox.items[0];
    assert_eq!(top.last_message.as_ref().unwrap().content, "trois");
    assert_eq!(top.unread_count, 1);
    assert_eq!(top.updated_at, start() + Duration::minutes(2));
    let names: Vec<&str> = top
        .participants
        .iter()
        .map(|p| p.username.as_str())
        .collect();
    assert!(names.contains(&"awa") && names.contains(&"koffi"));

    let messages = w
        .messaging
        .messages(&w.koffi, with_awa.conversation_id, page())
        .await
        .unwrap();
    let texts: Vec<&str> = messages.items.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(texts, ["trois", "un"]);
    let awa_inbox = w.messaging.conversations(&w.awa, page()).await.unwrap();
    assert_eq!(awa_inbox.total, 1, "Mariam's conversation is not Awa's");
}

#[tokio::test]
async fn the_message_created_event_names_everything_a_subscriber_needs() {
    let w = world();
    let target = Target::Recipient {
        recipient: w.awa.id,
        order: Some(w.order.order.id),
    };
    let message = w.send(&w.koffi, target, &"a".repeat(300)).await;
    let event = w.last_event("message.created");
    assert_eq!(event.subject, message.id.0);
    assert_eq!(
        event.data,
        json!({
            "messageId": message.id, "conversationId": message.conversation_id,
            "senderId": w.koffi.id, "recipientId": w.awa.id,
            "orderId": w.order.order.id, "preview": "a".repeat(140), "masked": false,
        })
    );
    w.send(&w.koffi, to(&w.awa), "b").await;
    assert_eq!(w.last_event("message.created").data["orderId"], Value::Null);
}

#[tokio::test]
async fn a_post_racing_another_lands_in_the_conversation_that_won() {
    let w = world();
    let winner = w.send(&w.koffi, to(&w.awa), "premier").await;
    // A second post built before the first was stored proposes its own conversation id.
    let proposed = ConversationId::new();
    let id = MessageId::new();
    let post = NewPost {
        conversation: ConversationHead {
            id: proposed,
            participants: [w.awa.id, w.koffi.id],
            order: None,
        },
        message: NewMessage {
            id,
            sender: w.awa.id,
            content: "second".into(),
            masked: false,
            attachments: Vec::new(),
            created_at: w.clock.now(),
        },
        event: DomainEvent::new(
            "message.created",
            id.0,
            json!({ "conversationId": proposed }),
        ),
    };
    let message = w.store.post(post).await.unwrap();
    assert_eq!(message.conversation_id, winner.conversation_id);
    assert_eq!(w.store.conversation_count(), 1);
    assert_eq!(
        w.last_event("message.created").data["conversationId"],
        json!(winner.conversation_id)
    );
}

// ---- attachments ---------------------------------------------------------------------

#[tokio::test]
async fn files_are_size_checked_typed_from_their_content_and_stored_privately() {
    let w = world_with(MessagingConfig {
        attachment_max_bytes: 64,
        ..MessagingConfig::default()
    });
    let id = w
        .send(&w.koffi, to(&w.awa), "Voici le brief")
        .await
        .conversation_id;
    let upload = |name: &str, bytes: &[u8], declared: &str| Upload {
        name: name.into(),
        bytes: bytes.to_vec(),
        declared_type: Some(declared.into()),
    };

    let too_big = w
        .messaging
        .send_file(&w.koffi, id, upload("big.png", &[0; 65], "image/png"))
        .await;
    assert!(matches!(
        too_big,
        Err(MessagingError::TooLarge { limit: 64 })
    ));
    let empty = w
        .messaging
        .send_file(&w.koffi, id, upload("vide.txt", b"", "text/plain"))
        .await;
    assert_eq!(fields(empty.unwrap_err()), ["file"]);
    assert!(w.blobs.keys().is_empty());

    let image = w
        .messaging
        .send_file(&w.koffi, id, upload("mon logo.png", PNG, "text/html"))
        .await
        .unwrap();
    assert_eq!(image.content, "");
    assert_eq!(image.attachments.len(), 1);
    let attachment = &image.attachments[0];
    assert_eq!(
        attachment.content_type, "image/png",
        "the bytes decide, not the declaration"
    );
    assert_eq!(attachment.name, "mon logo.png");
    assert_eq!(attachment.size, PNG.len() as i64);
    assert!(attachment.key.starts_with(&format!("messages/{id}/")));
    assert!(attachment.key.ends_with("-mon_logo.png"));
    assert!(!attachment.key.starts_with("public/"));
    assert_eq!(w.blobs.keys(), std::slice::from_ref(&attachment.key));
    assert_eq!(
        w.last_event("message.created").data["conversationId"],
        json!(id)
    );

    for (name, bytes) in [
        ("page.html", &b"<html><script>alert(1)</script></html>"[..]),
        (
            "dessin.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        ),
        ("app.js", b"fetch('/api')"),
    ] {
        let sent = w
            .messaging
            .send_file(&w.awa, id, upload(name, bytes, "image/png"))
            .await
            .unwrap();
        assert_eq!(
            sent.attachments[0].content_type, "application/octet-stream",
            "{name}"
        );
    }
    let link = w.messaging.attachment_link(&attachment.key).await.unwrap();
    assert_eq!(link, format!("memory://{}?ttl=600", attachment.key));
}

// ---- unread and read receipts --------------------------------------------------------

#[tokio::test]
async fn marking_read_resets_the_count_and_writes_an_event_only_when_something_was_unread() {
    let w = world();
    let id = w.send(&w.koffi, to(&w.awa), "un").await.conversation_id;
    w.send(&w.koffi, Target::Conversation(id), "deux").await;
    w.send(&w.awa, Target::Conversation(id), "réponse").await;

    let awa = w.messaging.unread_counts(&w.awa).await.unwrap();
    assert_eq!(awa.messages, 2);
    assert_eq!(
        w.messaging.unread_counts(&w.koffi).await.unwrap().messages,
        1
    );

    w.clock.advance(Duration::minutes(3));
    assert!(w.messaging.mark_read(&w.awa, id).await.unwrap());
    let event = w.last_event("conversation.read");
    assert_eq!(event.subject, id.0);
    assert_eq!(
        event.data,
        json!({
            "conversationId": id, "readerId": w.awa.id,
            "readAt": start() + Duration::minutes(3), "recipientId": w.koffi.id,
        })
    );
    assert_eq!(w.messaging.unread_counts(&w.awa).await.unwrap().messages, 0);
    assert_eq!(
        w.messaging.unread_counts(&w.koffi).await.unwrap().messages,
        1,
        "Koffi's stay"
    );
    let messages = w.messaging.messages(&w.awa, id, page()).await.unwrap();
    for message in &messages.items {
        let expected = (message.sender.id == w.koffi.id).then(|| start() + Duration::minutes(3));
        assert_eq!(message.read_at, expected, "{}", message.content);
    }

    let events = w.store.events().len();
    assert!(
        !w.messaging.mark_read(&w.awa, id).await.unwrap(),
        "nothing left unread"
    );
    assert_eq!(w.store.events().len(), events, "no event for nothing");
}

// ---- notifications -------------------------------------------------------------------

fn new_notification(user: UserId, source: Uuid, at: DateTime<Utc>, title: &str) -> NewNotification {
    NewNotification {
        id: NotificationId::new(),
        user_id: user,
        kind: "order.created".into(),
        title: title.into(),
        body: "corps".into(),
        data: json!({}),
        source_event: source,
        created_at: at,
    }
}

#[tokio::test]
async fn notifications_list_filter_read_and_count() {
    let w = world();
    let first = w
        .store
        .add(new_notification(w.awa.id, Uuid::new_v4(), start(), "un"))
        .await
        .unwrap();
    let second = w
        .store
        .add(new_notification(
            w.awa.id,
            Uuid::new_v4(),
            start() + Duration::seconds(1),
            "deux",
        ))
        .await
        .unwrap();
    w.store
        .add(new_notification(
            w.koffi.id,
            Uuid::new_v4(),
            start(),
            "à Koffi",
        ))
        .await
        .unwrap();

    let listed = w
        .messaging
        .notifications(&w.awa, false, page())
        .await
        .unwrap();
    let titles: Vec<&str> = listed.items.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(titles, ["deux", "un"], "newest first, only hers");
    assert_eq!(
        w.messaging
            .unread_counts(&w.awa)
            .await
            .unwrap()
            .notifications,
        2
    );

    w.clock.advance(Duration::minutes(1));
    let read = w
        .messaging
        .read_notification(&w.awa, first.id)
        .await
        .unwrap();
    assert_eq!(read.read_at, Some(start() + Duration::minutes(1)));
    let unread = w
        .messaging
        .notifications(&w.awa, true, page())
        .await
        .unwrap();
    assert_eq!(
        unread.items.iter().map(|n| n.id).collect::<Vec<_>>(),
        [second.id]
    );
    let someone_elses = w.messaging.read_notification(&w.koffi, second.id).await;
    assert!(matches!(someone_elses, Err(MessagingError::NotFound)));
    let unknown = w
        .messaging
        .read_notification(&w.awa, NotificationId::new())
        .await;
    assert!(matches!(unknown, Err(MessagingError::NotFound)));

    assert_eq!(w.messaging.read_all(&w.awa).await.unwrap(), 1);
    assert_eq!(w.messaging.read_all(&w.awa).await.unwrap(), 0);
    assert_eq!(
        w.messaging
            .unread_counts(&w.awa)
            .await
            .unwrap()
            .notifications,
        0
    );
    assert_eq!(
        w.messaging
            .unread_counts(&w.koffi)
            .await
            .unwrap()
            .notifications,
        1
    );
    // Reading again keeps the first time it was read.
    w.clock.advance(Duration::minutes(1));
    let again = w
        .messaging
        .read_notification(&w.awa, first.id)
        .await
        .unwrap();
    assert_eq!(again.read_at, Some(start() + Duration::minutes(1)));
}

#[tokio::test]
async fn adding_the_same_event_twice_for_a_user_keeps_one_notification() {
    let w = world();
    let source = Uuid::new_v4();
    let first = w
        .store
        .add(new_notification(w.awa.id, source, start(), "un"))
        .await
        .unwrap();
    let again = w
        .store
        .add(new_notification(w.awa.id, source, start(), "bis"))
        .await
        .unwrap();
    assert_eq!(again, first);
    let other_user = w
        .store
        .add(new_notification(w.koffi.id, source, start(), "un"))
        .await
        .unwrap();
    assert_ne!(other_user.id, first.id);
    assert_eq!(w.store.all_notifications().len(), 2);
}

#[tokio::test]
async fn a_notification_serializes_as_the_contract_shows_it() {
    let w = world();
    let n = w
        .store
        .add(new_notification(w.awa.id, Uuid::new_v4(), start(), "un"))
        .await
        .unwrap();
    let json = serde_json::to_value(&n).unwrap();
    assert_eq!(
        json,
        json!({
            "id": n.id, "type": "order.created", "title": "un", "body": "corps",
            "data": {}, "readAt": null, "createdAt": start(),
        })
    );
}

// ---- NotificationSubscriber ----------------------------------------------------------

/// `(event kind, previous status, status, expected (user, title) notifications)`.
type OrderCase<'a> = (&'a str, Option<&'a str>, &'a str, &'a [(UserId, &'a str)]);

#[tokio::test]
async fn order_changes_notify_the_party_concerned() {
    let w = world();
    let subscriber = NotificationSubscriber::new(w.messaging.clone());
    assert_eq!(subscriber.name(), "messaging.notifications");
    assert!(
        !subscriber.wants("order.completed"),
        "order.updated carries completion"
    );
    assert!(!subscriber.wants("order.cancelled"));
    let (buyer, seller) = (w.koffi.id, w.awa.id);
    let cases: &[OrderCase] = &[
        (
            "order.created",
            None,
            "pending",
            &[(seller, "Nouvelle commande")],
        ),
        (
            "order.updated",
            Some("pending"),
            "in_progress",
            &[(buyer, "Commande acceptée")],
        ),
        (
            "order.updated",
            Some("in_progress"),
            "delivered",
            &[(buyer, "Commande livrée")],
        ),
        (
            "order.updated",
            Some("delivered"),
            "in_progress",
            &[(seller, "Révision demandée")],
        ),
        (
            "order.updated",
            Some("delivered"),
            "completed",
            &[(seller, "Commande terminée")],
        ),
        (
            "order.updated",
            Some("pending"),
            "cancelled",
            &[(buyer, "Commande annulée"), (seller, "Commande annulée")],
        ),
        (
            "order.updated",
            Some("delivered"),
            "disputed",
            &[(buyer, "Litige ouvert"), (seller, "Litige ouvert")],
        ),
        (
            "order.updated",
            Some("disputed"),
            "completed",
            &[(buyer, "Litige résolu"), (seller, "Litige résolu")],
        ),
        (
            "order.updated",
            Some("disputed"),
            "cancelled",
            &[(buyer, "Litige résolu"), (seller, "Litige résolu")],
        ),
    ];
    for (kind, previous, status, expected) in cases {
        let before = w.store.all_notifications().len();
        let event = w.order_event(kind, *previous, status);
        assert!(subscriber.wants(kind));
        subscriber.handle(&event).await.unwrap();
        let added: Vec<(UserId, String)> = w.notified()[before..]
            .iter()
            .map(|(user, k, title)| {
                assert_eq!(k, kind);
                (*user, title.clone())
            })
            .collect();
        let expected: Vec<(UserId, String)> =
            expected.iter().map(|(u, t)| (*u, t.to_string())).collect();
        assert_eq!(added, expected, "{kind} {previous:?} → {status}");
    }
    let placed = w.store.all_notifications().remove(0);
    assert_eq!(
        placed.data,
        json!({ "orderId": w.order.order.id, "number": "KR-2026-000001" })
    );
    assert!(placed.body.contains("KR-2026-000001") && placed.body.contains("Logo <pro>"));
}

#[tokio::test]
async fn each_notification_is_pushed_once_and_a_redelivery_changes_nothing() {
    let w = world();
    let subscriber = NotificationSubscriber::new(w.messaging.clone());
    let event = w.order_event("order.created", None, "pending");
    subscriber.handle(&event).await.unwrap();
    subscriber.handle(&event).await.unwrap();
    let notifications = w.store.all_notifications();
    assert_eq!(notifications.len(), 1);
    let frames = w.realtime.frames_for(w.awa.id);
    assert_eq!(frames.len(), 2, "pushed again on redelivery…");
    assert_eq!(
        frames[0], frames[1],
        "…under the same id, which clients drop"
    );
    let frame = &frames[0];
    assert_eq!(frame.kind, "notification.created");
    assert_eq!(frame.id, notifications[0].id.0);
    assert_eq!(frame.data, serde_json::to_value(&notifications[0]).unwrap());
    assert!(w.realtime.frames_for(w.koffi.id).is_empty());
}

#[tokio::test]
async fn other_events_notify_sellers_users_and_recipients() {
    let w = world();
    let subscriber = NotificationSubscriber::new(w.messaging.clone());
    let service = Uuid::new_v4();
    let payout = Uuid::new_v4();
    let events = [
        external(
            "review.created",
            json!({
                "reviewId": Uuid::new_v4(), "orderId": w.order.order.id, "serviceId": service,
                "sellerId": w.awa.id, "buyerId": w.koffi.id, "rating": 5,
            }),
        ),
        external(
            "service.approved",
            json!({
                "serviceId": service, "sellerId": w.awa.id, "title": "Logo", "slug": "logo",
            }),
        ),
        external(
            "service.rejected",
            json!({
                "serviceId": service, "sellerId": w.awa.id, "title": "Logo", "slug": "logo",
                "reason": "Images floues",
            }),
        ),
        external("kyc.approved", json!({ "userId": w.mariam.id })),
        external(
            "kyc.rejected",
            json!({ "userId": w.mariam.id, "reason": "Document illisible" }),
        ),
        external(
            "payout.processed",
            json!({
                "payoutId": payout, "userId": w.awa.id, "amount": 9000, "currency": "XOF",
                "status": "processed",
            }),
        ),
        external(
            "payout.rejected",
            json!({
                "payoutId": payout, "userId": w.awa.id, "amount": 9000, "currency": "XOF",
                "status": "rejected", "reason": "IBAN invalide",
            }),
        ),
    ];
    for event in &events {
        assert!(subscriber.wants(&event.kind));
        subscriber.handle(event).await.unwrap();
    }
    let got: Vec<(UserId, String, String)> = w.notified();
    let expected = [
        (w.awa.id, "review.created", "Nouvel avis"),
        (w.awa.id, "service.approved", "Service approuvé"),
        (w.awa.id, "service.rejected", "Service refusé"),
        (w.mariam.id, "kyc.approved", "Identité vérifiée"),
        (w.mariam.id, "kyc.rejected", "Vérification refusée"),
        (w.awa.id, "payout.processed", "Retrait effectué"),
        (w.awa.id, "payout.rejected", "Retrait refusé"),
    ]
    .map(|(u, k, t)| (u, k.to_owned(), t.to_owned()));
    assert_eq!(got, expected);
    let all = w.store.all_notifications();
    assert_eq!(all[1].data, json!({ "serviceId": service, "slug": "logo" }));
    assert!(all[2].body.contains("Images floues"));
    assert!(all[4].body.contains("Document illisible"));
    assert_eq!(all[5].data, json!({ "payoutId": payout }));
    assert!(all[5].body.contains("9000 XOF"));
}

#[tokio::test]
async fn a_message_notifies_its_recipient_only() {
    let w = world();
    let subscriber = NotificationSubscriber::new(w.messaging.clone());
    let message = w
        .send(&w.koffi, to(&w.awa), "Bonjour, êtes-vous disponible ?")
        .await;
    subscriber
        .handle(&stored(&w.last_event("message.created")))
        .await
        .unwrap();
    let all = w.store.all_notifications();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].user_id, w.awa.id);
    assert_eq!(all[0].kind, "message.created");
    assert_eq!(all[0].title, "Nouveau message de koffi");
    assert_eq!(all[0].body, "Bonjour, êtes-vous disponible ?");
    assert_eq!(
        all[0].data["conversationId"],
        json!(message.conversation_id)
    );
    assert_eq!(all[0].data["messageId"], json!(message.id));
    assert_eq!(
        w.messaging.unread_counts(&w.awa).await.unwrap(),
        krika_messaging::UnreadCounts {
            notifications: 1,
            messages: 1,
        }
    );
}

#[tokio::test]
async fn a_malformed_payload_is_skipped_not_retried_forever() {
    let w = world();
    let subscriber = NotificationSubscriber::new(w.messaging.clone());
    subscriber
        .handle(&external("order.created", json!({ "orderId": "?" })))
        .await
        .unwrap();
    assert!(w.store.all_notifications().is_empty());
}

// ---- RealtimeSubscriber --------------------------------------------------------------

#[tokio::test]
async fn a_new_message_is_pushed_to_both_participants_in_the_http_shape() {
    let w = world();
    let subscriber = RealtimeSubscriber::new(w.messaging.clone());
    assert_eq!(subscriber.name(), "messaging.realtime");
    let id = w
        .send(&w.koffi, to(&w.awa), "Bonjour")
        .await
        .conversation_id;
    let upload = Upload {
        name: "logo.png".into(),
        bytes: PNG.to_vec(),
        declared_type: None,
    };
    let message = w.messaging.send_file(&w.koffi, id, upload).await.unwrap();
    let event = stored(&w.last_event("message.created"));
    assert!(subscriber.wants(&event.kind));
    subscriber.handle(&event).await.unwrap();

    let pushed = w.realtime.pushed();
    assert_eq!(pushed.len(), 1);
    let (users, frame) = &pushed[0];
    assert!(users.contains(&w.koffi.id) && users.contains(&w.awa.id) && users.len() == 2);
    assert_eq!(frame.kind, "message.created");
    assert_eq!(frame.id, message.id.0);
    let key = &message.attachments[0].key;
    assert_eq!(
        frame.data,
        json!({
            "id": message.id, "conversationId": id,
            "sender": {
                "id": w.koffi.id, "username": "koffi", "name": "Koffi",
                "avatarUrl": null,
            },
            "content": "", "masked": false,
            "attachments": [{
                "name": "logo.png", "contentType": "image/png", "size": PNG.len(),
                "url": format!("memory://{key}?ttl=600"),
            }],
            "createdAt": start(), "readAt": null,
        })
    );
    let view = w.messaging.message_view(&message).await.unwrap();
    assert_eq!(
        serde_json::to_value(view).unwrap(),
        frame.data,
        "one shape for HTTP and WS"
    );
}

#[tokio::test]
async fn read_receipts_go_to_the_other_participant_and_order_changes_to_both_parties() {
    let w = world();
    let subscriber = RealtimeSubscriber::new(w.messaging.clone());
    let id = w
        .send(&w.koffi, to(&w.awa), "Bonjour")
        .await
        .conversation_id;
    w.messaging.mark_read(&w.awa, id).await.unwrap();
    let read = stored(&w.last_event("conversation.read"));
    subscriber.handle(&read).await.unwrap();
    assert_eq!(
        w.realtime.pushed(),
        [(
            vec![w.koffi.id],
            Frame::new(
                "conversation.read",
                read.id,
                json!({ "conversationId": id, "readerId": w.awa.id, "readAt": start() }),
            )
        )]
    );

    w.realtime.clear();
    for kind in ["order.created", "order.updated"] {
        let event = w.order_event(kind, None, "pending");
        assert!(subscriber.wants(kind));
        subscriber.handle(&event).await.unwrap();
        let (users, frame) = w.realtime.pushed().pop().unwrap();
        assert_eq!(users, [w.koffi.id, w.awa.id]);
        assert_eq!(
            frame,
            Frame::new("order.updated", event.id, event.data.clone())
        );
    }
    assert!(!subscriber.wants("order.completed"));
    assert!(!subscriber.wants("payout.processed"));
}

// ---- MailSubscriber ------------------------------------------------------------------

/// The HTML part with minijinja's `&#x2f;` turned back into `/`, as a browser reads it.
fn html(mail: &krika_kernel::ports::Mail) -> String {
    mail.html.as_deref().unwrap().replace("&#x2f;", "/")
}

#[tokio::test]
async fn a_new_order_mails_the_buyer_a_confirmation_and_the_seller_the_news() {
    let w = world();
    let subscriber = MailSubscriber::new(w.messaging.clone());
    assert_eq!(subscriber.name(), "messaging.mail");
    subscriber
        .handle(&w.order_event("order.created", None, "pending"))
        .await
        .unwrap();
    let sent = w.mailer.sent();
    assert_eq!(sent.len(), 2);
    let link = format!("https://2krika.test/orders/{}", w.order.order.id);
    let (buyer, seller) = (&sent[0], &sent[1]);
    assert_eq!(buyer.to, "koffi@example.ci");
    assert_eq!(buyer.subject, "Votre commande KR-2026-000001 est confirmée");
    assert!(buyer.text.contains("Bonjour Koffi") && buyer.text.contains(&link));
    assert!(buyer.text.contains("« Logo <pro> »"), "plain text as is");
    assert!(html(buyer).contains(&format!("href=\"{link}\"")));
    assert!(
        html(buyer).contains("Logo &lt;pro&gt;"),
        "HTML escapes user text"
    );
    assert_eq!(seller.to, "awa@example.ci");
    assert_eq!(seller.subject, "Nouvelle commande KR-2026-000001");
    assert!(seller.text.contains(&link));
}

#[tokio::test]
async fn deliveries_mail_the_buyer_and_completions_the_seller_once() {
    let w = world();
    let subscriber = MailSubscriber::new(w.messaging.clone());
    subscriber
        .handle(&w.order_event("order.updated", Some("in_progress"), "delivered"))
        .await
        .unwrap();
    subscriber
        .handle(&w.order_event("order.updated", Some("pending"), "in_progress"))
        .await
        .unwrap();
    subscriber
        .handle(&w.order_event("order.updated", Some("delivered"), "completed"))
        .await
        .unwrap();
    assert!(
        !subscriber.wants("order.completed"),
        "completion is mailed from order.updated"
    );
    let sent: Vec<(String, String)> = w
        .mailer
        .sent()
        .into_iter()
        .map(|m| (m.to, m.subject))
        .collect();
    assert_eq!(
        sent,
        [
            (
                "koffi@example.ci".to_owned(),
                "Votre commande KR-2026-000001 a été livrée".to_owned()
            ),
            (
                "awa@example.ci".to_owned(),
                "Commande KR-2026-000001 terminée".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn payouts_kyc_and_service_decisions_are_mailed_with_their_links() {
    let w = world();
    let subscriber = MailSubscriber::new(w.messaging.clone());
    let service = Uuid::new_v4();
    let events = [
        external(
            "payout.processed",
            json!({
                "payoutId": Uuid::new_v4(), "userId": w.awa.id, "amount": 9000, "currency": "XOF",
                "status": "processed",
            }),
        ),
        external("kyc.approved", json!({ "userId": w.mariam.id })),
        external(
            "kyc.rejected",
            json!({ "userId": w.mariam.id, "reason": "Photo <floue>" }),
        ),
        external(
            "service.approved",
            json!({
                "serviceId": service, "sellerId": w.awa.id, "title": "Logo", "slug": "logo-pro",
            }),
        ),
        external(
            "service.rejected",
            json!({
                "serviceId": service, "sellerId": w.awa.id, "title": "Logo", "slug": "logo-pro",
                "reason": "Images floues",
            }),
        ),
    ];
    for event in &events {
        assert!(subscriber.wants(&event.kind));
        subscriber.handle(event).await.unwrap();
    }
    let sent = w.mailer.sent();
    let expected = [
        (
            "awa@example.ci",
            "Votre retrait de 9000 XOF a été effectué",
            "https://2krika.test/wallet".to_owned(),
        ),
        (
            "mariam@example.ci",
            "Votre identité est vérifiée",
            "https://2krika.test/seller/kyc".to_owned(),
        ),
        (
            "mariam@example.ci",
            "Votre vérification d'identité n'a pas abouti",
            "https://2krika.test/seller/kyc".to_owned(),
        ),
        (
            "awa@example.ci",
            "Votre service « Logo » est en ligne",
            "https://2krika.test/services/logo-pro".to_owned(),
        ),
        (
            "awa@example.ci",
            "Votre service « Logo » n'a pas été approuvé",
            format!("https://2krika.test/seller/services/{service}"),
        ),
    ];
    assert_eq!(sent.len(), expected.len());
    for (mail, (to, subject, link)) in sent.iter().zip(expected) {
        assert_eq!(mail.to, to);
        assert_eq!(mail.subject, subject);
        assert!(mail.text.contains(&link), "{subject}: {}", mail.text);
        assert!(html(mail).contains(&link), "{subject}");
    }
    assert!(sent[2].text.contains("Motif : Photo <floue>"));
    assert!(html(&sent[2]).contains("Photo &lt;floue&gt;"));
    assert!(!subscriber.wants("message.created"));
    assert!(!subscriber.wants("payout.rejected"));
}

#[tokio::test]
async fn the_messaging_subscribers_are_named_for_the_dispatcher() {
    let w = world();
    let names: Vec<&str> = w.messaging.subscribers().iter().map(|s| s.name()).collect();
    assert_eq!(
        names,
        [
            "messaging.realtime",
            "messaging.notifications",
            "messaging.mail"
        ]
    );
}

// ---- the unread e-mail ---------------------------------------------------------------

#[tokio::test]
async fn an_unread_message_is_mailed_after_15_minutes_at_most_hourly_and_never_to_the_online() {
    let w = world();
    let id = w
        .send(&w.koffi, to(&w.awa), "Vous êtes là ?")
        .await
        .conversation_id;

    w.clock.advance(Duration::minutes(14));
    assert_eq!(
        w.messaging.remind_unread(10).await.unwrap(),
        0,
        "not before 15 minutes"
    );

    w.clock.advance(Duration::minutes(2));
    w.realtime.set_online(w.awa.id, true);
    assert_eq!(
        w.messaging.remind_unread(10).await.unwrap(),
        0,
        "she has a socket open"
    );

    w.realtime.set_online(w.awa.id, false);
    assert_eq!(w.messaging.remind_unread(10).await.unwrap(), 1);
    let mail = w.mailer.sent().pop().unwrap();
    assert_eq!(mail.to, "awa@example.ci");
    assert_eq!(mail.subject, "Vous avez 1 message non lu");
    let link = format!("https://2krika.test/messages/{id}");
    assert!(mail.text.contains(&link));
    assert!(html(&mail).contains(&link));

    w.send(&w.koffi, Target::Conversation(id), "Toujours là ?")
        .await;
    w.clock.advance(Duration::minutes(59));
    assert_eq!(
        w.messaging.remind_unread(10).await.unwrap(),
        0,
        "at most one an hour"
    );
    w.clock.advance(Duration::minutes(2));
    assert_eq!(w.messaging.remind_unread(10).await.unwrap(), 1);
    assert_eq!(
        w.mailer.sent().pop().unwrap().subject,
        "Vous avez 2 messages non lus"
    );
    w.clock.advance(Duration::hours(2));
    assert_eq!(
        w.messaging.remind_unread(10).await.unwrap(),
        0,
        "nothing new since the last e-mail"
    );

    w.messaging.mark_read(&w.awa, id).await.unwrap();
    w.clock.advance(Duration::hours(2));
    assert_eq!(
        w.messaging.remind_unread(10).await.unwrap(),
        0,
        "read: nothing to remind"
    );
    assert_eq!(
        w.mailer.sent().len(),
        2,
        "Koffi, the sender, is never reminded of his own"
    );
}

#[tokio::test]
async fn a_suspension_closes_the_accounts_sockets() {
    let w = world();
    let subscriber = RealtimeSubscriber::new(w.messaging.clone());
    assert!(subscriber.wants("user.suspended"));
    w.realtime.set_online(w.awa.id, true);
    subscriber
        .handle(&external("user.suspended", json!({ "userId": w.awa.id })))
        .await
        .unwrap();
    assert_eq!(w.realtime.disconnected(), [w.awa.id]);
    assert!(
        !krika_kernel::ports::Realtime::is_online(w.realtime.as_ref(), w.awa.id)
            .await
            .unwrap()
    );
    // A payload without its user is skipped, not retried for ever.
    subscriber
        .handle(&external("user.suspended", json!({})))
        .await
        .unwrap();
    assert_eq!(w.realtime.disconnected().len(), 1);
}
