//! Who the client is, network-wise. Behind a load balancer every request comes from the
//! balancer, so rate limits would count the whole world as one client. The balancer says
//! who it talked to in `X-Forwarded-For`, but anyone can send that header: it is believed
//! only when the peer is one of `TRUSTED_PROXIES`, and then only up to the first address
//! that is not a proxy of ours (read from the right, where our proxies append).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

/// `TRUSTED_PROXIES`: addresses or networks, comma-separated (`127.0.0.1, 10.0.0.0/8`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address given the peer and the `X-Forwarded-For` header.
    pub fn client(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> Option<IpAddr> {
        let mut client = peer?;
        if !self.trusts(client) {
            return Some(client);
        }
        for hop in forwarded_for.unwrap_or_default().rsplit(',') {
            // A hop that does not parse was written by whoever is left of our proxies:
            // the last address a proxy vouched for is the client.
            let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        Some(client)
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{s:?} is not an address or a network"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

impl fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nets: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&nets.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("203.0.113.9"), Some("1.2.3.4")),
            ip("203.0.113.9")
        );
        let local: TrustedProxies = "127.0.0.1".parse().unwrap();
        assert_eq!(
            local.client(ip("203.0.113.9"), Some("1.2.3.4")),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_outside_address_is_the_client() {
        let proxies: TrustedProxies = "127.0.0.1, 10.0.0.0/8".parse().unwrap();
        let peer = ip("127.0.0.1");
        assert_eq!(
            proxies.client(peer, Some("198.51.100.7")),
            ip("198.51.100.7")
        );
        // A client claiming an address: our proxy appended the real one on the right.
        assert_eq!(
            proxies.client(peer, Some("1.1.1.1, 198.51.100.7")),
            ip("198.51.100.7")
        );
        // Two proxies of ours in a row.
        assert_eq!(
            proxies.client(peer, Some("198.51.100.7, 10.1.2.3")),
            ip("198.51.100.7")
        );
        // No header, or garbage where our proxy would have written: the last hop we trust.
        assert_eq!(proxies.client(peer, None), peer);
        assert_eq!(
            proxies.client(peer, Some("garbage, 10.1.2.3")),
            ip("10.1.2.3")
        );
        assert_eq!(proxies.client(None, Some("198.51.100.7")), None);
    }

    #[test]
    fn parsing_takes_addresses_and_networks_and_names_what_it_refuses() {
        let parsed: TrustedProxies = " 127.0.0.1 ,::1, 172.16.0.0/12,".parse().unwrap();
        assert_eq!(parsed.to_string(), "127.0.0.1/32,::1/128,172.16.0.0/12");
        assert!("".parse::<TrustedProxies>().unwrap().0.is_empty());
        let error = "127.0.0.1, nginx".parse::<TrustedProxies>().unwrap_err();
        assert!(error.contains("\"nginx\""), "{error}");
    }
}
