//! What webhooks need from outside: storage (endpoints, deliveries and their attempts, in
//! PostgreSQL) and an HTTP client that enforces the SSRF rule on every attempt.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use krika_kernel::{Page, PageRequest, Unexpected};
use uuid::Uuid;

use crate::model::{Attempt, Delivery, DeliveryId, DeliveryStatus, Endpoint, EndpointId};
use crate::ssrf::Refused;

/// How an attempt ends a delivery's turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    RetryAt(DateTime<Utc>),
    /// The schedule is over, or the endpoint is gone (410).
    Failed,
}

#[async_trait]
pub trait WebhookStore: Send + Sync + 'static {
    async fn create_endpoint(&self, endpoint: &Endpoint) -> Result<(), Unexpected>;
    async fn endpoint(&self, id: EndpointId) -> Result<Option<Endpoint>, Unexpected>;
    /// Newest first.
    async fn endpoints(&self, page: PageRequest) -> Result<Page<Endpoint>, Unexpected>;
    /// Replaces the endpoint's fields; `false` when it does not exist.
    async fn update_endpoint(&self, endpoint: &Endpoint) -> Result<bool, Unexpected>;
    /// Deletes the endpoint and its deliveries; `false` when it did not exist.
    async fn delete_endpoint(&self, id: EndpointId) -> Result<bool, Unexpected>;

    /// One pending delivery per enabled endpoint subscribed to `kind` (or `*`), unless the
    /// event already has one there (events may be handed over twice). Returns how many
    /// were added.
    async fn enqueue(
        &self,
        event: Uuid,
        kind: &str,
        payload: &serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<usize, Unexpected>;

    /// A delivery made outside the outbox (`webhook.test`), pending and due at once.
    async fn add_delivery(&self, delivery: &Delivery) -> Result<(), Unexpected>;

    /// Due pending deliveries of enabled endpoints, leased until `now + lease`, at most
    /// `per_endpoint` in flight for one endpoint (a slow partner holds back only itself).
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: i64,
        per_endpoint: i64,
    ) -> Result<Vec<(Delivery, Endpoint)>, Unexpected>;

    /// Stores the attempt, moves the delivery (`outcome`) and releases its lease; a success
    /// clears the endpoint's `failing_since`, a failure sets it if it was clear.
    async fn record_attempt(
        &self,
        delivery: DeliveryId,
        attempt: &Attempt,
        outcome: Outcome,
    ) -> Result<(), Unexpected>;

    /// Turns the endpoint off (410 Gone, days of failures); its pending deliveries fail.
    async fn disable(
        &self,
        endpoint: EndpointId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected>;

    /// Newest first, each with its attempts.
    async fn deliveries(
        &self,
        endpoint: EndpointId,
        status: Option<DeliveryStatus>,
        page: PageRequest,
    ) -> Result<Page<Delivery>, Unexpected>;

    async fn delivery(
        &self,
        endpoint: EndpointId,
        id: DeliveryId,
    ) -> Result<Option<Delivery>, Unexpected>;

    /// Makes the delivery pending and due at `now`, leased to the caller until
    /// `now + lease` (a manual retry: the worker leaves it alone while it is sent);
    /// `false` if unknown or leased already (a worker is sending it).
    async fn retry_now(
        &self,
        id: DeliveryId,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<bool, Unexpected>;

    /// Where to e-mail when an endpoint is disabled.
    async fn admin_emails(&self) -> Result<Vec<String>, Unexpected>;
}

/// One signed POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub allow_private: bool,
}

/// What came of a POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// The partner answered (any status; redirects are answers, not followed).
    Answered {
        status: u16,
        retry_after: Option<Duration>,
        /// At most 1 KB.
        body: String,
    },
    /// The SSRF rule refused the address the host resolved to.
    Refused(Refused),
    /// No answer: timeout, connection refused, TLS…
    Failed(String),
}

#[async_trait]
pub trait WebhookTransport: Send + Sync + 'static {
    /// Resolves the URL's host and checks every address (registration).
    async fn check(&self, url: &str, allow_private: bool) -> Result<(), Refused>;

    /// Resolves, checks, connects to the checked address and POSTs (every attempt).
    async fn send(&self, request: Outgoing) -> Sent;
}
