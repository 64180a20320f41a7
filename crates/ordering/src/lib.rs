//! Ordering: a buyer orders a package of a service, pays into escrow, the seller works and
//! delivers, the buyer accepts (or asks for a revision, or disputes), and the escrow is
//! released or refunded. Reviews follow completed orders.
//!
//! Every status change is decided by [`rules::decide`], a pure function over the order as
//! it is stored; the adapter calls it while holding the order's row lock and writes the
//! decision (status, history, ledger transfers, outbox events) in one transaction.

pub mod error;
pub mod model;
pub mod ports;
pub mod rules;
mod service;

pub use error::OrderingError;
pub use model::*;
pub use service::{Customer, Ordering, OrderingConfig, OrderingPorts, Outcome, Upload};
