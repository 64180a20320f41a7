use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_identity::ports::{ProfileChanges, UserFilter, UserRepository, UserWriteError};
use krika_identity::{Email, NewUser, PasswordHash, Role, User, UserStatus, Username};
use krika_kernel::ids::{SessionId, UserId};
use krika_kernel::{DomainEvent, Unexpected};
use krika_kernel::{Page, PageRequest};

use super::PgIdentityStore;
use super::rows::{NewUserRow, ProfileChangeset, UserRow};
use crate::Keep;
use crate::error::{escape_like, unexpected, unique_violation};
use crate::schema::{sessions, users};

fn write_error(error: diesel::result::Error) -> UserWriteError {
    match unique_violation(&error) {
        Some("users_email_live_key") => UserWriteError::EmailTaken,
        Some("users_username_live_key") => UserWriteError::UsernameTaken,
        _ => UserWriteError::Unexpected(unexpected(error)),
    }
}

fn live() -> diesel::dsl::IsNull<users::deleted_at> {
    users::deleted_at.is_null()
}

type Credentials = (UserRow, String);

fn into_credentials(
    found: Option<Credentials>,
) -> Result<Option<(User, PasswordHash)>, Unexpected> {
    found
        .map(|(row, hash)| Ok((User::try_from(row)?, PasswordHash(hash))))
        .transpose()
}

async fn insert(conn: &mut AsyncPgConnection, new: &NewUser) -> Result<User, UserWriteError> {
    let row = NewUserRow {
        id: new.id.as_uuid(),
        email: new.email.as_str(),
        username: new.username.as_str(),
        name: new.name.as_str(),
        password_hash: &new.password_hash.0,
        role: new.role.as_str(),
        created_at: new.created_at,
        updated_at: new.created_at,
    };
    let inserted: UserRow = diesel::insert_into(users::table)
        .values(&row)
        .returning(UserRow::as_returning())
        .kept()
        .get_result(conn)
        .await
        .map_err(write_error)?;
    Ok(inserted.try_into()?)
}

/// What ending a session writes.
pub(super) fn revocation(
    reason: &str,
    now: DateTime<Utc>,
) -> (
    diesel::dsl::Eq<sessions::revoked_at, DateTime<Utc>>,
    diesel::dsl::Eq<sessions::revoked_reason, &str>,
) {
    (
        sessions::revoked_at.eq(now),
        sessions::revoked_reason.eq(reason),
    )
}

pub(super) async fn revoke_sessions(
    conn: &mut AsyncPgConnection,
    user_id: uuid::Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .set(revocation(reason, now))
        .kept()
        .execute(conn)
        .await
}

#[async_trait]
impl UserRepository for PgIdentityStore {
    async fn create(&self, new: NewUser) -> Result<User, UserWriteError> {
        let mut conn = self.db.conn().await?;
        insert(&mut conn, &new).await
    }

    async fn find(&self, id: UserId) -> Result<Option<User>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<UserRow> = users::table
            .find(id.as_uuid())
            .filter(live())
            .select(UserRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        row.map(User::try_from).transpose()
    }

    async fn find_credentials_by_email(
        &self,
        email: &Email,
    ) -> Result<Option<(User, PasswordHash)>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let found = users::table
            .filter(users::email.eq(email.as_str()))
            .filter(live())
            .select((UserRow::as_select(), users::password_hash))
            .first::<Credentials>(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        into_credentials(found)
    }

    async fn find_credentials_by_username(
        &self,
        username: &str,
    ) -> Result<Option<(User, PasswordHash)>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let found = users::table
            .filter(users::username.eq(username))
            .filter(live())
            .select((UserRow::as_select(), users::password_hash))
            .first::<Credentials>(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        into_credentials(found)
    }

    async fn find_credentials(
        &self,
        id: UserId,
    ) -> Result<Option<(User, PasswordHash)>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let found = users::table
            .find(id.as_uuid())
            .filter(live())
            .select((UserRow::as_select(), users::password_hash))
            .first::<Credentials>(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        into_credentials(found)
    }

    async fn find_with_session(
        &self,
        id: UserId,
        session: SessionId,
    ) -> Result<Option<(User, bool)>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let joined = sessions::table.on(sessions::id
            .eq(session.as_uuid())
            .and(sessions::user_id.eq(users::id))
            .and(sessions::revoked_at.is_null()));
        let found: Option<(UserRow, Option<uuid::Uuid>)> = users::table
            .left_join(joined)
            .filter(users::id.eq(id.as_uuid()))
            .filter(live())
            .select((UserRow::as_select(), sessions::id.nullable()))
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        found
            .map(|(row, open)| Ok((User::try_from(row)?, open.is_some())))
            .transpose()
    }

    async fn username_taken(&self, username: &Username) -> Result<bool, Unexpected> {
        let mut conn = self.db.conn().await?;
        diesel::select(diesel::dsl::exists(
            users::table
                .filter(users::username.eq(username.as_str()))
                .filter(live()),
        ))
        .get_result(&mut conn)
        .await
        .map_err(unexpected)
    }

    async fn update_profile(
        &self,
        id: UserId,
        changes: ProfileChanges,
        now: DateTime<Utc>,
    ) -> Result<User, UserWriteError> {
        let mut conn = self.db.conn().await?;
        let changeset = ProfileChangeset {
            name: changes.name,
            username: changes.username,
            bio: changes.bio,
            phone: changes.phone,
            updated_at: now,
        };
        let row: Option<UserRow> = diesel::update(users::table.find(id.as_uuid()).filter(live()))
            .set(&changeset)
            .returning(UserRow::as_returning())
            .kept()
            .get_result(&mut conn)
            .await
            .optional()
            .map_err(write_error)?;
        Ok(row.ok_or(UserWriteError::NotFound)?.try_into()?)
    }

    async fn set_avatar(
        &self,
        id: UserId,
        key: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, UserWriteError> {
        let mut conn = self.db.conn().await?;
        conn.transaction(async |conn| {
            let previous: Option<Option<String>> = users::table
                .find(id.as_uuid())
                .filter(live())
                .select(users::avatar_key)
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let Some(previous) = previous else {
                return Ok(Err(UserWriteError::NotFound));
            };
            diesel::update(users::table.find(id.as_uuid()))
                .set((users::avatar_key.eq(key), users::updated_at.eq(now)))
                .kept()
                .execute(conn)
                .await?;
            Ok(Ok(previous))
        })
        .await
        .map_err(|e: diesel::result::Error| UserWriteError::Unexpected(unexpected(e)))?
    }

    async fn set_status(
        &self,
        id: UserId,
        status: UserStatus,
        now: DateTime<Utc>,
    ) -> Result<User, UserWriteError> {
        let mut conn = self.db.conn().await?;
        let row: Option<UserRow> = diesel::update(users::table.find(id.as_uuid()).filter(live()))
            .set((
                users::status.eq(status.as_str()),
                users::suspended_reason.eq(None::<String>),
                users::updated_at.eq(now),
            ))
            .returning(UserRow::as_returning())
            .kept()
            .get_result(&mut conn)
            .await
            .optional()
            .map_err(write_error)?;
        Ok(row.ok_or(UserWriteError::NotFound)?.try_into()?)
    }

    async fn suspend(
        &self,
        id: UserId,
        reason: &str,
        events: &[krika_kernel::DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<User, UserWriteError> {
        let mut conn = self.db.conn().await?;
        let row = conn
            .transaction(async |conn| {
                let row: Option<UserRow> =
                    diesel::update(users::table.find(id.as_uuid()).filter(live()))
                        .set((
                            users::status.eq(UserStatus::Suspended.as_str()),
                            users::suspended_reason.eq(reason),
                            users::updated_at.eq(now),
                        ))
                        .returning(UserRow::as_returning())
                        .kept()
                        .get_result(conn)
                        .await
                        .optional()?;
                if row.is_some() {
                    revoke_sessions(conn, id.as_uuid(), "suspended", now).await?;
                    crate::outbox::record(conn, events, now).await?;
                }
                Ok::<_, diesel::result::Error>(row)
            })
            .await
            .map_err(write_error)?;
        Ok(row.ok_or(UserWriteError::NotFound)?.try_into()?)
    }

    async fn list_users(
        &self,
        filter: &UserFilter,
        page: PageRequest,
    ) -> Result<Page<User>, Unexpected> {
        let filtered = || {
            let mut query = users::table.filter(live()).into_boxed();
            if let Some(role) = filter.role {
                query = query.filter(users::role.eq(role.as_str()));
            }
            if let Some(status) = filter.status {
                query = query.filter(users::status.eq(status.as_str()));
            }
            if let Some(search) = &filter.search {
                // Served by the trigram index on the same expression.
                query = query.filter(
                    sql::<Bool>("krika_fold(email || ' ' || username || ' ' || name) LIKE '%' || krika_fold(")
                        .bind::<Text, _>(escape_like(search))
                        .sql(") || '%'"),
                );
            }
            query
        };
        let mut conn = self.db.conn().await?;
        let total: i64 = filtered()
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let rows: Vec<UserRow> = filtered()
            .select(UserRow::as_select())
            .order((users::created_at.desc(), users::id.desc()))
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(User::try_from)
                .collect::<Result<_, _>>()?,
            request: page,
            total: total as u64,
        })
    }

    async fn soft_delete(
        &self,
        id: UserId,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<(), UserWriteError> {
        let mut conn = self.db.conn().await?;
        let deleted = conn
            .transaction(async |conn| {
                let deleted = diesel::update(users::table.find(id.as_uuid()).filter(live()))
                    .set((users::deleted_at.eq(now), users::updated_at.eq(now)))
                    .kept()
                    .execute(conn)
                    .await?;
                revoke_sessions(conn, id.as_uuid(), "account_deleted", now).await?;
                if deleted > 0 {
                    crate::outbox::record(conn, events, now).await?;
                }
                Ok::<_, diesel::result::Error>(deleted)
            })
            .await
            .map_err(write_error)?;
        if deleted == 0 {
            Err(UserWriteError::NotFound)
        } else {
            Ok(())
        }
    }

    async fn upsert_admin(&self, new: NewUser, now: DateTime<Utc>) -> Result<User, UserWriteError> {
        let mut conn = self.db.conn().await?;
        let updated: Option<UserRow> = conn
            .transaction(async |conn| {
                let updated: Option<UserRow> = diesel::update(
                    users::table
                        .filter(users::email.eq(new.email.as_str()))
                        .filter(live()),
                )
                .set((
                    users::role.eq(Role::Admin.as_str()),
                    users::status.eq(UserStatus::Active.as_str()),
                    users::name.eq(new.name.as_str()),
                    users::password_hash.eq(&new.password_hash.0),
                    users::updated_at.eq(now),
                ))
                .returning(UserRow::as_returning())
                .kept()
                .get_result(conn)
                .await
                .optional()?;
                if let Some(row) = &updated {
                    revoke_sessions(conn, row.id, "password_reset", now).await?;
                }
                Ok::<_, diesel::result::Error>(updated)
            })
            .await
            .map_err(write_error)?;
        match updated {
            Some(row) => Ok(row.try_into()?),
            None => {
                insert(
                    &mut conn,
                    &NewUser {
                        role: Role::Admin,
                        ..new
                    },
                )
                .await
            }
        }
    }
}
