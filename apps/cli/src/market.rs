//! `krika-cli seed --orders N`: the money side of the demo. Orders are placed and walked
//! through the real use cases (sandbox card, transitions, deliveries, reviews, payouts),
//! so the ledger, the history and the outbox are exactly what the API would have written.
//!
//! The demo client (`client@demo.2krika.com`) gets one order in each state with the demo
//! seller (`vendeur@demo.2krika.com`), so every step of the journey can be tried from
//! Swagger UI; its cancelled order leaves money in its wallet to pay with `wallet`.

use anyhow::{Context, anyhow};
use diesel::sql_types as st;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_api::state::AppState;
use krika_catalog::Service;
use krika_kernel::ids::{OrderId, UserId};
use krika_ordering::model::OrderStatus;
use krika_ordering::{CheckoutInput, Customer, Order, ReviewInput, Upload};
use krika_payments::{OfferInput, Payer, PayoutInput};
use rand::Rng;
use rand::seq::IndexedRandom;
use uuid::Uuid;

/// The demo accounts `make run` prints (password `demo-password`).
pub const DEMO_SELLER: (&str, &str) = ("vendeur@demo.2krika.com", "demo_vendeur");
pub const DEMO_CLIENT: (&str, &str) = ("client@demo.2krika.com", "demo_client");

/// The offer code valid for a year from the seed, and shown in the README.
pub const WELCOME_CODE: &str = "BIENVENUE10";

/// Where a seeded order stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Pending,
    InProgress,
    Delivered,
    /// Delivered once, sent back by the buyer.
    Revision,
    Completed,
    Cancelled,
    Disputed,
}

const EVERY_STAGE: [Stage; 7] = [
    Stage::Pending,
    Stage::InProgress,
    Stage::Delivered,
    Stage::Revision,
    Stage::Completed,
    Stage::Cancelled,
    Stage::Disputed,
];

/// What the other orders look like: most of them completed.
fn random_stage(rng: &mut impl Rng) -> Stage {
    match rng.random_range(0..100) {
        0..55 => Stage::Completed,
        55..65 => Stage::Delivered,
        65..75 => Stage::InProgress,
        75..85 => Stage::Pending,
        85..95 => Stage::Cancelled,
        _ => Stage::Disputed,
    }
}

#[derive(Debug, Default)]
pub struct Summary {
    pub orders: usize,
    pub completed: usize,
    pub reviews: usize,
    pub offers: usize,
    pub payouts: usize,
    pub messages: usize,
}

#[derive(diesel::QueryableByName)]
struct PersonRow {
    #[diesel(sql_type = st::Uuid)]
    id: Uuid,
    #[diesel(sql_type = st::Text)]
    name: String,
    #[diesel(sql_type = st::Text)]
    username: String,
}

impl PersonRow {
    fn customer(&self) -> Customer {
        Customer {
            id: UserId(self.id),
            name: self.name.clone(),
            username: self.username.clone(),
            is_admin: false,
        }
    }
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = st::Uuid)]
    id: Uuid,
}

/// Seeds offers, `orders` orders (at least one per stage for the demo pair) and a few
/// payouts. Needs seeded clients and approved services.
pub async fn run(state: &AppState, url: &str, orders: usize) -> anyhow::Result<Summary> {
    let mut conn = AsyncPgConnection::establish(url)
        .await
        .context("cannot connect to DATABASE_URL")?;
    let clients: Vec<PersonRow> = diesel::sql_query(
        "SELECT id, name, username FROM users \
         WHERE role = 'client' AND status = 'active' ORDER BY (email = $1) DESC, created_at",
    )
    .bind::<st::Text, _>(DEMO_CLIENT.0)
    .load(&mut conn)
    .await?;
    let sellers: Vec<PersonRow> = diesel::sql_query(
        "SELECT u.id, u.name, u.username FROM users u \
         WHERE u.role = 'seller' AND EXISTS (SELECT 1 FROM services s WHERE s.seller_id = u.id \
               AND s.status = 'approved' AND s.is_available AND s.deleted_at IS NULL) \
         ORDER BY (u.email = $1) DESC, u.created_at",
    )
    .bind::<st::Text, _>(DEMO_SELLER.0)
    .load(&mut conn)
    .await?;
    if clients.is_empty() || sellers.is_empty() {
        anyhow::bail!("orders need clients and approved services: seed them first");
    }
    let mut market = Market {
        state,
        conn,
        summary: Summary::default(),
    };
    market.offers().await?;

    let mut rng = rand::rng();
    // The demo pair first: one order in every state.
    let (demo_client, demo_seller) = (&clients[0], &sellers[0]);
    for stage in EVERY_STAGE.into_iter().take(orders) {
        market
            .order(demo_client, demo_seller, stage, &mut rng)
            .await?;
    }
    for _ in EVERY_STAGE.len()..orders {
        let buyer = clients.choose(&mut rng).expect("clients");
        let seller = sellers.choose(&mut rng).expect("sellers");
        market
            .order(buyer, seller, random_stage(&mut rng), &mut rng)
            .await?;
    }
    // Leave the demo seller's earnings for the walk-through; pay out a few others.
    for seller in sellers.iter().skip(1).take(3) {
        market.payout(seller, &mut rng).await?;
    }
    if orders == 0 {
        return Ok(market.summary);
    }
    market.summary.messages =
        crate::chat::run(state, &mut market.conn, demo_client.id, demo_seller.id).await?;
    Ok(market.summary)
}

struct Market<'a> {
    state: &'a AppState,
    conn: AsyncPgConnection,
    summary: Summary,
}

impl Market<'_> {
    /// The welcome code, one that starts next month and one that is over.
    async fn offers(&mut self) -> anyhow::Result<()> {
        let admin = Payer {
            id: UserId(Uuid::nil()),
            is_seller: false,
            kyc_approved: false,
            is_admin: true,
        };
        let today = chrono::Utc::now().date_naive();
        let days = chrono::Days::new;
        let offers = [
            (
                "Bienvenue sur 2Krika",
                "10 % offerts sur votre première commande, pris en charge par 2Krika.",
                WELCOME_CODE,
                10,
                today,
                today + days(365),
            ),
            (
                "TIKONNA de fin d'année",
                "15 % sur tous les services pendant les fêtes.",
                "TIKONNA15",
                15,
                today + days(30),
                today + days(60),
            ),
            (
                "Rentrée des indépendants",
                "Offre terminée.",
                "RENTREE20",
                20,
                today - days(60),
                today - days(30),
            ),
        ];
        for (title, description, code, percent, start, end) in offers {
            let input = OfferInput {
                title: Some(title.into()),
                description: Some(description.into()),
                code: Some(code.into()),
                discount_percent: Some(percent),
                start_date: Some(start),
                end_date: Some(end),
            };
            match self.state.payments.create_offer(&admin, input).await {
                Ok(_) => self.summary.offers += 1,
                // Seeded before: the code is taken.
                Err(krika_payments::PaymentsError::OfferCodeTaken) => {}
                Err(error) => return Err(anyhow!("offer {code}: {error}")),
            }
        }
        Ok(())
    }

    /// One of `seller`'s services, with its packages.
    async fn service_of(
        &mut self,
        seller: &PersonRow,
        rng: &mut impl Rng,
    ) -> anyhow::Result<Service> {
        let ids: Vec<IdRow> = diesel::sql_query(
            "SELECT id FROM services WHERE seller_id = $1 AND status = 'approved' \
             AND is_available AND deleted_at IS NULL",
        )
        .bind::<st::Uuid, _>(seller.id)
        .load(&mut self.conn)
        .await?;
        let id = ids.choose(rng).context("the seller has no service")?.id;
        self.state
            .catalog
            .service(None, &id.to_string())
            .await
            .map_err(|e| anyhow!("service {id}: {e}"))
    }

    async fn order(
        &mut self,
        buyer: &PersonRow,
        seller: &PersonRow,
        stage: Stage,
        rng: &mut impl Rng,
    ) -> anyhow::Result<()> {
        let service = self.service_of(seller, rng).await?;
        // A revision needs a package that allows one.
        let revisable: Vec<_> = service
            .packages
            .iter()
            .filter(|p| p.revisions > 0)
            .collect();
        let package = match (stage, revisable.choose(rng)) {
            (Stage::Revision, Some(package)) => *package,
            _ => service
                .packages
                .choose(rng)
                .context("a service without packages")?,
        };
        let revisions = package.revisions;
        let extras = service
            .extras
            .iter()
            .filter(|_| rng.random_bool(0.3))
            .map(|e| e.id)
            .collect();
        let requirements = REQUIREMENTS.choose(rng).map(|r| r.to_string());
        let input = CheckoutInput {
            service_id: Some(service.id),
            package_id: Some(package.id),
            extras,
            requirements,
            offer_code: rng.random_bool(0.15).then(|| WELCOME_CODE.to_owned()),
            payment_method: Some(krika_ordering::PaymentMethod::Card),
            card_token: Some("tok_visa".into()),
            request_key: None,
        };
        let (buyer, seller) = (buyer.customer(), seller.customer());
        let order = self
            .state
            .ordering
            .place_order(&buyer, input)
            .await
            .map_err(|e| anyhow!("order placed: {e}"))?;
        self.summary.orders += 1;
        let id = order.id;
        match stage {
            Stage::Pending => return Ok(()),
            Stage::Cancelled => {
                let reason = Some(CANCEL_REASON);
                return self
                    .status(&buyer, id, OrderStatus::Cancelled, reason)
                    .await;
            }
            _ => {}
        }
        self.status(&seller, id, OrderStatus::InProgress, None)
            .await?;
        if stage == Stage::InProgress {
            return Ok(());
        }
        self.deliver(&seller, &order).await?;
        match stage {
            Stage::Revision if revisions > 0 => {
                let reason = Some(REVISION_REASON);
                self.status(&buyer, id, OrderStatus::InProgress, reason)
                    .await?;
            }
            Stage::Disputed => {
                let reason = Some(DISPUTE_REASON);
                self.status(&buyer, id, OrderStatus::Disputed, reason)
                    .await?;
            }
            Stage::Completed => {
                self.status(&buyer, id, OrderStatus::Completed, None)
                    .await?;
                self.summary.completed += 1;
                if rng.random_bool(0.85) {
                    self.review(&buyer, &seller, id, rng).await?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    async fn status(
        &self,
        who: &Customer,
        id: OrderId,
        to: OrderStatus,
        reason: Option<&str>,
    ) -> anyhow::Result<()> {
        self.state
            .ordering
            .change_status(who, id, to, reason.map(str::to_owned))
            .await
            .map_err(|e| anyhow!("order to {}: {e}", to.as_str()))?;
        Ok(())
    }

    async fn deliver(&mut self, seller: &Customer, order: &Order) -> anyhow::Result<()> {
        let file = Upload {
            name: "livraison.txt".into(),
            content_type: "text/plain".into(),
            bytes: format!(
                "Commande {}\n{}\nMerci pour votre confiance !\n",
                order.number, order.service.title
            )
            .into_bytes(),
        };
        self.state
            .ordering
            .deliver(seller, order.id, Some(DELIVERY_MESSAGE.into()), vec![file])
            .await
            .map_err(|e| anyhow!("order delivered: {e}"))?;
        Ok(())
    }

    async fn review(
        &mut self,
        buyer: &Customer,
        seller: &Customer,
        order: OrderId,
        rng: &mut impl Rng,
    ) -> anyhow::Result<()> {
        // Mostly happy clients, as on any marketplace.
        let stars = |rng: &mut dyn rand::RngCore| -> i64 {
            *[5, 5, 5, 4, 4, 3, 2].choose(rng).expect("stars")
        };
        let rating = stars(rng);
        let input = ReviewInput {
            order_id: Some(order),
            rating: Some(rating),
            comment: Some(
                REVIEWS[(5 - rating) as usize]
                    .choose(rng)
                    .expect("texts")
                    .to_string(),
            ),
            communication: Some(stars(rng)),
            quality: Some(rating),
            delivery: Some(stars(rng)),
        };
        let review = self
            .state
            .ordering
            .create_review(buyer, input)
            .await
            .map_err(|e| anyhow!("review: {e}"))?;
        self.summary.reviews += 1;
        if rng.random_bool(0.5) {
            self.state
                .ordering
                .respond_to_review(
                    seller,
                    review.id,
                    Some(RESPONSES.choose(rng).expect("texts").to_string()),
                )
                .await
                .map_err(|e| anyhow!("review response: {e}"))?;
        }
        Ok(())
    }

    /// Half of what the seller can withdraw, by mobile money; processed one time in two.
    async fn payout(&mut self, seller: &PersonRow, rng: &mut impl Rng) -> anyhow::Result<()> {
        let payments = &self.state.payments;
        let payer = Payer {
            id: UserId(seller.id),
            is_seller: true,
            kyc_approved: true,
            is_admin: false,
        };
        let available = payments
            .wallet(payer.id)
            .await
            .map_err(|e| anyhow!("wallet: {e}"))?
            .available;
        let amount = available.minor() / 2 / 100 * 100;
        if amount < payments.config().min_payout.minor() {
            return Ok(());
        }
        let input = PayoutInput {
            amount: Some(amount),
            method: Some(krika_payments::PayoutMethod::MobileMoney),
            provider: Some(krika_payments::MobileProvider::Orange),
            phone: Some("+2250700000001".into()),
            ..PayoutInput::default()
        };
        let payout = payments
            .request_payout(&payer, input)
            .await
            .map_err(|e| anyhow!("payout: {e}"))?;
        self.summary.payouts += 1;
        if rng.random_bool(0.5) {
            let admin = Payer {
                is_admin: true,
                ..payer
            };
            payments
                .process_payout(&admin, payout.id)
                .await
                .map_err(|e| anyhow!("payout processed: {e}"))?;
        }
        Ok(())
    }
}

const CANCEL_REASON: &str = "J'ai commandé le mauvais forfait, je recommande.";
const REVISION_REASON: &str = "Pouvez-vous agrandir le logo et essayer un fond plus clair ?";
const DISPUTE_REASON: &str =
    "La livraison ne correspond pas du tout au brief envoyé avec la commande.";
const DELIVERY_MESSAGE: &str =
    "Bonjour ! Voici la livraison. Dites-moi si quelque chose doit être ajusté.";

const REQUIREMENTS: &[&str] = &[
    "Mon entreprise s'appelle Saveurs d'Abidjan ; couleurs orange et vert, style moderne.",
    "Public : étudiants de Dakar. Ton simple et chaleureux, en français.",
    "Vous trouverez le brief complet ci-dessous : trois pages, livraison en PDF.",
    "Je veux quelque chose de sobre et professionnel pour un cabinet comptable à Lomé.",
];

/// Review texts by stars: 5, 4, 3, 2.
const REVIEWS: [&[&str]; 4] = [
    &[
        "Travail impeccable, livré avant le délai. Je recommande vivement !",
        "Excellent échange du début à la fin, résultat au-delà de mes attentes.",
        "Très professionnel, à l'écoute, je reviendrai sans hésiter.",
    ],
    &[
        "Bon travail, quelques ajustements demandés et faits rapidement.",
        "Satisfait du résultat, communication un peu lente au début.",
    ],
    &["Correct, mais il a fallu plusieurs révisions pour arriver au résultat."],
    &["Livré en retard et loin du brief, déçu."],
];

const RESPONSES: &[&str] = &[
    "Merci beaucoup pour votre confiance, au plaisir de retravailler ensemble !",
    "Merci pour votre retour, c'était un plaisir.",
];
