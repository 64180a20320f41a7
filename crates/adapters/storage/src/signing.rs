//! HMAC-SHA256 signatures for the local store's expiring URLs.

use hmac::{Hmac, Mac};
use krika_kernel::Unexpected;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Signs and checks `(key, expires)` pairs with a secret key.
#[derive(Clone)]
pub(crate) struct UrlSigner {
    secret: Vec<u8>,
}

impl UrlSigner {
    pub(crate) fn new(secret: Vec<u8>) -> Self {
        Self { secret }
    }

    /// Lowercase hex HMAC-SHA256 over `"{key}\n{expires}"`.
    pub(crate) fn sign(&self, key: &str, expires: i64) -> Result<String, Unexpected> {
        let mac = self.mac(key, expires).map_err(Unexpected::new)?;
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    /// True when `signature` is the hex signature of `(key, expires)`. The comparison runs
    /// in constant time so a caller cannot guess a signature byte by byte.
    pub(crate) fn verify(&self, key: &str, expires: i64, signature: &str) -> bool {
        let Ok(signature) = hex::decode(signature) else {
            return false;
        };
        match self.mac(key, expires) {
            Ok(mac) => mac.verify_slice(&signature).is_ok(),
            Err(_) => false,
        }
    }

    fn mac(&self, key: &str, expires: i64) -> Result<HmacSha256, hmac::digest::InvalidLength> {
        let mut mac = HmacSha256::new_from_slice(&self.secret)?;
        mac.update(key.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        Ok(mac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_what_it_signed() {
        let signer = UrlSigner::new(b"secret".to_vec());
        let signature = signer.sign("a/b.txt", 100).expect("sign");
        assert_eq!(signature.len(), 64);
        assert!(
            signature
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert!(signer.verify("a/b.txt", 100, &signature));
        assert!(!signer.verify("a/b.txt", 101, &signature));
        assert!(!signer.verify("a/c.txt", 100, &signature));
        assert!(!signer.verify("a/b.txt", 100, "zz"));
        assert!(!signer.verify("a/b.txt", 100, &signature[..62]));
        assert!(!UrlSigner::new(b"other".to_vec()).verify("a/b.txt", 100, &signature));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_key_newline_expires() {
        // Computed independently: printf 'k\n1' | openssl dgst -sha256 -hmac s
        let signer = UrlSigner::new(b"s".to_vec());
        assert_eq!(
            signer.sign("k", 1).expect("sign"),
            "b02f766ab3a4304bf040e2171656160ca88404638bd2853e59176d536b6ef6b9"
        );
    }
}
