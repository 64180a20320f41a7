//! Secrets and signatures, the Standard Webhooks way (docs/webhooks.md): the secret is `whsec_`
//! + base64 of 32 random bytes; `webhook-signature` is `v1,<base64 HMAC-SHA256 of
//! "id.timestamp.body">`, space-separated when a rotation leaves two secrets valid.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use standardwebhooks::Webhook;

use crate::WebhookError;

pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("whsec_{}", STANDARD.encode(bytes))
}

/// The three headers of one delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub id: String,
    pub timestamp: i64,
    pub signature: String,
}

/// Signs `body` with every secret given (the current one first).
pub fn sign(
    secrets: &[&str],
    id: &str,
    timestamp: i64,
    body: &str,
) -> Result<Signed, WebhookError> {
    let mut signatures = Vec::with_capacity(secrets.len());
    for secret in secrets {
        let key = Webhook::new(secret)
            .map_err(|e| WebhookError::Unexpected(krika_kernel::Unexpected::msg(e)))?;
        let signature = key
            .sign(id, timestamp, body.as_bytes())
            .map_err(|e| WebhookError::Unexpected(krika_kernel::Unexpected::msg(e)))?;
        signatures.push(signature);
    }
    Ok(Signed {
        id: id.to_owned(),
        timestamp,
        signature: signatures.join(" "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receiver_verifies_with_either_secret_during_a_rotation() {
        let (old, new) = (new_secret(), new_secret());
        assert!(new.starts_with("whsec_"));
        assert_eq!(STANDARD.decode(&new[6..]).unwrap().len(), 32);
        let now = chrono::Utc::now().timestamp();
        let signed = sign(&[&new, &old], "msg_1", now, "{\"event\":\"x\"}").unwrap();
        assert_eq!(signed.signature.split(' ').count(), 2);
        for secret in [&old, &new] {
            let mut headers = http::HeaderMap::new();
            headers.insert("webhook-id", "msg_1".parse().unwrap());
            headers.insert("webhook-timestamp", now.to_string().parse().unwrap());
            headers.insert("webhook-signature", signed.signature.parse().unwrap());
            Webhook::new(secret)
                .unwrap()
                .verify(b"{\"event\":\"x\"}", &headers)
                .expect("verifies");
        }
        let other = Webhook::new(&new_secret()).unwrap();
        let mut headers = http::HeaderMap::new();
        headers.insert("webhook-id", "msg_1".parse().unwrap());
        headers.insert("webhook-timestamp", now.to_string().parse().unwrap());
        headers.insert("webhook-signature", signed.signature.parse().unwrap());
        assert!(other.verify(b"{\"event\":\"x\"}", &headers).is_err());
    }
}
