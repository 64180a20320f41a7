//! Payments: every movement of money is a balanced set of entries in a double-entry ledger.
//! Buyers pay into an order's escrow; completion releases it to the seller minus the
//! platform's commission; cancellation refunds the buyer's wallet; payouts leave a seller's
//! wallet. Offers lower what a buyer pays, at the platform's expense.
//!
//! The postings for each operation are pure functions ([`model::postings`]); the adapter
//! writes them in the same database transaction as the change that causes them.

pub mod error;
pub mod gateway;
pub mod model;
pub mod ports;
mod service;

pub use error::PaymentsError;
pub use model::*;
pub use service::{Payer, Payments, PaymentsConfig, PaymentsPorts};
