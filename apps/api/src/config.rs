//! Configuration from the environment (README.md, Configuration). A `.env` file is read in development.

use std::env;
use std::fmt::Display;
use std::str::FromStr;

use krika_kernel::Currency;

use crate::client_ip::TrustedProxies;

/// The JWT secret used when none is configured; refused in production.
pub const DEVELOPMENT_JWT_SECRET: &str = "development-secret-change-me-development-secret";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageKind {
    Local,
    S3,
}

#[derive(Debug, Clone)]
pub struct S3Settings {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
    pub public_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub production: bool,
    pub host: String,
    pub port: u16,
    pub public_base_url: String,
    pub database_url: String,
    pub db_max_connections: usize,
    pub auto_migrate: bool,
    pub redis_url: String,
    /// Prefix of every Redis key (lets several deployments or tests share one server).
    pub redis_prefix: String,
    pub jwt_secret: String,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    pub bcrypt_cost: u32,
    pub rate_limit_auth_per_min: u32,
    pub rate_limit_upload_per_min: u32,
    pub rate_limit_default_per_min: u32,
    pub storage: StorageKind,
    pub storage_dir: String,
    pub s3: Option<S3Settings>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub cors_origins: Vec<String>,
    /// Peers whose `X-Forwarded-For` is believed (the load balancer); none by default.
    pub trusted_proxies: TrustedProxies,
    pub platform_currency: Currency,
    pub commission_percent: u32,
    pub auto_complete_days: u32,
    pub clearance_days: u32,
    pub min_payout: i64,
    pub webhook_allow_private: bool,
    /// Longest a partner may take to answer a delivery (`WEBHOOK_TIMEOUT_SECS`, 15).
    pub webhook_timeout_secs: u64,
    /// Where the password-reset email sends people (the front end's page).
    pub password_reset_url: String,
    /// Mask contact details between users with no order together (`CHAT_MASK_CONTACTS`).
    pub chat_mask_contacts: bool,
    /// Minutes a message stays unread before its recipient is e-mailed.
    pub unread_email_after_min: u32,
    /// The front end's base URL, for the links e-mails carry (`APP_URL`).
    pub app_url: String,
    pub json_body_limit: usize,
    pub log_json: bool,
}

/// Every variable that could not be used, with the reason.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n  {}", .0.join("\n  "))]
pub struct ConfigError(pub Vec<String>);

/// Reads variables through a lookup function, collecting every problem.
struct Reader<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    errors: Vec<String>,
}

impl Reader<'_> {
    fn string(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn or(&self, name: &str, default: &str) -> String {
        self.string(name).unwrap_or_else(|| default.to_owned())
    }

    fn parse<T: FromStr>(&mut self, name: &str, default: T) -> T
    where
        T::Err: Display,
    {
        match self.string(name) {
            None => default,
            Some(raw) => raw.parse().unwrap_or_else(|e| {
                self.errors.push(format!("{name}={raw:?}: {e}"));
                default
            }),
        }
    }

    fn flag(&mut self, name: &str, default: bool) -> bool {
        match self.string(name).map(|v| v.to_ascii_lowercase()) {
            None => default,
            Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => true,
            Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => false,
            Some(v) => {
                self.errors
                    .push(format!("{name}={v:?}: expected true or false"));
                default
            }
        }
    }

    fn required(&mut self, name: &str) -> String {
        self.string(name).unwrap_or_else(|| {
            self.errors.push(format!("{name} is required"));
            String::new()
        })
    }
}

impl Config {
    /// Reads the process environment (after `.env`, if present).
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(&|name| env::var(name).ok())
    }

    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut r = Reader {
            lookup,
            errors: Vec::new(),
        };
        let app_env = r.or("APP_ENV", "development");
        let production = app_env == "production";
        if !["development", "production", "test"].contains(&app_env.as_str()) {
            r.errors.push(format!(
                "APP_ENV={app_env:?}: expected development, test or production"
            ));
        }
        let public_base_url = r
            .or("PUBLIC_BASE_URL", "http://localhost:8000")
            .trim_end_matches('/')
            .to_owned();
        let storage = match r.or("STORAGE", "local").as_str() {
            "local" => StorageKind::Local,
            "s3" => StorageKind::S3,
            other => {
                r.errors
                    .push(format!("STORAGE={other:?}: expected local or s3"));
                StorageKind::Local
            }
        };
        let s3 = if storage == StorageKind::S3 {
            Some(S3Settings {
                endpoint: r.required("S3_ENDPOINT"),
                region: r.or("S3_REGION", "us-east-1"),
                bucket: r.required("S3_BUCKET"),
                access_key: r.required("S3_ACCESS_KEY"),
                secret_key: r.required("S3_SECRET_KEY"),
                public_url: r.string("S3_PUBLIC_URL"),
            })
        } else {
            None
        };
        let config = Config {
            production,
            host: r.or("HOST", "127.0.0.1"),
            port: r.parse("PORT", 8000),
            database_url: r.required("DATABASE_URL"),
            db_max_connections: r.parse("DB_MAX_CONNECTIONS", 16),
            auto_migrate: r.flag("AUTO_MIGRATE", true),
            redis_url: r.required("REDIS_URL"),
            redis_prefix: r.or("REDIS_PREFIX", "krika:"),
            jwt_secret: r.or("JWT_SECRET", DEVELOPMENT_JWT_SECRET),
            access_token_ttl_secs: r.parse("ACCESS_TOKEN_TTL_SECS", 900),
            refresh_token_ttl_secs: r.parse("REFRESH_TOKEN_TTL_SECS", 604_800),
            bcrypt_cost: r.parse("BCRYPT_COST", 12),
            rate_limit_auth_per_min: r.parse("RATE_LIMIT_AUTH_PER_MIN", 5),
            rate_limit_upload_per_min: r.parse("RATE_LIMIT_UPLOAD_PER_MIN", 10),
            rate_limit_default_per_min: r.parse("RATE_LIMIT_DEFAULT_PER_MIN", 100),
            storage,
            storage_dir: r.or("STORAGE_DIR", "./.data/files"),
            s3,
            smtp_url: r.string("SMTP_URL"),
            mail_from: r.or("MAIL_FROM", "2Krika <no-reply@2krika.local>"),
            cors_origins: r
                .string("CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            trusted_proxies: r.parse("TRUSTED_PROXIES", TrustedProxies::default()),
            platform_currency: r.parse("PLATFORM_CURRENCY", Currency::XOF),
            commission_percent: r.parse("COMMISSION_PERCENT", 10),
            auto_complete_days: r.parse("AUTO_COMPLETE_DAYS", 3),
            clearance_days: r.parse("CLEARANCE_DAYS", 0),
            min_payout: r.parse("MIN_PAYOUT", 5000),
            webhook_allow_private: r.flag("WEBHOOK_ALLOW_PRIVATE", false),
            webhook_timeout_secs: r.parse("WEBHOOK_TIMEOUT_SECS", 15),
            password_reset_url: r.or(
                "PASSWORD_RESET_URL",
                &format!("{public_base_url}/reset-password"),
            ),
            chat_mask_contacts: r.flag("CHAT_MASK_CONTACTS", true),
            unread_email_after_min: r.parse("UNREAD_EMAIL_AFTER_MIN", 15),
            app_url: r.or("APP_URL", &public_base_url),
            json_body_limit: r.parse("JSON_BODY_LIMIT", 1024 * 1024),
            log_json: r.or("LOG_FORMAT", if production { "json" } else { "pretty" }) == "json",
            public_base_url,
        };
        let mut errors = r.errors;
        errors.extend(config.problems());
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError(errors))
        }
    }

    /// Values that parse but make no sense, or are unsafe in production.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.production && self.jwt_secret == DEVELOPMENT_JWT_SECRET {
            problems.push(
                "JWT_SECRET must be set in production (the development secret is refused)".into(),
            );
        }
        if self.production && self.jwt_secret.len() < 32 {
            problems.push("JWT_SECRET must be at least 32 bytes in production".into());
        }
        if self.production && self.bcrypt_cost < 10 {
            problems.push(format!(
                "BCRYPT_COST={} is under 10, refused in production",
                self.bcrypt_cost
            ));
        }
        if self.min_payout < 1 {
            problems.push(format!("MIN_PAYOUT={} must be at least 1", self.min_payout));
        }
        if self.commission_percent > 100 {
            problems.push(format!(
                "COMMISSION_PERCENT={} must be between 0 and 100",
                self.commission_percent
            ));
        }
        if !(4..=31).contains(&self.bcrypt_cost) {
            problems.push(format!(
                "BCRYPT_COST={} must be between 4 and 31",
                self.bcrypt_cost
            ));
        }
        if self.access_token_ttl_secs < 60
            || self.refresh_token_ttl_secs < self.access_token_ttl_secs
        {
            problems.push("ACCESS_TOKEN_TTL_SECS must be ≥ 60 and ≤ REFRESH_TOKEN_TTL_SECS".into());
        }
        for (name, value) in [
            ("RATE_LIMIT_AUTH_PER_MIN", self.rate_limit_auth_per_min),
            ("RATE_LIMIT_UPLOAD_PER_MIN", self.rate_limit_upload_per_min),
            (
                "RATE_LIMIT_DEFAULT_PER_MIN",
                self.rate_limit_default_per_min,
            ),
        ] {
            if value == 0 {
                problems.push(format!("{name} must be at least 1"));
            }
        }
        if self.commission_percent > 100 {
            problems.push("COMMISSION_PERCENT must be between 0 and 100".into());
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut map: HashMap<String, String> = [
            ("DATABASE_URL", "postgres://x/y"),
            ("REDIS_URL", "redis://x"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        map.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Config::from_lookup(&move |name| map.get(name).cloned())
    }

    #[test]
    fn defaults_follow_the_contract() {
        let c = config(&[]).unwrap();
        assert_eq!((c.host.as_str(), c.port), ("127.0.0.1", 8000));
        assert_eq!(
            (
                c.access_token_ttl_secs,
                c.refresh_token_ttl_secs,
                c.bcrypt_cost
            ),
            (900, 604_800, 12)
        );
        assert_eq!(
            (
                c.rate_limit_auth_per_min,
                c.rate_limit_upload_per_min,
                c.rate_limit_default_per_min
            ),
            (5, 10, 100)
        );
        assert_eq!(
            (c.storage, c.platform_currency, c.min_payout),
            (StorageKind::Local, Currency::XOF, 5000)
        );
        assert_eq!(c.password_reset_url, "http://localhost:8000/reset-password");
    }

    #[test]
    fn production_refuses_development_secrets_and_cheap_hashing() {
        let error = config(&[("APP_ENV", "production")])
            .unwrap_err()
            .to_string();
        assert!(error.contains("JWT_SECRET"), "{error}");
        let secret = "a-real-secret-of-at-least-32-bytes!!";
        let error = config(&[
            ("APP_ENV", "production"),
            ("JWT_SECRET", secret),
            ("BCRYPT_COST", "8"),
        ])
        .unwrap_err()
        .to_string();
        assert!(error.contains("BCRYPT_COST"), "{error}");
        assert!(config(&[("APP_ENV", "production"), ("JWT_SECRET", secret)]).is_ok());
    }

    #[test]
    fn every_bad_variable_is_named() {
        let error =
            config(&[("PORT", "eighty"), ("STORAGE", "ftp"), ("DATABASE_URL", "")]).unwrap_err();
        let text = error.to_string();
        for name in ["PORT", "STORAGE", "DATABASE_URL"] {
            assert!(text.contains(name), "{text}");
        }
        let s3 = config(&[("STORAGE", "s3")]).unwrap_err().to_string();
        assert!(
            s3.contains("S3_ENDPOINT") && s3.contains("S3_BUCKET"),
            "{s3}"
        );
    }
}
