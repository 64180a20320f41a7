//! krika-cli's commands that are worth testing on their own: the demo seeders.

pub mod bench_realtime;
pub mod blog;
pub mod chat;
pub mod market;
pub mod seed;
