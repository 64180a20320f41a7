//! Real-time fan-out between API instances: every instance publishes the frames it pushes on
//! one channel, `{prefix}realtime`, and hands the frames published by the others to its own
//! sockets. Pub/sub keeps nothing: a frame published while an instance is disconnected is
//! lost for that instance, and its clients refetch over REST when they reconnect.

use std::time::Duration;

use deadpool_redis::redis;
use futures_util::StreamExt;
use krika_kernel::Unexpected;
use krika_kernel::ids::UserId;
use krika_kernel::ports::Frame;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Redis;

/// First wait before subscribing again after a failure; doubled up to `MAX_BACKOFF`.
const MIN_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// How long connecting and subscribing may take before it counts as a failure.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A silent subscription may be a dead TCP connection: ping it this often.
const PING_EVERY: Duration = Duration::from_secs(15);

/// What travels on the channel.
#[derive(Serialize, Deserialize)]
struct Envelope<U, F> {
    origin: Uuid,
    users: U,
    frame: F,
}

/// A frame another instance published, for its users' sockets on this instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Remote {
    pub users: Vec<UserId>,
    pub frame: Frame,
}

/// Publishes this instance's frames and hears the other instances'.
#[derive(Clone)]
pub struct RealtimeBus {
    redis: Redis,
    client: redis::Client,
    channel: String,
    origin: Uuid,
}

impl RealtimeBus {
    /// `url` is the same Redis as `redis`: subscribing needs a dedicated connection, outside
    /// the pool. Each bus gets its own origin id, so an instance skips its own frames.
    pub fn new(redis: Redis, url: &str) -> Result<Self, Unexpected> {
        let client = redis::Client::open(url).map_err(Unexpected::new)?;
        let channel = redis.key("realtime");
        Ok(Self {
            redis,
            client,
            channel,
            origin: Uuid::new_v4(),
        })
    }

    /// This instance's id in the envelopes it publishes.
    pub fn origin(&self) -> Uuid {
        self.origin
    }

    /// Publishes `frame` for `users` to every other instance.
    pub async fn publish(&self, users: &[UserId], frame: &Frame) -> Result<(), Unexpected> {
        let payload = serde_json::to_vec(&Envelope {
            origin: self.origin,
            users,
            frame,
        })
        .map_err(Unexpected::new)?;
        let mut conn = self.redis.conn().await?;
        let _receivers: i64 = redis::cmd("PUBLISH")
            .arg(&self.channel)
            .arg(payload)
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::unavailable)?;
        Ok(())
    }

    /// Reads the frames of the other instances and hands each to `deliver`, until `deliver`
    /// returns `false`. When Redis goes away it subscribes again, waiting longer after each
    /// failure (100 ms doubling to 5 s). `subscribed` hears each change of state. Run it in
    /// its own task.
    pub async fn listen(
        &self,
        subscribed: impl Fn(bool) + Send,
        mut deliver: impl FnMut(Remote) -> bool + Send,
    ) {
        let mut backoff = MIN_BACKOFF;
        loop {
            match self.subscribe().await {
                Ok((mut sink, mut stream)) => {
                    tracing::info!(channel = %self.channel, "real-time fan-out subscribed");
                    subscribed(true);
                    backoff = MIN_BACKOFF;
                    let start = tokio::time::Instant::now() + PING_EVERY;
                    let mut ping = tokio::time::interval_at(start, PING_EVERY);
                    loop {
                        tokio::select! {
                            message = stream.next() => {
                                let Some(message) = message else {
                                    tracing::warn!("real-time fan-out: Redis connection lost");
                                    break;
                                };
                                if let Some(remote) = self.decode(message.get_payload_bytes())
                                    && !deliver(remote)
                                {
                                    subscribed(false);
                                    return;
                                }
                            }
                            _ = ping.tick() => {
                                let answer = tokio::time::timeout(
                                    CONNECT_TIMEOUT,
                                    sink.ping::<redis::Value>(),
                                ).await;
                                if !matches!(answer, Ok(Ok(_))) {
                                    tracing::warn!("real-time fan-out: Redis does not answer pings");
                                    break;
                                }
                            }
                        }
                    }
                    subscribed(false);
                }
                Err(error) => {
                    tracing::warn!(%error, retry_in = ?backoff, "real-time fan-out cannot subscribe");
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    async fn subscribe(
        &self,
    ) -> Result<(redis::aio::PubSubSink, redis::aio::PubSubStream), Unexpected> {
        let connect = async {
            let mut pubsub = self.client.get_async_pubsub().await?;
            pubsub.subscribe(&self.channel).await?;
            Ok::<_, redis::RedisError>(pubsub.split())
        };
        match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
            Ok(Ok(parts)) => Ok(parts),
            Ok(Err(error)) => Err(Unexpected::unavailable(error)),
            Err(_) => Err(Unexpected::msg("no answer from Redis")),
        }
    }

    /// The envelope's users and frame, unless this instance published it (it delivered it
    /// to its own sockets already) or it does not parse.
    fn decode(&self, payload: &[u8]) -> Option<Remote> {
        match serde_json::from_slice::<Envelope<Vec<UserId>, Frame>>(payload) {
            Ok(envelope) if envelope.origin == self.origin => None,
            Ok(envelope) => Some(Remote {
                users: envelope.users,
                frame: envelope.frame,
            }),
            Err(error) => {
                tracing::warn!(%error, "real-time fan-out: unreadable message skipped");
                None
            }
        }
    }
}
