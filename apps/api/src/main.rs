use krika_api::config::Config;
use krika_api::{server, telemetry};

// A request allocates and frees many small buffers across threads; glibc's allocator took
// about 13 % of the API's CPU under load (perf); with mimalloc, uncached service pages
// went from 7 600 to 11 000 req/s (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(2);
        }
    };
    telemetry::init(config.log_json);
    server::run(config).await
}
