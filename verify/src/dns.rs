//! DNS names: validating a host (reference identity), validating a presented DNS-ID, and
//! matching one against the other, per RFC 9525 (<https://www.rfc-editor.org/rfc/rfc9525>).
//!
//! How presented DNS-IDs match a host (the host is always valid and already in A-label form):
//!
//! ```text
//! Presented ID       Host                 Result
//! example.com        example.com          match
//! EXAMPLE.com        example.COM          match   (ASCII case-insensitive)
//! example.com        example.com.         match   (one trailing dot on the host is ignored)
//! example.com.       example.com          never   (trailing dot in a certificate: invalid)
//! *.example.com      www.example.com      match   (exactly one label)
//! *.example.com      example.com          no      (the wildcard cannot be empty)
//! *.example.com      a.b.example.com      no      (nor more than one label)
//! *.com              example.com          never   (fewer than two labels after '*')
//! w*.example.com     www.example.com      never   (partial wildcard)
//! xn--*.example.com  xn--a.example.com    never   (wildcard inside an A-label)
//! www.*.example.com  www.a.example.com    never   (wildcard not left-most)
//! xn--fa-hia.de      faß.de               match   (the host becomes an A-label)
//! ```
//!
//! "never" means the presented name is invalid: it matches no host, but the certificate's
//! other names are still tried.

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

use crate::error::{NameError, Reason};

/// Turns a host that is not an IP literal into its comparison form: IDNA2008 A-labels with
/// UTS #46 non-transitional mapping, lowercase, without one trailing dot, then checked against
/// the DNS label rules.
pub(crate) fn normalize_host(host: &str) -> Result<String, NameError> {
    if host.is_empty() {
        return Err(NameError::Empty);
    }
    // RFC 9525 section 6.3 (https://www.rfc-editor.org/rfc/rfc9525#section-6.3), as RFC 6125
    // section 6.4.2 before it: "If the DNS
    // domain name portion of a reference identifier is an internationalized domain name, then
    // the client MUST convert any U-labels [IDNA-DEFS] in the domain name to A-labels before
    // checking the domain name." UTS #46 also maps case, full-width forms and ideographic full
    // stops. The ASCII deny list is empty because our own label rules below are stricter and
    // say which byte is wrong.
    let ascii = Uts46::new()
        .to_ascii(
            host.as_bytes(),
            AsciiDenyList::EMPTY,
            Hyphens::Allow,
            DnsLength::Ignore,
        )
        .map_err(|_| NameError::Idna)?;
    // A fully qualified name may end in one dot; it names the same host.
    let name = ascii.strip_suffix('.').unwrap_or(&ascii);
    check(name.as_bytes(), Role::Host)?;
    Ok(name.to_ascii_lowercase())
}

/// Matches one presented DNS-ID against a valid host in comparison form.
pub(crate) fn matches(presented: &[u8], host: &str) -> Result<(), Reason> {
    let shape = check(presented, Role::Presented).map_err(Reason::InvalidName)?;
    let host = host.as_bytes();
    match shape.wildcard {
        Wildcard::Absent => {
            if presented.eq_ignore_ascii_case(host) {
                Ok(())
            } else {
                Err(Reason::Different)
            }
        }
        Wildcard::LeftmostLabel => {
            // RFC 9525 section 6.3: a wildcard in a presented identifier matches exactly one
            // label of the reference identifier (unlike a DNS wildcard, which may match more).
            // RFC 6125 section 6.4.3 gave the example: "*.example.com would match
            // foo.example.com but not bar.foo.example.com or example.com". `check` guarantees
            // the presented name starts with "*.".
            let host_labels = host.iter().filter(|&&b| b == b'.').count() + 1;
            if host_labels != shape.labels {
                return Err(Reason::WildcardLabelCount {
                    presented: shape.labels,
                    host: host_labels,
                });
            }
            let host_suffix = host
                .iter()
                .position(|&b| b == b'.')
                .map_or(&[][..], |dot| &host[dot..]);
            if presented[1..].eq_ignore_ascii_case(host_suffix) {
                Ok(())
            } else {
                Err(Reason::Different)
            }
        }
    }
}

/// Whether a presented DNS-ID matches a valid host in comparison form: the answer of
/// [`matches`] without the reason, and faster on the common no-match.
pub(crate) fn is_match(presented: &[u8], host: &str) -> bool {
    match presented.first() {
        // A wildcard needs the full checks.
        Some(b'*') => matches(presented, host).is_ok(),
        // Otherwise only an equal name can match. The host is valid and the label rules do
        // not depend on case, so an equal name is valid too; it is checked anyway, and only
        // then, so that the rule lives in one place.
        _ => {
            presented.eq_ignore_ascii_case(host.as_bytes())
                && check(presented, Role::Presented).is_ok()
        }
    }
}

/// Whose name is being checked.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Role {
    /// The host the caller wants to reach (reference identifier): no wildcards.
    Host,
    /// A DNS-ID from a certificate: a left-most `*` label is allowed.
    Presented,
}

/// Whether a valid name is a wildcard.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Wildcard {
    Absent,
    LeftmostLabel,
}

/// What `check` learns about a valid name.
#[derive(Clone, Copy, Debug)]
struct Shape {
    labels: usize,
    wildcard: Wildcard,
}

/// The label rules shared by hosts and presented DNS-IDs, plus the wildcard rules of RFC 9525
/// section 6.3 for presented ones.
fn check(name: &[u8], role: Role) -> Result<Shape, NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.ends_with(b".") {
        // A host had its one trailing dot removed already; a second one is an empty label.
        return Err(match role {
            Role::Host => NameError::EmptyLabel { offset: name.len() },
            Role::Presented => NameError::TrailingDot,
        });
    }
    if name.len() > MAX_NAME_LEN {
        return Err(NameError::TooLong { len: name.len() });
    }
    let stars = name.iter().filter(|&&b| b == b'*').count();
    match (role, stars) {
        (_, 0) => {}
        (Role::Host, _) => return Err(NameError::WildcardHost),
        (Role::Presented, 1) => {}
        (Role::Presented, _) => return Err(NameError::MultipleWildcards),
    }
    let mut labels = 0;
    let mut offset = 0;
    let mut last_all_digits = false;
    let mut wildcard = Wildcard::Absent;
    for label in name.split(|&b| b == b'.') {
        if label.is_empty() {
            return Err(NameError::EmptyLabel { offset });
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(NameError::LabelTooLong {
                offset,
                len: label.len(),
            });
        }
        if label.contains(&b'*') {
            // RFC 9525 section 6.3 allows a wildcard only when there is one `*` and it is the
            // complete content of the left-most label; any other presented identifier with a
            // `*` is invalid and ignored. RFC 6125 section 6.4.3 already said the client
            // "SHOULD NOT attempt to match a presented identifier where the wildcard character
            // is embedded within an A-label or U-label", which gets its own error here.
            if labels > 0 {
                return Err(NameError::WildcardNotLeftmost);
            }
            if label != b"*" {
                return Err(
                    if label.len() >= 4 && label[..4].eq_ignore_ascii_case(b"xn--") {
                        NameError::WildcardInALabel
                    } else {
                        NameError::PartialWildcard
                    },
                );
            }
            wildcard = Wildcard::LeftmostLabel;
        } else {
            // RFC 1123 section 2.1 host labels (letters, digits, hyphen), plus the underscore
            // that real certificates and resolvers use (`_acme-challenge`, SRV-style names).
            if let Some(i) = label
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
            {
                return Err(NameError::Character {
                    byte: label[i],
                    offset: offset + i,
                });
            }
            if label.starts_with(b"-") || label.ends_with(b"-") {
                return Err(NameError::Hyphen { offset });
            }
        }
        last_all_digits = label.iter().all(u8::is_ascii_digit);
        labels += 1;
        offset += label.len() + 1;
    }
    if last_all_digits {
        return Err(NameError::NumericLastLabel);
    }
    if wildcard == Wildcard::LeftmostLabel && labels < 3 {
        return Err(NameError::WildcardTooFewLabels);
    }
    Ok(Shape { labels, wildcard })
}

/// RFC 1035 section 2.3.4: "labels 63 octets or less", "names 255 octets or less" on the wire,
/// which is 253 octets of text without the trailing dot.
const MAX_LABEL_LEN: usize = 63;
const MAX_NAME_LEN: usize = 253;

#[cfg(test)]
mod tests {
    use super::*;

    // Presented DNS-ID, host (a valid reference), expected result.
    const PRESENTED_MATCHES_HOST: &[(&str, &str, Result<(), Reason>)] = &[
        // Exact, case-insensitive (RFC 9525 section 6.3, RFC 4343)
        ("example.com", "example.com", Ok(())),
        ("EXAMPLE.com", "example.com", Ok(())),
        ("www.example.com", "example.com", Err(Reason::Different)),
        ("example.com", "www.example.com", Err(Reason::Different)),
        ("example.co", "example.com", Err(Reason::Different)),
        ("_acme.example.com", "_acme.example.com", Ok(())),
        ("a-b.example.com", "a-b.example.com", Ok(())),
        ("xn--fa-hia.de", "xn--fa-hia.de", Ok(())),
        ("XN--FA-HIA.DE", "xn--fa-hia.de", Ok(())),
        // One label exactly (RFC 9525 section 6.3), with RFC 6125 section 6.4.3's examples:
        // *.example.com matches foo.example.com, not bar.foo.example.com or example.com
        ("*.example.com", "foo.example.com", Ok(())),
        (
            "*.example.com",
            "bar.foo.example.com",
            Err(Reason::WildcardLabelCount {
                presented: 3,
                host: 4,
            }),
        ),
        (
            "*.example.com",
            "example.com",
            Err(Reason::WildcardLabelCount {
                presented: 3,
                host: 2,
            }),
        ),
        ("*.EXAMPLE.COM", "www.example.com", Ok(())),
        ("*.example.com", "www.example.org", Err(Reason::Different)),
        (
            "*.example.com",
            "www.notexample.com",
            Err(Reason::Different),
        ),
        ("*.example.com", "xn--fa-hia.example.com", Ok(())),
        ("*.a.b.example.com", "x.a.b.example.com", Ok(())),
        // RFC 6125 section 6.4.3 examples, now invalid under RFC 9525 section 6.3
        (
            "baz*.example.net",
            "baz1.example.net",
            inv(NameError::PartialWildcard),
        ),
        (
            "*baz.example.net",
            "foobaz.example.net",
            inv(NameError::PartialWildcard),
        ),
        (
            "b*z.example.net",
            "buzz.example.net",
            inv(NameError::PartialWildcard),
        ),
        ("*.example.net", "foo.example.net", Ok(())),
        // Invalid wildcards never match
        ("*.com", "example.com", inv(NameError::WildcardTooFewLabels)),
        ("*", "example", inv(NameError::WildcardTooFewLabels)),
        ("*.", "example.com", inv(NameError::TrailingDot)),
        (
            "*.*.example.com",
            "a.b.example.com",
            inv(NameError::MultipleWildcards),
        ),
        (
            "**.example.com",
            "a.example.com",
            inv(NameError::MultipleWildcards),
        ),
        (
            "www.*.example.com",
            "www.a.example.com",
            inv(NameError::WildcardNotLeftmost),
        ),
        (
            "example.*",
            "example.com",
            inv(NameError::WildcardNotLeftmost),
        ),
        (
            "xn--*.example.com",
            "xn--a.example.com",
            inv(NameError::WildcardInALabel),
        ),
        (
            "XN--*.example.com",
            "xn--a.example.com",
            inv(NameError::WildcardInALabel),
        ),
        ("*.xn--fa-hia.de", "www.xn--fa-hia.de", Ok(())),
        // Invalid presented names never match, even a host spelled the same
        ("", "example.com", inv(NameError::Empty)),
        ("example.com.", "example.com", inv(NameError::TrailingDot)),
        (
            ".example.com",
            "example.com",
            inv(NameError::EmptyLabel { offset: 0 }),
        ),
        (
            "example..com",
            "example.com",
            inv(NameError::EmptyLabel { offset: 8 }),
        ),
        (
            "exa mple.com",
            "example.com",
            inv(NameError::Character {
                byte: b' ',
                offset: 3,
            }),
        ),
        (
            "example.com\0.evil.com",
            "example.com",
            inv(NameError::Character {
                byte: 0,
                offset: 11,
            }),
        ),
        (
            "fa\u{df}.de",
            "xn--fa-hia.de",
            inv(NameError::Character {
                byte: 0xc3,
                offset: 2,
            }),
        ),
        (
            "-example.com",
            "example.com",
            inv(NameError::Hyphen { offset: 0 }),
        ),
        (
            "example-.com",
            "example.com",
            inv(NameError::Hyphen { offset: 0 }),
        ),
        (
            "example.com-",
            "example.com",
            inv(NameError::Hyphen { offset: 8 }),
        ),
        (
            "example.123",
            "example.com",
            inv(NameError::NumericLastLabel),
        ),
        ("1.2.3.4", "example.com", inv(NameError::NumericLastLabel)),
    ];

    const fn inv(err: NameError) -> Result<(), Reason> {
        Err(Reason::InvalidName(err))
    }

    #[test]
    fn presented_matches_host() {
        for &(presented, host, expected) in PRESENTED_MATCHES_HOST {
            assert_eq!(
                matches(presented.as_bytes(), host),
                expected,
                "matches({presented:?}, {host:?})"
            );
            assert_eq!(
                is_match(presented.as_bytes(), host),
                expected.is_ok(),
                "is_match({presented:?}, {host:?})"
            );
        }
    }

    proptest::proptest! {
        /// The fast path agrees with the full one on arbitrary presented bytes.
        #[test]
        fn is_match_agrees_with_matches(
            presented in proptest::collection::vec(
                proptest::sample::select(b"ab*.-_0\xc3 ".to_vec()), 0..12),
            host in "[ab_]([ab0-]{0,2}[ab])?(\\.[ab]([ab0-]{0,2}[ab])?){0,3}",
        ) {
            let host = normalize_host(&host).unwrap();
            proptest::prop_assert_eq!(
                is_match(&presented, &host),
                matches(&presented, &host).is_ok()
            );
        }
    }

    // Host as given, its comparison form or the error.
    const HOSTS: &[(&str, Result<&str, NameError>)] = &[
        ("example.com", Ok("example.com")),
        ("Example.COM", Ok("example.com")),
        ("example.com.", Ok("example.com")),
        ("localhost", Ok("localhost")),
        ("_srv.example.com", Ok("_srv.example.com")),
        ("1.2.3.com", Ok("1.2.3.com")),
        ("a.b-c.d", Ok("a.b-c.d")),
        // IDNA2008 with UTS #46 non-transitional processing: ß stays (as an A-label)
        ("fa\u{df}.de", Ok("xn--fa-hia.de")),
        ("b\u{fc}cher.example", Ok("xn--bcher-kva.example")),
        ("B\u{dc}CHER.example", Ok("xn--bcher-kva.example")),
        ("xn--bcher-kva.example", Ok("xn--bcher-kva.example")),
        (
            "\u{4f8b}\u{3048}.\u{30c6}\u{30b9}\u{30c8}",
            Ok("xn--r8jz45g.xn--zckzah"),
        ),
        // Ideographic full stop and full-width letters are mapped (UTS #46)
        ("example\u{3002}com", Ok("example.com")),
        ("\u{ff45}xample.com", Ok("example.com")),
        ("xn--zz.example", Err(NameError::Idna)),
        ("", Err(NameError::Empty)),
        (".", Err(NameError::Empty)),
        ("example.com..", Err(NameError::EmptyLabel { offset: 12 })),
        ("a..b", Err(NameError::EmptyLabel { offset: 2 })),
        (".example.com", Err(NameError::EmptyLabel { offset: 0 })),
        (
            "exa mple.com",
            Err(NameError::Character {
                byte: b' ',
                offset: 3,
            }),
        ),
        (
            "a/b.com",
            Err(NameError::Character {
                byte: b'/',
                offset: 1,
            }),
        ),
        (
            "user@example.com",
            Err(NameError::Character {
                byte: b'@',
                offset: 4,
            }),
        ),
        (
            "a%2e.com",
            Err(NameError::Character {
                byte: b'%',
                offset: 1,
            }),
        ),
        ("*.example.com", Err(NameError::WildcardHost)),
        ("*", Err(NameError::WildcardHost)),
        ("-a.com", Err(NameError::Hyphen { offset: 0 })),
        ("a-.com", Err(NameError::Hyphen { offset: 0 })),
        ("example.123", Err(NameError::NumericLastLabel)),
        ("0x7f.1", Err(NameError::NumericLastLabel)),
    ];

    #[test]
    fn hosts_normalize_or_say_why_not() {
        for &(host, expected) in HOSTS {
            assert_eq!(
                normalize_host(host).as_deref(),
                expected.as_ref().map(|s| *s),
                "normalize_host({host:?})"
            );
        }
    }

    #[test]
    fn length_limits() {
        let label63 = "a".repeat(63);
        let label64 = "a".repeat(64);
        assert!(normalize_host(&format!("{label63}.com")).is_ok());
        assert_eq!(
            normalize_host(&format!("{label64}.com")),
            Err(NameError::LabelTooLong { offset: 0, len: 64 })
        );
        // Three labels of 63 octets and one of 61, with three dots: 253 octets, the longest.
        let longest = format!("{label63}.{label63}.{label63}.{}", "a".repeat(61));
        assert_eq!(longest.len(), 253);
        assert!(normalize_host(&longest).is_ok(), "{longest}");
        assert!(normalize_host(&format!("{longest}.")).is_ok());
        assert_eq!(
            normalize_host(&format!("a{longest}")),
            Err(NameError::TooLong { len: 254 })
        );
        assert_eq!(
            matches(format!("{longest}.").as_bytes(), &longest),
            Err(Reason::InvalidName(NameError::TrailingDot))
        );
        assert_eq!(matches(longest.as_bytes(), &longest), Ok(()));
    }
}
