//! Property tests: ASCII case does not matter, one trailing dot on the host does not matter,
//! and a U-label host matches the A-label a certificate presents.
#![allow(clippy::unwrap_used)]

use palisade_verify::{Identity, Policy, ServerName, verify_identities};
use proptest::prelude::*;

/// A valid DNS label: letters, digits, `-` and `_`, not starting or ending with `-`, not all
/// digits (so that any label can be the last), and not an A-label (`xn--` must be followed by
/// valid Punycode, which random text is not).
fn label() -> impl Strategy<Value = String> {
    "[a-zA-Z_][a-zA-Z0-9_-]{0,20}[a-zA-Z0-9_]|[a-zA-Z_]"
        .prop_filter("random xn-- labels are invalid A-labels", |label| {
            !label.to_ascii_lowercase().starts_with("xn--")
        })
}

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 1..5).prop_map(|labels| labels.join("."))
}

fn flip_case(text: &str, mask: &[bool]) -> String {
    text.chars()
        .zip(mask.iter().cycle())
        .map(|(c, &flip)| {
            if flip {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn matches(presented: &str, host: &str) -> bool {
    let host = ServerName::try_from(host).unwrap();
    verify_identities(
        &[Identity::DnsName(presented.as_bytes().to_vec())],
        &host,
        &Policy::default(),
    )
    .is_ok()
}

proptest! {
    #[test]
    fn case_does_not_matter(name in name(), a in prop::collection::vec(any::<bool>(), 1..8),
                            b in prop::collection::vec(any::<bool>(), 1..8)) {
        prop_assert!(matches(&flip_case(&name, &a), &flip_case(&name, &b)));
    }

    #[test]
    fn wildcard_case_does_not_matter(first in label(), rest in prop::collection::vec(label(), 2..4),
                                     a in prop::collection::vec(any::<bool>(), 1..8)) {
        let suffix = rest.join(".");
        let host = format!("{first}.{suffix}");
        let ok1 = matches(&flip_case(&format!("*.{suffix}"), &a), &host);
        prop_assert!(ok1);
        // ... and a wildcard never matches the suffix itself or one more label.
        let ok2 = !matches(&format!("*.{suffix}"), &suffix);
        prop_assert!(ok2);
        let ok3 = !matches(&format!("*.{suffix}"), &format!("x.{host}"));
        prop_assert!(ok3);
    }

    #[test]
    fn one_trailing_dot_on_the_host_is_ignored(name in name()) {
        let plain = ServerName::try_from(name.as_str()).unwrap();
        let dotted = ServerName::try_from(format!("{name}.").as_str()).unwrap();
        prop_assert_eq!(&plain, &dotted);
        let ok4 = matches(&name, &format!("{name}."));
        prop_assert!(ok4);
        let ok5 = !matches(&format!("{name}."), &name);
        prop_assert!(ok5);
        let ok6 = ServerName::try_from(format!("{name}..").as_str()).is_err();
        prop_assert!(ok6);
    }

    #[test]
    fn u_label_and_a_label_hosts_are_the_same(
        unicode in "[a-z]{0,4}[\u{e0}-\u{f6}\u{f8}-\u{ff}\u{4e00}-\u{4e20}][a-z]{0,4}",
        suffix in name(),
    ) {
        let host = format!("{unicode}.{suffix}");
        let a_label = idna::domain_to_ascii(&host).unwrap();
        prop_assert!(a_label.starts_with("xn--"));
        let from_u = ServerName::try_from(host.as_str()).unwrap();
        let from_a = ServerName::try_from(a_label.as_str()).unwrap();
        prop_assert_eq!(&from_u, &from_a);
        prop_assert!(matches(&a_label, &host));
        prop_assert!(matches(&a_label.to_uppercase(), &host));
        // The raw U-label in a certificate is invalid and never matches.
        prop_assert!(!matches(&host, &host));
    }
}

/// Host-like text: name characters, dots, colons and brackets (IPv6), and some Unicode.
fn host_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9._:\\[\\]%*-]{0,40}",
        "[a-z0-9.\u{e0}-\u{ff}\u{4e00}-\u{4e08}-]{0,30}",
        any::<String>(),
        name(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A name that parses round-trips: its normalized text parses to the same name, and
    /// normalizing is idempotent.
    #[test]
    fn a_name_that_parses_round_trips(text in host_like()) {
        if let Ok(name) = ServerName::try_from(text.as_str()) {
            let normalized = name.to_string();
            let again = ServerName::try_from(normalized.as_str()).unwrap();
            prop_assert_eq!(&again, &name);
            prop_assert_eq!(again.to_string(), normalized);
        }
    }

    #[test]
    fn an_ip_address_round_trips(ip in any::<std::net::IpAddr>()) {
        let name = ServerName::from(ip);
        prop_assert_eq!(ServerName::try_from(name.to_string().as_str()).unwrap(), name);
    }
}
