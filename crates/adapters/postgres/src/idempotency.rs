//! Idempotency keys in PostgreSQL: they protect money, so they live with it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamptz};
use diesel_async::RunQueryDsl;
use krika_kernel::Unexpected;
use krika_kernel::ports::{IdempotencyStart, IdempotencyStore, IdempotentAnswer};

use crate::Db;
use crate::Keep;
use crate::error::unexpected;
use crate::schema::idempotency_keys as keys;

/// Stores a claimed key's answer in the caller's transaction (the work's own writes).
pub(crate) async fn answer(
    conn: &mut diesel_async::AsyncPgConnection,
    answer: &IdempotentAnswer,
) -> QueryResult<()> {
    diesel::update(
        keys::table
            .filter(keys::scope.eq(&answer.scope))
            .filter(keys::key.eq(&answer.key)),
    )
    .set((
        keys::status_code.eq(i32::from(answer.status)),
        keys::response_body.eq(&answer.body),
    ))
    .kept()
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = Text)]
    attempt: String,
}

#[derive(Clone)]
pub struct PgIdempotencyStore {
    db: Db,
}

impl PgIdempotencyStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Forgets keys created before `before`; returns how many.
    pub async fn purge(&self, before: DateTime<Utc>) -> Result<usize, Unexpected> {
        let mut conn = self.db.conn().await?;
        diesel::delete(keys::table.filter(keys::created_at.lt(before)))
            .execute(&mut conn)
            .await
            .map_err(unexpected)
    }
}

#[async_trait]
impl IdempotencyStore for PgIdempotencyStore {
    async fn start(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
        expired_before: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<IdempotencyStart, Unexpected> {
        let mut conn = self.db.conn().await?;
        // One statement on the common path: a new key is inserted, and an expired key or
        // a stale claim of the same body is taken over in place. Only a live key (a repeat)
        // is read again. A stale takeover keeps the dead try's attempt: its charge, if it
        // made one, is the one the new try gets back from the provider.
        let attempt: Option<String> = diesel::sql_query(
            "INSERT INTO idempotency_keys AS k (scope, key, fingerprint, created_at, attempt) \
             VALUES ($1, $2, $3, $4, $7) \
             ON CONFLICT (scope, key) DO UPDATE \
             SET fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at, \
                 status_code = NULL, response_body = NULL, \
                 attempt = CASE WHEN k.created_at < $5 THEN EXCLUDED.attempt ELSE k.attempt END \
             WHERE k.created_at < $5 \
                OR (k.status_code IS NULL AND k.created_at < $6 AND k.fingerprint = $3) \
             RETURNING k.attempt",
        )
        .bind::<Text, _>(scope)
        .bind::<Text, _>(key)
        .bind::<Text, _>(fingerprint)
        .bind::<Timestamptz, _>(now)
        .bind::<Timestamptz, _>(expired_before)
        .bind::<Timestamptz, _>(stale_before)
        .bind::<Text, _>(uuid::Uuid::now_v7().to_string())
        .kept()
        .get_result::<Claimed>(&mut conn)
        .await
        .optional()
        .map_err(unexpected)?
        .map(|c| c.attempt);
        if let Some(attempt) = attempt {
            return Ok(IdempotencyStart::Proceed { attempt });
        }
        let found: Option<(String, Option<i32>, Option<Vec<u8>>)> = keys::table
            .filter(keys::scope.eq(scope))
            .filter(keys::key.eq(key))
            .select((keys::fingerprint, keys::status_code, keys::response_body))
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        Ok(match found {
            // Released between our insert and this read: the caller may retry.
            None => IdempotencyStart::InFlight,
            Some((stored, _, _)) if stored != fingerprint => IdempotencyStart::Mismatch,
            Some((_, Some(status), body)) => IdempotencyStart::Replay {
                status: status as u16,
                body: body.unwrap_or_default(),
            },
            Some((_, None, _)) => IdempotencyStart::InFlight,
        })
    }

    async fn finish(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        body: &[u8],
    ) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        diesel::update(
            keys::table
                .filter(keys::scope.eq(scope))
                .filter(keys::key.eq(key)),
        )
        .set((
            keys::status_code.eq(i32::from(status)),
            keys::response_body.eq(body),
        ))
        .kept()
        .execute(&mut conn)
        .await
        .map_err(unexpected)?;
        Ok(())
    }

    async fn abandon(&self, scope: &str, key: &str) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        diesel::delete(
            keys::table
                .filter(keys::scope.eq(scope))
                .filter(keys::key.eq(key))
                .filter(keys::status_code.is_null()),
        )
        .execute(&mut conn)
        .await
        .map_err(unexpected)?;
        Ok(())
    }
}
