//! Pure rules of messaging: what a message may contain, what is masked, what a file is.

mod content;
mod mask;
mod media;

pub use content::{CONTENT_MAX, check_content, preview};
pub use krika_kernel::media::storage_name;
pub use mask::{MASK, mask_contacts};
pub use media::{SAFE_FALLBACK, sniff_content_type};
