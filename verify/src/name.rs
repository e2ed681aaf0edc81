//! The host a client wants to reach (RFC 9525's reference identity), validated once.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use crate::dns;
use crate::error::InvalidServerName;
use crate::ip;

/// A validated host: a DNS name in comparison form, or an IP address.
///
/// Untrusted text becomes a `ServerName` once, through [`TryFrom<&str>`] or [`FromStr`]:
///
/// - an IP literal (a strict dotted quad without leading zeros, or an RFC 4291 IPv6 text form
///   without brackets or zone) becomes [`ServerName::IpAddress`];
/// - anything else must be a DNS name: U-labels become A-labels (IDNA2008 with UTS #46
///   non-transitional mapping), one trailing dot is dropped, letters are lowercased, and the
///   labels must be 1 to 63 letters, digits, `-` or `_`, not starting or ending with `-`, at
///   most 253 octets in all, the last not all digits.
///
/// # Examples
///
/// ```
/// use palisade_verify::ServerName;
///
/// # fn main() -> Result<(), palisade_verify::InvalidServerName> {
/// let name = ServerName::try_from("Faß.de.")?;
/// assert_eq!(name.to_string(), "xn--fa-hia.de");
///
/// let ip: ServerName = "2001:DB8::1".parse()?;
/// assert_eq!(ip.to_string(), "2001:db8::1");
///
/// let err = ServerName::try_from("127.1").unwrap_err();
/// assert_eq!(err.to_string(), r#"invalid host "127.1": IPv4 address with 2 octets instead of 4"#);
/// # Ok(())
/// # }
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, Eq, Hash, PartialEq)]
pub enum ServerName {
    /// A DNS name.
    DnsName(DnsName),
    /// An IPv4 or IPv6 address.
    IpAddress(IpAddr),
}

impl TryFrom<&str> for ServerName {
    type Error = InvalidServerName;

    fn try_from(host: &str) -> Result<Self, Self::Error> {
        let invalid = |reason| InvalidServerName {
            input: host.to_owned(),
            reason,
        };
        if ip::looks_like_ip(host) && !host.is_empty() {
            return ip::parse(host).map(Self::IpAddress).map_err(invalid);
        }
        dns::normalize_host(host)
            .map(|name| Self::DnsName(DnsName(name)))
            .map_err(invalid)
    }
}

impl FromStr for ServerName {
    type Err = InvalidServerName;

    fn from_str(host: &str) -> Result<Self, Self::Err> {
        Self::try_from(host)
    }
}

impl From<IpAddr> for ServerName {
    fn from(ip: IpAddr) -> Self {
        Self::IpAddress(ip)
    }
}

impl fmt::Display for ServerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DnsName(name) => f.write_str(name.as_str()),
            Self::IpAddress(ip) => write!(f, "{ip}"),
        }
    }
}

/// A valid DNS host name in comparison form: ASCII, A-labels, lowercase, no trailing dot.
///
/// Made by [`ServerName::try_from`].
///
/// # Examples
///
/// ```
/// use palisade_verify::ServerName;
///
/// # fn main() -> Result<(), palisade_verify::InvalidServerName> {
/// let ServerName::DnsName(name) = ServerName::try_from("WWW.Example.com")? else {
///     unreachable!("not an IP literal")
/// };
/// assert_eq!(name.as_str(), "www.example.com");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Eq, Hash, PartialEq)]
pub struct DnsName(String);

impl DnsName {
    /// The name as ASCII text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for DnsName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DnsName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::NameError;

    // Host, its normalized form or the error. The issue's list of hosts that are errors even
    // when a certificate holds that exact string is here in full.
    const SERVER_NAMES: &[(&str, Result<&str, NameError>)] = &[
        ("example.com", Ok("example.com")),
        ("192.0.2.1", Ok("192.0.2.1")),
        ("::1", Ok("::1")),
        ("fa\u{df}.de", Ok("xn--fa-hia.de")),
        ("", Err(NameError::Empty)),
        (
            " ",
            Err(NameError::Character {
                byte: b' ',
                offset: 0,
            }),
        ),
        ("*", Err(NameError::WildcardHost)),
        (
            "/",
            Err(NameError::Character {
                byte: b'/',
                offset: 0,
            }),
        ),
        (":", Err(NameError::Ipv6Syntax)),
        (
            "@",
            Err(NameError::Character {
                byte: b'@',
                offset: 0,
            }),
        ),
        (
            "%",
            Err(NameError::Character {
                byte: b'%',
                offset: 0,
            }),
        ),
        ("a..b", Err(NameError::EmptyLabel { offset: 2 })),
        // Dots alone are an empty DNS name, not an IPv4 address with empty octets.
        (".", Err(NameError::Empty)),
        ("..", Err(NameError::EmptyLabel { offset: 1 })),
        ("1..2", Err(NameError::Ipv4OctetCount { count: 3 })),
        ("010.0.0.1", Err(NameError::Ipv4LeadingZero { index: 0 })),
        ("127.1", Err(NameError::Ipv4OctetCount { count: 2 })),
        ("256.0.0.1", Err(NameError::Ipv4OctetRange { index: 0 })),
        ("[::1]", Err(NameError::Ipv6Brackets)),
        ("fe80::1%25eth0", Err(NameError::Ipv6Zone)),
        ("example.com:443", Err(NameError::Ipv6Syntax)),
    ];

    #[test]
    fn server_names_validate_once() {
        for &(host, expected) in SERVER_NAMES {
            let got = ServerName::try_from(host);
            assert_eq!(
                got.as_ref().map(ToString::to_string).map_err(|e| e.reason),
                expected.map(str::to_owned),
                "ServerName::try_from({host:?})"
            );
            if let Err(err) = got {
                assert_eq!(err.input, host);
                assert!(err.to_string().starts_with("invalid host "), "{err}");
            }
        }
    }
}
