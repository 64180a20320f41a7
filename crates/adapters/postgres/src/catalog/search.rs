//! The public listing and search. Full-text search folds accents on both sides
//! (`krika_fold`) and stems French words; when it finds nothing, a trigram word-similarity
//! match on titles and tags catches typos. Every filter and sort is served by a partial
//! index on the public catalogue. A page costs: one or two counts, the page, its images,
//! its sellers' ratings; never one query per service.

use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Float, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use krika_catalog::{Service, ServiceQuery, SortBy, SortOrder};
use krika_kernel::{Page, PageRequest, Unexpected};
use uuid::Uuid;

use super::rows::{FullRow, assemble, full_columns};
use super::services::live_services;
use crate::error::unexpected;
use crate::schema::{categories, services, users};

/// How a search term matches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    FullText,
    Fuzzy,
}

const TSQUERY: &str = "websearch_to_tsquery('french', krika_fold(";

pub async fn search(
    conn: &mut AsyncPgConnection,
    query: &ServiceQuery,
    page: PageRequest,
) -> Result<Page<Service>, Unexpected> {
    let filtered = |mode: Match| {
        let mut q = live_services!()
            .filter(services::status.eq(query.status.as_str()))
            .filter(users::deleted_at.is_null())
            .filter(users::status.eq("active"))
            .into_boxed::<Pg>();
        if query.only_available {
            q = q.filter(services::is_available.eq(true));
        }
        if let Some(ids) = &query.categories {
            let ids: Vec<Uuid> = ids.iter().map(|id| id.as_uuid()).collect();
            q = q.filter(services::category_id.eq_any(ids));
        }
        if let Some(min) = query.min_price {
            q = q.filter(services::starting_price.ge(min));
        }
        if let Some(max) = query.max_price {
            q = q.filter(services::starting_price.le(max));
        }
        if let Some(seller) = query.seller_id {
            q = q.filter(services::seller_id.eq(seller.as_uuid()));
        }
        if !query.tags.is_empty() {
            q = q.filter(services::tags.contains(query.tags.clone()));
        }
        if let Some(term) = &query.search {
            q = match mode {
                Match::FullText => q.filter(
                    sql::<Bool>("services.search_document @@ ")
                        .sql(TSQUERY)
                        .bind::<Text, _>(term.clone())
                        .sql("))"),
                ),
                Match::Fuzzy => q.filter(
                    sql::<Bool>("krika_fold(")
                        .bind::<Text, _>(term.clone())
                        .sql(") <% services.fuzzy_text"),
                ),
            };
        }
        q
    };

    let count = async |conn: &mut AsyncPgConnection, mode| {
        filtered(mode)
            .count()
            .get_result::<i64>(conn)
            .await
            .map_err(unexpected)
    };
    let mut mode = Match::FullText;
    let mut total = count(conn, mode).await?;
    if total == 0 && query.search.is_some() {
        mode = Match::Fuzzy;
        total = count(conn, mode).await?;
    }
    if total == 0 || page.offset() >= total as u64 {
        return Ok(Page {
            items: Vec::new(),
            request: page,
            total: total as u64,
        });
    }

    let mut q = filtered(mode);
    let desc = query.sort_order == SortOrder::Desc;
    q = match (query.sort_by, &query.search) {
        (SortBy::Relevance, Some(term)) => {
            let score = match mode {
                Match::FullText => sql::<Float>("ts_rank(services.search_document, ")
                    .sql(TSQUERY)
                    .bind::<Text, _>(term.clone())
                    .sql(")))"),
                Match::Fuzzy => sql::<Float>("word_similarity(")
                    .sql("krika_fold(")
                    .bind::<Text, _>(term.clone())
                    .sql("), services.fuzzy_text)"),
            };
            if desc {
                q.order(score.desc())
            } else {
                q.order(score.asc())
            }
            .then_order_by(services::created_at.desc())
        }
        (SortBy::Price, _) if desc => q.order(services::starting_price.desc()),
        (SortBy::Price, _) => q.order(services::starting_price.asc()),
        (SortBy::Rating, _) if desc => {
            q.order((services::rating_avg.desc(), services::reviews_count.desc()))
        }
        (SortBy::Rating, _) => q.order(services::rating_avg.asc()),
        (_, _) if desc => q.order(services::created_at.desc()),
        (_, _) => q.order(services::created_at.asc()),
    };
    // A total order, so pages never overlap or skip.
    q = if desc {
        q.then_order_by(services::id.desc())
    } else {
        q.then_order_by(services::id.asc())
    };
    let rows: Vec<FullRow> = q
        .select(full_columns())
        .limit(i64::from(page.limit()))
        .offset(page.offset() as i64)
        .load(conn)
        .await
        .map_err(unexpected)?;
    Ok(Page {
        items: assemble(rows)?,
        request: page,
        total: total as u64,
    })
}
