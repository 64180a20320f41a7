use krika_kernel::ids::OfferId;
use krika_kernel::{Page, PageRequest};

use super::{Payer, Payments, require_admin};
use crate::PaymentsError;
use crate::model::{Offer, OfferInput};

impl Payments {
    pub async fn create_offer(
        &self,
        admin: &Payer,
        input: OfferInput,
    ) -> Result<Offer, PaymentsError> {
        require_admin(admin)?;
        let draft = input.parse()?;
        let now = self.now();
        let offer = Offer {
            id: OfferId::new(),
            title: draft.title,
            description: draft.description,
            code: draft.code,
            discount_percent: draft.discount_percent,
            start_date: draft.start_date,
            end_date: draft.end_date,
            created_at: now,
            updated_at: now,
        };
        self.ports.offers.create_offer(&offer).await?;
        Ok(offer)
    }

    pub async fn update_offer(
        &self,
        admin: &Payer,
        id: OfferId,
        input: OfferInput,
    ) -> Result<Offer, PaymentsError> {
        require_admin(admin)?;
        let draft = input.parse()?;
        self.ports
            .offers
            .update_offer(id, &draft, self.now())
            .await?
            .ok_or(PaymentsError::NotFound)
    }

    pub async fn delete_offer(&self, admin: &Payer, id: OfferId) -> Result<(), PaymentsError> {
        require_admin(admin)?;
        match self.ports.offers.delete_offer(id).await? {
            true => Ok(()),
            false => Err(PaymentsError::NotFound),
        }
    }

    /// Valid offers for everyone; every offer for an admin asking for `all`.
    pub async fn list_offers(
        &self,
        caller: Option<&Payer>,
        all: bool,
        page: PageRequest,
    ) -> Result<Page<Offer>, PaymentsError> {
        if all {
            require_admin(caller.ok_or(PaymentsError::AdminOnly)?)?;
        }
        let valid_on = (!all).then(|| self.now().date_naive());
        Ok(self.ports.offers.list_offers(valid_on, page).await?)
    }
}
