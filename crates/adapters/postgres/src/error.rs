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

/// A stored ISO 4217 code (a `currency` column) as the domain's type.
pub fn currency(code: &str) -> Result<krika_kernel::Currency, Unexpected> {
    krika_kernel::Currency::parse(code)
        .ok_or_else(|| Unexpected::msg(format!("stored currency {code:?} is not an ISO 4217 code")))
}
