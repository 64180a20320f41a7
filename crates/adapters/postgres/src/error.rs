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

/// A failure the domain has no word for. Losing the database (a restart, a failover, a
/// connection cut) or a statement it cancelled for running past `statement_timeout` (the
/// database too busy, or the query too costly for now) is `unavailable`, which clients get
/// as a 503 to retry; anything else is a bug or a broken invariant, a 500.
pub fn unexpected(error: Error) -> Unexpected {
    if unavailable_now(&error) {
        Unexpected::unavailable(error)
    } else {
        Unexpected::new(error)
    }
}

fn unavailable_now(error: &Error) -> bool {
    // What the server says while it shuts down or starts (SQLSTATE 57P01-57P03), and when
    // it cancels a statement past its timeout (57014); diesel files these under `Unknown`
    // and keeps only the message.
    const GOING_AWAY: [&str; 7] = [
        "connection closed",
        "server closed the connection",
        "terminating connection",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "canceling statement due to statement timeout",
    ];
    match error {
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => true,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            GOING_AWAY.iter().any(|m| info.message().contains(m))
        }
        _ => false,
    }
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

#[cfg(test)]
mod tests {
    use diesel::result::DatabaseErrorInformation;

    use super::*;

    struct Said(&'static str);

    impl DatabaseErrorInformation for Said {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn error(kind: DatabaseErrorKind, message: &'static str) -> Error {
        Error::DatabaseError(kind, Box::new(Said(message)))
    }

    #[test]
    fn a_database_going_away_is_unavailable_and_a_bug_is_not() {
        let gone = [
            error(DatabaseErrorKind::ClosedConnection, "connection closed"),
            error(
                DatabaseErrorKind::Unknown,
                "terminating connection due to administrator command",
            ),
            error(
                DatabaseErrorKind::Unknown,
                "the database system is starting up",
            ),
            // What diesel-async reports for a connection the server dropped.
            error(DatabaseErrorKind::Unknown, "connection closed"),
            // A search over a million services past `statement_timeout` (make bench).
            error(
                DatabaseErrorKind::Unknown,
                "canceling statement due to statement timeout",
            ),
        ];
        for e in gone {
            assert!(unexpected(e).is_unavailable());
        }
        let bugs = [
            error(DatabaseErrorKind::Unknown, "column \"nope\" does not exist"),
            error(DatabaseErrorKind::UniqueViolation, "duplicate key"),
            Error::NotFound,
        ];
        for e in bugs {
            assert!(!unexpected(e).is_unavailable());
        }
    }
}
