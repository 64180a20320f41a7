//! Wiring: adapters built from the configuration and handed to the use cases.

use std::sync::Arc;
use std::time::Duration;

use chrono::Duration as Span;
use krika_catalog::subscribers::CountersFollow;
use krika_catalog::{Catalog, CatalogConfig, CatalogPorts};
use krika_content::{Content, ContentConfig, ContentPorts};
use krika_crypto::{BcryptHasher, JwtCodec};
use krika_identity::{Identity, IdentityConfig, IdentityPorts};
use krika_kernel::ports::Subscriber;
use krika_kernel::ports::{BlobStore, IdempotencyStore, Mailer, RateLimiter};
use krika_kernel::{Clock, Dispatcher, SystemClock};
use krika_mail::{BackgroundMailer, LogMailer, SmtpMailer};
use krika_messaging::{Messaging, MessagingConfig, MessagingPorts};
use krika_ordering::ports::StatsReader;
use krika_ordering::{Ordering, OrderingConfig, OrderingPorts};
use krika_payments::gateway::SandboxGateway;
use krika_payments::{Money, Payments, PaymentsConfig, PaymentsPorts, Percent};
use krika_postgres::{
    Db, DbConfig, PgCatalogStore, PgContentStore, PgIdempotencyStore, PgIdentityStore,
    PgMessagingStore, PgOrderStore, PgOutbox, PgPaymentStore, PgWebhookStore,
};
use krika_redis::{RealtimeBus, RedisPresence};
use krika_redis::{Redis, RedisCache, RedisDenylist, RedisRateLimiter};
use krika_storage::{LocalBlobStore, S3BlobStore, S3Config};
use krika_webhook_client::ReqwestTransport;
use krika_webhooks::subscriber::WebhookFanout;
use krika_webhooks::{Webhooks, WebhooksConfig, WebhooksPorts};

use crate::cache::MeteredCache;
use crate::config::{Config, StorageKind};
use crate::realtime::{RealtimeConfig, RealtimeHub};

/// Everything a request handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub identity: Identity,
    pub catalog: Catalog,
    pub ordering: Ordering,
    pub payments: Payments,
    pub messaging: Messaging,
    pub webhooks: Webhooks,
    pub content: Content,
    pub stats: Arc<dyn StatsReader>,
    pub idempotency: Arc<dyn IdempotencyStore>,
    /// The same store, for the purge the worker runs.
    pub idempotency_keys: PgIdempotencyStore,
    pub db: Db,
    pub redis: Redis,
    pub blobs: Arc<dyn BlobStore>,
    /// Set when files live on local disk and the API serves them.
    pub local_files: Option<Arc<LocalBlobStore>>,
    pub limiter: Arc<dyn RateLimiter>,
    pub clock: Arc<dyn Clock>,
    pub smtp: Option<SmtpMailer>,
    /// Delivers the outbox to the subscribers below (`crate::outbox::run`).
    pub dispatcher: Dispatcher,
    /// The WebSockets open on this instance, and the Redis fan-out to the others; also the
    /// `Realtime` port (`state.realtime.clone() as Arc<dyn Realtime>`).
    pub realtime: Arc<RealtimeHub>,
}

/// Replacements for tests (a clock that moves on command).
#[derive(Default, Clone)]
pub struct Overrides {
    pub clock: Option<Arc<dyn Clock>>,
    pub mailer: Option<Arc<dyn Mailer>>,
    /// Shorter socket timings and queues.
    pub realtime: Option<RealtimeConfig>,
}

impl AppState {
    pub async fn build(config: Config, overrides: Overrides) -> anyhow::Result<Self> {
        let clock = overrides.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let mut db_config = DbConfig::new(&config.database_url);
        db_config.max_connections = config.db_max_connections;
        let db = Db::connect(&db_config)?;
        let redis = Redis::connect(&config.redis_url, config.redis_prefix.clone())?;
        let realtime_config = overrides.realtime.clone().unwrap_or_default();
        let realtime = RealtimeHub::new(
            realtime_config.clone(),
            RealtimeBus::new(redis.clone(), &config.redis_url)?,
            RedisPresence::new(redis.clone(), realtime_config.presence_ttl()),
        );
        realtime.spawn_listener();

        let (blobs, local_files): (Arc<dyn BlobStore>, _) = match (&config.storage, &config.s3) {
            (StorageKind::S3, Some(s3)) => {
                let store = S3BlobStore::connect(S3Config {
                    endpoint: s3.endpoint.clone(),
                    region: s3.region.clone(),
                    bucket: s3.bucket.clone(),
                    access_key: s3.access_key.clone(),
                    secret_key: s3.secret_key.clone(),
                    public_url: s3.public_url.clone(),
                })
                .await?;
                (Arc::new(store), None)
            }
            _ => {
                // Signed local URLs reuse the JWT secret, under a distinct label.
                let key = format!("files:{}", config.jwt_secret).into_bytes();
                let store = Arc::new(LocalBlobStore::new(
                    config.storage_dir.clone().into(),
                    config.public_base_url.clone(),
                    key,
                )?);
                (store.clone() as Arc<dyn BlobStore>, Some(store))
            }
        };

        let smtp = match &config.smtp_url {
            Some(url) => Some(SmtpMailer::new(url, &config.mail_from)?),
            None => None,
        };
        let mailer: Arc<dyn Mailer> = match (&overrides.mailer, &smtp) {
            (Some(mailer), _) => mailer.clone(),
            (None, Some(smtp)) => Arc::new(BackgroundMailer::new(Arc::new(smtp.clone()))),
            (None, None) => Arc::new(LogMailer::new()),
        };
        // Outbox subscribers send in the foreground: a failed send is retried by the
        // dispatcher instead of being lost in a background task.
        let outbox_mailer: Arc<dyn Mailer> = match (overrides.mailer, &smtp) {
            (Some(mailer), _) => mailer,
            (None, Some(smtp)) => Arc::new(smtp.clone()),
            (None, None) => Arc::new(LogMailer::new()),
        };

        let store = Arc::new(PgIdentityStore::new(db.clone()));
        let ports = IdentityPorts {
            users: store.clone(),
            sessions: store.clone(),
            resets: store.clone(),
            kyc: store,
            hasher: Arc::new(BcryptHasher::new(config.bcrypt_cost)?),
            tokens: Arc::new(JwtCodec::new(config.jwt_secret.as_bytes())),
            denylist: Arc::new(RedisDenylist(redis.clone())),
            blobs: blobs.clone(),
            mailer,
            clock: clock.clone(),
        };
        let identity = Identity::new(
            ports,
            IdentityConfig {
                access_ttl: Span::seconds(config.access_token_ttl_secs),
                refresh_ttl: Span::seconds(config.refresh_token_ttl_secs),
                reset_ttl: Span::hours(1),
                reset_url: config.password_reset_url.clone(),
                avatar_max_bytes: AVATAR_MAX_BYTES,
                refresh_warning: Span::seconds(60),
                kyc_document_max_bytes: UPLOAD_MAX_BYTES,
                signed_url_ttl: Span::minutes(10),
            },
        );
        let catalog_store = Arc::new(PgCatalogStore::new(db.clone()));
        let catalog = Catalog::new(
            CatalogPorts {
                categories: catalog_store.clone(),
                services: catalog_store.clone(),
                blobs: blobs.clone(),
                cache: Arc::new(MeteredCache(Arc::new(RedisCache(redis.clone())))),
                clock: clock.clone(),
            },
            CatalogConfig {
                currency: config.platform_currency,
                image_max_bytes: UPLOAD_MAX_BYTES,
                ..CatalogConfig::default()
            },
        );
        let payment_store = Arc::new(PgPaymentStore::new(db.clone()));
        let payments = Payments::new(
            PaymentsPorts {
                wallets: payment_store.clone(),
                offers: payment_store.clone(),
                clock: clock.clone(),
            },
            PaymentsConfig {
                currency: config.platform_currency,
                min_payout: Money::new(config.min_payout, config.platform_currency),
                clearance_days: i64::from(config.clearance_days),
            },
        );
        let order_store = Arc::new(PgOrderStore::new(db.clone()));
        let ordering = Ordering::new(
            OrderingPorts {
                orders: order_store.clone(),
                reviews: order_store.clone(),
                services: catalog_store,
                offers: payment_store,
                gateway: Arc::new(SandboxGateway),
                blobs: blobs.clone(),
                clock: clock.clone(),
            },
            OrderingConfig {
                commission: Percent::whole(config.commission_percent),
                auto_complete_days: i64::from(config.auto_complete_days),
                clearance_days: i64::from(config.clearance_days),
                delivery_file_max_bytes: DELIVERY_FILE_MAX_BYTES,
                ..OrderingConfig::default()
            },
        );
        let avatar_blobs = blobs.clone();
        let messaging_store = Arc::new(PgMessagingStore::new(
            db.clone(),
            Arc::new(move |key: &str| avatar_blobs.public_url(key)),
        ));
        let messaging = Messaging::new(
            MessagingPorts {
                conversations: messaging_store.clone(),
                notifications: messaging_store.clone(),
                people: messaging_store,
                realtime: realtime.clone(),
                mailer: outbox_mailer.clone(),
                blobs: blobs.clone(),
                clock: clock.clone(),
            },
            MessagingConfig {
                mask_contacts: config.chat_mask_contacts,
                attachment_max_bytes: ATTACHMENT_MAX_BYTES,
                app_url: config.app_url.clone(),
                unread_email_after: Span::minutes(i64::from(config.unread_email_after_min)),
                ..MessagingConfig::default()
            },
        );
        let content = Content::new(
            ContentPorts {
                posts: Arc::new(PgContentStore::new(db.clone())),
                blobs: blobs.clone(),
                clock: clock.clone(),
            },
            ContentConfig {
                image_max_bytes: UPLOAD_MAX_BYTES,
            },
        );
        let mut subscribers: Vec<Arc<dyn Subscriber>> =
            vec![Arc::new(CountersFollow(catalog.clone()))];
        subscribers.extend(messaging.subscribers());
        let webhooks = Webhooks::new(
            WebhooksPorts {
                store: Arc::new(PgWebhookStore::new(db.clone())),
                transport: Arc::new(ReqwestTransport::with_timeout(Duration::from_secs(
                    config.webhook_timeout_secs.max(1),
                ))),
                mailer: outbox_mailer,
                clock: clock.clone(),
            },
            WebhooksConfig {
                allow_private: config.webhook_allow_private,
                ..WebhooksConfig::default()
            },
        );
        subscribers.push(Arc::new(WebhookFanout(webhooks.clone())));
        // The dispatcher's bookkeeping (claims, acknowledgements) on a few connections of
        // its own that do not wait for the disk at commit: losing one in a crash only means
        // an event is delivered again. The events themselves are written with their change.
        let outbox_db = Db::connect(&DbConfig {
            max_connections: 4,
            application_name: "krika-outbox".into(),
            synchronous_commit: false,
            ..db_config.clone()
        })?;
        let dispatcher = Dispatcher::new(
            Arc::new(PgOutbox::new(outbox_db)),
            subscribers,
            clock.clone(),
        );
        Ok(Self {
            realtime,
            dispatcher,
            messaging,
            webhooks,
            content,
            ordering,
            payments,
            stats: order_store,
            idempotency: Arc::new(PgIdempotencyStore::new(db.clone())),
            idempotency_keys: PgIdempotencyStore::new(db.clone()),
            limiter: Arc::new(RedisRateLimiter::new(redis.clone())),
            config: Arc::new(config),
            identity,
            catalog,
            db,
            redis,
            blobs,
            local_files,
            clock,
            smtp,
        })
    }
}

/// Largest avatar accepted.
pub const AVATAR_MAX_BYTES: usize = 5 * 1024 * 1024;

/// Largest service image or KYC photo accepted.
pub const UPLOAD_MAX_BYTES: usize = 5 * 1024 * 1024;

/// Largest message attachment accepted (README.md, Messaging).
pub const ATTACHMENT_MAX_BYTES: usize = 25 * 1024 * 1024;

/// Largest delivered file accepted (docs/orders.md).
pub const DELIVERY_FILE_MAX_BYTES: usize = 25 * 1024 * 1024;

/// How long readiness waits for each backing service.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);
