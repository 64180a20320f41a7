//! Object storage adapters implementing [`krika_kernel::ports::BlobStore`].
//!
//! - [`S3BlobStore`] talks to any S3-compatible server (AWS, MinIO, s3s-fs…) through
//!   rust-s3; it is what production runs on.
//! - [`LocalBlobStore`] keeps objects in a folder on local disk, for development and
//!   single-machine setups; the HTTP app serves its files and checks its signed URLs with
//!   [`LocalBlobStore::verify_signed`].

mod local;
mod s3;
mod signing;

pub use crate::local::LocalBlobStore;
pub use crate::s3::{S3BlobStore, S3Config};
