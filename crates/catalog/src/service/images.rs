//! Service images: recognised by content, stored publicly, counted per service.

use krika_kernel::ids::ImageId;
use krika_kernel::media::check_image;
use krika_kernel::{RepoError, ValidationErrors};

use super::{Actor, CATEGORIES_KEY, Catalog, service_key};
use crate::error::CatalogError;
use crate::model::{Service, ServiceImage, ServiceStatus};
use crate::ports::ImagesRefused;

impl Catalog {
    /// Adds 1 to 5 images (at most 8 per service). Every file is checked before any is
    /// stored, so a bad file in the batch stores nothing.
    pub async fn add_images(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        files: Vec<Vec<u8>>,
    ) -> Result<Service, CatalogError> {
        let service = self.owned(actor, id_or_slug, false).await?;
        let per_call = self.config.images_per_upload;
        let max = self.config.images_per_service;
        if files.is_empty() || files.len() > per_call {
            return Err(
                ValidationErrors::single("files", format!("Send 1 to {per_call} files")).into(),
            );
        }
        if service.images.len() + files.len() > max {
            return Err(too_many(max, service.images.len()));
        }
        let mut checked = Vec::with_capacity(files.len());
        for bytes in files {
            let kind = check_image(&bytes, self.config.image_max_bytes)?;
            checked.push((bytes, kind));
        }
        let next = service
            .images
            .iter()
            .map(|i| i.position)
            .max()
            .unwrap_or(-1)
            + 1;
        let mut images = Vec::with_capacity(checked.len());
        for (offset, (bytes, kind)) in checked.into_iter().enumerate() {
            let id = ImageId::new();
            let key = format!(
                "public/services/{}/{}.{}",
                service.id,
                id.as_uuid().simple(),
                kind.extension()
            );
            self.ports
                .blobs
                .put(&key, bytes, kind.content_type())
                .await?;
            images.push(ServiceImage {
                id,
                key,
                position: next + offset as i32,
            });
        }
        // Images are part of what a review approved: changing them sends it back.
        let status = ServiceStatus::PendingReview;
        let added = self
            .ports
            .services
            .add_images(service.id, &images, max, status, self.now())
            .await;
        self.forget(&[service_key(service.id), CATEGORIES_KEY.to_owned()])
            .await;
        let refused = match added {
            Ok(service) => return Ok(service),
            // Someone else's upload won the race for the last places.
            Err(RepoError::Refused(ImagesRefused::Full { count })) => too_many(max, count),
            Err(RepoError::Refused(ImagesRefused::Gone)) => CatalogError::NotFound,
            Err(RepoError::Unexpected(error)) => error.into(),
        };
        for image in &images {
            if let Err(error) = self.ports.blobs.delete(&image.key).await {
                tracing::warn!(%error, key = image.key, "orphan image not deleted");
            }
        }
        Err(refused)
    }

    pub async fn remove_image(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        image: ImageId,
    ) -> Result<(), CatalogError> {
        let service = self.owned(actor, id_or_slug, false).await?;
        let key = self
            .ports
            .services
            .remove_image(service.id, image, ServiceStatus::PendingReview, self.now())
            .await?
            .ok_or(CatalogError::NotFound)?;
        self.forget(&[service_key(service.id), CATEGORIES_KEY.to_owned()])
            .await;
        if let Err(error) = self.ports.blobs.delete(&key).await {
            tracing::warn!(%error, key, "removed image not deleted from storage");
        }
        Ok(())
    }
}

fn too_many(max: usize, current: usize) -> CatalogError {
    ValidationErrors::single(
        "files",
        format!("A service has at most {max} images; it has {current}"),
    )
    .into()
}
