//! Idempotency keys in PostgreSQL: they protect money, so they live with it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krika_kernel::Unexpected;
use krika_kernel::ports::{IdempotencyStart, IdempotencyStore};

use crate::Db;
use crate::error::unexpected;
use crate::schema::idempotency_keys as keys;

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
        let this = keys::table
            .filter(keys::scope.eq(scope))
            .filter(keys::key.eq(key));
        diesel::delete(
            this.filter(
                keys::created_at.lt(expired_before).or(keys::status_code
                    .is_null()
                    .and(keys::created_at.lt(stale_before))),
            ),
        )
        .execute(&mut conn)
        .await
        .map_err(unexpected)?;
        let inserted = diesel::insert_into(keys::table)
            .values((
                keys::scope.eq(scope),
                keys::key.eq(key),
                keys::fingerprint.eq(fingerprint),
                keys::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        if inserted == 1 {
            return Ok(IdempotencyStart::Proceed);
        }
        let found: Option<(String, Option<i32>, Option<Vec<u8>>)> = this
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
