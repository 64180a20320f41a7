//! The webhook use cases: admins manage endpoints; the worker delivers.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use krika_kernel::ports::{Mail, Mailer};
use krika_kernel::{Clock, Page, PageRequest, ValidationErrors};
use serde_json::json;

use crate::catalogue::{self, ALL, TEST_EVENT};
use crate::model::{Attempt, Delivery, DeliveryId, DeliveryStatus, Endpoint, EndpointId};
use crate::ports::{Outcome, Outgoing, Sent, WebhookStore, WebhookTransport};
use crate::schedule::{MAX_ATTEMPTS, next_wait};
use crate::signing::{new_secret, sign};
use crate::{WebhookError, ssrf};

/// Who is calling: only admins manage webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admin {
    pub is_admin: bool,
}

#[derive(Debug, Clone)]
pub struct WebhooksConfig {
    /// `WEBHOOK_ALLOW_PRIVATE`: loopback and private addresses allowed (tests only).
    pub allow_private: bool,
    /// Deliveries in flight for one endpoint.
    pub per_endpoint: i64,
    /// An endpoint failing this long is disabled and the admins e-mailed.
    pub disable_after: Duration,
    /// How long the previous secret keeps signing after a rotation.
    pub rotation_overlap: Duration,
    /// Lease of a claimed delivery (longer than the 15 s timeout).
    pub lease: Duration,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        Self {
            allow_private: false,
            per_endpoint: 4,
            disable_after: Duration::days(3),
            rotation_overlap: Duration::hours(24),
            lease: Duration::seconds(60),
        }
    }
}

#[derive(Clone)]
pub struct WebhooksPorts {
    pub store: Arc<dyn WebhookStore>,
    pub transport: Arc<dyn WebhookTransport>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct Webhooks {
    ports: WebhooksPorts,
    config: Arc<WebhooksConfig>,
}

fn require(admin: Admin) -> Result<(), WebhookError> {
    if admin.is_admin {
        Ok(())
    } else {
        Err(WebhookError::AdminOnly)
    }
}

fn invalid(field: &str, message: impl Into<String>) -> WebhookError {
    ValidationErrors::single(field, message).into()
}

/// Events as asked: known names or `*`, at least one, no duplicates.
fn parse_events(events: &[String]) -> Result<Vec<String>, WebhookError> {
    let mut errors = ValidationErrors::new();
    if events.is_empty() {
        errors.push("events", "events needs at least one event name, or \"*\"");
    }
    for (i, event) in events.iter().enumerate() {
        if event != ALL && !catalogue::is_known(event) {
            errors.push(format!("events[{i}]"), format!("unknown event {event:?}"));
        }
    }
    errors.into_result()?;
    let mut unique: Vec<String> = Vec::with_capacity(events.len());
    for event in events {
        if !unique.contains(event) {
            unique.push(event.clone());
        }
    }
    Ok(unique)
}

/// The body every delivery carries (docs/webhooks.md).
pub fn body(kind: &str, at: DateTime<Utc>, data: &serde_json::Value) -> serde_json::Value {
    json!({ "event": kind, "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), "data": data })
}

/// Changes asked by `PATCH`.
#[derive(Debug, Clone, Default)]
pub struct EndpointChanges {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    pub enabled: Option<bool>,
}

impl Webhooks {
    pub fn new(ports: WebhooksPorts, config: WebhooksConfig) -> Self {
        Self {
            ports,
            config: Arc::new(config),
        }
    }

    /// The clock's time at PostgreSQL's precision (microseconds), so what a create answers
    /// is what a later read shows.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        let now = self.ports.clock.now();
        DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
    }

    pub fn config(&self) -> &WebhooksConfig {
        &self.config
    }

    pub fn store(&self) -> &Arc<dyn WebhookStore> {
        &self.ports.store
    }

    /// The URL's form, then its host's addresses.
    async fn check_url(&self, url: &str) -> Result<String, WebhookError> {
        let target = ssrf::parse(url).map_err(|e| invalid("url", e.to_string()))?;
        if let ssrf::TargetHost::Address(ip) = target.host {
            ssrf::check_addresses(&[ip], self.config.allow_private)
                .map_err(|e| invalid("url", e.to_string()))?;
        }
        self.ports
            .transport
            .check(target.url.as_str(), self.config.allow_private)
            .await
            .map_err(|e| invalid("url", e.to_string()))?;
        Ok(target.url.to_string())
    }

    pub async fn create(
        &self,
        admin: Admin,
        url: &str,
        events: &[String],
    ) -> Result<Endpoint, WebhookError> {
        require(admin)?;
        let events = parse_events(events)?;
        let url = self.check_url(url).await?;
        let now = self.now();
        let endpoint = Endpoint {
            id: EndpointId::new(),
            url,
            events,
            enabled: true,
            disabled_reason: None,
            secret: new_secret(),
            previous_secret: None,
            previous_until: None,
            failing_since: None,
            created_at: now,
            updated_at: now,
        };
        self.ports.store.create_endpoint(&endpoint).await?;
        Ok(endpoint)
    }

    pub async fn list(
        &self,
        admin: Admin,
        page: PageRequest,
    ) -> Result<Page<Endpoint>, WebhookError> {
        require(admin)?;
        Ok(self.ports.store.endpoints(page).await?)
    }

    pub async fn get(&self, admin: Admin, id: EndpointId) -> Result<Endpoint, WebhookError> {
        require(admin)?;
        self.ports
            .store
            .endpoint(id)
            .await?
            .ok_or(WebhookError::NotFound)
    }

    pub async fn update(
        &self,
        admin: Admin,
        id: EndpointId,
        changes: EndpointChanges,
    ) -> Result<Endpoint, WebhookError> {
        let mut endpoint = self.get(admin, id).await?;
        if let Some(events) = &changes.events {
            endpoint.events = parse_events(events)?;
        }
        if let Some(url) = &changes.url {
            endpoint.url = self.check_url(url).await?;
        }
        if let Some(enabled) = changes.enabled {
            endpoint.enabled = enabled;
            if enabled {
                // Turned back on by hand: a fresh start.
                endpoint.disabled_reason = None;
                endpoint.failing_since = None;
            }
        }
        endpoint.updated_at = self.now();
        if !self.ports.store.update_endpoint(&endpoint).await? {
            return Err(WebhookError::NotFound);
        }
        Ok(endpoint)
    }

    pub async fn delete(&self, admin: Admin, id: EndpointId) -> Result<(), WebhookError> {
        require(admin)?;
        if self.ports.store.delete_endpoint(id).await? {
            Ok(())
        } else {
            Err(WebhookError::NotFound)
        }
    }

    /// A new secret; the old one keeps signing (second signature) for `rotation_overlap`.
    pub async fn rotate_secret(
        &self,
        admin: Admin,
        id: EndpointId,
    ) -> Result<Endpoint, WebhookError> {
        let mut endpoint = self.get(admin, id).await?;
        let now = self.now();
        endpoint.previous_secret = Some(std::mem::replace(&mut endpoint.secret, new_secret()));
        endpoint.previous_until = Some(now + self.config.rotation_overlap);
        endpoint.updated_at = now;
        self.ports.store.update_endpoint(&endpoint).await?;
        Ok(endpoint)
    }

    /// Sends `webhook.test` at once and returns the attempt (also kept in the log).
    pub async fn test(
        &self,
        admin: Admin,
        id: EndpointId,
    ) -> Result<(Delivery, Attempt), WebhookError> {
        let endpoint = self.get(admin, id).await?;
        if !endpoint.enabled {
            return Err(WebhookError::EndpointDisabled);
        }
        let now = self.now();
        let delivery = Delivery {
            id: DeliveryId::new(),
            endpoint_id: endpoint.id,
            event_type: TEST_EVENT.into(),
            payload: body(TEST_EVENT, now, &json!({ "endpointId": endpoint.id })),
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: None,
            created_at: now,
            updated_at: now,
            attempt_log: Vec::new(),
        };
        self.ports.store.add_delivery(&delivery).await?;
        let attempt = self.attempt(&delivery, &endpoint).await?;
        let delivery = self
            .ports
            .store
            .delivery(endpoint.id, delivery.id)
            .await?
            .ok_or(WebhookError::NotFound)?;
        Ok((delivery, attempt))
    }

    pub async fn deliveries(
        &self,
        admin: Admin,
        id: EndpointId,
        status: Option<DeliveryStatus>,
        page: PageRequest,
    ) -> Result<Page<Delivery>, WebhookError> {
        self.get(admin, id).await?;
        Ok(self.ports.store.deliveries(id, status, page).await?)
    }

    /// Sends a delivery again now, whatever its status, unless its endpoint is disabled or
    /// a worker is sending it at this moment.
    pub async fn retry(
        &self,
        admin: Admin,
        id: EndpointId,
        delivery: DeliveryId,
    ) -> Result<(Delivery, Attempt), WebhookError> {
        let endpoint = self.get(admin, id).await?;
        let found = self
            .ports
            .store
            .delivery(id, delivery)
            .await?
            .ok_or(WebhookError::NotFound)?;
        if !endpoint.enabled {
            return Err(WebhookError::EndpointDisabled);
        }
        // Leased like a worker's claim: the worker cannot send it a second time meanwhile.
        if !self
            .ports
            .store
            .retry_now(found.id, self.now(), self.config.lease)
            .await?
        {
            return Err(WebhookError::DeliveryInFlight);
        }
        let attempt = self.attempt(&found, &endpoint).await?;
        let after = self
            .ports
            .store
            .delivery(id, delivery)
            .await?
            .ok_or(WebhookError::NotFound)?;
        Ok((after, attempt))
    }

    /// The worker's pass: claims due deliveries and attempts each. Returns how many.
    pub async fn deliver_due(&self, limit: i64) -> Result<usize, WebhookError> {
        let claimed = self
            .ports
            .store
            .claim_due(
                self.now(),
                self.config.lease,
                limit,
                self.config.per_endpoint,
            )
            .await?;
        let count = claimed.len();
        let attempts = claimed
            .iter()
            .map(|(delivery, endpoint)| self.attempt(delivery, endpoint));
        for result in futures_util::future::join_all(attempts).await {
            if let Err(error) = result {
                tracing::warn!(%error, "webhook attempt not recorded; its lease will expire");
            }
        }
        Ok(count)
    }

    /// One signed POST, its outcome recorded; disables the endpoint on 410 or after days of
    /// failures.
    async fn attempt(
        &self,
        delivery: &Delivery,
        endpoint: &Endpoint,
    ) -> Result<Attempt, WebhookError> {
        let started = self.now();
        let body = delivery.payload.to_string();
        let signed = sign(
            &endpoint.signing_secrets(started),
            &delivery.id.to_string(),
            started.timestamp(),
            &body,
        )?;
        let clock_start = std::time::Instant::now();
        let sent = self
            .ports
            .transport
            .send(Outgoing {
                url: endpoint.url.clone(),
                headers: vec![
                    ("content-type".into(), "application/json".into()),
                    ("webhook-id".into(), signed.id),
                    ("webhook-timestamp".into(), signed.timestamp.to_string()),
                    ("webhook-signature".into(), signed.signature),
                ],
                body,
                allow_private: self.config.allow_private,
            })
            .await;
        let duration_ms = clock_start.elapsed().as_millis() as i64;
        let (attempt, retry_after, gone) = match sent {
            Sent::Answered {
                status,
                retry_after,
                body,
            } => (
                Attempt {
                    at: started,
                    status_code: Some(i32::from(status)),
                    error: (300..400)
                        .contains(&status)
                        .then(|| "redirects are not followed".to_owned()),
                    duration_ms,
                    response_body: Some(body),
                },
                retry_after,
                status == 410,
            ),
            Sent::Refused(refused) => (
                Attempt {
                    at: started,
                    status_code: None,
                    error: Some(refused.to_string()),
                    duration_ms,
                    response_body: None,
                },
                None,
                false,
            ),
            Sent::Failed(error) => (
                Attempt {
                    at: started,
                    status_code: None,
                    error: Some(error),
                    duration_ms,
                    response_body: None,
                },
                None,
                false,
            ),
        };
        let attempts = delivery.attempts + 1;
        let now = self.now();
        let outcome = if attempt.succeeded() {
            Outcome::Succeeded
        } else if gone || attempts >= MAX_ATTEMPTS {
            Outcome::Failed
        } else {
            let jitter = rand::random::<f64>() * 2.0 - 1.0;
            match next_wait(attempts, jitter, retry_after) {
                Some(wait) => Outcome::RetryAt(now + wait),
                None => Outcome::Failed,
            }
        };
        self.ports
            .store
            .record_attempt(delivery.id, &attempt, outcome)
            .await?;
        if gone {
            self.disable(endpoint, "the endpoint answered 410 Gone")
                .await?;
        } else if !attempt.succeeded()
            && endpoint
                .failing_since
                .is_some_and(|since| now - since >= self.config.disable_after)
        {
            self.disable(endpoint, "every delivery has failed for 3 days")
                .await?;
        }
        Ok(attempt)
    }

    async fn disable(&self, endpoint: &Endpoint, reason: &str) -> Result<(), WebhookError> {
        self.ports
            .store
            .disable(endpoint.id, reason, self.now())
            .await?;
        tracing::warn!(endpoint = %endpoint.id, url = endpoint.url, reason, "webhook endpoint disabled");
        for to in self.ports.store.admin_emails().await? {
            let mail = Mail {
                to,
                subject: "Webhook désactivé".into(),
                text: format!(
                    "Bonjour,\n\nLe webhook {url} ({id}) a été désactivé : {reason}.\n\
                     Réactivez-le avec PATCH /api/v1/admin/webhooks/{id} {{\"enabled\": true}} \
                     une fois le problème corrigé.\n\nL'équipe 2Krika",
                    url = endpoint.url,
                    id = endpoint.id,
                ),
                html: None,
            };
            if let Err(error) = self.ports.mailer.send(mail).await {
                tracing::warn!(%error, "could not e-mail an admin about a disabled webhook");
            }
        }
        Ok(())
    }
}
