//! Reading one file field from a multipart body without ever holding more than the limit.

use actix_multipart::Multipart;
use futures_util::TryStreamExt;

use crate::error::ApiError;

/// The bytes of the field named `name`; other fields are skipped. Over `limit` bytes is a
/// 413 as soon as the limit is passed.
pub async fn read_file_field(
    mut multipart: Multipart,
    name: &str,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let malformed = |e: actix_multipart::MultipartError| {
        ApiError::bad_request(format!("Malformed multipart body: {e}"))
    };
    while let Some(mut field) = multipart.try_next().await.map_err(malformed)? {
        if field.name() != Some(name) {
            while field.try_next().await.map_err(malformed)?.is_some() {}
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(malformed)? {
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::payload_too_large(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(bytes);
    }
    Err(ApiError::validation(vec![krika_kernel::FieldError::new(
        name,
        "File is required",
    )]))
}
