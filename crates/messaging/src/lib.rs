//! Messaging: conversations between two users (optionally about an order), notifications,
//! and what the outbox's events turn into for people — notifications, WebSocket frames and
//! e-mails (README.md, Messaging).
//!
//! The use cases live on [`Messaging`]; the subscribers in [`subscribers`] are handed
//! outbox events by the kernel's dispatcher.

pub mod error;
pub mod mail;
pub mod model;
pub mod ports;
pub mod rules;
mod service;
pub mod subscribers;
pub mod view;

pub use error::MessagingError;
pub use model::*;
pub use service::{Messaging, MessagingConfig, MessagingPorts, Target, Upload, Viewer};
pub use subscribers::{MailSubscriber, NotificationSubscriber, RealtimeSubscriber};
pub use view::{AttachmentView, MessageView};
