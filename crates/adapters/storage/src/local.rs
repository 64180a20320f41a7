//! Objects as files under a root folder, for development and single-machine setups.
//!
//! Layout: the bytes of `key` live at `root/<key>` (so the folder can be inspected or
//! served as is) and its content type in `root/<key>~content-type`. Keys are made of
//! `[A-Za-z0-9._-]` segments, so a name containing `~` can never be an object or a folder
//! of another key: sidecars and temporary files cannot collide with objects.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ports::blob::validate_key;
use krika_kernel::ports::{Blob, BlobError, BlobStore};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use crate::signing::UrlSigner;

/// Appended to an object's path to name the file holding its content type.
const META_SUFFIX: &str = "~content-type";
/// Appended (with a random id) to a path to name the file written before its rename.
const TMP_MARKER: &str = "~tmp-";
/// Served for an object whose sidecar is missing (e.g. a file copied in by hand).
const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// A [`BlobStore`] on local disk. Public objects are served by the HTTP app at
/// `{public_base_url}/files/{key}`, private ones at `{public_base_url}/files/signed/{key}`
/// with an expiry and an HMAC signature that the app checks with [`Self::verify_signed`].
pub struct LocalBlobStore {
    root: PathBuf,
    public_base_url: String,
    signer: UrlSigner,
}

impl LocalBlobStore {
    /// Opens (creating it if needed) the folder `root`. `public_base_url` is where the HTTP
    /// app is reachable (e.g. `http://localhost:8000`); `signing_key` signs expiring URLs and
    /// must not be empty, or anyone could forge them.
    pub fn new(
        root: PathBuf,
        public_base_url: String,
        signing_key: Vec<u8>,
    ) -> Result<Self, BlobError> {
        if signing_key.is_empty() {
            return Err(
                Unexpected::msg("the local blob store needs a non-empty signing key").into(),
            );
        }
        std::fs::create_dir_all(&root).map_err(|e| io_error("creating", &root, e))?;
        Ok(Self {
            root,
            public_base_url: public_base_url.trim_end_matches('/').to_owned(),
            signer: UrlSigner::new(signing_key),
        })
    }

    /// The base URL given at construction, without a trailing slash.
    pub fn public_base_url(&self) -> &str {
        &self.public_base_url
    }

    /// True when `signature` was issued by [`BlobStore::signed_url`] for this `key` and
    /// `expires` (unix seconds), and `now_unix` is not past `expires`. Malformed input
    /// (bad key, non-hex signature) is simply refused.
    pub fn verify_signed(&self, key: &str, expires: i64, signature: &str, now_unix: i64) -> bool {
        validate_key(key).is_ok()
            && now_unix <= expires
            && self.signer.verify(key, expires, signature)
    }

    fn object_path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    fn meta_path(&self, key: &str) -> PathBuf {
        with_suffix(&self.object_path(key), META_SUFFIX)
    }
}

impl fmt::Debug for LocalBlobStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalBlobStore")
            .field("root", &self.root)
            .field("public_base_url", &self.public_base_url)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl BlobStore for LocalBlobStore {
    /// Writes the content type, then the bytes, each through a temporary file renamed into
    /// place, so a reader never sees a half-written object.
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        validate_key(key)?;
        let object = self.object_path(key);
        if let Some(parent) = object.parent() {
            tokio::fs::create_dir_all(parent)
                .await
                .map_err(|e| io_error("creating", parent, e))?;
        }
        let meta = self.meta_path(key);
        write_atomically(&meta, content_type.as_bytes())
            .await
            .map_err(|e| io_error("writing", &meta, e))?;
        write_atomically(&object, &bytes)
            .await
            .map_err(|e| io_error("writing", &object, e))?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        validate_key(key)?;
        let object = self.object_path(key);
        let bytes = match tokio::fs::read(&object).await {
            Ok(bytes) => bytes,
            Err(e) if is_absent(&e) => return Ok(None),
            Err(e) => return Err(io_error("reading", &object, e)),
        };
        let meta = self.meta_path(key);
        let content_type = match tokio::fs::read_to_string(&meta).await {
            Ok(content_type) => content_type,
            Err(e) if is_absent(&e) => DEFAULT_CONTENT_TYPE.to_owned(),
            Err(e) => return Err(io_error("reading", &meta, e)),
        };
        Ok(Some(Blob {
            bytes,
            content_type,
        }))
    }

    /// Removes the bytes first so the object disappears at once, then its sidecar.
    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        validate_key(key)?;
        for path in [self.object_path(key), self.meta_path(key)] {
            match tokio::fs::remove_file(&path).await {
                Ok(()) => {}
                Err(e) if is_absent(&e) => {}
                Err(e) => return Err(io_error("removing", &path, e)),
            }
        }
        Ok(())
    }

    fn public_url(&self, key: &str) -> String {
        format!("{}/files/{key}", self.public_base_url)
    }

    async fn signed_url(&self, key: &str, ttl: Duration) -> Result<String, BlobError> {
        validate_key(key)?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(Unexpected::new)?;
        let expires =
            i64::try_from(now.as_secs().saturating_add(ttl.as_secs())).unwrap_or(i64::MAX);
        let signature = self.signer.sign(key, expires)?;
        Ok(format!(
            "{}/files/signed/{key}?expires={expires}&signature={signature}",
            self.public_base_url
        ))
    }

    async fn ping(&self) -> Result<(), BlobError> {
        let metadata = tokio::fs::metadata(&self.root)
            .await
            .map_err(|e| io_error("checking", &self.root, e))?;
        if !metadata.is_dir() {
            return Err(Unexpected::msg(format!("{} is not a folder", self.root.display())).into());
        }
        if metadata.permissions().readonly() {
            return Err(Unexpected::msg(format!("{} is read-only", self.root.display())).into());
        }
        Ok(())
    }
}

/// Writes `bytes` to a temporary sibling of `path`, flushes it, then renames it over
/// `path` (atomic on one file system). The temporary file is removed on failure.
async fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = with_suffix(path, &format!("{TMP_MARKER}{}", Uuid::new_v4().simple()));
    let result = async {
        let mut file = tokio::fs::File::create(&tmp).await?;
        file.write_all(bytes).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&tmp, path).await
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    result
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Errors that mean "no such object": the path is missing, is a folder (another key's
/// prefix), or goes through a file (another key is a prefix of this one).
fn is_absent(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::IsADirectory | io::ErrorKind::NotADirectory
    )
}

fn io_error(action: &str, path: &Path, error: io::Error) -> BlobError {
    let message = format!("{action} {}: {error}", path.display());
    Unexpected::new(io::Error::new(error.kind(), message)).into()
}
