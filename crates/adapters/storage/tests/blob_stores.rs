//! One test binary for every BlobStore adapter: a shared contract suite run against the
//! local-disk store, a real S3-compatible server and the in-memory store, plus tests of
//! what only one adapter does (signed URLs above all).
//!
//! The S3 tests need a server: set TEST_S3_ENDPOINT (e.g. `http://127.0.0.1:59010`),
//! TEST_S3_ACCESS_KEY, TEST_S3_SECRET_KEY and optionally TEST_S3_REGION (default
//! `us-east-1`). Without TEST_S3_ENDPOINT they fail rather than pass silently.

#[path = "blob_stores/contract.rs"]
mod contract;
#[path = "blob_stores/local.rs"]
mod local;
#[path = "blob_stores/memory.rs"]
mod memory;
#[path = "blob_stores/s3.rs"]
mod s3;
