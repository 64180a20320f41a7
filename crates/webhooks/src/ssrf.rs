//! Where a webhook may go (docs/webhooks.md): `http(s)` URLs whose every resolved address is
//! public. The HTTP adapter resolves the host once, asks [`check_addresses`], and connects
//! to the addresses it checked (no second lookup), at registration and at every attempt, so
//! DNS rebinding cannot reach inside. `WEBHOOK_ALLOW_PRIVATE` lifts the address rule (tests).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Why a URL or an address is refused; the message names the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("url must be an absolute http or https URL")]
    NotHttp,
    #[error("url must not carry a user name or password")]
    Credentials,
    #[error("url has no host")]
    NoHost,
    #[error("url must be at most 2048 characters")]
    TooLong,
    #[error("the host does not resolve")]
    Unresolved,
    #[error("the host resolves to a {0} address, which webhooks may not reach")]
    Private(&'static str),
}

/// A target checked for its form, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: Url,
    /// The host to resolve (a name), or the literal address it already is.
    pub host: TargetHost,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetHost {
    Name(String),
    Address(IpAddr),
}

/// Parses and checks the form of a webhook URL. Literal addresses in any notation the URL
/// standard accepts (`http://2130706433/`, `http://0x7f.1/`, `http://[::ffff:127.0.0.1]/`)
/// come out as addresses, so [`check_address`] sees what a client would connect to.
pub fn parse(raw: &str) -> Result<Target, Refused> {
    if raw.len() > 2048 {
        return Err(Refused::TooLong);
    }
    let url = Url::parse(raw.trim()).map_err(|_| Refused::NotHttp)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refused::NotHttp);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refused::Credentials);
    }
    let port = url.port_or_known_default().ok_or(Refused::NotHttp)?;
    let host = match url.host() {
        None => return Err(Refused::NoHost),
        Some(Host::Ipv4(v4)) => TargetHost::Address(IpAddr::V4(v4)),
        Some(Host::Ipv6(v6)) => TargetHost::Address(IpAddr::V6(v6)),
        Some(Host::Domain(name)) => {
            // `localhost.` is `localhost`: a trailing dot names the same host.
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name.is_empty() {
                return Err(Refused::NoHost);
            }
            if name == "localhost" || name.ends_with(".localhost") {
                return Err(Refused::Private("loopback"));
            }
            TargetHost::Name(name)
        }
    };
    Ok(Target { url, host, port })
}

/// `None` when `address` is public; else the kind of address it is.
pub fn classify(address: IpAddr) -> Option<&'static str> {
    match address {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => {
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible addresses reach IPv4 hosts.
            if let Some(v4) = v6.to_ipv4_mapped() {
                return classify_v4(v4);
            }
            classify_v6(v6)
        }
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    if ip.is_unspecified() || a == 0 {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_private() {
        Some("private")
    } else if ip.is_link_local() {
        Some("link-local")
    } else if a == 100 && (64..128).contains(&b) {
        Some("shared (carrier-grade NAT)")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if ip.is_broadcast()
        || a >= 240
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
    {
        Some("reserved")
    } else if ip.is_documentation() {
        Some("documentation")
    } else {
        None
    }
}

fn classify_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if first & 0xfe00 == 0xfc00 {
        Some("unique-local")
    } else if first & 0xffc0 == 0xfe80 {
        Some("link-local")
    } else if first & 0xffc0 == 0xfec0 {
        Some("site-local")
    } else if first == 0x2001 && ip.segments()[1] == 0x0db8 {
        Some("documentation")
    } else if first == 0x0064 && ip.segments()[1] == 0xff9b {
        // NAT64: the low 32 bits are an IPv4 address.
        let [.., a, b, c, d] = ip.octets();
        classify_v4(Ipv4Addr::new(a, b, c, d))
    } else if ip.segments()[..6] == [0, 0, 0, 0, 0, 0] {
        // IPv4-compatible (deprecated) ::a.b.c.d.
        let [.., a, b, c, d] = ip.octets();
        classify_v4(Ipv4Addr::new(a, b, c, d))
    } else {
        None
    }
}

/// Every address must be public (one private address among public ones is refused: the
/// client could pick it). `allow_private` lifts the rule, for tests on loopback.
pub fn check_addresses(addresses: &[IpAddr], allow_private: bool) -> Result<(), Refused> {
    if addresses.is_empty() {
        return Err(Refused::Unresolved);
    }
    if allow_private {
        return Ok(());
    }
    match addresses.iter().find_map(|a| classify(*a)) {
        Some(kind) => Err(Refused::Private(kind)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a table of tricky URLs comes to once parsed and its literal address checked.
    fn verdict(raw: &str) -> Result<(), Refused> {
        let target = parse(raw)?;
        match target.host {
            TargetHost::Address(ip) => check_addresses(&[ip], false),
            TargetHost::Name(_) => Ok(()),
        }
    }

    #[test]
    fn tricky_urls_are_refused() {
        let refused = [
            ("http://127.0.0.1/hook", "loopback"),
            ("http://2130706433/", "loopback"), // decimal IPv4
            ("http://0x7f.0.0.1/", "loopback"), // hex
            ("http://0177.0.0.1/", "loopback"), // octal
            ("http://127.1/", "loopback"),      // short form
            ("http://[::1]/", "loopback"),
            ("http://[::ffff:127.0.0.1]/", "loopback"), // IPv4-mapped
            ("http://[::ffff:7f00:1]/", "loopback"),
            ("http://0.0.0.0/", "unspecified"),
            ("http://0/", "unspecified"),
            ("http://[::]/", "unspecified"),
            ("http://10.1.2.3/", "private"),
            ("http://172.16.0.1/", "private"),
            ("http://192.168.1.10:8080/", "private"),
            ("http://169.254.169.254/latest/meta-data", "link-local"),
            ("http://[fe80::1]/", "link-local"),
            ("http://[fc00::1]/", "unique-local"),
            ("http://[fd12:3456::1]/", "unique-local"),
            ("http://[ff02::1]/", "multicast"),
            ("http://224.0.0.1/", "multicast"),
            ("http://100.64.0.1/", "shared (carrier-grade NAT)"),
            ("http://[64:ff9b::a00:1]/", "private"), // NAT64 of 10.0.0.1
            ("http://localhost/", "loopback"),
            ("http://localhost./", "loopback"),
            ("http://api.localhost/", "loopback"),
            ("http://LOCALHOST:8080/", "loopback"),
        ];
        for (url, kind) in refused {
            assert_eq!(verdict(url), Err(Refused::Private(kind)), "{url}");
        }
    }

    #[test]
    fn link_local_with_a_zone_does_not_parse_as_anything_reachable() {
        // The URL standard has no zone ids: such a URL is not a valid target at all.
        assert!(parse("http://[fe80::1%25eth0]/").is_err());
    }

    #[test]
    fn form_rules() {
        assert_eq!(parse("ftp://example.com/"), Err(Refused::NotHttp));
        assert_eq!(parse("file:///etc/passwd"), Err(Refused::NotHttp));
        assert_eq!(parse("javascript:alert(1)"), Err(Refused::NotHttp));
        assert_eq!(parse("not a url"), Err(Refused::NotHttp));
        assert_eq!(
            parse("https://user:pw@example.com/"),
            Err(Refused::Credentials)
        );
        assert_eq!(
            parse(&format!("https://e.com/{}", "a".repeat(2100))),
            Err(Refused::TooLong)
        );
        let ok = parse("https://hooks.partner.example/2krika?x=1").unwrap();
        assert_eq!(ok.host, TargetHost::Name("hooks.partner.example".into()));
        assert_eq!(ok.port, 443);
    }

    #[test]
    fn a_name_resolving_to_one_private_address_is_refused() {
        let public: IpAddr = "93.184.216.34".parse().unwrap();
        let private: IpAddr = "10.0.0.7".parse().unwrap();
        assert_eq!(check_addresses(&[public], false), Ok(()));
        assert_eq!(
            check_addresses(&[public, private], false),
            Err(Refused::Private("private"))
        );
        assert_eq!(check_addresses(&[], false), Err(Refused::Unresolved));
        assert_eq!(
            check_addresses(&[private], true),
            Ok(()),
            "allowed by configuration"
        );
        assert_eq!(classify("2606:4700::1111".parse().unwrap()), None);
    }
}
