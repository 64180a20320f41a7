pub mod ledger;
pub mod offer;
pub mod payout;
pub mod postings;
pub mod wallet;

pub use krika_kernel::money::{Currency, Money, Percent};
pub use ledger::{Account, EntryType, Transfer};
pub use offer::{Offer, OfferInput};
pub use payout::{
    MobileProvider, Payout, PayoutDestination, PayoutInput, PayoutMethod, PayoutStatus,
};
pub use wallet::{Wallet, WalletEntry};
