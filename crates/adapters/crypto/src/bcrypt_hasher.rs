use async_trait::async_trait;
use krika_identity::ports::PasswordHasher;
use krika_identity::{Password, PasswordHash};
use krika_kernel::Unexpected;

/// bcrypt with a configurable cost, run off the async threads.
pub struct BcryptHasher {
    cost: u32,
    dummy: PasswordHash,
}

impl BcryptHasher {
    pub fn new(cost: u32) -> Result<Self, Unexpected> {
        let dummy =
            bcrypt::hash(uuid::Uuid::new_v4().to_string(), cost).map_err(Unexpected::new)?;
        Ok(Self {
            cost,
            dummy: PasswordHash(dummy),
        })
    }
}

/// bcrypt reads at most 72 bytes; anything longer can never match (we refuse to set such
/// passwords), but it still gets the full work so timing tells nothing.
const BCRYPT_MAX: usize = 72;

#[async_trait]
impl PasswordHasher for BcryptHasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, Unexpected> {
        let password = password.expose().to_owned();
        let cost = self.cost;
        tokio::task::spawn_blocking(move || bcrypt::hash(password, cost))
            .await
            .map_err(Unexpected::new)?
            .map(PasswordHash)
            .map_err(Unexpected::new)
    }

    async fn verify(&self, password: &str, hash: &PasswordHash) -> Result<bool, Unexpected> {
        let too_long = password.len() > BCRYPT_MAX;
        let bytes = password.as_bytes()[..password.len().min(BCRYPT_MAX)].to_vec();
        let hash = hash.0.clone();
        let matches = tokio::task::spawn_blocking(move || bcrypt::verify(bytes, &hash))
            .await
            .map_err(Unexpected::new)?
            .map_err(Unexpected::new)?;
        Ok(matches && !too_long)
    }

    fn dummy_hash(&self) -> &PasswordHash {
        &self.dummy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_and_verifies() {
        let hasher = BcryptHasher::new(4).unwrap();
        let password = Password::parse("password", "correct horse").unwrap();
        let hash = hasher.hash(&password).await.unwrap();
        assert!(hash.0.starts_with("$2b$04$"));
        assert!(hasher.verify("correct horse", &hash).await.unwrap());
        assert!(!hasher.verify("wrong horse", &hash).await.unwrap());
        assert!(!hasher.verify(&"x".repeat(100), &hash).await.unwrap());
        assert!(
            !hasher
                .verify("anything", hasher.dummy_hash())
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn a_72_byte_password_is_not_matched_by_a_longer_one() {
        let hasher = BcryptHasher::new(4).unwrap();
        let exact = "a".repeat(72);
        let hash = hasher
            .hash(&Password::parse("password", &exact).unwrap())
            .await
            .unwrap();
        assert!(hasher.verify(&exact, &hash).await.unwrap());
        assert!(!hasher.verify(&format!("{exact}b"), &hash).await.unwrap());
    }
}
