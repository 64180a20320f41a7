//! Opaque secrets (refresh tokens, password-reset tokens): random, shown once to the
//! client, stored only as a SHA-256 digest.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes, URL-safe base64 (43 characters).
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The digest stored in place of the secret.
pub fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_unique_and_digests_stable() {
        let a = super::generate();
        assert_eq!(a.len(), 43);
        assert_ne!(a, super::generate());
        assert_eq!(super::digest(&a), super::digest(&a));
        assert_eq!(super::digest(&a).len(), 32);
    }
}
