//! Seller verification: the seller's two steps and the admins' review.

use chrono::Duration;
use krika_kernel::ids::UserId;
use krika_kernel::media::{ImageKind, check_image};
use krika_kernel::{DomainEvent, FieldError, Page, PageRequest, RepoError, ValidationErrors};

use super::{Identity, Principal};
use crate::error::IdentityError;
use crate::model::{
    DocumentType, KycDecision, KycDocuments, KycFile, KycIdentity, KycStatus, parse_reason,
    seller_targets, step1_allowed_from, step2_allowed_from,
};
use crate::ports::{KycMoveError, KycReviewItem};

/// Step 1 as sent.
#[derive(Debug, Clone, Default)]
pub struct KycStep1 {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: String,
    pub country: String,
    pub phone: String,
}

/// Step 2 as sent: the document type and the raw bytes of each photo.
#[derive(Debug, Clone, Default)]
pub struct KycStep2 {
    pub document_type: Option<String>,
    pub front: Option<Vec<u8>>,
    pub back: Option<Vec<u8>>,
    pub selfie: Option<Vec<u8>>,
}

/// A file under review, with short-lived links to its documents.
#[derive(Debug, Clone)]
pub struct KycReview {
    pub item: KycReviewItem,
    pub front_url: Option<String>,
    pub back_url: Option<String>,
    pub selfie_url: Option<String>,
    pub urls_expire_in: Duration,
}

fn refused(from: KycStatus) -> IdentityError {
    IdentityError::InvalidTransition {
        from: from.as_str(),
        allowed: seller_targets(from)
            .into_iter()
            .map(KycStatus::as_str)
            .collect(),
    }
}

/// A refused move as `refused` words it; an unexpected failure as it is.
fn not_moved(error: KycMoveError, refused: fn(KycStatus) -> IdentityError) -> IdentityError {
    match error {
        RepoError::Refused(status) => refused(status),
        RepoError::Unexpected(error) => error.into(),
    }
}

fn review_refused(from: KycStatus) -> IdentityError {
    let allowed = if from == KycStatus::PendingReview {
        vec![KycStatus::Approved.as_str(), KycStatus::Rejected.as_str()]
    } else {
        Vec::new()
    };
    IdentityError::InvalidTransition {
        from: from.as_str(),
        allowed,
    }
}

impl Identity {
    pub async fn kyc_status(&self, principal: &Principal) -> Result<KycFile, IdentityError> {
        Ok(self.ports.kyc.kyc_file(principal.user.id).await?)
    }

    /// Step 1: civil identity. Allowed until the file is submitted, and after a rejection.
    pub async fn kyc_step1(
        &self,
        principal: &Principal,
        step: KycStep1,
    ) -> Result<KycFile, IdentityError> {
        let current = principal.user.kyc_status;
        if !step1_allowed_from(current) {
            return Err(refused(current));
        }
        let today = self.now().date_naive();
        let identity = KycIdentity::parse(
            &step.first_name,
            &step.last_name,
            &step.date_of_birth,
            &step.country,
            &step.phone,
            today,
        )?;
        let allowed = [
            KycStatus::NotStarted,
            KycStatus::Step1Completed,
            KycStatus::Rejected,
        ];
        let saved = self
            .ports
            .kyc
            .save_kyc_identity(principal.user.id, &identity, &allowed, self.now())
            .await;
        saved.map_err(|e| not_moved(e, refused))
    }

    /// Step 2: the documents. Photos are recognised by content and stored privately; the
    /// file then waits for an admin.
    pub async fn kyc_step2(
        &self,
        principal: &Principal,
        step: KycStep2,
    ) -> Result<KycFile, IdentityError> {
        let user_id = principal.user.id;
        let current = principal.user.kyc_status;
        if !step2_allowed_from(current) {
            return Err(refused(current));
        }
        let mut errors = ValidationErrors::new();
        let document_type = match step.document_type.as_deref().map(str::trim) {
            None | Some("") => {
                errors.push("documentType", "Document type is required");
                None
            }
            Some(text) => errors.check(DocumentType::parse(text).ok_or_else(|| {
                FieldError::new(
                    "documentType",
                    "Document type must be passport, national_id or driver_license",
                )
            })),
        };
        let needs_back = document_type.is_none_or(DocumentType::needs_back);
        let front = errors.check(self.kyc_photo("documentFront", step.front)?);
        let back = if needs_back {
            errors.check(self.kyc_photo("documentBack", step.back)?)
        } else {
            None
        };
        let selfie = errors.check(self.kyc_photo("selfie", step.selfie)?);
        errors.into_result()?;
        let (Some(document_type), Some(front), Some(selfie)) = (document_type, front, selfie)
        else {
            return Err(IdentityError::Unexpected(krika_kernel::Unexpected::msg(
                "validated KYC step 2 lost a field",
            )));
        };

        let mut stored = Vec::new();
        let mut put = async |name: &str, (bytes, kind): (Vec<u8>, ImageKind)| {
            let key = format!(
                "kyc/{user_id}/{}-{name}.{}",
                uuid::Uuid::now_v7().simple(),
                kind.extension()
            );
            self.ports
                .blobs
                .put(&key, bytes, kind.content_type())
                .await?;
            stored.push(key.clone());
            Ok::<_, IdentityError>(key)
        };
        let documents = KycDocuments {
            document_type,
            front_key: put("front", front).await?,
            back_key: match back {
                Some(back) => Some(put("back", back).await?),
                None => None,
            },
            selfie_key: put("selfie", selfie).await?,
        };
        let previous = self.ports.kyc.kyc_file(user_id).await?.documents;
        let submitted = self
            .ports
            .kyc
            .submit_kyc_documents(
                user_id,
                &documents,
                &[KycStatus::Step1Completed],
                self.now(),
            )
            .await;
        match submitted {
            Ok(file) => {
                if let Some(previous) = previous {
                    self.delete_blobs(previous.keys()).await;
                }
                Ok(file)
            }
            Err(error) => {
                self.delete_blobs(stored.iter().map(String::as_str)).await;
                Err(not_moved(error, refused))
            }
        }
    }

    /// One photo of step 2: present, within the size limit, and really an image. A wrong
    /// type is a 415 for the whole request; a missing photo is a field error.
    fn kyc_photo(
        &self,
        field: &'static str,
        bytes: Option<Vec<u8>>,
    ) -> Result<Result<(Vec<u8>, ImageKind), FieldError>, IdentityError> {
        let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
            return Ok(Err(FieldError::new(field, "This photo is required")));
        };
        let kind = check_image(&bytes, self.config.kyc_document_max_bytes)?;
        Ok(Ok((bytes, kind)))
    }

    async fn delete_blobs(&self, keys: impl Iterator<Item = &str>) {
        for key in keys {
            if let Err(error) = self.ports.blobs.delete(key).await {
                tracing::warn!(%error, key, "KYC document not deleted");
            }
        }
    }

    /// The admin queue: files in `status` (default `pending_review`), oldest first.
    pub async fn kyc_queue(
        &self,
        admin: &Principal,
        status: Option<KycStatus>,
        page: PageRequest,
    ) -> Result<Page<KycReviewItem>, IdentityError> {
        require_admin(admin)?;
        let status = status.unwrap_or(KycStatus::PendingReview);
        Ok(self.ports.kyc.kyc_queue(status, page).await?)
    }

    /// One user's file for an admin, with signed document links that expire shortly.
    pub async fn kyc_review(
        &self,
        admin: &Principal,
        user_id: UserId,
    ) -> Result<KycReview, IdentityError> {
        require_admin(admin)?;
        let user = self.user(user_id).await?;
        let file = self.ports.kyc.kyc_file(user_id).await?;
        if file.status == KycStatus::NotStarted {
            return Err(IdentityError::NotFound);
        }
        let ttl = self.config.signed_url_ttl;
        let sign = async |key: Option<&String>| match key {
            Some(key) => self
                .ports
                .blobs
                .signed_url(key, ttl.to_std().unwrap_or_default())
                .await
                .map(Some),
            None => Ok(None),
        };
        let documents = file.documents.as_ref();
        let front_url = sign(documents.map(|d| &d.front_key)).await?;
        let back_url = sign(documents.and_then(|d| d.back_key.as_ref())).await?;
        let selfie_url = sign(documents.map(|d| &d.selfie_key)).await?;
        Ok(KycReview {
            item: KycReviewItem { file, user },
            front_url,
            back_url,
            selfie_url,
            urls_expire_in: ttl,
        })
    }

    /// Approves (the user becomes a seller at once) or rejects with a reason.
    pub async fn review_kyc(
        &self,
        admin: &Principal,
        user_id: UserId,
        decision: KycDecision,
    ) -> Result<KycFile, IdentityError> {
        require_admin(admin)?;
        let decision = match decision {
            KycDecision::Reject { reason } => KycDecision::Reject {
                reason: parse_reason(&reason).map_err(ValidationErrors::from_one)?,
            },
            approve => approve,
        };
        self.user(user_id).await?;
        let events = [kyc_event(user_id, &decision)];
        let reviewed = self
            .ports
            .kyc
            .review_kyc(user_id, &decision, admin.user.id, &events, self.now())
            .await;
        reviewed.map_err(|e| not_moved(e, review_refused))
    }
}

pub(super) fn require_admin(principal: &Principal) -> Result<(), IdentityError> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(IdentityError::AdminOnly)
    }
}

/// `kyc.approved` or `kyc.rejected`, written with the decision: the user's notification and
/// e-mail follow from it.
fn kyc_event(user_id: UserId, decision: &KycDecision) -> DomainEvent {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Decided<'a> {
        user_id: UserId,
        reason: Option<&'a str>,
    }
    let (kind, reason) = match decision {
        KycDecision::Approve => ("kyc.approved", None),
        KycDecision::Reject { reason } => ("kyc.rejected", Some(reason.as_str())),
    };
    DomainEvent::new(kind, user_id.as_uuid(), Decided { user_id, reason })
}
