//! What the blog needs from storage. Slugs are settled by the adapter, atomically: a slug
//! is never given to two posts, and a slug a post once had keeps pointing at it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_kernel::{Page, PageRequest, Unexpected};

use crate::model::{Post, PostFields, PostId, PostQuery, PostStatus};
use crate::render;

/// Every field of a post but its slug, as a write stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostWrite {
    pub id: PostId,
    pub title: String,
    pub content: String,
    pub content_html: String,
    pub excerpt: String,
    pub status: PostStatus,
    pub image_key: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// `created_at` of a new post, `updated_at` of every write.
    pub now: DateTime<Utc>,
}

impl PostWrite {
    /// The write of validated fields: the HTML and excerpt are rendered here.
    pub fn new(
        id: PostId,
        fields: &PostFields,
        image_key: Option<String>,
        published_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        let content_html = render::to_html(&fields.content);
        Self {
            id,
            title: fields.title.clone(),
            excerpt: render::excerpt(&content_html),
            content: fields.content.clone(),
            content_html,
            status: fields.status,
            image_key,
            published_at,
            now,
        }
    }
}

#[async_trait]
pub trait PostRepository: Send + Sync + 'static {
    /// Stores a new post under `slug` or, when another post has or had it, the first free
    /// of `slug-2`, `slug-3`…
    async fn create(&self, post: &PostWrite, slug: &str) -> Result<Post, Unexpected>;

    /// Replaces the fields of the post `post.id`; `None` when it is gone. With `slug`, the
    /// post moves to the first free of `slug`, `slug-2`… (its own current and former slugs
    /// count as free for it) and, if that differs from its current slug, the current one
    /// becomes a former slug — in the same transaction.
    async fn update(
        &self,
        post: &PostWrite,
        slug: Option<&str>,
    ) -> Result<Option<Post>, Unexpected>;

    /// The post whose current or former slug is `slug`.
    async fn find(&self, slug: &str) -> Result<Option<Post>, Unexpected>;

    /// Posts in `query.status` matching the search: published ones by `published_at`,
    /// drafts by `updated_at`, newest first.
    async fn list(&self, query: &PostQuery, page: PageRequest) -> Result<Page<Post>, Unexpected>;

    /// Removes the post and frees its slugs; whether it existed.
    async fn delete(&self, id: PostId) -> Result<bool, Unexpected>;
}
