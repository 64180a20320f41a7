//! Catalog: the category tree and the services sellers offer, their moderation, listing
//! and search.
//!
//! Use cases live on [`Catalog`]; storage, cache, files and the clock are reached through
//! the ports in [`ports`].

pub mod error;
pub mod model;
pub mod ports;
mod service;
pub mod subscribers;

pub use error::CatalogError;
pub use model::*;
pub use service::{Actor, Catalog, CatalogConfig, CatalogPorts, ListParams};
