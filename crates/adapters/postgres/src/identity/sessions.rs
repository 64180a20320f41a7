use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use krika_identity::ports::{NewRefreshToken, Rotation, SessionStore};
use krika_kernel::ids::{SessionId, UserId};
use krika_kernel::{DomainEvent, Unexpected};
use uuid::Uuid;

use super::PgIdentityStore;
use super::users::{revocation, revoke_sessions};
use crate::Keep;
use crate::error::unexpected;
use crate::outbox::record;
use crate::schema::{refresh_tokens, sessions};

#[derive(Insertable)]
#[diesel(table_name = refresh_tokens)]
struct RefreshTokenRow<'a> {
    id: Uuid,
    session_id: Uuid,
    token_digest: &'a [u8],
    expires_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

fn new_token(session_id: Uuid, token: &NewRefreshToken, now: DateTime<Utc>) -> RefreshTokenRow<'_> {
    RefreshTokenRow {
        id: Uuid::now_v7(),
        session_id,
        token_digest: &token.digest,
        expires_at: token.expires_at,
        created_at: now,
    }
}

#[async_trait]
impl SessionStore for PgIdentityStore {
    async fn start(
        &self,
        user_id: UserId,
        session_id: SessionId,
        token: NewRefreshToken,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        conn.transaction(async |conn| {
            diesel::insert_into(sessions::table)
                .values((
                    sessions::id.eq(session_id.as_uuid()),
                    sessions::user_id.eq(user_id.as_uuid()),
                    sessions::created_at.eq(now),
                ))
                .kept()
                .execute(conn)
                .await?;
            diesel::insert_into(refresh_tokens::table)
                .values(new_token(session_id.as_uuid(), &token, now))
                .kept()
                .execute(conn)
                .await?;
            Ok::<_, diesel::result::Error>(())
        })
        .await
        .map_err(unexpected)
    }

    async fn rotate(
        &self,
        presented: &[u8],
        next: NewRefreshToken,
        now: DateTime<Utc>,
    ) -> Result<Rotation, Unexpected> {
        let mut conn = self.db.conn().await?;
        conn.transaction(async |conn| {
            // The row lock makes concurrent rotations of one token queue up: the second one
            // sees the token spent and is treated as a replay.
            let found: Option<(
                Uuid,
                Uuid,
                DateTime<Utc>,
                Option<DateTime<Utc>>,
                Uuid,
                Option<DateTime<Utc>>,
            )> = refresh_tokens::table
                .inner_join(sessions::table)
                .filter(refresh_tokens::token_digest.eq(presented))
                .select((
                    refresh_tokens::id,
                    sessions::id,
                    refresh_tokens::expires_at,
                    refresh_tokens::used_at,
                    sessions::user_id,
                    sessions::revoked_at,
                ))
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let Some((token_id, session_id, expires_at, used_at, user_id, revoked_at)) = found
            else {
                return Ok(Rotation::Unknown);
            };
            if revoked_at.is_some() {
                return Ok(Rotation::Revoked);
            }
            if used_at.is_some() {
                diesel::update(sessions::table.find(session_id))
                    .set(revocation("refresh_token_reuse", now))
                    .kept()
                    .execute(conn)
                    .await?;
                return Ok(Rotation::Reused {
                    session_id: session_id.into(),
                });
            }
            if expires_at <= now {
                return Ok(Rotation::Expired);
            }
            diesel::update(refresh_tokens::table.find(token_id))
                .set(refresh_tokens::used_at.eq(now))
                .kept()
                .execute(conn)
                .await?;
            diesel::insert_into(refresh_tokens::table)
                .values(new_token(session_id, &next, now))
                .kept()
                .execute(conn)
                .await?;
            Ok::<_, diesel::result::Error>(Rotation::Rotated {
                user_id: user_id.into(),
                session_id: session_id.into(),
            })
        })
        .await
        .map_err(unexpected)
    }

    async fn session_of(
        &self,
        user_id: UserId,
        token: &[u8],
    ) -> Result<Option<SessionId>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let found: Option<Uuid> = refresh_tokens::table
            .inner_join(sessions::table)
            .filter(refresh_tokens::token_digest.eq(token))
            .filter(sessions::user_id.eq(user_id.as_uuid()))
            .select(sessions::id)
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        Ok(found.map(SessionId::from))
    }

    async fn revoke(
        &self,
        sessions: &[SessionId],
        reason: &str,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let ids: Vec<Uuid> = sessions.iter().map(|s| s.as_uuid()).collect();
        let mut conn = self.db.conn().await?;
        conn.transaction::<_, diesel::result::Error, _>(async |conn| {
            diesel::update(sessions::table)
                .filter(sessions::id.eq_any(&ids))
                .filter(sessions::revoked_at.is_null())
                .set(revocation(reason, now))
                .kept()
                .execute(conn)
                .await?;
            record(conn, events, now).await
        })
        .await
        .map_err(unexpected)
    }

    async fn revoke_all(
        &self,
        user_id: UserId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        revoke_sessions(&mut conn, user_id.as_uuid(), reason, now)
            .await
            .map_err(unexpected)?;
        Ok(())
    }
}
