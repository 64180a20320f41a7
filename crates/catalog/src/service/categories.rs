//! The category tree: public reads (cached) and admin edits.

use krika_kernel::ids::CategoryId;

use super::{Actor, CATEGORIES_KEY, Catalog, require_admin};
use crate::error::CatalogError;
use crate::model::{Category, CategoryDraft, CategoryInput, CategoryTree};
use crate::ports::CategoryWriteError;

impl From<CategoryWriteError> for CatalogError {
    fn from(error: CategoryWriteError) -> Self {
        use krika_kernel::ValidationErrors as V;
        match error {
            CategoryWriteError::SlugTaken => CatalogError::SlugTaken,
            CategoryWriteError::UnknownParent => {
                V::single("parentId", "No such parent category").into()
            }
            CategoryWriteError::InUse => CatalogError::CategoryInUse,
            CategoryWriteError::NotFound => CatalogError::NotFound,
            CategoryWriteError::Unexpected(e) => CatalogError::Unexpected(e),
        }
    }
}

impl Catalog {
    /// The whole tree with service counts, from the cache when it is there.
    pub async fn category_tree(&self) -> Result<CategoryTree, CatalogError> {
        if let Some(tree) = self.cached::<CategoryTree>(CATEGORIES_KEY).await {
            return Ok(tree);
        }
        let tree = CategoryTree::from_direct_counts(self.ports.categories.categories().await?);
        self.remember(CATEGORIES_KEY, &tree, self.config.category_cache_ttl_secs)
            .await;
        Ok(tree)
    }

    /// By id or slug.
    pub async fn category(&self, id_or_slug: &str) -> Result<Category, CatalogError> {
        self.category_tree()
            .await?
            .find(id_or_slug)
            .cloned()
            .ok_or(CatalogError::NotFound)
    }

    pub async fn create_category(
        &self,
        actor: &Actor,
        input: CategoryInput,
    ) -> Result<Category, CatalogError> {
        require_admin(actor)?;
        let draft = CategoryDraft::parse(input, None)?;
        let id = CategoryId::new();
        self.ports
            .categories
            .create_category(id, &draft, self.now())
            .await?;
        self.after_category_change(id).await
    }

    pub async fn update_category(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        input: CategoryInput,
    ) -> Result<Category, CatalogError> {
        require_admin(actor)?;
        let tree = self.fresh_tree().await?;
        let current = tree.find(id_or_slug).ok_or(CatalogError::NotFound)?;
        let draft = CategoryDraft::parse(input, Some(current))?;
        if let Some(parent) = draft.parent_id
            && tree.with_descendants(current.id).contains(&parent)
        {
            return Err(krika_kernel::ValidationErrors::single(
                "parentId",
                "A category cannot move under itself or its descendants",
            )
            .into());
        }
        self.ports
            .categories
            .update_category(current.id, &draft, self.now())
            .await?;
        self.after_category_change(current.id).await
    }

    /// Only an empty leaf can go: sub-categories and services (even deleted ones, which
    /// orders still point at) keep it.
    pub async fn delete_category(
        &self,
        actor: &Actor,
        id_or_slug: &str,
    ) -> Result<(), CatalogError> {
        require_admin(actor)?;
        let tree = self.fresh_tree().await?;
        let current = tree.find(id_or_slug).ok_or(CatalogError::NotFound)?;
        self.ports.categories.delete_category(current.id).await?;
        self.forget(&[super::CATEGORIES_KEY.to_owned()]).await;
        Ok(())
    }

    /// The tree straight from storage, for admin edits that must not act on stale data.
    async fn fresh_tree(&self) -> Result<CategoryTree, CatalogError> {
        Ok(CategoryTree::from_direct_counts(
            self.ports.categories.categories().await?,
        ))
    }

    async fn after_category_change(&self, id: CategoryId) -> Result<Category, CatalogError> {
        self.forget(&[CATEGORIES_KEY.to_owned()]).await;
        self.fresh_tree()
            .await?
            .get(id)
            .cloned()
            .ok_or(CatalogError::NotFound)
    }
}
