//! The blog's port in memory: posts and former slugs behind one lock, so settling a slug
//! and recording the one it replaces happen together, as in the PostgreSQL transaction.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use krika_content::ports::{PostRepository, PostWrite};
use krika_content::{Post, PostId, PostQuery, PostStatus};
use krika_kernel::slug::slugify;
use krika_kernel::{Page, PageRequest, Unexpected};

use crate::{lock, paginate};

#[derive(Default)]
struct State {
    posts: HashMap<PostId, Post>,
    /// Slugs posts had before a title change, and whose they were.
    former: HashMap<String, PostId>,
}

impl State {
    /// Whether `slug` is free for `owner` (a new post when `None`): no other post has it
    /// now or had it before.
    fn is_free(&self, slug: &str, owner: Option<PostId>) -> bool {
        let live = self
            .posts
            .values()
            .any(|p| p.slug == slug && Some(p.id) != owner);
        let former = self.former.get(slug).is_some_and(|id| Some(*id) != owner);
        !live && !former
    }

    fn free_slug(&self, base: &str, owner: Option<PostId>) -> String {
        if self.is_free(base, owner) {
            return base.to_owned();
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|slug| self.is_free(slug, owner))
            .unwrap_or_else(|| base.to_owned())
    }
}

#[derive(Default)]
pub struct MemoryContentStore {
    state: Mutex<State>,
}

fn apply(post: &mut Post, write: &PostWrite) {
    post.title = write.title.clone();
    post.content = write.content.clone();
    post.content_html = write.content_html.clone();
    post.excerpt = write.excerpt.clone();
    post.status = write.status;
    post.image_key = write.image_key.clone();
    post.published_at = write.published_at;
    post.updated_at = write.now;
}

/// Every word of the term appears in the title or content, accents and case folded (a
/// word may match inside a longer one).
fn matches(post: &Post, term: &str) -> bool {
    let document = slugify(&format!("{} {}", post.title, post.content), usize::MAX);
    slugify(term, usize::MAX)
        .split('-')
        .filter(|w| !w.is_empty())
        .all(|word| document.contains(word))
}

#[async_trait]
impl PostRepository for MemoryContentStore {
    async fn create(&self, write: &PostWrite, slug: &str) -> Result<Post, Unexpected> {
        let mut state = lock(&self.state);
        if state.posts.contains_key(&write.id) {
            return Err(Unexpected::msg(format!("post {} exists", write.id)));
        }
        let mut post = Post {
            id: write.id,
            slug: state.free_slug(slug, None),
            title: String::new(),
            content: String::new(),
            content_html: String::new(),
            excerpt: String::new(),
            status: write.status,
            image_key: None,
            created_at: write.now,
            updated_at: write.now,
            published_at: None,
        };
        apply(&mut post, write);
        state.posts.insert(post.id, post.clone());
        Ok(post)
    }

    async fn update(
        &self,
        write: &PostWrite,
        slug: Option<&str>,
    ) -> Result<Option<Post>, Unexpected> {
        let mut state = lock(&self.state);
        let Some(current) = state.posts.get(&write.id).map(|p| p.slug.clone()) else {
            return Ok(None);
        };
        let settled = slug.map(|base| state.free_slug(base, Some(write.id)));
        if let Some(new) = settled.filter(|new| *new != current) {
            state.former.remove(&new);
            state.former.insert(current, write.id);
            if let Some(post) = state.posts.get_mut(&write.id) {
                post.slug = new;
            }
        }
        let Some(post) = state.posts.get_mut(&write.id) else {
            return Ok(None);
        };
        apply(post, write);
        Ok(Some(post.clone()))
    }

    async fn find(&self, slug: &str) -> Result<Option<Post>, Unexpected> {
        let state = lock(&self.state);
        let live = state.posts.values().find(|p| p.slug == slug);
        let former = || state.former.get(slug).and_then(|id| state.posts.get(id));
        Ok(live.or_else(former).cloned())
    }

    async fn list(&self, query: &PostQuery, page: PageRequest) -> Result<Page<Post>, Unexpected> {
        let state = lock(&self.state);
        let mut found: Vec<Post> = state
            .posts
            .values()
            .filter(|p| p.status == query.status)
            .filter(|p| query.search.as_deref().is_none_or(|term| matches(p, term)))
            .cloned()
            .collect();
        match query.status {
            PostStatus::Published => found.sort_by_key(|p| Reverse((p.published_at, p.id))),
            PostStatus::Draft => found.sort_by_key(|p| Reverse((p.updated_at, p.id))),
        }
        Ok(paginate(found, page))
    }

    async fn delete(&self, id: PostId) -> Result<bool, Unexpected> {
        let mut state = lock(&self.state);
        state.former.retain(|_, owner| *owner != id);
        Ok(state.posts.remove(&id).is_some())
    }
}
