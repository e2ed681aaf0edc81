//! IP literals as hosts, and IP-IDs (subjectAltName iPAddress entries).
//!
//! RFC 9525 section 6.4 (<https://www.rfc-editor.org/rfc/rfc9525#section-6.4>): an IP address
//! reference identity is converted to its network-byte-order octet string, exactly four octets
//! for IPv4 and sixteen for IPv6, and matches an iPAddress entry whose octets are identical.
//! So an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, 16 octets) is never the IPv4 address
//! `192.0.2.1` (4 octets), and a DNS-ID never matches an IP host.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::error::{NameError, Reason};

/// Whether `host` should be read as an IP literal rather than a DNS name: it holds a `:` (or
/// starts with `[`), or it is made only of digits and dots.
pub(crate) fn looks_like_ip(host: &str) -> bool {
    host.starts_with('[')
        || host.contains(':')
        || (host.bytes().any(|b| b.is_ascii_digit())
            && host.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// Parses an IP literal strictly: a dotted quad of decimal octets without leading zeros, or an
/// RFC 4291 section 2.2 IPv6 text form without brackets or zone.
pub(crate) fn parse(host: &str) -> Result<IpAddr, NameError> {
    if host.starts_with('[') {
        return Err(NameError::Ipv6Brackets);
    }
    if host.contains(':') {
        if host.contains('%') {
            return Err(NameError::Ipv6Zone);
        }
        // The standard library accepts exactly the RFC 4291 section 2.2 forms: full, `::`
        // compressed, and with an embedded dotted quad (whose octets it also parses strictly).
        return host
            .parse::<Ipv6Addr>()
            .map(IpAddr::V6)
            .map_err(|_| NameError::Ipv6Syntax);
    }
    parse_ipv4(host).map(IpAddr::V4)
}

/// Compares an iPAddress entry (network byte order) with an IP host.
pub(crate) fn matches(presented: &[u8], host: IpAddr) -> Result<(), Reason> {
    match (presented.len(), host) {
        (4, IpAddr::V4(v4)) if presented == v4.octets() => Ok(()),
        (16, IpAddr::V6(v6)) if presented == v6.octets() => Ok(()),
        (4, IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_some_and(|m| presented == m.octets()) => {
            Err(Reason::Ipv4Mapped)
        }
        (16, IpAddr::V4(v4)) if presented == v4.to_ipv6_mapped().octets() => {
            Err(Reason::Ipv4Mapped)
        }
        (4 | 16, _) => Err(Reason::Different),
        (len, _) => Err(Reason::InvalidAddressLength { len }),
    }
}

/// The address an iPAddress entry holds, if it has a valid length.
pub(crate) fn presented_address(presented: &[u8]) -> Option<IpAddr> {
    if let Ok(octets) = <[u8; 4]>::try_from(presented) {
        Some(IpAddr::V4(Ipv4Addr::from(octets)))
    } else if let Ok(octets) = <[u8; 16]>::try_from(presented) {
        Some(IpAddr::V6(Ipv6Addr::from(octets)))
    } else {
        None
    }
}

fn parse_ipv4(host: &str) -> Result<Ipv4Addr, NameError> {
    let count = host.split('.').count();
    if count != 4 {
        return Err(NameError::Ipv4OctetCount { count });
    }
    let mut octets = [0u8; 4];
    for (index, (text, octet)) in host.split('.').zip(&mut octets).enumerate() {
        if text.is_empty() {
            return Err(NameError::Ipv4EmptyOctet { index });
        }
        if text.len() > 1 && text.starts_with('0') {
            return Err(NameError::Ipv4LeadingZero { index });
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NameError::Ipv4OctetCount { count });
        }
        *octet = text
            .parse()
            .map_err(|_| NameError::Ipv4OctetRange { index })?;
    }
    Ok(Ipv4Addr::from(octets))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTS: &[(&str, Result<&str, NameError>)] = &[
        // Strict dotted quads
        ("192.0.2.1", Ok("192.0.2.1")),
        ("0.0.0.0", Ok("0.0.0.0")),
        ("255.255.255.255", Ok("255.255.255.255")),
        ("010.0.0.1", Err(NameError::Ipv4LeadingZero { index: 0 })),
        ("1.2.3.00", Err(NameError::Ipv4LeadingZero { index: 3 })),
        ("127.1", Err(NameError::Ipv4OctetCount { count: 2 })),
        ("1.2.3.4.5", Err(NameError::Ipv4OctetCount { count: 5 })),
        ("1.2.3.4.", Err(NameError::Ipv4OctetCount { count: 5 })),
        ("1..3.4", Err(NameError::Ipv4EmptyOctet { index: 1 })),
        ("256.0.0.1", Err(NameError::Ipv4OctetRange { index: 0 })),
        (
            "1.2.3.99999999999999999999",
            Err(NameError::Ipv4OctetRange { index: 3 }),
        ),
        ("2130706433", Err(NameError::Ipv4OctetCount { count: 1 })),
        // RFC 4291 section 2.2 text forms
        ("2001:db8::1", Ok("2001:db8::1")),
        ("2001:DB8:0:0:0:0:0:1", Ok("2001:db8::1")),
        ("::", Ok("::")),
        ("::1", Ok("::1")),
        ("::ffff:192.0.2.1", Ok("::ffff:192.0.2.1")),
        ("::ffff:192.0.2.01", Err(NameError::Ipv6Syntax)),
        ("[::1]", Err(NameError::Ipv6Brackets)),
        ("fe80::1%eth0", Err(NameError::Ipv6Zone)),
        ("1:2:3:4:5:6:7:8:9", Err(NameError::Ipv6Syntax)),
        ("2001:db8:::1", Err(NameError::Ipv6Syntax)),
        ("example.com:443", Err(NameError::Ipv6Syntax)),
    ];

    #[test]
    fn ip_hosts_parse_strictly() {
        for &(host, expected) in HOSTS {
            assert!(
                looks_like_ip(host),
                "{host:?} should be read as an IP literal"
            );
            let parsed = parse(host).map(|ip| ip.to_string());
            assert_eq!(
                parsed.as_deref(),
                expected.as_ref().map(|s| *s),
                "parse({host:?})"
            );
        }
    }

    #[test]
    fn dns_names_are_not_ip_literals() {
        for host in ["example.com", "1.2.3.com", "0x7f.1", "a1"] {
            assert!(!looks_like_ip(host), "{host:?}");
        }
    }

    const MATCHES: &[(&[u8], &str, Result<(), Reason>)] = &[
        (&[192, 0, 2, 1], "192.0.2.1", Ok(())),
        (&[192, 0, 2, 2], "192.0.2.1", Err(Reason::Different)),
        (
            &[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            "2001:db8::1",
            Ok(()),
        ),
        (&[192, 0, 2, 1], "2001:db8::1", Err(Reason::Different)),
        // An IPv4-mapped IPv6 address is not the IPv4 address, in either direction.
        (
            &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1],
            "192.0.2.1",
            Err(Reason::Ipv4Mapped),
        ),
        (&[192, 0, 2, 1], "::ffff:192.0.2.1", Err(Reason::Ipv4Mapped)),
        // Lengths other than 4 and 16 are invalid entries.
        (
            &[],
            "192.0.2.1",
            Err(Reason::InvalidAddressLength { len: 0 }),
        ),
        (
            &[192, 0, 2, 1, 0],
            "192.0.2.1",
            Err(Reason::InvalidAddressLength { len: 5 }),
        ),
        // Some CAs wrongly encode a name constraint (address and mask) as an iPAddress.
        (
            &[192, 0, 2, 1, 255, 255, 255, 255],
            "192.0.2.1",
            Err(Reason::InvalidAddressLength { len: 8 }),
        ),
    ];

    #[test]
    fn presented_addresses_match_octet_for_octet() {
        for &(presented, host, expected) in MATCHES {
            let ip = parse(host).unwrap();
            assert_eq!(
                matches(presented, ip),
                expected,
                "matches({presented:?}, {host:?})"
            );
        }
    }
}
