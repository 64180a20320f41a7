//! docs/money.md: wallet, transactions, payouts and offers.

use chrono::{DateTime, NaiveDate, Utc};
use krika_payments::{EntryType, Offer, Payout, PayoutDestination, PayoutStatus, WalletEntry};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::envelope;
use super::page::list;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Wallet)]
pub struct WalletDto {
    /// Can be spent on orders or paid out now.
    pub available: i64,
    /// The seller's share of paid orders not completed yet, plus earnings in clearance.
    pub pending: i64,
    /// Net earnings since the beginning (releases minus commission).
    pub total_earned: i64,
    #[schema(example = "XOF")]
    pub currency: String,
}

envelope!(WalletResponse, WalletDto);

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransactionType {
    Payment,
    EscrowRelease,
    Commission,
    Refund,
    Payout,
    PayoutReversal,
    Discount,
}

impl From<EntryType> for TransactionType {
    fn from(t: EntryType) -> Self {
        match t {
            EntryType::Payment => Self::Payment,
            EntryType::EscrowRelease => Self::EscrowRelease,
            EntryType::Commission => Self::Commission,
            EntryType::Refund => Self::Refund,
            EntryType::Payout => Self::Payout,
            EntryType::PayoutReversal => Self::PayoutReversal,
            EntryType::Discount => Self::Discount,
        }
    }
}

/// One line of the wallet's statement.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Transaction)]
pub struct TransactionDto {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub kind: TransactionType,
    /// Signed: credits above zero, debits below.
    pub amount: i64,
    pub balance_after: i64,
    pub order_id: Option<Uuid>,
    pub payout_id: Option<Uuid>,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

impl From<WalletEntry> for TransactionDto {
    fn from(e: WalletEntry) -> Self {
        Self {
            id: e.id,
            kind: e.kind.into(),
            amount: e.amount.minor(),
            balance_after: e.balance_after.minor(),
            order_id: e.order_id.map(|o| o.0),
            payout_id: e.payout_id.map(|p| p.0),
            description: e.description,
            created_at: e.created_at,
        }
    }
}

list!(TransactionList, TransactionListResponse, TransactionDto);

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PayoutMethod {
    BankTransfer,
    MobileMoney,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MobileMoneyProvider {
    Orange,
    Mtn,
    Moov,
    Wave,
}

impl From<PayoutMethod> for krika_payments::PayoutMethod {
    fn from(method: PayoutMethod) -> Self {
        match method {
            PayoutMethod::BankTransfer => Self::BankTransfer,
            PayoutMethod::MobileMoney => Self::MobileMoney,
        }
    }
}

impl From<MobileMoneyProvider> for krika_payments::MobileProvider {
    fn from(provider: MobileMoneyProvider) -> Self {
        match provider {
            MobileMoneyProvider::Orange => Self::Orange,
            MobileMoneyProvider::Mtn => Self::Mtn,
            MobileMoneyProvider::Moov => Self::Moov,
            MobileMoneyProvider::Wave => Self::Wave,
        }
    }
}

impl MobileMoneyProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Orange => "orange",
            Self::Mtn => "mtn",
            Self::Moov => "moov",
            Self::Wave => "wave",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Self::Orange, Self::Mtn, Self::Moov, Self::Wave]
            .into_iter()
            .find(|p| p.as_str() == name)
    }
}

/// Where the money goes. `bank_transfer` needs `accountNumber` and `bankName`
/// (`accountName` optional); `mobile_money` needs `provider` and `phone` (E.164). Fields
/// that do not apply are left out (never `null`).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayoutDetails {
    #[schema(max_length = 100, nullable = false)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    #[schema(max_length = 100, nullable = false)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    #[schema(max_length = 100, nullable = false)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    #[schema(nullable = false)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<MobileMoneyProvider>,
    #[schema(
        pattern = r"^\+[1-9][0-9]{7,14}$",
        example = "+2250700000000",
        nullable = false
    )]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// `POST /wallet/payout`.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"amount": 50000, "method": "mobile_money", "details": {"provider": "orange", "phone": "+2250700000000"}}))]
pub struct CreatePayoutRequest {
    /// At least `MIN_PAYOUT` (5000 by default), at most the available balance.
    #[schema(required = true, nullable = false, minimum = 1)]
    #[serde(default)]
    pub amount: Option<i64>,
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub method: Option<PayoutMethod>,
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub details: Option<PayoutDetails>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = PayoutStatus)]
pub enum PayoutStatusDto {
    Pending,
    Processed,
    Rejected,
}

impl From<PayoutStatus> for PayoutStatusDto {
    fn from(s: PayoutStatus) -> Self {
        match s {
            PayoutStatus::Pending => Self::Pending,
            PayoutStatus::Processed => Self::Processed,
            PayoutStatus::Rejected => Self::Rejected,
        }
    }
}

impl From<PayoutStatusDto> for PayoutStatus {
    fn from(s: PayoutStatusDto) -> Self {
        match s {
            PayoutStatusDto::Pending => Self::Pending,
            PayoutStatusDto::Processed => Self::Processed,
            PayoutStatusDto::Rejected => Self::Rejected,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Payout)]
pub struct PayoutDto {
    pub id: Uuid,
    pub user_id: Uuid,
    pub amount: i64,
    pub currency: String,
    pub method: PayoutMethod,
    pub details: PayoutDetails,
    pub status: PayoutStatusDto,
    pub rejection_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
}

impl From<Payout> for PayoutDto {
    fn from(p: Payout) -> Self {
        let (method, details) = match p.destination {
            PayoutDestination::BankTransfer {
                account_number,
                bank_name,
                account_name,
            } => (
                PayoutMethod::BankTransfer,
                PayoutDetails {
                    account_number: Some(account_number),
                    bank_name: Some(bank_name),
                    account_name,
                    ..Default::default()
                },
            ),
            PayoutDestination::MobileMoney { provider, phone } => (
                PayoutMethod::MobileMoney,
                PayoutDetails {
                    provider: MobileMoneyProvider::parse(&provider),
                    phone: Some(phone),
                    ..Default::default()
                },
            ),
        };
        Self {
            id: p.id.0,
            user_id: p.user_id.0,
            amount: p.amount.minor(),
            currency: p.amount.currency().to_string(),
            method,
            details,
            status: p.status.into(),
            rejection_reason: p.rejection_reason,
            created_at: p.created_at,
            processed_at: p.processed_at,
        }
    }
}

envelope!(PayoutResponse, PayoutDto);
list!(PayoutList, PayoutListResponse, PayoutDto);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PayoutFilters {
    /// Only payouts in this status.
    pub status: Option<PayoutStatusDto>,
}

/// `POST /admin/payouts/{payoutId}/reject`.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"reason": "Le numéro Mobile Money ne correspond pas au titulaire du compte."}))]
pub struct RejectPayoutRequest {
    #[schema(required = true, nullable = false, min_length = 1, max_length = 1000)]
    #[serde(default)]
    pub reason: Option<String>,
}

// Offers ------------------------------------------------------------------------------------

/// `POST /offers` and `PUT /offers/{offerId}` (the whole offer).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"title": "Tabaski -20 %", "description": "Sur tous les services pendant la fête.", "code": "TABASKI26", "discountPercent": 20, "startDate": "2026-05-20", "endDate": "2026-05-31"}))]
pub struct OfferRequest {
    #[schema(
        required = true,
        nullable = false,
        min_length = 3,
        max_length = 120,
        example = "Tabaski -20 %"
    )]
    #[serde(default)]
    pub title: Option<String>,
    #[schema(max_length = 2000)]
    #[serde(default)]
    pub description: Option<String>,
    /// Letters, digits, `-` and `_`, 3..32; stored upper-case and matched in any case.
    /// Without a code the offer is announced but cannot be redeemed.
    #[schema(
        min_length = 3,
        max_length = 32,
        pattern = "^[A-Za-z0-9_-]+$",
        example = "TABASKI26"
    )]
    #[serde(default)]
    pub code: Option<String>,
    #[schema(required = true, nullable = false, minimum = 1, maximum = 90)]
    #[serde(default)]
    pub discount_percent: Option<i64>,
    /// First day of validity.
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// Last day of validity (included).
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
}

impl From<OfferRequest> for krika_payments::OfferInput {
    fn from(r: OfferRequest) -> Self {
        Self {
            title: r.title,
            description: r.description,
            code: r.code,
            discount_percent: r.discount_percent,
            start_date: r.start_date,
            end_date: r.end_date,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Offer)]
pub struct OfferDto {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub code: Option<String>,
    pub discount_percent: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Valid today.
    pub is_valid: bool,
}

impl OfferDto {
    pub fn new(offer: Offer, today: NaiveDate) -> Self {
        Self {
            is_valid: offer.is_valid(today),
            id: offer.id.0,
            title: offer.title,
            description: offer.description,
            code: offer.code,
            discount_percent: offer.discount_percent,
            start_date: offer.start_date,
            end_date: offer.end_date,
        }
    }
}

envelope!(OfferResponse, OfferDto);
list!(OfferList, OfferListResponse, OfferDto);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfferFilters {
    /// Admins only: every offer, expired and future ones included.
    pub all: Option<bool>,
}
