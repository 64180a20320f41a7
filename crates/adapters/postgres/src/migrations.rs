//! The embedded migrations of `migrations/`, applied at start-up and by `krika-cli migrate`.

use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use krika_kernel::Unexpected;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../../migrations");

/// Applies pending migrations; returns the versions applied.
pub async fn run(url: &str) -> Result<Vec<String>, Unexpected> {
    let url = url.to_owned();
    // The sync migration harness blocks: keep it off the async threads.
    tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(Unexpected::unavailable)?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(Unexpected::new)?;
        Ok(applied.into_iter().map(|v| v.to_string()).collect())
    })
    .await
    .map_err(Unexpected::new)?
}

/// Reverts every migration (used by the test that checks each `down.sql`).
pub async fn revert_all(url: &str) -> Result<usize, Unexpected> {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(Unexpected::unavailable)?;
        let reverted = conn
            .revert_all_migrations(MIGRATIONS)
            .map_err(Unexpected::new)?;
        Ok(reverted.len())
    })
    .await
    .map_err(Unexpected::new)?
}

/// A fingerprint of `migrations/` (file names and contents), computed at build time.
pub const FINGERPRINT: &str = env!("KRIKA_MIGRATIONS_FINGERPRINT");
