//! Payouts: a seller withdrawing earnings to a bank account or a mobile-money wallet.

use chrono::{DateTime, Utc};
use krika_identity::Phone;
use krika_kernel::ids::{PayoutId, UserId};
use krika_kernel::{FieldError, Money, ValidationErrors};
use serde::{Deserialize, Serialize};

krika_kernel::string_enum!(
    PayoutMethod {
        BankTransfer => "bank_transfer",
        MobileMoney => "mobile_money",
    }
);

krika_kernel::string_enum!(
    MobileProvider {
        Orange => "orange",
        Mtn => "mtn",
        Moov => "moov",
        Wave => "wave",
    }
);

krika_kernel::string_enum!(
    PayoutStatus {
        Pending => "pending",
        Processed => "processed",
        Rejected => "rejected",
    }
);

/// Where the money goes; stored as JSON with the payout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum PayoutDestination {
    #[serde(rename_all = "camelCase")]
    BankTransfer {
        account_number: String,
        bank_name: String,
        account_name: Option<String>,
    },
    #[serde(rename_all = "camelCase")]
    MobileMoney { provider: String, phone: String },
}

impl PayoutDestination {
    pub fn method(&self) -> PayoutMethod {
        match self {
            PayoutDestination::BankTransfer { .. } => PayoutMethod::BankTransfer,
            PayoutDestination::MobileMoney { .. } => PayoutMethod::MobileMoney,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payout {
    pub id: PayoutId,
    pub user_id: UserId,
    pub amount: Money,
    pub destination: PayoutDestination,
    pub status: PayoutStatus,
    pub rejection_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
}

/// A payout request as sent; `details.*` fields depend on the method.
#[derive(Debug, Clone, Default)]
pub struct PayoutInput {
    pub amount: Option<i64>,
    pub method: Option<PayoutMethod>,
    pub account_number: Option<String>,
    pub bank_name: Option<String>,
    pub account_name: Option<String>,
    pub provider: Option<MobileProvider>,
    pub phone: Option<String>,
    /// The seller's `Idempotency-Key`: a request under a key that already created a payout
    /// returns that payout instead of reserving the amount again.
    pub request_key: Option<String>,
}

const TEXT_MAX: usize = 100;

fn required_text(
    errors: &mut ValidationErrors,
    field: &str,
    value: &Option<String>,
) -> Option<String> {
    match value.as_deref().map(str::trim) {
        None | Some("") => errors.push(field, format!("{field} is required")),
        Some(text) if text.chars().count() > TEXT_MAX => errors.push(
            field,
            format!("{field} must be at most {TEXT_MAX} characters"),
        ),
        Some(text) => return Some(text.to_owned()),
    }
    None
}

impl PayoutInput {
    /// The amount (at least `min`) and the destination, or every failing field.
    pub fn parse(self, min: Money) -> Result<(Money, PayoutDestination), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let amount = match self.amount {
            None => errors.check(Err(FieldError::new("amount", "amount is required"))),
            Some(a) if a < min.minor() => errors.check(Err(FieldError::new(
                "amount",
                format!("amount must be at least {}", min.minor()),
            ))),
            Some(a) if a > 1_000_000_000_000 => {
                errors.check(Err(FieldError::new("amount", "amount is too large")))
            }
            Some(a) => Some(Money::new(a, min.currency())),
        };
        let destination = match self.method {
            None => {
                errors.push("method", "method is required");
                None
            }
            Some(PayoutMethod::BankTransfer) => {
                let number =
                    required_text(&mut errors, "details.accountNumber", &self.account_number);
                let bank = required_text(&mut errors, "details.bankName", &self.bank_name);
                let holder = match self.account_name.as_deref().map(str::trim) {
                    Some(name) if name.chars().count() > TEXT_MAX => {
                        errors.push("details.accountName", "details.accountName is too long");
                        None
                    }
                    Some("") | None => None,
                    Some(name) => Some(name.to_owned()),
                };
                number.zip(bank).map(|(account_number, bank_name)| {
                    PayoutDestination::BankTransfer {
                        account_number,
                        bank_name,
                        account_name: holder,
                    }
                })
            }
            Some(PayoutMethod::MobileMoney) => {
                let provider = self.provider;
                if provider.is_none() {
                    errors.push("details.provider", "details.provider is required");
                }
                let phone = match self.phone.as_deref() {
                    None => {
                        errors.push("details.phone", "details.phone is required");
                        None
                    }
                    Some(raw) => errors.check(Phone::parse("details.phone", raw)),
                };
                provider
                    .zip(phone)
                    .map(|(provider, phone)| PayoutDestination::MobileMoney {
                        provider: provider.as_str().into(),
                        phone: phone.as_str().into(),
                    })
            }
        };
        errors.into_result()?;
        // Every None above pushed an error, so both are set here.
        match (amount, destination) {
            (Some(amount), Some(destination)) => Ok((amount, destination)),
            _ => Err(ValidationErrors::single("amount", "amount is required")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Money = Money::new(5_000, krika_kernel::Currency::XOF);

    fn fields(error: ValidationErrors) -> Vec<String> {
        error.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn mobile_money_needs_a_known_provider_and_an_e164_phone() {
        let input = PayoutInput {
            amount: Some(10_000),
            method: Some(PayoutMethod::MobileMoney),
            provider: Some(MobileProvider::Orange),
            phone: Some("+2250700000000".into()),
            ..Default::default()
        };
        let (amount, destination) = input.clone().parse(MIN).unwrap();
        assert_eq!(amount.minor(), 10_000);
        assert_eq!(destination.method(), PayoutMethod::MobileMoney);

        let bad = PayoutInput {
            provider: None,
            phone: Some("0700".into()),
            amount: Some(100),
            ..input
        };
        assert_eq!(
            fields(bad.parse(MIN).unwrap_err()),
            ["amount", "details.provider", "details.phone"]
        );
    }

    #[test]
    fn bank_transfer_needs_number_and_bank() {
        let input = PayoutInput {
            amount: Some(5_000),
            method: Some(PayoutMethod::BankTransfer),
            ..Default::default()
        };
        assert_eq!(
            fields(input.parse(MIN).unwrap_err()),
            ["details.accountNumber", "details.bankName"]
        );
        let missing = PayoutInput::default();
        assert_eq!(
            fields(missing.parse(MIN).unwrap_err()),
            ["amount", "method"]
        );
    }
}
