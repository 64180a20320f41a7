//! The built-in `sandbox` gateway (docs/money.md): no money moves; test tokens pick the
//! outcome.

use async_trait::async_trait;

use crate::ports::{GatewayError, PaymentGateway};

/// Declines `tok_declined`, fails on `tok_error`, accepts anything else.
#[derive(Debug, Default, Clone, Copy)]
pub struct SandboxGateway;

pub const DECLINED_TOKEN: &str = "tok_declined";
pub const ERROR_TOKEN: &str = "tok_error";

#[async_trait]
impl PaymentGateway for SandboxGateway {
    async fn charge(
        &self,
        token: &str,
        amount: krika_kernel::Money,
        reference: &str,
    ) -> Result<String, GatewayError> {
        match token {
            DECLINED_TOKEN => Err(GatewayError::Declined),
            ERROR_TOKEN => Err(GatewayError::Unavailable("sandbox error token".into())),
            _ => {
                let charge = format!("sandbox_{}", uuid::Uuid::now_v7().simple());
                // The sandbox's statement: `make chaos` counts charges against orders.
                tracing::info!(%charge, %amount, reference, "sandbox charge");
                Ok(charge)
            }
        }
    }

    async fn void(&self, charge: &str) -> Result<(), GatewayError> {
        tracing::info!(charge, "sandbox void");
        Ok(())
    }
}
