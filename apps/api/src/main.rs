use krika_api::config::Config;
use krika_api::{server, telemetry};

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
