//! palisade-trust against rustls-native-certs and OpenSSL's default verify paths, in one run.
//!
//! `cargo bench -p palisade-bench --bench trust`; ratios go to docs/BENCHMARKS.md. Before
//! measuring, the three are checked to agree on this machine's roots (the differential test
//! against rustls-native-certs, which cannot be a dev-dependency of the library crate).
#![allow(missing_docs, clippy::unwrap_used, clippy::print_stdout)]

use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::{Criterion, criterion_group, criterion_main};
use openssl::x509::store::X509StoreBuilder;
use palisade_trust::{CachedTrustStore, DirectoryScan, EnvVars, TrustStore, Verdict};

/// The environment of this machine sets SSL_CERT_FILE and SSL_CERT_DIR to the system's own
/// bundle and directory; each loader is measured on what it does by default with them.
fn load(c: &mut Criterion) {
    differential();
    let mut group = c.benchmark_group("trust_system");
    group.bench_function("palisade_system", |b| {
        b.iter(|| black_box(TrustStore::system()))
    });
    group.bench_function("palisade_no_env", |b| {
        b.iter(|| black_box(TrustStore::builder().env_vars(EnvVars::none()).build()))
    });
    let cache = CachedTrustStore::new(TrustStore::builder());
    group.bench_function("palisade_cached_get", |b| b.iter(|| black_box(cache.get())));
    group.bench_function("rustls_native_certs", |b| {
        b.iter(|| black_box(rustls_native_certs::load_native_certs()))
    });
    group.bench_function("openssl_set_default_paths", |b| {
        b.iter(|| {
            let mut builder = X509StoreBuilder::new().unwrap();
            builder.set_default_paths().unwrap();
            black_box(builder.build())
        })
    });
    group.bench_function("openssl_load_bundle", |b| {
        b.iter(|| {
            let bytes = std::fs::read("/etc/ssl/certs/ca-certificates.crt").unwrap();
            black_box(openssl::x509::X509::stack_from_pem(&bytes).unwrap())
        })
    });
    group.finish();
}

/// rustls-native-certs and palisade-trust agree on this machine, except for what
/// palisade-trust deliberately leaves out of its TLS view: certificates that only the hashed
/// directory holds and that are not CAs (Debian's snakeoil leaf), and distrusted roots.
fn differential() {
    let ours = TrustStore::system();
    let with_dir = TrustStore::builder()
        .directory_scan(DirectoryScan::Always)
        .build();
    let theirs = rustls_native_certs::load_native_certs();
    let ours: BTreeSet<Vec<u8>> = ours.certificates().map(|c| c.to_vec()).collect();
    let theirs: BTreeSet<Vec<u8>> = theirs.certs.iter().map(|c| c.to_vec()).collect();
    let only_theirs: Vec<_> = theirs.difference(&ours).collect();
    let only_ours: Vec<_> = ours.difference(&theirs).collect();
    println!(
        "differential: rustls-native-certs {} certificates, palisade {} TLS anchors; \
         only in rustls-native-certs: {}, only in palisade: {}",
        theirs.len(),
        ours.len(),
        only_theirs.len(),
        only_ours.len()
    );
    // Every certificate only rustls-native-certs has must be one palisade-trust leaves out on
    // purpose, and says why: found with the directory read but not a TLS anchor (a leaf, or a
    // purpose other than serverAuth), or distrusted. Anything else is a root we missed.
    for der in &only_theirs {
        let explanation = with_dir
            .explain(der, SystemTime::now())
            .expect("rustls-native-certs returned a certificate palisade-trust cannot parse");
        let why = match &explanation.verdict {
            Verdict::RejectedPurpose(anchor) => {
                format!("{:?}, purposes {}", anchor.ca(), anchor.purposes())
            }
            Verdict::Distrusted(by) => {
                let sources: Vec<String> = by.iter().map(|d| d.provenance.to_string()).collect();
                format!("distrusted by {}", sources.join(", "))
            }
            other => panic!(
                "a root rustls-native-certs finds is missing here: {} ({other:?})",
                explanation.subject
            ),
        };
        println!(
            "  only in rustls-native-certs: {} ({why})",
            explanation.subject
        );
    }
    assert!(
        only_ours.is_empty(),
        "only in palisade: {}",
        only_ours.len()
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = load
}
criterion_main!(benches);
