//! Turning diesel errors into domain words.

use diesel::result::{DatabaseErrorKind, Error};
use krika_kernel::Unexpected;

/// The constraint a unique violation broke, if that is what happened.
pub fn unique_violation(error: &Error) -> Option<&str> {
    match error {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => info.constraint_name(),
        _ => None,
    }
}

pub fn unexpected(error: Error) -> Unexpected {
    Unexpected::new(error)
}

/// `text` with LIKE's wildcards escaped, to be matched literally.
pub fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
