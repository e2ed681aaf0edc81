//! Interleaved ratio run for `docs/BENCHMARKS.md`: `TrustStore::system()` against
//! rustls-native-certs and OpenSSL's default verify paths, timed round-robin so that load from
//! other processes on this 2-core machine falls on all three alike; then the median of each
//! and its ratio to palisade-trust.
//!
//! `cargo bench -p palisade-bench --bench trust_ratios [-- ROUNDS]`
//!
//! The criterion bench (`--bench trust`) gives a confidence interval per loader, and checks
//! that palisade-trust and rustls-native-certs agree on this machine's roots; this gives the
//! ratios, which on a shared machine are steadier than two intervals taken minutes apart.
#![allow(missing_docs, clippy::unwrap_used, clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use openssl::x509::store::X509StoreBuilder;
use palisade_trust::TrustStore;

/// A loader under test: loads once and returns how many certificates it found.
type Loader = (&'static str, fn() -> usize);

/// Calls per loader per round: enough to amortise the clock, few enough that a round is short.
const BATCH: u32 = 5;

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let loaders: [Loader; 3] = [
        ("palisade system()", || {
            TrustStore::system().tls_anchors().count()
        }),
        ("rustls-native-certs", || {
            rustls_native_certs::load_native_certs().certs.len()
        }),
        ("openssl set_default_paths", || {
            let mut builder = X509StoreBuilder::new().unwrap();
            builder.set_default_paths().unwrap();
            builder.build().all_certificates().len()
        }),
    ];
    for (name, load) in &loaders {
        println!("{name:<28} {} certificates", load());
    }
    let mut samples = vec![Vec::with_capacity(rounds); loaders.len()];
    for round in 0..rounds {
        // Alternate which loader goes first, so that none always runs on a cold cache.
        for k in 0..loaders.len() {
            let i = (k + round) % loaders.len();
            let start = Instant::now();
            for _ in 0..BATCH {
                black_box((loaders[i].1)());
            }
            samples[i].push(start.elapsed().as_secs_f64() * 1e6 / f64::from(BATCH));
        }
    }
    println!(
        "\n{rounds} interleaved rounds of {BATCH} loads; median time per load; ratio = peer / palisade"
    );
    let ours = median(&samples[0]);
    for ((name, _), s) in loaders.iter().zip(&samples) {
        let m = median(s);
        println!("{name:<28} {m:>9.0} µs {:>7.2}x", m / ours);
    }
}

fn median(samples: &[f64]) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}
