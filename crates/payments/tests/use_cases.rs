//! Payments use cases on the in-memory adapters, with a clock that only moves when told:
//! wallets, payouts and offers. A seller earns through a real order (placed, delivered and
//! accepted through ordering), so the money a payout moves is money the ledger holds.
//! Every test that moves money ends by checking the ledger.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use krika_catalog::{Actor, Catalog, CategoryInput, PackageInput, Service, ServiceInput};
use krika_kernel::ids::{OfferId, UserId};
use krika_kernel::{Clock, Currency, ManualClock, Money, PageRequest};
use krika_memory::{Marketplace, MemoryMarket};
use krika_ordering::{CheckoutInput, Customer, OrderStatus, Ordering};
use krika_payments::{
    Account, EntryType, OfferInput, Payer, Payments, PaymentsError, PayoutInput, PayoutStatus,
    Wallet,
};

struct World {
    payments: Payments,
    ordering: Ordering,
    market: Arc<MemoryMarket>,
    clock: Arc<ManualClock>,
    admin: Payer,
    /// Awa sells a 10 000 package; her KYC is approved.
    awa: Customer,
    /// Koffi buys it.
    koffi: Customer,
    service: Service,
}

/// What Awa earns on one order: 10 000 minus 10 % commission.
const EARNINGS: i64 = 9_000;

fn xof(minor: i64) -> Money {
    Money::new(minor, Currency::XOF)
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

fn day(d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 12, d)
}

fn first_page() -> PageRequest {
    PageRequest::parse(None, None, 20).unwrap()
}

fn customer(name: &str) -> Customer {
    Customer {
        id: UserId::new(),
        name: name.into(),
        username: name.to_lowercase(),
        is_admin: false,
    }
}

fn to_orange(amount: i64) -> PayoutInput {
    PayoutInput {
        amount: Some(amount),
        method: Some(krika_payments::PayoutMethod::MobileMoney),
        provider: Some(krika_payments::MobileProvider::Orange),
        phone: Some("+2250700000000".into()),
        ..PayoutInput::default()
    }
}

fn invalid(error: PaymentsError) -> (&'static str, Vec<&'static str>) {
    match error {
        PaymentsError::InvalidTransition { from, allowed } => (from, allowed),
        other => panic!("expected an invalid transition, got {other:?}"),
    }
}

fn fields(error: PaymentsError) -> Vec<String> {
    match error {
        PaymentsError::Validation(errors) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
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
        market,
        ..
    } = Marketplace::new(clock.clone(), clearance_days);
    let admin = Payer {
        id: UserId::new(),
        is_seller: false,
        kyc_approved: false,
        is_admin: true,
    };
    let awa = customer("Awa");
    let service = approved_service(&catalog, &admin, &awa).await;
    World {
        payments,
        ordering,
        market,
        clock,
        admin,
        awa,
        koffi: customer("Koffi"),
        service,
    }
}

/// Awa's service, one package at 10 000, approved by the admin.
async fn approved_service(catalog: &Catalog, admin: &Payer, awa: &Customer) -> Service {
    let admin = Actor {
        id: admin.id,
        is_seller: false,
        is_admin: true,
    };
    let seller = Actor {
        id: awa.id,
        is_seller: true,
        is_admin: false,
    };
    let category = CategoryInput {
        name: Some("Graphisme & Design".into()),
        ..CategoryInput::default()
    };
    let category = catalog.create_category(&admin, category).await.unwrap();
    let input = ServiceInput {
        title: Some("Je vais créer votre logo".into()),
        short_description: Some("Un logo soigné, livré à temps".into()),
        description: Some("Je réalise votre logo de A à Z.".into()),
        category_id: Some(category.id),
        packages: vec![PackageInput {
            name: Some("Basique".into()),
            price: Some(10_000),
            delivery_days: Some(3),
            ..PackageInput::default()
        }],
        ..ServiceInput::default()
    };
    let service = catalog.create_service(&seller, input).await.unwrap();
    catalog
        .approve_service(&admin, &service.id.to_string())
        .await
        .unwrap()
}

impl World {
    /// Awa as payments sees her: a seller whose KYC is approved.
    fn seller(&self) -> Payer {
        Payer {
            id: self.awa.id,
            is_seller: true,
            kyc_approved: true,
            is_admin: false,
        }
    }

    /// Koffi orders, Awa delivers, Koffi accepts: Awa earns `EARNINGS`.
    async fn earn(&self) {
        let input = CheckoutInput {
            service_id: Some(self.service.id),
            package_id: Some(self.service.packages[0].id),
            card_token: Some("tok_visa".into()),
            ..CheckoutInput::default()
        };
        let order = self.ordering.place_order(&self.koffi, input).await.unwrap();
        self.ordering
            .change_status(&self.awa, order.id, OrderStatus::InProgress, None)
            .await
            .unwrap();
        self.ordering
            .deliver(&self.awa, order.id, Some("Voici".into()), Vec::new())
            .await
            .unwrap();
        self.ordering
            .change_status(&self.koffi, order.id, OrderStatus::Completed, None)
            .await
            .unwrap();
    }

    async fn wallet(&self) -> Wallet {
        self.payments.wallet(self.awa.id).await.unwrap()
    }

    async fn payouts_count(&self) -> u64 {
        let mine = self.payments.my_payouts(&self.seller(), first_page()).await;
        mine.unwrap().total
    }

    fn assert_ledger_sound(&self) {
        assert_eq!(self.market.ledger_violations(), Vec::<String>::new());
    }
}

// ---------------------------------------------------------------------------------------
// Wallets and payouts
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn payouts_need_a_seller_with_an_approved_kyc() {
    let w = world().await;
    w.earn().await;
    let unverified = Payer {
        kyc_approved: false,
        ..w.seller()
    };
    let client = Payer {
        is_seller: false,
        ..w.seller()
    };
    for payer in [unverified, client] {
        let error = w
            .payments
            .request_payout(&payer, to_orange(5_000))
            .await
            .unwrap_err();
        assert!(error.is_forbidden(), "{error:?}");
    }
    assert_eq!(w.payouts_count().await, 0);
    assert_eq!(w.wallet().await.available, xof(EARNINGS));
    w.assert_ledger_sound();
}

#[tokio::test]
async fn a_payout_reaches_the_minimum_and_fits_the_balance() {
    let w = world().await;
    w.earn().await;
    let error = w
        .payments
        .request_payout(&w.seller(), to_orange(4_999))
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["amount"]);
    let entries = w.market.ledger_entries().len();
    let error = w
        .payments
        .request_payout(&w.seller(), to_orange(EARNINGS + 1))
        .await
        .unwrap_err();
    assert!(
        matches!(error, PaymentsError::InsufficientFunds),
        "{error:?}"
    );
    assert_eq!(w.payouts_count().await, 0);
    assert_eq!(w.market.ledger_entries().len(), entries);

    let payout = w
        .payments
        .request_payout(&w.seller(), to_orange(5_000))
        .await
        .unwrap();
    assert_eq!(payout.status, PayoutStatus::Pending);
    assert_eq!(payout.amount.currency(), Currency::XOF);
    // Reserved at once: the wallet shows it gone, clearing holds it.
    let wallet = w.wallet().await;
    assert_eq!(
        (wallet.available, wallet.total_earned),
        (xof(4_000), xof(EARNINGS))
    );
    assert_eq!(w.market.balance(Account::PayoutClearing), 5_000);
    let statement = w
        .payments
        .wallet_entries(w.awa.id, first_page())
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
            (EntryType::Payout, xof(-5_000), xof(4_000)),
            (EntryType::Commission, xof(-1_000), xof(EARNINGS)),
            (EntryType::EscrowRelease, xof(10_000), xof(10_000)),
        ]
    );
    assert_eq!(statement.items[0].payout_id, Some(payout.id));
    w.assert_ledger_sound();
}

#[tokio::test]
async fn a_payout_request_key_finds_its_payout_for_a_day_then_is_refused() {
    let w = world().await;
    w.earn().await;
    let input = PayoutInput {
        request_key: Some("payout-1".into()),
        ..to_orange(5_000)
    };
    let first = w
        .payments
        .request_payout(&w.seller(), input.clone())
        .await
        .unwrap();
    w.clock.advance(Duration::hours(23));
    let again = w
        .payments
        .request_payout(&w.seller(), input.clone())
        .await
        .unwrap();
    assert_eq!(again.id, first.id);
    w.clock.advance(Duration::hours(2));
    let error = w
        .payments
        .request_payout(&w.seller(), input)
        .await
        .unwrap_err();
    assert!(
        matches!(error, PaymentsError::RequestKeyReused),
        "{error:?}"
    );
    assert_eq!(w.payouts_count().await, 1);
    w.assert_ledger_sound();
}

#[tokio::test]
async fn sellers_read_their_latest_payout_first_admins_the_oldest() {
    let w = world().await;
    w.earn().await;
    w.earn().await;
    let first = w
        .payments
        .request_payout(&w.seller(), to_orange(5_000))
        .await
        .unwrap();
    w.clock.advance(Duration::minutes(1));
    let second = w
        .payments
        .request_payout(&w.seller(), to_orange(6_000))
        .await
        .unwrap();
    let ids = |page: krika_kernel::Page<krika_payments::Payout>| -> Vec<_> {
        page.items.into_iter().map(|p| p.id).collect()
    };
    let mine = w.payments.my_payouts(&w.seller(), first_page()).await;
    assert_eq!(ids(mine.unwrap()), [second.id, first.id]);
    let queue = w
        .payments
        .admin_payouts(&w.admin, Some(PayoutStatus::Pending), first_page())
        .await;
    assert_eq!(ids(queue.unwrap()), [first.id, second.id]);
    let error = w
        .payments
        .admin_payouts(&w.seller(), None, first_page())
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    w.assert_ledger_sound();
}

#[tokio::test]
async fn a_processed_payout_leaves_the_platform_once() {
    let w = world().await;
    w.earn().await;
    let payout = w
        .payments
        .request_payout(&w.seller(), to_orange(EARNINGS))
        .await
        .unwrap();
    let error = w
        .payments
        .process_payout(&w.seller(), payout.id)
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");

    w.clock.advance(Duration::hours(2));
    let processed = w
        .payments
        .process_payout(&w.admin, payout.id)
        .await
        .unwrap();
    assert_eq!(processed.status, PayoutStatus::Processed);
    assert_eq!(processed.processed_at, Some(w.clock.now()));
    assert_eq!(w.market.balance(Account::PayoutClearing), 0);
    // The card payment came from outside, the payout went back out.
    assert_eq!(w.market.balance(Account::World), -10_000 + EARNINGS);
    let events: Vec<_> = w
        .market
        .events()
        .into_iter()
        .filter(|e| e.subject == payout.id.0)
        .collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "payout.processed");
    assert_eq!(events[0].data["amount"], EARNINGS);

    let again = w.payments.process_payout(&w.admin, payout.id).await;
    assert_eq!(invalid(again.unwrap_err()), ("processed", vec![]));
    let reject = w
        .payments
        .reject_payout(&w.admin, payout.id, Some("Trop tard".into()))
        .await;
    assert_eq!(invalid(reject.unwrap_err()), ("processed", vec![]));
    assert_eq!(w.wallet().await.available, xof(0));
    w.assert_ledger_sound();
}

#[tokio::test]
async fn a_rejected_payout_returns_the_money() {
    let w = world().await;
    w.earn().await;
    let payout = w
        .payments
        .request_payout(&w.seller(), to_orange(EARNINGS))
        .await
        .unwrap();
    assert_eq!(w.wallet().await.available, xof(0));
    let error = w
        .payments
        .reject_payout(&w.admin, payout.id, Some("  ".into()))
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["reason"]);

    let rejected = w
        .payments
        .reject_payout(&w.admin, payout.id, Some("Numéro inconnu".into()))
        .await
        .unwrap();
    assert_eq!(rejected.status, PayoutStatus::Rejected);
    assert_eq!(rejected.rejection_reason.as_deref(), Some("Numéro inconnu"));
    assert_eq!(w.wallet().await.available, xof(EARNINGS));
    assert_eq!(w.market.balance(Account::PayoutClearing), 0);
    // The seller hears of it (`payout.rejected`, with the reason), never of a processing.
    let kinds: Vec<&str> = w
        .market
        .events()
        .iter()
        .filter(|e| e.subject == payout.id.0)
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["payout.rejected"]);
    let rejected_event = w
        .market
        .events()
        .into_iter()
        .find(|e| e.kind == "payout.rejected");
    assert_eq!(rejected_event.unwrap().data["reason"], "Numéro inconnu");
    let again = w.payments.process_payout(&w.admin, payout.id).await;
    assert_eq!(invalid(again.unwrap_err()), ("rejected", vec![]));
    w.assert_ledger_sound();
}

#[tokio::test]
async fn earnings_in_clearance_cannot_be_paid_out() {
    let w = world_with(7).await;
    w.earn().await;
    assert_eq!(
        w.wallet().await,
        Wallet {
            available: xof(0),
            pending: xof(EARNINGS),
            total_earned: xof(EARNINGS),
        }
    );
    w.clock.advance(Duration::days(6));
    let error = w
        .payments
        .request_payout(&w.seller(), to_orange(5_000))
        .await
        .unwrap_err();
    assert!(
        matches!(error, PaymentsError::InsufficientFunds),
        "{error:?}"
    );
    assert_eq!(w.payouts_count().await, 0);

    w.clock.set(start() + Duration::days(8));
    assert_eq!(w.wallet().await.available, xof(EARNINGS));
    w.payments
        .request_payout(&w.seller(), to_orange(5_000))
        .await
        .unwrap();
    // Fresh earnings on top are held again; what cleared stays available.
    w.earn().await;
    assert_eq!(
        w.wallet().await,
        Wallet {
            available: xof(4_000),
            pending: xof(EARNINGS),
            total_earned: xof(2 * EARNINGS),
        }
    );
    let error = w
        .payments
        .request_payout(&w.seller(), to_orange(5_000))
        .await
        .unwrap_err();
    assert!(
        matches!(error, PaymentsError::InsufficientFunds),
        "{error:?}"
    );
    w.assert_ledger_sound();
}

// ---------------------------------------------------------------------------------------
// Offers
// ---------------------------------------------------------------------------------------

fn offer(title: &str, code: &str, from: u32, to: u32) -> OfferInput {
    OfferInput {
        title: Some(title.into()),
        code: Some(code.into()),
        discount_percent: Some(15),
        start_date: day(from),
        end_date: day(to),
        ..OfferInput::default()
    }
}

#[tokio::test]
async fn admins_manage_offers_under_unique_codes() {
    let w = world().await;
    let error = w
        .payments
        .create_offer(&w.seller(), offer("Noël", "noel-26", 1, 25))
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");
    let noel = w
        .payments
        .create_offer(&w.admin, offer("Noël", "noel-26", 1, 25))
        .await
        .unwrap();
    assert_eq!(noel.code.as_deref(), Some("NOEL-26"));
    let taken = w
        .payments
        .create_offer(&w.admin, offer("Noël bis", " Noel-26 ", 1, 25))
        .await
        .unwrap_err();
    assert!(matches!(taken, PaymentsError::OfferCodeTaken), "{taken:?}");
    let later = w
        .payments
        .create_offer(&w.admin, offer("Nouvel an", "an-27", 26, 31))
        .await
        .unwrap();

    let taken = w
        .payments
        .update_offer(&w.admin, later.id, offer("Nouvel an", "NOEL-26", 26, 31))
        .await
        .unwrap_err();
    assert!(matches!(taken, PaymentsError::OfferCodeTaken), "{taken:?}");
    // Keeping its own code is no clash.
    let updated = w
        .payments
        .update_offer(&w.admin, later.id, offer("Bonne année", "an-27", 26, 31))
        .await
        .unwrap();
    assert_eq!(updated.title, "Bonne année");
    let missing = w
        .payments
        .update_offer(&w.admin, OfferId::new(), offer("Rien", "rien", 1, 2))
        .await
        .unwrap_err();
    assert!(matches!(missing, PaymentsError::NotFound), "{missing:?}");

    let titles = |page: krika_kernel::Page<krika_payments::Offer>| -> Vec<String> {
        page.items.into_iter().map(|o| o.title).collect()
    };
    let valid = w.payments.list_offers(None, false, first_page()).await;
    assert_eq!(titles(valid.unwrap()), ["Noël"]);
    let all = w
        .payments
        .list_offers(Some(&w.admin), true, first_page())
        .await;
    assert_eq!(titles(all.unwrap()), ["Noël", "Bonne année"]);
    let error = w
        .payments
        .list_offers(None, true, first_page())
        .await
        .unwrap_err();
    assert!(error.is_forbidden(), "{error:?}");

    w.payments.delete_offer(&w.admin, noel.id).await.unwrap();
    let gone = w.payments.delete_offer(&w.admin, noel.id).await;
    assert!(matches!(gone, Err(PaymentsError::NotFound)), "{gone:?}");
    // Its code is free again.
    w.payments
        .create_offer(&w.admin, offer("Noël 2", "NOEL-26", 1, 25))
        .await
        .unwrap();
}
