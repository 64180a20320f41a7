//! Order rows and their assembly into orders: a page of orders costs the same four queries
//! whatever its size (orders, parties, deliveries, history).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use krika_kernel::{Money, Unexpected};
use krika_ordering::{
    Delivery, DeliveryFile, HistoryEntry, Order, OrderStatus, PartyRef, PaymentMethod, ServiceRef,
};
use uuid::Uuid;

use crate::error::unexpected;
use crate::schema::{order_deliveries, order_history, orders, users};

#[derive(Queryable, Selectable, Insertable, Clone)]
#[diesel(table_name = orders, check_for_backend(diesel::pg::Pg))]
pub struct OrderRow {
    pub id: Uuid,
    pub number: String,
    pub status: String,
    pub buyer_id: Uuid,
    pub seller_id: Uuid,
    pub service_id: Uuid,
    pub service_title: String,
    pub service_slug: String,
    pub package: serde_json::Value,
    pub extras: serde_json::Value,
    pub requirements: String,
    pub subtotal: i64,
    pub extras_total: i64,
    pub discount: i64,
    pub total: i64,
    pub commission: i64,
    pub currency: String,
    pub offer_id: Option<Uuid>,
    pub payment_method: String,
    pub delivery_days: i32,
    pub due_at: Option<DateTime<Utc>>,
    pub revisions_allowed: i32,
    pub revisions_used: i32,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OrderRow {
    pub fn of(order: &Order) -> Self {
        Self {
            id: order.id.0,
            number: order.number.clone(),
            status: order.status.as_str().into(),
            buyer_id: order.buyer.id.0,
            seller_id: order.seller.id.0,
            service_id: order.service.id.0,
            service_title: order.service.title.clone(),
            service_slug: order.service.slug.clone(),
            package: serde_json::to_value(&order.package).unwrap_or_default(),
            extras: serde_json::to_value(&order.extras).unwrap_or_default(),
            requirements: order.requirements.clone(),
            subtotal: order.subtotal.minor(),
            extras_total: order.extras_total.minor(),
            discount: order.discount.minor(),
            total: order.total.minor(),
            commission: order.commission.minor(),
            currency: order.currency().to_string(),
            offer_id: order.offer_id.map(|o| o.0),
            payment_method: order.payment_method.as_str().into(),
            delivery_days: order.delivery_days,
            due_at: order.due_at,
            revisions_allowed: order.revisions_allowed,
            revisions_used: order.revisions_used,
            delivered_at: order.delivered_at,
            created_at: order.created_at,
            updated_at: order.updated_at,
        }
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = order_deliveries, check_for_backend(diesel::pg::Pg))]
pub struct DeliveryRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub message: String,
    pub files: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = order_history, check_for_backend(diesel::pg::Pg))]
pub struct HistoryRow {
    pub order_id: Uuid,
    pub from_status: Option<String>,
    pub to_status: String,
    pub by_user: Option<Uuid>,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

impl HistoryRow {
    pub fn of(order: Uuid, entry: &HistoryEntry) -> Self {
        Self {
            order_id: order,
            from_status: entry.from.map(|s| s.as_str().to_owned()),
            to_status: entry.to.as_str().into(),
            by_user: entry.by.map(|u| u.0),
            reason: entry.reason.clone(),
            at: entry.at,
        }
    }
}

fn status(text: &str) -> Result<OrderStatus, Unexpected> {
    OrderStatus::parse(text)
        .ok_or_else(|| Unexpected::msg(format!("unknown order status {text:?}")))
}

fn json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, Unexpected> {
    serde_json::from_value(value).map_err(Unexpected::new)
}

/// Turns rows into orders, in the rows' order.
pub async fn assemble(
    conn: &mut AsyncPgConnection,
    rows: Vec<OrderRow>,
) -> Result<Vec<Order>, Unexpected> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let people: Vec<Uuid> = rows
        .iter()
        .flat_map(|r| [r.buyer_id, r.seller_id])
        .collect();
    let parties: HashMap<Uuid, (String, String)> = users::table
        .filter(users::id.eq_any(&people))
        .select((users::id, users::name, users::username))
        .load::<(Uuid, String, String)>(conn)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|(id, name, username)| (id, (name, username)))
        .collect();
    let mut deliveries: HashMap<Uuid, Vec<Delivery>> = HashMap::new();
    let delivery_rows: Vec<DeliveryRow> = order_deliveries::table
        .filter(order_deliveries::order_id.eq_any(&ids))
        .order((
            order_deliveries::created_at.asc(),
            order_deliveries::id.asc(),
        ))
        .select(DeliveryRow::as_select())
        .load(conn)
        .await
        .map_err(unexpected)?;
    for row in delivery_rows {
        let files: Vec<DeliveryFile> = json(row.files)?;
        deliveries.entry(row.order_id).or_default().push(Delivery {
            id: row.id.into(),
            message: row.message,
            files,
            created_at: row.created_at,
        });
    }
    let mut history: HashMap<Uuid, Vec<HistoryEntry>> = HashMap::new();
    let history_rows: Vec<HistoryRow> = order_history::table
        .filter(order_history::order_id.eq_any(&ids))
        .order(order_history::id.asc())
        .select(HistoryRow::as_select())
        .load(conn)
        .await
        .map_err(unexpected)?;
    for row in history_rows {
        history.entry(row.order_id).or_default().push(HistoryEntry {
            from: row.from_status.as_deref().map(status).transpose()?,
            to: status(&row.to_status)?,
            by: row.by_user.map(Into::into),
            reason: row.reason,
            at: row.at,
        });
    }
    let party = |id: Uuid| {
        let (name, username) = parties.get(&id).cloned().unwrap_or_default();
        PartyRef {
            id: id.into(),
            name,
            username,
        }
    };
    rows.into_iter()
        .map(|row| {
            let currency = crate::error::currency(&row.currency)?;
            Ok(Order {
                id: row.id.into(),
                number: row.number,
                status: status(&row.status)?,
                buyer: party(row.buyer_id),
                seller: party(row.seller_id),
                service: ServiceRef {
                    id: row.service_id.into(),
                    title: row.service_title,
                    slug: row.service_slug,
                },
                package: json(row.package)?,
                extras: json(row.extras)?,
                requirements: row.requirements,
                subtotal: Money::new(row.subtotal, currency),
                extras_total: Money::new(row.extras_total, currency),
                discount: Money::new(row.discount, currency),
                total: Money::new(row.total, currency),
                commission: Money::new(row.commission, currency),
                offer_id: row.offer_id.map(Into::into),
                payment_method: PaymentMethod::parse(&row.payment_method).ok_or_else(|| {
                    Unexpected::msg(format!("unknown payment method {:?}", row.payment_method))
                })?,
                delivery_days: row.delivery_days,
                due_at: row.due_at,
                revisions_allowed: row.revisions_allowed,
                revisions_used: row.revisions_used,
                delivered_at: row.delivered_at,
                deliveries: deliveries.remove(&row.id).unwrap_or_default(),
                history: history.remove(&row.id).unwrap_or_default(),
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
        })
        .collect()
}
