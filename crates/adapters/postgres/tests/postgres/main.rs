//! The PostgreSQL adapters against a real server, each test in its own database.

mod catalog;
mod content;
mod idempotency;
mod identity;
mod messaging;
mod migrations;
mod outbox;
mod pool;
mod webhooks;
