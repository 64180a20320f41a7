//! krika-cli: operations that never go through the public API.

use anyhow::Context;
use clap::{Parser, Subcommand};
use krika_cli::{market, seed};
use krika_crypto::BcryptHasher;
use krika_postgres::{Db, DbConfig, PgIdentityStore, migrations};

#[derive(Parser)]
#[command(name = "krika-cli", version, about = "2Krika operations")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending database migrations (DATABASE_URL).
    Migrate,
    /// Create an admin, or reset its password if the email already exists.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, env = "ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long, default_value = "Administrateur")]
        name: String,
    },
    /// Fill the database with a demo marketplace: approved sellers (with KYC files),
    /// clients and services over every leaf category. Password of every account:
    /// `demo-password`.
    Seed(seed::SeedArgs),
    /// Print the OpenAPI document.
    Openapi,
    /// Check the ledger's invariants against the live tables (entries sum to zero overall
    /// and per transaction, balances match their entries, no negative wallet or escrow,
    /// escrows match their orders); exits 1 naming each broken rule.
    CheckLedger,
    /// Run the background work without serving HTTP: the outbox dispatcher (notifications,
    /// e-mails, real-time frames, counters), auto-completion, unread-message e-mails.
    /// Safe beside API instances that run the same work (leases and row locks share it).
    Worker,
    /// Real-time load: sockets over the given API instances, messages posted over HTTP,
    /// latency from POST to the recipient's frame (`make bench` runs it).
    BenchRealtime(krika_cli::bench_realtime::BenchArgs),
}

fn database_url() -> anyhow::Result<String> {
    std::env::var("DATABASE_URL").context("DATABASE_URL is not set")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _ = dotenvy::dotenv();
    match Cli::parse().command {
        Command::Migrate => {
            let applied = migrations::run(&database_url()?).await?;
            println!("{} migration(s) applied", applied.len());
        }
        Command::CreateAdmin {
            email,
            password,
            name,
        } => {
            let db = Db::connect(&DbConfig::new(database_url()?))?;
            let cost = std::env::var("BCRYPT_COST")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(12);
            let users = PgIdentityStore::new(db);
            let hasher = BcryptHasher::new(cost)?;
            let now = chrono::Utc::now();
            let admin =
                krika_identity::provision_admin(&users, &hasher, &email, &password, &name, now)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("admin {} ({}) ready", admin.email, admin.id);
        }
        Command::Seed(args) => {
            let url = database_url()?;
            if seed::run(&url, &args).await? && args.orders > 0 {
                let config = krika_api::config::Config::from_env()
                    .map_err(|e| anyhow::anyhow!("configuration: {}", e.0.join("; ")))?;
                let state = krika_api::state::AppState::build(config, Default::default()).await?;
                let s = market::run(&state, &url, args.orders).await?;
                println!(
                    "seeded {} orders ({} completed, {} reviews), {} offers, {} payouts, \
                     {} messages; demo accounts {} and {}",
                    s.orders,
                    s.completed,
                    s.reviews,
                    s.offers,
                    s.payouts,
                    s.messages,
                    market::DEMO_CLIENT.0,
                    market::DEMO_SELLER.0
                );
            }
        }
        Command::Worker => {
            let config = krika_api::config::Config::from_env()
                .map_err(|e| anyhow::anyhow!("configuration: {}", e.0.join("; ")))?;
            krika_api::telemetry::init(config.log_json);
            let state = krika_api::state::AppState::build(config, Default::default()).await?;
            krika_api::workers::spawn(state);
            tracing::info!("worker running: outbox dispatcher and periodic passes");
            tokio::signal::ctrl_c().await?;
            tracing::info!("worker stopping");
        }
        Command::BenchRealtime(args) => {
            let report = krika_cli::bench_realtime::run(&args).await?;
            println!("{report}");
        }
        Command::CheckLedger => {
            let db = Db::connect(&DbConfig::new(database_url()?))?;
            let broken = krika_postgres::audit::ledger_violations(&db).await?;
            if !broken.is_empty() {
                anyhow::bail!("ledger invariants broken: {}", broken.join("; "));
            }
            println!("the ledger holds");
        }
        Command::Openapi => {
            print!(
                "{}",
                krika_api::openapi::to_json(&krika_api::openapi::document())
            );
        }
    }
    Ok(())
}
