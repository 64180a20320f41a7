mod fields;
mod kyc;
mod user;

pub use fields::{Bio, DisplayName, Email, Password, PasswordHash, Phone, Username};
pub use kyc::{
    DocumentType, KycDecision, KycDocuments, KycFile, KycIdentity, MIN_SELLER_AGE,
    REASON_MAX_CHARS, age_on, parse_reason, seller_targets, step1_allowed_from, step2_allowed_from,
};
pub use user::{KycStatus, NewUser, Role, User, UserStatus};
