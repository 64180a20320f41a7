//! Stopping the server. Sockets get their 1001 close before the HTTP server stops: actix
//! waits for open connections to end (a socket never ends by itself), then drops them
//! without a close frame.

use std::sync::Arc;

use actix_web::dev::ServerHandle;

use super::RealtimeHub;

/// Waits for SIGINT or SIGTERM, closes every socket, then stops the server gracefully.
pub async fn on_signal(hub: Arc<RealtimeHub>, server: ServerHandle) {
    stop_requested().await;
    tracing::info!("stopping: closing real-time sockets, then the HTTP server");
    hub.shutdown().await;
    server.stop(true).await;
}

async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
                return;
            }
            Err(error) => tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl-C stops"),
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
