//! A blog post as admins write it and readers see it.

use chrono::{DateTime, Utc};
use krika_kernel::slug::slugify;
use krika_kernel::{define_id, string_enum};

define_id!(
    /// A blog post.
    PostId
);

string_enum!(
    /// Drafts are seen by admins only; published posts by everyone.
    PostStatus {
        Draft => "draft",
        Published => "published",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: PostId,
    /// The current slug; former ones still find the post.
    pub slug: String,
    pub title: String,
    /// Markdown, exactly as written.
    pub content: String,
    /// `content` rendered and sanitised ([`crate::render::to_html`]).
    pub content_html: String,
    /// The first characters of the rendered text ([`crate::render::excerpt`]).
    pub excerpt: String,
    pub status: PostStatus,
    /// Storage key of the cover image (a `public/` key).
    pub image_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set exactly while the post is published: when it last went public.
    pub published_at: Option<DateTime<Utc>>,
}

impl Post {
    pub fn is_public(&self) -> bool {
        self.status == PostStatus::Published
    }
}

/// A validated listing query: one status (the public sees `Published`), and a search
/// term matched on title and content, accents folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostQuery {
    pub status: PostStatus,
    pub search: Option<String>,
}

/// Longest slug made from a title, before any `-2` suffix.
const SLUG_MAX: usize = 80;

/// The slug a title asks for (`Développement web` → `developpement-web`); the adapter adds
/// `-2`, `-3`… when it is taken. A title without letters or digits gives `article`.
pub fn slug_base(title: &str) -> String {
    match slugify(title, SLUG_MAX) {
        slug if slug.is_empty() => "article".into(),
        slug => slug,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_never_come_out_empty() {
        assert_eq!(slug_base("Nouveau projet !"), "nouveau-projet");
        assert_eq!(
            slug_base("Développement à Abidjan"),
            "developpement-a-abidjan"
        );
        assert_eq!(slug_base("?!"), "article");
        assert!(slug_base(&"mot ".repeat(100)).len() <= SLUG_MAX);
    }
}
