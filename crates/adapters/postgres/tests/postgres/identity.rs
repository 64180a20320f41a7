use chrono::{Duration, Utc};
use krika_identity::ports::{
    NewRefreshToken, ProfileChanges, ResetTokenStore, Rotation, SessionStore, UserRepository,
    UserWriteError,
};
use krika_identity::{DisplayName, Email, NewUser, PasswordHash, Role, UserStatus, Username};
use krika_kernel::DomainEvent;
use krika_kernel::ids::{SessionId, UserId};
use krika_postgres::testing::TestDatabase;
use krika_postgres::{Db, DbConfig, PgIdentityStore, migrations};
use serde_json::json;

async fn store() -> (PgIdentityStore, TestDatabase) {
    let database = TestDatabase::create().await;
    let db = Db::connect(&DbConfig::new(&database.url)).unwrap();
    (PgIdentityStore::new(db), database)
}

async fn session_open(store: &PgIdentityStore, user: UserId, session: SessionId) -> bool {
    store
        .find_with_session(user, session)
        .await
        .unwrap()
        .expect("the user exists")
        .1
}

pub fn new_user(email: &str, username: &str) -> NewUser {
    NewUser {
        id: UserId::new(),
        email: Email::parse("email", email).unwrap(),
        username: Username::parse("username", username).unwrap(),
        name: DisplayName::parse("name", "Awa").unwrap(),
        password_hash: PasswordHash("hash".into()),
        role: Role::Client,
        created_at: Utc::now(),
    }
}

fn token(digest: &[u8], ttl: Duration) -> NewRefreshToken {
    NewRefreshToken {
        digest: digest.to_vec(),
        expires_at: Utc::now() + ttl,
    }
}

#[tokio::test]
async fn every_migration_reverts_cleanly() {
    let database = TestDatabase::create().await;
    assert!(migrations::revert_all(&database.url).await.unwrap() >= 1);
    assert!(!migrations::run(&database.url).await.unwrap().is_empty());
}

#[tokio::test]
async fn emails_and_usernames_are_unique_among_live_users() {
    let (store, _db) = store().await;
    let awa = store
        .create(new_user("awa@example.com", "awa"))
        .await
        .unwrap();
    assert!(matches!(
        store.create(new_user("awa@example.com", "other")).await,
        Err(UserWriteError::EmailTaken)
    ));
    assert!(matches!(
        store.create(new_user("b@example.com", "awa")).await,
        Err(UserWriteError::UsernameTaken)
    ));

    store.soft_delete(awa.id, &[], Utc::now()).await.unwrap();
    assert_eq!(store.find(awa.id).await.unwrap(), None);
    assert!(
        store
            .create(new_user("awa@example.com", "awa"))
            .await
            .is_ok(),
        "deletion frees both"
    );
}

#[tokio::test]
async fn profile_changes_apply_and_clear() {
    let (store, _db) = store().await;
    let awa = store
        .create(new_user("awa@example.com", "awa"))
        .await
        .unwrap();
    store
        .create(new_user("b@example.com", "bintou"))
        .await
        .unwrap();
    let changes = ProfileChanges {
        bio: Some(Some("Hello".into())),
        phone: Some(Some("+22507000000".into())),
        ..Default::default()
    };
    let user = store
        .update_profile(awa.id, changes, Utc::now())
        .await
        .unwrap();
    assert_eq!(user.bio.as_deref(), Some("Hello"));
    let cleared = ProfileChanges {
        bio: Some(None),
        ..Default::default()
    };
    let user = store
        .update_profile(awa.id, cleared, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        (user.bio, user.phone.as_deref()),
        (None, Some("+22507000000"))
    );
    let taken = ProfileChanges {
        username: Some("bintou".into()),
        ..Default::default()
    };
    assert!(matches!(
        store.update_profile(awa.id, taken, Utc::now()).await,
        Err(UserWriteError::UsernameTaken)
    ));

    assert_eq!(
        store
            .set_avatar(awa.id, Some("public/a.png".into()), Utc::now())
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .set_avatar(awa.id, Some("public/b.png".into()), Utc::now())
            .await
            .unwrap()
            .as_deref(),
        Some("public/a.png")
    );
    let suspended = store
        .set_status(awa.id, UserStatus::Suspended, Utc::now())
        .await
        .unwrap();
    assert_eq!(suspended.status, UserStatus::Suspended);
}

#[tokio::test]
async fn rotation_and_reuse_detection() {
    let (store, _db) = store().await;
    let awa = store
        .create(new_user("awa@example.com", "awa"))
        .await
        .unwrap();
    let session = SessionId::new();
    store
        .start(awa.id, session, token(b"t1", Duration::days(7)), Utc::now())
        .await
        .unwrap();
    assert!(session_open(&store, awa.id, session).await);

    let rotated = store
        .rotate(b"t1", token(b"t2", Duration::days(7)), Utc::now())
        .await
        .unwrap();
    assert_eq!(
        rotated,
        Rotation::Rotated {
            user_id: awa.id,
            session_id: session
        }
    );
    assert_eq!(
        store
            .rotate(b"nope", token(b"x", Duration::days(7)), Utc::now())
            .await
            .unwrap(),
        Rotation::Unknown
    );
    // Replaying t1 revokes the family; t2 is then dead too.
    assert_eq!(
        store
            .rotate(b"t1", token(b"t3", Duration::days(7)), Utc::now())
            .await
            .unwrap(),
        Rotation::Reused {
            session_id: session
        }
    );
    assert_eq!(
        store
            .rotate(b"t2", token(b"t4", Duration::days(7)), Utc::now())
            .await
            .unwrap(),
        Rotation::Revoked
    );
    assert!(!session_open(&store, awa.id, session).await);
}

#[tokio::test]
async fn expired_refresh_tokens_are_refused() {
    let (store, _db) = store().await;
    let awa = store
        .create(new_user("awa@example.com", "awa"))
        .await
        .unwrap();
    store
        .start(
            awa.id,
            SessionId::new(),
            token(b"old", Duration::seconds(-1)),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate(b"old", token(b"new", Duration::days(7)), Utc::now())
            .await
            .unwrap(),
        Rotation::Expired
    );
}

#[tokio::test]
async fn concurrent_rotations_of_one_token_let_exactly_one_through() {
    let (store, _db) = store().await;
    let awa = store
        .create(new_user("awa@example.com", "awa"))
        .await
        .unwrap();
    store
        .start(
            awa.id,
            SessionId::new(),
            token(b"shared", Duration::days(7)),
            Utc::now(),
        )
        .await
        .unwrap();
    let attempts = (0..10u8).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .rotate(b"shared", token(&[b'n', i], Duration::days(7)), Utc::now())
                .await
                .unwrap()
        })
    });
    let mut rotated = 0;
    for attempt in attempts {
        if matches!(attempt.await.unwrap(), Rotation::Rotated { .. }) {
            rotated += 1;
        }
    }
    assert_eq!(rotated, 1);
}

#[tokio::test]
async fn a_reset_token_works_once_and_ends_sessions() {
    fn no_events(_: UserId) -> Vec<DomainEvent> {
        Vec::new()
    }
    let (store, _db) = store().await;
    let awa = store
        .create(new_user("awa@example.com", "awa"))
        .await
        .unwrap();
    let session = SessionId::new();
    store
        .start(awa.id, session, token(b"r", Duration::days(7)), Utc::now())
        .await
        .unwrap();
    store
        .create_reset(
            awa.id,
            b"reset".to_vec(),
            Utc::now() + Duration::hours(1),
            Utc::now(),
        )
        .await
        .unwrap();
    store
        .create_reset(
            awa.id,
            b"stale".to_vec(),
            Utc::now() - Duration::seconds(1),
            Utc::now(),
        )
        .await
        .unwrap();

    assert_eq!(
        store
            .consume_reset(b"stale", PasswordHash("x".into()), &no_events, Utc::now())
            .await
            .unwrap(),
        None
    );
    let attempts = (0..5).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .consume_reset(b"reset", PasswordHash("new".into()), &no_events, Utc::now())
                .await
                .unwrap()
        })
    });
    let mut winners = 0;
    for attempt in attempts {
        winners += usize::from(attempt.await.unwrap().is_some());
    }
    assert_eq!(winners, 1);
    let (_, hash) = store.find_credentials(awa.id).await.unwrap().unwrap();
    assert_eq!(hash.0, "new");
    assert!(!session_open(&store, awa.id, session).await);
}

#[tokio::test]
async fn create_admin_creates_then_resets() {
    let (store, _db) = store().await;
    let admin = store
        .upsert_admin(new_user("root@example.com", "root"), Utc::now())
        .await
        .unwrap();
    assert_eq!(admin.role, Role::Admin);
    let again = NewUser {
        password_hash: PasswordHash("other".into()),
        ..new_user("root@example.com", "root")
    };
    let same = store.upsert_admin(again, Utc::now()).await.unwrap();
    assert_eq!(same.id, admin.id);
    assert_eq!(
        store.find_credentials(admin.id).await.unwrap().unwrap().1.0,
        "other"
    );
}

#[tokio::test]
async fn an_unreachable_database_is_reported_unavailable() {
    let db = Db::connect(&DbConfig::new("postgres://krika:krika@127.0.0.1:1/krika")).unwrap();
    let error = db.ping().await.unwrap_err();
    assert!(error.is_unavailable(), "{error}");
}

/// What both identity stores must do when sessions end: only the listed ones end, and the
/// events that tell open sockets are written with the change.
async fn ending_sessions_records_their_events<S, F, Fut>(store: &S, recorded: F)
where
    S: SessionStore + UserRepository + ResetTokenStore,
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Vec<String>>,
{
    let awa = store
        .create(new_user("awa@example.com", "awa"))
        .await
        .unwrap();
    let sessions = [SessionId::new(), SessionId::new(), SessionId::new()];
    for (i, session) in sessions.iter().enumerate() {
        let digest = [b't', i as u8];
        store
            .start(
                awa.id,
                *session,
                token(&digest, Duration::days(7)),
                Utc::now(),
            )
            .await
            .unwrap();
    }
    let open = async |session| {
        store
            .find_with_session(awa.id, session)
            .await
            .unwrap()
            .expect("the user exists")
            .1
    };
    let logout = DomainEvent::new("session.revoked", awa.id.as_uuid(), json!({}));
    store
        .revoke(&sessions[..2], "logout", &[logout], Utc::now())
        .await
        .unwrap();
    assert!(!open(sessions[0]).await && !open(sessions[1]).await);
    assert!(open(sessions[2]).await, "the user's other session stays");
    assert_eq!(recorded().await, ["session.revoked"]);

    // Ending an ended session again changes nothing, and records what it is given.
    store
        .revoke(&sessions[..1], "user_gone", &[], Utc::now())
        .await
        .unwrap();
    assert_eq!(recorded().await, ["session.revoked"]);

    // A password reset ends the others, and records what its user's events are.
    let later = Utc::now() + Duration::hours(1);
    store
        .create_reset(awa.id, b"reset".to_vec(), later, Utc::now())
        .await
        .unwrap();
    let events_for = |user: UserId| {
        vec![DomainEvent::new(
            "user.password_reset",
            user.as_uuid(),
            json!({}),
        )]
    };
    let reset = store
        .consume_reset(
            b"reset",
            PasswordHash("new".into()),
            &events_for,
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(reset, Some(awa.id));
    assert!(!open(sessions[2]).await);
    assert_eq!(recorded().await, ["session.revoked", "user.password_reset"]);

    let deleted = DomainEvent::new("user.deleted", awa.id.as_uuid(), json!({}));
    store
        .soft_delete(awa.id, &[deleted], Utc::now())
        .await
        .unwrap();
    assert_eq!(
        recorded().await,
        ["session.revoked", "user.password_reset", "user.deleted"]
    );
}

#[tokio::test]
async fn memory_identity_ending_sessions_records_their_events() {
    let store = krika_memory::MemoryIdentityStore::default();
    ending_sessions_records_their_events(&store, || {
        let kinds = store.events().iter().map(|e| e.kind.to_owned()).collect();
        async move { kinds }
    })
    .await;
}

#[tokio::test]
async fn pg_identity_ending_sessions_records_their_events() {
    let database = TestDatabase::create().await;
    let db = Db::connect(&DbConfig::new(&database.url)).unwrap();
    let outbox = krika_postgres::PgOutbox::new(db.clone());
    ending_sessions_records_their_events(&PgIdentityStore::new(db), || async {
        use krika_kernel::ports::OutboxStore;
        // Claimed far in the future with no lease: every event, every time, oldest first.
        outbox
            .claim(Utc::now() + Duration::days(1), Duration::zero(), 100)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.event.kind)
            .collect()
    })
    .await;
}
