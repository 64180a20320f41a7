//! Errors shared by every domain: field-level validation failures and the opaque
//! "something outside broke" cause that the HTTP layer renders as a 500.

use std::fmt;

/// One failing field, named as the client sent it (`camelCase`, `packages[0].price`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Every field that failed, one entry each.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("validation failed: {}", .0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>().join(", "))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, message)])
    }

    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Keeps the value when parsing succeeded, records the failure otherwise.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing failed.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

/// A failure of something outside the domain (database, network, disk). Its message is
/// for logs only; clients see an opaque `INTERNAL_ERROR`.
pub struct Unexpected {
    cause: Box<dyn std::error::Error + Send + Sync + 'static>,
    unavailable: bool,
}

impl Unexpected {
    pub fn new(cause: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        Self {
            cause: cause.into(),
            unavailable: false,
        }
    }

    pub fn msg(message: impl fmt::Display) -> Self {
        Self::new(message.to_string())
    }

    /// A backing service could not be reached at all (rendered as 503, not 500).
    pub fn unavailable(
        cause: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            cause: cause.into(),
            unavailable: true,
        }
    }

    pub fn is_unavailable(&self) -> bool {
        self.unavailable
    }

    /// The same failure for another caller (one load shared by several): its message and
    /// whether it means unavailable.
    pub fn copy(&self) -> Self {
        Self {
            cause: self.to_string().into(),
            unavailable: self.unavailable,
        }
    }
}

impl fmt::Debug for Unexpected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.cause, f)
    }
}

impl fmt::Display for Unexpected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.cause, f)?;
        let mut source = self.cause.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl std::error::Error for Unexpected {}

impl ValidationErrors {
    /// One failing field as a whole error.
    pub fn from_one(error: FieldError) -> Self {
        Self(vec![error])
    }
}

/// A title as every domain takes it (docs/errors.md: names and titles are trimmed): required,
/// then `chars` characters long once trimmed.
pub fn trimmed_title(
    raw: Option<&str>,
    chars: std::ops::RangeInclusive<usize>,
) -> Result<String, FieldError> {
    let Some(title) = raw.map(str::trim) else {
        return Err(FieldError::new("title", "Title is required"));
    };
    if chars.contains(&title.chars().count()) {
        Ok(title.to_owned())
    } else {
        Err(FieldError::new(
            "title",
            format!(
                "Title must be between {} and {} characters",
                chars.start(),
                chars.end()
            ),
        ))
    }
}

/// How a repository operation that the data itself may refuse fails: `Refused` with the
/// reason in domain words (the wallet does not cover it, the status the row had moved on
/// to), or `Unexpected`. Each such port operation names its own error type as an alias
/// (`PlaceOrderError = RepoError<InsufficientFunds>`), so callers match one level.
#[derive(Debug, thiserror::Error)]
pub enum RepoError<R: std::fmt::Debug> {
    #[error("refused: {0:?}")]
    Refused(R),
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}
