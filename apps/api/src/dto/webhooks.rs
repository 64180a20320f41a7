//! Webhooks (docs/webhooks.md): endpoints, deliveries and attempts, and the payloads
//! partners receive (named schemas, listed under the document's top-level `webhooks`).

use chrono::{DateTime, Utc};
use krika_webhooks::{Attempt, Delivery, DeliveryStatus, Endpoint};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::envelope;
use super::page::list;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"url": "https://hooks.partner.example/2krika", "events": ["order.created", "order.completed"]}))]
pub struct CreateWebhookRequest {
    /// `http(s)`, at most 2048 characters; its host must resolve to public addresses only.
    #[schema(max_length = 2048)]
    pub url: Option<String>,
    /// Event names from `GET /admin/webhooks/event-types`, or `["*"]` for all.
    pub events: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"enabled": true}))]
pub struct UpdateWebhookRequest {
    #[schema(max_length = 2048)]
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    /// `true` turns a disabled endpoint back on (its failure count starts afresh).
    pub enabled: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEndpoint {
    pub id: Uuid,
    pub url: String,
    pub events: Vec<String>,
    pub enabled: bool,
    /// Why the platform disabled it (410 Gone, three days of failures); `null` otherwise.
    pub disabled_reason: Option<String>,
    /// Since when every attempt has failed; `null` while it succeeds.
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Endpoint> for WebhookEndpoint {
    fn from(e: &Endpoint) -> Self {
        Self {
            id: e.id.0,
            url: e.url.clone(),
            events: e.events.clone(),
            enabled: e.enabled,
            disabled_reason: e.disabled_reason.clone(),
            failing_since: e.failing_since,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// The endpoint as created: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// `whsec_` + base64 of 32 random bytes; the HMAC key is the decoded bytes.
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RotatedSecret {
    /// The new secret; deliveries carry a signature with each secret until `previousValidUntil`.
    pub secret: String,
    pub previous_valid_until: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEventType {
    /// `order.created`…
    pub name: String,
    pub description: String,
}

/// A delivery's state.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WebhookDeliveryStatus {
    Pending,
    Succeeded,
    Failed,
}

impl From<DeliveryStatus> for WebhookDeliveryStatus {
    fn from(s: DeliveryStatus) -> Self {
        match s {
            DeliveryStatus::Pending => Self::Pending,
            DeliveryStatus::Succeeded => Self::Succeeded,
            DeliveryStatus::Failed => Self::Failed,
        }
    }
}

impl From<WebhookDeliveryStatus> for DeliveryStatus {
    fn from(s: WebhookDeliveryStatus) -> Self {
        match s {
            WebhookDeliveryStatus::Pending => Self::Pending,
            WebhookDeliveryStatus::Succeeded => Self::Succeeded,
            WebhookDeliveryStatus::Failed => Self::Failed,
        }
    }
}

/// One try: the partner's answer, or why none came.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAttempt {
    pub at: DateTime<Utc>,
    /// The HTTP status answered; `null` when nothing was (timeout, refused address…).
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    /// The first 1 KB of the response body.
    pub response_body: Option<String>,
}

impl From<&Attempt> for WebhookAttempt {
    fn from(a: &Attempt) -> Self {
        Self {
            at: a.at,
            status_code: a.status_code,
            error: a.error.clone(),
            duration_ms: a.duration_ms,
            response_body: a.response_body.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    /// Also the `webhook-id` header: receivers drop deliveries they already processed.
    pub id: Uuid,
    pub event: String,
    pub status: WebhookDeliveryStatus,
    /// When the next attempt is due; `null` once it succeeded or failed for good.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The body sent.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// Oldest first.
    pub attempts: Vec<WebhookAttempt>,
}

impl From<&Delivery> for WebhookDelivery {
    fn from(d: &Delivery) -> Self {
        Self {
            id: d.id.0,
            event: d.event_type.clone(),
            status: d.status.into(),
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            payload: d.payload.clone(),
            attempts: d.attempt_log.iter().map(Into::into).collect(),
        }
    }
}

/// A delivery sent now (`test`, `retry`), with the attempt just made.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAttemptResult {
    pub delivery: WebhookDelivery,
    pub attempt: WebhookAttempt,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    #[param(minimum = 1, maximum = 2147483647, default = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    pub status: Option<WebhookDeliveryStatus>,
}

envelope!(WebhookEndpointResponse, WebhookEndpoint);
envelope!(CreatedWebhookResponse, CreatedWebhook);
envelope!(RotatedSecretResponse, RotatedSecret);
envelope!(WebhookAttemptResultResponse, WebhookAttemptResult);
list!(
    WebhookEndpointList,
    WebhookEndpointListResponse,
    WebhookEndpoint
);
list!(
    WebhookEventTypeList,
    WebhookEventTypeListResponse,
    WebhookEventType
);
list!(
    WebhookDeliveryList,
    WebhookDeliveryListResponse,
    WebhookDelivery
);

// What partners receive -------------------------------------------------------------------

/// `order.created`, `order.updated`, `order.completed`, `order.cancelled`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderWebhookData {
    pub order_id: Uuid,
    pub number: String,
    /// `pending`, `in_progress`, `delivered`, `completed`, `cancelled`, `disputed`.
    pub status: String,
    /// `null` for `order.created`.
    pub previous_status: Option<String>,
    pub buyer_id: Uuid,
    pub seller_id: Uuid,
    pub service_id: Uuid,
    pub service_title: String,
    /// Minor units.
    pub total: i64,
    pub currency: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewWebhookData {
    pub review_id: Uuid,
    pub order_id: Uuid,
    pub number: String,
    pub service_id: Uuid,
    pub service_title: String,
    pub seller_id: Uuid,
    pub buyer_id: Uuid,
    #[schema(minimum = 1, maximum = 5)]
    pub rating: i16,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceWebhookData {
    pub service_id: Uuid,
    pub seller_id: Uuid,
    pub title: String,
    pub slug: String,
    /// `approved` or `rejected`.
    pub status: String,
    /// The moderator's reason for a rejection; `null` for an approval.
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayoutWebhookData {
    pub payout_id: Uuid,
    pub user_id: Uuid,
    pub amount: i64,
    pub currency: String,
    /// `processed` or `rejected`.
    pub status: String,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TestWebhookData {
    pub endpoint_id: Uuid,
}

/// Declares the body of one family of webhook events: `{event, timestamp, data}`.
macro_rules! webhook_body {
    ($name:ident, $data:ty) => {
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            /// The event name.
            pub event: String,
            /// When the change happened (RFC 3339).
            pub timestamp: DateTime<Utc>,
            pub data: $data,
        }
    };
}

webhook_body!(OrderWebhook, OrderWebhookData);
webhook_body!(ReviewWebhook, ReviewWebhookData);
webhook_body!(ServiceWebhook, ServiceWebhookData);
webhook_body!(PayoutWebhook, PayoutWebhookData);
webhook_body!(TestWebhook, TestWebhookData);
