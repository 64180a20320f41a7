//! The catalog adapter: schema in step, bounded queries per page, atomic image counts.

use std::cell::Cell;

use chrono::Utc;
use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};
use krika_catalog::ports::{ImagesRefused, NewService, ServiceKey, ServiceRepository};
use krika_catalog::{Package, ServiceContent, ServiceImage, ServiceQuery, ServiceStatus};
use krika_identity::ports::UserRepository;
use krika_kernel::ids::{CategoryId, ImageId, PackageId, ServiceId};
use krika_kernel::{PageRequest, RepoError};
use krika_postgres::testing::TestDatabase;
use krika_postgres::{Db, DbConfig, PgCatalogStore, PgIdentityStore};

thread_local! {
    /// Queries started on this thread (each test runs on its own current-thread runtime).
    static QUERIES: Cell<usize> = const { Cell::new(0) };
}

struct CountQueries;

impl Instrumentation for CountQueries {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            QUERIES.with(|q| q.set(q.get() + 1));
        }
    }
}

fn count_queries() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(CountQueries))
}

async fn stores() -> (PgCatalogStore, PgIdentityStore, Db, TestDatabase) {
    let database = TestDatabase::create().await;
    let db = Db::connect(&DbConfig::new(&database.url)).unwrap();
    (
        PgCatalogStore::new(db.clone()),
        PgIdentityStore::new(db.clone()),
        db,
        database,
    )
}

async fn seller(users: &PgIdentityStore, n: usize) -> krika_kernel::ids::UserId {
    let user = super::identity::new_user(&format!("seller{n}@example.com"), &format!("seller{n}"));
    users.create(user).await.unwrap().id
}

async fn any_category(catalog: &PgCatalogStore) -> CategoryId {
    use krika_catalog::ports::CategoryRepository;
    catalog
        .categories()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.slug == "developpement-web")
        .unwrap()
        .id
}

fn content(category: CategoryId, title: &str, price: i64) -> ServiceContent {
    ServiceContent {
        title: title.into(),
        short_description: "Court".into(),
        description: "Long".into(),
        category_id: category,
        tags: vec!["web".into()],
        packages: vec![Package {
            id: PackageId::new(),
            name: "Basique".into(),
            description: String::new(),
            price,
            delivery_days: 3,
            revisions: 1,
            features: vec![],
        }],
        extras: vec![],
    }
}

async fn approved(
    catalog: &PgCatalogStore,
    seller: krika_kernel::ids::UserId,
    category: CategoryId,
    title: &str,
) -> ServiceId {
    let id = ServiceId::new();
    let new = NewService {
        id,
        seller_id: seller,
        slug: krika_kernel::slug::slugify(title, 80),
        content: content(category, title, 10_000),
        currency: krika_kernel::Currency::XOF,
        now: Utc::now(),
    };
    catalog.create_service(new).await.unwrap().unwrap();
    catalog
        .moderate_service(
            id,
            ServiceStatus::PendingReview,
            ServiceStatus::Approved,
            None,
            &[],
            Utc::now(),
        )
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn every_table_matches_the_schema_module() {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use krika_postgres::schema::*;
    let (_, _, db, _database) = stores().await;
    let mut conn = db.conn().await.unwrap();
    macro_rules! check {
        ($($table:ident),+) => {$(
            $table::table
                .select($table::all_columns)
                .limit(0)
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", stringify!($table)));
        )+};
    }
    check!(
        users,
        sessions,
        refresh_tokens,
        password_resets,
        kyc_submissions,
        categories,
        services,
        service_images
    );
}

#[tokio::test]
async fn a_page_costs_the_same_queries_whatever_its_size() {
    let _ = set_default_instrumentation(count_queries);
    let (catalog, users, _db, _database) = stores().await;
    let category = any_category(&catalog).await;
    for n in 0..12 {
        let seller = seller(&users, n).await;
        let id = approved(&catalog, seller, category, &format!("Site web numéro {n}")).await;
        let image = ServiceImage {
            id: ImageId::new(),
            key: format!("public/services/{id}/{n}.png"),
            position: 0,
        };
        catalog
            .add_images(id, &[image], 8, ServiceStatus::Approved, Utc::now())
            .await
            .unwrap();
    }
    let mut costs = Vec::new();
    for limit in [2, 12] {
        for search in [None, Some("site")] {
            let mut query = ServiceQuery::public();
            query.search = search.map(Into::into);
            let page = PageRequest::parse(None, Some(limit), 20).unwrap();
            let before = QUERIES.with(Cell::get);
            let found = catalog.search_services(&query, page).await.unwrap();
            costs.push(QUERIES.with(Cell::get) - before);
            assert_eq!(found.items.len(), limit as usize);
            assert!(found.items.iter().all(|s| s.images.len() == 1));
        }
    }
    // A count and a page (images and seller ratings come with the rows), for 2 services
    // and for 12 alike; no pool check either.
    assert_eq!(costs, [2, 2, 2, 2]);

    // A service page: one statement (prepared once per connection: see below).
    let id = found_one(&catalog).await;
    let before = QUERIES.with(Cell::get);
    let service = catalog
        .find_service(ServiceKey::Id(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(QUERIES.with(Cell::get) - before, 1);
    assert_eq!(service.images.len(), 1);
}

#[tokio::test]
async fn a_service_page_is_prepared_once_per_connection() {
    // Raw SQL in a statement makes the driver prepare it anew, and PostgreSQL plan it, on
    // every request; a fixed statement stays prepared on its connection.
    let database = TestDatabase::create().await;
    let mut config = DbConfig::new(&database.url);
    config.max_connections = 1;
    let db = Db::connect(&config).unwrap();
    let (catalog, users) = (
        PgCatalogStore::new(db.clone()),
        PgIdentityStore::new(db.clone()),
    );
    let category = any_category(&catalog).await;
    let seller = seller(&users, 1).await;
    for title in ["Logo vectoriel", "Carte de visite"] {
        let id = approved(&catalog, seller, category, title).await;
        catalog
            .find_service(ServiceKey::Id(id))
            .await
            .unwrap()
            .unwrap();
    }
    let mut conn = db.conn().await.unwrap();
    let kept = crate::prepared(
        &mut conn,
        &["krika_service_images(", "\"services\".\"id\" = $1"],
    )
    .await;
    assert_eq!(kept, 1);
}

async fn found_one(catalog: &PgCatalogStore) -> ServiceId {
    let page = PageRequest::parse(None, Some(1), 20).unwrap();
    let found = catalog
        .search_services(&ServiceQuery::public(), page)
        .await
        .unwrap();
    found.items[0].id
}

#[tokio::test]
async fn a_sellers_stored_rating_follows_their_live_services() {
    use diesel_async::SimpleAsyncConnection;
    let (catalog, users, db, _database) = stores().await;
    let category = any_category(&catalog).await;
    let seller = seller(&users, 1).await;
    let kept = approved(&catalog, seller, category, "Logo pro").await;
    let dropped = approved(&catalog, seller, category, "Flyer pro").await;
    // What reviews would have written: 2 reviews (9 stars) and 1 review (1 star).
    let mut conn = db.conn().await.unwrap();
    conn.batch_execute(&format!(
        "UPDATE services SET rating_total = 9, reviews_count = 2 WHERE id = '{kept}';
         UPDATE services SET rating_total = 1, reviews_count = 1 WHERE id = '{dropped}';"
    ))
    .await
    .unwrap();
    assert_eq!(
        krika_postgres::refresh_seller_ratings(&mut conn)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        krika_postgres::refresh_seller_ratings(&mut conn)
            .await
            .unwrap(),
        0,
        "idempotent"
    );
    let rating = async || {
        let service = catalog
            .find_service(ServiceKey::Id(kept))
            .await
            .unwrap()
            .unwrap();
        service.seller.rating
    };
    assert_eq!(rating().await, 3.3);

    // Deleting a service takes its reviews out of the seller's rating, once.
    assert!(catalog.delete_service(dropped, Utc::now()).await.unwrap());
    assert!(!catalog.delete_service(dropped, Utc::now()).await.unwrap());
    assert_eq!(rating().await, 4.5);
    let stats = catalog.seller_stats(seller).await.unwrap();
    assert_eq!(stats.rating, 4.5, "the profile agrees");
}

#[tokio::test]
async fn concurrent_uploads_never_pass_the_image_limit() {
    let (catalog, users, _db, _database) = stores().await;
    let category = any_category(&catalog).await;
    let seller = seller(&users, 1).await;
    let id = approved(&catalog, seller, category, "Boutique en ligne").await;
    let batch = |tag: &str| -> Vec<ServiceImage> {
        (0..5)
            .map(|i| ServiceImage {
                id: ImageId::new(),
                key: format!("public/services/{id}/{tag}{i}.png"),
                position: i,
            })
            .collect()
    };
    let (a, b) = (batch("a"), batch("b"));
    let (first, second) = tokio::join!(
        catalog.add_images(id, &a, 8, ServiceStatus::PendingReview, Utc::now()),
        catalog.add_images(id, &b, 8, ServiceStatus::PendingReview, Utc::now()),
    );
    let outcomes = [first, second];
    assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1);
    assert!(
        outcomes
            .iter()
            .any(|o| matches!(o, Err(RepoError::Refused(ImagesRefused::Full { count: 5 }))))
    );
    let service = catalog
        .find_service(krika_catalog::ports::ServiceKey::Id(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(service.images.len(), 5);
    assert_eq!(service.status, ServiceStatus::PendingReview);
}

#[tokio::test]
async fn slugs_stay_unique_and_deleted_services_free_theirs() {
    let (catalog, users, _db, _database) = stores().await;
    let category = any_category(&catalog).await;
    let seller = seller(&users, 1).await;
    let first = approved(&catalog, seller, category, "Site vitrine").await;
    let second = approved(&catalog, seller, category, "Site vitrine").await;
    let slug = |id| {
        let catalog = &catalog;
        async move {
            catalog
                .find_service(krika_catalog::ports::ServiceKey::Id(id))
                .await
                .unwrap()
                .unwrap()
                .slug
        }
    };
    assert_eq!(slug(first).await, "site-vitrine");
    assert_eq!(slug(second).await, "site-vitrine-2");
    assert!(catalog.delete_service(first, Utc::now()).await.unwrap());
    let third = approved(&catalog, seller, category, "Site vitrine").await;
    assert_eq!(slug(third).await, "site-vitrine");
}
