//! Object storage: uploaded images, KYC documents, delivery files.
//!
//! Keys are `/`-separated paths. Keys under `public/` may be served to anyone at
//! [`BlobStore::public_url`]; every other key is private and reachable only through a
//! [`BlobStore::signed_url`] that expires.

use std::time::Duration;

use async_trait::async_trait;

use crate::error::Unexpected;

/// The prefix of keys that anyone may read.
pub const PUBLIC_PREFIX: &str = "public/";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The key is not a safe relative path (empty, `..`, absolute, odd characters).
    #[error("invalid blob key: {0}")]
    InvalidKey(String),
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// Checks that a key is a plain relative path of `[A-Za-z0-9._-]` segments.
pub fn validate_key(key: &str) -> Result<(), BlobError> {
    let ok = !key.is_empty()
        && key.len() <= 512
        && key.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        });
    if ok {
        Ok(())
    } else {
        Err(BlobError::InvalidKey(key.to_owned()))
    }
}

#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Stores (or replaces) the object at `key`.
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError>;

    /// The object at `key`, or `None` when there is none.
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError>;

    /// Removes the object; removing a missing object is not an error.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;

    /// Where anyone can read a `public/` object.
    fn public_url(&self, key: &str) -> String;

    /// A URL that serves the object until `ttl` has passed, then nothing.
    async fn signed_url(&self, key: &str, ttl: Duration) -> Result<String, BlobError>;

    /// Answers when the store is reachable (readiness probe).
    async fn ping(&self) -> Result<(), BlobError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_plain_relative_paths() {
        assert!(validate_key("public/avatars/a-b_c.png").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "a/../b",
            "a//b",
            "a/./b",
            "a b",
            "a\\b",
            "é",
        ] {
            assert!(validate_key(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
