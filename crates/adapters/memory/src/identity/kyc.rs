//! KYC files, kept with the users so status changes and role grants are atomic.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_identity::ports::{KycMoveError, KycRepository, KycReviewItem};
use krika_identity::{KycDecision, KycDocuments, KycFile, KycIdentity, KycStatus, Role};
use krika_kernel::ids::UserId;
use krika_kernel::{DomainEvent, Page, PageRequest, RepoError, Unexpected};

use super::{MemoryIdentityStore, State};
use crate::lock;

impl State {
    fn kyc_file(&self, user_id: UserId) -> KycFile {
        let status = self
            .users
            .get(&user_id)
            .map(|row| row.user.kyc_status)
            .unwrap_or(KycStatus::NotStarted);
        let mut file = self
            .kyc
            .get(&user_id)
            .cloned()
            .unwrap_or_else(|| KycFile::not_started(user_id));
        file.status = status;
        file
    }

    /// Applies `change` if the user's status is one of `from`; else the current status.
    fn transition(
        &mut self,
        user_id: UserId,
        from: &[KycStatus],
        to: KycStatus,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut KycFile),
    ) -> Result<KycFile, KycStatus> {
        let current = self.kyc_file(user_id);
        let Some(row) = self.users.get_mut(&user_id).filter(|r| !r.deleted) else {
            return Err(KycStatus::NotStarted);
        };
        if !from.contains(&current.status) {
            return Err(current.status);
        }
        row.user.kyc_status = to;
        row.user.updated_at = now;
        let mut file = current;
        file.status = to;
        change(&mut file);
        self.kyc.insert(user_id, file.clone());
        Ok(file)
    }
}

#[async_trait]
impl KycRepository for MemoryIdentityStore {
    async fn kyc_file(&self, user_id: UserId) -> Result<KycFile, Unexpected> {
        Ok(lock(&self.state).kyc_file(user_id))
    }

    async fn save_kyc_identity(
        &self,
        user_id: UserId,
        identity: &KycIdentity,
        from: &[KycStatus],
        now: DateTime<Utc>,
    ) -> Result<KycFile, KycMoveError> {
        let mut state = lock(&self.state);
        state
            .transition(user_id, from, KycStatus::Step1Completed, now, |file| {
                file.identity = Some(identity.clone());
                file.documents = None;
                file.rejection_reason = None;
                file.submitted_at = None;
                file.reviewed_at = None;
            })
            .map_err(RepoError::Refused)
    }

    async fn submit_kyc_documents(
        &self,
        user_id: UserId,
        documents: &KycDocuments,
        from: &[KycStatus],
        now: DateTime<Utc>,
    ) -> Result<KycFile, KycMoveError> {
        let mut state = lock(&self.state);
        state
            .transition(user_id, from, KycStatus::PendingReview, now, |file| {
                file.documents = Some(documents.clone());
                file.submitted_at = Some(now);
            })
            .map_err(RepoError::Refused)
    }

    async fn review_kyc(
        &self,
        user_id: UserId,
        decision: &KycDecision,
        _reviewer: UserId,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<KycFile, KycMoveError> {
        let mut state = lock(&self.state);
        let to = match decision {
            KycDecision::Approve => KycStatus::Approved,
            KycDecision::Reject { .. } => KycStatus::Rejected,
        };
        let reviewed = state.transition(user_id, &[KycStatus::PendingReview], to, now, |file| {
            file.reviewed_at = Some(now);
            file.rejection_reason = match decision {
                KycDecision::Reject { reason } => Some(reason.clone()),
                KycDecision::Approve => None,
            };
        });
        if reviewed.is_ok()
            && to == KycStatus::Approved
            && let Some(row) = state.users.get_mut(&user_id)
            && row.user.role == Role::Client
        {
            row.user.role = Role::Seller;
        }
        if reviewed.is_ok() {
            state.events.extend_from_slice(events);
        }
        reviewed.map_err(RepoError::Refused)
    }

    async fn kyc_queue(
        &self,
        status: KycStatus,
        page: PageRequest,
    ) -> Result<Page<KycReviewItem>, Unexpected> {
        let state = lock(&self.state);
        let mut items: Vec<KycReviewItem> = state
            .live()
            .filter(|row| row.user.kyc_status == status)
            .map(|row| KycReviewItem {
                file: state.kyc_file(row.user.id),
                user: row.user.clone(),
            })
            .collect();
        items.sort_by_key(|item| (item.file.submitted_at, item.user.id));
        Ok(crate::paginate(items, page))
    }
}
