//! A known-answer self-test, for `palisade doctor` and for callers who want to check the build.

use crate::cert::Identity;
use crate::check::{CnFallback, Policy, verify_identities};
use crate::name::ServerName;

/// Runs a built-in table of RFC 9525 cases (wildcards, IDNA, IP addresses, CN fallback) and
/// reports which passed.
///
/// # Examples
///
/// ```
/// let report = palisade_verify::self_test();
/// assert!(report.failures.is_empty(), "{:?}", report.failures);
/// assert!(report.passed > 10);
/// ```
pub fn self_test() -> SelfTest {
    let mut report = SelfTest {
        passed: 0,
        failures: Vec::new(),
    };
    for &(presented, host, fallback, expected) in CASES {
        let ids: Vec<Identity> = presented.iter().map(|p| identity(p)).collect();
        let policy = Policy {
            cn_fallback: fallback,
        };
        let got = ServerName::try_from(host)
            .map_err(|e| e.to_string())
            .map(|name| verify_identities(&ids, &name, &policy).is_ok());
        if got == Ok(expected) {
            report.passed += 1;
        } else {
            report.failures.push(format!(
                "{presented:?} for {host:?} ({fallback:?}): expected {expected}, got {got:?}"
            ));
        }
    }
    report
}

/// The outcome of [`self_test`].
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct SelfTest {
    /// How many cases gave the expected answer.
    pub passed: usize,
    /// One line per case that did not.
    pub failures: Vec<String>,
}

/// `dns:NAME`, `ip:ADDRESS` or `cn:NAME`.
fn identity(spec: &str) -> Identity {
    match spec.split_once(':') {
        Some(("ip", address)) => Identity::IpAddress(match address.parse() {
            Ok(std::net::IpAddr::V4(v4)) => v4.octets().to_vec(),
            Ok(std::net::IpAddr::V6(v6)) => v6.octets().to_vec(),
            // An unparseable address in the table becomes an invalid (empty) entry, which the
            // expected answers then catch.
            Err(_) => Vec::new(),
        }),
        Some(("cn", name)) => Identity::CommonName(name.as_bytes().to_vec()),
        Some((_, name)) => Identity::DnsName(name.as_bytes().to_vec()),
        None => Identity::DnsName(spec.as_bytes().to_vec()),
    }
}

type Case = (&'static [&'static str], &'static str, CnFallback, bool);

const CASES: &[Case] = &[
    (&["dns:example.com"], "EXAMPLE.com.", CnFallback::Deny, true),
    (
        &["dns:*.example.com"],
        "www.example.com",
        CnFallback::Deny,
        true,
    ),
    (
        &["dns:*.example.com"],
        "example.com",
        CnFallback::Deny,
        false,
    ),
    (
        &["dns:*.example.com"],
        "a.b.example.com",
        CnFallback::Deny,
        false,
    ),
    (&["dns:*.com"], "example.com", CnFallback::Deny, false),
    (
        &["dns:f*.example.com"],
        "foo.example.com",
        CnFallback::Deny,
        false,
    ),
    (
        &["dns:xn--*.example.com"],
        "xn--fa-hia.example.com",
        CnFallback::Deny,
        false,
    ),
    (
        &["dns:example.com."],
        "example.com",
        CnFallback::Deny,
        false,
    ),
    (
        &["dns:*.*.example.com", "dns:www.example.com"],
        "www.example.com",
        CnFallback::Deny,
        true,
    ),
    (
        &["dns:xn--fa-hia.de"],
        "fa\u{df}.de",
        CnFallback::Deny,
        true,
    ),
    (&["dns:xn--fa-hia.de"], "fass.de", CnFallback::Deny, false),
    (&["ip:192.0.2.1"], "192.0.2.1", CnFallback::Deny, true),
    (&["dns:192.0.2.1"], "192.0.2.1", CnFallback::Deny, false),
    (
        &["ip:::ffff:192.0.2.1"],
        "192.0.2.1",
        CnFallback::Deny,
        false,
    ),
    (&["ip:2001:db8::1"], "2001:DB8:0::1", CnFallback::Deny, true),
    (&["cn:example.com"], "example.com", CnFallback::Deny, false),
    (&["cn:example.com"], "example.com", CnFallback::Allow, true),
    (
        &["dns:other.example", "cn:example.com"],
        "example.com",
        CnFallback::Allow,
        false,
    ),
];
