use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use krika_identity::PasswordHash;
use krika_identity::ports::ResetTokenStore;
use krika_kernel::ids::UserId;
use krika_kernel::{DomainEvent, Unexpected};
use uuid::Uuid;

use super::PgIdentityStore;
use super::users::revoke_sessions;
use crate::Keep;
use crate::error::unexpected;
use crate::schema::{password_resets, users};

#[async_trait]
impl ResetTokenStore for PgIdentityStore {
    async fn create_reset(
        &self,
        user_id: UserId,
        digest: Vec<u8>,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        diesel::insert_into(password_resets::table)
            .values((
                password_resets::id.eq(Uuid::now_v7()),
                password_resets::user_id.eq(user_id.as_uuid()),
                password_resets::token_digest.eq(digest),
                password_resets::expires_at.eq(expires_at),
                password_resets::created_at.eq(now),
            ))
            .kept()
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn consume_reset(
        &self,
        digest: &[u8],
        new_hash: PasswordHash,
        events_for: &(dyn Fn(UserId) -> Vec<DomainEvent> + Send + Sync),
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, Unexpected> {
        let mut conn = self.db.conn().await?;
        conn.transaction(async |conn| {
            // Spending the token is the first write, so two concurrent resets cannot both win.
            let user_id: Option<Uuid> = diesel::update(password_resets::table)
                .filter(password_resets::token_digest.eq(digest))
                .filter(password_resets::used_at.is_null())
                .filter(password_resets::expires_at.gt(now))
                .set(password_resets::used_at.eq(now))
                .returning(password_resets::user_id)
                .kept()
                .get_result(conn)
                .await
                .optional()?;
            let Some(user_id) = user_id else {
                return Ok(None);
            };
            let updated = diesel::update(users::table.find(user_id))
                .filter(users::deleted_at.is_null())
                .set((
                    users::password_hash.eq(&new_hash.0),
                    users::updated_at.eq(now),
                ))
                .kept()
                .execute(conn)
                .await?;
            if updated == 0 {
                return Ok(None);
            }
            revoke_sessions(conn, user_id, "password_reset", now).await?;
            let user_id = UserId::from(user_id);
            crate::outbox::record(conn, &events_for(user_id), now).await?;
            Ok::<_, diesel::result::Error>(Some(user_id))
        })
        .await
        .map_err(unexpected)
    }
}
