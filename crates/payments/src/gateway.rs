//! The built-in `sandbox` gateway (docs/money.md): no money moves; test tokens pick the
//! outcome.

use async_trait::async_trait;
use sha2::Digest;

use crate::ports::{GatewayError, PaymentGateway};

/// Declines `tok_declined`, fails on `tok_error`, answers `tok_slow` 300 ms after
/// charging it (as a provider does on a bad day: `make chaos` stops the database, or kills
/// the instance, in between), accepts anything else.
#[derive(Debug, Default, Clone, Copy)]
pub struct SandboxGateway;

pub const DECLINED_TOKEN: &str = "tok_declined";
pub const ERROR_TOKEN: &str = "tok_error";
pub const SLOW_TOKEN: &str = "tok_slow";
/// How long `tok_slow` takes.
pub const SLOW: std::time::Duration = std::time::Duration::from_millis(300);

#[async_trait]
impl PaymentGateway for SandboxGateway {
    async fn charge(
        &self,
        token: &str,
        amount: krika_kernel::Money,
        reference: &str,
        key: Option<&str>,
    ) -> Result<String, GatewayError> {
        match token {
            DECLINED_TOKEN => Err(GatewayError::Declined),
            ERROR_TOKEN => Err(GatewayError::Unavailable("sandbox error token".into())),
            _ => {
                let charge = charge_id(key);
                // The sandbox's statement: `make chaos` counts charges against orders.
                tracing::info!(%charge, %amount, reference, key, "sandbox charge");
                if token == SLOW_TOKEN {
                    // Charged, and the answer is slow to come back.
                    tokio::time::sleep(SLOW).await;
                }
                Ok(charge)
            }
        }
    }

    async fn void(&self, charge: &str) -> Result<(), GatewayError> {
        tracing::info!(charge, "sandbox void");
        Ok(())
    }
}

/// A keyed charge's id follows from its key, so every instance (and a restarted one)
/// answers the same key with the same charge, as one provider would.
fn charge_id(key: Option<&str>) -> String {
    match key {
        Some(key) => {
            let digest = sha2::Sha256::digest(key.as_bytes());
            format!("sandbox_{}", hex::encode(&digest[..16]))
        }
        None => format!("sandbox_{}", uuid::Uuid::now_v7().simple()),
    }
}

#[cfg(test)]
mod tests {
    use krika_kernel::{Currency, Money};

    use super::*;

    #[tokio::test]
    async fn a_key_charged_again_is_the_same_charge() {
        let gateway = SandboxGateway;
        let amount = Money::new(5000, Currency::XOF);
        let charge = async |key| {
            gateway
                .charge("tok_visa", amount, "KR-1", key)
                .await
                .unwrap()
        };
        assert_eq!(
            charge(Some("attempt-1")).await,
            charge(Some("attempt-1")).await
        );
        assert_ne!(
            charge(Some("attempt-1")).await,
            charge(Some("attempt-2")).await
        );
        assert_ne!(charge(None).await, charge(None).await);
        assert!(matches!(
            gateway
                .charge(DECLINED_TOKEN, amount, "KR-1", Some("k"))
                .await,
            Err(GatewayError::Declined)
        ));
    }
}
