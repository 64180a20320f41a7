//! Writing the blog (admins only): posts, their cover image, their slugs.

use krika_kernel::media::check_image;

use super::{Content, Viewer, require_admin};
use crate::error::ContentError;
use crate::model::{Post, PostFields, PostId, PostInput, PostPatch, PostStatus, slug_base};
use crate::ports::PostWrite;

impl Content {
    /// A new post, with its cover image when one is sent (checked by content, stored
    /// publicly). Its slug comes from the title, made unique by the adapter.
    pub async fn create(
        &self,
        viewer: &Viewer,
        input: PostInput,
        image: Option<Vec<u8>>,
    ) -> Result<Post, ContentError> {
        require_admin(viewer)?;
        let fields = PostFields::parse(input)?;
        let id = PostId::new();
        let image_key = match image {
            Some(bytes) => Some(self.store_image(id, bytes).await?),
            None => None,
        };
        let now = self.now();
        let published_at = (fields.status == PostStatus::Published).then_some(now);
        let write = PostWrite::new(id, &fields, image_key, published_at, now);
        match self
            .ports
            .posts
            .create(&write, &slug_base(&fields.title))
            .await
        {
            Ok(post) => Ok(post),
            Err(error) => {
                self.discard(write.image_key.as_deref()).await;
                Err(error.into())
            }
        }
    }

    /// A partial edit. A new title gives a new slug (the old one keeps finding the post);
    /// publishing stamps `publishedAt`, going back to draft clears it; a new image replaces
    /// the old one.
    pub async fn update(
        &self,
        viewer: &Viewer,
        slug: &str,
        patch: PostPatch,
        image: Option<Vec<u8>>,
    ) -> Result<Post, ContentError> {
        require_admin(viewer)?;
        let current = self.load(slug).await?;
        let fields = PostFields::patch(&current, patch)?;
        let new_image = match image {
            Some(bytes) => Some(self.store_image(current.id, bytes).await?),
            None => None,
        };
        let now = self.now();
        let published_at = match (current.status, fields.status) {
            (PostStatus::Published, PostStatus::Published) => current.published_at,
            (_, PostStatus::Published) => Some(now),
            (_, PostStatus::Draft) => None,
        };
        let image_key = new_image.clone().or_else(|| current.image_key.clone());
        let write = PostWrite::new(current.id, &fields, image_key, published_at, now);
        let new_slug = (fields.title != current.title).then(|| slug_base(&fields.title));
        let updated = match self.ports.posts.update(&write, new_slug.as_deref()).await {
            Ok(Some(post)) => post,
            Ok(None) => {
                self.discard(new_image.as_deref()).await;
                return Err(ContentError::NotFound);
            }
            Err(error) => {
                self.discard(new_image.as_deref()).await;
                return Err(error.into());
            }
        };
        if new_image.is_some() {
            self.discard(current.image_key.as_deref()).await;
        }
        Ok(updated)
    }

    /// Removes a post, its slugs and its image.
    pub async fn delete(&self, viewer: &Viewer, slug: &str) -> Result<(), ContentError> {
        require_admin(viewer)?;
        let post = self.load(slug).await?;
        if !self.ports.posts.delete(post.id).await? {
            return Err(ContentError::NotFound);
        }
        self.discard(post.image_key.as_deref()).await;
        Ok(())
    }

    async fn store_image(&self, id: PostId, bytes: Vec<u8>) -> Result<String, ContentError> {
        let kind = check_image(&bytes, self.config.image_max_bytes)?;
        let key = format!(
            "public/blog/{}/{}.{}",
            id,
            uuid::Uuid::now_v7().simple(),
            kind.extension()
        );
        self.ports
            .blobs
            .put(&key, bytes, kind.content_type())
            .await?;
        Ok(key)
    }

    /// Deletes a file nothing points at any more. The write it belonged to is settled, so
    /// a failure only leaves an orphan file behind.
    async fn discard(&self, key: Option<&str>) {
        if let Some(key) = key
            && let Err(error) = self.ports.blobs.delete(key).await
        {
            tracing::warn!(%error, key, "unused blog image not deleted");
        }
    }
}
