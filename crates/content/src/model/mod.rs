mod input;
mod post;

pub use input::{PostFields, PostInput, PostPatch, limits};
pub use post::{Post, PostId, PostQuery, PostStatus, slug_base};
