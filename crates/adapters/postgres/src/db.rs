//! The connection pool.

use std::time::Duration;

use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use futures_util::FutureExt;
use krika_kernel::Unexpected;

#[derive(Debug, Clone)]
pub struct DbConfig {
    pub url: String,
    pub max_connections: usize,
    /// Longest a single statement may run before PostgreSQL cancels it.
    pub statement_timeout: Duration,
    pub application_name: String,
    /// `false` lets commits return before their WAL reaches the disk. Only for writes
    /// whose loss in a database crash is harmless: the outbox dispatcher's claims and
    /// acknowledgements (a lost one means an event is delivered again, which subscribers
    /// allow). Never for money, orders or anything a user wrote.
    pub synchronous_commit: bool,
}

impl DbConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            statement_timeout: Duration::from_secs(10),
            application_name: "krika-api".into(),
            synchronous_commit: true,
        }
    }
}

/// Pool occupancy, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStatus {
    pub max_size: usize,
    pub size: usize,
    pub available: usize,
    pub waiting: usize,
}

#[derive(Clone)]
pub struct Db {
    pool: Pool<AsyncPgConnection>,
}

impl Db {
    pub fn connect(config: &DbConfig) -> Result<Self, Unexpected> {
        let setup = format!(
            "SET statement_timeout = {}; SET application_name = '{}'; SET TIME ZONE 'UTC'; \
             SET synchronous_commit = {};",
            config.statement_timeout.as_millis(),
            config.application_name.replace('\'', ""),
            if config.synchronous_commit {
                "on"
            } else {
                "off"
            },
        );
        let mut manager_config = ManagerConfig::<AsyncPgConnection>::default();
        // No `SELECT 1` per checkout: a connection the server closed is seen as closed by
        // its driver task, and one broken by an error is dropped on return (`is_broken`);
        // a request that meets a dead connection fails once and the pool replaces it.
        manager_config.recycling_method = RecyclingMethod::Fast;
        manager_config.custom_setup = Box::new(move |url| {
            let setup = setup.clone();
            async move {
                let mut conn = AsyncPgConnection::establish(url).await?;
                conn.batch_execute(&setup)
                    .await
                    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(conn)
            }
            .boxed()
        });
        let manager =
            AsyncDieselConnectionManager::new_with_config(config.url.clone(), manager_config);
        let pool = Pool::builder(manager)
            .max_size(config.max_connections)
            .runtime(deadpool::Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(5)))
            .create_timeout(Some(Duration::from_secs(5)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(Unexpected::new)?;
        Ok(Self { pool })
    }

    /// A pooled connection; a database that cannot be reached is `unavailable`.
    pub async fn conn(&self) -> Result<Object<AsyncPgConnection>, Unexpected> {
        self.pool.get().await.map_err(Unexpected::unavailable)
    }

    /// `SELECT 1`, for readiness.
    pub async fn ping(&self) -> Result<(), Unexpected> {
        let mut conn = self.conn().await?;
        diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .await
            .map_err(crate::error::unexpected)?;
        Ok(())
    }

    pub fn status(&self) -> PoolStatus {
        let status = self.pool.status();
        PoolStatus {
            max_size: status.max_size,
            size: status.size,
            available: status.available,
            waiting: status.waiting,
        }
    }
}
