use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use krika_kernel::ports::blob::validate_key;
use krika_kernel::ports::{Blob, BlobError, BlobStore};

use crate::lock;

/// Objects in a map; URLs point at `memory://`.
#[derive(Default)]
pub struct MemoryBlobStore {
    objects: Mutex<HashMap<String, Blob>>,
}

impl MemoryBlobStore {
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = lock(&self.objects).keys().cloned().collect();
        keys.sort();
        keys
    }
}

#[async_trait]
impl BlobStore for MemoryBlobStore {
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        validate_key(key)?;
        let blob = Blob {
            bytes,
            content_type: content_type.to_owned(),
        };
        lock(&self.objects).insert(key.to_owned(), blob);
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        validate_key(key)?;
        Ok(lock(&self.objects).get(key).cloned())
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        validate_key(key)?;
        lock(&self.objects).remove(key);
        Ok(())
    }

    fn public_url(&self, key: &str) -> String {
        format!("memory://{key}")
    }

    async fn signed_url(&self, key: &str, ttl: Duration) -> Result<String, BlobError> {
        validate_key(key)?;
        Ok(format!("memory://{key}?ttl={}", ttl.as_secs()))
    }

    async fn ping(&self) -> Result<(), BlobError> {
        Ok(())
    }
}
