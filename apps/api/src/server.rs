//! Running the server: migrations, wiring, background tasks, HTTP.

use std::time::Duration;

use actix_web::HttpServer;

use crate::app::{self, Metrics};
use crate::config::Config;
use crate::state::{AppState, Overrides};

pub async fn run(config: Config) -> anyhow::Result<()> {
    if config.auto_migrate {
        let applied = krika_postgres::migrations::run(&config.database_url).await?;
        tracing::info!(count = applied.len(), ?applied, "migrations applied");
    }
    let address = (config.host.clone(), config.port);
    let state = AppState::build(config, Overrides::default()).await?;
    let metrics = Metrics::new()?;

    let observed = (metrics.clone(), state.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            observed.0.observe_all(&observed.1).await;
        }
    });

    crate::workers::spawn(state.clone());

    tracing::info!(host = %address.0, port = address.1, "serving; Swagger UI at /docs/");
    let realtime = state.realtime.clone();
    let server = HttpServer::new(move || app::build(state.clone(), metrics.clone()))
        .bind(address)?
        .shutdown_timeout(10)
        // Our handler closes the sockets (1001) before actix waits for connections to end.
        .disable_signals()
        .run();
    tokio::spawn(crate::realtime::shutdown::on_signal(
        realtime.clone(),
        server.handle(),
    ));
    server.await?;
    realtime.shutdown().await;
    Ok(())
}
