//! The embedded migrations of `migrations/`, applied at start-up and by `krika-cli migrate`.

use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use krika_kernel::Unexpected;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../../migrations");

/// Any number, the same in every process: the key of the migration lock.
const MIGRATION_LOCK: i64 = 7_272_001;

/// Applies pending migrations; returns the versions applied. Instances starting together
/// take turns (a session advisory lock): the first migrates, the others find nothing to do.
pub async fn run(url: &str) -> Result<Vec<String>, Unexpected> {
    let url = url.to_owned();
    // The sync migration harness blocks: keep it off the async threads.
    tokio::task::spawn_blocking(move || {
        use diesel::{Connection, RunQueryDsl};
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(Unexpected::unavailable)?;
        diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
            .execute(&mut conn)
            .map_err(Unexpected::new)?;
        let applied: Result<Vec<String>, Unexpected> = conn
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.into_iter().map(|v| v.to_string()).collect())
            .map_err(Unexpected::new);
        // Released with the connection anyway; unlocking says so.
        let _ = diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
            .execute(&mut conn);
        applied
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

/// Reverts the last applied migration; returns its version (the migration test walks
/// down and up one step at a time).
pub async fn revert_last(url: &str) -> Result<String, Unexpected> {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(Unexpected::unavailable)?;
        let version = conn
            .revert_last_migration(MIGRATIONS)
            .map_err(Unexpected::new)?;
        Ok(version.to_string())
    })
    .await
    .map_err(Unexpected::new)?
}

/// Applies the next pending migration; returns its version.
pub async fn run_next(url: &str) -> Result<String, Unexpected> {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(Unexpected::unavailable)?;
        let pending = conn
            .pending_migrations(MIGRATIONS)
            .map_err(Unexpected::new)?;
        let next = pending
            .first()
            .ok_or_else(|| Unexpected::msg("no pending migration"))?;
        let version = conn.run_migration(next.as_ref()).map_err(Unexpected::new)?;
        Ok(version.to_string())
    })
    .await
    .map_err(Unexpected::new)?
}

/// A fingerprint of `migrations/` (file names and contents), computed at build time.
pub const FINGERPRINT: &str = env!("KRIKA_MIGRATIONS_FINGERPRINT");

/// [`FINGERPRINT`] together with the versions embedded in this binary. A migration
/// directory added since the last build can reach the build script's hash before the
/// embedded list (incremental builds), and a test template named by the hash alone would
/// then be built without it and kept.
pub fn fingerprint() -> String {
    use diesel::migration::MigrationSource;
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    FINGERPRINT.hash(&mut hasher);
    let embedded = MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS).unwrap_or_default();
    for migration in embedded {
        migration.name().to_string().hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}
