//! Identity: who people are on 2Krika and how they prove it.
//!
//! Use cases live on [`Identity`]; everything outside (database, token signing, password
//! hashing, denylist, storage, mail, clock) is reached through the ports in [`ports`].

pub mod error;
pub mod model;
pub mod ports;
pub mod secret;
mod service;

pub use error::IdentityError;
pub use model::*;
pub use service::{
    AccountAccess, Identity, IdentityConfig, IdentityPorts, KycReview, KycStep1, KycStep2,
    LoginIdentifier, Principal, ProfileUpdate, Registration, TokenPair, provision_admin,
};
