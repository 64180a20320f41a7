//! Real time (README.md, Real time): `GET /api/v1/ws` sockets, the per-instance hub that holds
//! them, and the Redis fan-out that carries frames between instances.

pub mod frames;
pub mod hub;
pub mod shutdown;
pub mod socket;

pub use hub::{RealtimeConfig, RealtimeHub};
