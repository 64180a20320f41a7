//! The 2Krika HTTP API: a thin shell that parses requests, calls the domain's use cases and
//! renders the contract's envelopes.

pub mod app;
pub mod cache;
pub mod client_ip;
pub mod config;
pub mod dto;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod middleware;
pub mod openapi;
mod openapi_presence;
mod openapi_shared;
pub mod outbox;
pub mod realtime;
pub mod routes;
pub mod server;
pub mod state;
pub mod telemetry;
pub mod workers;
