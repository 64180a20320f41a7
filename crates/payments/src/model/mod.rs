pub mod ledger;
pub mod money;
pub mod offer;
pub mod payout;
pub mod postings;
pub mod wallet;

pub use ledger::{Account, EntryType, Transfer};
pub use money::{Percent, percent_of};
pub use offer::{Offer, OfferInput};
pub use payout::{
    MobileProvider, Payout, PayoutDestination, PayoutInput, PayoutMethod, PayoutStatus,
};
pub use wallet::{Wallet, WalletEntry};
