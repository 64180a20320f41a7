//! The outbox: events written inside the caller's transaction ([`record`]), and read by the
//! dispatcher through [`PgOutbox`] (leased claims, per-subscriber acknowledgements).

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_kernel::ports::{Backlog, Claimed, OutboxStore, StoredEvent};
use krika_kernel::{DomainEvent, Unexpected};
use uuid::Uuid;

use crate::error::unexpected;
use crate::schema::{outbox_events, outbox_handled};
use crate::{Db, Keep};

/// The channel a commit that wrote events notifies (a trigger on `outbox_events`), so
/// dispatchers wake at once instead of waiting for their next poll.
pub const OUTBOX_CHANNEL: &str = "krika_outbox";

#[derive(Insertable)]
#[diesel(table_name = outbox_events)]
struct NewEvent<'a> {
    id: Uuid,
    event_type: &'a str,
    subject_id: Uuid,
    payload: &'a serde_json::Value,
    created_at: DateTime<Utc>,
    next_attempt_at: DateTime<Utc>,
}

/// Writes `events` in the caller's transaction; they are delivered after it commits.
pub async fn record(
    conn: &mut AsyncPgConnection,
    events: &[DomainEvent],
    now: DateTime<Utc>,
) -> QueryResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let rows: Vec<NewEvent> = events
        .iter()
        .map(|e| NewEvent {
            id: Uuid::now_v7(),
            event_type: e.kind,
            subject_id: e.subject,
            payload: &e.data,
            created_at: now,
            next_attempt_at: now,
        })
        .collect();
    // A change writes one event or a few: few shapes to keep. The table's trigger
    // notifies OUTBOX_CHANNEL, delivered at commit.
    diesel::insert_into(outbox_events::table)
        .values(rows)
        .kept()
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Clone)]
pub struct PgOutbox {
    db: Db,
}

impl PgOutbox {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = outbox_events)]
struct ClaimedRow {
    id: Uuid,
    event_type: String,
    subject_id: Uuid,
    payload: serde_json::Value,
    created_at: DateTime<Utc>,
    attempts: i32,
}

#[derive(QueryableByName)]
struct BacklogRow {
    #[diesel(sql_type = BigInt)]
    pending: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    oldest: Option<DateTime<Utc>>,
}

#[async_trait]
impl OutboxStore for PgOutbox {
    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: i64,
    ) -> Result<Vec<Claimed>, Unexpected> {
        let mut conn = self.db.conn().await?;
        // One statement, so no transaction of its own, and written with the query builder
        // so that it stays prepared (every commit that wrote events wakes every instance).
        // SKIP LOCKED: concurrent dispatchers take disjoint batches; the lease keeps a
        // claimed event from the others until it is closed or its claimer died.
        // The subquery reads the table under another name (diesel refuses a subselect
        // on the table being updated).
        let pending = diesel::alias!(outbox_events as pending);
        let due = pending
            .filter(pending.field(outbox_events::published_at).is_null())
            .filter(pending.field(outbox_events::next_attempt_at).le(now))
            .filter(
                pending
                    .field(outbox_events::locked_until)
                    .is_null()
                    .or(pending.field(outbox_events::locked_until).le(now)),
            )
            .order((
                pending.field(outbox_events::next_attempt_at),
                pending.field(outbox_events::created_at),
                pending.field(outbox_events::id),
            ))
            .limit(limit)
            .select(pending.field(outbox_events::id))
            .for_update()
            .skip_locked();
        let rows: Vec<ClaimedRow> = diesel::update(outbox_events::table)
            .filter(outbox_events::id.eq_any(due))
            .set(outbox_events::locked_until.eq(now + lease))
            .returning(ClaimedRow::as_returning())
            .kept()
            .get_results(&mut conn)
            .await
            .map_err(unexpected)?;
        // Only an event that failed before can have subscribers already done with it.
        let retried: Vec<Uuid> = rows
            .iter()
            .filter(|r| r.attempts > 0)
            .map(|r| r.id)
            .collect();
        let done: Vec<(Uuid, String)> = if retried.is_empty() {
            Vec::new()
        } else {
            outbox_handled::table
                .filter(outbox_handled::event_id.eq_any(&retried))
                .select((outbox_handled::event_id, outbox_handled::subscriber))
                .load(&mut conn)
                .await
                .map_err(unexpected)?
        };
        let mut claimed: Vec<Claimed> = rows
            .into_iter()
            .map(|r| Claimed {
                done: done
                    .iter()
                    .filter(|(id, _)| *id == r.id)
                    .map(|(_, s)| s.clone())
                    .collect(),
                event: StoredEvent {
                    id: r.id,
                    kind: r.event_type,
                    subject: r.subject_id,
                    data: r.payload,
                    created_at: r.created_at,
                    attempts: r.attempts,
                },
            })
            .collect();
        // RETURNING does not keep the subquery's order.
        claimed.sort_by_key(|c| (c.event.created_at, c.event.id));
        Ok(claimed)
    }

    async fn handled(
        &self,
        event: Uuid,
        subscriber: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        diesel::insert_into(outbox_handled::table)
            .values((
                outbox_handled::event_id.eq(event),
                outbox_handled::subscriber.eq(subscriber),
                outbox_handled::handled_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .kept()
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn published(&self, event: Uuid, now: DateTime<Utc>) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        diesel::update(outbox_events::table.find(event))
            .set((
                outbox_events::published_at.eq(now),
                outbox_events::locked_until.eq(None::<DateTime<Utc>>),
                outbox_events::last_error.eq(None::<String>),
            ))
            .kept()
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn retry_at(
        &self,
        event: Uuid,
        at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        let error: String = error.chars().take(2000).collect();
        diesel::update(outbox_events::table.find(event))
            .set((
                outbox_events::attempts.eq(outbox_events::attempts + 1),
                outbox_events::next_attempt_at.eq(at),
                outbox_events::locked_until.eq(None::<DateTime<Utc>>),
                outbox_events::last_error.eq(error),
            ))
            .kept()
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn purge_published(&self, before: DateTime<Utc>) -> Result<u64, Unexpected> {
        let mut conn = self.db.conn().await?;
        let n = diesel::delete(
            outbox_events::table
                .filter(outbox_events::published_at.is_not_null())
                .filter(outbox_events::published_at.lt(before)),
        )
        .execute(&mut conn)
        .await
        .map_err(unexpected)?;
        Ok(n as u64)
    }

    async fn backlog(&self) -> Result<Backlog, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: BacklogRow = diesel::sql_query(
            "SELECT count(*) AS pending, min(created_at) AS oldest
             FROM outbox_events WHERE published_at IS NULL",
        )
        .kept()
        .get_result(&mut conn)
        .await
        .map_err(unexpected)?;
        Ok(Backlog {
            pending: row.pending,
            oldest: row.oldest,
        })
    }
}

/// Waits for commits that wrote events: a dedicated connection that `LISTEN`s on
/// [`OUTBOX_CHANNEL`]. Returns when the connection drops (the caller reconnects).
pub struct OutboxListener {
    conn: AsyncPgConnection,
}

impl OutboxListener {
    pub async fn connect(url: &str) -> Result<Self, Unexpected> {
        let mut conn = AsyncPgConnection::establish(url)
            .await
            .map_err(Unexpected::unavailable)?;
        diesel::sql_query(format!("LISTEN {OUTBOX_CHANNEL}"))
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(Self { conn })
    }

    /// The next wake-up; `Err` when the connection is gone.
    pub async fn next(&mut self) -> Result<(), Unexpected> {
        use futures_util::StreamExt;
        let mut stream = std::pin::pin!(self.conn.notifications_stream());
        match stream.next().await {
            Some(Ok(_)) => Ok(()),
            Some(Err(error)) => Err(unexpected(error)),
            None => Err(Unexpected::msg("outbox listener closed")),
        }
    }
}

impl PgOutbox {
    /// Writes events in a transaction of their own (tools and tests; use cases write them
    /// with the change that caused them).
    pub async fn append(
        &self,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        conn.transaction::<_, diesel::result::Error, _>(async |conn| {
            record(conn, events, now).await
        })
        .await
        .map_err(unexpected)
    }
}
