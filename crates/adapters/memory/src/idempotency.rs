//! Idempotency keys in a map, with the PostgreSQL store's rules: expired keys are
//! forgotten, a claim left unfinished too long is taken over, and a key reused with another
//! body is a mismatch.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_kernel::Unexpected;
use krika_kernel::ports::{IdempotencyStart, IdempotencyStore, IdempotentAnswer};

use crate::lock;

struct Claim {
    fingerprint: String,
    created_at: DateTime<Utc>,
    /// Set by `finish`: the answer to replay.
    response: Option<(u16, Vec<u8>)>,
}

#[derive(Default)]
pub struct MemoryIdempotencyStore {
    claims: Mutex<HashMap<(String, String), Claim>>,
}

impl MemoryIdempotencyStore {
    /// Number of keys held, finished or not.
    pub fn len(&self) -> usize {
        lock(&self.claims).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stores a claimed key's answer (the order store does, with the order).
    pub(crate) fn answer(&self, answer: &IdempotentAnswer) {
        if let Some(claim) = lock(&self.claims).get_mut(&id(&answer.scope, &answer.key)) {
            claim.response = Some((answer.status, answer.body.clone()));
        }
    }
}

fn id(scope: &str, key: &str) -> (String, String) {
    (scope.to_owned(), key.to_owned())
}

#[async_trait]
impl IdempotencyStore for MemoryIdempotencyStore {
    async fn start(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
        expired_before: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<IdempotencyStart, Unexpected> {
        let mut claims = lock(&self.claims);
        let id = id(scope, key);
        let forgotten = claims.get(&id).is_some_and(|claim| {
            claim.created_at < expired_before
                || (claim.response.is_none() && claim.created_at < stale_before)
        });
        if forgotten {
            claims.remove(&id);
        }
        let Some(claim) = claims.get(&id) else {
            claims.insert(
                id,
                Claim {
                    fingerprint: fingerprint.to_owned(),
                    created_at: now,
                    response: None,
                },
            );
            return Ok(IdempotencyStart::Proceed);
        };
        if claim.fingerprint != fingerprint {
            return Ok(IdempotencyStart::Mismatch);
        }
        Ok(match &claim.response {
            Some((status, body)) => IdempotencyStart::Replay {
                status: *status,
                body: body.clone(),
            },
            None => IdempotencyStart::InFlight,
        })
    }

    async fn finish(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        body: &[u8],
    ) -> Result<(), Unexpected> {
        if let Some(claim) = lock(&self.claims).get_mut(&id(scope, key)) {
            claim.response = Some((status, body.to_vec()));
        }
        Ok(())
    }

    async fn abandon(&self, scope: &str, key: &str) -> Result<(), Unexpected> {
        let mut claims = lock(&self.claims);
        let id = id(scope, key);
        // A finished key stays: its answer is what a retry must get.
        if claims
            .get(&id)
            .is_some_and(|claim| claim.response.is_none())
        {
            claims.remove(&id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    const SCOPE: &str = "user-1:POST /orders";

    /// `start` at `now` with keys kept a day and claims taken over after a minute.
    async fn start(
        store: &MemoryIdempotencyStore,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> IdempotencyStart {
        store
            .start(
                SCOPE,
                key,
                fingerprint,
                now,
                now - Duration::days(1),
                now - Duration::minutes(1),
            )
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_finished_key_replays_its_answer_to_the_same_body_only() {
        let store = MemoryIdempotencyStore::default();
        let now = Utc::now();
        assert_eq!(
            start(&store, "k1", "body-a", now).await,
            IdempotencyStart::Proceed
        );
        assert_eq!(
            start(&store, "k1", "body-a", now).await,
            IdempotencyStart::InFlight
        );
        assert_eq!(
            start(&store, "k1", "body-b", now).await,
            IdempotencyStart::Mismatch
        );
        store.finish(SCOPE, "k1", 201, b"{\"id\":1}").await.unwrap();
        let replay = IdempotencyStart::Replay {
            status: 201,
            body: b"{\"id\":1}".to_vec(),
        };
        assert_eq!(start(&store, "k1", "body-a", now).await, replay);
        assert_eq!(
            start(&store, "k1", "body-b", now).await,
            IdempotencyStart::Mismatch
        );
        // Abandoning a finished key keeps it; another scope or key is another claim.
        store.abandon(SCOPE, "k1").await.unwrap();
        assert_eq!(start(&store, "k1", "body-a", now).await, replay);
        assert_eq!(
            start(&store, "k2", "body-a", now).await,
            IdempotencyStart::Proceed
        );
        let other_scope = store
            .start("user-2:POST /orders", "k1", "body-a", now, now, now)
            .await
            .unwrap();
        assert_eq!(other_scope, IdempotencyStart::Proceed);
    }

    #[tokio::test]
    async fn an_abandoned_claim_can_be_claimed_again() {
        let store = MemoryIdempotencyStore::default();
        let now = Utc::now();
        assert_eq!(
            start(&store, "k", "a", now).await,
            IdempotencyStart::Proceed
        );
        store.abandon(SCOPE, "k").await.unwrap();
        assert!(store.is_empty());
        assert_eq!(
            start(&store, "k", "b", now).await,
            IdempotencyStart::Proceed
        );
    }

    #[tokio::test]
    async fn stale_claims_are_taken_over_and_expired_keys_forgotten() {
        let store = MemoryIdempotencyStore::default();
        let t0 = Utc::now();
        assert_eq!(
            start(&store, "stale", "a", t0).await,
            IdempotencyStart::Proceed
        );
        assert_eq!(
            start(&store, "done", "a", t0).await,
            IdempotencyStart::Proceed
        );
        store.finish(SCOPE, "done", 200, b"ok").await.unwrap();

        // Within the minute the claim still stands.
        let soon = t0 + Duration::seconds(59);
        assert_eq!(
            start(&store, "stale", "a", soon).await,
            IdempotencyStart::InFlight
        );
        // After it, the unfinished claim is taken over (by any body); the finished key
        // still replays until it expires.
        let later = t0 + Duration::minutes(2);
        assert_eq!(
            start(&store, "stale", "b", later).await,
            IdempotencyStart::Proceed
        );
        assert!(matches!(
            start(&store, "done", "a", later).await,
            IdempotencyStart::Replay { status: 200, .. }
        ));
        let next_day = t0 + Duration::days(1) + Duration::seconds(1);
        assert_eq!(
            start(&store, "done", "b", next_day).await,
            IdempotencyStart::Proceed
        );
    }
}
