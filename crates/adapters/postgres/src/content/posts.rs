use async_trait::async_trait;
use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_content::ports::{PostRepository, PostWrite};
use krika_content::{Post, PostId, PostQuery, PostStatus};
use krika_kernel::{Page, PageRequest, Unexpected};
use uuid::Uuid;

use super::PgContentStore;
use super::rows::{PostRow, WriteColumns};
use super::slugs;
use crate::Keep;
use crate::error::unexpected;
use crate::schema::{blog_former_slugs, blog_posts};

async fn load(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<PostRow>> {
    blog_posts::table
        .find(id)
        .select(PostRow::as_select())
        .first(conn)
        .await
        .optional()
}

#[async_trait]
impl PostRepository for PgContentStore {
    async fn create(&self, write: &PostWrite, slug: &str) -> Result<Post, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row = conn
            .transaction(async |conn| {
                slugs::lock(conn).await?;
                let slug = slugs::free(conn, slug, None).await?;
                diesel::insert_into(blog_posts::table)
                    .values((
                        blog_posts::id.eq(write.id.as_uuid()),
                        blog_posts::slug.eq(&slug),
                        blog_posts::created_at.eq(write.now),
                        WriteColumns::of(write),
                    ))
                    .returning(PostRow::as_returning())
                    .kept()
                    .get_result(conn)
                    .await
            })
            .await
            .map_err(unexpected)?;
        row.into_post()
    }

    async fn update(
        &self,
        write: &PostWrite,
        slug: Option<&str>,
    ) -> Result<Option<Post>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let id = write.id.as_uuid();
        let row = conn
            .transaction(async |conn| {
                slugs::lock(conn).await?;
                let Some(current) = load(conn, id).await? else {
                    return Ok(None);
                };
                let mut new_slug = None;
                if let Some(base) = slug {
                    let settled = slugs::free(conn, base, Some(id)).await?;
                    if settled != current.slug {
                        // The post may be taking back one of its own former slugs.
                        diesel::delete(blog_former_slugs::table.find(settled.as_str()))
                            .execute(conn)
                            .await?;
                        diesel::insert_into(blog_former_slugs::table)
                            .values((
                                blog_former_slugs::slug.eq(&current.slug),
                                blog_former_slugs::post_id.eq(id),
                                blog_former_slugs::replaced_at.eq(write.now),
                            ))
                            .kept()
                            .execute(conn)
                            .await?;
                        new_slug = Some(settled);
                    }
                }
                let slug = new_slug.unwrap_or(current.slug);
                diesel::update(blog_posts::table.find(id))
                    .set((blog_posts::slug.eq(slug), WriteColumns::of(write)))
                    .returning(PostRow::as_returning())
                    .kept()
                    .get_result(conn)
                    .await
                    .map(Some)
            })
            .await
            .map_err(unexpected)?;
        row.map(PostRow::into_post).transpose()
    }

    async fn find(&self, slug: &str) -> Result<Option<Post>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let former = blog_former_slugs::table
            .filter(blog_former_slugs::slug.eq(slug))
            .select(blog_former_slugs::post_id);
        let row: Option<PostRow> = blog_posts::table
            .filter(blog_posts::slug.eq(slug).or(blog_posts::id.eq_any(former)))
            .select(PostRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        row.map(PostRow::into_post).transpose()
    }

    async fn list(&self, query: &PostQuery, page: PageRequest) -> Result<Page<Post>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let filtered = || {
            let mut q = blog_posts::table
                .filter(blog_posts::status.eq(query.status.as_str()))
                .into_boxed::<Pg>();
            if let Some(term) = &query.search {
                q = q.filter(
                    sql::<Bool>(
                        "blog_posts.search_document @@ websearch_to_tsquery('french', krika_fold(",
                    )
                    .bind::<Text, _>(term.clone())
                    .sql("))"),
                );
            }
            q
        };
        let total: i64 = filtered()
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        if total == 0 || page.offset() >= total as u64 {
            return Ok(Page {
                items: Vec::new(),
                request: page,
                total: total as u64,
            });
        }
        let ordered = match query.status {
            PostStatus::Published => filtered()
                .order(blog_posts::published_at.desc())
                .then_order_by(blog_posts::id.desc()),
            PostStatus::Draft => filtered()
                .order(blog_posts::updated_at.desc())
                .then_order_by(blog_posts::id.desc()),
        };
        let rows: Vec<PostRow> = ordered
            .select(PostRow::as_select())
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(PostRow::into_post)
                .collect::<Result<_, _>>()?,
            request: page,
            total: total as u64,
        })
    }

    async fn delete(&self, id: PostId) -> Result<bool, Unexpected> {
        let mut conn = self.db.conn().await?;
        // Former slugs go with the post (ON DELETE CASCADE).
        let deleted = diesel::delete(blog_posts::table.find(id.as_uuid()))
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(deleted > 0)
    }
}
