//! The category tree.

use krika_kernel::ids::CategoryId;
use krika_kernel::slug::slugify;
use krika_kernel::{FieldError, ValidationErrors};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<CategoryId>,
    pub position: i32,
    /// Approved, available services in this category and all its descendants.
    pub services_count: u64,
}

/// Every category, with lookups by id or slug and descendant sets.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CategoryTree {
    pub categories: Vec<Category>,
}

impl CategoryTree {
    /// Builds the tree from categories whose `services_count` holds only their own services,
    /// summing counts up to every ancestor. Ordered by parent then position.
    pub fn from_direct_counts(mut categories: Vec<Category>) -> Self {
        let direct: Vec<(CategoryId, u64)> = categories
            .iter()
            .map(|c| (c.id, c.services_count))
            .collect();
        let parents: std::collections::HashMap<CategoryId, Option<CategoryId>> =
            categories.iter().map(|c| (c.id, c.parent_id)).collect();
        let mut totals: std::collections::HashMap<CategoryId, u64> =
            categories.iter().map(|c| (c.id, 0)).collect();
        for (id, count) in direct {
            let mut at = Some(id);
            // Depth is bounded by the tree; the guard stops a corrupted cycle.
            let mut steps = 0;
            while let Some(node) = at.filter(|_| steps < 64) {
                *totals.entry(node).or_default() += count;
                at = parents.get(&node).copied().flatten();
                steps += 1;
            }
        }
        for category in &mut categories {
            category.services_count = totals[&category.id];
        }
        categories.sort_by(|a, b| {
            (a.parent_id.is_some(), a.position, &a.name).cmp(&(
                b.parent_id.is_some(),
                b.position,
                &b.name,
            ))
        });
        Self { categories }
    }

    /// By id (a UUID) or by slug.
    pub fn find(&self, id_or_slug: &str) -> Option<&Category> {
        match uuid::Uuid::parse_str(id_or_slug) {
            Ok(id) => self.categories.iter().find(|c| c.id.as_uuid() == id),
            Err(_) => self.categories.iter().find(|c| c.slug == id_or_slug),
        }
    }

    pub fn get(&self, id: CategoryId) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The category and everything below it.
    pub fn with_descendants(&self, root: CategoryId) -> Vec<CategoryId> {
        let mut found = vec![root];
        let mut next = 0;
        while next < found.len() {
            let parent = found[next];
            found.extend(
                self.categories
                    .iter()
                    .filter(|c| c.parent_id == Some(parent))
                    .map(|c| c.id),
            );
            next += 1;
        }
        found
    }

    pub fn has_children(&self, id: CategoryId) -> bool {
        self.categories.iter().any(|c| c.parent_id == Some(id))
    }
}

/// A category as an admin sends it; on update, absent fields keep their value.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub parent_id: Option<Option<CategoryId>>,
    pub position: Option<i32>,
}

/// A validated category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryDraft {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub parent_id: Option<CategoryId>,
    pub position: i32,
}

impl CategoryDraft {
    /// Validates `input` laid over `current` (absent on creation, where `name` is required).
    pub fn parse(
        input: CategoryInput,
        current: Option<&Category>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = match (&input.name, current) {
            (Some(name), _) => errors.check(parse_name(name)),
            (None, Some(current)) => Some(current.name.clone()),
            (None, None) => {
                errors.push("name", "Name is required");
                None
            }
        };
        let slug = match (&input.slug, &name, current) {
            (Some(slug), _, _) => errors.check(parse_slug(slug)),
            (None, _, Some(current)) => Some(current.slug.clone()),
            (None, Some(name), None) => {
                let slug = slugify(name, 80);
                if slug.is_empty() {
                    errors.push("slug", "Name has no letter or digit to make a slug from");
                }
                Some(slug)
            }
            (None, None, None) => None,
        };
        let description = match (&input.description, current) {
            (Some(text), _) if text.chars().count() > 500 => {
                errors.push("description", "Description must be at most 500 characters");
                None
            }
            (Some(text), _) => Some(text.trim().to_owned()),
            (None, Some(current)) => Some(current.description.clone()),
            (None, None) => Some(String::new()),
        };
        let parent_id = match input.parent_id {
            Some(parent) => parent,
            None => current.and_then(|c| c.parent_id),
        };
        if let (Some(parent), Some(current)) = (parent_id, current)
            && parent == current.id
        {
            errors.push("parentId", "A category cannot be its own parent");
        }
        let position = input.position.or(current.map(|c| c.position)).unwrap_or(0);
        errors.into_result()?;
        Ok(Self {
            name: name.unwrap_or_default(),
            slug: slug.unwrap_or_default(),
            description: description.unwrap_or_default(),
            parent_id,
            position,
        })
    }
}

fn parse_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    match name.chars().count() {
        0 => Err(FieldError::new("name", "Name is required")),
        1..=100 => Ok(name.to_owned()),
        _ => Err(FieldError::new(
            "name",
            "Name must be at most 100 characters",
        )),
    }
}

fn parse_slug(raw: &str) -> Result<String, FieldError> {
    let slug = raw.trim();
    let valid = (1..=80).contains(&slug.len())
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    // A slug that reads as a UUID would be shadowed by the id lookup.
    if valid && uuid::Uuid::parse_str(slug).is_err() {
        Ok(slug.to_owned())
    } else {
        Err(FieldError::new(
            "slug",
            "Slug must be lower-case letters and digits joined by dashes, at most 80",
        ))
    }
}
