//! Webhooks (docs/webhooks.md): admins register partner endpoints; every outbox event of a
//! kind an endpoint subscribes to becomes a delivery, signed the Standard Webhooks way and
//! retried on a schedule of about three days until the partner answers 2xx.
//!
//! Pure, like the other domains: the HTTP client (with its SSRF-safe resolution) and the
//! storage are ports. A separate crate from messaging because partners are not users: their
//! endpoints, secrets and delivery logs have nothing in common with conversations.

pub mod catalogue;
pub mod error;
pub mod model;
pub mod ports;
pub mod schedule;
mod service;
pub mod signing;
pub mod ssrf;
pub mod subscriber;

pub use error::WebhookError;
pub use model::*;
pub use service::{Admin, EndpointChanges, Webhooks, WebhooksConfig, WebhooksPorts, body};
