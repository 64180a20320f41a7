//! Post rows and their conversion to domain posts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use krika_content::ports::PostWrite;
use krika_content::{Post, PostStatus};
use krika_kernel::Unexpected;
use uuid::Uuid;

use crate::schema::blog_posts;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = blog_posts, check_for_backend(diesel::pg::Pg))]
pub struct PostRow {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub content: String,
    pub content_html: String,
    pub excerpt: String,
    pub status: String,
    pub image_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

impl PostRow {
    pub fn into_post(self) -> Result<Post, Unexpected> {
        let status = PostStatus::parse(&self.status)
            .ok_or_else(|| Unexpected::msg(format!("unknown post status {}", self.status)))?;
        Ok(Post {
            id: self.id.into(),
            slug: self.slug,
            title: self.title,
            content: self.content,
            content_html: self.content_html,
            excerpt: self.excerpt,
            status,
            image_key: self.image_key,
            created_at: self.created_at,
            updated_at: self.updated_at,
            published_at: self.published_at,
        })
    }
}

/// What every write sets (insert and update).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = blog_posts, treat_none_as_null = true)]
pub struct WriteColumns<'a> {
    pub title: &'a str,
    pub content: &'a str,
    pub content_html: &'a str,
    pub excerpt: &'a str,
    pub status: &'a str,
    pub image_key: Option<&'a str>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl<'a> WriteColumns<'a> {
    pub fn of(write: &'a PostWrite) -> Self {
        Self {
            title: &write.title,
            content: &write.content,
            content_html: &write.content_html,
            excerpt: &write.excerpt,
            status: write.status.as_str(),
            image_key: write.image_key.as_deref(),
            published_at: write.published_at,
            updated_at: write.now,
        }
    }
}
