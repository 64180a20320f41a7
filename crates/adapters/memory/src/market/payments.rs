//! Wallets (read from the ledger), payouts (written with their transfers) and offers.

use std::cmp::Reverse;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use krika_kernel::ids::{OfferId, PayoutId, UserId};
use krika_kernel::{Currency, DomainEvent, Money, Page, PageRequest, RepoError, Unexpected};
use krika_payments::model::offer::OfferDraft;
use krika_payments::ports::{
    ClearanceSince, CodeTaken, OfferRepository, OfferWriteError, RequestPayoutError,
    SettlePayoutError, WalletRepository,
};
use krika_payments::{Account, Offer, Payout, PayoutStatus, Transfer, Wallet, WalletEntry};

use super::{MemoryMarket, State};
use crate::{lock, paginate};

impl State {
    /// Whether another offer than `except` has `code` (offers without a code never clash).
    fn code_taken(&self, code: Option<&str>, except: OfferId) -> bool {
        code.is_some_and(|code| {
            self.offers
                .values()
                .any(|o| o.id != except && o.code.as_deref() == Some(code))
        })
    }
}

#[async_trait]
impl WalletRepository for MemoryMarket {
    async fn wallet(
        &self,
        user: UserId,
        clearance: ClearanceSince,
        currency: Currency,
    ) -> Result<Wallet, Unexpected> {
        let state = lock(&self.state);
        // The seller's share of orders paid and not settled yet.
        let in_escrow: i64 = state
            .orders
            .values()
            .filter(|o| o.seller.id == user && !o.status.is_final())
            .map(|o| o.seller_earnings().minor())
            .sum();
        let wallet = Account::Wallet(user);
        let balance = state.ledger.balance(wallet);
        let held = clearance
            .map_or(0, |since| state.ledger.in_clearance(wallet, since))
            .min(balance);
        Ok(Wallet {
            available: Money::new(balance - held, currency),
            pending: Money::new(in_escrow + held, currency),
            total_earned: Money::new(state.ledger.earned(wallet), currency),
        })
    }

    async fn wallet_entries(
        &self,
        user: UserId,
        currency: Currency,
        page: PageRequest,
    ) -> Result<Page<WalletEntry>, Unexpected> {
        let state = lock(&self.state);
        let wallet = Account::Wallet(user);
        // Newest first; within one instant, the last written first (the sort is stable).
        let mut entries: Vec<WalletEntry> = state
            .ledger
            .entries()
            .iter()
            .rev()
            .filter(|e| e.account == wallet)
            .map(|e| WalletEntry {
                id: e.id,
                kind: e.kind,
                amount: Money::new(e.amount, currency),
                balance_after: Money::new(e.balance_after.unwrap_or_default(), currency),
                order_id: e.order_id,
                payout_id: e.payout_id,
                description: e.description.clone(),
                created_at: e.created_at,
            })
            .collect();
        entries.sort_by_key(|e| Reverse(e.created_at));
        Ok(paginate(entries, page))
    }

    async fn payouts(
        &self,
        user: Option<UserId>,
        status: Option<PayoutStatus>,
        page: PageRequest,
    ) -> Result<Page<Payout>, Unexpected> {
        let state = lock(&self.state);
        let mut found: Vec<Payout> = state
            .payouts
            .values()
            .filter(|p| user.is_none_or(|user| p.user_id == user))
            .filter(|p| status.is_none_or(|status| p.status == status))
            .cloned()
            .collect();
        found.sort_by_key(|p| (p.created_at, p.id));
        // A seller reads their latest first; admins work through the oldest first.
        if user.is_some() {
            found.reverse();
        }
        Ok(paginate(found, page))
    }

    async fn find_payout(&self, id: PayoutId) -> Result<Option<Payout>, Unexpected> {
        Ok(lock(&self.state).payouts.get(&id).cloned())
    }

    async fn find_payout_by_request(
        &self,
        user: UserId,
        request_key: &str,
    ) -> Result<Option<Payout>, Unexpected> {
        let state = lock(&self.state);
        Ok(state
            .payout_requests
            .get(&(user, request_key.to_owned()))
            .and_then(|id| state.payouts.get(id))
            .cloned())
    }

    async fn request_payout(
        &self,
        payout: &Payout,
        request_key: Option<&str>,
        transfers: &[Transfer],
        clearance: ClearanceSince,
    ) -> Result<(), RequestPayoutError> {
        let mut state = lock(&self.state);
        if state.payouts.contains_key(&payout.id) {
            return Err(Unexpected::msg(format!("payout {} already exists", payout.id)).into());
        }
        let request = request_key.map(|key| (payout.user_id, key.to_owned()));
        if request
            .as_ref()
            .is_some_and(|r| state.payout_requests.contains_key(r))
        {
            return Err(Unexpected::msg("a payout already uses this request key").into());
        }
        if let Err(refused) = state.ledger.post(transfers, clearance, payout.created_at) {
            return Err(RepoError::Refused(refused));
        }
        state.payouts.insert(payout.id, payout.clone());
        if let Some(request) = request {
            state.payout_requests.insert(request, payout.id);
        }
        Ok(())
    }

    async fn settle_payout(
        &self,
        id: PayoutId,
        to: PayoutStatus,
        reason: Option<&str>,
        transfers: &[Transfer],
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<Payout, SettlePayoutError> {
        let mut guard = lock(&self.state);
        let state = &mut *guard;
        let Some(payout) = state.payouts.get_mut(&id) else {
            return Err(Unexpected::msg(format!("no payout {id}")).into());
        };
        if payout.status != PayoutStatus::Pending {
            return Err(RepoError::Refused(payout.status));
        }
        // Payout clearing always holds the amount; a refusal means the ledger and the
        // payout disagree, which fails loudly (as in PostgreSQL).
        if state.ledger.post(transfers, None, now).is_err() {
            return Err(
                Unexpected::msg("the ledger does not cover the payout's settlement").into(),
            );
        }
        payout.status = to;
        payout.rejection_reason = reason.map(str::to_owned);
        payout.processed_at = Some(now);
        state.events.extend_from_slice(events);
        Ok(payout.clone())
    }
}

#[async_trait]
impl OfferRepository for MemoryMarket {
    async fn create_offer(&self, offer: &Offer) -> Result<(), OfferWriteError> {
        let mut state = lock(&self.state);
        // A reused id is a unique violation too, which PostgreSQL reports the same way.
        if state.offers.contains_key(&offer.id) || state.code_taken(offer.code.as_deref(), offer.id)
        {
            return Err(RepoError::Refused(CodeTaken));
        }
        state.offers.insert(offer.id, offer.clone());
        Ok(())
    }

    async fn update_offer(
        &self,
        id: OfferId,
        draft: &OfferDraft,
        now: DateTime<Utc>,
    ) -> Result<Option<Offer>, OfferWriteError> {
        let mut state = lock(&self.state);
        if !state.offers.contains_key(&id) {
            return Ok(None);
        }
        if state.code_taken(draft.code.as_deref(), id) {
            return Err(RepoError::Refused(CodeTaken));
        }
        let Some(offer) = state.offers.get_mut(&id) else {
            return Ok(None);
        };
        offer.title = draft.title.clone();
        offer.description = draft.description.clone();
        offer.code = draft.code.clone();
        offer.discount_percent = draft.discount_percent;
        offer.start_date = draft.start_date;
        offer.end_date = draft.end_date;
        offer.updated_at = now;
        Ok(Some(offer.clone()))
    }

    async fn delete_offer(&self, id: OfferId) -> Result<bool, Unexpected> {
        Ok(lock(&self.state).offers.remove(&id).is_some())
    }

    async fn find_offer(&self, id: OfferId) -> Result<Option<Offer>, Unexpected> {
        Ok(lock(&self.state).offers.get(&id).cloned())
    }

    async fn find_offer_by_code(&self, code: &str) -> Result<Option<Offer>, Unexpected> {
        let code = code.to_uppercase();
        let state = lock(&self.state);
        Ok(state
            .offers
            .values()
            .find(|o| o.code.as_deref() == Some(code.as_str()))
            .cloned())
    }

    async fn list_offers(
        &self,
        valid_on: Option<NaiveDate>,
        page: PageRequest,
    ) -> Result<Page<Offer>, Unexpected> {
        let state = lock(&self.state);
        let mut found: Vec<Offer> = state
            .offers
            .values()
            .filter(|o| valid_on.is_none_or(|day| o.is_valid(day)))
            .cloned()
            .collect();
        found.sort_by_key(|o| (o.end_date, o.id));
        Ok(paginate(found, page))
    }
}
