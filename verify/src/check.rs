//! Whether a certificate's presented identifiers name the host, per RFC 9525 section 6.

use crate::cert::{Certificate, Identity};
use crate::dns;
use crate::error::{CommonNameIgnored, NameMismatch, Reason, Rejected};
use crate::ip;
use crate::name::ServerName;

/// Checks that a certificate is valid for a host.
///
/// DNS hosts match only subjectAltName dNSName entries, IP hosts only iPAddress entries; the
/// subject CN is consulted only under [`CnFallback::Allow`], and then only when the certificate
/// has no dNSName at all and the host is a DNS name. Invalid entries never match but do not
/// stop a later valid entry from matching.
///
/// # Errors
///
/// [`NameMismatch`] lists every presented identifier and why each did not match.
///
/// # Examples
///
/// ```
/// use palisade_verify::{Certificate, Policy, ServerName, verify_hostname};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let cert = Certificate::from_pem(include_bytes!("../tests/data/certs/dns_wildcard.pem"))?;
/// verify_hostname(&cert, &ServerName::try_from("www.example.com")?, &Policy::default())?;
///
/// let err = verify_hostname(&cert, &ServerName::try_from("example.com")?, &Policy::default())
///     .unwrap_err();
/// assert!(err.to_string().contains(
///     r#"dNSName "*.example.com": a wildcard matches exactly one label: it has 3 labels, the host 2"#
/// ));
/// # Ok(())
/// # }
/// ```
pub fn verify_hostname(
    cert: &Certificate,
    host: &ServerName,
    policy: &Policy,
) -> Result<(), NameMismatch> {
    verify_identities(cert.identities(), host, policy)
}

/// Checks a list of presented identifiers, for callers who parsed the certificate themselves.
///
/// The rules are those of [`verify_hostname`]; pass subjectAltName entries in certificate
/// order and subject common names as [`Identity::CommonName`].
///
/// # Errors
///
/// [`NameMismatch`] lists every identifier and why each did not match.
///
/// # Examples
///
/// ```
/// use palisade_verify::{CnFallback, Identity, Policy, ServerName, verify_identities};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let host = ServerName::try_from("example.com")?;
/// let legacy = [Identity::CommonName(b"example.com".to_vec())];
/// assert!(verify_identities(&legacy, &host, &Policy::default()).is_err());
///
/// let mut policy = Policy::default();
/// policy.cn_fallback = CnFallback::Allow;
/// verify_identities(&legacy, &host, &policy)?;
/// # Ok(())
/// # }
/// ```
pub fn verify_identities(
    presented: &[Identity],
    host: &ServerName,
    policy: &Policy,
) -> Result<(), NameMismatch> {
    // The common case, a match, is decided without allocating; the explanation is only built
    // when nothing matched.
    let has_dns_names = presented
        .iter()
        .any(|id| matches!(id, Identity::DnsName(_)));
    if presented
        .iter()
        .any(|id| accepts(id, host, policy, has_dns_names))
    {
        return Ok(());
    }
    Err(NameMismatch {
        expected: host.to_string(),
        presented: presented
            .iter()
            .filter_map(|id| {
                let reason = judge(id, host, policy, has_dns_names).err()?;
                Some(Rejected {
                    identity: id.clone(),
                    reason,
                })
            })
            .collect(),
    })
}

/// What the verifier accepts beyond RFC 9525's defaults.
///
/// # Examples
///
/// ```
/// use palisade_verify::{CnFallback, Policy};
///
/// let mut policy = Policy::default();
/// assert_eq!(policy.cn_fallback, CnFallback::Deny);
/// policy.cn_fallback = CnFallback::Allow;
/// assert_eq!(policy, Policy::default().with_cn_fallback(CnFallback::Allow));
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub struct Policy {
    /// Whether the subject CN may stand in for a missing subjectAltName.
    pub cn_fallback: CnFallback,
}

impl Policy {
    /// This policy with `cn_fallback` set: `Policy::default().with_cn_fallback(..)` builds one
    /// in an expression (the struct is `#[non_exhaustive]`, so a literal cannot).
    #[must_use]
    pub const fn with_cn_fallback(mut self, cn_fallback: CnFallback) -> Self {
        self.cn_fallback = cn_fallback;
        self
    }
}

/// The legacy subject-CN fallback (the "CN-ID" of RFC 6125, which RFC 9525 no longer supports).
///
/// RFC 6125 section 6.4.4: "if and only if the presented identifiers do not include a DNS-ID,
/// SRV-ID, URI-ID, or any application-specific identifier types supported by the client, then
/// the client MAY as a last resort check for a string whose form matches that of a fully
/// qualified DNS domain name in a Common Name field of the subject field". Palisade's fallback
/// is narrower: only a missing dNSName enables it, and only for DNS hosts.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub enum CnFallback {
    /// When the certificate has no dNSName and the host is a DNS name, each subject CN is
    /// matched as a DNS-ID, with the same rules.
    Allow,
    /// The subject CN is never a DNS-ID (the default).
    #[default]
    Deny,
}

/// Whether one identifier matches: `judge(..).is_ok()`, with a faster path for dNSNames.
fn accepts(id: &Identity, host: &ServerName, policy: &Policy, has_dns_names: bool) -> bool {
    match (id, host) {
        (Identity::DnsName(name), ServerName::DnsName(host)) => dns::is_match(name, host.as_str()),
        // Not a catch-all decision: every other case goes to `judge`, which lists them all.
        _ => judge(id, host, policy, has_dns_names).is_ok(),
    }
}

/// Decides one identifier. Every combination is listed: no catch-all arm may fail open.
fn judge(
    id: &Identity,
    host: &ServerName,
    policy: &Policy,
    has_dns_names: bool,
) -> Result<(), Reason> {
    match (id, host) {
        (Identity::DnsName(name), ServerName::DnsName(host)) => dns::matches(name, host.as_str()),
        (Identity::DnsName(_), ServerName::IpAddress(_)) => Err(Reason::DnsNameForIpHost),
        (Identity::IpAddress(octets), ServerName::IpAddress(ip)) => ip::matches(octets, *ip),
        (Identity::IpAddress(octets), ServerName::DnsName(_)) => {
            if ip::presented_address(octets).is_some() {
                Err(Reason::IpAddressForDnsHost)
            } else {
                Err(Reason::InvalidAddressLength { len: octets.len() })
            }
        }
        (Identity::CommonName(name), ServerName::DnsName(host)) => {
            match (policy.cn_fallback, has_dns_names) {
                (CnFallback::Deny, _) => {
                    Err(Reason::CommonNameIgnored(CommonNameIgnored::FallbackOff))
                }
                (CnFallback::Allow, true) => {
                    Err(Reason::CommonNameIgnored(CommonNameIgnored::HasDnsNames))
                }
                (CnFallback::Allow, false) => dns::matches(name, host.as_str()),
            }
        }
        (Identity::CommonName(_), ServerName::IpAddress(_)) => match policy.cn_fallback {
            CnFallback::Allow => Err(Reason::CommonNameIgnored(CommonNameIgnored::IpHost)),
            CnFallback::Deny => Err(Reason::CommonNameIgnored(CommonNameIgnored::FallbackOff)),
        },
        (Identity::Other { .. }, _) => Err(Reason::UnsupportedType),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::NameError;

    fn dns(name: &str) -> Identity {
        Identity::DnsName(name.as_bytes().to_vec())
    }

    fn cn(name: &str) -> Identity {
        Identity::CommonName(name.as_bytes().to_vec())
    }

    fn ip(octets: &[u8]) -> Identity {
        Identity::IpAddress(octets.to_vec())
    }

    /// What each identifier should do: `None` for the one that matches.
    type Case = (&'static str, Vec<Identity>, CnFallback, Vec<Option<Reason>>);

    fn cases() -> Vec<Case> {
        use CnFallback::{Allow, Deny};
        let different = Some(Reason::Different);
        let off = Some(Reason::CommonNameIgnored(CommonNameIgnored::FallbackOff));
        vec![
            // An invalid entry does not poison the certificate.
            (
                "www.example.com",
                vec![dns("*.*.example.com"), dns("www.example.com")],
                Deny,
                vec![
                    Some(Reason::InvalidName(NameError::MultipleWildcards)),
                    None,
                ],
            ),
            // The CN is ignored by default, even when it is the host.
            ("example.com", vec![cn("example.com")], Deny, vec![off]),
            ("example.com", vec![cn("example.com")], Allow, vec![None]),
            // ... and with the fallback, only when there is no dNSName at all, even an
            // invalid one.
            (
                "example.com",
                vec![dns("example.com."), cn("example.com")],
                Allow,
                vec![
                    Some(Reason::InvalidName(NameError::TrailingDot)),
                    Some(Reason::CommonNameIgnored(CommonNameIgnored::HasDnsNames)),
                ],
            ),
            // An iPAddress entry does not disable the fallback (it is not a DNS-ID).
            (
                "example.com",
                vec![ip(&[192, 0, 2, 1]), cn("example.com")],
                Allow,
                vec![Some(Reason::IpAddressForDnsHost), None],
            ),
            // The fallback CN follows the DNS-ID rules.
            (
                "www.example.com",
                vec![cn("*.example.com")],
                Allow,
                vec![None],
            ),
            (
                "www.example.com",
                vec![cn("w*.example.com")],
                Allow,
                vec![Some(Reason::InvalidName(NameError::PartialWildcard))],
            ),
            // Never for IP hosts.
            (
                "192.0.2.1",
                vec![cn("192.0.2.1")],
                Allow,
                vec![Some(Reason::CommonNameIgnored(CommonNameIgnored::IpHost))],
            ),
            // IP hosts match only iPAddress entries, DNS hosts only dNSName entries.
            (
                "192.0.2.1",
                vec![dns("192.0.2.1"), ip(&[192, 0, 2, 1])],
                Deny,
                vec![Some(Reason::DnsNameForIpHost), None],
            ),
            (
                "example.com",
                vec![ip(&[192, 0, 2, 1]), dns("example.org")],
                Deny,
                vec![Some(Reason::IpAddressForDnsHost), different],
            ),
            (
                "example.com",
                vec![ip(&[1, 2, 3])],
                Deny,
                vec![Some(Reason::InvalidAddressLength { len: 3 })],
            ),
            // Other SAN types never match.
            (
                "example.com",
                vec![Identity::Other {
                    tag: 6,
                    value: b"https://example.com/".to_vec(),
                }],
                Deny,
                vec![Some(Reason::UnsupportedType)],
            ),
            ("example.com", vec![], Deny, vec![]),
        ]
    }

    #[test]
    fn every_identifier_is_explained() {
        for (host, ids, cn_fallback, expected) in cases() {
            let host = ServerName::try_from(host).unwrap();
            let policy = Policy { cn_fallback };
            let result = verify_identities(&ids, &host, &policy);
            let want_ok = expected.iter().any(Option::is_none);
            assert_eq!(
                result.is_ok(),
                want_ok,
                "{host} {ids:?} {policy:?}: {result:?}"
            );
            for (id, want) in ids.iter().zip(&expected) {
                let has_dns = ids.iter().any(|i| matches!(i, Identity::DnsName(_)));
                assert_eq!(
                    judge(id, &host, &policy, has_dns).err(),
                    *want,
                    "{host} {id}"
                );
            }
            if let Err(mismatch) = result {
                assert_eq!(mismatch.expected, host.to_string());
                let reasons: Vec<Option<Reason>> =
                    mismatch.presented.iter().map(|r| Some(r.reason)).collect();
                assert_eq!(reasons, expected, "{mismatch}");
            }
        }
    }

    #[test]
    fn mismatch_message_lists_every_identifier() {
        let host = ServerName::try_from("example.com").unwrap();
        let ids = [dns("*.example.com"), ip(&[192, 0, 2, 1]), cn("example.com")];
        let err = verify_identities(&ids, &host, &Policy::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "certificate is not valid for \"example.com\": dNSName \"*.example.com\": a \
             wildcard matches exactly one label: it has 3 labels, the host 2; iPAddress \
             192.0.2.1: an IP address, but the host is a DNS name; subject CN \"example.com\": \
             ignored: the subject CN is not a DNS-ID unless CN fallback is enabled"
        );
        let err = verify_identities(&[], &host, &Policy::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "certificate is not valid for \"example.com\": it presents no identifiers"
        );
    }
}
