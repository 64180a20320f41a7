//! Offers.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krika_kernel::ids::OfferId;
use krika_kernel::{Page, PageRequest, RepoError, Unexpected};
use krika_payments::Offer;
use krika_payments::model::offer::OfferDraft;
use krika_payments::ports::{CodeTaken, OfferRepository, OfferWriteError};
use uuid::Uuid;

use super::PgPaymentStore;
use crate::Keep;
use crate::error::{unexpected, unique_violation};
use crate::schema::offers;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = offers, check_for_backend(diesel::pg::Pg))]
struct OfferRow {
    id: Uuid,
    title: String,
    description: String,
    code: Option<String>,
    discount_percent: i32,
    start_date: NaiveDate,
    end_date: NaiveDate,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<OfferRow> for Offer {
    fn from(row: OfferRow) -> Self {
        Offer {
            id: row.id.into(),
            title: row.title,
            description: row.description,
            code: row.code,
            discount_percent: row.discount_percent,
            start_date: row.start_date,
            end_date: row.end_date,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(AsChangeset)]
#[diesel(table_name = offers, treat_none_as_null = true)]
struct OfferChanges<'a> {
    title: &'a str,
    description: &'a str,
    code: Option<&'a str>,
    discount_percent: i32,
    start_date: NaiveDate,
    end_date: NaiveDate,
    updated_at: DateTime<Utc>,
}

fn code_taken(error: diesel::result::Error) -> OfferWriteError {
    match unique_violation(&error) {
        Some(_) => RepoError::Refused(CodeTaken),
        None => RepoError::Unexpected(unexpected(error)),
    }
}

#[async_trait]
impl OfferRepository for PgPaymentStore {
    async fn create_offer(&self, offer: &Offer) -> Result<(), OfferWriteError> {
        let mut conn = self.db.conn().await?;
        let row = OfferRow {
            id: offer.id.0,
            title: offer.title.clone(),
            description: offer.description.clone(),
            code: offer.code.clone(),
            discount_percent: offer.discount_percent,
            start_date: offer.start_date,
            end_date: offer.end_date,
            created_at: offer.created_at,
            updated_at: offer.updated_at,
        };
        match diesel::insert_into(offers::table)
            .values(&row)
            .kept()
            .execute(&mut conn)
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => Err(code_taken(error)),
        }
    }

    async fn update_offer(
        &self,
        id: OfferId,
        draft: &OfferDraft,
        now: DateTime<Utc>,
    ) -> Result<Option<Offer>, OfferWriteError> {
        let mut conn = self.db.conn().await?;
        let changes = OfferChanges {
            title: &draft.title,
            description: &draft.description,
            code: draft.code.as_deref(),
            discount_percent: draft.discount_percent,
            start_date: draft.start_date,
            end_date: draft.end_date,
            updated_at: now,
        };
        match diesel::update(offers::table.find(id.0))
            .set(&changes)
            .returning(OfferRow::as_returning())
            .kept()
            .get_result(&mut conn)
            .await
            .optional()
        {
            Ok(row) => Ok(row.map(Offer::from)),
            Err(error) => Err(code_taken(error)),
        }
    }

    async fn delete_offer(&self, id: OfferId) -> Result<bool, Unexpected> {
        let mut conn = self.db.conn().await?;
        let deleted = diesel::delete(offers::table.find(id.0))
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(deleted > 0)
    }

    async fn find_offer(&self, id: OfferId) -> Result<Option<Offer>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<OfferRow> = offers::table
            .find(id.0)
            .select(OfferRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        Ok(row.map(Offer::from))
    }

    async fn find_offer_by_code(&self, code: &str) -> Result<Option<Offer>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<OfferRow> = offers::table
            .filter(offers::code.eq(code.to_uppercase()))
            .select(OfferRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        Ok(row.map(Offer::from))
    }

    async fn list_offers(
        &self,
        valid_on: Option<NaiveDate>,
        page: PageRequest,
    ) -> Result<Page<Offer>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let filtered = || {
            let mut query = offers::table.into_boxed();
            if let Some(day) = valid_on {
                query = query
                    .filter(offers::start_date.le(day))
                    .filter(offers::end_date.ge(day));
            }
            query
        };
        let total: i64 = filtered()
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let rows: Vec<OfferRow> = filtered()
            .order((offers::end_date.asc(), offers::id.asc()))
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .select(OfferRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(Page {
            items: rows.into_iter().map(Offer::from).collect(),
            request: page,
            total: total as u64,
        })
    }
}
