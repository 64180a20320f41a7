//! Reading one file field from a multipart body without ever holding more than the limit.

use actix_multipart::Multipart;
use futures_util::TryStreamExt;

use crate::error::ApiError;

/// The bytes of the field named `name`; any other field is refused (422, as
/// [`Form::only`]). Over `limit` bytes is a 413 as soon as the limit is passed.
pub async fn read_file_field(
    mut multipart: Multipart,
    name: &str,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let malformed = |e: actix_multipart::MultipartError| {
        ApiError::bad_request(format!("Malformed multipart body: {e}"))
    };
    let mut file = None;
    while let Some(mut field) = multipart.try_next().await.map_err(malformed)? {
        if field.name() != Some(name) || file.is_some() {
            let other = field.name().unwrap_or_default().to_owned();
            return Err(ApiError::validation(vec![krika_kernel::FieldError::new(
                other,
                format!("unknown or repeated field; this form has one {name}"),
            )]));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(malformed)? {
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::payload_too_large(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        file = Some(bytes);
    }
    file.ok_or_else(|| {
        ApiError::validation(vec![krika_kernel::FieldError::new(
            name,
            "File is required",
        )])
    })
}

/// A whole multipart form: short text fields and file fields, in order.
#[derive(Debug, Default)]
pub struct Form {
    pub texts: Vec<(String, String)>,
    pub files: Vec<FilePart>,
}

/// A file part: the field it came in, and what the client said about it.
#[derive(Debug)]
pub struct FilePart {
    pub field: String,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Form {
    /// Refuses a part whose name the form does not have (the spec says
    /// `additionalProperties: false`): a 422 naming it, never silently dropped.
    pub fn only(self, names: &[&str]) -> Result<Self, ApiError> {
        let texts = self.texts.iter().map(|(n, _)| n);
        let files = self.files.iter().map(|f| &f.field);
        match texts.chain(files).find(|n| !names.contains(&n.as_str())) {
            Some(name) => Err(ApiError::validation(vec![krika_kernel::FieldError::new(
                name.clone(),
                format!("unknown field; this form has {}", names.join(", ")),
            )])),
            None => Ok(self),
        }
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    /// Removes and returns the first file sent under `name`.
    pub fn take_file(&mut self, name: &str) -> Option<Vec<u8>> {
        let at = self.files.iter().position(|f| f.field == name)?;
        Some(self.files.remove(at).bytes)
    }

    /// Every file sent under `name`.
    pub fn take_files(&mut self, name: &str) -> Vec<Vec<u8>> {
        self.take_parts(name).into_iter().map(|f| f.bytes).collect()
    }

    /// Every file sent under `name`, with its name and declared type.
    pub fn take_parts(&mut self, name: &str) -> Vec<FilePart> {
        let (matching, rest) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|f| f.field == name);
        self.files = rest;
        matching
    }
}

/// Reads a form whose parts with a file name are files (each at most `file_limit` bytes,
/// at most `max_files` of them) and the others short text fields.
pub async fn read_form(
    multipart: Multipart,
    file_limit: usize,
    max_files: usize,
) -> Result<Form, ApiError> {
    // Room for a 5000-character message in any script.
    const TEXT_LIMIT: usize = 32 * 1024;
    read_form_with(multipart, file_limit, max_files, TEXT_LIMIT).await
}

/// [`read_form`] with text fields of up to `text_limit` bytes each.
pub async fn read_form_with(
    mut multipart: Multipart,
    file_limit: usize,
    max_files: usize,
    text_limit: usize,
) -> Result<Form, ApiError> {
    let malformed = |e: actix_multipart::MultipartError| {
        ApiError::bad_request(format!("Malformed multipart body: {e}"))
    };
    let mut form = Form::default();
    while let Some(mut field) = multipart.try_next().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_owned);
        let is_file = file_name.is_some();
        let content_type = field
            .content_type()
            .map(|m| m.essence_str().to_owned())
            .unwrap_or_else(|| "application/octet-stream".into());
        let limit = if is_file { file_limit } else { text_limit };
        if is_file && form.files.len() >= max_files {
            return Err(ApiError::validation(vec![krika_kernel::FieldError::new(
                name,
                format!("At most {max_files} files per request"),
            )]));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(malformed)? {
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::payload_too_large(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            form.files.push(FilePart {
                field: name,
                file_name: file_name.unwrap_or_default(),
                content_type,
                bytes,
            });
        } else {
            let text = String::from_utf8(bytes)
                .map_err(|_| ApiError::bad_request(format!("Field {name} is not UTF-8 text")))?;
            // PostgreSQL cannot store NUL in text (see `middleware::text_guard`).
            if text.contains('\0') {
                let message = format!("{name} must not contain the NUL character");
                return Err(ApiError::validation(vec![krika_kernel::FieldError::new(
                    name, message,
                )]));
            }
            form.texts.push((name, text));
        }
    }
    Ok(form)
}
