//! Catalog use cases on the in-memory adapters, with a clock that only moves when told.

use std::sync::Arc;

use chrono::Duration;
use krika_catalog::ports::CategoryRepository;
use krika_catalog::{
    Actor, Catalog, CatalogConfig, CatalogError, CatalogPorts, Category, CategoryDraft,
    CategoryInput, ListParams, PackageInput, Service, ServiceInput, ServicePatch, ServiceStatus,
};
use krika_kernel::ids::{CategoryId, ImageId, UserId};
use krika_kernel::{Clock, ManualClock, PageRequest};
use krika_memory::{MemoryBlobStore, MemoryCache, MemoryCatalogStore};

const TREE_KEY: &str = "catalog:categories";

struct World {
    catalog: Catalog,
    clock: Arc<ManualClock>,
    store: Arc<MemoryCatalogStore>,
    cache: Arc<MemoryCache>,
    blobs: Arc<MemoryBlobStore>,
    admin: Actor,
    /// Awa, the seller most tests follow.
    seller: Actor,
    /// Another seller, a stranger to Awa's services.
    rival: Actor,
    /// A buyer: signed in, not a seller.
    client: Actor,
    /// "Graphisme & Design", created by the admin.
    design: Category,
}

fn actor(is_seller: bool, is_admin: bool) -> Actor {
    Actor {
        id: UserId::new(),
        is_seller,
        is_admin,
    }
}

async fn world() -> World {
    world_with(CatalogConfig::default()).await
}

async fn world_with(config: CatalogConfig) -> World {
    let clock = Arc::new(ManualClock::starting_now());
    let store = Arc::new(MemoryCatalogStore::default());
    let cache = Arc::new(MemoryCache::with_clock(clock.clone()));
    let blobs = Arc::new(MemoryBlobStore::default());
    let catalog = Catalog::new(
        CatalogPorts {
            categories: store.clone(),
            services: store.clone(),
            blobs: blobs.clone(),
            cache: cache.clone(),
            clock: clock.clone(),
        },
        config,
    );
    let (admin, seller, rival, client) = (
        actor(false, true),
        actor(true, false),
        actor(true, false),
        actor(false, false),
    );
    store.add_seller(seller.id, "awa", "Awa Traoré");
    store.add_seller(rival.id, "moussa", "Moussa Diallo");
    let design = catalog
        .create_category(&admin, named("Graphisme & Design"))
        .await
        .unwrap();
    World {
        catalog,
        clock,
        store,
        cache,
        blobs,
        admin,
        seller,
        rival,
        client,
        design,
    }
}

fn named(name: &str) -> CategoryInput {
    CategoryInput {
        name: Some(name.into()),
        ..CategoryInput::default()
    }
}

fn package(name: &str, price: i64) -> PackageInput {
    PackageInput {
        name: Some(name.into()),
        price: Some(price),
        delivery_days: Some(3),
        ..PackageInput::default()
    }
}

fn input(title: &str, category: CategoryId) -> ServiceInput {
    ServiceInput {
        title: Some(title.into()),
        short_description: Some("Un travail soigné, livré à temps".into()),
        description: Some("Je réalise votre projet de A à Z.".into()),
        category_id: Some(category),
        tags: vec!["Logo".into(), "design".into()],
        packages: vec![package("Basique", 15_000), package("Premium", 5_000)],
        extras: vec![],
    }
}

fn page(page: i64, limit: i64) -> PageRequest {
    PageRequest::parse(Some(page), Some(limit), 20).unwrap()
}

fn first_page() -> PageRequest {
    page(1, 20)
}

fn fields(error: CatalogError) -> Vec<String> {
    match error {
        CatalogError::Validation(errors) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn png(n: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend([n; 16]);
    bytes
}

impl World {
    /// A service by `actor` in `category`, a minute after the previous one.
    async fn publish_in(&self, actor: &Actor, title: &str, category: CategoryId) -> Service {
        self.clock.advance(Duration::minutes(1));
        self.catalog
            .create_service(actor, input(title, category))
            .await
            .unwrap()
    }

    async fn publish(&self, title: &str) -> Service {
        self.publish_in(&self.seller, title, self.design.id).await
    }

    /// Published by Awa and approved by the admin.
    async fn approved(&self, title: &str) -> Service {
        let service = self.publish(title).await;
        self.approve(&service).await
    }

    async fn approve(&self, service: &Service) -> Service {
        self.catalog
            .approve_service(&self.admin, &service.id.to_string())
            .await
            .unwrap()
    }

    /// Slugs of the public listing.
    async fn listed(&self, params: ListParams) -> Vec<String> {
        self.catalog
            .list_services(params, first_page())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|s| s.slug)
            .collect()
    }

    async fn listed_all(&self) -> Vec<String> {
        self.listed(ListParams::default()).await
    }

    async fn edit(
        &self,
        actor: &Actor,
        service: &Service,
        patch: ServicePatch,
    ) -> Result<Service, CatalogError> {
        self.catalog
            .update_service(actor, &service.id.to_string(), patch)
            .await
    }

    async fn count_in(&self, slug: &str) -> u64 {
        self.catalog.category(slug).await.unwrap().services_count
    }
}

fn retitle(title: &str) -> ServicePatch {
    ServicePatch {
        title: Some(title.into()),
        ..ServicePatch::default()
    }
}

// ---------------------------------------------------------------------------------------
// Publishing and reading
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_client_cannot_publish() {
    let w = world().await;
    let error = w
        .catalog
        .create_service(&w.client, input("Je vais créer votre logo", w.design.id))
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    assert_eq!(w.store.services_count(), 0);
}

#[tokio::test]
async fn a_seller_publishes_for_review_under_a_folded_slug() {
    let w = world().await;
    let service = w
        .publish("  Je vais créer votre logo élégant à Abidjan ")
        .await;
    assert_eq!(service.slug, "je-vais-creer-votre-logo-elegant-a-abidjan");
    assert_eq!(service.title, "Je vais créer votre logo élégant à Abidjan");
    assert_eq!(service.status, ServiceStatus::PendingReview);
    assert_eq!(service.starting_price, 5_000);
    assert_eq!(service.currency, krika_kernel::Currency::XOF);
    assert_eq!(service.tags, ["logo", "design"]);
    assert_eq!(service.rating, 0.0);
    assert_eq!(service.reviews_count, 0);
    assert!(service.is_available);
    assert!(service.rejection_reason.is_none());
    assert_eq!(service.seller.id, w.seller.id);
    assert_eq!(service.seller.username, "awa");
    assert_eq!(service.seller.name, "Awa Traoré");
    assert_eq!(service.category.id, w.design.id);
    assert_eq!(service.category.slug, "graphisme-design");
    assert_eq!(service.created_at, w.clock.now());

    // Same title, by anyone: the next free suffix.
    let second = w
        .publish("Je vais créer votre logo élégant à Abidjan")
        .await;
    let third = w
        .publish_in(
            &w.rival,
            "Je vais créer votre logo élégant à Abidjan",
            w.design.id,
        )
        .await;
    assert_eq!(second.slug, "je-vais-creer-votre-logo-elegant-a-abidjan-2");
    assert_eq!(third.slug, "je-vais-creer-votre-logo-elegant-a-abidjan-3");
    assert_eq!(third.seller.username, "moussa");

    // Only live services hold a slug.
    w.catalog
        .delete_service(&w.seller, &service.slug)
        .await
        .unwrap();
    let fourth = w
        .publish("Je vais créer votre logo élégant à Abidjan")
        .await;
    assert_eq!(fourth.slug, "je-vais-creer-votre-logo-elegant-a-abidjan");
}

#[tokio::test]
async fn publishing_checks_the_content_and_the_category() {
    let w = world().await;
    let mut bad = input("Logo", w.design.id);
    bad.packages = vec![];
    let error = w.catalog.create_service(&w.seller, bad).await.unwrap_err();
    assert_eq!(fields(error), ["title", "packages"]);

    let error = w
        .catalog
        .create_service(
            &w.seller,
            input("Je vais créer votre logo", CategoryId::new()),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["categoryId"]);
    assert_eq!(w.store.services_count(), 0);
}

#[tokio::test]
async fn a_pending_service_is_seen_only_by_its_seller_and_admins() {
    let w = world().await;
    let service = w.publish("Je vais créer votre logo").await;
    for key in [service.id.to_string(), service.slug.clone()] {
        for stranger in [None, Some(&w.client), Some(&w.rival)] {
            let error = w.catalog.service(stranger, &key).await.unwrap_err();
            assert!(matches!(error, CatalogError::NotFound), "{error:?}");
        }
        for insider in [&w.seller, &w.admin] {
            let seen = w.catalog.service(Some(insider), &key).await.unwrap();
            assert_eq!(seen.id, service.id);
            assert_eq!(seen.status, ServiceStatus::PendingReview);
        }
    }
    assert!(w.listed_all().await.is_empty());
    // Not cached either: only approved services are.
    assert!(!w.cache.contains(&format!("catalog:service:{}", service.id)));

    let error = w.catalog.service(None, "nothing-here").await.unwrap_err();
    assert!(matches!(error, CatalogError::NotFound), "{error:?}");
}

#[tokio::test]
async fn another_seller_cannot_edit_hidden_then_forbidden() {
    let w = world().await;
    let service = w.publish("Je vais créer votre logo").await;
    let error = w
        .edit(&w.rival, &service, retitle("Je vais voler ce logo"))
        .await
        .unwrap_err();
    assert!(matches!(error, CatalogError::NotFound), "{error:?}");

    w.approve(&service).await;
    let error = w
        .edit(&w.rival, &service, retitle("Je vais voler ce logo"))
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    // Admins moderate, they do not rewrite sellers' services.
    let error = w
        .edit(&w.admin, &service, retitle("Je vais voler ce logo"))
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    let error = w
        .catalog
        .delete_service(&w.rival, &service.slug)
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");

    let unchanged = w.catalog.service(None, &service.slug).await.unwrap();
    assert_eq!(unchanged.title, "Je vais créer votre logo");
}

// ---------------------------------------------------------------------------------------
// Moderation
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn an_approved_service_is_listed_publicly_and_counted() {
    let w = world().await;
    let service = w.publish("Je vais créer votre logo").await;
    assert_eq!(w.count_in("graphisme-design").await, 0);

    let approved = w.approve(&service).await;
    assert_eq!(approved.status, ServiceStatus::Approved);
    assert_eq!(w.listed_all().await, ["je-vais-creer-votre-logo"]);
    let public = w.catalog.service(None, &service.slug).await.unwrap();
    assert_eq!(public.status, ServiceStatus::Approved);
    // Approval dropped the cached tree, so the count is fresh.
    assert_eq!(w.count_in("graphisme-design").await, 1);
}

#[tokio::test]
async fn the_moderation_queue_is_oldest_submission_first() {
    let w = world().await;
    let a = w.publish("Premier service de logo").await;
    let b = w.publish("Deuxième service de logo").await;
    let c = w.publish("Troisième service de logo").await;
    let queue = |w: &World| {
        let catalog = w.catalog.clone();
        let admin = w.admin;
        async move {
            catalog
                .moderation_queue(&admin, None, first_page())
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(queue(&w).await, [a.id, b.id, c.id]);

    w.approve(&a).await;
    assert_eq!(queue(&w).await, [b.id, c.id]);
    let approved = w
        .catalog
        .moderation_queue(&w.admin, Some(ServiceStatus::Approved), first_page())
        .await
        .unwrap();
    assert_eq!(approved.total, 1);
    assert_eq!(approved.items[0].id, a.id);

    // An edit resubmits: back in the queue, behind those already waiting.
    w.clock.advance(Duration::minutes(1));
    w.edit(&w.seller, &a, retitle("Premier service de logo, revu"))
        .await
        .unwrap();
    assert_eq!(queue(&w).await, [b.id, c.id, a.id]);

    let second_page = w
        .catalog
        .moderation_queue(&w.admin, None, page(2, 2))
        .await
        .unwrap();
    assert_eq!(second_page.total, 3);
    assert_eq!(second_page.items.len(), 1);
    assert_eq!(second_page.items[0].id, a.id);
}

#[tokio::test]
async fn editing_what_buyers_judge_sends_it_back_to_review() {
    let w = world().await;
    let service = w.approved("Je vais créer votre logo").await;
    assert_eq!(w.count_in("graphisme-design").await, 1);

    // Availability and tags are not reviewed.
    let paused = w
        .edit(
            &w.seller,
            &service,
            ServicePatch {
                is_available: Some(false),
                ..ServicePatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(paused.status, ServiceStatus::Approved);
    assert!(!paused.is_available);
    assert!(w.listed_all().await.is_empty());
    assert_eq!(w.count_in("graphisme-design").await, 0);

    let resumed = w
        .edit(
            &w.seller,
            &service,
            ServicePatch {
                is_available: Some(true),
                tags: Some(vec!["Branding".into()]),
                ..ServicePatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(resumed.status, ServiceStatus::Approved);
    assert_eq!(resumed.tags, ["branding"]);
    let by_tag = ListParams {
        tags: vec!["branding".into()],
        ..ListParams::default()
    };
    assert_eq!(w.listed(by_tag).await, ["je-vais-creer-votre-logo"]);
    // The cached copy was dropped: the public read shows the new tags.
    let public = w
        .catalog
        .service(None, &service.id.to_string())
        .await
        .unwrap();
    assert_eq!(public.tags, ["branding"]);

    // The title is: back to review, out of the listing, hidden from the public.
    let edited = w
        .edit(
            &w.seller,
            &service,
            retitle("Je vais créer votre logo animé"),
        )
        .await
        .unwrap();
    assert_eq!(edited.status, ServiceStatus::PendingReview);
    assert_eq!(edited.title, "Je vais créer votre logo animé");
    // The slug stays: links keep working.
    assert_eq!(edited.slug, "je-vais-creer-votre-logo");
    assert!(w.listed_all().await.is_empty());
    assert_eq!(w.count_in("graphisme-design").await, 0);
    let error = w
        .catalog
        .service(None, &service.id.to_string())
        .await
        .unwrap_err();
    assert!(matches!(error, CatalogError::NotFound), "{error:?}");

    // So are the packages.
    let service = w.approve(&edited).await;
    let repriced = w
        .edit(
            &w.seller,
            &service,
            ServicePatch {
                packages: Some(vec![package("Unique", 2_500)]),
                ..ServicePatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(repriced.status, ServiceStatus::PendingReview);
    assert_eq!(repriced.starting_price, 2_500);
}

#[tokio::test]
async fn rejecting_needs_a_reason_and_only_pending_services_are_decided() {
    let w = world().await;
    let service = w.publish("Je vais créer votre logo").await;
    let key = service.id.to_string();

    // The seller is refused as such before the reason is looked at.
    let error = w
        .catalog
        .reject_service(&w.seller, &key, "   ")
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    let error = w
        .catalog
        .reject_service(&w.admin, &key, "   ")
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["reason"]);
    let error = w
        .catalog
        .reject_service(&w.admin, &key, &"x".repeat(1001))
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["reason"]);

    let rejected = w
        .catalog
        .reject_service(&w.admin, &key, "  Images floues ")
        .await
        .unwrap();
    assert_eq!(rejected.status, ServiceStatus::Rejected);
    assert_eq!(rejected.rejection_reason.as_deref(), Some("Images floues"));
    // The seller still sees it, with the reason; the public does not.
    let seen = w.catalog.service(Some(&w.seller), &key).await.unwrap();
    assert_eq!(seen.rejection_reason.as_deref(), Some("Images floues"));
    assert!(w.catalog.service(None, &key).await.is_err());

    let error = w.catalog.approve_service(&w.admin, &key).await.unwrap_err();
    match error {
        CatalogError::InvalidTransition { from, .. } => assert_eq!(from, "rejected"),
        other => panic!("expected an invalid transition, got {other:?}"),
    }

    // Fixing it resubmits it and clears the old reason.
    let fixed = w
        .edit(&w.seller, &service, retitle("Je vais créer votre logo net"))
        .await
        .unwrap();
    assert_eq!(fixed.status, ServiceStatus::PendingReview);
    assert_eq!(fixed.rejection_reason, None);

    let approved = w.catalog.approve_service(&w.admin, &key).await.unwrap();
    assert_eq!(approved.status, ServiceStatus::Approved);
    assert_eq!(approved.rejection_reason, None);
    let error = w.catalog.approve_service(&w.admin, &key).await.unwrap_err();
    match error {
        CatalogError::InvalidTransition { from, .. } => assert_eq!(from, "approved"),
        other => panic!("expected an invalid transition, got {other:?}"),
    }
    let error = w
        .catalog
        .reject_service(&w.admin, &key, "Trop tard")
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        CatalogError::InvalidTransition {
            from: "approved",
            ..
        }
    ));
}

#[tokio::test]
async fn admin_only_operations_are_refused_to_others() {
    let w = world().await;
    let service = w.publish("Je vais créer votre logo").await;
    let key = service.id.to_string();
    for someone in [w.seller, w.rival, w.client] {
        let errors = [
            w.catalog.approve_service(&someone, &key).await.unwrap_err(),
            w.catalog
                .reject_service(&someone, &key, "Non")
                .await
                .unwrap_err(),
            w.catalog
                .moderation_queue(&someone, None, first_page())
                .await
                .unwrap_err(),
            w.catalog
                .create_category(&someone, named("Musique"))
                .await
                .unwrap_err(),
            w.catalog
                .update_category(&someone, "graphisme-design", named("Graphisme"))
                .await
                .unwrap_err(),
            w.catalog
                .delete_category(&someone, "graphisme-design")
                .await
                .unwrap_err(),
        ];
        for error in errors {
            assert!(error.is_forbidden(), "{error:?}");
        }
    }
    let still = w.catalog.service(Some(&w.admin), &key).await.unwrap();
    assert_eq!(still.status, ServiceStatus::PendingReview);
    assert_eq!(w.catalog.category_tree().await.unwrap().categories.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Deleting
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_seller_or_an_admin_deletes_a_service() {
    let w = world().await;
    let mine = w.approved("Je vais créer votre logo").await;
    let other = w.approved("Je vais créer votre flyer").await;
    assert_eq!(w.listed_all().await.len(), 2);
    // Cached by the public read.
    w.catalog.service(None, &mine.id.to_string()).await.unwrap();

    w.catalog
        .delete_service(&w.seller, &mine.id.to_string())
        .await
        .unwrap();
    for who in [None, Some(&w.seller), Some(&w.admin)] {
        let error = w
            .catalog
            .service(who, &mine.id.to_string())
            .await
            .unwrap_err();
        assert!(matches!(error, CatalogError::NotFound), "{error:?}");
    }
    let error = w
        .catalog
        .delete_service(&w.seller, &mine.id.to_string())
        .await
        .unwrap_err();
    assert!(matches!(error, CatalogError::NotFound), "{error:?}");

    w.catalog
        .delete_service(&w.admin, &other.slug)
        .await
        .unwrap();
    assert!(w.listed_all().await.is_empty());
    assert_eq!(w.count_in("graphisme-design").await, 0);
    // Soft deletes: the rows stay for orders.
    assert_eq!(w.store.services_count(), 2);
}

// ---------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn images_are_checked_counted_stored_and_removed() {
    let w = world().await;
    let service = w.approved("Je vais créer votre logo").await;
    let key = service.id.to_string();

    let error = w
        .catalog
        .add_images(&w.seller, &key, vec![png(1), b"just some text".to_vec()])
        .await
        .unwrap_err();
    assert!(matches!(error, CatalogError::UnsupportedMedia), "{error:?}");
    assert!(
        w.blobs.keys().is_empty(),
        "a bad file in the batch stores nothing"
    );

    let error = w
        .catalog
        .add_images(&w.seller, &key, (0..6).map(png).collect())
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["files"]);
    let error = w
        .catalog
        .add_images(&w.seller, &key, vec![])
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["files"]);

    let error = w
        .catalog
        .add_images(&w.rival, &key, vec![png(1)])
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");

    let with_five = w
        .catalog
        .add_images(&w.seller, &key, (0..5).map(png).collect())
        .await
        .unwrap();
    assert_eq!(with_five.images.len(), 5);
    assert_eq!(
        with_five
            .images
            .iter()
            .map(|i| i.position)
            .collect::<Vec<_>>(),
        [0, 1, 2, 3, 4]
    );
    let prefix = format!("public/services/{}/", service.id);
    assert!(
        with_five
            .images
            .iter()
            .all(|i| i.key.starts_with(&prefix) && i.key.ends_with(".png"))
    );
    assert_eq!(w.blobs.keys().len(), 5);
    // Images are part of what was approved.
    assert_eq!(with_five.status, ServiceStatus::PendingReview);
    assert!(w.listed_all().await.is_empty());

    let with_eight = w
        .catalog
        .add_images(&w.seller, &key, (5..8).map(png).collect())
        .await
        .unwrap();
    assert_eq!(with_eight.images.len(), 8);
    assert_eq!(with_eight.images[7].position, 7);

    let error = w
        .catalog
        .add_images(&w.seller, &key, vec![png(9)])
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["files"]);
    assert_eq!(w.blobs.keys().len(), 8);

    let gone = with_eight.images[2].clone();
    w.catalog
        .remove_image(&w.seller, &key, gone.id)
        .await
        .unwrap();
    let after = w.catalog.service(Some(&w.seller), &key).await.unwrap();
    assert_eq!(after.images.len(), 7);
    assert!(after.images.iter().all(|i| i.id != gone.id));
    assert_eq!(w.blobs.keys().len(), 7);
    assert!(!w.blobs.keys().contains(&gone.key));

    let error = w
        .catalog
        .remove_image(&w.seller, &key, ImageId::new())
        .await
        .unwrap_err();
    assert!(matches!(error, CatalogError::NotFound), "{error:?}");
    let error = w
        .catalog
        .remove_image(&w.seller, &key, gone.id)
        .await
        .unwrap_err();
    assert!(matches!(error, CatalogError::NotFound), "{error:?}");

    // A freed place can be used again, after the last position.
    let refilled = w
        .catalog
        .add_images(&w.seller, &key, vec![png(10)])
        .await
        .unwrap();
    assert_eq!(refilled.images.len(), 8);
    assert_eq!(refilled.images.last().unwrap().position, 8);
}

#[tokio::test]
async fn an_image_too_large_is_refused() {
    let w = world_with(CatalogConfig {
        image_max_bytes: 20,
        ..CatalogConfig::default()
    })
    .await;
    let service = w.publish("Je vais créer votre logo").await;
    let mut big = png(1);
    big.extend([0; 8]);
    let error = w
        .catalog
        .add_images(&w.seller, &service.slug, vec![big])
        .await
        .unwrap_err();
    assert!(
        matches!(error, CatalogError::TooLarge { limit: 20 }),
        "{error:?}"
    );
    assert!(w.blobs.keys().is_empty());
}

// ---------------------------------------------------------------------------------------
// Listing and search
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_category_filter_includes_its_sub_categories() {
    let w = world().await;
    let tech = w
        .catalog
        .create_category(&w.admin, named("Programmation & Tech"))
        .await
        .unwrap();
    let web = w
        .catalog
        .create_category(
            &w.admin,
            CategoryInput {
                parent_id: Some(Some(tech.id)),
                ..named("Développement web")
            },
        )
        .await
        .unwrap();
    assert_eq!(web.slug, "developpement-web");
    assert_eq!(web.parent_id, Some(tech.id));

    let site = w
        .publish_in(&w.seller, "Je vais créer votre site vitrine", web.id)
        .await;
    w.approve(&site).await;
    w.approved("Je vais créer votre logo").await;

    let in_category = |category: &str| ListParams {
        category: Some(category.into()),
        ..ListParams::default()
    };
    assert_eq!(
        w.listed(in_category("programmation-tech")).await,
        ["je-vais-creer-votre-site-vitrine"]
    );
    assert_eq!(
        w.listed(in_category(&tech.id.to_string())).await,
        ["je-vais-creer-votre-site-vitrine"]
    );
    assert_eq!(
        w.listed(in_category("developpement-web")).await,
        ["je-vais-creer-votre-site-vitrine"]
    );
    assert_eq!(
        w.listed(in_category("graphisme-design")).await,
        ["je-vais-creer-votre-logo"]
    );

    let error = w
        .catalog
        .list_services(in_category("cuisine"), first_page())
        .await
        .unwrap_err();
    assert!(matches!(error, CatalogError::NotFound), "{error:?}");
    let error = w
        .catalog
        .list_services(in_category(&CategoryId::new().to_string()), first_page())
        .await
        .unwrap_err();
    assert!(matches!(error, CatalogError::NotFound), "{error:?}");

    // Counts add up the tree.
    assert_eq!(w.count_in("programmation-tech").await, 1);
    assert_eq!(w.count_in("developpement-web").await, 1);
    assert_eq!(w.count_in("graphisme-design").await, 1);
}

#[tokio::test]
async fn listing_parameters_are_validated() {
    let w = world().await;
    let cases = [
        (
            ListParams {
                sort_by: Some("relevance".into()),
                ..ListParams::default()
            },
            "sortBy",
        ),
        (
            ListParams {
                sort_by: Some("popularity".into()),
                ..ListParams::default()
            },
            "sortBy",
        ),
        (
            ListParams {
                min_price: Some(10_000),
                max_price: Some(5_000),
                ..ListParams::default()
            },
            "maxPrice",
        ),
        (
            ListParams {
                min_price: Some(-1),
                ..ListParams::default()
            },
            "minPrice",
        ),
        (
            ListParams {
                sort_order: Some("up".into()),
                ..ListParams::default()
            },
            "sortOrder",
        ),
        (
            ListParams {
                search: Some("a".repeat(201)),
                ..ListParams::default()
            },
            "search",
        ),
    ];
    for (params, field) in cases {
        let error = w
            .catalog
            .list_services(params, first_page())
            .await
            .unwrap_err();
        assert_eq!(fields(error), [field]);
    }
    // With a search, relevance is allowed.
    let found = w
        .catalog
        .list_services(
            ListParams {
                search: Some("logo".into()),
                sort_by: Some("relevance".into()),
                ..ListParams::default()
            },
            first_page(),
        )
        .await
        .unwrap();
    assert_eq!(found.total, 0);
}

/// Three approved services with distinct prices, in creation order.
async fn shop(w: &World) -> [Service; 3] {
    let mut specs = [
        (
            "Je vais créer votre logo minimaliste",
            8_000,
            vec!["logo", "logotype"],
        ),
        (
            "Je vais développer votre site web",
            50_000,
            vec!["web", "wordpress"],
        ),
        (
            "Je vais dessiner votre logo et votre carte de visite",
            20_000,
            vec!["logo", "print"],
        ),
    ]
    .into_iter()
    .map(|(title, price, tags)| ServiceInput {
        tags: tags.into_iter().map(String::from).collect(),
        packages: vec![package("Unique", price)],
        ..input(title, w.design.id)
    });
    let mut made = Vec::new();
    for _ in 0..3 {
        w.clock.advance(Duration::minutes(1));
        let service = w
            .catalog
            .create_service(&w.seller, specs.next().unwrap())
            .await
            .unwrap();
        made.push(w.approve(&service).await);
    }
    made.try_into().unwrap()
}

fn search(term: &str) -> ListParams {
    ListParams {
        search: Some(term.into()),
        ..ListParams::default()
    }
}

#[tokio::test]
async fn listings_filter_and_sort() {
    let w = world().await;
    let [logo, site, card] = shop(&w).await;
    let slugs = |services: &[&Service]| services.iter().map(|s| s.slug.clone()).collect::<Vec<_>>();

    // Newest first by default.
    assert_eq!(w.listed_all().await, slugs(&[&card, &site, &logo]));
    // Price: cheapest first by default, or as asked.
    let by_price = |order: Option<&str>| ListParams {
        sort_by: Some("price".into()),
        sort_order: order.map(String::from),
        ..ListParams::default()
    };
    assert_eq!(
        w.listed(by_price(None)).await,
        slugs(&[&logo, &card, &site])
    );
    assert_eq!(
        w.listed(by_price(Some("desc"))).await,
        slugs(&[&site, &card, &logo])
    );
    let oldest_first = ListParams {
        sort_by: Some("createdAt".into()),
        sort_order: Some("asc".into()),
        ..ListParams::default()
    };
    assert_eq!(w.listed(oldest_first).await, slugs(&[&logo, &site, &card]));

    // Rating: best first.
    assert!(w.store.set_counters(site.id, 19, 4, 4));
    assert!(w.store.set_counters(logo.id, 9, 3, 3));
    let by_rating = ListParams {
        sort_by: Some("rating".into()),
        ..ListParams::default()
    };
    assert_eq!(w.listed(by_rating).await, slugs(&[&site, &logo, &card]));

    let prices = ListParams {
        min_price: Some(8_000),
        max_price: Some(20_000),
        ..ListParams::default()
    };
    assert_eq!(w.listed(prices).await, slugs(&[&card, &logo]));
    let tags = ListParams {
        tags: vec!["logo,PRINT".into()],
        ..ListParams::default()
    };
    assert_eq!(w.listed(tags).await, slugs(&[&card]));
    let by_seller = |seller: UserId| ListParams {
        seller_id: Some(seller),
        ..ListParams::default()
    };
    assert_eq!(w.listed(by_seller(w.seller.id)).await.len(), 3);
    assert!(w.listed(by_seller(w.rival.id)).await.is_empty());

    // Pages never overlap.
    let second = w
        .catalog
        .list_services(ListParams::default(), page(2, 2))
        .await
        .unwrap();
    assert_eq!(second.total, 3);
    assert_eq!(
        slugs(&second.items.iter().collect::<Vec<_>>()),
        slugs(&[&logo])
    );
    assert!(!second.has_next());
}

#[tokio::test]
async fn search_folds_accents_and_case_and_ranks_by_relevance() {
    let w = world().await;
    let [logo, site, card] = shop(&w).await;
    let slugs = |services: &[&Service]| services.iter().map(|s| s.slug.clone()).collect::<Vec<_>>();

    // "créer" in the title, typed without accent and in capitals.
    assert_eq!(w.listed(search("CREER")).await, slugs(&[&logo]));
    // Accented query, plain text: "développer" is in the title.
    assert_eq!(w.listed(search("Développer")).await, slugs(&[&site]));
    // A tag is searched too.
    assert_eq!(w.listed(search("wordpress")).await, slugs(&[&site]));
    // Every word must match.
    assert_eq!(w.listed(search("logo visite")).await, slugs(&[&card]));
    assert!(w.listed(search("logo wordpress")).await.is_empty());
    assert!(w.listed(search("photographie")).await.is_empty());

    // Relevance: three words of the older service contain "logo" (title, tags "logo" and
    // "logotype"), two of the card's; newest first would put the card first.
    assert_eq!(w.listed(search("logo")).await, slugs(&[&logo, &card]));
    let newest = ListParams {
        sort_by: Some("createdAt".into()),
        ..search("logo")
    };
    assert_eq!(w.listed(newest).await, slugs(&[&card, &logo]));
    let cheapest = ListParams {
        sort_by: Some("price".into()),
        ..search("logo")
    };
    assert_eq!(w.listed(cheapest).await, slugs(&[&logo, &card]));

    // Only approved, available services are searched.
    w.edit(
        &w.seller,
        &card,
        ServicePatch {
            is_available: Some(false),
            ..ServicePatch::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(w.listed(search("logo")).await, slugs(&[&logo]));
}

// ---------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_category_tree_is_cached() {
    let w = world().await;
    let (hits, misses) = (w.cache.hits(), w.cache.misses());
    let first = w.catalog.category_tree().await.unwrap();
    assert_eq!(first.categories.len(), 1);
    assert_eq!((w.cache.hits(), w.cache.misses()), (hits, misses + 1));
    assert!(w.cache.contains(TREE_KEY));

    // Written behind the catalog's back: the cached tree does not see it…
    let draft = CategoryDraft {
        name: "Musique".into(),
        slug: "musique".into(),
        description: String::new(),
        parent_id: None,
        position: 0,
    };
    w.store
        .create_category(CategoryId::new(), &draft, w.clock.now())
        .await
        .unwrap();
    let second = w.catalog.category_tree().await.unwrap();
    assert_eq!(w.cache.hits(), hits + 1, "served from the cache");
    assert_eq!(
        second
            .categories
            .iter()
            .map(|c| c.slug.as_str())
            .collect::<Vec<_>>(),
        ["graphisme-design"]
    );
    // …until its TTL (60 s) has passed.
    w.clock.advance(Duration::seconds(59));
    assert_eq!(w.catalog.category_tree().await.unwrap().categories.len(), 1);
    w.clock.advance(Duration::seconds(1));
    assert_eq!(w.catalog.category_tree().await.unwrap().categories.len(), 2);

    // An admin's change drops it at once.
    w.catalog.category_tree().await.unwrap();
    let video = w
        .catalog
        .create_category(&w.admin, named("Vidéo & Animation"))
        .await
        .unwrap();
    assert!(!w.cache.contains(TREE_KEY));
    let tree = w.catalog.category_tree().await.unwrap();
    assert_eq!(tree.categories.len(), 3);
    assert_eq!(tree.find("video-animation").map(|c| c.id), Some(video.id));
    assert_eq!(w.catalog.category("musique").await.unwrap().name, "Musique");
}

#[tokio::test]
async fn categories_are_edited_with_unique_slugs_and_no_cycles() {
    let w = world().await;
    let error = w
        .catalog
        .create_category(&w.admin, named("Graphisme, design"))
        .await
        .unwrap_err();
    assert!(error.is_conflict(), "{error:?}");
    let error = w
        .catalog
        .create_category(
            &w.admin,
            CategoryInput {
                parent_id: Some(Some(CategoryId::new())),
                ..named("Orpheline")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["parentId"]);

    let logos = w
        .catalog
        .create_category(
            &w.admin,
            CategoryInput {
                parent_id: Some(Some(w.design.id)),
                ..named("Logos")
            },
        )
        .await
        .unwrap();
    // Under its own child: refused.
    let error = w
        .catalog
        .update_category(
            &w.admin,
            "graphisme-design",
            CategoryInput {
                parent_id: Some(Some(logos.id)),
                ..CategoryInput::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["parentId"]);

    let renamed = w
        .catalog
        .update_category(
            &w.admin,
            "logos",
            CategoryInput {
                name: Some("Logos & identité".into()),
                slug: Some("logos-identite".into()),
                position: Some(2),
                ..CategoryInput::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.slug, "logos-identite");
    assert_eq!(renamed.name, "Logos & identité");
    assert_eq!(renamed.position, 2);
    assert_eq!(
        renamed.parent_id,
        Some(w.design.id),
        "absent fields are kept"
    );
    let error = w
        .catalog
        .update_category(
            &w.admin,
            "logos-identite",
            CategoryInput {
                slug: Some("graphisme-design".into()),
                ..CategoryInput::default()
            },
        )
        .await
        .unwrap_err();
    assert!(error.is_conflict(), "{error:?}");
    let error = w
        .catalog
        .update_category(&w.admin, "logos", named("Logos"))
        .await
        .unwrap_err();
    assert!(matches!(error, CatalogError::NotFound), "{error:?}");
}

#[tokio::test]
async fn a_category_in_use_cannot_be_deleted() {
    let w = world().await;
    let service = w.publish("Je vais créer votre logo").await;
    let error = w
        .catalog
        .delete_category(&w.admin, "graphisme-design")
        .await
        .unwrap_err();
    assert!(error.is_conflict(), "{error:?}");
    // Even once the service is deleted: orders still point at it.
    w.catalog
        .delete_service(&w.seller, &service.slug)
        .await
        .unwrap();
    let error = w
        .catalog
        .delete_category(&w.admin, "graphisme-design")
        .await
        .unwrap_err();
    assert!(error.is_conflict(), "{error:?}");

    // A parent with a child is in use; the empty leaf goes.
    let parent = w
        .catalog
        .create_category(&w.admin, named("Musique"))
        .await
        .unwrap();
    w.catalog
        .create_category(
            &w.admin,
            CategoryInput {
                parent_id: Some(Some(parent.id)),
                ..named("Mixage")
            },
        )
        .await
        .unwrap();
    let error = w
        .catalog
        .delete_category(&w.admin, "musique")
        .await
        .unwrap_err();
    assert!(error.is_conflict(), "{error:?}");
    w.catalog.delete_category(&w.admin, "mixage").await.unwrap();
    w.catalog
        .delete_category(&w.admin, &parent.id.to_string())
        .await
        .unwrap();
    let error = w
        .catalog
        .delete_category(&w.admin, "musique")
        .await
        .unwrap_err();
    assert!(matches!(error, CatalogError::NotFound), "{error:?}");
    let slugs: Vec<String> = w
        .catalog
        .category_tree()
        .await
        .unwrap()
        .categories
        .into_iter()
        .map(|c| c.slug)
        .collect();
    assert_eq!(slugs, ["graphisme-design"]);
}

// ---------------------------------------------------------------------------------------
// Seller stats and caching of services
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn seller_stats_count_approved_services_only() {
    let w = world().await;
    let approved = w.approved("Je vais créer votre logo").await;
    let pending = w.publish("Je vais créer votre flyer").await;
    let rejected = w.publish("Je vais créer votre affiche").await;
    w.catalog
        .reject_service(&w.admin, &rejected.slug, "Hors sujet")
        .await
        .unwrap();
    let elsewhere = w
        .publish_in(&w.rival, "Je vais créer votre bannière", w.design.id)
        .await;
    w.approve(&elsewhere).await;

    let stats = w.catalog.seller_stats(w.seller.id).await.unwrap();
    assert_eq!(stats.services_count, 1);
    assert_eq!(stats.reviews_count, 0);
    assert_eq!(stats.rating, 0.0);

    // 5★+4★ on the approved one, 4★ on the one under review: reviews follow the seller.
    assert!(w.store.set_counters(approved.id, 9, 2, 5));
    assert!(w.store.set_counters(pending.id, 4, 1, 1));
    let stats = w.catalog.seller_stats(w.seller.id).await.unwrap();
    assert_eq!(stats.services_count, 1);
    assert_eq!(stats.reviews_count, 3);
    assert_eq!(stats.completed_orders, 6);
    assert_eq!(stats.rating, 4.3);

    let service = w.catalog.service(None, &approved.slug).await.unwrap();
    assert_eq!(service.rating, 4.5);
    assert_eq!(service.seller.rating, 4.3);

    let rival = w.catalog.seller_stats(w.rival.id).await.unwrap();
    assert_eq!(rival.services_count, 1);
    assert_eq!(rival.reviews_count, 0);
    let nobody = w.catalog.seller_stats(UserId::new()).await.unwrap();
    assert_eq!(nobody.services_count, 0);
}

#[tokio::test]
async fn approved_services_are_cached_until_changed() {
    let w = world().await;
    let service = w.approved("Je vais créer votre logo").await;
    let key = format!("catalog:service:{}", service.id);
    assert!(!w.cache.contains(&key), "approval dropped any cached copy");

    w.catalog
        .service(None, &service.id.to_string())
        .await
        .unwrap();
    assert!(w.cache.contains(&key));
    let hits = w.cache.hits();
    let cached = w
        .catalog
        .service(None, &service.id.to_string())
        .await
        .unwrap();
    assert_eq!(w.cache.hits(), hits + 1);
    assert_eq!(cached.id, service.id);

    w.edit(
        &w.seller,
        &service,
        ServicePatch {
            tags: Some(vec!["identité".into()]),
            ..ServicePatch::default()
        },
    )
    .await
    .unwrap();
    assert!(!w.cache.contains(&key));
    let fresh = w
        .catalog
        .service(None, &service.id.to_string())
        .await
        .unwrap();
    assert_eq!(fresh.tags, ["identité"]);
}

/// Adding or removing an image sends an approved service back to review, so the category
/// counts change; `Catalog::add_images` and `remove_image` drop only the service's cached
/// copy, not the cached tree, which then over-counts until its TTL. Ignored until
/// `crates/catalog/src/service/images.rs` also forgets `CATEGORIES_KEY`.
#[tokio::test]
async fn image_changes_refresh_the_category_counts() {
    let w = world().await;
    let service = w.approved("Je vais créer votre logo").await;
    assert_eq!(w.count_in("graphisme-design").await, 1);
    let changed = w
        .catalog
        .add_images(&w.seller, &service.slug, vec![png(1)])
        .await
        .unwrap();
    assert_eq!(changed.status, ServiceStatus::PendingReview);
    assert_eq!(w.count_in("graphisme-design").await, 0);
}

/// `catalog.counters` drops a service's cached page when its counters change, and treats
/// an event it can never act on (no `serviceId`) as done instead of retrying it forever.
#[tokio::test]
async fn counters_follow_forgets_the_page_and_skips_what_it_cannot_use() {
    use krika_catalog::subscribers::CountersFollow;
    use krika_kernel::ports::{Cache, StoredEvent, Subscriber};

    let w = world().await;
    let follow = CountersFollow(w.catalog.clone());
    assert!(follow.wants("order.completed") && follow.wants("review.created"));
    assert!(!follow.wants("order.created"));
    let service = krika_kernel::ids::ServiceId::new();
    let key = format!("catalog:service:{service}");
    w.cache.put(&key, b"cached", 60).await.unwrap();
    let event = |data| StoredEvent {
        id: uuid::Uuid::now_v7(),
        kind: "order.completed".into(),
        subject: uuid::Uuid::now_v7(),
        data,
        created_at: w.clock.now(),
        attempts: 0,
    };
    follow
        .handle(&event(
            serde_json::json!({ "serviceId": service.to_string() }),
        ))
        .await
        .unwrap();
    assert_eq!(w.cache.get(&key).await.unwrap(), None);
    for data in [serde_json::json!({}), serde_json::json!({ "serviceId": 7 })] {
        follow.handle(&event(data)).await.unwrap();
    }
}
