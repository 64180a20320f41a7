//! `WebhookTransport` over reqwest (rustls). Every attempt resolves the host once, checks
//! each address with the domain's SSRF rule and pins the connection to those addresses
//! (`resolve_to_addrs`), so a DNS answer that changes between the check and the connection
//! (rebinding) cannot reach inside. Redirects are not followed; 15 s per attempt; the
//! response body is read up to 1 KB.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use krika_webhooks::ports::{Outgoing, Sent, WebhookTransport};
use krika_webhooks::ssrf::{self, Refused, Target, TargetHost};

/// Longest a partner may take to answer.
pub const TIMEOUT: Duration = Duration::from_secs(15);
/// What is kept of a response body.
pub const BODY_KEPT: usize = 1024;

/// Resolves a host name to addresses (the system resolver unless replaced, in tests).
pub type Resolver = Arc<dyn Fn(&str, u16) -> Vec<SocketAddr> + Send + Sync>;

#[derive(Clone)]
pub struct ReqwestTransport {
    timeout: Duration,
    resolver: Option<Resolver>,
}

impl Default for ReqwestTransport {
    fn default() -> Self {
        Self {
            timeout: TIMEOUT,
            resolver: None,
        }
    }
}

impl ReqwestTransport {
    /// A transport with another timeout (tests of slow receivers).
    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            timeout,
            resolver: None,
        }
    }

    /// Names resolved by `resolver` instead of the system's (tests of what a name may
    /// resolve to: a private address, a rebinding answer).
    pub fn with_resolver(mut self, resolver: Resolver) -> Self {
        self.resolver = Some(resolver);
        self
    }

    /// The addresses the target's host stands for, checked.
    async fn resolve(
        &self,
        target: &Target,
        allow_private: bool,
    ) -> Result<Vec<SocketAddr>, Refused> {
        let addresses: Vec<SocketAddr> = match (&target.host, &self.resolver) {
            (TargetHost::Address(ip), _) => vec![SocketAddr::new(*ip, target.port)],
            (TargetHost::Name(name), Some(resolver)) => resolver(name, target.port),
            (TargetHost::Name(name), None) => tokio::net::lookup_host((name.as_str(), target.port))
                .await
                .map_err(|_| Refused::Unresolved)?
                .collect(),
        };
        let ips: Vec<IpAddr> = addresses.iter().map(SocketAddr::ip).collect();
        ssrf::check_addresses(&ips, allow_private)?;
        Ok(addresses)
    }
}

impl std::fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(value: &str) -> Option<chrono::Duration> {
    if let Ok(seconds) = value.trim().parse::<i64>() {
        return Some(chrono::Duration::seconds(seconds.max(0)));
    }
    let at = httpdate::parse_http_date(value.trim()).ok()?;
    let wait = at
        .duration_since(std::time::SystemTime::now())
        .unwrap_or_default();
    chrono::Duration::from_std(wait).ok()
}

#[async_trait]
impl WebhookTransport for ReqwestTransport {
    async fn check(&self, url: &str, allow_private: bool) -> Result<(), Refused> {
        let target = ssrf::parse(url)?;
        self.resolve(&target, allow_private).await.map(|_| ())
    }

    async fn send(&self, request: Outgoing) -> Sent {
        let target = match ssrf::parse(&request.url) {
            Ok(target) => target,
            Err(refused) => return Sent::Refused(refused),
        };
        let addresses = match self.resolve(&target, request.allow_private).await {
            Ok(addresses) => addresses,
            Err(refused) => return Sent::Refused(refused),
        };
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .user_agent("2Krika-Webhooks/1");
        if let TargetHost::Name(name) = &target.host {
            builder = builder.resolve_to_addrs(name, &addresses);
        }
        let client = match builder.build() {
            Ok(client) => client,
            Err(error) => return Sent::Failed(format!("client: {error}")),
        };
        let mut post = client.post(target.url.as_str()).body(request.body);
        for (name, value) in &request.headers {
            post = post.header(name, value);
        }
        let mut response = match post.send().await {
            Ok(response) => response,
            Err(error) if error.is_timeout() => {
                return Sent::Failed(format!("no answer within {} s", self.timeout.as_secs()));
            }
            Err(error) => return Sent::Failed(format!("request failed: {error}")),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(retry_after);
        let mut body = Vec::new();
        while body.len() < BODY_KEPT {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        body.truncate(BODY_KEPT);
        Sent::Answered {
            status,
            retry_after,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after("120"), Some(chrono::Duration::seconds(120)));
        assert_eq!(retry_after("-5"), Some(chrono::Duration::zero()));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(chrono::Duration::zero())
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[tokio::test]
    async fn private_addresses_are_refused_before_any_connection() {
        let transport = ReqwestTransport::default();
        let sent = transport
            .send(Outgoing {
                url: "http://127.0.0.1:9/hook".into(),
                headers: Vec::new(),
                body: "{}".into(),
                allow_private: false,
            })
            .await;
        assert_eq!(sent, Sent::Refused(Refused::Private("loopback")));
        assert_eq!(
            transport.check("http://localhost:9/", false).await,
            Err(Refused::Private("loopback"))
        );
        // A name is judged by what it resolves to: one private address among public ones
        // is enough to refuse it; allowed by configuration, it passes.
        let resolver: Resolver = Arc::new(|name, port| {
            let ips: &[&str] = match name {
                "partner.example" => &["93.184.216.34"],
                "mixed.example" => &["93.184.216.34", "10.0.0.7"],
                "rebind.example" => &["127.0.0.1"],
                "mapped.example" => &["::ffff:192.168.1.1"],
                _ => &[],
            };
            ips.iter()
                .map(|ip| SocketAddr::new(ip.parse().unwrap(), port))
                .collect()
        });
        let transport = ReqwestTransport::default().with_resolver(resolver);
        let check = |url: &'static str, allow: bool| transport.check(url, allow);
        assert_eq!(check("https://partner.example/h", false).await, Ok(()));
        assert_eq!(
            check("https://mixed.example/h", false).await,
            Err(Refused::Private("private"))
        );
        assert_eq!(
            check("https://rebind.example/h", false).await,
            Err(Refused::Private("loopback"))
        );
        assert_eq!(
            check("https://mapped.example/h", false).await,
            Err(Refused::Private("private"))
        );
        assert_eq!(
            check("https://nowhere.example/h", false).await,
            Err(Refused::Unresolved)
        );
        assert_eq!(check("http://rebind.example/h", true).await, Ok(()));
        // The same rule at every attempt: nothing is sent.
        let sent = transport
            .send(Outgoing {
                url: "https://rebind.example/hook".into(),
                headers: Vec::new(),
                body: "{}".into(),
                allow_private: false,
            })
            .await;
        assert_eq!(sent, Sent::Refused(Refused::Private("loopback")));
    }
}
