//! palisade-trust against rustls-native-certs and OpenSSL's default verify paths, in one run.
//!
//! `cargo bench -p palisade-bench --bench trust`; ratios go to docs/BENCHMARKS.md. Before
//! measuring, the three are checked to agree on this machine's roots (the differential test
//! against rustls-native-certs, which cannot be a dev-dependency of the library crate).
#![allow(missing_docs, clippy::unwrap_used, clippy::print_stdout)]

use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use openssl::x509::store::X509StoreBuilder;
use palisade_trust::{EnvVars, TrustStore};

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

/// rustls-native-certs and palisade-trust agree on this machine, except for the certificates
/// palisade-trust deliberately keeps out of the TLS view (non-CA leaves such as Debian's
/// snakeoil, and distrusted roots).
fn differential() {
    let ours = TrustStore::system();
    let theirs = rustls_native_certs::load_native_certs();
    let ours_tls: BTreeSet<Vec<u8>> = ours.certificates().map(|c| c.to_vec()).collect();
    let ours_all: BTreeSet<Vec<u8>> = ours.anchors().iter().map(|a| a.der().to_vec()).collect();
    let theirs: BTreeSet<Vec<u8>> = theirs.certs.iter().map(|c| c.to_vec()).collect();
    let only_theirs: Vec<_> = theirs.difference(&ours_all).collect();
    let excluded: Vec<_> = theirs.difference(&ours_tls).collect();
    let only_ours: Vec<_> = ours_tls.difference(&theirs).collect();
    println!(
        "differential: rustls-native-certs {} certificates, palisade {} TLS anchors ({} in all); \
         only in rustls-native-certs: {}, kept out of palisade's TLS view: {}, only in palisade: {}",
        theirs.len(),
        ours_tls.len(),
        ours_all.len(),
        only_theirs.len(),
        excluded.len(),
        only_ours.len()
    );
    for der in &excluded {
        let anchor = ours.find(der).unwrap();
        println!(
            "  not a TLS anchor here: {} ({:?})",
            anchor.subject(),
            anchor.ca()
        );
    }
    assert!(only_theirs.is_empty() && only_ours.is_empty());
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = load
}
criterion_main!(benches);
