//! Checking an order request against the service it names, and pricing it.

use krika_catalog::Service;
use krika_kernel::ValidationErrors;
use krika_kernel::ids::{ExtraId, PackageId, ServiceId};
use krika_kernel::money::{Currency, Money, Percent};
use krika_payments::Offer;
use krika_payments::model::postings::OrderMoney;

use super::order::{ExtraSnapshot, PackageSnapshot};

krika_kernel::string_enum!(
    PaymentMethod {
        Card => "card",
        Wallet => "wallet",
    }
);

pub const REQUIREMENTS_MAX: usize = 5_000;

/// An order request as the buyer sends it.
#[derive(Debug, Clone, Default)]
pub struct CheckoutInput {
    pub service_id: Option<ServiceId>,
    pub package_id: Option<PackageId>,
    pub extras: Vec<ExtraId>,
    pub requirements: Option<String>,
    pub offer_code: Option<String>,
    /// Card when absent.
    pub payment_method: Option<PaymentMethod>,
    pub card_token: Option<String>,
    /// The buyer's `Idempotency-Key`: a checkout under a key that already placed an order
    /// returns that order instead of paying again (even when the key's stored answer was
    /// lost).
    pub request_key: Option<String>,
}

/// How the caller's claim on its `Idempotency-Key` is answered: the answer, rendered from
/// the placed order, is stored in the order's own transaction (one commit, and no order
/// without its answer).
#[derive(Clone)]
pub struct Receipt {
    pub scope: String,
    pub key: String,
    /// The claim's attempt (`IdempotencyStart::Proceed`): the card provider's idempotency
    /// key, so a takeover of a dead try gets the dead try's charge back, not a second one.
    pub attempt: String,
    pub render: RenderAnswer,
}

/// The status and body a repeat of the request gets, from the placed order.
pub type RenderAnswer = std::sync::Arc<dyn Fn(&super::Order) -> (u16, Vec<u8>) + Send + Sync>;

impl std::fmt::Debug for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receipt")
            .field("scope", &self.scope)
            .field("key", &self.key)
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

/// A request that fits its service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    pub package: PackageSnapshot,
    pub extras: Vec<ExtraSnapshot>,
    pub requirements: String,
    pub method: PaymentMethod,
    pub card_token: Option<String>,
    pub delivery_days: i32,
    /// The service's: the snapshots' prices are in it.
    pub currency: Currency,
}

impl CheckoutInput {
    /// Every field checked against `service`; each failure named (`extras[1]`).
    pub fn against(&self, service: &Service) -> Result<Checkout, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let package = match self.package_id {
            None => {
                errors.push("packageId", "packageId is required");
                None
            }
            Some(id) => {
                let found = service.packages.iter().find(|p| p.id == id);
                if found.is_none() {
                    errors.push("packageId", "packageId is not a package of this service");
                }
                found
            }
        };
        // A service has at most this many extras, so a longer list can only be wrong (and
        // is not worth checking id by id).
        let max = krika_catalog::limits::EXTRAS_MAX;
        if self.extras.len() > max {
            errors.push("extras", format!("at most {max} extras"));
        }
        let mut extras = Vec::with_capacity(self.extras.len().min(max));
        for (i, id) in self.extras.iter().enumerate().take(max) {
            let field = format!("extras[{i}]");
            if self.extras[..i].contains(id) {
                errors.push(field, "extra listed twice");
            } else if let Some(extra) = service.extras.iter().find(|e| e.id == *id) {
                extras.push(ExtraSnapshot {
                    id: extra.id,
                    title: extra.title.clone(),
                    price: extra.price,
                    delivery_days: extra.delivery_days,
                });
            } else {
                errors.push(field, "not an extra of this service");
            }
        }
        let requirements = self.requirements.clone().unwrap_or_default();
        if requirements.chars().count() > REQUIREMENTS_MAX {
            errors.push(
                "requirements",
                "requirements must be at most 5000 characters",
            );
        }
        let method = self.payment_method.unwrap_or(PaymentMethod::Card);
        let card_token = self
            .card_token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        if method == PaymentMethod::Card && card_token.is_none() {
            errors.push("payment.token", "payment.token is required to pay by card");
        }
        errors.into_result()?;
        let Some(package) = package else {
            return Err(ValidationErrors::single(
                "packageId",
                "packageId is required",
            ));
        };
        Ok(Checkout {
            delivery_days: package.delivery_days
                + extras.iter().map(|e| e.delivery_days).sum::<i32>(),
            package: PackageSnapshot {
                id: package.id,
                name: package.name.clone(),
                description: package.description.clone(),
                price: package.price,
                delivery_days: package.delivery_days,
                revisions: package.revisions,
                features: package.features.clone(),
            },
            extras,
            requirements,
            method,
            currency: service.currency,
            card_token: card_token
                .filter(|_| method == PaymentMethod::Card)
                .map(str::to_owned),
        })
    }
}

impl Checkout {
    pub fn subtotal(&self) -> Money {
        Money::new(self.package.price, self.currency)
    }

    pub fn extras_total(&self) -> Money {
        let prices = self
            .extras
            .iter()
            .map(|e| Money::new(e.price, self.currency));
        Money::total(prices, self.currency)
    }

    /// The order's money: `discount` is what the offer takes off; the commission is on
    /// the full price, so the discount never touches the seller.
    pub fn money(&self, offer: Option<&Offer>, commission: Percent) -> OrderMoney {
        let gross = self.subtotal() + self.extras_total();
        let discount = offer.map_or(Money::zero(self.currency), |o| o.discount_on(gross));
        OrderMoney {
            gross,
            discount,
            total: gross - discount,
            commission: gross.percent(commission),
        }
    }
}
