//! Webhooks in memory, with the PostgreSQL adapter's promises: one delivery per (event,
//! endpoint), leased claims with a per-endpoint bound, attempts kept in order.

use std::collections::HashSet;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use krika_kernel::{Page, PageRequest, Unexpected};
use krika_webhooks::ports::{Outcome, WebhookStore};
use krika_webhooks::{
    Attempt, Delivery, DeliveryId, DeliveryStatus, Endpoint, EndpointId, catalogue,
};
use uuid::Uuid;

use crate::{lock, paginate};

struct Row {
    delivery: Delivery,
    event: Option<Uuid>,
    locked_until: Option<DateTime<Utc>>,
}

#[derive(Default)]
struct State {
    endpoints: Vec<Endpoint>,
    rows: Vec<Row>,
    admins: Vec<String>,
}

#[derive(Default)]
pub struct MemoryWebhooks {
    state: Mutex<State>,
}

impl MemoryWebhooks {
    pub fn new() -> Self {
        Self::default()
    }

    /// The addresses `admin_emails` answers.
    pub fn set_admins(&self, emails: &[&str]) {
        lock(&self.state).admins = emails.iter().map(|e| (*e).to_owned()).collect();
    }
}

fn leased(row: &Row, now: DateTime<Utc>) -> bool {
    row.locked_until.is_some_and(|until| until > now)
}

#[async_trait]
impl WebhookStore for MemoryWebhooks {
    async fn create_endpoint(&self, endpoint: &Endpoint) -> Result<(), Unexpected> {
        lock(&self.state).endpoints.push(endpoint.clone());
        Ok(())
    }

    async fn endpoint(&self, id: EndpointId) -> Result<Option<Endpoint>, Unexpected> {
        Ok(lock(&self.state)
            .endpoints
            .iter()
            .find(|e| e.id == id)
            .cloned())
    }

    async fn endpoints(&self, page: PageRequest) -> Result<Page<Endpoint>, Unexpected> {
        let mut all = lock(&self.state).endpoints.clone();
        all.sort_by_key(|e| std::cmp::Reverse((e.created_at, e.id)));
        Ok(paginate(all, page))
    }

    async fn update_endpoint(&self, endpoint: &Endpoint) -> Result<bool, Unexpected> {
        let mut state = lock(&self.state);
        match state.endpoints.iter_mut().find(|e| e.id == endpoint.id) {
            Some(stored) => {
                *stored = endpoint.clone();
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn delete_endpoint(&self, id: EndpointId) -> Result<bool, Unexpected> {
        let mut state = lock(&self.state);
        let before = state.endpoints.len();
        state.endpoints.retain(|e| e.id != id);
        state.rows.retain(|r| r.delivery.endpoint_id != id);
        Ok(state.endpoints.len() < before)
    }

    async fn enqueue(
        &self,
        event: Uuid,
        kind: &str,
        payload: &serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<usize, Unexpected> {
        let mut state = lock(&self.state);
        let targets: Vec<EndpointId> = state
            .endpoints
            .iter()
            .filter(|e| e.enabled && catalogue::subscribes(&e.events, kind))
            .map(|e| e.id)
            .collect();
        let mut added = 0;
        for endpoint in targets {
            let exists = state
                .rows
                .iter()
                .any(|r| r.event == Some(event) && r.delivery.endpoint_id == endpoint);
            if exists {
                continue;
            }
            state.rows.push(Row {
                delivery: Delivery {
                    id: DeliveryId::new(),
                    endpoint_id: endpoint,
                    event_type: kind.to_owned(),
                    payload: payload.clone(),
                    status: DeliveryStatus::Pending,
                    attempts: 0,
                    next_attempt_at: Some(now),
                    created_at: now,
                    updated_at: now,
                    attempt_log: Vec::new(),
                },
                event: Some(event),
                locked_until: None,
            });
            added += 1;
        }
        Ok(added)
    }

    async fn add_delivery(&self, delivery: &Delivery) -> Result<(), Unexpected> {
        lock(&self.state).rows.push(Row {
            delivery: delivery.clone(),
            event: None,
            locked_until: None,
        });
        Ok(())
    }

    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: i64,
        per_endpoint: i64,
    ) -> Result<Vec<(Delivery, Endpoint)>, Unexpected> {
        let mut state = lock(&self.state);
        let enabled: HashSet<EndpointId> = state
            .endpoints
            .iter()
            .filter(|e| e.enabled)
            .map(|e| e.id)
            .collect();
        let mut in_flight: std::collections::HashMap<EndpointId, i64> = Default::default();
        for row in state
            .rows
            .iter()
            .filter(|r| r.delivery.status == DeliveryStatus::Pending && leased(r, now))
        {
            *in_flight.entry(row.delivery.endpoint_id).or_default() += 1;
        }
        let mut due: Vec<usize> = (0..state.rows.len())
            .filter(|&i| {
                let r = &state.rows[i];
                r.delivery.status == DeliveryStatus::Pending
                    && enabled.contains(&r.delivery.endpoint_id)
                    && r.delivery.next_attempt_at.is_some_and(|at| at <= now)
                    && !leased(r, now)
            })
            .collect();
        due.sort_by_key(|&i| {
            (
                state.rows[i].delivery.next_attempt_at,
                state.rows[i].delivery.id,
            )
        });
        let mut claimed = Vec::new();
        for i in due {
            if claimed.len() as i64 >= limit {
                break;
            }
            let endpoint = state.rows[i].delivery.endpoint_id;
            let busy = in_flight.entry(endpoint).or_default();
            if *busy >= per_endpoint {
                continue;
            }
            *busy += 1;
            state.rows[i].locked_until = Some(now + lease);
            let delivery = state.rows[i].delivery.clone();
            let endpoint = state.endpoints.iter().find(|e| e.id == endpoint).cloned();
            if let Some(endpoint) = endpoint {
                claimed.push((
                    Delivery {
                        attempt_log: Vec::new(),
                        ..delivery
                    },
                    endpoint,
                ));
            }
        }
        Ok(claimed)
    }

    async fn record_attempt(
        &self,
        delivery: DeliveryId,
        attempt: &Attempt,
        outcome: Outcome,
    ) -> Result<(), Unexpected> {
        let mut state = lock(&self.state);
        let Some(row) = state.rows.iter_mut().find(|r| r.delivery.id == delivery) else {
            return Err(Unexpected::msg("no such delivery"));
        };
        let d = &mut row.delivery;
        d.attempt_log.push(attempt.clone());
        d.attempts += 1;
        d.updated_at = attempt.at;
        (d.status, d.next_attempt_at) = match outcome {
            Outcome::Succeeded => (DeliveryStatus::Succeeded, None),
            Outcome::RetryAt(at) => (DeliveryStatus::Pending, Some(at)),
            Outcome::Failed => (DeliveryStatus::Failed, None),
        };
        row.locked_until = None;
        let endpoint = d.endpoint_id;
        if let Some(e) = state.endpoints.iter_mut().find(|e| e.id == endpoint) {
            if outcome == Outcome::Succeeded {
                e.failing_since = None;
            } else if e.failing_since.is_none() {
                e.failing_since = Some(attempt.at);
            }
        }
        Ok(())
    }

    async fn disable(
        &self,
        endpoint: EndpointId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let mut state = lock(&self.state);
        if let Some(e) = state.endpoints.iter_mut().find(|e| e.id == endpoint) {
            e.enabled = false;
            e.disabled_reason = Some(reason.to_owned());
            e.updated_at = now;
        }
        for row in state.rows.iter_mut().filter(|r| {
            r.delivery.endpoint_id == endpoint && r.delivery.status == DeliveryStatus::Pending
        }) {
            row.delivery.status = DeliveryStatus::Failed;
            row.delivery.next_attempt_at = None;
            row.delivery.updated_at = now;
        }
        Ok(())
    }

    async fn deliveries(
        &self,
        endpoint: EndpointId,
        status: Option<DeliveryStatus>,
        page: PageRequest,
    ) -> Result<Page<Delivery>, Unexpected> {
        let mut all: Vec<Delivery> = lock(&self.state)
            .rows
            .iter()
            .map(|r| &r.delivery)
            .filter(|d| d.endpoint_id == endpoint && status.is_none_or(|s| d.status == s))
            .cloned()
            .collect();
        all.sort_by_key(|d| std::cmp::Reverse((d.created_at, d.id)));
        Ok(paginate(all, page))
    }

    async fn delivery(
        &self,
        endpoint: EndpointId,
        id: DeliveryId,
    ) -> Result<Option<Delivery>, Unexpected> {
        Ok(lock(&self.state)
            .rows
            .iter()
            .map(|r| &r.delivery)
            .find(|d| d.id == id && d.endpoint_id == endpoint)
            .cloned())
    }

    async fn retry_now(
        &self,
        id: DeliveryId,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<bool, Unexpected> {
        let mut state = lock(&self.state);
        match state.rows.iter_mut().find(|r| r.delivery.id == id) {
            Some(row) if !leased(row, now) => {
                row.delivery.status = DeliveryStatus::Pending;
                row.delivery.next_attempt_at = Some(now);
                row.delivery.updated_at = now;
                row.locked_until = Some(now + lease);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn admin_emails(&self) -> Result<Vec<String>, Unexpected> {
        Ok(lock(&self.state).admins.clone())
    }
}
