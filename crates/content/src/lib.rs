//! Content: TIKONNA's blog. Admins write posts in Markdown; everyone reads the published
//! ones as sanitised HTML, found by a slug that survives title changes.
//!
//! Use cases live on [`Content`]; storage, files and the clock are reached through the
//! ports in [`ports`].

pub mod error;
pub mod model;
pub mod ports;
pub mod render;
mod service;

pub use error::ContentError;
pub use model::*;
pub use service::{Content, ContentConfig, ContentPorts, ListParams, Viewer};
