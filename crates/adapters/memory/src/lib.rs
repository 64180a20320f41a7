//! In-memory adapters: every port without a server, for domain tests and tools.
//! They keep the same promises as the real adapters (atomic multi-step methods, unique
//! emails, a ledger that balances), so the domain tests mean something.

mod blobs;
mod catalog;
mod content;
mod idempotency;
mod identity;
mod infra;
mod ledger;
mod market;
mod marketplace;
mod messaging;
mod outbox;
mod webhooks;

pub use blobs::MemoryBlobStore;
pub use catalog::{MemoryCache, MemoryCatalogStore};
pub use content::MemoryContentStore;
pub use idempotency::MemoryIdempotencyStore;
pub use identity::{MemoryIdentityStore, PlainHasher};
pub use infra::{MemoryDenylist, MemoryMailer, MemoryRateLimiter};
pub use ledger::LedgerEntry;
pub use market::MemoryMarket;
pub use marketplace::Marketplace;
pub use messaging::{MemoryMessaging, MemoryRealtime};
pub use outbox::MemoryOutbox;
pub use webhooks::MemoryWebhooks;

/// Locks a mutex, carrying on after a panic elsewhere (tests only see the data).
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// One page of an already filtered and sorted list.
fn paginate<T>(all: Vec<T>, request: krika_kernel::PageRequest) -> krika_kernel::Page<T> {
    let total = all.len() as u64;
    let items = all
        .into_iter()
        .skip(request.offset() as usize)
        .take(request.limit() as usize)
        .collect();
    krika_kernel::Page {
        items,
        request,
        total,
    }
}
