//! Offers (TIKONNA's "Offres"): time-bounded promotions whose code lowers a buyer's total.

use chrono::{DateTime, NaiveDate, Utc};
use krika_kernel::ValidationErrors;
use krika_kernel::ids::OfferId;

use krika_kernel::money::{Money, Percent};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: OfferId,
    pub title: String,
    pub description: String,
    /// Upper case; an offer without a code is announced but cannot be redeemed.
    pub code: Option<String>,
    pub discount_percent: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Offer {
    /// Valid on every day from `start_date` to `end_date`, both included.
    pub fn is_valid(&self, today: NaiveDate) -> bool {
        self.start_date <= today && today <= self.end_date
    }

    /// What the offer takes off `gross`.
    pub fn discount_on(&self, gross: Money) -> Money {
        gross.percent(Percent::whole(self.discount_percent.unsigned_abs()))
    }
}

/// An offer as an admin sends it.
#[derive(Debug, Clone, Default)]
pub struct OfferInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub code: Option<String>,
    pub discount_percent: Option<i64>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

/// A validated offer, without its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferDraft {
    pub title: String,
    pub description: String,
    pub code: Option<String>,
    pub discount_percent: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

pub mod limits {
    pub const TITLE: std::ops::RangeInclusive<usize> = 3..=120;
    pub const DESCRIPTION_MAX: usize = 2_000;
    pub const CODE: std::ops::RangeInclusive<usize> = 3..=32;
    pub const DISCOUNT: std::ops::RangeInclusive<i64> = 1..=90;
}

/// Codes are compared without regard to case.
pub fn normalize_code(code: &str) -> String {
    code.trim().to_uppercase()
}

impl OfferInput {
    pub fn parse(self) -> Result<OfferDraft, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = self.title.as_deref().map(str::trim).unwrap_or("");
        if !limits::TITLE.contains(&title.chars().count()) {
            errors.push("title", "title must be 3 to 120 characters");
        }
        let description = self.description.unwrap_or_default();
        if description.chars().count() > limits::DESCRIPTION_MAX {
            errors.push("description", "description must be at most 2000 characters");
        }
        let code = self
            .code
            .as_deref()
            .map(normalize_code)
            .filter(|c| !c.is_empty());
        if let Some(code) = &code
            && (!limits::CODE.contains(&code.len())
                || !code
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        {
            errors.push("code", "code must be 3 to 32 letters, digits, '-' or '_'");
        }
        let discount = match self.discount_percent {
            Some(d) if limits::DISCOUNT.contains(&d) => d as i32,
            Some(_) => {
                errors.push(
                    "discountPercent",
                    "discountPercent must be between 1 and 90",
                );
                0
            }
            None => {
                errors.push("discountPercent", "discountPercent is required");
                0
            }
        };
        if self.start_date.is_none() {
            errors.push("startDate", "startDate is required");
        }
        if self.end_date.is_none() {
            errors.push("endDate", "endDate is required");
        }
        if let (Some(start), Some(end)) = (self.start_date, self.end_date)
            && end < start
        {
            errors.push("endDate", "endDate must not be before startDate");
        }
        errors.into_result()?;
        let (Some(start_date), Some(end_date)) = (self.start_date, self.end_date) else {
            return Err(ValidationErrors::single(
                "startDate",
                "startDate is required",
            ));
        };
        Ok(OfferDraft {
            title: title.to_owned(),
            description,
            code,
            discount_percent: discount,
            start_date,
            end_date,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn dates_are_inclusive_and_codes_upper_case() {
        let draft = OfferInput {
            title: Some(" Noël ".into()),
            code: Some("noel-26".into()),
            discount_percent: Some(15),
            start_date: Some(day(1)),
            end_date: Some(day(25)),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(draft.code.as_deref(), Some("NOEL-26"));
        assert_eq!(draft.title, "Noël");
        let offer = Offer {
            id: OfferId::new(),
            title: draft.title,
            description: draft.description,
            code: draft.code,
            discount_percent: draft.discount_percent,
            start_date: draft.start_date,
            end_date: draft.end_date,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        assert!(offer.is_valid(day(1)) && offer.is_valid(day(25)));
        assert!(!offer.is_valid(day(26)));
        let xof = |minor| Money::new(minor, krika_kernel::Currency::XOF);
        assert_eq!(offer.discount_on(xof(10_001)), xof(1_500)); // 1500.15
    }

    #[test]
    fn every_bad_field_is_named() {
        let error = OfferInput {
            title: Some("x".into()),
            code: Some("a b".into()),
            discount_percent: Some(95),
            start_date: Some(day(10)),
            end_date: Some(day(9)),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = error.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "code", "discountPercent", "endDate"]);
    }
}
