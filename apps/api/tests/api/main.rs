//! HTTP tests: the real app on a real port, on real PostgreSQL, Redis, disk and SMTP, each
//! test with its own database and Redis key prefix. One binary for the whole crate.

mod auth;
mod errors;
mod helpers;
mod ops;
mod users;
