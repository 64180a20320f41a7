use krika_kernel::ids::PayoutId;
use krika_kernel::{DomainEvent, Page, PageRequest, ValidationErrors};
use serde::Serialize;

use super::{Payer, Payments, require_admin};
use crate::PaymentsError;
use crate::model::postings::{payout_processed, payout_rejected, payout_requested};
use crate::model::{Payout, PayoutInput, PayoutStatus};

/// The payload of `payout.processed`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayoutEvent<'a> {
    payout_id: PayoutId,
    user_id: krika_kernel::ids::UserId,
    amount: i64,
    currency: krika_kernel::Currency,
    status: &'static str,
    reason: Option<&'a str>,
}

fn payout_event(payout: &Payout, to: PayoutStatus, reason: Option<&str>) -> DomainEvent {
    let kind = match to {
        PayoutStatus::Processed => "payout.processed",
        _ => "payout.rejected",
    };
    DomainEvent::new(
        kind,
        payout.id.0,
        PayoutEvent {
            payout_id: payout.id,
            user_id: payout.user_id,
            amount: payout.amount.minor(),
            currency: payout.amount.currency(),
            status: to.as_str(),
            reason,
        },
    )
}

const REASON_MAX: usize = 1_000;

impl Payments {
    /// Reserves the amount at once; only sellers whose KYC is approved.
    pub async fn request_payout(
        &self,
        payer: &Payer,
        input: PayoutInput,
    ) -> Result<Payout, PaymentsError> {
        if !payer.is_seller || !payer.kyc_approved {
            return Err(PaymentsError::KycNotApproved);
        }
        let request_key = input.request_key.clone();
        let (amount, destination) = input.parse(self.config.min_payout)?;
        if let Some(key) = &request_key
            && let Some(requested) = self
                .ports
                .wallets
                .find_payout_by_request(payer.id, key)
                .await?
        {
            if krika_kernel::ports::key_expired(requested.created_at, self.now()) {
                return Err(PaymentsError::RequestKeyReused);
            }
            return Ok(requested);
        }
        let payout = Payout {
            id: PayoutId::new(),
            user_id: payer.id,
            amount,
            destination,
            status: PayoutStatus::Pending,
            rejection_reason: None,
            created_at: self.now(),
            processed_at: None,
        };
        let transfers = payout_requested(payout.id, payer.id, amount);
        self.ports
            .wallets
            .request_payout(
                &payout,
                request_key.as_deref(),
                &transfers,
                self.clearance(),
            )
            .await?;
        Ok(payout)
    }

    pub async fn my_payouts(
        &self,
        payer: &Payer,
        page: PageRequest,
    ) -> Result<Page<Payout>, PaymentsError> {
        Ok(self
            .ports
            .wallets
            .payouts(Some(payer.id), None, page)
            .await?)
    }

    pub async fn admin_payouts(
        &self,
        admin: &Payer,
        status: Option<PayoutStatus>,
        page: PageRequest,
    ) -> Result<Page<Payout>, PaymentsError> {
        require_admin(admin)?;
        Ok(self.ports.wallets.payouts(None, status, page).await?)
    }

    /// The money was sent: `pending → processed`, event `payout.processed`.
    pub async fn process_payout(
        &self,
        admin: &Payer,
        id: PayoutId,
    ) -> Result<Payout, PaymentsError> {
        require_admin(admin)?;
        let payout = self.pending_payout(id).await?;
        let transfers = payout_processed(id, payout.amount);
        let event = payout_event(&payout, PayoutStatus::Processed, None);
        self.settle(id, PayoutStatus::Processed, None, &transfers, &[event])
            .await
    }

    /// `pending → rejected`; the amount returns to the seller's available balance.
    pub async fn reject_payout(
        &self,
        admin: &Payer,
        id: PayoutId,
        reason: Option<String>,
    ) -> Result<Payout, PaymentsError> {
        require_admin(admin)?;
        let reason = reason.as_deref().map(str::trim).unwrap_or("");
        if reason.is_empty() || reason.chars().count() > REASON_MAX {
            return Err(
                ValidationErrors::single("reason", "reason must be 1 to 1000 characters").into(),
            );
        }
        let payout = self.pending_payout(id).await?;
        let transfers = payout_rejected(id, payout.user_id, payout.amount);
        let event = payout_event(&payout, PayoutStatus::Rejected, Some(reason));
        self.settle(
            id,
            PayoutStatus::Rejected,
            Some(reason),
            &transfers,
            &[event],
        )
        .await
    }

    async fn pending_payout(&self, id: PayoutId) -> Result<Payout, PaymentsError> {
        let payout = self
            .ports
            .wallets
            .find_payout(id)
            .await?
            .ok_or(PaymentsError::NotFound)?;
        match payout.status {
            PayoutStatus::Pending => Ok(payout),
            other => Err(PaymentsError::not_pending(other)),
        }
    }

    async fn settle(
        &self,
        id: PayoutId,
        to: PayoutStatus,
        reason: Option<&str>,
        transfers: &[crate::Transfer],
        events: &[DomainEvent],
    ) -> Result<Payout, PaymentsError> {
        self.ports
            .wallets
            .settle_payout(id, to, reason, transfers, events, self.now())
            .await
            .map_err(Into::into)
    }
}
