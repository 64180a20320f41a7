//! The in-memory store that domain tests use must keep the same contract.

use krika_memory::MemoryBlobStore;

use crate::contract::check_blob_store;

#[tokio::test]
async fn memory_store_meets_the_contract() {
    check_blob_store(&MemoryBlobStore::default()).await;
}
