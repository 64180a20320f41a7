//! The vocabulary every 2Krika domain crate shares. No I/O lives here: only types,
//! pure functions and the ports (traits) that adapters implement.

pub mod clock;
pub mod dispatch;
pub mod error;
pub mod event;
pub mod ids;
pub mod media;
pub mod money;
pub mod page;
pub mod ports;
pub mod single_flight;
pub mod slug;
mod string_enum;

pub use clock::{Clock, ManualClock, SystemClock};
pub use dispatch::{Dispatcher, PassReport};
pub use error::{FieldError, RepoError, Unexpected, ValidationErrors};
pub use event::DomainEvent;
pub use money::{Currency, Money, Percent};
pub use page::{Page, PageRequest};
