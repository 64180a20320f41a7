//! What payments need from the outside. Writes that move money take the transfers to post
//! and the events to record; the adapter does it all in one transaction.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use krika_kernel::ids::{OfferId, PayoutId, UserId};
use krika_kernel::{Currency, DomainEvent, Money, Page, PageRequest, RepoError, Unexpected};

use crate::model::offer::OfferDraft;
use crate::model::{Offer, Payout, PayoutStatus, Transfer, Wallet, WalletEntry};

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("card declined")]
    Declined,
    #[error("payment provider unavailable: {0}")]
    Unavailable(String),
}

/// A card payment provider.
#[async_trait]
pub trait PaymentGateway: Send + Sync + 'static {
    /// Charges `amount` to the card behind `token`; returns the provider's reference.
    /// `reference` (the order number) is shown on the buyer's statement.
    ///
    /// `key` is the provider's idempotency key: a charge under a key already charged is
    /// that same charge, not a second one. An adapter must not answer `Unavailable` while
    /// the outcome of a keyed charge is unknown to it; it retries with the same key until
    /// it knows (that is what the key is for).
    async fn charge(
        &self,
        token: &str,
        amount: Money,
        reference: &str,
        key: Option<&str>,
    ) -> Result<String, GatewayError>;

    /// Cancels a charge whose order could not be recorded after all. A voided charge's key
    /// is never charged again (checkout moves to a new attempt first).
    async fn void(&self, charge: &str) -> Result<(), GatewayError>;
}

/// A wallet would go below zero (or below what is still in clearance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("insufficient funds")]
pub struct InsufficientFunds;

/// Earnings credited after this instant are still in clearance; `None` when there is no
/// clearance period.
pub type ClearanceSince = Option<DateTime<Utc>>;

/// The clearance cutoff at `now` for a period of `days` (none when `days` is 0).
pub fn clearance_since(now: DateTime<Utc>, days: i64) -> ClearanceSince {
    (days > 0).then(|| now - chrono::Duration::days(days))
}

#[async_trait]
pub trait WalletRepository: Send + Sync + 'static {
    /// The ledger is kept in one currency, the platform's: `currency` names it so the
    /// figures come back as `Money`.
    async fn wallet(
        &self,
        user: UserId,
        clearance: ClearanceSince,
        currency: Currency,
    ) -> Result<Wallet, Unexpected>;

    /// The wallet's entries, newest first.
    async fn wallet_entries(
        &self,
        user: UserId,
        currency: Currency,
        page: PageRequest,
    ) -> Result<Page<WalletEntry>, Unexpected>;

    /// Payouts, newest first; one user's, or everybody's (admins) in `status`
    /// (oldest first, the order they are worked through).
    async fn payouts(
        &self,
        user: Option<UserId>,
        status: Option<PayoutStatus>,
        page: PageRequest,
    ) -> Result<Page<Payout>, Unexpected>;

    async fn find_payout(&self, id: PayoutId) -> Result<Option<Payout>, Unexpected>;

    /// The payout `user` requested under `request_key`, if any.
    async fn find_payout_by_request(
        &self,
        user: UserId,
        request_key: &str,
    ) -> Result<Option<Payout>, Unexpected>;

    /// Stores a pending payout (with `request_key`, unique per user) and posts `transfers`
    /// (which reserve its amount), unless a wallet would not cover them.
    async fn request_payout(
        &self,
        payout: &Payout,
        request_key: Option<&str>,
        transfers: &[Transfer],
        clearance: ClearanceSince,
    ) -> Result<(), RequestPayoutError>;

    /// Moves a pending payout to `to`, posting `transfers` and recording `events`. `Err`
    /// carries the status it had when it was no longer pending.
    async fn settle_payout(
        &self,
        id: PayoutId,
        to: PayoutStatus,
        reason: Option<&str>,
        transfers: &[Transfer],
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<Payout, SettlePayoutError>;
}

/// Two offers cannot share a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("offer code already used")]
pub struct CodeTaken;

/// A payout a wallet does not cover is refused.
pub type RequestPayoutError = RepoError<InsufficientFunds>;
/// A payout no longer pending is refused with the status it has.
pub type SettlePayoutError = RepoError<PayoutStatus>;
/// An offer whose code another offer has is refused.
pub type OfferWriteError = RepoError<CodeTaken>;

#[async_trait]
pub trait OfferRepository: Send + Sync + 'static {
    async fn create_offer(&self, offer: &Offer) -> Result<(), OfferWriteError>;

    /// `Ok(None)` when there is no such offer.
    async fn update_offer(
        &self,
        id: OfferId,
        draft: &OfferDraft,
        now: DateTime<Utc>,
    ) -> Result<Option<Offer>, OfferWriteError>;

    async fn delete_offer(&self, id: OfferId) -> Result<bool, Unexpected>;

    async fn find_offer(&self, id: OfferId) -> Result<Option<Offer>, Unexpected>;

    /// By code, whatever the case it is written in.
    async fn find_offer_by_code(&self, code: &str) -> Result<Option<Offer>, Unexpected>;

    /// Offers valid on `valid_on`, or all of them; ending soonest first.
    async fn list_offers(
        &self,
        valid_on: Option<NaiveDate>,
        page: PageRequest,
    ) -> Result<Page<Offer>, Unexpected>;
}
