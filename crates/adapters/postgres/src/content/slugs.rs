//! Settling slugs: unique across the slugs posts have now AND had before, decided under
//! one transaction-scoped advisory lock (blog writes are rare, so one lock for the whole
//! blog costs nothing and rules out two posts taking one slug at once).

use std::collections::HashSet;

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Keep;
use crate::error::escape_like;
use crate::schema::{blog_former_slugs, blog_posts};

/// Any number, the same in every process: the key of the blog's slug lock.
const SLUG_LOCK: i64 = 7_272_011;

/// Holds the slug lock until the current transaction ends.
pub async fn lock(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<BigInt, _>(SLUG_LOCK)
        .kept()
        .execute(conn)
        .await?;
    Ok(())
}

/// The first of `base`, `base-2`, `base-3`… that no post other than `owner` has or had.
/// Call it holding [`lock`].
pub async fn free(
    conn: &mut AsyncPgConnection,
    base: &str,
    owner: Option<Uuid>,
) -> QueryResult<String> {
    let pattern = format!("{}-%", escape_like(base));
    let others = owner.unwrap_or(Uuid::nil());
    let live: Vec<String> = blog_posts::table
        .filter(
            blog_posts::slug
                .eq(base)
                .or(blog_posts::slug.like(pattern.as_str())),
        )
        .filter(blog_posts::id.ne(others))
        .select(blog_posts::slug)
        .load(conn)
        .await?;
    let former: Vec<String> = blog_former_slugs::table
        .filter(
            blog_former_slugs::slug
                .eq(base)
                .or(blog_former_slugs::slug.like(pattern.as_str())),
        )
        .filter(blog_former_slugs::post_id.ne(others))
        .select(blog_former_slugs::slug)
        .load(conn)
        .await?;
    let taken: HashSet<String> = live.into_iter().chain(former).collect();
    if !taken.contains(base) {
        return Ok(base.to_owned());
    }
    let n = (2..)
        .find(|n| !taken.contains(&format!("{base}-{n}")))
        .unwrap_or(2);
    Ok(format!("{base}-{n}"))
}
