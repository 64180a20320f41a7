//! Reading the blog: the public sees published posts; admins see drafts too.

use krika_kernel::{Page, PageRequest, ValidationErrors};

use super::{Content, Viewer};
use crate::error::ContentError;
use crate::model::{Post, PostQuery, PostStatus};

/// A listing as the client asked for it, unchecked.
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    /// `draft` or `published` (the default); drafts are for admins.
    pub status: Option<String>,
    pub search: Option<String>,
}

const SEARCH_MAX_CHARS: usize = 200;

impl Content {
    /// Posts of one status, newest first, optionally matching a search (accents folded).
    /// Asking for drafts needs an admin: anonymous callers are `Unauthenticated`, others
    /// `Forbidden`.
    pub async fn list(
        &self,
        viewer: Option<&Viewer>,
        params: ListParams,
        page: PageRequest,
    ) -> Result<Page<Post>, ContentError> {
        let mut errors = ValidationErrors::new();
        let status = match params.status.as_deref().map(str::trim) {
            None | Some("") => PostStatus::Published,
            Some(text) => PostStatus::parse(text).unwrap_or_else(|| {
                errors.push("status", "Status must be draft or published");
                PostStatus::Published
            }),
        };
        let search = params
            .search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if search
            .as_ref()
            .is_some_and(|s| s.chars().count() > SEARCH_MAX_CHARS)
        {
            errors.push(
                "search",
                format!("Search must be at most {SEARCH_MAX_CHARS} characters"),
            );
        }
        errors.into_result()?;
        if status == PostStatus::Draft {
            match viewer {
                None => return Err(ContentError::Unauthenticated),
                Some(viewer) if !viewer.is_admin => {
                    return Err(ContentError::DraftsAdminOnly);
                }
                Some(_) => {}
            }
        }
        let query = PostQuery { status, search };
        Ok(self.ports.posts.list(&query, page).await?)
    }

    /// A post by its current or a former slug (the answer carries the current one). A
    /// draft is `NotFound` except for admins.
    pub async fn post(&self, viewer: Option<&Viewer>, slug: &str) -> Result<Post, ContentError> {
        let post = self.load(slug).await?;
        if post.is_public() || viewer.is_some_and(|v| v.is_admin) {
            Ok(post)
        } else {
            Err(ContentError::NotFound)
        }
    }

    pub(super) async fn load(&self, slug: &str) -> Result<Post, ContentError> {
        self.ports
            .posts
            .find(slug)
            .await?
            .ok_or(ContentError::NotFound)
    }
}
