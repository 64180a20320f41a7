//! An order, with the snapshots that keep it independent of later edits of the service.

use chrono::{DateTime, Utc};
use krika_kernel::ids::{DeliveryId, ExtraId, OfferId, OrderId, PackageId, ServiceId, UserId};
use krika_kernel::money::{Currency, Money};
use krika_payments::model::postings::{OrderMoney, OrderRef};
use serde::{Deserialize, Serialize};

use super::checkout::PaymentMethod;

krika_kernel::string_enum!(
    OrderStatus {
        Pending => "pending",
        InProgress => "in_progress",
        Delivered => "delivered",
        Completed => "completed",
        Cancelled => "cancelled",
        Disputed => "disputed",
    }
);

impl OrderStatus {
    /// Money has left escrow: nothing moves any more.
    pub fn is_final(self) -> bool {
        matches!(self, OrderStatus::Completed | OrderStatus::Cancelled)
    }
}

/// Who asks for a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Buyer,
    Seller,
    Admin,
    /// The server itself (auto-completion).
    System,
}

/// The package as it was when ordered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageSnapshot {
    pub id: PackageId,
    pub name: String,
    pub description: String,
    pub price: i64,
    pub delivery_days: i32,
    pub revisions: i32,
    pub features: Vec<String>,
}

/// An extra as it was when ordered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtraSnapshot {
    pub id: ExtraId,
    pub title: String,
    pub price: i64,
    pub delivery_days: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyRef {
    pub id: UserId,
    pub name: String,
    pub username: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRef {
    pub id: ServiceId,
    pub title: String,
    pub slug: String,
}

/// A delivered file; private, served through signed links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryFile {
    pub key: String,
    pub name: String,
    pub size: i64,
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub message: String,
    pub files: Vec<DeliveryFile>,
    pub created_at: DateTime<Utc>,
}

/// One status change. `from` is `None` for the order's creation; `by` is `None` when the
/// server made the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    pub by: Option<UserId>,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: OrderId,
    /// `KR-2026-000123`.
    pub number: String,
    pub status: OrderStatus,
    pub buyer: PartyRef,
    pub seller: PartyRef,
    pub service: ServiceRef,
    pub package: PackageSnapshot,
    pub extras: Vec<ExtraSnapshot>,
    pub requirements: String,
    /// Every amount of an order is in the currency of its service.
    pub subtotal: Money,
    pub extras_total: Money,
    pub discount: Money,
    pub total: Money,
    /// The platform's cut of `subtotal + extras_total`, fixed when the order was placed.
    pub commission: Money,
    pub offer_id: Option<OfferId>,
    pub payment_method: PaymentMethod,
    pub delivery_days: i32,
    pub due_at: Option<DateTime<Utc>>,
    pub revisions_allowed: i32,
    pub revisions_used: i32,
    pub delivered_at: Option<DateTime<Utc>>,
    pub deliveries: Vec<Delivery>,
    /// Oldest first.
    pub history: Vec<HistoryEntry>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Order {
    /// The caller's part in this order, if any.
    pub fn party_of(&self, user: UserId, is_admin: bool) -> Option<Party> {
        if user == self.buyer.id {
            Some(Party::Buyer)
        } else if user == self.seller.id {
            Some(Party::Seller)
        } else if is_admin {
            Some(Party::Admin)
        } else {
            None
        }
    }

    pub fn money(&self) -> OrderMoney {
        OrderMoney {
            gross: self.subtotal + self.extras_total,
            discount: self.discount,
            total: self.total,
            commission: self.commission,
        }
    }

    pub fn ledger_ref(&self) -> OrderRef<'_> {
        OrderRef {
            id: self.id,
            number: &self.number,
        }
    }

    pub fn currency(&self) -> Currency {
        self.total.currency()
    }

    /// What the seller receives on completion.
    pub fn seller_earnings(&self) -> Money {
        self.subtotal + self.extras_total - self.commission
    }
}
