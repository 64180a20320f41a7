//! `krika-cli seed`: a realistic demo marketplace (French-speaking West Africa) — approved
//! sellers with their KYC files, optional clients, and services spread over every leaf
//! category.
//!
//! Built for volume: rows are generated in Rust, column by column, and each batch goes to
//! PostgreSQL as ONE statement (`INSERT … SELECT … FROM unnest($1::uuid[], $2::text[], …)`)
//! in its own transaction; two connections insert in parallel so the database computes the
//! generated search columns on both cores while Rust prepares the next batch.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::sql_types as st;
use diesel::sql_types::Array;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use krika_kernel::slug::slugify;
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
    if args.if_empty {
        let existing: CountRow =
            diesel::sql_query("SELECT count(*) AS n FROM (SELECT 1 FROM services LIMIT 1) s")
                .get_result(&mut conn)
                .await?;
        if existing.n > 0 {
            println!("services already present: nothing seeded (--if-empty)");
            return Ok(false);
        }
    }
    if args.services > 0 && args.sellers == 0 {
        anyhow::bail!("--services needs at least one seller (--sellers)");
    }
    if args.orders > 0 && (args.clients == 0 || args.services == 0) {
        anyhow::bail!("--orders needs clients (--clients) and services (--services)");
    }

    let leaves: Vec<LeafRow> = diesel::sql_query(
        "SELECT c.id, c.slug, c.name FROM categories c \
         LEFT JOIN categories p ON p.id = c.parent_id \
         WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id) \
         ORDER BY p.position, p.slug, c.position, c.slug",
    )
    .load(&mut conn)
    .await?;
    if args.services > 0 && leaves.is_empty() {
        anyhow::bail!("no categories: run `krika-cli migrate` first");
    }
    // Numbered after the users already there, so a second run never reuses a username.
    let offset: CountRow = diesel::sql_query("SELECT count(*) AS n FROM users")
        .get_result(&mut conn)
        .await?;
    let offset = offset.n as usize;

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
                inserted += insert_services(&mut conn, rows).await?;
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
    krika_postgres::refresh_seller_ratings(&mut conn)
        .await
        .context("storing seller ratings")?;
    // VACUUM sets the visibility map, so counts can be answered from indexes alone; it
    // must run on its own, outside any transaction block.
    conn.batch_execute("VACUUM (ANALYZE) services").await?;
    conn.batch_execute("ANALYZE users; ANALYZE kyc_submissions;")
        .await?;
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
    let taken: CountRow = diesel::sql_query(
        "SELECT count(*) AS n FROM users WHERE email IN ($1, $2) OR username IN ($3, $4)",
    )
    .bind::<st::Text, _>(DEMO_SELLER.0)
    .bind::<st::Text, _>(DEMO_CLIENT.0)
    .bind::<st::Text, _>(DEMO_SELLER.1)
    .bind::<st::Text, _>(DEMO_CLIENT.1)
    .get_result(conn)
    .await?;
    if taken.n > 0 {
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

#[derive(diesel::QueryableByName)]
struct CountRow {
    #[diesel(sql_type = st::BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName, Clone)]
struct LeafRow {
    #[diesel(sql_type = st::Uuid)]
    id: Uuid,
    #[diesel(sql_type = st::Text)]
    slug: String,
    #[diesel(sql_type = st::Text)]
    name: String,
}

// ---------------------------------------------------------------------------------------
// People: sellers (with KYC) and clients.

struct Person {
    id: Uuid,
    seller: bool,
    female: bool,
    first_name: &'static str,
    last_name: &'static str,
    country: &'static Country,
    city: &'static str,
    email: String,
    username: String,
    bio: Option<String>,
    phone: Option<String>,
    /// The phone given in the KYC file (sellers).
    kyc_phone: String,
    birth: NaiveDate,
    created_at: DateTime<Utc>,
    step1_at: DateTime<Utc>,
    submitted_at: DateTime<Utc>,
    reviewed_at: DateTime<Utc>,
    /// Years of experience (sellers' bio and descriptions).
    years: u32,
    /// Indexes into the leaf categories: where a seller publishes most, and next.
    main_leaf: usize,
    second_leaf: usize,
}

fn generate_people(
    sellers: usize,
    clients: usize,
    offset: usize,
    leaves: &[LeafRow],
    now: DateTime<Utc>,
) -> Vec<Person> {
    let mut rng = rand::rng();
    let weights = WeightedIndex::new(COUNTRIES.iter().map(|c| c.weight)).expect("weights");
    let mut people = Vec::with_capacity(sellers + clients);
    for i in 0..sellers + clients {
        let seller = i < sellers;
        let country = &COUNTRIES[weights.sample(&mut rng)];
        let female = rng.random_bool(0.5);
        let first_name = *if female { FEMALE } else { MALE }
            .choose(&mut rng)
            .expect("names");
        let last_name = *country.last_names.choose(&mut rng).expect("names");
        let n = offset + i + 1;
        let first = slugify(first_name, 40);
        let last = slugify(last_name, 40);
        let email = format!("{first}.{last}.{n}@{DEMO_EMAIL_DOMAIN}").replace('-', "");
        let suffix = format!("_{n}");
        let mut username = format!("{first}_{last}").replace('-', "_");
        username.truncate(30 - suffix.len());
        username.push_str(&suffix);
        let city = *country.cities.choose(&mut rng).expect("cities");
        let years: u32 = rng.random_range(2..13);
        // Sellers joined between two years and a month ago; clients any time.
        let age_days = if seller {
            rng.random_range(30..730)
        } else {
            rng.random_range(1..730)
        };
        let created_at =
            now - Duration::days(age_days) + Duration::seconds(rng.random_range(0..86_400));
        let step1_at = created_at + Duration::minutes(rng.random_range(5..3 * 24 * 60));
        let submitted_at = step1_at + Duration::minutes(rng.random_range(10..2 * 24 * 60));
        let reviewed_at = submitted_at + Duration::minutes(rng.random_range(60..3 * 24 * 60));
        let birth = NaiveDate::from_ymd_opt(
            rng.random_range(1972..2004),
            rng.random_range(1..=12),
            rng.random_range(1..=28),
        )
        .expect("date");
        let phone = if seller || rng.random_bool(0.6) {
            Some(country.phone(&mut rng))
        } else {
            None
        };
        let kyc_phone = phone.clone().unwrap_or_default();
        let main_leaf = rng.random_range(0..leaves.len().max(1));
        // Often the next one in the tree (leaves are listed parent by parent): a sibling.
        let second_leaf = if rng.random_bool(0.6) && leaves.len() > 1 {
            (main_leaf + 1) % leaves.len()
        } else {
            rng.random_range(0..leaves.len().max(1))
        };
        let bio = seller.then(|| {
            let spec = leaves
                .get(main_leaf)
                .and_then(|l| SPECS.iter().find(|s| s.slug == l.slug))
                .unwrap_or(&GENERIC);
            let job = capitalize(spec.job(female));
            let based = if female { "basée" } else { "basé" };
            let line = BIO_LINES.choose(&mut rng).expect("bio");
            format!(
                "{job} {based} à {city}, {years} ans d'expérience et plus de {} clients \
                 satisfaits {}. {line}",
                rng.random_range(2..40) * 5,
                country.in_country,
            )
        });
        people.push(Person {
            id: Uuid::now_v7(),
            seller,
            female,
            first_name,
            last_name,
            country,
            city,
            email,
            username,
            bio,
            phone,
            kyc_phone,
            birth,
            created_at,
            step1_at,
            submitted_at,
            reviewed_at,
            years,
            main_leaf,
            second_leaf,
        });
    }
    people
}

async fn insert_people(
    conn: &mut AsyncPgConnection,
    people: &[Person],
    password_hash: &str,
) -> anyhow::Result<()> {
    let (mut ids, mut emails, mut usernames, mut names, mut bios, mut phones) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut roles, mut kyc, mut created, mut updated) = (vec![], vec![], vec![], vec![]);
    let mut k = KycColumns::default();
    for p in people {
        ids.push(p.id);
        emails.push(p.email.clone());
        usernames.push(p.username.clone());
        names.push(format!("{} {}", p.first_name, p.last_name));
        phones.push(p.phone.clone());
        created.push(p.created_at);
        if p.seller {
            bios.push(p.bio.clone());
            roles.push("seller".to_owned());
            kyc.push("approved".to_owned());
            updated.push(p.reviewed_at);
            let folder = format!("kyc/{}", p.id);
            k.user_id.push(p.id);
            k.first_name.push(p.first_name.to_owned());
            k.last_name.push(p.last_name.to_owned());
            k.birth.push(p.birth);
            k.country.push(p.country.code.to_owned());
            k.phone.push(p.kyc_phone.clone());
            for (keys, name) in [
                (&mut k.front, "front"),
                (&mut k.back, "back"),
                (&mut k.selfie, "selfie"),
            ] {
                keys.push(format!("{folder}/{}-{name}.jpg", Uuid::now_v7().simple()));
            }
            k.step1_at.push(p.step1_at);
            k.submitted_at.push(p.submitted_at);
            k.reviewed_at.push(p.reviewed_at);
        } else {
            bios.push(None);
            roles.push("client".to_owned());
            kyc.push("not_started".to_owned());
            updated.push(p.created_at);
        }
    }
    let users = diesel::sql_query(
        "INSERT INTO users (id, email, username, name, bio, phone, password_hash, role, status, \
                            kyc_status, created_at, updated_at) \
         SELECT u.id, u.email, u.username, u.name, u.bio, u.phone, $7, u.role, 'active', \
                u.kyc, u.created_at, u.updated_at \
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
                     $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[]) \
              AS u(id, email, username, name, bio, phone, role, kyc, created_at, updated_at)",
    )
    .bind::<Array<st::Uuid>, _>(ids)
    .bind::<Array<st::Text>, _>(emails)
    .bind::<Array<st::Text>, _>(usernames)
    .bind::<Array<st::Text>, _>(names)
    .bind::<Array<st::Nullable<st::Text>>, _>(bios)
    .bind::<Array<st::Nullable<st::Text>>, _>(phones)
    .bind::<st::Text, _>(password_hash.to_owned())
    .bind::<Array<st::Text>, _>(roles)
    .bind::<Array<st::Text>, _>(kyc)
    .bind::<Array<st::Timestamptz>, _>(created)
    .bind::<Array<st::Timestamptz>, _>(updated);
    // An approved file names its reviewer: the first admin, when there is one.
    let kyc_files = diesel::sql_query(
        "INSERT INTO kyc_submissions (user_id, first_name, last_name, date_of_birth, country, \
             phone, document_type, document_front_key, document_back_key, selfie_key, step1_at, \
             submitted_at, reviewed_at, reviewed_by, updated_at) \
         SELECT k.user_id, k.first_name, k.last_name, k.birth, k.country, k.phone, 'national_id', \
                k.front, k.back, k.selfie, k.step1_at, k.submitted_at, k.reviewed_at, \
                (SELECT id FROM users WHERE role = 'admin' AND deleted_at IS NULL \
                 ORDER BY created_at LIMIT 1), k.reviewed_at \
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], \
                     $7::text[], $8::text[], $9::text[], $10::timestamptz[], \
                     $11::timestamptz[], $12::timestamptz[]) \
              AS k(user_id, first_name, last_name, birth, country, phone, front, back, selfie, \
                   step1_at, submitted_at, reviewed_at)",
    )
    .bind::<Array<st::Uuid>, _>(k.user_id)
    .bind::<Array<st::Text>, _>(k.first_name)
    .bind::<Array<st::Text>, _>(k.last_name)
    .bind::<Array<st::Date>, _>(k.birth)
    .bind::<Array<st::Text>, _>(k.country)
    .bind::<Array<st::Text>, _>(k.phone)
    .bind::<Array<st::Text>, _>(k.front)
    .bind::<Array<st::Text>, _>(k.back)
    .bind::<Array<st::Text>, _>(k.selfie)
    .bind::<Array<st::Timestamptz>, _>(k.step1_at)
    .bind::<Array<st::Timestamptz>, _>(k.submitted_at)
    .bind::<Array<st::Timestamptz>, _>(k.reviewed_at);
    conn.transaction(async |conn| {
        users.execute(conn).await?;
        kyc_files.execute(conn).await?;
        Ok::<_, diesel::result::Error>(())
    })
    .await
    .context("inserting users")?;
    Ok(())
}

#[derive(Default)]
struct KycColumns {
    user_id: Vec<Uuid>,
    first_name: Vec<String>,
    last_name: Vec<String>,
    birth: Vec<NaiveDate>,
    country: Vec<String>,
    phone: Vec<String>,
    front: Vec<String>,
    back: Vec<String>,
    selfie: Vec<String>,
    step1_at: Vec<DateTime<Utc>>,
    submitted_at: Vec<DateTime<Utc>>,
    reviewed_at: Vec<DateTime<Utc>>,
}

// ---------------------------------------------------------------------------------------
// Services.

/// What a service needs to know about its seller.
struct Seller {
    id: Uuid,
    female: bool,
    first_name: &'static str,
    city: &'static str,
    country: &'static Country,
    years: u32,
    /// Earliest moment a service may have been created: the KYC approval.
    since: DateTime<Utc>,
    main_leaf: usize,
    second_leaf: usize,
}

impl Seller {
    fn new(p: &Person) -> Self {
        Self {
            id: p.id,
            female: p.female,
            first_name: p.first_name,
            city: p.city,
            country: p.country,
            years: p.years,
            since: p.reviewed_at,
            main_leaf: p.main_leaf,
            second_leaf: p.second_leaf,
        }
    }
}

struct Plan {
    sellers: Vec<Seller>,
    seller_weights: WeightedIndex<f64>,
    leaves: Vec<LeafRow>,
    /// `SPECS` index per leaf (`None`: a category this seeder has no texts for).
    specs: Vec<Option<usize>>,
    now: DateTime<Utc>,
}

impl Plan {
    fn new(sellers: Vec<Seller>, leaves: Vec<LeafRow>, now: DateTime<Utc>) -> Self {
        let mut rng = rand::rng();
        // A few sellers publish a lot, most publish a handful.
        let weights: Vec<f64> = (0..sellers.len().max(1))
            .map(|_| 1.0 + 9.0 * rng.random::<f64>().powi(3))
            .collect();
        let specs = leaves
            .iter()
            .map(|l| SPECS.iter().position(|s| s.slug == l.slug))
            .collect();
        Self {
            sellers,
            seller_weights: WeightedIndex::new(weights).expect("weights"),
            leaves,
            specs,
            now,
        }
    }

    /// Services number `range` of the run: the first ones go one to each seller, so every
    /// seller has at least one when there are enough.
    fn services(&self, range: std::ops::Range<usize>) -> ServiceColumns {
        let mut rng = rand::rng();
        let mut c = ServiceColumns::with_capacity(range.len());
        let mut slugs = HashSet::with_capacity(range.len());
        for i in range {
            let seller = if i < self.sellers.len() {
                &self.sellers[i]
            } else {
                &self.sellers[self.seller_weights.sample(&mut rng)]
            };
            let leaf = match rng.random_range(0..100) {
                0..75 => seller.main_leaf,
                75..90 => seller.second_leaf,
                _ => rng.random_range(0..self.leaves.len()),
            };
            self.service(&mut rng, seller, leaf, &mut c, &mut slugs);
        }
        c
    }

    fn service(
        &self,
        rng: &mut impl Rng,
        seller: &Seller,
        leaf: usize,
        c: &mut ServiceColumns,
        slugs: &mut HashSet<String>,
    ) {
        let category = &self.leaves[leaf];
        let spec = match self.specs[leaf] {
            Some(i) => &SPECS[i],
            None => &GENERIC,
        };
        let cat_name = category.name.to_lowercase();
        let fill = |text: &str, rng: &mut dyn rand::RngCore| -> String {
            let (adj_m, adj_f, adj_mp, adj_fp) = *ADJECTIVES.choose(rng).expect("adjectives");
            text.replace("{adjp}", adj_mp)
                .replace("{adjfp}", adj_fp)
                .replace("{adj}", adj_m)
                .replace("{adjf}", adj_f)
                .replace("{adjs}", if seller.female { adj_f } else { adj_m })
                .replace("{job}", spec.job(seller.female))
                .replace("{cat}", &cat_name)
        };

        // Title: "Je vais" + what + (maybe) for whom / how.
        let what = fill(spec.titles.choose(rng).expect("titles"), rng);
        let mut title = format!("Je vais {what}");
        if rng.random_bool(0.85) {
            let has_pour = what.contains(" pour ");
            let contexts: Vec<&&str> = spec
                .contexts
                .iter()
                .chain(GENERIC_CONTEXTS)
                .filter(|c| !(has_pour && c.starts_with("pour ")))
                .collect();
            if let Some(ctx) = contexts.choose(rng) {
                let candidate = format!("{title} {ctx}");
                if candidate.chars().count() <= 120 {
                    title = candidate;
                }
            }
        }

        let id = loop {
            let id = Uuid::now_v7();
            let mut base = slugify(&title, 80);
            if base.is_empty() {
                base = "service".into();
            }
            let hex = id.simple().to_string();
            let slug = format!("{base}-{}", &hex[24..]);
            if slugs.insert(slug.clone()) {
                c.slug.push(slug);
                break id;
            }
        };

        let short = fill(spec.shorts.choose(rng).expect("shorts"), rng);
        let description = self.description(rng, seller, spec, &fill);

        // The category's main tag first, then a few others.
        let n_tags = rng.random_range(1..=4.min(spec.tags.len() - 1));
        let mut tags = vec![spec.tags[0]];
        tags.extend(spec.tags[1..].choose_multiple(rng, n_tags));

        let (packages, starting_price) = packages(rng, spec);
        let extras = extras(rng, spec);

        // Moderation, popularity and dates.
        let status = match rng.random_range(0..100) {
            0..90 => "approved",
            90..97 => "pending_review",
            _ => "rejected",
        };
        let since = seller.since.min(self.now - Duration::hours(2));
        let span = (self.now - since).num_seconds().max(3600);
        let created_at = since + Duration::seconds(rng.random_range(0..span - 3600));
        let age = (self.now - created_at).num_seconds().max(1);
        let updated_at = if status == "approved" {
            created_at + Duration::seconds(rng.random_range(0..age.min(90 * 86_400)))
        } else {
            // pending and rejected services were (re)submitted lately
            (self.now - Duration::seconds(rng.random_range(0..age.min(14 * 86_400))))
                .max(created_at)
        };
        let submitted_at = if status == "approved" {
            created_at
                + Duration::seconds(rng.random_range(0..=(updated_at - created_at).num_seconds()))
        } else {
            updated_at
        };
        let (reviews, rating_total, orders) = if status == "approved" {
            popularity(rng)
        } else {
            (0, 0, 0)
        };

        c.id.push(id);
        c.seller_id.push(seller.id);
        c.category_id.push(category.id);
        c.title.push(title);
        c.short_description.push(short);
        c.description.push(description);
        c.tags_text.push(tags.join(" "));
        c.packages.push(packages.to_string());
        c.extras.push(extras.to_string());
        c.starting_price.push(starting_price);
        c.status.push(status.to_owned());
        c.rejection_reason.push(
            (status == "rejected")
                .then(|| REJECTION_REASONS.choose(rng).expect("reasons").to_string()),
        );
        c.is_available.push(rng.random_bool(0.95));
        c.rating_total.push(rating_total);
        c.reviews_count.push(reviews);
        c.orders_count.push(orders);
        c.submitted_at.push(submitted_at);
        c.created_at.push(created_at);
        c.updated_at.push(updated_at);
    }

    fn description(
        &self,
        rng: &mut impl Rng,
        seller: &Seller,
        spec: &Spec,
        fill: &dyn Fn(&str, &mut dyn rand::RngCore) -> String,
    ) -> String {
        let intro = INTROS
            .choose(rng)
            .expect("intros")
            .replace("{Job}", &capitalize(spec.job(seller.female)))
            .replace("{job}", spec.job(seller.female))
            .replace("{base}", if seller.female { "basée" } else { "basé" })
            .replace("{Base}", if seller.female { "Basée" } else { "Basé" })
            .replace(
                "{passionne}",
                if seller.female {
                    "passionnée"
                } else {
                    "passionné"
                },
            )
            .replace("{first}", seller.first_name)
            .replace("{city}", seller.city)
            .replace("{pays}", seller.country.in_country)
            .replace("{exp}", &seller.years.to_string());
        let count = rng.random_range(2..=3.min(spec.sentences.len()));
        let body: Vec<String> = spec
            .sentences
            .choose_multiple(rng, count)
            .map(|s| fill(s, rng))
            .collect();
        let process = PROCESS.choose(rng).expect("process");
        let closing = CLOSINGS.choose(rng).expect("closings");
        format!("{intro}\n\n{}\n\n{process} {closing}", body.join(" "))
    }
}

/// 1 to 3 packages, Basique < Standard < Premium in price, days and revisions.
fn packages(rng: &mut impl Rng, spec: &Spec) -> (serde_json::Value, i64) {
    let wanted = match rng.random_range(0..100) {
        0..15 => 1,
        15..35 => 2,
        _ => 3,
    };
    let mut features: Vec<&str> = spec.features.to_vec();
    features.shuffle(rng);
    let mut list = Vec::new();
    let mut price = round_500(rng.random_range(spec.price.0..=spec.price.1));
    let mut days = rng.random_range(spec.days.0..=spec.days.1);
    let mut revisions = rng.random_range(0..=2);
    let mut n_features = rng.random_range(2..=3);
    let mut previous = 0;
    for (k, name) in ["Basique", "Standard", "Premium"]
        .iter()
        .enumerate()
        .take(wanted)
    {
        if k > 0 {
            price = round_500((price as f64 * rng.random_range(1.5..2.6)) as i64);
            days += rng.random_range(1..=days.max(2));
            revisions += rng.random_range(1..=3);
            n_features += rng.random_range(1..=2);
        }
        let price = price.clamp(2500, 500_000);
        if price <= previous {
            break;
        }
        previous = price;
        list.push(json!({
            "id": Uuid::now_v7(),
            "name": name,
            "description": PACKAGE_DESCRIPTIONS[k].choose(rng).expect("descriptions"),
            "price": price,
            "deliveryDays": days.clamp(1, 90),
            "revisions": revisions.clamp(0, 20),
            "features": &features[..n_features.min(features.len()).min(10)],
        }));
    }
    // the first package is the cheapest
    let starting = list.as_slice()[0]["price"].as_i64().unwrap_or(2500);
    (serde_json::Value::Array(list), starting)
}

fn extras(rng: &mut impl Rng, spec: &Spec) -> serde_json::Value {
    let n = match rng.random_range(0..100) {
        0..30 => 0,
        30..60 => 1,
        60..85 => 2,
        _ => 3,
    };
    let pool: Vec<&(&str, i64, i32)> = spec.extras.iter().chain(GENERIC_EXTRAS).collect();
    let list: Vec<serde_json::Value> = pool
        .choose_multiple(rng, n)
        .map(|(title, price, days)| {
            json!({
                "id": Uuid::now_v7(),
                "title": title,
                "price": round_500(*price * rng.random_range(1..=2)),
                "deliveryDays": (*days).clamp(0, 30),
            })
        })
        .collect();
    serde_json::Value::Array(list)
}

/// (reviews, sum of stars, orders) of an approved service: many have none yet, a few are
/// very popular; averages lean towards good marks.
fn popularity(rng: &mut impl Rng) -> (i32, i64, i32) {
    if rng.random_bool(0.3) {
        let orders = if rng.random_bool(0.3) {
            rng.random_range(1..4)
        } else {
            0
        };
        return (0, 0, orders);
    }
    let reviews = ((200.0 * rng.random::<f64>().powi(3)) as i32).clamp(1, 200);
    let average = 5.0 - 2.0 * rng.random::<f64>().powf(2.5);
    let total =
        ((reviews as f64 * average).round() as i64).clamp(3 * reviews as i64, 5 * reviews as i64);
    let orders = reviews + rng.random_range(0..=reviews / 2 + 3);
    (reviews, total, orders)
}

fn round_500(price: i64) -> i64 {
    ((price + 250) / 500 * 500).max(2500)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Default)]
struct ServiceColumns {
    id: Vec<Uuid>,
    seller_id: Vec<Uuid>,
    category_id: Vec<Uuid>,
    slug: Vec<String>,
    title: Vec<String>,
    short_description: Vec<String>,
    description: Vec<String>,
    tags_text: Vec<String>,
    packages: Vec<String>,
    extras: Vec<String>,
    starting_price: Vec<i64>,
    status: Vec<String>,
    rejection_reason: Vec<Option<String>>,
    is_available: Vec<bool>,
    rating_total: Vec<i64>,
    reviews_count: Vec<i32>,
    orders_count: Vec<i32>,
    submitted_at: Vec<DateTime<Utc>>,
    created_at: Vec<DateTime<Utc>>,
    updated_at: Vec<DateTime<Utc>>,
}

impl ServiceColumns {
    fn with_capacity(n: usize) -> Self {
        Self {
            id: Vec::with_capacity(n),
            title: Vec::with_capacity(n),
            description: Vec::with_capacity(n),
            ..Default::default()
        }
    }
}

/// One statement for the whole batch; a slug already taken (by an earlier run) skips its
/// row instead of failing the batch. Returns the rows inserted.
async fn insert_services(conn: &mut AsyncPgConnection, c: ServiceColumns) -> anyhow::Result<usize> {
    let query = diesel::sql_query(
        "INSERT INTO services (id, seller_id, category_id, slug, title, short_description, \
             description, tags, tags_text, packages, extras, starting_price, currency, status, \
             rejection_reason, is_available, rating_total, reviews_count, orders_count, \
             submitted_at, created_at, updated_at) \
         SELECT s.id, s.seller_id, s.category_id, s.slug, s.title, s.short_description, \
                s.description, string_to_array(s.tags_text, ' '), s.tags_text, \
                s.packages::jsonb, s.extras::jsonb, s.starting_price, 'XOF', s.status, \
                s.rejection_reason, s.is_available, s.rating_total, s.reviews_count, \
                s.orders_count, s.submitted_at, s.created_at, s.updated_at \
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], \
                     $7::text[], $8::text[], $9::text[], $10::text[], $11::int8[], $12::text[], \
                     $13::text[], $14::bool[], $15::int8[], $16::int4[], $17::int4[], \
                     $18::timestamptz[], $19::timestamptz[], $20::timestamptz[]) \
              AS s(id, seller_id, category_id, slug, title, short_description, description, \
                   tags_text, packages, extras, starting_price, status, rejection_reason, \
                   is_available, rating_total, reviews_count, orders_count, submitted_at, \
                   created_at, updated_at) \
         ON CONFLICT (slug) WHERE deleted_at IS NULL DO NOTHING",
    )
    .bind::<Array<st::Uuid>, _>(c.id)
    .bind::<Array<st::Uuid>, _>(c.seller_id)
    .bind::<Array<st::Uuid>, _>(c.category_id)
    .bind::<Array<st::Text>, _>(c.slug)
    .bind::<Array<st::Text>, _>(c.title)
    .bind::<Array<st::Text>, _>(c.short_description)
    .bind::<Array<st::Text>, _>(c.description)
    .bind::<Array<st::Text>, _>(c.tags_text)
    .bind::<Array<st::Text>, _>(c.packages)
    .bind::<Array<st::Text>, _>(c.extras)
    .bind::<Array<st::BigInt>, _>(c.starting_price)
    .bind::<Array<st::Text>, _>(c.status)
    .bind::<Array<st::Nullable<st::Text>>, _>(c.rejection_reason)
    .bind::<Array<st::Bool>, _>(c.is_available)
    .bind::<Array<st::BigInt>, _>(c.rating_total)
    .bind::<Array<st::Integer>, _>(c.reviews_count)
    .bind::<Array<st::Integer>, _>(c.orders_count)
    .bind::<Array<st::Timestamptz>, _>(c.submitted_at)
    .bind::<Array<st::Timestamptz>, _>(c.created_at)
    .bind::<Array<st::Timestamptz>, _>(c.updated_at);
    let inserted = conn
        .transaction(async |conn| query.execute(conn).await)
        .await
        .context("inserting services")?;
    Ok(inserted)
}

// ---------------------------------------------------------------------------------------
// Vocabulary.

struct Country {
    code: &'static str,
    weight: u32,
    /// "en Côte d'Ivoire", "au Sénégal".
    in_country: &'static str,
    dial: &'static str,
    /// National number: one of these prefixes, then random digits up to `digits`.
    prefixes: &'static [&'static str],
    digits: usize,
    cities: &'static [&'static str],
    last_names: &'static [&'static str],
}

impl Country {
    fn phone(&self, rng: &mut impl Rng) -> String {
        let mut number = format!(
            "+{}{}",
            self.dial,
            self.prefixes.choose(rng).expect("prefix")
        );
        while number.len() < 1 + self.dial.len() + self.digits {
            number.push(char::from(b'0' + rng.random_range(0..10u8)));
        }
        number
    }
}

const COUNTRIES: &[Country] = &[
    Country {
        code: "CI",
        weight: 30,
        in_country: "en Côte d'Ivoire",
        dial: "225",
        prefixes: &["07", "05", "01"],
        digits: 10,
        cities: &[
            "Abidjan",
            "Bouaké",
            "Yamoussoukro",
            "San-Pédro",
            "Daloa",
            "Korhogo",
        ],
        last_names: &[
            "Kouassi",
            "Koné",
            "Yao",
            "Kouadio",
            "N'Guessan",
            "Konan",
            "Bamba",
            "Ouattara",
            "Coulibaly",
            "Aka",
            "Kouamé",
            "Touré",
            "Brou",
            "Gnagne",
            "Zadi",
        ],
    },
    Country {
        code: "SN",
        weight: 22,
        in_country: "au Sénégal",
        dial: "221",
        prefixes: &["77", "78", "76", "70", "75"],
        digits: 9,
        cities: &[
            "Dakar",
            "Thiès",
            "Saint-Louis",
            "Ziguinchor",
            "Touba",
            "Mbour",
        ],
        last_names: &[
            "Diallo", "Ndiaye", "Diop", "Fall", "Sow", "Ba", "Faye", "Sarr", "Gueye", "Mbaye",
            "Seck", "Cissé", "Niang", "Thiam", "Sy",
        ],
    },
    Country {
        code: "ML",
        weight: 10,
        in_country: "au Mali",
        dial: "223",
        prefixes: &["7", "6", "9"],
        digits: 8,
        cities: &["Bamako", "Sikasso", "Ségou", "Kayes", "Mopti"],
        last_names: &[
            "Traoré",
            "Keïta",
            "Coulibaly",
            "Diarra",
            "Touré",
            "Sissoko",
            "Dembélé",
            "Konaté",
            "Sangaré",
            "Maïga",
        ],
    },
    Country {
        code: "BF",
        weight: 9,
        in_country: "au Burkina Faso",
        dial: "226",
        prefixes: &["7", "6", "5"],
        digits: 8,
        cities: &["Ouagadougou", "Bobo-Dioulasso", "Koudougou", "Banfora"],
        last_names: &[
            "Ouédraogo",
            "Sawadogo",
            "Kaboré",
            "Compaoré",
            "Zongo",
            "Ilboudo",
            "Traoré",
            "Kaboré",
            "Sanou",
            "Zoungrana",
        ],
    },
    Country {
        code: "BJ",
        weight: 8,
        in_country: "au Bénin",
        dial: "229",
        prefixes: &["0196", "0197", "0166", "0161", "0151"],
        digits: 10,
        cities: &["Cotonou", "Porto-Novo", "Parakou", "Abomey-Calavi"],
        last_names: &[
            "Houngbédji",
            "Adjovi",
            "Agossou",
            "Dossou",
            "Hounkpatin",
            "Akplogan",
            "Zinsou",
            "Ahouansou",
            "Gbaguidi",
        ],
    },
    Country {
        code: "TG",
        weight: 7,
        in_country: "au Togo",
        dial: "228",
        prefixes: &["90", "91", "92", "70", "99"],
        digits: 8,
        cities: &["Lomé", "Kara", "Sokodé", "Kpalimé"],
        last_names: &[
            "Mensah",
            "Agbodjan",
            "Amouzou",
            "Kodjo",
            "Lawson",
            "Adjavon",
            "Akakpo",
            "Gnassingbé",
        ],
    },
    Country {
        code: "GN",
        weight: 6,
        in_country: "en Guinée",
        dial: "224",
        prefixes: &["62", "61", "65", "66"],
        digits: 9,
        cities: &["Conakry", "Kankan", "Labé", "Nzérékoré"],
        last_names: &[
            "Camara", "Bah", "Barry", "Sylla", "Soumah", "Condé", "Diallo", "Kouyaté",
        ],
    },
    Country {
        code: "CM",
        weight: 6,
        in_country: "au Cameroun",
        dial: "237",
        prefixes: &["65", "67", "69"],
        digits: 9,
        cities: &["Douala", "Yaoundé", "Bafoussam", "Garoua"],
        last_names: &[
            "Mbarga", "Nkoulou", "Fotso", "Tchoupo", "Ngono", "Essomba", "Kamga", "Njoya",
        ],
    },
    Country {
        code: "NE",
        weight: 2,
        in_country: "au Niger",
        dial: "227",
        prefixes: &["9", "8"],
        digits: 8,
        cities: &["Niamey", "Zinder", "Maradi"],
        last_names: &["Issoufou", "Abdou", "Maïga", "Hama", "Moussa", "Garba"],
    },
];

const FEMALE: &[&str] = &[
    "Aminata",
    "Fatou",
    "Awa",
    "Mariam",
    "Aïssatou",
    "Adjoa",
    "Akissi",
    "Ramatoulaye",
    "Khadija",
    "Fanta",
    "Kadiatou",
    "Salimata",
    "Nafissatou",
    "Rokia",
    "Mariame",
    "Grâce",
    "Estelle",
    "Prisca",
    "Murielle",
    "Binta",
    "Ndèye",
    "Coumba",
    "Affoué",
    "Amenan",
    "Djeneba",
    "Oumou",
    "Hadja",
    "Sylvie",
    "Clémence",
    "Josiane",
    "Edwige",
    "Maïmouna",
];

const MALE: &[&str] = &[
    "Moussa",
    "Ibrahim",
    "Kouadio",
    "Mamadou",
    "Cheikh",
    "Ousmane",
    "Abdoulaye",
    "Seydou",
    "Souleymane",
    "Koffi",
    "Kofi",
    "Serge",
    "Hervé",
    "Didier",
    "Arsène",
    "Boubacar",
    "Lamine",
    "Modibo",
    "Issa",
    "Idrissa",
    "Amadou",
    "Jean-Baptiste",
    "Éric",
    "Rodrigue",
    "Fabrice",
    "Yacouba",
    "Aboubacar",
    "Fousseni",
    "Kwami",
    "Sékou",
    "Alassane",
    "Omar",
];

const BIO_LINES: &[&str] = &[
    "Travail soigné, délais respectés et communication claire : c'est ma promesse.",
    "Je réponds rapidement, même le week-end, et je reste disponible après la livraison.",
    "J'accompagne aussi bien les PME que les entrepreneurs qui se lancent.",
    "Disponible pour des projets partout en Afrique francophone et dans la diaspora.",
    "Chaque projet est unique : je prends le temps de comprendre vos besoins avant de commencer.",
    "Titulaire d'un master, je me forme en continu pour vous proposer le meilleur.",
];

/// (masculine, feminine, masculine plural, feminine plural).
const ADJECTIVES: &[(&str, &str, &str, &str)] = &[
    (
        "professionnel",
        "professionnelle",
        "professionnels",
        "professionnelles",
    ),
    ("moderne", "moderne", "modernes", "modernes"),
    ("unique", "unique", "uniques", "uniques"),
    ("élégant", "élégante", "élégants", "élégantes"),
    ("créatif", "créative", "créatifs", "créatives"),
    ("original", "originale", "originaux", "originales"),
    ("soigné", "soignée", "soignés", "soignées"),
    ("sur mesure", "sur mesure", "sur mesure", "sur mesure"),
    ("de qualité", "de qualité", "de qualité", "de qualité"),
    ("impeccable", "impeccable", "impeccables", "impeccables"),
    ("percutant", "percutante", "percutants", "percutantes"),
    (
        "haut de gamme",
        "haut de gamme",
        "haut de gamme",
        "haut de gamme",
    ),
    ("efficace", "efficace", "efficaces", "efficaces"),
    ("attrayant", "attrayante", "attrayants", "attrayantes"),
];

const GENERIC_CONTEXTS: &[&str] = &[
    "pour votre entreprise",
    "pour votre PME",
    "à un prix abordable",
    "rapidement",
];

const INTROS: &[&str] = &[
    "Bonjour et bienvenue ! Je suis {job} {base} à {city}, avec {exp} ans d'expérience.",
    "{Job} depuis {exp} ans, je travaille avec des clients {pays} et dans toute l'Afrique de l'Ouest.",
    "Je m'appelle {first}, {job} {passionne} {base} à {city}.",
    "{Base} à {city}, je suis {job} et j'ai déjà mené à bien des centaines de projets.",
    "Vous cherchez un travail de qualité, livré à temps ? Je suis {job} depuis {exp} ans.",
];

const PROCESS: &[&str] = &[
    "Je commence toujours par un échange pour bien comprendre vos besoins, votre cible et vos délais.",
    "Vous recevez une première version rapidement, puis nous l'ajustons ensemble.",
    "Je vous tiens au courant à chaque étape du projet.",
    "Tous nos échanges se font sur la plateforme, de façon claire et rapide.",
];

const CLOSINGS: &[&str] = &[
    "Contactez-moi avant de commander pour que nous discutions de votre projet.",
    "Je reste disponible après la livraison pour tout ajustement.",
    "Je réponds aux messages en moins de deux heures, du lundi au samedi.",
    "Votre satisfaction est ma priorité : je révise jusqu'à ce que le résultat vous convienne.",
    "Merci de votre confiance, et à très bientôt !",
];

const PACKAGE_DESCRIPTIONS: [&[&str]; 3] = [
    &[
        "L'essentiel pour démarrer rapidement.",
        "Une formule simple et efficace.",
        "Idéal pour découvrir mon travail.",
    ],
    &[
        "Le meilleur rapport qualité-prix.",
        "La formule la plus choisie par mes clients.",
        "Plus de révisions et des livrables plus complets.",
    ],
    &[
        "La formule complète pour un résultat haut de gamme.",
        "Tout compris, avec un suivi prioritaire.",
        "Pour les projets exigeants : livraison soignée et accompagnement personnalisé.",
    ],
];

const GENERIC_EXTRAS: &[(&str, i64, i32)] = &[
    ("Livraison express", 5000, 0),
    ("Révision supplémentaire", 2500, 1),
    ("Fichiers sources", 5000, 0),
    ("Droits d'utilisation commerciale", 10000, 0),
];

const REJECTION_REASONS: &[&str] = &[
    "La description est trop courte ou imprécise : détaillez ce que le client reçoit.",
    "Les prix des packages ne sont pas cohérents avec les prestations annoncées.",
    "Le service contient des coordonnées personnelles, interdites sur la plateforme.",
    "Le titre ne correspond pas à la catégorie choisie.",
    "Les images semblent reprises d'un autre site : merci d'utiliser vos propres réalisations.",
];

/// Texts for one leaf category. Placeholders: `{adj}` / `{adjf}` / `{adjp}` / `{adjfp}` an
/// adjective agreeing with a masculine / feminine / plural noun, `{adjs}` one agreeing with
/// the seller, `{job}` the seller's
/// trade, `{cat}` the category name.
struct Spec {
    slug: &'static str,
    job: (&'static str, &'static str),
    /// After "Je vais ".
    titles: &'static [&'static str],
    contexts: &'static [&'static str],
    shorts: &'static [&'static str],
    sentences: &'static [&'static str],
    /// ASCII, lower case, no spaces (tags_text joins them with spaces).
    tags: &'static [&'static str],
    features: &'static [&'static str],
    extras: &'static [(&'static str, i64, i32)],
    /// Price range of the cheapest package, XOF.
    price: (i64, i64),
    /// Delivery days of the cheapest package.
    days: (i32, i32),
}

impl Spec {
    fn job(&self, female: bool) -> &'static str {
        if female { self.job.1 } else { self.job.0 }
    }
}

static GENERIC: Spec = Spec {
    slug: "",
    job: ("freelance", "freelance"),
    titles: &[
        "vous accompagner en {cat}",
        "réaliser votre projet de {cat}",
        "vous offrir un service {adj} en {cat}",
    ],
    contexts: &["avec soin", "en quelques jours"],
    shorts: &["Un accompagnement {adj} et des délais respectés, par un freelance expérimenté."],
    sentences: &[
        "Je mets mon expérience à votre service pour un résultat à la hauteur de vos attentes.",
        "Je m'adapte à votre budget et à vos contraintes.",
        "Chaque livraison est vérifiée avec soin avant de vous être envoyée.",
    ],
    tags: &["freelance", "service", "qualite", "afrique"],
    features: &[
        "Échange préalable",
        "Livrable final",
        "Suivi après livraison",
    ],
    extras: &[],
    price: (5000, 50000),
    days: (2, 7),
};

const SPECS: &[Spec] = &[
    Spec {
        slug: "logo-identite-visuelle",
        job: ("graphiste", "graphiste"),
        titles: &[
            "créer un logo {adj}",
            "concevoir un logo {adj}",
            "dessiner un logo {adj}",
            "réaliser votre identité visuelle {adjf}",
            "concevoir une charte graphique {adjf}",
            "moderniser votre logo",
            "créer un logo {adj} et vos cartes de visite",
        ],
        contexts: &[
            "pour votre startup",
            "pour votre restaurant",
            "pour votre marque de cosmétiques",
            "pour votre boutique",
            "pour votre association",
            "pour votre agence immobilière",
            "pour votre maquis",
            "pour votre salon de coiffure",
            "en 48 heures",
        ],
        shorts: &[
            "Un logo unique et mémorable, livré en haute définition avec les fichiers sources.",
            "Une identité visuelle cohérente qui reflète les valeurs de votre marque.",
            "Logo vectoriel, déclinaisons couleur et noir et blanc, prêt pour le web et l'impression.",
            "Je crée des logos {adjp} qui marquent les esprits, de Dakar à Abidjan.",
        ],
        sentences: &[
            "Je vous propose plusieurs pistes créatives avant d'affiner celle que vous préférez.",
            "Chaque logo est dessiné à la main puis vectorisé sous Illustrator.",
            "Vous recevez les fichiers AI, EPS, PDF, PNG et SVG, utilisables sur tous vos supports.",
            "Je tiens compte de votre secteur, de votre clientèle et de la culture locale pour créer un symbole fort.",
            "La charte graphique précise les couleurs, les typographies et les règles d'utilisation du logo.",
        ],
        tags: &[
            "logo",
            "branding",
            "identite-visuelle",
            "charte-graphique",
            "design",
            "graphisme",
            "cartes-de-visite",
            "illustrator",
        ],
        features: &[
            "Logo vectoriel haute définition",
            "Fichiers sources (AI, EPS, SVG)",
            "Version noir et blanc",
            "Déclinaison pour les réseaux sociaux",
            "Charte graphique PDF",
            "Maquette de carte de visite",
            "Favicon pour votre site",
            "Mockups de présentation",
        ],
        extras: &[
            ("Maquette de carte de visite", 5000, 1),
            ("Logo animé", 15000, 3),
            ("Kit réseaux sociaux", 10000, 2),
        ],
        price: (5000, 25000),
        days: (2, 5),
    },
    Spec {
        slug: "design-web-mobile",
        job: ("designer UI/UX", "designer UI/UX"),
        titles: &[
            "concevoir la maquette {adjf} de votre site web",
            "créer le design UI/UX de votre application mobile",
            "réaliser un prototype Figma {adj}",
            "redesigner votre site internet",
            "concevoir une landing page {adjf}",
            "créer une interface {adjf} pour votre application",
        ],
        contexts: &[
            "sur Figma",
            "pour votre startup",
            "pour votre fintech",
            "pour votre boutique en ligne",
            "en moins d'une semaine",
        ],
        shorts: &[
            "Des maquettes {adjfp} et pensées pour vos utilisateurs, prêtes à être développées.",
            "Design UI/UX sur Figma : parcours utilisateur, maquettes et prototype cliquable.",
            "Une interface claire, adaptée aux téléphones et aux connexions lentes.",
        ],
        sentences: &[
            "Je conçois d'abord le parcours utilisateur, puis les maquettes écran par écran.",
            "Vos maquettes sont livrées sur Figma, avec un prototype cliquable à montrer à vos investisseurs.",
            "Je pense chaque écran pour les téléphones d'entrée de gamme et les connexions 3G.",
            "Le design system fourni (couleurs, boutons, typographies) facilite le travail de votre développeur.",
            "J'ai conçu des applications de livraison, de transfert d'argent et de réservation.",
        ],
        tags: &[
            "figma",
            "ui",
            "ux",
            "maquette",
            "prototype",
            "design",
            "application",
            "landing-page",
        ],
        features: &[
            "Maquettes Figma",
            "Prototype cliquable",
            "Version mobile et bureau",
            "Design system",
            "Parcours utilisateur",
            "Export des ressources",
            "Présentation commentée",
        ],
        extras: &[
            ("Écran supplémentaire", 5000, 1),
            ("Test utilisateur", 15000, 3),
        ],
        price: (15000, 60000),
        days: (3, 7),
    },
    Spec {
        slug: "illustration",
        job: ("illustrateur", "illustratrice"),
        titles: &[
            "dessiner une illustration {adjf}",
            "créer votre personnage ou votre mascotte",
            "réaliser un portrait numérique {adj}",
            "illustrer votre livre pour enfants",
            "dessiner une bande dessinée {adjf}",
            "créer une illustration {adjf} inspirée du wax",
        ],
        contexts: &[
            "pour votre marque",
            "pour vos réseaux sociaux",
            "pour votre affiche",
            "en haute définition",
            "pour votre album",
        ],
        shorts: &[
            "Des illustrations {adjfp} et colorées, inspirées des cultures africaines.",
            "Portraits, mascottes et personnages dessinés à la main, livrés en haute définition.",
            "Une illustration sur mesure pour donner vie à vos idées.",
        ],
        sentences: &[
            "Je travaille sur tablette graphique avec Procreate et Photoshop.",
            "Vous validez le croquis avant la mise en couleur, pour éviter les mauvaises surprises.",
            "Mes illustrations s'inspirent des motifs wax, du bogolan et de la vie quotidienne en Afrique.",
            "Le fichier final est livré en haute résolution, prêt pour l'impression.",
            "J'ai illustré des albums jeunesse, des affiches de festival et des pochettes de disque.",
        ],
        tags: &[
            "illustration",
            "dessin",
            "portrait",
            "mascotte",
            "procreate",
            "bd",
            "wax",
            "personnage",
        ],
        features: &[
            "Croquis à valider",
            "Mise en couleur",
            "Haute résolution (300 dpi)",
            "Fond transparent",
            "Fichier PSD",
            "Usage commercial",
            "Personnage en plusieurs poses",
        ],
        extras: &[
            ("Personnage supplémentaire", 10000, 2),
            ("Impression grand format", 7500, 2),
        ],
        price: (5000, 30000),
        days: (2, 7),
    },
    Spec {
        slug: "print-packaging",
        job: ("graphiste print", "graphiste print"),
        titles: &[
            "créer un flyer {adj}",
            "concevoir une affiche {adjf}",
            "designer l'emballage de votre produit",
            "réaliser votre kakémono",
            "créer un faire-part de mariage {adj}",
            "concevoir un menu {adj} pour votre restaurant",
        ],
        contexts: &[
            "pour votre événement",
            "pour votre commerce",
            "prêt à imprimer",
            "pour votre marque de jus local",
            "pour votre concert",
            "en 24 heures",
        ],
        shorts: &[
            "Flyers, affiches et emballages {adjp}, livrés prêts pour l'imprimeur.",
            "Des supports imprimés qui attirent l'œil et font vendre.",
            "Un packaging {adj} pour que votre produit se démarque en rayon.",
        ],
        sentences: &[
            "Les fichiers sont livrés en PDF haute définition, avec fonds perdus et traits de coupe.",
            "Je peux vous recommander des imprimeurs fiables à Abidjan, Dakar ou Lomé.",
            "Je respecte les formats standards : A5, A4, A3, kakémono 85 x 200 cm.",
            "Pour vos emballages, je prépare le gabarit de découpe et les mentions obligatoires.",
            "Votre affiche reste lisible de loin, même imprimée en grand format.",
        ],
        tags: &[
            "flyer",
            "affiche",
            "packaging",
            "emballage",
            "kakemono",
            "impression",
            "print",
            "menu",
        ],
        features: &[
            "PDF prêt à imprimer",
            "Recto verso",
            "Fonds perdus et traits de coupe",
            "Version pour les réseaux sociaux",
            "Fichier source",
            "Gabarit de découpe",
            "Deux propositions",
        ],
        extras: &[
            ("Version format affiche", 5000, 1),
            ("Impression et livraison", 20000, 3),
        ],
        price: (5000, 20000),
        days: (1, 4),
    },
    Spec {
        slug: "developpement-web",
        job: ("développeur web", "développeuse web"),
        titles: &[
            "développer votre site WordPress {adj}",
            "créer votre site vitrine {adj}",
            "développer votre boutique en ligne WooCommerce",
            "être votre développeur web {adj}",
            "créer un site internet {adj} et responsive",
            "développer votre application web avec Laravel",
            "corriger les bugs de votre site WordPress",
            "développer votre site avec React et Node.js",
        ],
        contexts: &[
            "pour votre hôtel",
            "pour votre école",
            "pour votre ONG",
            "pour votre restaurant",
            "en 7 jours",
            "avec paiement Orange Money",
        ],
        shorts: &[
            "Développeur web expérimenté : un site rapide, sécurisé et adapté aux mobiles.",
            "Votre site WordPress ou sur mesure, livré clé en main avec formation.",
            "Un site {adj} qui présente votre activité et attire de nouveaux clients.",
            "Sites vitrines, boutiques en ligne et applications web, du design à la mise en ligne.",
        ],
        sentences: &[
            "Votre site sera rapide, sécurisé et parfaitement adapté aux téléphones, car la majorité de vos clients naviguent sur mobile.",
            "J'intègre les moyens de paiement locaux comme Orange Money, Wave ou MTN MoMo.",
            "Je vous forme à la gestion de votre site pour que vous soyez autonome.",
            "Le référencement de base est inclus : balises, vitesse de chargement et plan du site.",
            "En tant que développeur, je travaille avec WordPress, Laravel, React et Node.js selon les besoins de votre projet.",
            "Je m'occupe aussi de l'hébergement et du nom de domaine si vous le souhaitez.",
        ],
        tags: &[
            "wordpress",
            "site-web",
            "developpeur",
            "woocommerce",
            "html",
            "css",
            "javascript",
            "php",
            "laravel",
            "react",
            "responsive",
        ],
        features: &[
            "Design responsive",
            "Jusqu'à 5 pages",
            "Formulaire de contact",
            "Bouton WhatsApp",
            "Optimisation de la vitesse",
            "Référencement de base",
            "Certificat SSL",
            "Formation à la prise en main",
            "Boutique en ligne",
            "Paiement mobile intégré",
        ],
        extras: &[
            ("Page supplémentaire", 10000, 1),
            ("Intégration paiement mobile", 25000, 3),
            ("Maintenance pendant un mois", 15000, 0),
        ],
        price: (25000, 150000),
        days: (3, 14),
    },
    Spec {
        slug: "applications-mobiles",
        job: ("développeur mobile", "développeuse mobile"),
        titles: &[
            "développer votre application mobile Android et iOS",
            "créer une application Flutter {adjf}",
            "développer votre application de livraison",
            "être votre {job} Flutter",
            "publier votre application sur le Play Store",
            "développer une application React Native {adjf}",
        ],
        contexts: &[
            "pour votre restaurant",
            "pour votre startup",
            "pour votre école",
            "clé en main",
            "avec paiement mobile",
        ],
        shorts: &[
            "Développeur mobile Flutter : une seule application pour Android et iOS.",
            "Votre application mobile de A à Z, du design à la publication sur les stores.",
            "Des applications légères qui fonctionnent même avec une connexion faible.",
        ],
        sentences: &[
            "Je développe en Flutter et en React Native pour livrer Android et iOS en même temps.",
            "L'application reste légère et fonctionne même hors connexion quand c'est possible.",
            "Je m'occupe de la publication sur le Play Store et l'App Store.",
            "Le paiement mobile (Orange Money, Wave, MTN MoMo) peut être intégré directement.",
            "Développeur depuis plusieurs années, je livre un code propre et documenté.",
        ],
        tags: &[
            "flutter",
            "android",
            "ios",
            "react-native",
            "application-mobile",
            "developpeur",
            "kotlin",
            "firebase",
        ],
        features: &[
            "Android et iOS",
            "Code source",
            "Notifications push",
            "Connexion par téléphone",
            "Tableau de bord administrateur",
            "Publication sur les stores",
            "Mode hors connexion",
            "Paiement mobile",
        ],
        extras: &[
            ("Écran supplémentaire", 15000, 2),
            ("Publication sur l'App Store", 25000, 3),
        ],
        price: (50000, 200000),
        days: (7, 21),
    },
    Spec {
        slug: "paiement-mobile-integration",
        job: ("développeur", "développeuse"),
        titles: &[
            "intégrer Orange Money et Wave à votre site",
            "intégrer un paiement mobile {adj} à votre boutique",
            "connecter CinetPay à votre boutique en ligne",
            "intégrer PayDunya à votre application",
            "mettre en place le paiement par Moov Money",
            "intégrer FedaPay à votre site WooCommerce",
        ],
        contexts: &["rapidement", "en toute sécurité", "en 72 heures"],
        shorts: &[
            "Acceptez Orange Money, Wave, MTN MoMo et Moov Money sur votre site ou votre application.",
            "Intégration {adjf} des API de paiement mobile, testée de bout en bout.",
            "Vos clients paient avec leur téléphone, vous recevez l'argent sans délai.",
        ],
        sentences: &[
            "J'intègre les agrégateurs CinetPay, PayDunya, FedaPay ou les API directes des opérateurs.",
            "Chaque paiement est vérifié côté serveur grâce aux notifications de l'opérateur.",
            "Je teste l'intégration en mode bac à sable avant la mise en production.",
            "Je vous explique comment suivre vos transactions et gérer les remboursements.",
            "Développeur spécialisé en paiement, j'ai réalisé des dizaines d'intégrations en zone UEMOA.",
        ],
        tags: &[
            "orange-money",
            "wave",
            "mtn-momo",
            "moov-money",
            "cinetpay",
            "paydunya",
            "paiement-mobile",
            "api",
            "developpeur",
            "fedapay",
        ],
        features: &[
            "Un opérateur intégré",
            "Plusieurs opérateurs",
            "Notifications de paiement",
            "Tests en bac à sable",
            "Page de confirmation",
            "Documentation",
            "Suivi des transactions",
        ],
        extras: &[
            ("Opérateur supplémentaire", 15000, 2),
            ("Remboursements automatiques", 20000, 3),
        ],
        price: (25000, 100000),
        days: (2, 7),
    },
    Spec {
        slug: "support-it",
        job: ("technicien informatique", "technicienne informatique"),
        titles: &[
            "installer et configurer votre réseau wifi",
            "dépanner votre ordinateur à distance",
            "installer Windows et vos logiciels",
            "sécuriser le réseau de votre entreprise",
            "configurer vos adresses e-mail professionnelles",
            "récupérer vos données perdues",
        ],
        contexts: &[
            "rapidement",
            "à distance",
            "pour votre bureau",
            "pour votre cybercafé",
            "en moins de 24 heures",
        ],
        shorts: &[
            "Dépannage informatique {adj}, à distance ou sur place, pour particuliers et entreprises.",
            "Réseau, wifi, messagerie et sauvegardes : votre informatique enfin fiable.",
            "Un technicien réactif pour résoudre vos pannes sans perdre de temps.",
        ],
        sentences: &[
            "J'interviens à distance avec AnyDesk ou TeamViewer, en toute sécurité.",
            "Je configure vos sauvegardes pour ne plus jamais perdre vos fichiers.",
            "Je vous conseille sur le matériel adapté à votre budget.",
            "Je mets en place des onduleurs et des réglages adaptés aux coupures de courant.",
            "Je rédige un compte rendu de chaque intervention.",
        ],
        tags: &[
            "depannage",
            "reseau",
            "wifi",
            "windows",
            "informatique",
            "maintenance",
            "securite",
            "office365",
        ],
        features: &[
            "Diagnostic complet",
            "Intervention à distance",
            "Installation de logiciels",
            "Sauvegarde des données",
            "Antivirus",
            "Compte rendu écrit",
            "Suivi pendant 7 jours",
        ],
        extras: &[
            ("Intervention sur place", 10000, 1),
            ("Poste supplémentaire", 5000, 0),
        ],
        price: (5000, 25000),
        days: (1, 3),
    },
    Spec {
        slug: "redaction-web",
        job: ("rédacteur web", "rédactrice web"),
        titles: &[
            "rédiger des articles de blog optimisés SEO",
            "écrire vos fiches produits",
            "rédiger le contenu {adj} de votre site",
            "écrire un article {adj} en français",
            "rédiger vos textes publicitaires",
            "corriger et relire vos documents",
        ],
        contexts: &[
            "pour votre blog",
            "pour votre boutique en ligne",
            "en français impeccable",
            "en 48 heures",
        ],
        shorts: &[
            "Des textes {adjp}, optimisés pour Google et agréables à lire.",
            "Articles, fiches produits et pages web rédigés dans un français impeccable.",
            "Un contenu original, sans plagiat, qui parle à vos clients.",
        ],
        sentences: &[
            "Chaque texte est original et vérifié avec un outil anti-plagiat.",
            "J'effectue une recherche de mots-clés avant de rédiger.",
            "J'adapte le ton à votre marque : sérieux, chaleureux ou décalé.",
            "Je livre au format Word ou directement dans votre WordPress.",
            "Ancien journaliste, je maîtrise l'art de capter l'attention dès la première phrase.",
        ],
        tags: &[
            "redaction",
            "seo",
            "article",
            "blog",
            "copywriting",
            "contenu",
            "relecture",
            "francais",
        ],
        features: &[
            "Recherche de mots-clés",
            "Texte optimisé SEO",
            "Relecture incluse",
            "Méta-description",
            "Mise en ligne WordPress",
            "Images libres de droits",
            "Garantie anti-plagiat",
        ],
        extras: &[
            ("500 mots supplémentaires", 5000, 1),
            ("Mise en ligne", 2500, 0),
        ],
        price: (3000, 15000),
        days: (1, 5),
    },
    Spec {
        slug: "traduction",
        job: ("traducteur", "traductrice"),
        titles: &[
            "traduire vos documents de l'anglais vers le français",
            "traduire votre site web en anglais",
            "traduire vos textes en wolof",
            "traduire vos documents du français vers l'anglais",
            "traduire vos contenus en bambara ou en dioula",
            "relire et corriger votre traduction",
        ],
        contexts: &[
            "avec soin",
            "rapidement",
            "en 24 heures",
            "de façon professionnelle",
        ],
        shorts: &[
            "Traduction {adjf} français, anglais et langues nationales, relue avec soin.",
            "Une traduction fidèle et naturelle, jamais automatique.",
            "Documents, sites web et sous-titres traduits par un locuteur natif.",
        ],
        sentences: &[
            "Je ne me contente pas de traduire mot à mot : j'adapte le texte à votre public.",
            "Je traduis aussi en wolof, en bambara, en dioula et en haoussa.",
            "Vos documents restent confidentiels.",
            "Je respecte la mise en page de votre document d'origine.",
            "Titulaire d'une licence en langues étrangères appliquées, je traduis depuis des années.",
        ],
        tags: &[
            "traduction",
            "anglais",
            "francais",
            "wolof",
            "bambara",
            "dioula",
            "haoussa",
            "relecture",
        ],
        features: &[
            "Traduction humaine",
            "Relecture complète",
            "Mise en page conservée",
            "Glossaire",
            "Confidentialité",
            "Format Word ou PDF",
        ],
        extras: &[
            ("Traduction certifiée", 15000, 2),
            ("Sous-titrage", 10000, 2),
        ],
        price: (3000, 20000),
        days: (1, 5),
    },
    Spec {
        slug: "cv-lettres",
        job: ("consultant RH", "consultante RH"),
        titles: &[
            "rédiger un CV {adj}",
            "écrire votre lettre de motivation",
            "optimiser votre profil LinkedIn",
            "refaire votre CV",
            "préparer votre dossier de candidature",
        ],
        contexts: &[
            "pour décrocher un emploi",
            "pour un concours",
            "pour une bourse d'études",
            "pour une candidature à l'étranger",
            "en 24 heures",
        ],
        shorts: &[
            "Un CV {adj} et une lettre de motivation qui donnent envie de vous rencontrer.",
            "Je mets en valeur votre parcours pour convaincre les recruteurs.",
            "CV, lettre et profil LinkedIn cohérents, pour l'Afrique comme pour l'international.",
        ],
        sentences: &[
            "J'ai travaillé plusieurs années en cabinet de recrutement.",
            "Votre CV est conçu pour passer les logiciels de tri des candidatures.",
            "Je vous pose quelques questions pour bien comprendre votre parcours.",
            "Vous recevez votre CV en PDF et en version modifiable.",
            "Je vous donne aussi des conseils pour réussir votre entretien.",
        ],
        tags: &[
            "cv",
            "lettre-de-motivation",
            "linkedin",
            "emploi",
            "candidature",
            "recrutement",
        ],
        features: &[
            "CV en PDF",
            "Version Word modifiable",
            "Lettre de motivation",
            "Profil LinkedIn",
            "Conseils d'entretien",
            "Version anglaise",
        ],
        extras: &[
            ("Version anglaise", 5000, 1),
            ("Simulation d'entretien", 7500, 1),
        ],
        price: (2500, 10000),
        days: (1, 3),
    },
    Spec {
        slug: "reseaux-sociaux",
        job: ("community manager", "community manager"),
        titles: &[
            "gérer votre page Facebook et Instagram",
            "animer vos réseaux sociaux",
            "créer votre calendrier éditorial",
            "gérer votre compte TikTok",
            "booster l'engagement de votre page Facebook",
            "créer une stratégie {adjf} pour vos réseaux sociaux",
        ],
        contexts: &[
            "pendant un mois",
            "pour votre restaurant",
            "pour votre marque",
            "pour votre boutique",
        ],
        shorts: &[
            "Des publications {adjfp} et régulières pour faire grandir votre communauté.",
            "Community management Facebook, Instagram et TikTok, visuels compris.",
            "Je m'occupe de vos réseaux, vous vous occupez de vos clients.",
        ],
        sentences: &[
            "Je prépare un calendrier éditorial que vous validez chaque semaine.",
            "Les visuels sont créés sur mesure, aux couleurs de votre marque.",
            "Je réponds aux commentaires et aux messages dans les meilleurs délais.",
            "Vous recevez un rapport mensuel avec vos statistiques.",
            "Je connais les habitudes des internautes d'Afrique de l'Ouest : horaires, formats, tendances.",
        ],
        tags: &[
            "facebook",
            "instagram",
            "tiktok",
            "community-management",
            "reseaux-sociaux",
            "marketing",
            "contenu",
        ],
        features: &[
            "12 publications par mois",
            "Visuels personnalisés",
            "Calendrier éditorial",
            "Réponses aux messages",
            "Rapport mensuel",
            "Stories",
            "Vidéos courtes",
        ],
        extras: &[
            ("Réseau supplémentaire", 10000, 0),
            ("Vidéo courte", 7500, 2),
        ],
        price: (10000, 50000),
        days: (3, 7),
    },
    Spec {
        slug: "referencement-seo",
        job: ("consultant SEO", "consultante SEO"),
        titles: &[
            "réaliser un audit SEO {adj} de votre site",
            "optimiser le référencement de votre site WordPress",
            "trouver les meilleurs mots-clés pour votre site",
            "améliorer votre positionnement sur Google",
            "créer une stratégie de netlinking {adjf}",
        ],
        contexts: &["rapidement", "avec rapport détaillé"],
        shorts: &[
            "Un audit SEO {adj} et un plan d'action clair pour gagner des places sur Google.",
            "Plus de visiteurs grâce à un référencement naturel maîtrisé.",
            "Mots-clés, contenu, technique : j'optimise tout votre site.",
        ],
        sentences: &[
            "J'analyse la technique, le contenu et la popularité de votre site.",
            "Vous recevez un rapport détaillé avec les actions classées par priorité.",
            "Je cible les recherches locales, par exemple « restaurant à Cocody » ou « plombier à Dakar ».",
            "J'optimise votre fiche Google Business pour les recherches de proximité.",
            "Je n'utilise que des techniques conformes aux consignes de Google.",
        ],
        tags: &[
            "seo",
            "referencement",
            "google",
            "audit",
            "mots-cles",
            "netlinking",
            "wordpress",
        ],
        features: &[
            "Audit technique",
            "Analyse des mots-clés",
            "Optimisation des pages",
            "Fiche Google Business",
            "Rapport PDF",
            "Suivi des positions",
        ],
        extras: &[("Suivi mensuel", 20000, 0), ("Article optimisé", 7500, 2)],
        price: (15000, 75000),
        days: (3, 10),
    },
    Spec {
        slug: "publicite-en-ligne",
        job: ("expert en publicité", "experte en publicité"),
        titles: &[
            "lancer votre campagne Facebook Ads",
            "gérer vos campagnes Google Ads",
            "créer une publicité {adjf} sur Instagram",
            "optimiser vos campagnes publicitaires",
            "configurer votre pixel Facebook et vos conversions",
        ],
        contexts: &[
            "rapidement",
            "avec un petit budget",
            "pour votre boutique",
            "pour votre événement",
        ],
        shorts: &[
            "Des campagnes publicitaires rentables, ciblées sur vos futurs clients.",
            "Facebook Ads et Google Ads gérés par un expert, rapports à l'appui.",
            "Une publicité {adjf} qui transforme les clics en ventes.",
        ],
        sentences: &[
            "Je définis avec vous la cible, le budget et les objectifs de la campagne.",
            "Je crée les visuels et les textes publicitaires.",
            "Je suis les résultats chaque jour et j'ajuste les enchères.",
            "Même avec un petit budget, un ciblage précis donne de bons résultats.",
            "Vous recevez un rapport clair : portée, clics, coût par résultat.",
        ],
        tags: &[
            "facebook-ads",
            "google-ads",
            "publicite",
            "marketing",
            "instagram",
            "ciblage",
        ],
        features: &[
            "Ciblage de l'audience",
            "Création des annonces",
            "Visuels publicitaires",
            "Suivi quotidien",
            "Rapport final",
            "Installation du pixel",
        ],
        extras: &[
            ("Campagne supplémentaire", 15000, 2),
            ("Visuel supplémentaire", 5000, 1),
        ],
        price: (10000, 60000),
        days: (2, 7),
    },
    Spec {
        slug: "montage-video",
        job: ("monteur vidéo", "monteuse vidéo"),
        titles: &[
            "monter votre vidéo YouTube",
            "réaliser le montage {adj} de votre mariage",
            "monter un clip {adj}",
            "créer une vidéo {adjf} pour vos réseaux sociaux",
            "monter le film de votre événement",
            "sous-titrer et monter vos vidéos",
        ],
        contexts: &[
            "rapidement",
            "en qualité HD",
            "avec musique libre de droits",
        ],
        shorts: &[
            "Un montage {adj} et rythmé, avec musique, transitions et étalonnage.",
            "Vidéos YouTube, mariages et événements montés avec soin.",
            "Je transforme vos rushs en une vidéo qui captive jusqu'à la dernière seconde.",
        ],
        sentences: &[
            "Je monte sur Premiere Pro et DaVinci Resolve.",
            "L'étalonnage et le mixage audio sont inclus.",
            "Je peux ajouter des sous-titres en français et en anglais.",
            "Les vidéos sont livrées dans les formats adaptés à YouTube, TikTok et Instagram.",
            "J'ai monté des clips, des documentaires et des centaines de vidéos de mariage.",
        ],
        tags: &[
            "montage",
            "video",
            "youtube",
            "premiere-pro",
            "mariage",
            "clip",
            "tiktok",
            "davinci",
        ],
        features: &[
            "Montage complet",
            "Étalonnage",
            "Musique libre de droits",
            "Sous-titres",
            "Générique",
            "Format vertical",
            "Export 4K",
        ],
        extras: &[
            ("Minute supplémentaire", 5000, 1),
            ("Version verticale", 5000, 1),
        ],
        price: (10000, 50000),
        days: (2, 7),
    },
    Spec {
        slug: "motion-design",
        job: ("motion designer", "motion designer"),
        titles: &[
            "animer votre logo",
            "créer une vidéo explicative {adjf}",
            "réaliser une intro {adjf} pour votre chaîne",
            "créer une animation 2D {adjf}",
            "concevoir un spot publicitaire animé",
        ],
        contexts: &[
            "pour votre marque",
            "pour votre application",
            "en haute définition",
        ],
        shorts: &[
            "Des animations {adjfp} qui expliquent votre offre en moins d'une minute.",
            "Logo animé, intro YouTube ou vidéo explicative réalisés sur After Effects.",
            "Du motion design pour donner du mouvement à votre marque.",
        ],
        sentences: &[
            "Je réalise le script et le storyboard avant l'animation.",
            "J'anime sur After Effects, avec des personnages aux traits africains si vous le souhaitez.",
            "La voix off et la musique peuvent être ajoutées.",
            "Vous recevez la vidéo en HD ou en 4K.",
            "Une vidéo explicative augmente fortement le taux de conversion de votre page d'accueil.",
        ],
        tags: &[
            "motion-design",
            "animation",
            "after-effects",
            "2d",
            "logo-anime",
            "intro",
            "explainer",
        ],
        features: &[
            "Script",
            "Storyboard",
            "Animation 2D",
            "Musique",
            "Effets sonores",
            "Export HD",
            "Fichier source",
        ],
        extras: &[
            ("Voix off", 10000, 2),
            ("10 secondes supplémentaires", 7500, 1),
        ],
        price: (15000, 75000),
        days: (3, 10),
    },
    Spec {
        slug: "production-musicale",
        job: ("beatmaker", "beatmaker"),
        titles: &[
            "produire un beat afrobeat {adj}",
            "composer un instrumental coupé-décalé",
            "mixer et masteriser votre morceau",
            "produire votre son afro-pop",
            "composer un jingle {adj}",
            "arranger et enregistrer votre chanson",
        ],
        contexts: &[
            "pour votre single",
            "pour votre album",
            "en qualité studio",
            "pour votre radio",
        ],
        shorts: &[
            "Beats afrobeat, coupé-décalé et afro-pop produits en studio, prêts pour les plateformes.",
            "Un mixage et un mastering {adjp} pour un son qui tient la route en radio.",
            "Votre instrumental sur mesure, du rythme aux arrangements.",
        ],
        sentences: &[
            "Je produis sur FL Studio avec des percussions traditionnelles enregistrées en live.",
            "Le mastering est adapté aux plateformes de streaming comme Boomplay et Spotify.",
            "Vous recevez les pistes séparées pour vos concerts.",
            "J'ai travaillé avec des artistes d'Abidjan, de Dakar et de Lagos.",
            "Je respecte vos références musicales tout en apportant ma touche.",
        ],
        tags: &[
            "afrobeat",
            "coupe-decale",
            "beat",
            "mixage",
            "mastering",
            "instrumental",
            "afropop",
            "jingle",
        ],
        features: &[
            "Instrumental exclusif",
            "Mixage",
            "Mastering",
            "Pistes séparées",
            "Fichier WAV",
            "Droits d'exploitation",
            "Version radio",
        ],
        extras: &[
            ("Pistes séparées", 10000, 1),
            ("Droits exclusifs", 25000, 0),
        ],
        price: (10000, 60000),
        days: (2, 10),
    },
    Spec {
        slug: "voix-off",
        job: ("comédien voix off", "comédienne voix off"),
        titles: &[
            "enregistrer une voix off {adjf} en français",
            "faire la voix off de votre publicité",
            "enregistrer votre message d'accueil téléphonique",
            "prêter ma voix à votre vidéo",
            "enregistrer une voix off en wolof",
            "enregistrer un spot radio {adj}",
        ],
        contexts: &["en 24 heures", "en qualité studio", "avec un accent neutre"],
        shorts: &[
            "Une voix {adjf} et chaleureuse pour vos publicités, vidéos et standards téléphoniques.",
            "Voix off en français et en langues locales, enregistrée en studio.",
            "Spots radio, documentaires et tutoriels : je donne vie à vos textes.",
        ],
        sentences: &[
            "J'enregistre dans un studio traité acoustiquement, avec un micro professionnel.",
            "Je peux adopter un ton dynamique, posé, institutionnel ou humoristique.",
            "Je parle aussi wolof, dioula ou bambara selon votre public.",
            "Le fichier est livré en WAV et en MP3, nettoyé et mixé.",
            "Ma voix a été diffusée sur plusieurs radios et télévisions de la sous-région.",
        ],
        tags: &[
            "voix-off",
            "francais",
            "wolof",
            "publicite",
            "radio",
            "doublage",
            "narration",
        ],
        features: &[
            "Enregistrement studio",
            "Fichier WAV et MP3",
            "Nettoyage audio",
            "Musique de fond",
            "Droits de diffusion",
            "Deux prises",
        ],
        extras: &[
            ("Musique de fond", 5000, 0),
            ("Langue supplémentaire", 10000, 1),
        ],
        price: (5000, 25000),
        days: (1, 3),
    },
    Spec {
        slug: "business-plan",
        job: ("consultant", "consultante"),
        titles: &[
            "rédiger un business plan {adj}",
            "réaliser une étude de marché {adjf}",
            "préparer votre dossier de financement",
            "construire votre prévisionnel financier",
            "rédiger un plan d'affaires {adj}",
        ],
        contexts: &[
            "pour votre projet",
            "pour votre startup",
            "pour obtenir un financement",
            "pour votre ferme avicole",
            "pour un concours de startups",
        ],
        shorts: &[
            "Un business plan {adj} et chiffré, prêt pour les banques et les investisseurs.",
            "Étude de marché, prévisionnel et dossier de financement, de l'idée au projet.",
            "Je vous aide à convaincre vos financeurs avec un dossier solide.",
        ],
        sentences: &[
            "Le prévisionnel sur trois ans est livré en Excel, avec toutes les hypothèses.",
            "J'ai accompagné des projets financés par des banques, des fonds et des programmes publics.",
            "J'analyse votre marché local, vos concurrents et vos prix.",
            "Le dossier respecte les attentes des banques de la zone UEMOA.",
            "Je vous prépare aussi au pitch devant les investisseurs.",
        ],
        tags: &[
            "business-plan",
            "etude-de-marche",
            "financement",
            "entrepreneuriat",
            "startup",
            "previsionnel",
        ],
        features: &[
            "Étude de marché",
            "Prévisionnel sur 3 ans",
            "Fichier Excel",
            "Synthèse pour les investisseurs",
            "Présentation PowerPoint",
            "Séance de conseil",
        ],
        extras: &[
            ("Présentation PowerPoint", 15000, 2),
            ("Version anglaise", 25000, 3),
        ],
        price: (25000, 150000),
        days: (5, 14),
    },
    Spec {
        slug: "comptabilite-fiscalite",
        job: ("comptable", "comptable"),
        titles: &[
            "tenir votre comptabilité selon le SYSCOHADA",
            "préparer vos déclarations fiscales",
            "établir vos états financiers",
            "former votre équipe à la comptabilité",
            "mettre en place votre comptabilité sur Sage",
            "réaliser un audit comptable {adj}",
        ],
        contexts: &[
            "pour votre PME",
            "pour votre association",
            "avant la date limite",
        ],
        shorts: &[
            "Comptabilité {adjf} selon le SYSCOHADA révisé, pour PME et associations.",
            "Déclarations fiscales et états financiers préparés dans les délais.",
            "Un comptable expérimenté pour des comptes à jour et sans stress.",
        ],
        sentences: &[
            "Je maîtrise le SYSCOHADA révisé et la fiscalité de la zone OHADA.",
            "Je travaille sur Sage, Excel ou votre logiciel habituel.",
            "Je prépare vos déclarations de TVA, d'impôt sur les sociétés et de cotisations sociales.",
            "Vos données restent strictement confidentielles.",
            "Je vous explique vos chiffres simplement pour vous aider à décider.",
        ],
        tags: &[
            "comptabilite",
            "syscohada",
            "fiscalite",
            "sage",
            "etats-financiers",
            "audit",
            "declarations",
        ],
        features: &[
            "Saisie des pièces",
            "Rapprochement bancaire",
            "Déclaration de TVA",
            "États financiers",
            "Tableau de bord",
            "Conseil fiscal",
        ],
        extras: &[
            ("Mois supplémentaire", 15000, 0),
            ("Liasse fiscale", 25000, 3),
        ],
        price: (15000, 100000),
        days: (3, 10),
    },
    Spec {
        slug: "assistance-virtuelle",
        job: ("assistant virtuel", "assistante virtuelle"),
        titles: &[
            "saisir vos données dans Excel",
            "gérer votre agenda et vos e-mails",
            "assurer votre service client",
            "être votre {job} {adjs}",
            "retranscrire vos fichiers audio",
            "faire vos recherches sur internet",
        ],
        contexts: &["rapidement", "avec précision", "pendant une semaine"],
        shorts: &[
            "Une assistance {adjf} et discrète pour vous libérer des tâches répétitives.",
            "Saisie de données, agenda, e-mails et service client en français.",
            "Je m'occupe de l'administratif, vous vous concentrez sur l'essentiel.",
        ],
        sentences: &[
            "Je maîtrise Excel, Google Sheets, Notion et les outils de messagerie.",
            "Je suis joignable pendant les heures de bureau, heure d'Abidjan et de Dakar.",
            "Je vérifie chaque saisie deux fois pour garantir la précision.",
            "Vos informations restent confidentielles.",
            "Je vous envoie un point quotidien sur les tâches réalisées.",
        ],
        tags: &[
            "saisie",
            "excel",
            "assistance",
            "service-client",
            "agenda",
            "transcription",
            "administratif",
        ],
        features: &[
            "Saisie de données",
            "Gestion des e-mails",
            "Prise de rendez-vous",
            "Rapport quotidien",
            "Fichier Excel",
            "Disponibilité étendue",
        ],
        extras: &[
            ("Heure supplémentaire", 2500, 0),
            ("Travail le week-end", 5000, 0),
        ],
        price: (5000, 30000),
        days: (1, 5),
    },
    Spec {
        slug: "cours-particuliers",
        job: ("professeur", "professeure"),
        titles: &[
            "donner des cours de mathématiques",
            "vous préparer au BAC",
            "vous préparer au BEPC",
            "donner des cours d'anglais",
            "vous aider en physique-chimie",
            "vous apprendre le wolof",
            "donner des cours de français",
            "vous préparer aux concours de la fonction publique",
        ],
        contexts: &[
            "en ligne",
            "à votre rythme",
            "avec exercices corrigés",
            "par visioconférence",
        ],
        shorts: &[
            "Des cours {adjp} et adaptés à votre niveau, en ligne.",
            "Soutien scolaire du collège au lycée, préparation au BEPC et au BAC.",
            "Je vous aide à comprendre, pas seulement à apprendre par cœur.",
        ],
        sentences: &[
            "Chaque séance commence par un point sur vos difficultés.",
            "Je fournis des fiches de révision et des exercices corrigés.",
            "Les cours se font par visioconférence sur Google Meet ou WhatsApp.",
            "Je suis enseignant dans un lycée et je connais bien les programmes.",
            "Les parents reçoivent un bilan après chaque série de séances.",
        ],
        tags: &[
            "cours",
            "mathematiques",
            "anglais",
            "bac",
            "bepc",
            "soutien-scolaire",
            "francais",
            "physique",
        ],
        features: &[
            "Séance d'une heure",
            "Exercices corrigés",
            "Fiches de révision",
            "Bilan pour les parents",
            "Sujets d'examen",
            "Suivi WhatsApp",
        ],
        extras: &[
            ("Séance supplémentaire", 2500, 0),
            ("Correction de devoir", 2500, 1),
        ],
        price: (2500, 15000),
        days: (1, 7),
    },
];
