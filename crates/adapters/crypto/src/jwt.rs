use chrono::DateTime;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use krika_identity::Role;
use krika_identity::ports::{AccessClaims, AccessTokenCodec};
use krika_kernel::Unexpected;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// HS256 access tokens. Only HS256 is accepted: `alg: none` or any other algorithm is refused.
pub struct JwtCodec {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    sid: Uuid,
    jti: Uuid,
    iat: i64,
    exp: i64,
    role: String,
}

impl JwtCodec {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked by the domain against its clock, so tests can move time.
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp", "sub"].into_iter().map(String::from).collect();
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }
}

impl AccessTokenCodec for JwtCodec {
    fn encode(&self, claims: &AccessClaims) -> Result<String, Unexpected> {
        let claims = Claims {
            sub: claims.user_id.as_uuid(),
            sid: claims.session_id.as_uuid(),
            jti: claims.token_id,
            iat: claims.issued_at.timestamp(),
            exp: claims.expires_at.timestamp(),
            role: claims.role.as_str().to_owned(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(Unexpected::new)
    }

    fn decode(&self, token: &str) -> Option<AccessClaims> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        let claims = data.claims;
        Some(AccessClaims {
            user_id: claims.sub.into(),
            session_id: claims.sid.into(),
            token_id: claims.jti,
            issued_at: DateTime::from_timestamp(claims.iat, 0)?,
            expires_at: DateTime::from_timestamp(claims.exp, 0)?,
            role: Role::parse(&claims.role)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use chrono::{Duration, Utc};
    use krika_kernel::ids::{SessionId, UserId};

    use super::*;

    fn claims() -> AccessClaims {
        let now = DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap();
        AccessClaims {
            user_id: UserId::new(),
            session_id: SessionId::new(),
            token_id: Uuid::now_v7(),
            issued_at: now,
            expires_at: now + Duration::seconds(900),
            role: Role::Seller,
        }
    }

    #[test]
    fn round_trip() {
        let codec = JwtCodec::new(b"secret");
        let claims = claims();
        let token = codec.encode(&claims).unwrap();
        assert_eq!(codec.decode(&token), Some(claims));
    }

    #[test]
    fn refuses_other_keys_tampering_and_alg_none() {
        let codec = JwtCodec::new(b"secret");
        let token = codec.encode(&claims()).unwrap();
        assert_eq!(JwtCodec::new(b"other").decode(&token), None);

        let parts: Vec<&str> = token.split('.').collect();
        let mut payload: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        payload["role"] = "admin".into();
        let forged = URL_SAFE_NO_PAD.encode(payload.to_string());
        assert_eq!(
            codec.decode(&format!("{}.{forged}.{}", parts[0], parts[2])),
            None
        );

        let none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(codec.decode(&format!("{none}.{}.", parts[1])), None);
        assert_eq!(codec.decode("not-a-token"), None);
    }
}
