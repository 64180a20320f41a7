//! `krika-cli seed`: a realistic demo marketplace (French-speaking West Africa) — approved
//! sellers with their KYC files, optional clients, and services spread over every leaf
//! category.
//!
//! Built for volume: rows are generated in Rust, column by column, and each batch goes to
//! PostgreSQL as ONE statement (`krika_postgres::bulk`, which alone knows the tables) in
//! its own transaction; two connections insert in parallel so the database computes the
//! generated search columns on both cores while Rust prepares the next batch. The sample
//! data is in `vocabulary.rs`, people in `people.rs`, services in `services.rs`.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use krika_kernel::slug::slugify;
use krika_postgres::bulk::{self, Leaf};
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::seq::{IndexedRandom, SliceRandom};
use serde_json::json;
use uuid::Uuid;

/// The password of every seeded account.
pub const DEMO_PASSWORD: &str = "demo-password";
/// Seeded accounts all have an address at this domain.
pub const DEMO_EMAIL_DOMAIN: &str = "demo.2krika.com";

#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// Approved sellers to create (each with an approved KYC file).
    #[arg(long, default_value_t = 50)]
    pub sellers: usize,
    /// Services to create, spread over every leaf category.
    #[arg(long, default_value_t = 500)]
    pub services: usize,
    /// Clients (buyers) to create.
    #[arg(long, default_value_t = 0)]
    pub clients: usize,
    /// Orders to place and walk through every state, with reviews, offers and payouts
    /// (needs clients). The first run also names the demo accounts.
    #[arg(long, default_value_t = 0)]
    pub orders: usize,
    /// Do nothing when the `services` table already has rows.
    #[arg(long)]
    pub if_empty: bool,
    /// Rows per INSERT statement (and per transaction).
    #[arg(long, default_value_t = 2000, hide = true)]
    pub batch_size: usize,
    /// Connections inserting services in parallel.
    #[arg(long, default_value_t = 2, hide = true)]
    pub jobs: usize,
}

/// Seeds people and services; `false` when `--if-empty` found services already.
mod people;
mod services;
mod vocabulary;

use people::{Person, generate_people, insert_people};
use services::{Plan, Seller};

pub async fn run(url: &str, args: &SeedArgs) -> anyhow::Result<bool> {
    let started = Instant::now();
    let batch = args.batch_size.max(1);
    let mut conn = connect(url).await?;

    // The blog has its own "empty" test, so a database seeded before the blog existed gets
    // its posts too.
    let posts = crate::blog::seed(url).await?;
    if posts > 0 {
        println!("seeded {posts} blog posts");
    }
    if args.if_empty && bulk::has_services(&mut conn).await? {
        println!("services already present: nothing seeded (--if-empty)");
        return Ok(false);
    }
    if args.services > 0 && args.sellers == 0 {
        anyhow::bail!("--services needs at least one seller (--sellers)");
    }
    if args.orders > 0 && (args.clients == 0 || args.services == 0) {
        anyhow::bail!("--orders needs clients (--clients) and services (--services)");
    }

    let leaves = bulk::leaf_categories(&mut conn).await?;
    if args.services > 0 && leaves.is_empty() {
        anyhow::bail!("no categories: run `krika-cli migrate` first");
    }
    // Numbered after the users already there, so a second run never reuses a username.
    let offset = bulk::count_users(&mut conn).await? as usize;

    // One bcrypt hash for every account: hashing 2 000 times would take minutes.
    let password_hash = tokio::task::spawn_blocking(|| bcrypt::hash(DEMO_PASSWORD, 10))
        .await?
        .context("bcrypt")?;

    let now = Utc::now();
    let mut people = generate_people(args.sellers, args.clients, offset, &leaves, now);
    if args.orders > 0 {
        name_demo_accounts(&mut conn, &mut people).await?;
    }
    let t_users = Instant::now();
    for chunk in people.chunks(batch) {
        insert_people(&mut conn, chunk, &password_hash).await?;
    }
    let users_secs = t_users.elapsed().as_secs_f64();

    let sellers: Vec<Seller> = people
        .iter()
        .filter(|p| p.seller)
        .map(Seller::new)
        .collect();
    let plan = Arc::new(Plan::new(sellers, leaves, now));

    let t_services = Instant::now();
    let total = args.services;
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..args.jobs.clamp(1, 8).min(total.div_ceil(batch).max(1)) {
        let (plan, next, done, url) = (plan.clone(), next.clone(), done.clone(), url.to_owned());
        workers.push(tokio::spawn(async move {
            let mut conn = connect(&url).await?;
            let mut inserted = 0usize;
            loop {
                let start = next.fetch_add(batch, Ordering::Relaxed);
                if start >= total {
                    break;
                }
                let end = (start + batch).min(total);
                let rows = plan.services(start..end);
                inserted += bulk::insert_services(&mut conn, rows)
                    .await
                    .context("inserting services")?;
                let before = done.fetch_add(end - start, Ordering::Relaxed);
                let step = (total / 10).max(batch);
                if (before + end - start) / step > before / step && before + end - start < total {
                    eprintln!(
                        "  {} / {total} services ({:.1} s)",
                        before + end - start,
                        t_services.elapsed().as_secs_f64()
                    );
                }
            }
            Ok::<usize, anyhow::Error>(inserted)
        }));
    }
    let mut inserted = 0;
    for worker in workers {
        inserted += worker.await??;
    }
    let services_secs = t_services.elapsed().as_secs_f64();

    let t_analyze = Instant::now();
    bulk::settle_after_load(&mut conn)
        .await
        .context("storing seller ratings and statistics")?;
    let analyze_secs = t_analyze.elapsed().as_secs_f64();

    if inserted < total {
        eprintln!(
            "note: {} service(s) skipped (slug already taken)",
            total - inserted
        );
    }
    println!(
        "seeded {inserted} services for {} sellers{} in {:.1} s \
         (users {users_secs:.1} s, services {services_secs:.1} s, analyze {analyze_secs:.1} s); \
         every account's password is {DEMO_PASSWORD:?}",
        args.sellers,
        if args.clients > 0 {
            format!(" and {} clients", args.clients)
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64(),
    );
    Ok(true)
}

/// The first seller and the first client become the demo accounts of the README, unless
/// they exist already.
async fn name_demo_accounts(
    conn: &mut AsyncPgConnection,
    people: &mut [Person],
) -> anyhow::Result<()> {
    use crate::market::{DEMO_CLIENT, DEMO_SELLER};
    let emails = [DEMO_SELLER.0, DEMO_CLIENT.0];
    let usernames = [DEMO_SELLER.1, DEMO_CLIENT.1];
    if bulk::any_user_named(conn, &emails, &usernames).await? {
        return Ok(());
    }
    for ((email, username), seller) in [(DEMO_SELLER, true), (DEMO_CLIENT, false)] {
        if let Some(person) = people.iter_mut().find(|p| p.seller == seller) {
            person.email = email.to_owned();
            person.username = username.to_owned();
        }
    }
    Ok(())
}

async fn connect(url: &str) -> anyhow::Result<AsyncPgConnection> {
    let mut conn = AsyncPgConnection::establish(url)
        .await
        .context("cannot connect to DATABASE_URL")?;
    // Big batches: no statement timeout; a lost commit only loses demo rows.
    conn.batch_execute(
        "SET statement_timeout = 0; SET synchronous_commit = off; \
         SET application_name = 'krika-cli seed'; SET TIME ZONE 'UTC';",
    )
    .await?;
    Ok(conn)
}
