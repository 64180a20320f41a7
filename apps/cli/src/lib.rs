//! krika-cli's commands that are worth testing on their own: the demo seeders.

pub mod market;
pub mod seed;
