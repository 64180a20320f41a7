//! Statements kept prepared on their connection.
//!
//! diesel prepares anew, on every call, any statement it cannot prove has one SQL text:
//! every `INSERT` (a column may be `DEFAULT`), every `UPDATE` (a changeset may skip
//! fields), `ON CONFLICT … DO UPDATE`, and all raw SQL. On PostgreSQL that is a round trip
//! to parse and describe the statement, then its planning, before the round trip that runs
//! it. [`Keep::kept`] marks a statement whose text is fixed (or takes a few shapes):
//! diesel-async then caches it by its text and bind types, like any `SELECT`, and the next
//! call on the connection only binds and executes.
//!
//! Never for a statement whose text grows with its input (a batch `INSERT` of any number
//! of rows, literals written into the SQL): each new text would stay in the cache for the
//! life of the connection.

use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};

/// A statement kept prepared; see the module's documentation.
#[derive(Debug, Clone, Copy)]
pub struct Kept<Q>(Q);

pub trait Keep: Sized {
    /// Keeps this statement prepared on its connection (cached by its SQL text).
    fn kept(self) -> Kept<Self> {
        Kept(self)
    }
}

impl<Q: QueryFragment<Pg>> Keep for Q {}

impl<Q> QueryId for Kept<Q> {
    // No static id: the cache is keyed by the statement's text, so each shape is its own.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Kept<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q: Query> Query for Kept<Q> {
    type SqlType = Q::SqlType;
}
