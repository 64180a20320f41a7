//! The demo seed `make run` relies on: a small marketplace, then its orders walked through
//! the real use cases, against a real PostgreSQL (and Redis, for the catalogue cache).

use std::collections::HashMap;

use diesel::sql_types as st;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_api::config::Config;
use krika_api::state::AppState;
use krika_cli::market::{self, DEMO_CLIENT, DEMO_SELLER};
use krika_cli::seed::{self, SeedArgs};
use krika_kernel::ids::UserId;
use krika_postgres::testing::{TestDatabase, ledger_violations};

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run the tests with `make test`"))
}

#[derive(diesel::QueryableByName)]
struct StatusCount {
    #[diesel(sql_type = st::Text)]
    status: String,
    #[diesel(sql_type = st::BigInt)]
    n: i64,
}

#[tokio::test]
async fn the_demo_market_has_an_order_in_every_state_and_a_balanced_ledger() {
    let database = TestDatabase::create().await;
    let files = tempfile::tempdir().unwrap();
    let args = SeedArgs {
        sellers: 3,
        services: 9,
        clients: 4,
        orders: 30,
        if_empty: true,
        batch_size: 2000,
        jobs: 1,
    };
    assert!(seed::run(&database.url, &args).await.unwrap());
    // A second start finds services and seeds nothing.
    assert!(!seed::run(&database.url, &args).await.unwrap());

    let vars: HashMap<&str, String> = [
        ("APP_ENV", "test".to_owned()),
        ("DATABASE_URL", database.url.clone()),
        ("REDIS_URL", env("TEST_REDIS_URL")),
        (
            "REDIS_PREFIX",
            format!("test:{}:", uuid::Uuid::new_v4().simple()),
        ),
        ("STORAGE_DIR", files.path().display().to_string()),
    ]
    .into_iter()
    .collect();
    let config = Config::from_lookup(&|name| vars.get(name).cloned()).expect("config");
    let state = AppState::build(config, Default::default()).await.unwrap();

    // The blog, seeded once for both runs: French posts, published, and one draft.
    let everything = krika_kernel::PageRequest::parse(Some(1), Some(100), 20).unwrap();
    let published = state
        .content
        .list(None, krika_content::ListParams::default(), everything)
        .await
        .unwrap();
    assert_eq!(published.total, 3);
    assert!(
        published
            .items
            .iter()
            .all(|p| p.content_html.contains("<p>")
                && !p.excerpt.is_empty()
                && p.published_at.is_some())
    );
    let admin = krika_content::Viewer {
        id: UserId::new(),
        is_admin: true,
    };
    let drafts = krika_content::ListParams {
        status: Some("draft".into()),
        search: None,
    };
    let drafts = state
        .content
        .list(Some(&admin), drafts, everything)
        .await
        .unwrap();
    assert_eq!(drafts.total, 1);
    let found = krika_content::ListParams {
        status: None,
        search: Some("developpement".into()),
    };
    let found = state.content.list(None, found, everything).await.unwrap();
    assert_eq!(
        found.items[0].slug,
        "developpement-web-reussir-son-site-vitrine"
    );
    let summary = market::run(&state, &database.url, args.orders)
        .await
        .unwrap();
    assert_eq!(summary.orders, 30);
    assert_eq!(summary.offers, 3);
    assert!(summary.completed >= 1 && summary.reviews <= summary.completed);

    let violations = ledger_violations(&state.db).await;
    assert!(violations.is_empty(), "{violations:#?}");

    let mut conn = AsyncPgConnection::establish(&database.url).await.unwrap();
    // Sellers' stored ratings agree with their services, after the bulk load and the
    // reviews the market wrote through the use cases.
    let off: Vec<StatusCount> = diesel::sql_query(
        "SELECT u.username AS status, 1::bigint AS n FROM users u \
         LEFT JOIN (SELECT seller_id, sum(rating_total) AS total, sum(reviews_count) AS count \
                    FROM services WHERE deleted_at IS NULL GROUP BY seller_id) s \
                ON s.seller_id = u.id \
         WHERE (u.seller_rating_total, u.seller_reviews_count) IS DISTINCT FROM \
               (coalesce(s.total, 0), coalesce(s.count, 0))",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let off: Vec<&str> = off.iter().map(|r| r.status.as_str()).collect();
    assert!(off.is_empty(), "stored seller ratings disagree: {off:?}");
    let demo: Vec<StatusCount> = diesel::sql_query(
        "SELECT o.status, count(*) AS n FROM orders o \
         JOIN users b ON b.id = o.buyer_id JOIN users s ON s.id = o.seller_id \
         WHERE b.email = $1 AND s.email = $2 GROUP BY o.status",
    )
    .bind::<st::Text, _>(DEMO_CLIENT.0)
    .bind::<st::Text, _>(DEMO_SELLER.0)
    .load(&mut conn)
    .await
    .unwrap();
    let mut states: Vec<&str> = demo.iter().map(|r| r.status.as_str()).collect();
    states.sort();
    assert_eq!(
        states,
        [
            "cancelled",
            "completed",
            "delivered",
            "disputed",
            "in_progress",
            "pending"
        ]
    );
    // Seven of them, one per stage (a revision is back in progress); the random orders
    // may add more between the same two accounts.
    assert!(demo.iter().map(|r| r.n).sum::<i64>() >= 7);

    // The cancelled order was refunded: the demo client can pay from its wallet.
    let client = user_id(&mut conn, DEMO_CLIENT.0).await;
    let wallet = state.payments.wallet(client).await.unwrap();
    assert!(wallet.available.is_positive(), "{wallet:?}");

    // A living inbox: a conversation per shared order and a general one, unread messages,
    // and contact details masked where the client wrote to a seller it never ordered from.
    let viewer = krika_messaging::Viewer {
        id: client,
        is_admin: false,
    };
    let page = krika_kernel::PageRequest::parse(Some(1), Some(100), 20).unwrap();
    let inbox = state.messaging.conversations(&viewer, page).await.unwrap();
    let with_orders = inbox.items.iter().filter(|c| c.order.is_some()).count();
    assert!(
        with_orders >= 7 && inbox.items.len() >= with_orders + 2,
        "{}",
        inbox.items.len()
    );
    assert!(inbox.items.iter().map(|c| c.unread_count).sum::<i64>() > 0);
    assert!(
        inbox
            .items
            .iter()
            .filter_map(|c| c.last_message.as_ref())
            .any(|m| m.masked && !m.content.contains("+225"))
    );
    assert!(summary.messages >= 7 * 3 + 3);
    // Once the dispatcher runs, the events become notifications.
    krika_api::outbox::drain(&state.dispatcher).await;
    let counts = state.messaging.unread_counts(&viewer).await.unwrap();
    assert!(
        counts.notifications > 0 && counts.messages > 0,
        "{counts:?}"
    );
    // Seeding the offers again finds their codes taken and adds none.
    let again = market::run(&state, &database.url, 0).await.unwrap();
    assert_eq!((again.offers, again.orders), (0, 0));
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = st::Uuid)]
    id: uuid::Uuid,
}

async fn user_id(conn: &mut AsyncPgConnection, email: &str) -> UserId {
    let row: IdRow = diesel::sql_query("SELECT id FROM users WHERE email = $1")
        .bind::<st::Text, _>(email)
        .get_result(conn)
        .await
        .unwrap();
    UserId(row.id)
}
