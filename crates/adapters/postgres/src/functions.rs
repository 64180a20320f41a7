//! SQL functions as typed expressions. A statement that holds raw SQL (`diesel::dsl::sql`)
//! is never kept prepared by diesel, so PostgreSQL plans it on every call; typed ones are
//! prepared once per connection.

use diesel::sql_types::{Nullable, Timestamptz};

diesel::define_sql_function! {
    /// `coalesce(a, b)` for a moment: the first of the two that is set.
    #[sql_name = "coalesce"]
    fn coalesce_time(a: Nullable<Timestamptz>, b: Timestamptz) -> Nullable<Timestamptz>;
}
