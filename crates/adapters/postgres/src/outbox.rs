//! Writing domain events to the outbox, inside the caller's transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use krika_kernel::DomainEvent;
use uuid::Uuid;

use crate::schema::outbox_events;

#[derive(Insertable)]
#[diesel(table_name = outbox_events)]
struct NewEvent<'a> {
    id: Uuid,
    event_type: &'a str,
    subject_id: Uuid,
    payload: &'a serde_json::Value,
    created_at: DateTime<Utc>,
}

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
        })
        .collect();
    diesel::insert_into(outbox_events::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}
