//! KYC files. The status lives on `users.kyc_status`; every write checks it and changes it
//! in one transaction, holding the user's row lock.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_identity::ports::{KycMoveError, KycRepository, KycReviewItem};
use krika_identity::{
    DocumentType, KycDecision, KycDocuments, KycFile, KycIdentity, KycStatus, Role, User,
};
use krika_kernel::ids::UserId;
use krika_kernel::{DomainEvent, Page, PageRequest, RepoError, Unexpected};
use uuid::Uuid;

use super::PgIdentityStore;
use super::rows::UserRow;
use crate::Keep;
use crate::error::unexpected;
use crate::schema::{kyc_submissions, users};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = kyc_submissions, check_for_backend(diesel::pg::Pg))]
struct KycRow {
    first_name: String,
    last_name: String,
    date_of_birth: NaiveDate,
    country: String,
    phone: String,
    document_type: Option<String>,
    document_front_key: Option<String>,
    document_back_key: Option<String>,
    selfie_key: Option<String>,
    rejection_reason: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
    reviewed_at: Option<DateTime<Utc>>,
}

fn into_file(user_id: Uuid, status: &str, row: Option<KycRow>) -> Result<KycFile, Unexpected> {
    let status = KycStatus::parse(status)
        .ok_or_else(|| Unexpected::msg(format!("unknown kyc status {status:?}")))?;
    let mut file = KycFile::not_started(user_id.into());
    file.status = status;
    let Some(row) = row else {
        return Ok(file);
    };
    file.identity = Some(KycIdentity {
        first_name: row.first_name,
        last_name: row.last_name,
        date_of_birth: row.date_of_birth,
        country: row.country,
        phone: row.phone,
    });
    file.documents = match (row.document_type, row.document_front_key, row.selfie_key) {
        (Some(kind), Some(front_key), Some(selfie_key)) => Some(KycDocuments {
            document_type: DocumentType::parse(&kind)
                .ok_or_else(|| Unexpected::msg(format!("unknown document type {kind:?}")))?,
            front_key,
            back_key: row.document_back_key,
            selfie_key,
        }),
        _ => None,
    };
    file.rejection_reason = row.rejection_reason;
    file.submitted_at = row.submitted_at;
    file.reviewed_at = row.reviewed_at;
    Ok(file)
}

async fn load_file(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Option<KycFile>> {
    let found: Option<(String, Option<KycRow>)> = users::table
        .left_join(kyc_submissions::table)
        .filter(users::id.eq(user_id))
        .filter(users::deleted_at.is_null())
        .select((users::kyc_status, Option::<KycRow>::as_select()))
        .first(conn)
        .await
        .optional()?;
    found
        .map(|(status, row)| into_file(user_id, &status, row))
        .transpose()
        .map_err(|e| diesel::result::Error::QueryBuilderError(Box::new(e)))
}

/// Locks the user's row and moves its KYC status from one of `from` to `to`; `Err` with
/// the current status when it is not in `from`.
async fn move_status(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    from: &[KycStatus],
    to: KycStatus,
    now: DateTime<Utc>,
) -> QueryResult<Result<(), KycStatus>> {
    let current: Option<String> = users::table
        .find(user_id)
        .filter(users::deleted_at.is_null())
        .select(users::kyc_status)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let current = current
        .as_deref()
        .and_then(KycStatus::parse)
        .unwrap_or(KycStatus::NotStarted);
    if !from.contains(&current) {
        return Ok(Err(current));
    }
    diesel::update(users::table.find(user_id))
        .set((users::kyc_status.eq(to.as_str()), users::updated_at.eq(now)))
        .kept()
        .execute(conn)
        .await?;
    Ok(Ok(()))
}

/// The row change that goes with a status move.
enum Change<'a> {
    Identity(&'a KycIdentity),
    Documents(&'a KycDocuments),
    Review {
        reason: Option<&'a str>,
        reviewer: UserId,
        events: &'a [DomainEvent],
    },
}

async fn apply(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    change: &Change<'_>,
    to: KycStatus,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    match change {
        Change::Identity(identity) => save_identity(conn, id, identity, now).await,
        Change::Documents(documents) => diesel::update(kyc_submissions::table.find(id))
            .set((
                kyc_submissions::document_type.eq(documents.document_type.as_str()),
                kyc_submissions::document_front_key.eq(&documents.front_key),
                kyc_submissions::document_back_key.eq(&documents.back_key),
                kyc_submissions::selfie_key.eq(&documents.selfie_key),
                kyc_submissions::submitted_at.eq(now),
                kyc_submissions::updated_at.eq(now),
            ))
            .kept()
            .execute(conn)
            .await
            .map(drop),
        Change::Review {
            reason, reviewer, ..
        } => {
            diesel::update(kyc_submissions::table.find(id))
                .set((
                    kyc_submissions::rejection_reason.eq(*reason),
                    kyc_submissions::reviewed_at.eq(now),
                    kyc_submissions::reviewed_by.eq(reviewer.as_uuid()),
                    kyc_submissions::updated_at.eq(now),
                ))
                .kept()
                .execute(conn)
                .await?;
            if to == KycStatus::Approved {
                // An admin who sells keeps the admin role.
                diesel::update(users::table.find(id))
                    .filter(users::role.eq(Role::Client.as_str()))
                    .set(users::role.eq(Role::Seller.as_str()))
                    .kept()
                    .execute(conn)
                    .await?;
            }
            Ok(())
        }
    }
}

async fn save_identity(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    identity: &KycIdentity,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let row = (
        kyc_submissions::user_id.eq(id),
        kyc_submissions::first_name.eq(&identity.first_name),
        kyc_submissions::last_name.eq(&identity.last_name),
        kyc_submissions::date_of_birth.eq(identity.date_of_birth),
        kyc_submissions::country.eq(&identity.country),
        kyc_submissions::phone.eq(&identity.phone),
        kyc_submissions::step1_at.eq(now),
        kyc_submissions::updated_at.eq(now),
    );
    // Redoing step 1 starts the file over: documents and any past verdict go.
    diesel::insert_into(kyc_submissions::table)
        .values(row)
        .on_conflict(kyc_submissions::user_id)
        .do_update()
        .set((
            kyc_submissions::first_name.eq(excluded(kyc_submissions::first_name)),
            kyc_submissions::last_name.eq(excluded(kyc_submissions::last_name)),
            kyc_submissions::date_of_birth.eq(excluded(kyc_submissions::date_of_birth)),
            kyc_submissions::country.eq(excluded(kyc_submissions::country)),
            kyc_submissions::phone.eq(excluded(kyc_submissions::phone)),
            kyc_submissions::step1_at.eq(now),
            kyc_submissions::updated_at.eq(now),
            kyc_submissions::document_type.eq(None::<String>),
            kyc_submissions::document_front_key.eq(None::<String>),
            kyc_submissions::document_back_key.eq(None::<String>),
            kyc_submissions::selfie_key.eq(None::<String>),
            kyc_submissions::rejection_reason.eq(None::<String>),
            kyc_submissions::submitted_at.eq(None::<DateTime<Utc>>),
            kyc_submissions::reviewed_at.eq(None::<DateTime<Utc>>),
            kyc_submissions::reviewed_by.eq(None::<Uuid>),
        ))
        .kept()
        .execute(conn)
        .await
        .map(drop)
}

/// Runs a status move and its row change in one transaction, then reads the file back.
async fn transition(
    store: &PgIdentityStore,
    user_id: UserId,
    from: &[KycStatus],
    to: KycStatus,
    now: DateTime<Utc>,
    change: Change<'_>,
) -> Result<KycFile, KycMoveError> {
    let id = user_id.as_uuid();
    let mut conn = store.db.conn().await?;
    conn.transaction(async |conn| {
        if let Err(current) = move_status(conn, id, from, to, now).await? {
            return Ok(Err(current));
        }
        apply(conn, id, &change, to, now).await?;
        if let Change::Review { events, .. } = &change {
            crate::outbox::record(conn, events, now).await?;
        }
        let file = load_file(conn, id).await?;
        Ok::<_, diesel::result::Error>(file.ok_or(KycStatus::NotStarted))
    })
    .await
    .map_err(unexpected)?
    .map_err(RepoError::Refused)
}

#[async_trait]
impl KycRepository for PgIdentityStore {
    async fn kyc_file(&self, user_id: UserId) -> Result<KycFile, Unexpected> {
        let mut conn = self.db.conn().await?;
        let file = load_file(&mut conn, user_id.as_uuid())
            .await
            .map_err(unexpected)?;
        Ok(file.unwrap_or_else(|| KycFile::not_started(user_id)))
    }

    async fn save_kyc_identity(
        &self,
        user_id: UserId,
        identity: &KycIdentity,
        from: &[KycStatus],
        now: DateTime<Utc>,
    ) -> Result<KycFile, KycMoveError> {
        let change = Change::Identity(identity);
        transition(self, user_id, from, KycStatus::Step1Completed, now, change).await
    }

    async fn submit_kyc_documents(
        &self,
        user_id: UserId,
        documents: &KycDocuments,
        from: &[KycStatus],
        now: DateTime<Utc>,
    ) -> Result<KycFile, KycMoveError> {
        let change = Change::Documents(documents);
        transition(self, user_id, from, KycStatus::PendingReview, now, change).await
    }

    async fn review_kyc(
        &self,
        user_id: UserId,
        decision: &KycDecision,
        reviewer: UserId,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<KycFile, KycMoveError> {
        let (to, reason) = match decision {
            KycDecision::Approve => (KycStatus::Approved, None),
            KycDecision::Reject { reason } => (KycStatus::Rejected, Some(reason.as_str())),
        };
        let change = Change::Review {
            reason,
            reviewer,
            events,
        };
        transition(self, user_id, &[KycStatus::PendingReview], to, now, change).await
    }

    async fn kyc_queue(
        &self,
        status: KycStatus,
        page: PageRequest,
    ) -> Result<Page<KycReviewItem>, Unexpected> {
        let filtered = || {
            users::table
                .left_join(kyc_submissions::table)
                .filter(users::deleted_at.is_null())
                .filter(users::kyc_status.eq(status.as_str()))
        };
        let mut conn = self.db.conn().await?;
        let total: i64 = filtered()
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let rows: Vec<(UserRow, Option<KycRow>)> = filtered()
            .select((UserRow::as_select(), Option::<KycRow>::as_select()))
            .order((
                kyc_submissions::submitted_at.asc().nulls_last(),
                kyc_submissions::step1_at.asc().nulls_last(),
                users::id.asc(),
            ))
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        let items = rows
            .into_iter()
            .map(|(user, row)| {
                let file = into_file(user.id, &user.kyc_status, row)?;
                Ok(KycReviewItem {
                    file,
                    user: User::try_from(user)?,
                })
            })
            .collect::<Result<_, Unexpected>>()?;
        Ok(Page {
            items,
            request: page,
            total: total as u64,
        })
    }
}
