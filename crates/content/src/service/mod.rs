//! The blog use cases.

mod reading;
mod writing;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use krika_kernel::Clock;
use krika_kernel::ids::UserId;
use krika_kernel::ports::BlobStore;

use crate::error::ContentError;
use crate::ports::PostRepository;

pub use reading::ListParams;

/// Who is calling, as far as the blog cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub id: UserId,
    pub is_admin: bool,
}

#[derive(Debug, Clone)]
pub struct ContentConfig {
    pub image_max_bytes: usize,
}

impl Default for ContentConfig {
    fn default() -> Self {
        Self {
            image_max_bytes: 5 * 1024 * 1024,
        }
    }
}

#[derive(Clone)]
pub struct ContentPorts {
    pub posts: Arc<dyn PostRepository>,
    pub blobs: Arc<dyn BlobStore>,
    pub clock: Arc<dyn Clock>,
}

/// The blog use cases, cheap to clone.
#[derive(Clone)]
pub struct Content {
    ports: ContentPorts,
    config: Arc<ContentConfig>,
}

impl Content {
    pub fn new(ports: ContentPorts, config: ContentConfig) -> Self {
        Self {
            ports,
            config: Arc::new(config),
        }
    }

    pub fn config(&self) -> &ContentConfig {
        &self.config
    }

    /// Where a stored image is served.
    pub fn public_url(&self, key: &str) -> String {
        self.ports.blobs.public_url(key)
    }

    fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }
}

fn require_admin(viewer: &Viewer) -> Result<(), ContentError> {
    if viewer.is_admin {
        Ok(())
    } else {
        Err(ContentError::AdminOnly)
    }
}
