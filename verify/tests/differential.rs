//! Differential test against CPython's `ssl.match_hostname`, `service_identity` and OpenSSL's
//! `X509_check_host`, from the results `verify/scripts/gen_differential.py` recorded in
//! `tests/data/match_differential.txt`. Every disagreement must be explained by one of the
//! narrow `RULES`, each with its reason, and every rule must still apply, so the list stays
//! exact.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use palisade_verify::{Certificate, CnFallback, Policy, ServerName, verify_hostname};

/// One recorded disagreement: peer, certificate, host (as written in the file), our answer,
/// the peer's answer.
struct Difference<'a> {
    peer: &'a str,
    cert: &'a str,
    host: &'a str,
    ours: &'a str,
    theirs: &'a str,
}

/// Every intentional difference, as a narrow rule and its reason. The crate README lists the
/// same rules.
/// A reason and the predicate that recognizes its cases.
type Rule = (&'static str, fn(&Difference<'_>) -> bool);

const RULES: &[Rule] = &[
    (
        "one trailing dot on the host is ignored (a fully qualified name is the same host); \
         the peers compare it literally",
        |d| d.host.ends_with('.') && d.ours == "yes" && d.theirs == "no",
    ),
    (
        "a host whose A-label is not valid Punycode (xn--a) is an error; the peers compare it \
         (and a wildcard matches it)",
        |d| d.host == "xn--a.example.org" && d.ours == "error",
    ),
    (
        "U-label hosts are converted to A-labels (UTS #46); CPython and OpenSSL compare the \
         U-label text with the certificate's A-labels",
        |d| d.host.contains("\\x") && d.ours == "yes" && d.theirs == "no",
    ),
    (
        "two subjectAltName extensions make the certificate an error (RFC 5280 section 4.2); \
         OpenSSL and CPython ignore both and then even fall back to the subject CN",
        |d| d.cert == "duplicate_san" && d.ours == "error" && d.peer != "service_identity",
    ),
    (
        "an invalid presented name does not poison the certificate: CPython raises on \
         *.*.example.com before reaching the valid www.example.com",
        |d| {
            d.cert == "invalid_then_valid"
                && d.peer.starts_with("cpython")
                && d.ours == "yes"
                && d.theirs == "no"
        },
    ),
    (
        "an invalid presented name (*.*.example.com, or an IP address as a dNSName) does not \
         poison the certificate: service_identity refuses the whole certificate",
        |d| {
            matches!(d.cert, "invalid_then_valid" | "dns_ip_text")
                && d.peer == "service_identity"
                && d.theirs == "error"
        },
    ),
    (
        "a certificate without subjectAltName is a mismatch that lists its CN; \
         service_identity raises CertificateError",
        |d| {
            matches!(d.cert, "cn_only" | "no_names")
                && d.peer == "service_identity"
                && d.ours == "no"
                && d.theirs == "error"
        },
    ),
    (
        "a presented name with a trailing dot is invalid; OpenSSL matches it against a host \
         with a trailing dot",
        |d| {
            d.peer == "openssl"
                && d.cert == "invalid_then_valid"
                && d.host == "example.com."
                && d.ours == "no"
        },
    ),
    (
        "a wildcard matches a label with '_' (hosts may hold '_'); OpenSSL's wildcard matches \
         only letters, digits and '-'",
        |d| d.peer == "openssl" && d.host.starts_with('_') && d.ours == "yes" && d.theirs == "no",
    ),
    (
        "partial wildcards (f*, *o) are invalid (RFC 9525 section 6.3); OpenSSL's default \
         flags accept them",
        |d| d.peer == "openssl" && d.cert == "partial_wildcard" && d.theirs == "yes",
    ),
];

#[test]
fn differences_from_peers_are_exactly_the_listed_ones() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let table = fs::read_to_string(dir.join("match_differential.txt")).unwrap();
    let mut used = [0usize; RULES.len()];
    let mut unexplained = Vec::new();
    let mut differences = 0;
    let mut cases = 0;
    for (i, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 6, "line {}: {line:?}", i + 1);
        let (cert_name, host) = (fields[0], unescape(fields[1]));
        let der = fs::read(dir.join("certs").join(format!("{cert_name}.der"))).unwrap();
        let ours = |cn_fallback| {
            let Ok(cert) = Certificate::from_der(&der) else {
                return "error";
            };
            let Ok(name) = ServerName::try_from(host.as_str()) else {
                return "error";
            };
            let mut policy = Policy::default();
            policy.cn_fallback = cn_fallback;
            match verify_hostname(&cert, &name, &policy) {
                Ok(()) => "yes",
                Err(_) => "no",
            }
        };
        // CPython without CN and service_identity compare with our default policy; CPython
        // with CN and OpenSSL (which falls back to the CN by default) with the CN fallback on.
        let peers = [
            ("cpython", fields[2], ours(CnFallback::Deny)),
            ("cpython_cn", fields[3], ours(CnFallback::Allow)),
            ("service_identity", fields[4], ours(CnFallback::Deny)),
            ("openssl", fields[5], ours(CnFallback::Allow)),
        ];
        for (peer, theirs, ours) in peers {
            cases += 1;
            if theirs == ours {
                continue;
            }
            differences += 1;
            let d = Difference {
                peer,
                cert: cert_name,
                host: fields[1],
                ours,
                theirs,
            };
            match RULES.iter().position(|(_, rule)| rule(&d)) {
                Some(rule) => used[rule] += 1,
                None => unexplained.push(format!(
                    "{peer} {cert_name} {} ours={ours} theirs={theirs}",
                    fields[1]
                )),
            }
        }
    }
    println!("{cases} comparisons, {differences} intentional differences:");
    for ((reason, _), count) in RULES.iter().zip(used) {
        println!("  {count:4}  {reason}");
    }
    assert!(
        unexplained.is_empty(),
        "differences no rule explains:\n{}",
        unexplained.join("\n")
    );
    let unused: Vec<&str> = RULES
        .iter()
        .zip(used)
        .filter(|&(_, count)| count == 0)
        .map(|((reason, _), _)| *reason)
        .collect();
    assert!(unused.is_empty(), "rules that no longer apply: {unused:#?}");
}

/// Undoes Python's `unicode_escape` for the characters the generator writes.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let digits = match chars.next() {
            Some('x') => 2,
            Some('u') => 4,
            Some('U') => 8,
            Some('\\') => {
                out.push('\\');
                continue;
            }
            other => panic!("unknown escape \\{other:?} in {text:?}"),
        };
        let hex: String = chars.by_ref().take(digits).collect();
        let code = u32::from_str_radix(&hex, 16).unwrap();
        out.push(char::from_u32(code).unwrap());
    }
    out
}
