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
    /// Kept when a stale claim is taken over (`IdempotencyStart::Proceed`).
    attempt: String,
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
        let (expired, stale) = claims.get(&id).map_or((false, false), |claim| {
            (
                claim.created_at < expired_before,
                claim.response.is_none()
                    && claim.created_at < stale_before
                    && claim.fingerprint == fingerprint,
            )
        });
        // A stale claim of the same body is the dead try's: keep its attempt.
        let attempt = match claims.get(&id) {
            Some(claim) if stale && !expired => claim.attempt.clone(),
            _ => uuid::Uuid::now_v7().to_string(),
        };
        if expired || stale {
            claims.remove(&id);
        }
        let Some(claim) = claims.get(&id) else {
            claims.insert(
                id,
                Claim {
                    fingerprint: fingerprint.to_owned(),
                    created_at: now,
                    attempt: attempt.clone(),
                    response: None,
                },
            );
            return Ok(IdempotencyStart::Proceed { attempt });
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
