//! the spec, openapi/openapi.json: blog posts as the API shows and receives them.

use chrono::{DateTime, Utc};
use krika_content::{Post, PostStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::envelope;
use super::page::list;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = BlogPostStatus)]
pub enum BlogPostStatusDto {
    Draft,
    Published,
}

impl From<PostStatus> for BlogPostStatusDto {
    fn from(status: PostStatus) -> Self {
        match status {
            PostStatus::Draft => Self::Draft,
            PostStatus::Published => Self::Published,
        }
    }
}

impl From<BlogPostStatusDto> for PostStatus {
    fn from(status: BlogPostStatusDto) -> Self {
        match status {
            BlogPostStatusDto::Draft => Self::Draft,
            BlogPostStatusDto::Published => Self::Published,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = BlogPost)]
pub struct BlogPostDto {
    pub id: Uuid,
    /// The current slug, ASCII with accents folded (`developpement-web`). A post found by
    /// a former slug answers with this one, so a front end can redirect.
    #[schema(example = "developpement-web-a-abidjan")]
    pub slug: String,
    pub title: String,
    /// Markdown, exactly as written.
    pub content: String,
    /// `content` rendered to HTML and sanitised: no script, event handler, `style`,
    /// `javascript:` or `data:` URL; links carry `rel="nofollow noopener"`.
    pub content_html: String,
    /// The first 200 characters of the rendered text, whitespace collapsed, no tags.
    #[schema(max_length = 200)]
    pub excerpt: String,
    pub status: BlogPostStatusDto,
    /// The cover image, `null` without one.
    #[schema(required = true)]
    pub image_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the post went public; `null` for drafts.
    #[schema(required = true)]
    pub published_at: Option<DateTime<Utc>>,
}

impl BlogPostDto {
    pub fn new(post: Post, url: impl Fn(&str) -> String) -> Self {
        Self {
            id: post.id.as_uuid(),
            image_url: post.image_key.as_deref().map(&url),
            slug: post.slug,
            title: post.title,
            content: post.content,
            content_html: post.content_html,
            excerpt: post.excerpt,
            status: post.status.into(),
            created_at: post.created_at,
            updated_at: post.updated_at,
            published_at: post.published_at,
        }
    }
}

envelope!(BlogPostResponse, BlogPostDto);
list!(BlogPostList, BlogPostListResponse, BlogPostDto);

/// `POST /blog` (multipart). Admins only.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "title": "Développement web à Abidjan",
    "content": "## Pourquoi un site vitrine ?\n\nUn **site** rassure vos clients. [Voir les offres](https://2krika.com/services).",
    "status": "published"
}))]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct CreateBlogPostRequest {
    /// 1 to 200 characters once trimmed; gives the slug.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "\\S",
        example = "Développement web à Abidjan"
    )]
    pub title: String,
    /// Markdown, up to 100 000 characters.
    #[schema(min_length = 1, max_length = 100_000, pattern = "\\S")]
    pub content: String,
    pub status: BlogPostStatusDto,
    /// Cover image: JPEG, PNG or WebP (checked by content), at most 5 MB.
    #[schema(nullable = false, value_type = Option<String>, format = Binary)]
    pub image: Option<Vec<u8>>,
}

/// `PUT /blog/{slug}` (multipart). Every field is optional; a new title gives a new slug
/// (the old one keeps finding the post), a new image replaces the old one.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"title": "Nouveau projet", "status": "published"}))]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct UpdateBlogPostRequest {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "\\S",
        example = "Nouveau projet"
    )]
    #[schema(nullable = false)]
    pub title: Option<String>,
    #[schema(
        nullable = false,
        min_length = 1,
        max_length = 100_000,
        pattern = "\\S"
    )]
    pub content: Option<String>,
    #[schema(nullable = false)]
    pub status: Option<BlogPostStatusDto>,
    #[schema(nullable = false, value_type = Option<String>, format = Binary)]
    pub image: Option<Vec<u8>>,
}

/// Filters of `GET /blog`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BlogFilters {
    /// Words of the title or content; accent-insensitive (`developpement` finds
    /// `Développement`).
    #[param(max_length = 200)]
    pub search: Option<String>,
    /// `published` (the default) or, for admins only, `draft`.
    pub status: Option<BlogPostStatusDto>,
}
