//! Certificates made by `verify/scripts/gen_certs.sh` (openssl CLI), read as PEM and as DER, and
//! checked against hosts with the expected reason for every presented identifier.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::PathBuf;

use palisade_verify::{
    Certificate, CertificateError, CnFallback, CommonNameIgnored, Identity, NameError, Policy,
    Reason, ServerName, verify_hostname, verify_identities,
};

fn load(name: &str) -> Certificate {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "data", "certs"]
        .iter()
        .collect();
    let der = fs::read(dir.join(format!("{name}.der"))).unwrap();
    let pem = fs::read(dir.join(format!("{name}.pem"))).unwrap();
    let from_der = Certificate::from_der(&der).unwrap();
    assert_eq!(
        Certificate::from_pem(&pem).unwrap(),
        from_der,
        "{name}: PEM and DER differ"
    );
    assert_eq!(Certificate::from_pem_or_der(&pem).unwrap(), from_der);
    assert_eq!(Certificate::from_pem_or_der(&der).unwrap(), from_der);
    from_der
}

fn dns(name: &str) -> Identity {
    Identity::DnsName(name.as_bytes().to_vec())
}

fn cn(name: &str) -> Identity {
    Identity::CommonName(name.as_bytes().to_vec())
}

#[test]
fn identities_are_read_in_order() {
    let table: &[(&str, Vec<Identity>)] = &[
        (
            "dns_wildcard",
            vec![dns("*.example.com"), dns("example.org"), cn("example.com")],
        ),
        ("cn_only", vec![cn("example.com")]),
        ("no_names", vec![]),
        (
            "ip_v4",
            vec![
                Identity::IpAddress(vec![192, 0, 2, 1]),
                Identity::IpAddress(vec![
                    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                ]),
                cn("192.0.2.1"),
            ],
        ),
        (
            "many_types",
            vec![
                Identity::Other {
                    tag: 1,
                    value: b"a@example.com".to_vec(),
                },
                Identity::Other {
                    tag: 6,
                    value: b"https://example.com/".to_vec(),
                },
                dns("example.com"),
                Identity::IpAddress(vec![198, 51, 100, 7]),
                cn("types"),
            ],
        ),
    ];
    for (name, expected) in table {
        assert_eq!(load(name).identities(), expected.as_slice(), "{name}");
    }
}

/// Certificate, host, CN fallback, then `None` for a match or the reason for each identifier.
type Case = (&'static str, &'static str, CnFallback, Option<Vec<Reason>>);

fn cases() -> Vec<Case> {
    use CnFallback::{Allow, Deny};
    let inv = Reason::InvalidName;
    let off = Reason::CommonNameIgnored(CommonNameIgnored::FallbackOff);
    vec![
        ("dns_wildcard", "www.example.com", Deny, None),
        ("dns_wildcard", "EXAMPLE.org.", Deny, None),
        (
            "dns_wildcard",
            "example.com",
            Deny,
            Some(vec![
                Reason::WildcardLabelCount {
                    presented: 3,
                    host: 2,
                },
                Reason::Different,
                off,
            ]),
        ),
        (
            "dns_wildcard",
            "example.com",
            Allow,
            Some(vec![
                Reason::WildcardLabelCount {
                    presented: 3,
                    host: 2,
                },
                Reason::Different,
                Reason::CommonNameIgnored(CommonNameIgnored::HasDnsNames),
            ]),
        ),
        ("cn_only", "example.com", Deny, Some(vec![off])),
        ("cn_only", "example.com", Allow, None),
        ("no_names", "example.com", Allow, Some(vec![])),
        ("ip_v4", "192.0.2.1", Deny, None),
        ("ip_v4", "2001:db8::1", Deny, None),
        (
            "ip_v4",
            "192.0.2.2",
            Allow,
            Some(vec![
                Reason::Different,
                Reason::Different,
                Reason::CommonNameIgnored(CommonNameIgnored::IpHost),
            ]),
        ),
        (
            "ip_mapped",
            "192.0.2.1",
            Deny,
            Some(vec![Reason::Ipv4Mapped, off]),
        ),
        ("ip_mapped", "::ffff:192.0.2.1", Deny, None),
        ("idna", "fa\u{df}.de", Deny, None),
        ("idna", "www.b\u{fc}cher.example", Deny, None),
        (
            "idna",
            "fass.de",
            Deny,
            Some(vec![
                Reason::Different,
                Reason::WildcardLabelCount {
                    presented: 3,
                    host: 2,
                },
                off,
            ]),
        ),
        ("invalid_then_valid", "www.example.com", Deny, None),
        (
            "invalid_then_valid",
            "example.com",
            Allow,
            Some(vec![
                inv(NameError::MultipleWildcards),
                inv(NameError::PartialWildcard),
                inv(NameError::WildcardTooFewLabels),
                inv(NameError::TrailingDot),
                Reason::Different,
                Reason::CommonNameIgnored(CommonNameIgnored::HasDnsNames),
            ]),
        ),
        (
            "partial_wildcard",
            "foo.example.com",
            Deny,
            Some(vec![
                inv(NameError::PartialWildcard),
                inv(NameError::PartialWildcard),
                inv(NameError::WildcardInALabel),
                off,
            ]),
        ),
        (
            "many_types",
            "a.example.com",
            Deny,
            Some(vec![
                Reason::UnsupportedType,
                Reason::UnsupportedType,
                Reason::Different,
                Reason::IpAddressForDnsHost,
                off,
            ]),
        ),
        ("many_types", "198.51.100.7", Deny, None),
    ]
}

#[test]
fn certificates_match_hosts_with_reasons() {
    for (name, host, cn_fallback, expected) in cases() {
        let cert = load(name);
        let server = ServerName::try_from(host).unwrap();
        let mut policy = Policy::default();
        policy.cn_fallback = cn_fallback;
        let got = verify_hostname(&cert, &server, &policy)
            .map_err(|m| m.presented.iter().map(|r| r.reason).collect::<Vec<_>>())
            .err();
        assert_eq!(got, expected, "{name} for {host:?} ({cn_fallback:?})");
    }
}

#[test]
fn unreadable_certificates_are_errors() {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "data", "certs"]
        .iter()
        .collect();
    let dup = fs::read(dir.join("duplicate_san.der")).unwrap();
    assert_eq!(
        Certificate::from_der(&dup),
        Err(CertificateError::DuplicateSubjectAltName)
    );
    let good = fs::read(dir.join("dns_single.der")).unwrap();
    let mut trailing = good.clone();
    trailing.extend_from_slice(b"\0\0");
    assert_eq!(
        Certificate::from_der(&trailing),
        Err(CertificateError::TrailingData { len: 2 })
    );
    for len in 0..good.len() {
        assert!(
            Certificate::from_der(&good[..len]).is_err(),
            "truncated to {len}"
        );
    }
    let err = Certificate::from_der(b"hello").unwrap_err();
    assert_eq!(
        err.to_string(),
        "not an X.509 certificate: it starts with byte 0x68, not a DER SEQUENCE (PEM needs a \
         \"-----BEGIN CERTIFICATE-----\" line)"
    );
    assert!(matches!(
        Certificate::from_pem(b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n"),
        Err(CertificateError::Pem { .. })
    ));
    // A key before the certificate is skipped; the first CERTIFICATE block is read.
    let pem = fs::read(dir.join("dns_single.pem")).unwrap();
    let with_key = [
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".as_slice(),
        &pem,
    ]
    .concat();
    assert_eq!(
        Certificate::from_pem(&with_key).unwrap(),
        Certificate::from_der(&good).unwrap()
    );
}

/// Cases from RFC 9525, RFC 6125, CPython's `test_ssl` and rustls-webpki, in
/// `tests/data/dns_id_cases.txt`, with the outcome under our policy.
#[test]
fn dns_id_cases_from_standards_and_peers() {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "data",
        "dns_id_cases.txt",
    ]
    .iter()
    .collect();
    let text = fs::read_to_string(path).unwrap();
    let mut count = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.split("  #").next().unwrap();
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(" | ").collect();
        assert_eq!(fields.len(), 3, "line {}: {line:?}", i + 1);
        let (presented, host, expected) = (unescape(fields[0]), unescape(fields[1]), fields[2]);
        let got = match ServerName::try_from(String::from_utf8_lossy(&host).as_ref()) {
            Err(_) => "host-error",
            Ok(server) => {
                let ids = [Identity::DnsName(presented.clone())];
                match verify_identities(&ids, &server, &Policy::default()) {
                    Ok(()) => "match",
                    Err(m) => match m.presented[0].reason {
                        Reason::InvalidName(_) => "invalid",
                        _ => "no",
                    },
                }
            }
        };
        assert_eq!(
            got,
            expected.trim(),
            "line {}: presented {:?}, host {:?}",
            i + 1,
            presented.escape_ascii().to_string(),
            String::from_utf8_lossy(&host)
        );
        count += 1;
    }
    assert!(count > 40, "only {count} cases read");
}

/// `\xNN` becomes one byte, `\u{...}` a UTF-8 character.
fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        rest = &rest[at + 1..];
        if let Some(hex) = rest.strip_prefix('x') {
            out.push(u8::from_str_radix(&hex[..2], 16).unwrap());
            rest = &hex[2..];
        } else {
            let end = rest.find('}').unwrap();
            let code = u32::from_str_radix(&rest[2..end], 16).unwrap();
            let mut buf = [0; 4];
            out.extend_from_slice(
                char::from_u32(code)
                    .unwrap()
                    .encode_utf8(&mut buf)
                    .as_bytes(),
            );
            rest = &rest[end + 1..];
        }
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

/// PEM as people have it: after `openssl x509 -text` output, with CRLF line ends, or as a
/// chain whose first certificate is the leaf.
#[test]
fn pem_variants_are_read() {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "data", "certs"]
        .iter()
        .collect();
    let pem = fs::read_to_string(dir.join("dns_single.pem")).unwrap();
    let leaf = load("dns_single");
    let with_text = format!("Certificate:\n    Data:\n        Version: 3 (0x2)\n{pem}");
    let crlf = pem.replace('\n', "\r\n");
    let chain = format!(
        "{pem}{}",
        fs::read_to_string(dir.join("dns_wildcard.pem")).unwrap()
    );
    for (what, text) in [("text", with_text), ("crlf", crlf), ("chain", chain)] {
        assert_eq!(
            Certificate::from_pem_or_der(text.as_bytes()).unwrap(),
            leaf,
            "{what}"
        );
    }
}
