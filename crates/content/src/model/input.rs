//! Validating what an admin sends: every failure named by its field.

use krika_kernel::{FieldError, ValidationErrors};

use super::post::{Post, PostStatus};

/// The limits, in one place (the OpenAPI schema repeats them).
pub mod limits {
    /// Characters, after trimming.
    pub const TITLE: std::ops::RangeInclusive<usize> = 1..=200;
    /// Characters of Markdown.
    pub const CONTENT: std::ops::RangeInclusive<usize> = 1..=100_000;
}

/// A whole post as sent on creation, unchecked.
#[derive(Debug, Clone, Default)]
pub struct PostInput {
    pub title: Option<String>,
    pub content: Option<String>,
    pub status: Option<String>,
}

/// A partial edit: `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct PostPatch {
    pub title: Option<String>,
    pub content: Option<String>,
    pub status: Option<String>,
}

/// What an admin writes about a post, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostFields {
    pub title: String,
    pub content: String,
    pub status: PostStatus,
}

impl PostFields {
    pub fn parse(input: PostInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = errors.check(parse_title(input.title.as_deref()));
        let content = errors.check(parse_content(input.content.as_deref()));
        let status = errors.check(parse_status(input.status.as_deref()));
        Self::assemble(title, content, status, errors)
    }

    /// An edit laid over the current post.
    pub fn patch(current: &Post, patch: PostPatch) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = match patch.title {
            Some(title) => errors.check(parse_title(Some(&title))),
            None => Some(current.title.clone()),
        };
        let content = match patch.content {
            Some(content) => errors.check(parse_content(Some(&content))),
            None => Some(current.content.clone()),
        };
        let status = match patch.status {
            Some(status) => errors.check(parse_status(Some(&status))),
            None => Some(current.status),
        };
        Self::assemble(title, content, status, errors)
    }
}

impl PostFields {
    /// Every `None` recorded an error, so a post comes out only when nothing failed.
    fn assemble(
        title: Option<String>,
        content: Option<String>,
        status: Option<PostStatus>,
        errors: ValidationErrors,
    ) -> Result<Self, ValidationErrors> {
        match (title, content, status) {
            (Some(title), Some(content), Some(status)) if errors.is_empty() => Ok(Self {
                title,
                content,
                status,
            }),
            _ => Err(errors),
        }
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn parse_title(raw: Option<&str>) -> Result<String, FieldError> {
    krika_kernel::error::trimmed_title(raw, limits::TITLE)
}

/// Stored exactly as sent; blank content is refused.
fn parse_content(raw: Option<&str>) -> Result<String, FieldError> {
    match raw {
        None => Err(FieldError::new("content", "Content is required")),
        Some(text) if text.trim().is_empty() => {
            Err(FieldError::new("content", "Content is required"))
        }
        Some(text) if chars(text) > *limits::CONTENT.end() => Err(FieldError::new(
            "content",
            format!(
                "Content must be at most {} characters",
                limits::CONTENT.end()
            ),
        )),
        Some(text) => Ok(text.to_owned()),
    }
}

fn parse_status(raw: Option<&str>) -> Result<PostStatus, FieldError> {
    match raw.map(str::trim) {
        None => Err(FieldError::new("status", "Status is required")),
        Some(text) => PostStatus::parse(text)
            .ok_or_else(|| FieldError::new("status", "Status must be draft or published")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: &ValidationErrors) -> Vec<&str> {
        errors.0.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn every_failure_names_its_field() {
        let errors = PostFields::parse(PostInput::default()).unwrap_err();
        assert_eq!(fields(&errors), ["title", "content", "status"]);
        let errors = PostFields::parse(PostInput {
            title: Some("   ".into()),
            content: Some("x".repeat(100_001)),
            status: Some("archived".into()),
        })
        .unwrap_err();
        assert_eq!(fields(&errors), ["title", "content", "status"]);
    }

    #[test]
    fn titles_are_trimmed_and_counted_in_characters() {
        let post = PostFields::parse(PostInput {
            title: Some(format!("  {}  ", "é".repeat(200))),
            content: Some(" Du *Markdown* ".into()),
            status: Some("draft".into()),
        })
        .unwrap();
        assert_eq!(post.title, "é".repeat(200));
        assert_eq!(post.content, " Du *Markdown* ");
        assert_eq!(post.status, PostStatus::Draft);
        let too_long = PostFields::parse(PostInput {
            title: Some("é".repeat(201)),
            content: Some("x".into()),
            status: Some("published".into()),
        })
        .unwrap_err();
        assert_eq!(fields(&too_long), ["title"]);
    }
}
