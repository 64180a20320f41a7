//! HTTP tests: the real app on a real port, on real PostgreSQL, Redis, disk and SMTP, each
//! test with its own database and Redis key prefix. One binary for the whole crate.

mod admin;
mod auth;
mod blog;
mod catalog;
mod errors;
mod helpers;
mod kyc;
mod messages;
mod money;
mod ops;
mod orders;
mod owasp;
mod realtime;
mod search;
mod users;
mod webhooks;
