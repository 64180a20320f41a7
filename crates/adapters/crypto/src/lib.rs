//! Signing and hashing adapters for identity's ports.

mod bcrypt_hasher;
mod jwt;

pub use bcrypt_hasher::BcryptHasher;
pub use jwt::JwtCodec;
