//! Seller verification (KYC): who the seller says they are (step 1), the documents that
//! prove it (step 2), and an admin's decision.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use krika_kernel::ids::UserId;
use krika_kernel::{FieldError, ValidationErrors, string_enum};

use super::fields::{DisplayName, Phone};
use super::user::KycStatus;

string_enum!(
    /// The identity document a seller photographs.
    DocumentType {
        Passport => "passport",
        NationalId => "national_id",
        DriverLicense => "driver_license",
    }
);

impl DocumentType {
    /// A passport has a single page to show; the others have a back side.
    pub fn needs_back(self) -> bool {
        self != DocumentType::Passport
    }
}

/// Step 1: the seller's civil identity, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KycIdentity {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// E.164.
    pub phone: String,
}

/// Youngest age at which someone may sell on the platform.
pub const MIN_SELLER_AGE: u32 = 18;

impl KycIdentity {
    /// Checks every field of step 1; `today` decides the age.
    pub fn parse(
        first_name: &str,
        last_name: &str,
        date_of_birth: &str,
        country: &str,
        phone: &str,
        today: NaiveDate,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let first_name = errors.check(DisplayName::parse("firstName", first_name));
        let last_name = errors.check(DisplayName::parse("lastName", last_name));
        let date_of_birth = errors.check(parse_birth_date(date_of_birth, today));
        let country = errors.check(parse_country(country));
        let phone = errors.check(Phone::parse("phone", phone));
        match (first_name, last_name, date_of_birth, country, phone) {
            (Some(first), Some(last), Some(born), Some(country), Some(phone)) => Ok(Self {
                first_name: first.as_str().into(),
                last_name: last.as_str().into(),
                date_of_birth: born,
                country,
                phone: phone.as_str().into(),
            }),
            _ => Err(errors),
        }
    }
}

/// Whole years between `born` and `today`.
pub fn age_on(born: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - born.year();
    if (today.month(), today.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    age
}

fn parse_birth_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let field = "dateOfBirth";
    let born = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "Date of birth must be a date as YYYY-MM-DD"))?;
    if born > today || age_on(born, today) > 120 {
        return Err(FieldError::new(field, "Date of birth is not plausible"));
    }
    if age_on(born, today) < MIN_SELLER_AGE as i32 {
        return Err(FieldError::new(
            field,
            format!("Sellers must be at least {MIN_SELLER_AGE} years old"),
        ));
    }
    Ok(born)
}

/// Officially assigned ISO 3166-1 alpha-2 codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ \
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE \
DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR \
GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP \
KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT \
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW \
PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG \
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

fn parse_country(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim().to_ascii_uppercase();
    if code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code) {
        Ok(code)
    } else {
        Err(FieldError::new(
            "country",
            "Country must be an ISO 3166-1 alpha-2 code, e.g. CI or SN",
        ))
    }
}

/// Storage keys of the step-2 documents (private keys, never under `public/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KycDocuments {
    pub document_type: DocumentType,
    pub front_key: String,
    pub back_key: Option<String>,
    pub selfie_key: String,
}

impl KycDocuments {
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        [
            Some(&self.front_key),
            self.back_key.as_ref(),
            Some(&self.selfie_key),
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
    }
}

/// A user's KYC file as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct KycFile {
    pub user_id: UserId,
    pub status: KycStatus,
    pub identity: Option<KycIdentity>,
    pub documents: Option<KycDocuments>,
    pub rejection_reason: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

impl KycFile {
    /// The file of someone who has not started.
    pub fn not_started(user_id: UserId) -> Self {
        Self {
            user_id,
            status: KycStatus::NotStarted,
            identity: None,
            documents: None,
            rejection_reason: None,
            submitted_at: None,
            reviewed_at: None,
        }
    }
}

/// What a seller may do next from each KYC status: step 1 may be (re)done until the file is
/// submitted, and again after a rejection; step 2 only right after step 1.
pub fn step1_allowed_from(status: KycStatus) -> bool {
    matches!(
        status,
        KycStatus::NotStarted | KycStatus::Step1Completed | KycStatus::Rejected
    )
}

pub fn step2_allowed_from(status: KycStatus) -> bool {
    status == KycStatus::Step1Completed
}

/// The statuses a seller can move their file to from `status` (the `details` of an
/// `INVALID_TRANSITION`).
pub fn seller_targets(status: KycStatus) -> Vec<KycStatus> {
    let mut targets = Vec::new();
    if step1_allowed_from(status) {
        targets.push(KycStatus::Step1Completed);
    }
    if step2_allowed_from(status) {
        targets.push(KycStatus::PendingReview);
    }
    targets
}

/// An admin's verdict on a submitted file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KycDecision {
    Approve,
    Reject { reason: String },
}

/// Longest rejection or suspension reason.
pub const REASON_MAX_CHARS: usize = 1000;

/// A reason given by an admin: required, at most 1000 characters.
pub fn parse_reason(raw: &str) -> Result<String, FieldError> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err(FieldError::new("reason", "Reason is required"));
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(FieldError::new(
            "reason",
            format!("Reason must be at most {REASON_MAX_CHARS} characters"),
        ));
    }
    Ok(reason.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn eighteen_on_the_day_itself() {
        let today = day("2026-11-22");
        assert!(parse_birth_date("2008-11-22", today).is_ok());
        assert!(parse_birth_date("2008-11-23", today).is_err());
        assert!(parse_birth_date("2030-01-01", today).is_err());
        assert!(parse_birth_date("22/11/2000", today).is_err());
    }

    #[test]
    fn countries_are_iso_codes() {
        assert_eq!(parse_country("ci").unwrap(), "CI");
        assert!(parse_country("SN").is_ok());
        assert!(parse_country("XX").is_err());
        assert!(parse_country("CIV").is_err());
    }

    #[test]
    fn every_failing_field_is_named() {
        let errors = KycIdentity::parse("", "Koné", "2015-01-01", "ZZ", "0700", day("2026-11-22"))
            .unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["firstName", "dateOfBirth", "country", "phone"]);
    }

    #[test]
    fn transitions() {
        assert_eq!(
            seller_targets(KycStatus::NotStarted),
            [KycStatus::Step1Completed]
        );
        assert!(seller_targets(KycStatus::PendingReview).is_empty());
        assert!(seller_targets(KycStatus::Approved).is_empty());
        assert!(step2_allowed_from(KycStatus::Step1Completed));
        assert!(!step2_allowed_from(KycStatus::Rejected));
    }
}
