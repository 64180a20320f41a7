//! Placing an order: check it against the service, charge the buyer, and hold the money in
//! escrow, all or nothing.

use chrono::Datelike;
use krika_catalog::ServiceStatus;
use krika_catalog::ports::ServiceKey;
use krika_kernel::ids::{OrderId, UserId};
use krika_kernel::ports::{IdempotentAnswer, key_expired};
use krika_kernel::{RepoError, ValidationErrors};
use krika_payments::model::offer::normalize_code;
use krika_payments::model::postings::{Funding, order_paid};
use krika_payments::ports::{GatewayError, InsufficientFunds, clearance_since};

use super::{Customer, Ordering};
use crate::OrderingError;
use crate::model::{
    CheckoutInput, HistoryEntry, Order, OrderStatus, PartyRef, PaymentMethod, Receipt, ServiceRef,
};
use crate::rules::event;

impl Ordering {
    /// Validates, charges (card) or debits (wallet), and stores the order `pending` with
    /// its payment in escrow and its `order.created` event. A declined card or a short
    /// wallet is `InsufficientFunds` and leaves nothing behind.
    pub async fn place_order(
        &self,
        buyer: &Customer,
        input: CheckoutInput,
    ) -> Result<Order, OrderingError> {
        Ok(self.place_order_answering(buyer, input, None).await?.0)
    }

    /// [`Self::place_order`], storing `receipt`'s answer with the order in its transaction,
    /// and returning it, so the caller sends what it stored without rendering it again
    /// (`None` when nothing was stored: a retry that finds its order).
    pub async fn place_order_answering(
        &self,
        buyer: &Customer,
        input: CheckoutInput,
        receipt: Option<Receipt>,
    ) -> Result<(Order, Option<IdempotentAnswer>), OrderingError> {
        // First: a retry finds its order even if the service has changed since; a key
        // whose keeping ended is a new request under an old key, refused.
        let request_key = input.request_key.as_deref();
        if let Some(key) = request_key
            && let Some(placed) = self
                .ports
                .orders
                .find_order_by_request(buyer.id, key)
                .await?
        {
            if key_expired(placed.created_at, self.now()) {
                return Err(OrderingError::RequestKeyReused {
                    number: placed.number,
                });
            }
            return Ok((placed, None));
        }
        let service_id = input
            .service_id
            .ok_or_else(|| ValidationErrors::single("serviceId", "serviceId is required"))?;
        let service = self
            .ports
            .services
            .find_service(ServiceKey::Id(service_id))
            .await?
            .filter(|s| s.status == ServiceStatus::Approved && s.is_available)
            .ok_or_else(|| {
                ValidationErrors::single("serviceId", "no approved, available service with this id")
            })?;
        if service.seller.id == buyer.id {
            return Err(OrderingError::OwnService);
        }
        let checkout = input.against(&service)?;
        let offer = match input
            .offer_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => None,
            Some(code) => Some(self.redeemable_offer(code).await?),
        };
        let money = checkout.money(offer.as_ref(), self.config.commission);

        let now = self.now();
        let number = self.ports.orders.next_order_number(now.year()).await?;
        let funding = match (&checkout.method, &checkout.card_token) {
            (PaymentMethod::Card, Some(token)) => {
                let charge = self
                    .ports
                    .gateway
                    .charge(
                        token,
                        money.total,
                        &number,
                        receipt.as_ref().map(|r| r.attempt.as_str()),
                    )
                    .await
                    .map_err(|error| match error {
                        GatewayError::Declined => OrderingError::InsufficientFunds,
                        GatewayError::Unavailable(why) => {
                            OrderingError::Unexpected(krika_kernel::Unexpected::unavailable(why))
                        }
                    })?;
                Funding::Card { charge }
            }
            _ => Funding::Wallet,
        };
        let order = Order {
            id: OrderId::new(),
            number,
            status: OrderStatus::Pending,
            buyer: PartyRef {
                id: buyer.id,
                name: buyer.name.clone(),
                username: buyer.username.clone(),
            },
            seller: PartyRef {
                id: service.seller.id,
                name: service.seller.name.clone(),
                username: service.seller.username.clone(),
            },
            service: ServiceRef {
                id: service.id,
                title: service.title.clone(),
                slug: service.slug.clone(),
            },
            revisions_allowed: checkout.package.revisions,
            delivery_days: checkout.delivery_days,
            subtotal: checkout.subtotal(),
            extras_total: checkout.extras_total(),
            discount: money.discount,
            total: money.total,
            commission: money.commission,
            offer_id: offer.map(|o| o.id),
            payment_method: checkout.method,
            package: checkout.package,
            extras: checkout.extras,
            requirements: checkout.requirements,
            due_at: None,
            revisions_used: 0,
            delivered_at: None,
            deliveries: Vec::new(),
            history: vec![HistoryEntry {
                from: None,
                to: OrderStatus::Pending,
                by: Some(buyer.id),
                reason: None,
                at: now,
            }],
            created_at: now,
            updated_at: now,
        };
        let transfers = order_paid(order.ledger_ref(), buyer.id, &funding, money);
        let events = [event("order.created", &order, OrderStatus::Pending)];
        let answer = receipt.map(|receipt| {
            let (status, body) = (receipt.render)(&order);
            IdempotentAnswer {
                scope: receipt.scope,
                key: receipt.key,
                status,
                body,
            }
        });
        let stored = self
            .ports
            .orders
            .place_order(
                &order,
                request_key,
                &transfers,
                clearance_since(now, self.config.clearance_days),
                &events,
                answer.as_ref(),
            )
            .await;
        match (stored, &funding) {
            (Ok(()), _) => Ok((order, answer)),
            (Err(RepoError::Refused(InsufficientFunds)), _) => {
                Err(OrderingError::InsufficientFunds)
            }
            (Err(RepoError::Unexpected(error)), Funding::Card { charge }) => {
                // The commit may have happened with only its reply lost, or a takeover of
                // this key may have placed it: void the charge only when no order is
                // there, never money the escrow holds.
                match self.settle(buyer.id, order.id, request_key).await {
                    Ok(Some(placed)) if placed.id == order.id => Ok((order, answer)),
                    Ok(Some(placed)) => Ok((placed, None)),
                    Ok(None) => {
                        if let Err(void_error) = self.ports.gateway.void(charge).await {
                            tracing::error!(%void_error, charge, "could not void a charge after a failed order");
                        }
                        Err(error.into())
                    }
                    Err(lookup) if request_key.is_some() => {
                        tracing::error!(%error, %lookup, charge, order = %order.number,
                            "charge kept for the retry under the same key: the order cannot be confirmed");
                        Err(OrderingError::ChargeUnsettled(error))
                    }
                    // No key, no retry that could find this charge again.
                    Err(lookup) => {
                        tracing::error!(%error, %lookup, charge, order = %order.number,
                            "charge kept: cannot tell whether the order was saved; reconcile by hand");
                        Err(error.into())
                    }
                }
            }
            (Err(RepoError::Unexpected(error)), Funding::Wallet) => Err(error.into()),
        }
    }

    /// The order this checkout placed, or that another try under its key did; waits up to
    /// `settle_within` for the database to answer.
    async fn settle(
        &self,
        buyer: UserId,
        order: OrderId,
        request_key: Option<&str>,
    ) -> Result<Option<Order>, krika_kernel::Unexpected> {
        let deadline = tokio::time::Instant::now() + self.config.settle_within;
        let mut pause = std::time::Duration::from_millis(50);
        loop {
            let found = match request_key {
                Some(key) => self.ports.orders.find_order_by_request(buyer, key).await,
                None => self.ports.orders.find_order(order).await,
            };
            match found {
                Err(error) if tokio::time::Instant::now() + pause < deadline => {
                    tracing::warn!(%error, "waiting for the database to settle a charge");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(std::time::Duration::from_secs(1));
                }
                answer => return answer,
            }
        }
    }

    /// The offer a code names, if it is valid today.
    async fn redeemable_offer(&self, code: &str) -> Result<krika_payments::Offer, OrderingError> {
        let offer = self
            .ports
            .offers
            .find_offer_by_code(&normalize_code(code))
            .await?;
        offer
            .filter(|o| o.is_valid(self.now().date_naive()))
            .ok_or_else(|| {
                ValidationErrors::single("offerCode", "offerCode is unknown or not valid today")
                    .into()
            })
    }
}
