//! Objects in a bucket of an S3-compatible server (AWS S3, MinIO, s3s-fs…), through
//! rust-s3. Requests use path-style URLs (`{endpoint}/{bucket}/{key}`), which every
//! S3-compatible server understands, unlike virtual-host buckets.

use std::fmt;
use std::time::Duration;

use ::s3::creds::Credentials;
use ::s3::error::S3Error;
use ::s3::{Bucket, BucketConfiguration, Region};
use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ports::blob::validate_key;
use krika_kernel::ports::{Blob, BlobError, BlobStore};

/// A readiness probe should answer quickly rather than wait for the 60 s default.
const PING_TIMEOUT: Duration = Duration::from_secs(5);
/// Served for an object stored without a content type.
const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// Where the bucket lives and how to reach it.
#[derive(Clone)]
pub struct S3Config {
    /// Base URL of the server, e.g. `http://127.0.0.1:9000` or `https://s3.eu-west-3.amazonaws.com`.
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
    /// Base URL under which `public/` objects are served (a CDN, or the bucket made public);
    /// `{endpoint}/{bucket}` when absent.
    pub public_url: Option<String>,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("bucket", &self.bucket)
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("public_url", &self.public_url)
            .finish()
    }
}

/// A [`BlobStore`] backed by one S3 bucket.
pub struct S3BlobStore {
    bucket: Box<Bucket>,
    /// The same bucket with a short timeout, for [`BlobStore::ping`].
    probe: Box<Bucket>,
    public_base_url: String,
}

impl S3BlobStore {
    /// Connects to the bucket, creating it when it does not exist yet, so a fresh
    /// development or test server needs no setup.
    pub async fn connect(config: S3Config) -> Result<Self, BlobError> {
        let endpoint = config.endpoint.trim_end_matches('/').to_owned();
        let region = Region::Custom {
            region: config.region.clone(),
            endpoint: endpoint.clone(),
        };
        let credentials = Credentials::new(
            Some(&config.access_key),
            Some(&config.secret_key),
            None,
            None,
            None,
        )
        .map_err(unexpected)?;
        let bucket = Bucket::new(&config.bucket, region, credentials)
            .map_err(unexpected)?
            .with_path_style();
        let probe = bucket
            .with_request_timeout(PING_TIMEOUT)
            .map_err(unexpected)?;
        let public_base_url = match &config.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("{endpoint}/{}", config.bucket),
        };
        let store = Self {
            bucket,
            probe,
            public_base_url,
        };
        store.ensure_bucket().await?;
        Ok(store)
    }

    /// Creates the bucket. `BucketAlreadyOwnedByYou` is success. Any other refusal
    /// (`BucketAlreadyExists`, which some servers answer for one's own bucket and AWS for
    /// someone else's; a refused location constraint; credentials that may use a bucket but
    /// not create one) is success only when the bucket then answers a listing.
    async fn ensure_bucket(&self) -> Result<(), BlobError> {
        let created = Bucket::create_with_path_style(
            &self.bucket.name,
            self.bucket.region.clone(),
            self.bucket.credentials().await.map_err(unexpected)?,
            BucketConfiguration::default(),
        )
        .await;
        let refusal = match created {
            Ok(response) if response.success() => return Ok(()),
            Ok(response) => {
                S3Error::HttpFailWithBody(response.response_code, response.response_text)
            }
            Err(error) => error,
        };
        if let S3Error::HttpFailWithBody(_, body) = &refusal
            && body.contains("BucketAlreadyOwnedByYou")
        {
            return Ok(());
        }
        match self.ping().await {
            Ok(()) => {
                let bucket = &self.bucket.name;
                tracing::debug!(%bucket, error = %refusal, "bucket not created but usable");
                Ok(())
            }
            Err(_) => Err(unexpected(refusal)),
        }
    }
}

impl fmt::Debug for S3BlobStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3BlobStore")
            .field("bucket", &self.bucket.name)
            .field("endpoint", &self.bucket.region.endpoint())
            .field("public_base_url", &self.public_base_url)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl BlobStore for S3BlobStore {
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        validate_key(key)?;
        self.bucket
            .put_object_with_content_type(key, &bytes, content_type)
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        validate_key(key)?;
        match self.bucket.get_object(key).await {
            Ok(response) => {
                let content_type = response
                    .headers()
                    .get("content-type")
                    .cloned()
                    .unwrap_or_else(|| DEFAULT_CONTENT_TYPE.to_owned());
                Ok(Some(Blob {
                    bytes: response.to_vec(),
                    content_type,
                }))
            }
            Err(error) if is_not_found(&error) => Ok(None),
            Err(error) => Err(unexpected(error)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        validate_key(key)?;
        match self.bucket.delete_object(key).await {
            Ok(_) => Ok(()),
            Err(error) if is_not_found(&error) => Ok(()),
            Err(error) => Err(unexpected(error)),
        }
    }

    fn public_url(&self, key: &str) -> String {
        format!("{}/{key}", self.public_base_url)
    }

    /// A SigV4 presigned GET; S3 caps its lifetime at one week.
    async fn signed_url(&self, key: &str, ttl: Duration) -> Result<String, BlobError> {
        validate_key(key)?;
        let expiry_secs = u32::try_from(ttl.as_secs())
            .map_err(|_| Unexpected::msg(format!("signed URL lifetime too long: {ttl:?}")))?;
        self.bucket
            .presign_get(key, expiry_secs, None)
            .await
            .map_err(unexpected)
    }

    /// Lists at most one key: cheap, and it fails when the server is down, the
    /// credentials are wrong or the bucket is gone.
    async fn ping(&self) -> Result<(), BlobError> {
        self.probe
            .list_page(String::new(), None, None, None, Some(1))
            .await
            .map_err(unexpected)?;
        Ok(())
    }
}

fn is_not_found(error: &S3Error) -> bool {
    matches!(error, S3Error::HttpFailWithBody(404, _))
}

fn unexpected(error: impl Into<S3Error>) -> BlobError {
    BlobError::Unexpected(Unexpected::new(error.into()))
}
