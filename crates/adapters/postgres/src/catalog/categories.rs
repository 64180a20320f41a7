use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel_async::RunQueryDsl;
use krika_catalog::Category;
use krika_catalog::ports::{CategoryRepository, CategoryWriteError};
use krika_catalog::{CategoryDraft, ServiceStatus};
use krika_kernel::Unexpected;
use krika_kernel::ids::CategoryId;
use uuid::Uuid;

use super::PgCatalogStore;
use crate::Keep;
use crate::error::unexpected;
use crate::schema::{categories, services};

fn write_error(error: Error) -> CategoryWriteError {
    match &error {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            CategoryWriteError::SlugTaken
        }
        Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info)
            if info.constraint_name() == Some("categories_parent_id_fkey") =>
        {
            // On insert/update this is the parent missing; on delete, children remain.
            CategoryWriteError::UnknownParent
        }
        _ => CategoryWriteError::Unexpected(unexpected(error)),
    }
}

#[async_trait]
impl CategoryRepository for PgCatalogStore {
    async fn categories(&self) -> Result<Vec<Category>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let rows: Vec<(Uuid, String, String, String, Option<Uuid>, i32)> = categories::table
            .select((
                categories::id,
                categories::slug,
                categories::name,
                categories::description,
                categories::parent_id,
                categories::position,
            ))
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        // One grouped count over the public partial index, not one per category.
        let counts: Vec<(Uuid, i64)> = services::table
            .filter(services::status.eq(ServiceStatus::Approved.as_str()))
            .filter(services::is_available.eq(true))
            .filter(services::deleted_at.is_null())
            .group_by(services::category_id)
            .select((services::category_id, count_star()))
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, slug, name, description, parent_id, position)| Category {
                    services_count: counts
                        .iter()
                        .find(|(c, _)| *c == id)
                        .map_or(0, |(_, n)| *n as u64),
                    id: id.into(),
                    slug,
                    name,
                    description,
                    parent_id: parent_id.map(Into::into),
                    position,
                },
            )
            .collect())
    }

    async fn create_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
        now: DateTime<Utc>,
    ) -> Result<(), CategoryWriteError> {
        let mut conn = self.db.conn().await?;
        diesel::insert_into(categories::table)
            .values((
                categories::id.eq(id.as_uuid()),
                categories::slug.eq(&draft.slug),
                categories::name.eq(&draft.name),
                categories::description.eq(&draft.description),
                categories::parent_id.eq(draft.parent_id.map(|p| p.as_uuid())),
                categories::position.eq(draft.position),
                categories::created_at.eq(now),
                categories::updated_at.eq(now),
            ))
            .kept()
            .execute(&mut conn)
            .await
            .map_err(write_error)?;
        Ok(())
    }

    async fn update_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
        now: DateTime<Utc>,
    ) -> Result<(), CategoryWriteError> {
        let mut conn = self.db.conn().await?;
        let updated = diesel::update(categories::table.find(id.as_uuid()))
            .set((
                categories::slug.eq(&draft.slug),
                categories::name.eq(&draft.name),
                categories::description.eq(&draft.description),
                categories::parent_id.eq(draft.parent_id.map(|p| p.as_uuid())),
                categories::position.eq(draft.position),
                categories::updated_at.eq(now),
            ))
            .kept()
            .execute(&mut conn)
            .await
            .map_err(write_error)?;
        if updated == 0 {
            return Err(CategoryWriteError::NotFound);
        }
        Ok(())
    }

    async fn delete_category(&self, id: CategoryId) -> Result<(), CategoryWriteError> {
        let mut conn = self.db.conn().await?;
        let deleted = diesel::delete(categories::table.find(id.as_uuid()))
            .execute(&mut conn)
            .await
            .map_err(|error| match error {
                // Sub-categories or services (even deleted ones) still point at it.
                Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                    CategoryWriteError::InUse
                }
                other => CategoryWriteError::Unexpected(unexpected(other)),
            })?;
        if deleted == 0 {
            return Err(CategoryWriteError::NotFound);
        }
        Ok(())
    }
}
