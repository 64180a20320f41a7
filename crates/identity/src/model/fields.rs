//! Values parsed at the edge: once built, they are valid. Each parser names the field it
//! reads so the client learns exactly what to fix.

use krika_kernel::FieldError;

/// An email address, trimmed and lower-cased (addresses are unique case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 255;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(FieldError::new(field, "Email is required"));
        }
        if email.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(
                field,
                "Email must be at most 255 characters",
            ));
        }
        if !looks_like_email(&email) {
            return Err(FieldError::new(field, "Email is not a valid address"));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, for suggesting a username.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

/// 3 to 30 characters of `[a-z0-9_]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        if !(3..=30).contains(&name.len()) {
            return Err(FieldError::new(
                field,
                "Username must be 3 to 30 characters",
            ));
        }
        if !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(FieldError::new(
                field,
                "Username may only contain lowercase letters, digits and underscores",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    /// A valid username derived from any text (an email's local part), for users who
    /// did not choose one.
    pub fn suggest(from: &str) -> Self {
        let mut name: String = from
            .chars()
            .filter_map(|c| {
                let c = c.to_ascii_lowercase();
                if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
                    Some(c)
                } else if c == '.' || c == '-' || c == '+' {
                    Some('_')
                } else {
                    None
                }
            })
            .take(24)
            .collect();
        while name.len() < 3 {
            name.push('_');
        }
        Self(name)
    }

    /// This username with a numeric suffix, still within 30 characters.
    pub fn with_suffix(&self, suffix: u32) -> Self {
        let suffix = format!("_{suffix}");
        let keep = 30usize.saturating_sub(suffix.len()).min(self.0.len());
        Self(format!("{}{}", &self.0[..keep], suffix))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's display name: trimmed, 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(FieldError::new(field, "Name is required"));
        }
        if name.chars().count() > 100 {
            return Err(FieldError::new(
                field,
                "Name must be at most 100 characters",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8 to 72 bytes (bcrypt ignores anything past 72).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_BYTES: usize = 8;
    pub const MAX_BYTES: usize = 72;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        if raw.len() < Self::MIN_BYTES {
            return Err(FieldError::new(field, "Password must be at least 8 bytes"));
        }
        if raw.len() > Self::MAX_BYTES {
            return Err(FieldError::new(field, "Password must be at most 72 bytes"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A password hash as the hasher produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

/// A phone number in E.164 form: `+` and 8 to 15 digits, no leading zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let phone = raw.trim();
        let digits = phone.strip_prefix('+').unwrap_or("");
        let ok = (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        if ok {
            Ok(Self(phone.to_owned()))
        } else {
            Err(FieldError::new(
                field,
                "Phone must be in E.164 format, e.g. +22507000000",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A free-text presentation, at most 2000 characters, kept exactly as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bio(String);

impl Bio {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        if raw.chars().count() > 2000 {
            return Err(FieldError::new(
                field,
                "Bio must be at most 2000 characters",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("email", "  Awa@Example.COM ")
                .unwrap()
                .as_str(),
            "awa@example.com"
        );
        for bad in [
            "",
            "awa",
            "awa@",
            "@example.com",
            "awa@example",
            "a wa@example.com",
            "awa@ex..com",
        ] {
            let error = Email::parse("email", bad).unwrap_err();
            assert_eq!(error.field, "email", "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse("email", &long).is_err());
    }

    #[test]
    fn passwords_are_8_to_72_bytes() {
        assert!(Password::parse("password", "1234567").is_err());
        assert!(Password::parse("password", "12345678").is_ok());
        assert!(Password::parse("password", &"a".repeat(72)).is_ok());
        assert_eq!(
            Password::parse("password", &"a".repeat(73))
                .unwrap_err()
                .field,
            "password"
        );
        // 24 three-byte characters are 72 bytes; 25 are 75.
        assert!(Password::parse("password", &"€".repeat(24)).is_ok());
        assert!(Password::parse("password", &"€".repeat(25)).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("p", "secret-password").unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn usernames() {
        assert!(Username::parse("username", "awa_22").is_ok());
        for bad in ["ab", "Awa", "awa-b", "a".repeat(31).as_str(), "awa b"] {
            assert!(Username::parse("username", bad).is_err(), "{bad:?}");
        }
        assert_eq!(Username::suggest("Jean.Marc+x").as_str(), "jean_marc_x");
        assert_eq!(Username::suggest("é").as_str(), "___");
        let long = Username::suggest(&"a".repeat(40));
        assert_eq!(long.with_suffix(1234).as_str().len(), 29);
        assert!(Username::parse("u", long.with_suffix(99999).as_str()).is_ok());
    }

    #[test]
    fn phones_are_e164() {
        assert!(Phone::parse("phone", "+22507000000").is_ok());
        for bad in [
            "22507000000",
            "+0123456789",
            "+225 07 00",
            "+1234567",
            "+1234567890123456",
        ] {
            assert!(Phone::parse("phone", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_are_trimmed() {
        assert_eq!(
            DisplayName::parse("name", "  Awa  ").unwrap().as_str(),
            "Awa"
        );
        assert!(DisplayName::parse("name", "   ").is_err());
        assert!(DisplayName::parse("name", &"é".repeat(100)).is_ok());
        assert!(DisplayName::parse("name", &"é".repeat(101)).is_err());
    }
}
