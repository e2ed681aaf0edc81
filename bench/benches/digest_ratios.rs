//! Interleaved ratio run for `docs/BENCHMARKS.md`: the cases of the `digest` criterion bench,
//! timed round-robin so that load from other processes on this 2-core machine falls on all
//! peers alike; then the median of each case and its ratio to palisade-digest.
//!
//! `cargo bench -p palisade-bench --bench digest_ratios [-- ROUNDS] [-- GROUP-SUBSTRING]`
//!
//! A word that is not a number keeps only the groups whose name contains it (e.g. `mac-trait`).
//!
//! Criterion (`--bench digest`) gives a confidence interval per case; this gives the ratios.
//! Every peer's output is checked against palisade-digest's first.
#![allow(clippy::unwrap_used, clippy::print_stdout)] // a report printed by a bench binary

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::generic_mac;

use openssl::hash::MessageDigest as Md;
use palisade_digest::{
    Algorithm, HmacKey, HmacSha256, compare_digest, digest, hmac_digest, pbkdf2_hmac,
};
use rustcrypto_hmac::{KeyInit as _, Mac as _};
use rustcrypto_sha2::Digest as _;
use subtle::ConstantTimeEq as _;

/// Writes its result into the buffer, so the timed loop allocates only where the peer's own
/// API does.
type Op = Box<dyn FnMut(&mut Vec<u8>)>;

/// `op!(expr)`: an [`Op`] whose result is `expr` (anything `AsRef<[u8]>`).
macro_rules! op {
    ($e:expr) => {
        Box::new(move |out: &mut Vec<u8>| {
            let result = $e;
            out.clear();
            out.extend_from_slice(AsRef::<[u8]>::as_ref(&result));
        }) as Op
    };
}

struct Case {
    group: String,
    name: &'static str,
    op: Op,
    batch: u32,
    samples: Vec<f64>,
}

fn data(len: usize) -> &'static [u8] {
    let v: Vec<u8> = (0..len)
        .map(|i| (i.wrapping_mul(131) >> 3).to_le_bytes()[0])
        .collect();
    v.leak()
}

fn openssl_hasher(md: Md, d: &'static [u8]) -> Op {
    let mut h = openssl::hash::Hasher::new(md).unwrap();
    op!({
        h.update(black_box(d)).unwrap();
        h.finish().unwrap()
    })
}

fn hash_cases(out: &mut Vec<(String, &'static str, Op)>) {
    for (size, label) in [(64, "64B"), (1024, "1KiB"), (1 << 20, "1MiB")] {
        let d = data(size);
        let g = |alg: Algorithm| format!("hash {} {label}", alg.name());
        let rows: Vec<(Algorithm, &'static str, Op)> = vec![
            (
                Algorithm::Sha256,
                "palisade",
                op!(digest(Algorithm::Sha256, black_box(d))),
            ),
            (
                Algorithm::Sha256,
                "rustcrypto",
                op!(rustcrypto_sha2::Sha256::digest(black_box(d))),
            ),
            (
                Algorithm::Sha256,
                "ring",
                op!(ring::digest::digest(&ring::digest::SHA256, black_box(d))),
            ),
            (
                Algorithm::Sha256,
                "openssl",
                op!(openssl::sha::sha256(black_box(d))),
            ),
            (
                Algorithm::Sha512,
                "palisade",
                op!(digest(Algorithm::Sha512, black_box(d))),
            ),
            (
                Algorithm::Sha512,
                "rustcrypto",
                op!(rustcrypto_sha2::Sha512::digest(black_box(d))),
            ),
            (
                Algorithm::Sha512,
                "ring",
                op!(ring::digest::digest(&ring::digest::SHA512, black_box(d))),
            ),
            (
                Algorithm::Sha512,
                "openssl",
                op!(openssl::sha::sha512(black_box(d))),
            ),
            (
                Algorithm::Md5,
                "palisade",
                op!(digest(Algorithm::Md5, black_box(d))),
            ),
            (
                Algorithm::Md5,
                "rustcrypto",
                op!(<rustcrypto_md5::Md5 as rustcrypto_md5::Digest>::digest(
                    black_box(d)
                )),
            ),
            (Algorithm::Md5, "openssl", openssl_hasher(Md::md5(), d)),
            (
                Algorithm::Sha3_256,
                "palisade",
                op!(digest(Algorithm::Sha3_256, black_box(d))),
            ),
            (
                Algorithm::Sha3_256,
                "rustcrypto",
                op!(<rustcrypto_sha3::Sha3_256 as rustcrypto_sha3::Digest>::digest(black_box(d))),
            ),
            (
                Algorithm::Sha3_256,
                "openssl",
                openssl_hasher(Md::sha3_256(), d),
            ),
            (
                Algorithm::Blake2b,
                "palisade",
                op!(digest(Algorithm::Blake2b, black_box(d))),
            ),
            (
                Algorithm::Blake2b,
                "rustcrypto",
                op!(
                    <rustcrypto_blake2::Blake2b512 as rustcrypto_blake2::Digest>::digest(
                        black_box(d)
                    )
                ),
            ),
            (
                Algorithm::Blake2b,
                "openssl",
                openssl_hasher(Md::from_name("BLAKE2b512").unwrap(), d),
            ),
        ];
        out.extend(rows.into_iter().map(|(alg, name, op)| (g(alg), name, op)));
    }
}

fn mac_cases(out: &mut Vec<(String, &'static str, Op)>) {
    type RcHmac = rustcrypto_hmac::Hmac<rustcrypto_sha2::Sha256>;
    type RcHmac012 = rustcrypto_hmac_012::Hmac<sha2::Sha256>;
    let (key, msg) = (data(32), data(64));
    let prepared = HmacKey::new(key, Algorithm::Sha256).unwrap();
    let rc = RcHmac::new_from_slice(key).unwrap();
    let rc012 = <RcHmac012 as rustcrypto_hmac_012::Mac>::new_from_slice(key).unwrap();
    let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let fresh = "hmac-sha256 64B fresh key";
    let reused = "hmac-sha256 64B reused key";
    let rows: Vec<(&str, &'static str, Op)> = vec![
        (
            fresh,
            "palisade",
            op!(hmac_digest(black_box(key), black_box(msg), Algorithm::Sha256).unwrap()),
        ),
        (
            fresh,
            "rustcrypto",
            op!({
                let mut m = RcHmac::new_from_slice(black_box(key)).unwrap();
                m.update(black_box(msg));
                m.finalize().into_bytes()
            }),
        ),
        (
            fresh,
            "ring",
            op!({
                let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, black_box(key));
                ring::hmac::sign(&k, black_box(msg))
            }),
        ),
        (
            fresh,
            "openssl",
            op!({
                let k = openssl::pkey::PKey::hmac(black_box(key)).unwrap();
                let mut s = openssl::sign::Signer::new(Md::sha256(), &k).unwrap();
                s.update(black_box(msg)).unwrap();
                s.sign_to_vec().unwrap()
            }),
        ),
        (reused, "palisade", op!(prepared.mac(black_box(msg)))),
        (
            reused,
            "rustcrypto",
            op!({
                let mut m = rc.clone();
                m.update(black_box(msg));
                m.finalize().into_bytes()
            }),
        ),
        (
            reused,
            "rustcrypto-0.12",
            op!({
                let mut m = rc012.clone();
                rustcrypto_hmac_012::Mac::update(&mut m, black_box(msg));
                rustcrypto_hmac_012::Mac::finalize(m).into_bytes()
            }),
        ),
        (
            reused,
            "ring",
            op!(ring::hmac::sign(&ring_key, black_box(msg))),
        ),
    ];
    out.extend(
        rows.into_iter()
            .map(|(g, name, op)| (g.to_owned(), name, op)),
    );

    const ITERATIONS: u32 = 600_000;
    let (pw, salt): (&[u8], &[u8]) = (b"correct horse battery staple", b"NaCl and pepper");
    let g = "pbkdf2-sha256 600k";
    let rows: Vec<(&str, &'static str, Op)> = vec![
        (
            g,
            "palisade",
            op!(pbkdf2_hmac(Algorithm::Sha256, pw, salt, black_box(ITERATIONS), 32).unwrap()),
        ),
        (
            g,
            "rustcrypto",
            op!({
                let mut o = [0; 32];
                rustcrypto_pbkdf2::pbkdf2_hmac::<rustcrypto_sha2::Sha256>(
                    pw,
                    salt,
                    black_box(ITERATIONS),
                    &mut o,
                );
                o
            }),
        ),
        (
            g,
            "ring",
            op!({
                let mut o = [0; 32];
                let n = std::num::NonZeroU32::new(black_box(ITERATIONS)).unwrap();
                ring::pbkdf2::derive(ring::pbkdf2::PBKDF2_HMAC_SHA256, n, salt, pw, &mut o);
                o
            }),
        ),
        (
            g,
            "openssl",
            op!({
                let mut o = [0; 32];
                openssl::pkcs5::pbkdf2_hmac(
                    pw,
                    salt,
                    black_box(ITERATIONS) as usize,
                    Md::sha256(),
                    &mut o,
                )
                .unwrap();
                o
            }),
        ),
    ];
    out.extend(
        rows.into_iter()
            .map(|(g, name, op)| (g.to_owned(), name, op)),
    );
}

/// `HmacSha256` and RustCrypto's `Hmac<Sha256>` through the same generic `Mac` code, a fresh
/// key per MAC, and as the PRF of RustCrypto's generic `pbkdf2`.
fn mac_trait_cases(out: &mut Vec<(String, &'static str, Op)>) {
    type RcHmac = rustcrypto_hmac::Hmac<rustcrypto_sha2::Sha256>;
    let key = data(32);
    for (size, label) in [(64, "64B"), (1024, "1KiB"), (16 << 10, "16KiB")] {
        let msg = data(size);
        let g = format!("mac-trait hmac-sha256 {label}");
        out.push((
            g.clone(),
            "palisade",
            op!(generic_mac::<HmacSha256>(black_box(key), black_box(msg))),
        ));
        out.push((
            g,
            "rustcrypto",
            op!(generic_mac::<RcHmac>(black_box(key), black_box(msg))),
        ));
    }
    const ITERATIONS: u32 = 10_000;
    let (pw, salt): (&[u8], &[u8]) = (b"correct horse battery staple", b"NaCl and pepper");
    let g = "mac-trait pbkdf2::<M> 10k";
    out.push((
        g.to_owned(),
        "palisade",
        op!({
            let mut o = [0; 32];
            rustcrypto_pbkdf2::pbkdf2::<HmacSha256>(pw, salt, black_box(ITERATIONS), &mut o)
                .unwrap();
            o
        }),
    ));
    out.push((
        g.to_owned(),
        "rustcrypto",
        op!({
            let mut o = [0; 32];
            rustcrypto_pbkdf2::pbkdf2::<RcHmac>(pw, salt, black_box(ITERATIONS), &mut o).unwrap();
            o
        }),
    ));
}

fn compare_cases(out: &mut Vec<(String, &'static str, Op)>) {
    for (size, label) in [(32, "32B"), (4096, "4KiB")] {
        let (a, b) = (data(size), data(size));
        let g = format!("compare {label} (equal inputs)");
        let rows: Vec<(&'static str, Op)> = vec![
            (
                "palisade",
                op!([u8::from(compare_digest(black_box(a), black_box(b)))]),
            ),
            ("memcmp", op!([u8::from(black_box(a) == black_box(b))])),
            (
                "subtle",
                op!([u8::from(bool::from(black_box(a).ct_eq(black_box(b))))]),
            ),
            (
                "constant_time_eq",
                op!([u8::from(constant_time_eq::constant_time_eq(
                    black_box(a),
                    black_box(b)
                ))]),
            ),
            (
                "openssl",
                op!([u8::from(openssl::memcmp::eq(black_box(a), black_box(b)))]),
            ),
        ];
        out.extend(rows.into_iter().map(|(name, op)| (g.clone(), name, op)));
    }
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(21);
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--") && a.parse::<usize>().is_err());
    let mut defs = Vec::new();
    hash_cases(&mut defs);
    mac_cases(&mut defs);
    mac_trait_cases(&mut defs);
    compare_cases(&mut defs);
    if let Some(filter) = &filter {
        defs.retain(|(group, _, _)| group.contains(filter.as_str()));
    }
    let mut cases: Vec<Case> = defs
        .into_iter()
        .map(|(group, name, op)| Case {
            group,
            name,
            op,
            batch: 1,
            samples: Vec::new(),
        })
        .collect();
    let mut buf = Vec::with_capacity(128);
    let mut reference = Vec::with_capacity(128);
    // Check every peer against palisade, and size each batch to about 2 ms.
    for i in 0..cases.len() {
        let group = cases[i].group.clone();
        let ours = cases
            .iter_mut()
            .find(|c| c.group == group && c.name == "palisade")
            .unwrap();
        (ours.op)(&mut reference);
        let case = &mut cases[i];
        (case.op)(&mut buf);
        assert_eq!(buf, reference, "{} {}", case.group, case.name);
        let start = Instant::now();
        (case.op)(&mut buf);
        let once = start.elapsed().max(Duration::from_nanos(1));
        case.batch = u32::try_from((2_000_000 / once.as_nanos()).clamp(1, 1_000_000)).unwrap();
    }
    let n = cases.len();
    for round in 0..rounds {
        // Rotate the starting case so that no case always runs first.
        for k in 0..n {
            let case = &mut cases[(k + round * 7) % n];
            let start = Instant::now();
            for _ in 0..case.batch {
                (case.op)(black_box(&mut buf));
            }
            let ns = start.elapsed().as_nanos() as f64 / f64::from(case.batch);
            case.samples.push(ns);
        }
    }
    println!(
        "{rounds} interleaved rounds; median time per call; ratio = peer time / palisade time"
    );
    let mut last_group = String::new();
    for case in &cases {
        if case.group != last_group {
            println!();
            last_group.clone_from(&case.group);
        }
        let ours = cases
            .iter()
            .find(|c| c.group == case.group && c.name == "palisade")
            .unwrap();
        let m = median(&case.samples);
        println!(
            "{:<32} {:<16} {:>12} {:>7.2}x",
            case.group,
            case.name,
            pretty(m),
            m / median(&ours.samples)
        );
    }
}

fn median(samples: &[f64]) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

fn pretty(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e4 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}
