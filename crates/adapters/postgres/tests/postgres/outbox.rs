//! What every OutboxStore must do (the PostgreSQL one and the memory one alike), and the
//! dispatcher over each: redelivery after a crash, a failing subscriber retried alone.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use krika_kernel::ports::{OutboxStore, StoredEvent, Subscriber};
use krika_kernel::{Clock, Dispatcher, DomainEvent, ManualClock, Unexpected};
use krika_memory::MemoryOutbox;
use krika_postgres::testing::TestDatabase;
use krika_postgres::{Db, DbConfig, PgOutbox};
use serde_json::json;
use uuid::Uuid;

/// A store under test, and how to write events into it.
#[async_trait]
trait Outbox: Send + Sync {
    fn store(self: Arc<Self>) -> Arc<dyn OutboxStore>;
    async fn append(&self, events: &[DomainEvent], now: DateTime<Utc>);
}

#[async_trait]
impl Outbox for PgOutbox {
    fn store(self: Arc<Self>) -> Arc<dyn OutboxStore> {
        self
    }
    async fn append(&self, events: &[DomainEvent], now: DateTime<Utc>) {
        PgOutbox::append(self, events, now).await.expect("append");
    }
}

#[async_trait]
impl Outbox for MemoryOutbox {
    fn store(self: Arc<Self>) -> Arc<dyn OutboxStore> {
        self
    }
    async fn append(&self, events: &[DomainEvent], now: DateTime<Utc>) {
        MemoryOutbox::append(self, events, now);
    }
}

async fn pg() -> (Arc<PgOutbox>, TestDatabase) {
    let database = TestDatabase::create().await;
    let db = Db::connect(&DbConfig::new(&database.url)).unwrap();
    (Arc::new(PgOutbox::new(db)), database)
}

fn event(kind: &'static str, n: i64) -> DomainEvent {
    DomainEvent::new(kind, Uuid::now_v7(), json!({ "n": n }))
}

/// Microsecond precision, as PostgreSQL keeps it.
fn start() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap()
}

async fn claims_are_leased_ordered_and_bounded<O: Outbox + 'static>(outbox: Arc<O>) {
    let t0 = start();
    outbox.append(&[event("a.one", 1)], t0).await;
    outbox
        .append(
            &[event("a.two", 2), event("a.three", 3)],
            t0 + Duration::seconds(1),
        )
        .await;
    let store = outbox.store();
    let now = t0 + Duration::seconds(2);
    let lease = Duration::seconds(60);

    let first = store.claim(now, lease, 2).await.unwrap();
    let kinds: Vec<&str> = first.iter().map(|c| c.event.kind.as_str()).collect();
    assert_eq!(kinds.len(), 2, "limit respected");
    assert_eq!(kinds[0], "a.one", "oldest first");
    assert_eq!(first[0].event.data, json!({ "n": 1 }));
    assert_eq!(first[0].event.attempts, 0);
    assert!(first[0].done.is_empty());

    let second = store.claim(now, lease, 10).await.unwrap();
    assert_eq!(second.len(), 1, "leased events are not claimed twice");
    assert!(store.claim(now, lease, 10).await.unwrap().is_empty());

    // The claimer died: once the lease runs out, the events come back (nothing is lost).
    let later = now + lease + Duration::seconds(1);
    let again = store.claim(later, lease, 10).await.unwrap();
    assert_eq!(again.len(), 3);

    let backlog = store.backlog().await.unwrap();
    assert_eq!(backlog.pending, 3);
    assert_eq!(backlog.oldest, Some(t0));
}

async fn acknowledgements_and_retries<O: Outbox + 'static>(outbox: Arc<O>) {
    let t0 = start();
    outbox
        .append(&[event("b.one", 1), event("b.two", 2)], t0)
        .await;
    let store = outbox.store();
    let lease = Duration::seconds(30);
    let claimed = store.claim(t0, lease, 10).await.unwrap();
    let (one, two) = (&claimed[0].event, &claimed[1].event);

    store.handled(one.id, "mail", t0).await.unwrap();
    store.handled(one.id, "mail", t0).await.unwrap(); // twice is harmless
    store.published(two.id, t0).await.unwrap();
    let retry = t0 + Duration::seconds(10);
    store.retry_at(one.id, retry, "smtp down").await.unwrap();

    // Released at once, but not due before its retry time.
    assert!(store.claim(t0, lease, 10).await.unwrap().is_empty());
    let back = store.claim(retry, lease, 10).await.unwrap();
    assert_eq!(back.len(), 1, "the published event never comes back");
    assert_eq!(back[0].event.id, one.id);
    assert_eq!(back[0].event.attempts, 1);
    assert_eq!(back[0].done, vec!["mail".to_owned()]);

    store.published(one.id, retry).await.unwrap();
    assert_eq!(store.backlog().await.unwrap().pending, 0);
    // Published events are forgotten once old enough, the pending never.
    assert_eq!(
        store.purge_published(t0).await.unwrap(),
        0,
        "published at t0: not before it"
    );
    assert_eq!(
        store
            .purge_published(retry + Duration::seconds(1))
            .await
            .unwrap(),
        2
    );
    assert!(
        store
            .claim(retry + Duration::hours(1), lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Counts its calls; fails while `failing` is set.
struct Probe {
    name: &'static str,
    calls: AtomicUsize,
    failing: Mutex<bool>,
}

impl Probe {
    fn new(name: &'static str, failing: bool) -> Arc<Self> {
        Arc::new(Self {
            name,
            calls: AtomicUsize::new(0),
            failing: Mutex::new(failing),
        })
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Subscriber for Probe {
    fn name(&self) -> &'static str {
        self.name
    }
    fn wants(&self, kind: &str) -> bool {
        kind.starts_with("c.")
    }
    async fn handle(&self, _: &StoredEvent) -> Result<(), Unexpected> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if *self.failing.lock().unwrap() {
            return Err(Unexpected::msg("down"));
        }
        Ok(())
    }
}

async fn a_failing_subscriber_is_retried_alone<O: Outbox + 'static>(outbox: Arc<O>) {
    let clock = Arc::new(ManualClock::new(start()));
    outbox
        .append(&[event("c.placed", 1), event("other", 2)], clock.now())
        .await;
    let (good, bad) = (Probe::new("good", false), Probe::new("bad", true));
    let dispatcher = Dispatcher::new(
        outbox.clone().store(),
        vec![good.clone(), bad.clone()],
        clock.clone(),
    );

    let report = dispatcher.pass().await.unwrap();
    assert_eq!(report.claimed, 2);
    assert_eq!(report.published, 1, "the event nobody failed is done");
    assert_eq!(report.failures.len(), 1);
    assert_eq!((good.calls(), bad.calls()), (1, 1));

    // Not before its backoff.
    assert_eq!(dispatcher.pass().await.unwrap().claimed, 0);
    clock.advance(Duration::seconds(1));
    let report = dispatcher.pass().await.unwrap();
    assert_eq!(report.claimed, 1);
    assert_eq!((good.calls(), bad.calls()), (1, 2), "good is not run again");

    *bad.failing.lock().unwrap() = false;
    clock.advance(Duration::seconds(2));
    let report = dispatcher.pass().await.unwrap();
    assert_eq!(report.published, 1);
    assert_eq!((good.calls(), bad.calls()), (1, 3));
    assert_eq!(dispatcher.store().backlog().await.unwrap().pending, 0);
}

async fn a_crash_between_claim_and_acknowledgement_redelivers<O: Outbox + 'static>(outbox: Arc<O>) {
    let clock = Arc::new(ManualClock::new(start()));
    outbox.append(&[event("c.placed", 1)], clock.now()).await;
    let probe = Probe::new("probe", false);
    let dispatcher = Dispatcher::new(outbox.clone().store(), vec![probe.clone()], clock.clone());

    // A dispatcher claims the batch, then dies before handing it out.
    let lost = dispatcher
        .store()
        .claim(clock.now(), dispatcher.lease, 10)
        .await
        .unwrap();
    assert_eq!(lost.len(), 1);
    assert_eq!(dispatcher.pass().await.unwrap().claimed, 0, "still leased");

    clock.advance(dispatcher.lease + Duration::seconds(1));
    let report = dispatcher.pass().await.unwrap();
    assert_eq!((report.claimed, report.published), (1, 1));
    assert_eq!(probe.calls(), 1);
}

macro_rules! contract {
    ($($name:ident),*) => {
        mod memory_outbox {
            use super::*;
            $(#[tokio::test]
            async fn $name() {
                super::$name(Arc::new(MemoryOutbox::new())).await;
            })*
        }
        mod pg_outbox {
            use super::*;
            $(#[tokio::test]
            async fn $name() {
                let (outbox, _database) = pg().await;
                super::$name(outbox).await;
            })*
        }
    };
}

contract!(
    claims_are_leased_ordered_and_bounded,
    acknowledgements_and_retries,
    a_failing_subscriber_is_retried_alone,
    a_crash_between_claim_and_acknowledgement_redelivers
);

#[tokio::test]
async fn writing_and_claiming_events_stay_prepared() {
    // Every commit that writes events wakes every dispatcher: parsing and planning the
    // claim each time would cost more than running it.
    let database = TestDatabase::create().await;
    let mut config = DbConfig::new(&database.url);
    config.max_connections = 1;
    let db = Db::connect(&config).unwrap();
    let outbox = PgOutbox::new(db.clone());
    let now = start();
    for n in 0..2 {
        outbox.append(&[event("c.one", n)], now).await.unwrap();
        let claimed = outbox.claim(now, Duration::seconds(60), 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
    }
    let mut conn = db.conn().await.unwrap();
    assert_eq!(
        crate::prepared(&mut conn, &["SKIP LOCKED", "\"locked_until\" = $"]).await,
        1
    );
    assert_eq!(
        crate::prepared(&mut conn, &["INSERT INTO \"outbox_events\""]).await,
        1
    );
}

#[tokio::test]
async fn a_commit_that_writes_events_wakes_the_listeners() {
    let database = TestDatabase::create().await;
    let db = Db::connect(&DbConfig::new(&database.url)).unwrap();
    let outbox = PgOutbox::new(db);
    let mut listener = krika_postgres::OutboxListener::connect(&database.url)
        .await
        .unwrap();
    outbox.append(&[event("c.one", 1)], start()).await.unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), listener.next())
        .await
        .expect("woken by the commit")
        .unwrap();
}
