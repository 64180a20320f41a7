//! Ordering use cases on the in-memory adapters, with a clock that only moves when told:
//! placing and paying orders, moving them through their states, the money each move
//! writes, reviews and the platform's figures. Every test that moves money ends by
//! checking the ledger.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use krika_catalog::ports::{ServiceKey, ServiceRepository};
use krika_catalog::{
    Actor, Catalog, CategoryInput, ExtraInput, PackageInput, Service, ServiceInput,
};
use krika_identity::ports::{KycRepository, UserRepository};
use krika_identity::{
    DisplayName, DocumentType, Email, KycDocuments, KycIdentity, KycStatus, NewUser, PasswordHash,
    Role, UserStatus, Username,
};
use krika_kernel::ids::UserId;
use krika_kernel::{Clock, Currency, ManualClock, Money, PageRequest};
use krika_memory::{
    Marketplace, MemoryBlobStore, MemoryCatalogStore, MemoryIdentityStore, MemoryMarket,
};
use krika_ordering::ports::{Side, StatsReader};
use krika_ordering::{
    CheckoutInput, Customer, Order, OrderStatus, Ordering, OrderingError, Outcome, PaymentMethod,
    PlatformStats, ReviewInput, ServiceCounts, Upload, UserCounts,
};
use krika_payments::{Account, EntryType, OfferInput, Payer, Payments, PayoutInput, Wallet};

use OrderStatus::*;

#[path = "use_cases/settle.rs"]
mod settle;

struct World {
    ordering: Ordering,
    payments: Payments,
    catalog: Catalog,
    market: Arc<MemoryMarket>,
    store: Arc<MemoryCatalogStore>,
    identity: Arc<MemoryIdentityStore>,
    blobs: Arc<MemoryBlobStore>,
    clock: Arc<ManualClock>,
    admin: Customer,
    /// Awa sells the service most tests order.
    seller: Customer,
    /// Koffi buys it.
    buyer: Customer,
    /// Neither party of Koffi's orders.
    stranger: Customer,
    /// Awa's, approved: Basique 10 000 (3 days, one revision), Premium 25 000, and an
    /// extra at 5 000.
    service: Service,
}

const BASIC: i64 = 10_000;
const EXTRA: i64 = 5_000;
/// 10 % of the basic package.
const COMMISSION: i64 = 1_000;

fn xof(minor: i64) -> Money {
    Money::new(minor, Currency::XOF)
}

fn customer(name: &str, is_admin: bool) -> Customer {
    Customer {
        id: UserId::new(),
        name: name.into(),
        username: name.to_lowercase(),
        is_admin,
    }
}

fn actor(customer: &Customer) -> Actor {
    Actor {
        id: customer.id,
        is_seller: !customer.is_admin,
        is_admin: customer.is_admin,
    }
}

fn payer(customer: &Customer) -> Payer {
    Payer {
        id: customer.id,
        is_seller: true,
        kyc_approved: true,
        is_admin: customer.is_admin,
    }
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

fn first_page() -> PageRequest {
    PageRequest::parse(None, None, 20).unwrap()
}

fn service_input(title: &str, basic_price: i64) -> ServiceInput {
    let package = |name: &str, price, days, revisions| PackageInput {
        name: Some(name.into()),
        price: Some(price),
        delivery_days: Some(days),
        revisions: Some(revisions),
        ..PackageInput::default()
    };
    ServiceInput {
        title: Some(title.into()),
        short_description: Some("Un travail soigné, livré à temps".into()),
        description: Some("Je réalise votre projet de A à Z.".into()),
        category_id: None,
        tags: vec!["logo".into()],
        packages: vec![
            package("Basique", basic_price, 3, 1),
            package("Premium", 25_000, 5, 2),
        ],
        extras: vec![ExtraInput {
            title: Some("Fichiers sources".into()),
            price: Some(EXTRA),
            delivery_days: Some(1),
            ..ExtraInput::default()
        }],
    }
}

fn fields(error: OrderingError) -> Vec<String> {
    match error {
        OrderingError::Validation(errors) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn invalid(error: OrderingError) -> (&'static str, Vec<&'static str>) {
    match error {
        OrderingError::InvalidTransition { from, allowed } => (from, allowed),
        other => panic!("expected an invalid transition, got {other:?}"),
    }
}

async fn world() -> World {
    world_with(0).await
}

/// Earnings stay unspendable `clearance_days` after completion, in both services.
async fn world_with(clearance_days: i64) -> World {
    let clock = Arc::new(ManualClock::new(start()));
    let Marketplace {
        catalog,
        ordering,
        payments,
        store,
        identity,
        market,
        blobs,
        clock,
        ..
    } = Marketplace::new(clock, clearance_days);
    let (admin, seller) = (customer("Admin", true), customer("Awa", false));
    let service = publish(
        &catalog,
        &store,
        &admin,
        &seller,
        "Je vais créer votre logo",
        BASIC,
    )
    .await;
    World {
        ordering,
        payments,
        catalog,
        market,
        store,
        identity,
        blobs,
        clock,
        admin,
        seller,
        buyer: customer("Koffi", false),
        stranger: customer("Moussa", false),
        service,
    }
}

/// An approved service by `seller`, in a category of its own.
async fn publish(
    catalog: &Catalog,
    store: &MemoryCatalogStore,
    admin: &Customer,
    seller: &Customer,
    title: &str,
    basic_price: i64,
) -> Service {
    store.add_seller(seller.id, &seller.username, &seller.name);
    let category = CategoryInput {
        name: Some(format!("Catégorie de {title}")),
        ..CategoryInput::default()
    };
    let category = catalog
        .create_category(&actor(admin), category)
        .await
        .unwrap();
    let input = ServiceInput {
        category_id: Some(category.id),
        ..service_input(title, basic_price)
    };
    let service = catalog.create_service(&actor(seller), input).await.unwrap();
    catalog
        .approve_service(&actor(admin), &service.id.to_string())
        .await
        .unwrap()
}

impl World {
    async fn publish(&self, seller: &Customer, title: &str, basic_price: i64) -> Service {
        publish(
            &self.catalog,
            &self.store,
            &self.admin,
            seller,
            title,
            basic_price,
        )
        .await
    }

    /// The basic package of the world's service, paid by card.
    fn by_card(&self) -> CheckoutInput {
        CheckoutInput {
            service_id: Some(self.service.id),
            package_id: Some(self.service.packages[0].id),
            card_token: Some("tok_visa".into()),
            ..CheckoutInput::default()
        }
    }

    fn by_wallet(&self, service: &Service) -> CheckoutInput {
        CheckoutInput {
            service_id: Some(service.id),
            package_id: Some(service.packages[0].id),
            payment_method: Some(PaymentMethod::Wallet),
            ..CheckoutInput::default()
        }
    }

    /// Koffi orders the basic package by card.
    async fn place(&self) -> Order {
        self.ordering
            .place_order(&self.buyer, self.by_card())
            .await
            .unwrap()
    }

    async fn change(
        &self,
        who: &Customer,
        order: &Order,
        to: OrderStatus,
        reason: Option<&str>,
    ) -> Result<Order, OrderingError> {
        self.ordering
            .change_status(who, order.id, to, reason.map(Into::into))
            .await
    }

    async fn deliver(&self, who: &Customer, order: &Order) -> Result<Order, OrderingError> {
        let file = Upload {
            name: "logo final.png".into(),
            content_type: "image/png".into(),
            bytes: b"\x89PNG logo".to_vec(),
        };
        self.ordering
            .deliver(who, order.id, Some("Voici votre logo".into()), vec![file])
            .await
    }

    /// Placed, accepted and delivered.
    async fn delivered(&self) -> Order {
        let order = self.place().await;
        self.change(&self.seller, &order, InProgress, None)
            .await
            .unwrap();
        self.deliver(&self.seller, &order).await.unwrap()
    }

    /// Placed, accepted, delivered and accepted by the buyer.
    async fn completed(&self) -> Order {
        let order = self.delivered().await;
        self.change(&self.buyer, &order, Completed, None)
            .await
            .unwrap()
    }

    async fn wallet(&self, who: &Customer) -> Wallet {
        self.payments.wallet(who.id).await.unwrap()
    }

    async fn stored(&self, order: &Order) -> Order {
        self.ordering.order(&self.buyer, order.id).await.unwrap().0
    }

    async fn orders_count(&self, service: &Service) -> i64 {
        self.store
            .find_service(ServiceKey::Id(service.id))
            .await
            .unwrap()
            .unwrap()
            .orders_count
    }

    /// The kinds of the events recorded about `order`, oldest first.
    fn events_of(&self, order: &Order) -> Vec<&'static str> {
        let events = self.market.events().into_iter();
        events
            .filter(|e| e.subject == order.id.0)
            .map(|e| e.kind)
            .collect()
    }

    fn assert_ledger_sound(&self) {
        assert_eq!(self.market.ledger_violations(), Vec::<String>::new());
    }
}

// ---------------------------------------------------------------------------------------
// Placing an order
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_card_order_holds_what_the_buyer_paid_in_escrow() {
    let w = world().await;
    let input = CheckoutInput {
        extras: vec![w.service.extras[0].id],
        requirements: Some("Un logo rouge".into()),
        ..w.by_card()
    };
    let order = w.ordering.place_order(&w.buyer, input).await.unwrap();

    assert_eq!(order.number, "KR-2026-000001");
    assert_eq!(order.status, Pending);
    assert_eq!(
        (order.subtotal, order.extras_total),
        (xof(BASIC), xof(EXTRA))
    );
    assert_eq!((order.discount, order.total), (xof(0), xof(15_000)));
    assert_eq!(order.commission, xof(1_500));
    assert_eq!(order.delivery_days, 4);
    assert_eq!(order.revisions_allowed, 1);
    assert_eq!(order.seller.username, "awa");
    assert_eq!(order.history.len(), 1);
    assert_eq!(w.stored(&order).await, order);

    assert_eq!(w.market.balance(Account::Escrow(order.id)), 15_000);
    assert_eq!(w.market.balance(Account::World), -15_000);
    let events = w.market.events();
    assert_eq!(w.events_of(&order), ["order.created"]);
    assert_eq!(events[0].data["total"], 15_000);
    assert_eq!(events[0].data["status"], "pending");
    // `ordersCount` counts completed orders only.
    assert_eq!(w.orders_count(&w.service).await, 0);
    // The seller sees their share coming, not yet spendable.
    let wallet = w.wallet(&w.seller).await;
    assert_eq!((wallet.available, wallet.pending), (xof(0), xof(13_500)));

    let purchases = w
        .ordering
        .list_orders(&w.buyer, Side::Purchases, None, first_page())
        .await
        .unwrap();
    let sales = w
        .ordering
        .list_orders(&w.seller, Side::Sales, Some(Pending), first_page())
        .await
        .unwrap();
    assert_eq!((purchases.total, sales.total), (1, 1));
    let next = w.place().await;
    assert_eq!(next.number, "KR-2026-000002");
    w.assert_ledger_sound();
}

#[tokio::test]
async fn a_declined_card_leaves_nothing_behind() {
    let w = world().await;
    for token in ["tok_declined", "tok_error"] {
        let input = CheckoutInput {
            card_token: Some(token.into()),
            ..w.by_card()
        };
        let error = w.ordering.place_order(&w.buyer, input).await.unwrap_err();
        match (token, error) {
            ("tok_declined", OrderingError::InsufficientFunds) => {}
            ("tok_error", OrderingError::Unexpected(e)) if e.is_unavailable() => {}
            (_, other) => panic!("{token}: {other:?}"),
        }
    }
    let purchases = w
        .ordering
        .list_orders(&w.buyer, Side::Purchases, None, first_page())
        .await
        .unwrap();
    assert_eq!(purchases.total, 0);
    assert!(w.market.ledger_entries().is_empty());
    assert!(w.market.events().is_empty());
    assert_eq!(w.orders_count(&w.service).await, 0);
}

#[tokio::test]
async fn checkout_refuses_what_does_not_fit_the_service() {
    let w = world().await;
    let own = w
        .ordering
        .place_order(&w.seller, w.by_card())
        .await
        .unwrap_err();
    assert!(matches!(own, OrderingError::OwnService), "{own:?}");
    let input = CheckoutInput {
        extras: vec![w.service.extras[0].id, w.service.extras[0].id],
        card_token: None,
        ..w.by_card()
    };
    let error = w.ordering.place_order(&w.buyer, input).await.unwrap_err();
    assert_eq!(fields(error), ["extras[1]", "payment.token"]);
    // No service has more than ten extras: a longer list is refused as a whole.
    let input = CheckoutInput {
        extras: vec![w.service.extras[0].id; 5_000],
        ..w.by_card()
    };
    let error = w.ordering.place_order(&w.buyer, input).await.unwrap_err();
    let named = fields(error);
    assert_eq!(named[0], "extras");
    assert!(named.len() <= 11, "{}", named.len());
    let unknown_code = CheckoutInput {
        offer_code: Some("NOPE".into()),
        ..w.by_card()
    };
    let error = w
        .ordering
        .place_order(&w.buyer, unknown_code)
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["offerCode"]);
    assert!(w.market.ledger_entries().is_empty());
}

#[tokio::test]
async fn a_wallet_too_short_pays_nothing() {
    let w = world().await;
    let error = w
        .ordering
        .place_order(&w.buyer, w.by_wallet(&w.service))
        .await
        .unwrap_err();
    assert!(
        matches!(error, OrderingError::InsufficientFunds),
        "{error:?}"
    );
    assert!(w.market.ledger_entries().is_empty());
    assert!(w.market.events().is_empty());
    assert_eq!(w.orders_count(&w.service).await, 0);
}

#[tokio::test]
async fn a_cancelled_order_refunds_the_wallet_which_pays_the_next_one() {
    let w = world().await;
    let first = w.place().await;
    let cancelled = w.change(&w.buyer, &first, Cancelled, None).await.unwrap();
    assert_eq!(cancelled.status, Cancelled);
    assert_eq!(cancelled.history.last().unwrap().by, Some(w.buyer.id));
    assert_eq!(w.market.balance(Account::Escrow(first.id)), 0);
    // A refund can be spent at once.
    assert_eq!(w.wallet(&w.buyer).await.available, xof(BASIC));
    assert_eq!(w.wallet(&w.seller).await.pending, xof(0));

    let second = w
        .ordering
        .place_order(&w.buyer, w.by_wallet(&w.service))
        .await
        .unwrap();
    assert_eq!(w.market.balance(Account::Escrow(second.id)), BASIC);
    assert_eq!(w.wallet(&w.buyer).await.available, xof(0));
    let statement = w
        .payments
        .wallet_entries(w.buyer.id, first_page())
        .await
        .unwrap();
    let lines: Vec<_> = statement
        .items
        .iter()
        .map(|e| (e.kind, e.amount, e.balance_after))
        .collect();
    assert_eq!(
        lines,
        [
            (EntryType::Payment, xof(-BASIC), xof(0)),
            (EntryType::Refund, xof(BASIC), xof(BASIC))
        ]
    );
    assert_eq!(
        w.events_of(&first),
        ["order.created", "order.updated", "order.cancelled"]
    );
    w.assert_ledger_sound();
}

// ---------------------------------------------------------------------------------------
// Moving an order
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn completion_pays_the_seller_minus_the_commission() {
    let w = world().await;
    let order = w.place().await;
    w.clock.advance(Duration::hours(1));
    let accepted = w.change(&w.seller, &order, InProgress, None).await.unwrap();
    assert_eq!(accepted.due_at, Some(w.clock.now() + Duration::days(3)));

    let delivered = w.deliver(&w.seller, &order).await.unwrap();
    assert_eq!(delivered.status, Delivered);
    assert_eq!(delivered.delivered_at, Some(w.clock.now()));
    let files = &delivered.deliveries[0].files;
    assert_eq!(files.len(), 1);
    assert_eq!(w.blobs.keys(), [files[0].key.clone()]);
    assert!(
        files[0].key.ends_with("/0-logo_final.png"),
        "{}",
        files[0].key
    );

    assert_eq!(w.orders_count(&w.service).await, 0);
    let completed = w.change(&w.buyer, &order, Completed, None).await.unwrap();
    assert_eq!(completed.status, Completed);
    assert_eq!(completed.history.len(), 4);
    assert_eq!(w.stored(&order).await, completed);
    assert_eq!(w.orders_count(&w.service).await, 1);

    let wallet = w.wallet(&w.seller).await;
    assert_eq!(wallet.available, xof(BASIC - COMMISSION));
    assert_eq!(wallet.pending, xof(0));
    assert_eq!(wallet.total_earned, xof(BASIC - COMMISSION));
    assert_eq!(w.market.balance(Account::PlatformRevenue), COMMISSION);
    assert_eq!(w.market.balance(Account::Escrow(order.id)), 0);
    assert_eq!(
        w.events_of(&order),
        [
            "order.created",
            "order.updated",
            "order.updated",
            "order.updated",
            "order.completed"
        ]
    );
    w.assert_ledger_sound();
}

#[tokio::test]
async fn each_move_belongs_to_its_party() {
    let w = world().await;
    let order = w.place().await;
    let hidden = w.change(&w.stranger, &order, Cancelled, None).await;
    assert!(matches!(hidden, Err(OrderingError::NotFound)), "{hidden:?}");
    let by_buyer = w.change(&w.buyer, &order, InProgress, None).await;
    assert!(
        matches!(by_buyer, Err(OrderingError::OtherPartysMove)),
        "{by_buyer:?}"
    );
    w.change(&w.seller, &order, InProgress, None).await.unwrap();

    // Only the seller delivers, and only the seller cancels work in progress.
    let error = w.deliver(&w.buyer, &order).await.unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    let error = w
        .change(&w.buyer, &order, Cancelled, None)
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    w.deliver(&w.seller, &order).await.unwrap();

    let error = w
        .change(&w.seller, &order, Completed, None)
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    assert_eq!(w.wallet(&w.seller).await.available, xof(0));
    w.change(&w.buyer, &order, Completed, None).await.unwrap();
    assert_eq!(w.wallet(&w.seller).await.available, xof(BASIC - COMMISSION));
    w.assert_ledger_sound();
}

#[tokio::test]
async fn a_move_from_the_wrong_state_names_the_moves_allowed() {
    let w = world().await;
    let order = w.place().await;
    let error = w
        .change(&w.buyer, &order, Completed, None)
        .await
        .unwrap_err();
    assert_eq!(invalid(error), ("pending", vec!["cancelled"]));
    let error = w
        .change(&w.seller, &order, Delivered, None)
        .await
        .unwrap_err();
    assert_eq!(
        invalid(error),
        ("pending", vec!["in_progress", "cancelled"])
    );
    // A delivery is refused before any file is stored.
    let error = w.deliver(&w.seller, &order).await.unwrap_err();
    assert_eq!(invalid(error), ("pending", vec![]));
    assert!(w.blobs.keys().is_empty());
    let unchanged = w.stored(&order).await;
    assert_eq!(unchanged, order);
    assert_eq!(w.events_of(&order), ["order.created"]);

    let completed = w.completed().await;
    let error = w
        .change(&w.buyer, &completed, Cancelled, None)
        .await
        .unwrap_err();
    assert_eq!(invalid(error), ("completed", vec![]));
    w.assert_ledger_sound();
}

#[tokio::test]
async fn a_revision_needs_a_reason_and_one_left() {
    let w = world().await;
    let order = w.delivered().await;
    let error = w
        .change(&w.buyer, &order, InProgress, None)
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["reason"]);
    // Asked five days on, past the first due date: the revision is due three days (the
    // package's delivery time) from now.
    w.clock.advance(Duration::days(5));
    let revised = w
        .change(&w.buyer, &order, InProgress, Some("Plus grand, svp"))
        .await
        .unwrap();
    assert_eq!(revised.revisions_used, 1);
    assert_eq!(revised.due_at, Some(w.clock.now() + Duration::days(3)));
    assert_eq!(
        revised.history.last().unwrap().reason.as_deref(),
        Some("Plus grand, svp")
    );
    let redelivered = w.deliver(&w.seller, &order).await.unwrap();
    assert_eq!(redelivered.deliveries.len(), 2);
    // The package had one revision.
    let error = w
        .change(&w.buyer, &order, InProgress, Some("Encore"))
        .await
        .unwrap_err();
    assert_eq!(invalid(error), ("delivered", vec!["completed", "disputed"]));
    w.assert_ledger_sound();
}

#[tokio::test]
async fn an_admin_settles_a_dispute() {
    let w = world().await;
    let order = w.place().await;
    w.change(&w.seller, &order, InProgress, None).await.unwrap();
    let error = w
        .change(&w.buyer, &order, Disputed, None)
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["reason"]);
    w.change(&w.buyer, &order, Disputed, Some("Aucune nouvelle"))
        .await
        .unwrap();

    let error = w
        .ordering
        .resolve_dispute(&w.buyer, order.id, Outcome::Refund, None)
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    let refunded = w
        .ordering
        .resolve_dispute(
            &w.admin,
            order.id,
            Outcome::Refund,
            Some("Remboursé".into()),
        )
        .await
        .unwrap();
    assert_eq!(refunded.status, Cancelled);
    assert_eq!(refunded.history.last().unwrap().by, Some(w.admin.id));
    assert_eq!(w.wallet(&w.buyer).await.available, xof(BASIC));
    assert_eq!(
        w.wallet(&w.seller).await,
        Wallet {
            available: xof(0),
            pending: xof(0),
            total_earned: xof(0)
        }
    );
    let again = w
        .ordering
        .resolve_dispute(&w.admin, order.id, Outcome::Release, None)
        .await
        .unwrap_err();
    assert_eq!(invalid(again), ("cancelled", vec![]));
    w.assert_ledger_sound();
}

#[tokio::test]
async fn delivered_orders_complete_themselves_after_auto_complete_days() {
    let w = world().await;
    let first = w.delivered().await;
    w.clock.advance(Duration::hours(1));
    let second = w.delivered().await;
    let untouched = w.place().await;

    // Exactly three days after the first delivery: not yet.
    w.clock.set(first.delivered_at.unwrap() + Duration::days(3));
    assert_eq!(w.ordering.auto_complete_due(1).await.unwrap().len(), 0);
    // A day later both are due; batches of one still complete them all, and a batch of
    // zero is taken as one rather than looping for ever.
    w.clock.advance(Duration::days(1));
    assert_eq!(w.ordering.auto_complete_due(1).await.unwrap().len(), 2);
    assert_eq!(w.ordering.auto_complete_due(1).await.unwrap().len(), 0);
    let late = w.delivered().await;
    w.clock.advance(Duration::days(4));
    assert_eq!(w.ordering.auto_complete_due(0).await.unwrap().len(), 1);
    assert_eq!(w.stored(&late).await.status, Completed);

    for order in [&first, &second] {
        let stored = w.stored(order).await;
        assert_eq!(stored.status, Completed);
        let last = stored.history.last().unwrap();
        assert_eq!(last.by, None);
        assert!(last.reason.as_deref().unwrap().contains("automatically"));
        assert_eq!(w.events_of(order).last(), Some(&"order.completed"));
    }
    assert_eq!(w.stored(&untouched).await.status, Pending);
    assert_eq!(w.orders_count(&w.service).await, 3);
    assert_eq!(
        w.wallet(&w.seller).await.available,
        xof(3 * (BASIC - COMMISSION))
    );
    w.assert_ledger_sound();
}

// ---------------------------------------------------------------------------------------
// Money rules across orders
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn fresh_earnings_cannot_pay_an_order_until_cleared() {
    let w = world_with(7).await;
    w.completed().await;
    let wallet = w.wallet(&w.seller).await;
    assert_eq!(
        (wallet.available, wallet.pending),
        (xof(0), xof(BASIC - COMMISSION))
    );

    // Awa buys from Moussa with her earnings.
    let rival = w
        .publish(&w.stranger, "Je vais rédiger vos textes", 8_000)
        .await;
    let entries = w.market.ledger_entries().len();
    let events = w.market.events().len();
    for days in [0, 6] {
        w.clock.set(start() + Duration::days(days));
        let error = w
            .ordering
            .place_order(&w.seller, w.by_wallet(&rival))
            .await
            .unwrap_err();
        assert!(
            matches!(error, OrderingError::InsufficientFunds),
            "{error:?}"
        );
    }
    assert_eq!(w.market.ledger_entries().len(), entries);
    assert_eq!(w.market.events().len(), events);

    w.clock.set(start() + Duration::days(8));
    let wallet = w.wallet(&w.seller).await;
    assert_eq!(
        (wallet.available, wallet.pending),
        (xof(BASIC - COMMISSION), xof(0))
    );
    w.ordering
        .place_order(&w.seller, w.by_wallet(&rival))
        .await
        .unwrap();
    assert_eq!(w.wallet(&w.seller).await.available, xof(1_000));
    w.assert_ledger_sound();
}

#[tokio::test]
async fn an_offer_lowers_what_the_buyer_pays_at_the_platform_expense() {
    let w = world().await;
    let offer = OfferInput {
        title: Some("Noël".into()),
        code: Some("noel-26".into()),
        discount_percent: Some(20),
        start_date: NaiveDate::from_ymd_opt(2026, 12, 1),
        end_date: NaiveDate::from_ymd_opt(2026, 12, 25),
        ..OfferInput::default()
    };
    w.payments
        .create_offer(&payer(&w.admin), offer)
        .await
        .unwrap();
    let with_code = || CheckoutInput {
        offer_code: Some(" Noel-26 ".into()),
        ..w.by_card()
    };

    let order = w.ordering.place_order(&w.buyer, with_code()).await.unwrap();
    assert_eq!((order.discount, order.total), (xof(2_000), xof(8_000)));
    // The commission is on the full price, and escrow holds it all.
    assert_eq!(order.commission, xof(COMMISSION));
    assert_eq!(w.market.balance(Account::Escrow(order.id)), BASIC);
    assert_eq!(w.market.balance(Account::Promotions), -2_000);
    assert_eq!(w.market.balance(Account::World), -8_000);

    // Cancelled, the buyer gets what they paid and the platform its discount.
    let cancelled = w.ordering.place_order(&w.buyer, with_code()).await.unwrap();
    w.change(&w.seller, &cancelled, Cancelled, None)
        .await
        .unwrap();
    assert_eq!(w.wallet(&w.buyer).await.available, xof(8_000));
    assert_eq!(w.market.balance(Account::Promotions), -2_000);

    w.change(&w.seller, &order, InProgress, None).await.unwrap();
    w.deliver(&w.seller, &order).await.unwrap();
    w.change(&w.buyer, &order, Completed, None).await.unwrap();
    assert_eq!(w.wallet(&w.seller).await.available, xof(BASIC - COMMISSION));

    w.clock.set(start() + Duration::days(25));
    let expired = w
        .ordering
        .place_order(&w.buyer, with_code())
        .await
        .unwrap_err();
    assert_eq!(fields(expired), ["offerCode"]);
    w.assert_ledger_sound();
}

// ---------------------------------------------------------------------------------------
// Reviews
// ---------------------------------------------------------------------------------------

fn stars(order: &Order, rating: i64) -> ReviewInput {
    ReviewInput {
        order_id: Some(order.id),
        rating: Some(rating),
        comment: Some("Très bon travail".into()),
        communication: Some(5),
        quality: Some(rating),
        delivery: Some(3),
    }
}

#[tokio::test]
async fn a_completed_order_is_reviewed_once_and_answered_once() {
    let w = world().await;
    let open = w.delivered().await;
    let error = w
        .ordering
        .create_review(&w.buyer, stars(&open, 4))
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["orderId"]);

    let order = w.completed().await;
    let error = w
        .ordering
        .create_review(&w.seller, stars(&order, 5))
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    let review = w
        .ordering
        .create_review(&w.buyer, stars(&order, 4))
        .await
        .unwrap();
    assert_eq!(review.service_id, w.service.id);
    let twice = w
        .ordering
        .create_review(&w.buyer, stars(&order, 1))
        .await
        .unwrap_err();
    assert!(twice.is_conflict(), "{twice:?}");

    // The service's (and so the seller's) rating follows.
    let service = w
        .store
        .find_service(ServiceKey::Id(w.service.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((service.rating, service.reviews_count), (4.0, 1));
    assert_eq!(service.seller.rating, 4.0);
    let (page, summary) = w
        .ordering
        .service_reviews(w.service.id, first_page())
        .await
        .unwrap();
    assert_eq!(page.items, std::slice::from_ref(&review));
    assert_eq!((summary.count, summary.average), (1, 4.0));
    assert_eq!((summary.communication, summary.delivery), (5.0, 3.0));
    assert_eq!(summary.distribution, [0, 0, 0, 1, 0]);

    let error = w
        .ordering
        .respond_to_review(&w.buyer, review.id, Some("Merci".into()))
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    let answered = w
        .ordering
        .respond_to_review(&w.seller, review.id, Some("  Merci !  ".into()))
        .await
        .unwrap();
    let response = answered.response.unwrap();
    // Texts are kept exactly as sent (docs/errors.md).
    assert_eq!(response.comment, "  Merci !  ");
    let twice = w
        .ordering
        .respond_to_review(&w.seller, review.id, Some("Encore merci".into()))
        .await
        .unwrap_err();
    assert!(twice.is_conflict(), "{twice:?}");
    w.assert_ledger_sound();
}

// ---------------------------------------------------------------------------------------
// Platform figures
// ---------------------------------------------------------------------------------------

impl World {
    async fn user(&self, name: &str, role: Role) -> UserId {
        let user = self
            .identity
            .create(NewUser {
                id: UserId::new(),
                email: Email::parse("email", &format!("{name}@example.com")).unwrap(),
                username: Username::parse("username", name).unwrap(),
                name: DisplayName::parse("name", name).unwrap(),
                password_hash: PasswordHash("unused".into()),
                role,
                created_at: self.clock.now(),
            })
            .await
            .unwrap();
        user.id
    }
}

#[tokio::test]
async fn platform_stats_count_users_services_orders_and_money() {
    let w = world().await;
    w.user("admin", Role::Admin).await;
    w.user("awa", Role::Seller).await;
    let koffi = w.user("koffi", Role::Client).await;
    let suspended = w.user("bakary", Role::Client).await;
    let now = w.clock.now();
    w.identity
        .set_status(suspended, UserStatus::Suspended, now)
        .await
        .unwrap();
    let identity = KycIdentity::parse(
        "Koffi",
        "Kouassi",
        "1990-04-02",
        "CI",
        "+2250700000000",
        now.date_naive(),
    )
    .unwrap();
    let documents = KycDocuments {
        document_type: DocumentType::Passport,
        front_key: "kyc/front".into(),
        back_key: None,
        selfie_key: "kyc/selfie".into(),
    };
    let started = [KycStatus::NotStarted];
    w.identity
        .save_kyc_identity(koffi, &identity, &started, now)
        .await
        .unwrap();
    w.identity
        .submit_kyc_documents(koffi, &documents, &[KycStatus::Step1Completed], now)
        .await
        .unwrap();

    // A service waiting for review besides the approved one.
    let waiting = ServiceInput {
        category_id: Some(w.service.category.id),
        ..service_input("Je vais animer vos réseaux", 7_000)
    };
    w.catalog
        .create_service(&actor(&w.seller), waiting)
        .await
        .unwrap();
    w.completed().await;
    w.place().await;
    let cancelled = w.place().await;
    w.change(&w.buyer, &cancelled, Cancelled, None)
        .await
        .unwrap();
    let payout = PayoutInput {
        amount: Some(5_000),
        method: Some(krika_payments::PayoutMethod::MobileMoney),
        provider: Some(krika_payments::MobileProvider::Orange),
        phone: Some("+2250700000001".into()),
        ..PayoutInput::default()
    };
    w.payments
        .request_payout(&payer(&w.seller), payout)
        .await
        .unwrap();

    let stats = w.market.platform_stats().await.unwrap();
    assert_eq!(
        stats,
        PlatformStats {
            users: UserCounts {
                total: 4,
                clients: 2,
                sellers: 1,
                admins: 1,
                suspended: 1,
            },
            services: ServiceCounts {
                pending_review: 1,
                approved: 1,
                rejected: 0,
            },
            orders_by_status: vec![
                (Pending, 1),
                (InProgress, 0),
                (Delivered, 0),
                (Completed, 1),
                (Cancelled, 1),
                (Disputed, 0),
            ],
            gmv: BASIC,
            revenue: COMMISSION,
            kyc_pending: 1,
            payouts_pending: 1,
            payouts_pending_amount: 5_000,
        }
    );
    w.assert_ledger_sound();
}

#[tokio::test]
async fn a_checkout_under_a_known_request_key_returns_the_first_order() {
    let w = world().await;
    let input = CheckoutInput {
        request_key: Some("checkout-1".into()),
        ..w.by_card()
    };
    let first = w
        .ordering
        .place_order(&w.buyer, input.clone())
        .await
        .unwrap();
    let again = w
        .ordering
        .place_order(&w.buyer, input.clone())
        .await
        .unwrap();
    assert_eq!(again.id, first.id);
    // The same key from another buyer is theirs alone.
    let other = w
        .ordering
        .place_order(&w.stranger, input.clone())
        .await
        .unwrap();
    assert_ne!(other.id, first.id);
    assert_eq!(w.market.balance(Account::World), -2 * first.total.minor());
    // Keys are kept a day: within it the key still finds its order; after it, the key is
    // refused rather than answered with an order another body may not have meant.
    w.clock.advance(Duration::hours(23));
    let again = w
        .ordering
        .place_order(&w.buyer, input.clone())
        .await
        .unwrap();
    assert_eq!(again.id, first.id);
    w.clock.advance(Duration::hours(2));
    let error = w.ordering.place_order(&w.buyer, input).await.unwrap_err();
    assert!(
        matches!(&error, OrderingError::RequestKeyReused { number } if *number == first.number),
        "{error:?}"
    );
    assert_eq!(w.market.balance(Account::World), -2 * first.total.minor());
    w.assert_ledger_sound();
}
