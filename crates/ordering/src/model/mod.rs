pub mod checkout;
pub mod order;
pub mod review;
pub mod stats;

pub use checkout::{CheckoutInput, PaymentMethod, Receipt};
pub use order::{
    Delivery, DeliveryFile, ExtraSnapshot, HistoryEntry, Order, OrderStatus, PackageSnapshot,
    Party, PartyRef, ServiceRef,
};
pub use review::{Criteria, Review, ReviewInput, ReviewResponse, ReviewSummary};
pub use stats::{PlatformStats, ServiceCounts, UserCounts};
