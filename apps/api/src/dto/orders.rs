//! docs/orders.md: orders and reviews.

use chrono::{DateTime, Utc};
use krika_ordering::{
    Delivery, ExtraSnapshot, HistoryEntry, Order, OrderStatus, PackageSnapshot, PartyRef, Review,
    ReviewSummary,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::envelope;
use super::page::list;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = OrderStatus)]
pub enum OrderStatusDto {
    Pending,
    InProgress,
    Delivered,
    Completed,
    Cancelled,
    Disputed,
}

impl From<OrderStatus> for OrderStatusDto {
    fn from(status: OrderStatus) -> Self {
        match status {
            OrderStatus::Pending => Self::Pending,
            OrderStatus::InProgress => Self::InProgress,
            OrderStatus::Delivered => Self::Delivered,
            OrderStatus::Completed => Self::Completed,
            OrderStatus::Cancelled => Self::Cancelled,
            OrderStatus::Disputed => Self::Disputed,
        }
    }
}

impl From<OrderStatusDto> for OrderStatus {
    fn from(status: OrderStatusDto) -> Self {
        match status {
            OrderStatusDto::Pending => Self::Pending,
            OrderStatusDto::InProgress => Self::InProgress,
            OrderStatusDto::Delivered => Self::Delivered,
            OrderStatusDto::Completed => Self::Completed,
            OrderStatusDto::Cancelled => Self::Cancelled,
            OrderStatusDto::Disputed => Self::Disputed,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Card,
    Wallet,
}

impl From<PaymentMethod> for krika_ordering::PaymentMethod {
    fn from(method: PaymentMethod) -> Self {
        match method {
            PaymentMethod::Card => Self::Card,
            PaymentMethod::Wallet => Self::Wallet,
        }
    }
}

/// `payment` of `POST /orders`.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRequest {
    /// `card` by default.
    #[serde(default)]
    pub method: Option<PaymentMethod>,
    /// The card token from the payment provider; required for `card`. In the sandbox,
    /// `tok_declined` is declined (422 `INSUFFICIENT_FUNDS`), `tok_error` fails (503) and
    /// `tok_slow` pays, answering 300 ms late.
    #[serde(default)]
    #[schema(example = "tok_visa")]
    pub token: Option<String>,
}

/// `POST /orders`.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"serviceId": "0195f3a2-7c1e-7d4a-9b2e-5f6a7b8c9d0e", "packageId": "0195f3a2-7c1f-7a1b-8c2d-3e4f5a6b7c8d", "extras": [], "requirements": "Un logo pour ma boutique de pagnes, couleurs vert et or.", "offerCode": "BIENVENUE10", "payment": {"method": "card", "token": "tok_visa"}}))]
pub struct CreateOrderRequest {
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub service_id: Option<Uuid>,
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub package_id: Option<Uuid>,
    /// Ids of the service's extras, each at most once.
    #[serde(default)]
    pub extras: Vec<Uuid>,
    #[schema(max_length = 5000)]
    #[serde(default)]
    pub requirements: Option<String>,
    /// A valid offer's code; the platform bears the discount.
    #[serde(default)]
    pub offer_code: Option<String>,
    #[serde(default)]
    pub payment: Option<PaymentRequest>,
}

/// `PUT /orders/{orderId}/status`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"status": "in_progress", "reason": "Merci d'agrandir le texte du logo."}))]
pub struct UpdateOrderStatusRequest {
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub status: Option<OrderStatusDto>,
    /// Required for a revision request and a dispute; at most 1000 characters.
    #[schema(max_length = 1000)]
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResolveOutcome {
    /// Pay the seller: the order is `completed`.
    Release,
    /// Refund the buyer's wallet: the order is `cancelled`.
    Refund,
}

/// `POST /admin/orders/{orderId}/resolve`.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"outcome": "refund", "note": "Livraison hors sujet, le vendeur l'a reconnu."}))]
pub struct ResolveDisputeRequest {
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub outcome: Option<ResolveOutcome>,
    #[schema(max_length = 1000)]
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderFilters {
    /// Only orders in this status.
    pub status: Option<OrderStatusDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderParty {
    pub id: Uuid,
    pub name: String,
    pub username: String,
}

impl From<PartyRef> for OrderParty {
    fn from(p: PartyRef) -> Self {
        Self {
            id: p.id.0,
            name: p.name,
            username: p.username,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderService {
    pub id: Uuid,
    pub title: String,
    pub slug: String,
}

/// The package as it was when ordered.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderPackage {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub price: i64,
    pub delivery_days: i32,
    pub revisions: i32,
    pub features: Vec<String>,
}

impl From<PackageSnapshot> for OrderPackage {
    fn from(p: PackageSnapshot) -> Self {
        Self {
            id: p.id.0,
            name: p.name,
            description: p.description,
            price: p.price,
            delivery_days: p.delivery_days,
            revisions: p.revisions,
            features: p.features,
        }
    }
}

/// An extra as it was when ordered.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderExtra {
    pub id: Uuid,
    pub title: String,
    pub price: i64,
    pub delivery_days: i32,
}

impl From<ExtraSnapshot> for OrderExtra {
    fn from(e: ExtraSnapshot) -> Self {
        Self {
            id: e.id.0,
            title: e.title,
            price: e.price,
            delivery_days: e.delivery_days,
        }
    }
}

/// A delivered file; `url` is a signed link that works for an hour.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DeliveryFile)]
pub struct DeliveryFileDto {
    pub name: String,
    pub size: i64,
    pub content_type: String,
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Delivery)]
pub struct DeliveryDto {
    pub id: Uuid,
    pub message: String,
    pub files: Vec<DeliveryFileDto>,
    pub created_at: DateTime<Utc>,
}

/// One status change; `from` is null for the order's creation, `by` for the server's own
/// changes (auto-completion).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = OrderHistoryEntry)]
pub struct HistoryDto {
    pub from: Option<OrderStatusDto>,
    pub to: OrderStatusDto,
    pub by: Option<Uuid>,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<HistoryEntry> for HistoryDto {
    fn from(h: HistoryEntry) -> Self {
        Self {
            from: h.from.map(Into::into),
            to: h.to.into(),
            by: h.by.map(|u| u.0),
            reason: h.reason,
            at: h.at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Order)]
pub struct OrderDto {
    pub id: Uuid,
    #[schema(example = "KR-2026-000123")]
    pub number: String,
    pub status: OrderStatusDto,
    pub buyer: OrderParty,
    pub seller: OrderParty,
    pub service: OrderService,
    pub package: OrderPackage,
    pub extras: Vec<OrderExtra>,
    pub requirements: String,
    /// The package's price.
    pub subtotal: i64,
    pub extras_total: i64,
    /// Taken off by an offer, borne by the platform.
    pub discount: i64,
    /// What the buyer paid: `subtotal + extrasTotal − discount`.
    pub total: i64,
    #[schema(example = "XOF")]
    pub currency: String,
    pub payment_method: PaymentMethod,
    pub delivery_days: i32,
    /// Set when work starts, and again on a revision request: `deliveryDays` from then.
    pub due_at: Option<DateTime<Utc>>,
    pub revisions_allowed: i32,
    pub revisions_used: i32,
    pub deliveries: Vec<DeliveryDto>,
    pub history: Vec<HistoryDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OrderDto {
    /// `link` turns a delivered file's key into a URL the parties can open.
    pub fn new(order: Order, link: &dyn Fn(&str) -> String) -> Self {
        Self {
            id: order.id.0,
            number: order.number,
            status: order.status.into(),
            buyer: order.buyer.into(),
            seller: order.seller.into(),
            service: OrderService {
                id: order.service.id.0,
                title: order.service.title,
                slug: order.service.slug,
            },
            package: order.package.into(),
            extras: order.extras.into_iter().map(Into::into).collect(),
            requirements: order.requirements,
            subtotal: order.subtotal.minor(),
            extras_total: order.extras_total.minor(),
            discount: order.discount.minor(),
            total: order.total.minor(),
            currency: order.total.currency().to_string(),
            payment_method: match order.payment_method {
                krika_ordering::PaymentMethod::Card => PaymentMethod::Card,
                krika_ordering::PaymentMethod::Wallet => PaymentMethod::Wallet,
            },
            delivery_days: order.delivery_days,
            due_at: order.due_at,
            revisions_allowed: order.revisions_allowed,
            revisions_used: order.revisions_used,
            deliveries: order
                .deliveries
                .into_iter()
                .map(|d: Delivery| DeliveryDto {
                    id: d.id.0,
                    message: d.message,
                    files: d
                        .files
                        .into_iter()
                        .map(|f| DeliveryFileDto {
                            url: link(&f.key),
                            name: f.name,
                            size: f.size,
                            content_type: f.content_type,
                        })
                        .collect(),
                    created_at: d.created_at,
                })
                .collect(),
            history: order.history.into_iter().map(Into::into).collect(),
            created_at: order.created_at,
            updated_at: order.updated_at,
        }
    }
}

envelope!(OrderResponse, OrderDto);
list!(OrderList, OrderListResponse, OrderDto);

/// `delivery` multipart form of `POST /orders/{orderId}/deliver`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"message": "Voici votre logo en PNG, SVG et PDF."}))]
pub struct DeliverOrderForm {
    /// 1..5000 characters.
    #[schema(min_length = 1, max_length = 5000)]
    pub message: String,
    /// 0..5 files, 25 MB each.
    #[schema(value_type = Vec<String>, format = Binary, max_items = 5, required = false)]
    pub files: Vec<Vec<u8>>,
}

// Reviews ---------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CriteriaRequest {
    #[schema(required = true, nullable = false, minimum = 1, maximum = 5)]
    #[serde(default)]
    pub communication: Option<i64>,
    #[schema(required = true, nullable = false, minimum = 1, maximum = 5)]
    #[serde(default)]
    pub quality: Option<i64>,
    #[schema(required = true, nullable = false, minimum = 1, maximum = 5)]
    #[serde(default)]
    pub delivery: Option<i64>,
}

/// `POST /reviews`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"orderId": "0195f3a2-8a00-7b1c-9d2e-3f4a5b6c7d8e", "rating": 5, "comment": "Travail soigné, livré en avance.", "criteria": {"communication": 5, "quality": 5, "delivery": 4}}))]
pub struct CreateReviewRequest {
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub order_id: Option<Uuid>,
    #[schema(required = true, nullable = false, minimum = 1, maximum = 5)]
    #[serde(default)]
    pub rating: Option<i64>,
    #[schema(max_length = 2000)]
    #[serde(default)]
    pub comment: Option<String>,
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub criteria: Option<CriteriaRequest>,
}

/// `POST /reviews/{reviewId}/response`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"comment": "Merci pour votre confiance, à bientôt !"}))]
#[schema(as = SellerReplyRequest)]
pub struct ReviewResponseRequest {
    #[schema(required = true, nullable = false, min_length = 1, max_length = 2000)]
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ReviewCriteria)]
pub struct CriteriaDto {
    pub communication: f64,
    pub quality: f64,
    pub delivery: f64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SellerReply)]
pub struct SellerResponseDto {
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Review)]
pub struct ReviewDto {
    pub id: Uuid,
    pub order_id: Uuid,
    pub service_id: Uuid,
    pub buyer: OrderParty,
    #[schema(minimum = 1, maximum = 5)]
    pub rating: i16,
    pub criteria: CriteriaDto,
    pub comment: String,
    /// The seller's answer, once.
    pub response: Option<SellerResponseDto>,
    pub created_at: DateTime<Utc>,
}

impl From<Review> for ReviewDto {
    fn from(r: Review) -> Self {
        Self {
            id: r.id.0,
            order_id: r.order_id.0,
            service_id: r.service_id.0,
            buyer: r.buyer.into(),
            rating: r.rating,
            criteria: CriteriaDto {
                communication: f64::from(r.criteria.communication),
                quality: f64::from(r.criteria.quality),
                delivery: f64::from(r.criteria.delivery),
            },
            comment: r.comment,
            response: r.response.map(|x| SellerResponseDto {
                comment: x.comment,
                created_at: x.created_at,
            }),
            created_at: r.created_at,
        }
    }
}

envelope!(ReviewResponse, ReviewDto);

/// How many reviews gave each number of stars.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingDistribution {
    #[serde(rename = "1")]
    pub one: i64,
    #[serde(rename = "2")]
    pub two: i64,
    #[serde(rename = "3")]
    pub three: i64,
    #[serde(rename = "4")]
    pub four: i64,
    #[serde(rename = "5")]
    pub five: i64,
}

/// Averages over all of a service's reviews (0 without reviews).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ReviewSummary)]
pub struct ReviewSummaryDto {
    pub average: f64,
    pub count: i64,
    pub criteria: CriteriaDto,
    pub distribution: RatingDistribution,
}

impl From<ReviewSummary> for ReviewSummaryDto {
    fn from(s: ReviewSummary) -> Self {
        let [one, two, three, four, five] = s.distribution;
        Self {
            average: s.average,
            count: s.count,
            criteria: CriteriaDto {
                communication: s.communication,
                quality: s.quality,
                delivery: s.delivery,
            },
            distribution: RatingDistribution {
                one,
                two,
                three,
                four,
                five,
            },
        }
    }
}

/// A page of reviews with the summary over all of them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewList {
    pub items: Vec<ReviewDto>,
    pub pagination: super::page::Pagination,
    pub summary: ReviewSummaryDto,
}

envelope!(ReviewListResponse, ReviewList);

/// The 409 of the order operations: `INVALID_TRANSITION` (with `allowedStatuses`, typed as
/// `OrderStatus`) or `CONFLICT` (the same `Idempotency-Key` still being processed).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OrderConflictResponse {
    /// Always `false`.
    #[schema(example = false)]
    success: bool,
    error: OrderConflict,
}

/// [`crate::error::ErrorBody`] with the allowed targets typed.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OrderConflict {
    code: crate::error::ErrorCode,
    message: String,
    details: Vec<crate::error::ErrorDetail>,
    /// The statuses the caller may move the order to from where it is (`INVALID_TRANSITION`
    /// only).
    #[schema(nullable = false)]
    #[serde(rename = "allowedStatuses")]
    allowed_statuses: Option<Vec<OrderStatusDto>>,
}
