//! palisade-trust's PEM reader against rustls-pki-types' `PemObject`
//! (`CertificateDer::pem_slice_iter`): the same certificates in the same order from the fixture
//! bundles, from generated bundles (shuffled, re-wrapped, CRLF, prose and other blocks between,
//! a block with bad base64) and from this machine's bundle; and, where they part, that the
//! difference is the one src/pem.rs gives as its reason to keep its own scanner.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod util;

use std::fs;

use palisade_trust::Provenance;
use proptest::prelude::*;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;
use util::load_bundle;

/// The fixtures that are one plain `CERTIFICATE` block each, all distinct.
const PLAIN: &[&str] = &[
    include_str!("data/root_a.pem"),
    include_str!("data/root_b.pem"),
    include_str!("data/root_c.pem"),
    include_str!("data/root_company.pem"),
    include_str!("data/root_email.pem"),
    include_str!("data/root_expired.pem"),
    include_str!("data/root_rekeyed_1.pem"),
    include_str!("data/root_rekeyed_2.pem"),
    include_str!("data/leaf_a.pem"),
    include_str!("data/snakeoil.pem"),
];

/// Loads `bundle` as the only bundle of a fresh system root; its certificates in block order.
fn ours(bundle: &[u8]) -> Vec<Vec<u8>> {
    let store = load_bundle(bundle);
    let mut found: Vec<(usize, Vec<u8>)> = store
        .anchors()
        .iter()
        .map(|a| match &a.provenance()[0] {
            Provenance::File { block, .. } => (*block, a.der().to_vec()),
            other => panic!("unexpected provenance {other}"),
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, der)| der).collect()
}

/// rustls-pki-types' certificates, its errors skipped (as a loader that goes on would).
fn theirs(bundle: &[u8]) -> Vec<Vec<u8>> {
    CertificateDer::pem_slice_iter(bundle)
        .filter_map(Result::ok)
        .map(|c| c.to_vec())
        .collect()
}

/// The base64 text of a one-block PEM fixture, without line breaks.
fn body(pem: &str) -> String {
    pem.lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat()
}

#[test]
fn fixtures_agree() {
    for pem in PLAIN {
        let (a, b) = (ours(pem.as_bytes()), theirs(pem.as_bytes()));
        assert_eq!(a.len(), 1);
        assert_eq!(a, b);
    }
    let all = PLAIN.concat();
    assert_eq!(ours(all.as_bytes()), theirs(all.as_bytes()));
    assert_eq!(ours(all.as_bytes()).len(), PLAIN.len());
}

/// The machine's bundle (Debian's path), when there is one: each certificate once, in order.
#[test]
fn system_bundle_agrees() {
    let Ok(bundle) = fs::read("/etc/ssl/certs/ca-certificates.crt") else {
        return;
    };
    let mut expected = Vec::new();
    for der in theirs(&bundle) {
        if !expected.contains(&der) {
            expected.push(der);
        }
    }
    assert!(!expected.is_empty());
    assert_eq!(ours(&bundle), expected);
}

/// Where the two part, ours keeps what the scan in src/pem.rs is there to keep.
#[test]
fn where_they_differ_ours_keeps_the_good_blocks() {
    let (a, b) = (PLAIN[0], PLAIN[1]);
    let der_b = ours(b.as_bytes());
    // A block without its END line: pki-types reads on into the next block (whose base64 is
    // appended to this one's), so the next certificate is lost or comes out wrong.
    let cut = &a[..a.find("-----END").unwrap()];
    let bundle = format!("{cut}{b}");
    assert_eq!(ours(bundle.as_bytes()), der_b);
    assert_ne!(theirs(bundle.as_bytes()), der_b);
    // Indented BEGIN and END lines: pki-types sees prose.
    let indented: String = b.lines().map(|l| format!("  {l}\n")).collect();
    assert_eq!(ours(indented.as_bytes()), der_b);
    assert!(theirs(indented.as_bytes()).is_empty());
    // OpenSSL's TRUSTED CERTIFICATE (and the old X509 CERTIFICATE label): not pki-types'
    // certificates at all.
    for label in ["TRUSTED CERTIFICATE", "X509 CERTIFICATE"] {
        let relabelled = b.replace("CERTIFICATE", label);
        assert_eq!(ours(relabelled.as_bytes()), der_b, "{label}");
        assert!(theirs(relabelled.as_bytes()).is_empty(), "{label}");
    }
    // Base64 without its `=` padding: pki-types takes it, ours reports InvalidBase64.
    let padded = PLAIN.iter().find(|p| body(p).ends_with('=')).unwrap();
    let unpadded = padded.replace('=', "");
    assert!(ours(unpadded.as_bytes()).is_empty());
    assert_eq!(theirs(unpadded.as_bytes()), ours(padded.as_bytes()));
    let trusted = include_str!("data/root_a_trusted.pem");
    assert!(theirs(trusted.as_bytes()).is_empty());
    assert_eq!(ours(trusted.as_bytes()).len(), 1);
}

/// How one block is written out.
#[derive(Clone, Debug)]
struct Layout {
    width: usize,
    crlf: bool,
    trailing_blanks: bool,
    /// Text put before the block.
    before: &'static str,
    /// Whether one base64 character becomes a `!` (both must drop exactly this block).
    bad_base64: Option<usize>,
}

const BETWEEN: &[&str] = &[
    "",
    "\n",
    "# A comment line, as ca-certificates writes none but admins do\n",
    "subject=CN = Example\nissuer=CN = Example\n",
    "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
    "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n",
    "-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n",
];

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop::sample::select(vec![64usize, 76, 40, 1 << 20]),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(BETWEEN.to_vec()),
        prop::option::weighted(0.15, any::<usize>()),
    )
        .prop_map(
            |(width, crlf, trailing_blanks, before, bad_base64)| Layout {
                width,
                crlf,
                trailing_blanks,
                before,
                bad_base64,
            },
        )
}

fn write_block(pem: &str, layout: &Layout) -> String {
    let mut text = body(pem);
    if let Some(at) = layout.bad_base64 {
        let at = at % text.len();
        text.replace_range(at..=at, "!");
    }
    let eol = if layout.crlf { "\r\n" } else { "\n" };
    let mut out = format!("{}-----BEGIN CERTIFICATE-----{eol}", layout.before);
    for line in text.as_bytes().chunks(layout.width) {
        out.push_str(std::str::from_utf8(line).unwrap());
        if layout.trailing_blanks {
            out.push_str(" \t");
        }
        out.push_str(eol);
    }
    out.push_str("-----END CERTIFICATE-----");
    out.push_str(eol);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn generated_bundles_agree(
        order in Just((0..PLAIN.len()).collect::<Vec<_>>()).prop_shuffle(),
        count in 1..=PLAIN.len(),
        layouts in prop::collection::vec(layout(), PLAIN.len()),
    ) {
        let mut bundle = String::new();
        let mut good = 0;
        for (&i, layout) in order[..count].iter().zip(&layouts) {
            bundle.push_str(&write_block(PLAIN[i], layout));
            good += usize::from(layout.bad_base64.is_none());
        }
        let (a, b) = (ours(bundle.as_bytes()), theirs(bundle.as_bytes()));
        prop_assert_eq!(a.len(), good);
        prop_assert_eq!(a, b);
    }
}
