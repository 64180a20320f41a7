//! Adapters for the `Mailer` port of `krika-kernel`.
//!
//! - [`SmtpMailer`] sends through an SMTP server (lettre), for production.
//! - [`LogMailer`] only logs, for development without an SMTP server.
//! - [`BackgroundMailer`] sends from a spawned task, so callers never wait on SMTP.
//! - [`maildir`] reads what an SMTP sink stored, for tests that follow a real email.

mod background;
mod log;
pub mod maildir;
mod smtp;

pub use background::BackgroundMailer;
pub use log::LogMailer;
pub use smtp::SmtpMailer;
