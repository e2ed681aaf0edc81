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
use palisade_trust::{CachedTrustStore, DirectoryScan, EnvVars, TrustStore};

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
    for der in &only_theirs {
        let why = match with_dir.find(der) {
            Some(anchor) if !anchor.is_tls_server_anchor() => {
                format!("{:?}, purposes {}", anchor.ca(), anchor.purposes())
            }
            Some(_) => panic!("a TLS root that only the directory holds was missed"),
            None => format!("distrusted: {}", with_dir.distrusted().len()),
        };
        let subject = with_dir.find(der).map_or("?", |a| a.subject());
        println!("  only in rustls-native-certs: {subject} ({why})");
    }
    assert!(only_ours.is_empty());
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = load
}
criterion_main!(benches);
