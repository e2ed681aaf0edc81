//! palisade-digest side by side with its peers, in one run so the ratios are fair.
//!
//! `cargo bench -p palisade-bench --bench digest -- --warm-up-time 1 --measurement-time 3`
//!
//! Groups: `hash/<algorithm>/<size>` (64 B, 1 KiB, 1 MiB), `hmac-sha256/64B` with a fresh and
//! a reused key, `hmac-sha256-mac/<size>` (64 B, 1 KiB, 16 KiB: `HmacSha256` and RustCrypto's
//! `Hmac<Sha256>` through the same generic `Mac` code, key setup included),
//! `pbkdf2-generic/10k` (RustCrypto's `pbkdf2::<M>` with either), `pbkdf2-sha256/600k`,
//! `compare/<size>` (32 B, 4 KiB) against `memcmp`.
//! Every peer's output is checked against palisade-digest's before anything is timed.
#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

mod common;

use std::hint::black_box;

use common::generic_mac;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use palisade_digest::{
    Algorithm, HmacKey, HmacSha256, compare_digest, digest, hmac_digest, pbkdf2_hmac,
};
use rustcrypto_hmac::{KeyInit as _, Mac as _};
use rustcrypto_hmac_012::Mac as _;
use rustcrypto_sha2::Digest as _;

const SIZES: [(usize, &str); 3] = [(64, "64B"), (1024, "1KiB"), (1 << 20, "1MiB")];

fn data(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(131) >> 3).to_le_bytes()[0])
        .collect()
}

/// An OpenSSL hasher kept across calls: `finish` re-initialises it, so each call pays for
/// the hash and not for looking the algorithm up (which OpenSSL's one-shots do every time).
fn openssl_hash(h: &mut openssl::hash::Hasher, data: &[u8]) -> Vec<u8> {
    h.update(data).unwrap();
    h.finish().unwrap().to_vec()
}

fn hashes(c: &mut Criterion) {
    type Peer = Box<dyn FnMut(&[u8]) -> Vec<u8>>;
    let cases: Vec<(Algorithm, Vec<(&str, Peer)>)> = vec![
        (
            Algorithm::Sha256,
            vec![
                (
                    "rustcrypto",
                    Box::new(|d| rustcrypto_sha2::Sha256::digest(d).to_vec()),
                ),
                (
                    "ring",
                    Box::new(|d| {
                        ring::digest::digest(&ring::digest::SHA256, d)
                            .as_ref()
                            .to_vec()
                    }),
                ),
                ("openssl", Box::new(|d| openssl::sha::sha256(d).to_vec())),
            ],
        ),
        (
            Algorithm::Sha512,
            vec![
                (
                    "rustcrypto",
                    Box::new(|d| rustcrypto_sha2::Sha512::digest(d).to_vec()),
                ),
                (
                    "ring",
                    Box::new(|d| {
                        ring::digest::digest(&ring::digest::SHA512, d)
                            .as_ref()
                            .to_vec()
                    }),
                ),
                ("openssl", Box::new(|d| openssl::sha::sha512(d).to_vec())),
            ],
        ),
        (
            Algorithm::Md5,
            vec![
                (
                    "rustcrypto",
                    Box::new(|d| {
                        <rustcrypto_md5::Md5 as rustcrypto_md5::Digest>::digest(d).to_vec()
                    }),
                ),
                ("openssl", {
                    let mut h =
                        openssl::hash::Hasher::new(openssl::hash::MessageDigest::md5()).unwrap();
                    Box::new(move |d| openssl_hash(&mut h, d))
                }),
            ],
        ),
        (
            Algorithm::Sha3_256,
            vec![
                (
                    "rustcrypto",
                    Box::new(|d| {
                        <rustcrypto_sha3::Sha3_256 as rustcrypto_sha3::Digest>::digest(d).to_vec()
                    }),
                ),
                ("openssl", {
                    let mut h =
                        openssl::hash::Hasher::new(openssl::hash::MessageDigest::sha3_256())
                            .unwrap();
                    Box::new(move |d| openssl_hash(&mut h, d))
                }),
            ],
        ),
        (
            Algorithm::Blake2b,
            vec![
                (
                    "rustcrypto",
                    Box::new(|d| {
                        <rustcrypto_blake2::Blake2b512 as rustcrypto_blake2::Digest>::digest(d)
                            .to_vec()
                    }),
                ),
                ("openssl", {
                    let md = openssl::hash::MessageDigest::from_name("BLAKE2b512").unwrap();
                    let mut h = openssl::hash::Hasher::new(md).unwrap();
                    Box::new(move |d| openssl_hash(&mut h, d))
                }),
            ],
        ),
    ];
    for (alg, mut peers) in cases {
        let mut group = c.benchmark_group(format!("hash/{alg}"));
        for (size, label) in SIZES {
            let input = data(size);
            let ours = digest(alg, &input).to_vec();
            for (name, peer) in &mut peers {
                assert_eq!(peer(&input), ours, "{name} {alg} {label}");
            }
            group.throughput(Throughput::Bytes(size as u64));
            group.bench_with_input(BenchmarkId::new("palisade", label), &input, |b, d| {
                b.iter(|| digest(alg, black_box(d)));
            });
            for (name, peer) in &mut peers {
                group.bench_with_input(BenchmarkId::new(*name, label), &input, |b, d| {
                    b.iter(|| peer(black_box(d)));
                });
            }
        }
        group.finish();
    }
}

fn hmac(c: &mut Criterion) {
    type RcHmac = rustcrypto_hmac::Hmac<rustcrypto_sha2::Sha256>;
    type RcHmac012 = rustcrypto_hmac_012::Hmac<sha2::Sha256>;
    let key = data(32);
    let msg = data(64);
    let ours = hmac_digest(&key, &msg, Algorithm::Sha256).unwrap();
    let prepared = HmacKey::new(&key, Algorithm::Sha256).unwrap();
    let rc_keyed = RcHmac::new_from_slice(&key).unwrap();
    let rc012_keyed = RcHmac012::new_from_slice(&key).unwrap();
    let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key);
    let ossl_key = openssl::pkey::PKey::hmac(&key).unwrap();
    let ossl = |k: &openssl::pkey::PKey<openssl::pkey::Private>, m: &[u8]| {
        let mut s = openssl::sign::Signer::new(openssl::hash::MessageDigest::sha256(), k).unwrap();
        s.update(m).unwrap();
        s.sign_to_vec().unwrap()
    };
    // Every peer agrees before timing.
    assert_eq!(prepared.mac(&msg), ours);
    assert_eq!(
        rc_keyed.clone().chain_update(&msg).finalize().into_bytes()[..],
        ours[..]
    );
    assert_eq!(
        rc012_keyed
            .clone()
            .chain_update(&msg)
            .finalize()
            .into_bytes()[..],
        ours[..]
    );
    assert_eq!(ring::hmac::sign(&ring_key, &msg).as_ref(), &ours[..]);
    assert_eq!(ossl(&ossl_key, &msg), ours.to_vec());

    let mut group = c.benchmark_group("hmac-sha256/64B");
    group.bench_function("palisade/fresh-key", |b| {
        b.iter(|| hmac_digest(black_box(&key), black_box(&msg), Algorithm::Sha256).unwrap());
    });
    group.bench_function("palisade/reused-key", |b| {
        b.iter(|| prepared.mac(black_box(&msg)));
    });
    group.bench_function("rustcrypto/fresh-key", |b| {
        b.iter(|| {
            let mut m = RcHmac::new_from_slice(black_box(&key)).unwrap();
            m.update(black_box(&msg));
            m.finalize().into_bytes()
        });
    });
    group.bench_function("rustcrypto/reused-key", |b| {
        b.iter(|| {
            let mut m = rc_keyed.clone();
            m.update(black_box(&msg));
            m.finalize().into_bytes()
        });
    });
    group.bench_function("rustcrypto-0.12/reused-key", |b| {
        b.iter(|| {
            let mut m = rc012_keyed.clone();
            m.update(black_box(&msg));
            m.finalize().into_bytes()
        });
    });
    group.bench_function("ring/fresh-key", |b| {
        b.iter(|| {
            let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, black_box(&key));
            ring::hmac::sign(&k, black_box(&msg))
        });
    });
    group.bench_function("ring/reused-key", |b| {
        b.iter(|| ring::hmac::sign(&ring_key, black_box(&msg)));
    });
    group.bench_function("openssl/reused-key", |b| {
        b.iter(|| ossl(&ossl_key, black_box(&msg)));
    });
    group.finish();
}

/// `HmacSha256` through the `digest` 0.11 `Mac` trait against RustCrypto's `Hmac<Sha256>`
/// (`hmac` 0.13, `sha2` 0.11) in the same generic code, a fresh key per MAC; then both as the
/// PRF of RustCrypto's generic `pbkdf2`.
fn mac_trait(c: &mut Criterion) {
    type RcHmac = rustcrypto_hmac::Hmac<rustcrypto_sha2::Sha256>;
    let key = data(32);
    for (size, label) in [(64, "64B"), (1024, "1KiB"), (16 << 10, "16KiB")] {
        let msg = data(size);
        let ours = generic_mac::<HmacSha256>(&key, &msg);
        assert_eq!(ours, generic_mac::<RcHmac>(&key, &msg));
        assert_eq!(
            ours[..],
            hmac_digest(&key, &msg, Algorithm::Sha256).unwrap()[..]
        );
        let mut group = c.benchmark_group(format!("hmac-sha256-mac/{label}"));
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function("palisade", |b| {
            b.iter(|| generic_mac::<HmacSha256>(black_box(&key), black_box(&msg)));
        });
        group.bench_function("rustcrypto", |b| {
            b.iter(|| generic_mac::<RcHmac>(black_box(&key), black_box(&msg)));
        });
        group.finish();
    }

    const ITERATIONS: u32 = 10_000;
    let (password, salt) = (b"correct horse battery staple", b"NaCl and pepper");
    type Pbkdf2 =
        fn(&[u8], &[u8], u32, &mut [u8]) -> Result<(), rustcrypto_hmac::digest::InvalidLength>;
    let run = |f: Pbkdf2| {
        let mut out = [0; 32];
        f(black_box(password), salt, black_box(ITERATIONS), &mut out).unwrap();
        out
    };
    let ours = run(rustcrypto_pbkdf2::pbkdf2::<HmacSha256>);
    assert_eq!(ours, run(rustcrypto_pbkdf2::pbkdf2::<RcHmac>));
    let mut group = c.benchmark_group("pbkdf2-generic/10k");
    group.bench_function("palisade", |b| {
        b.iter(|| run(rustcrypto_pbkdf2::pbkdf2::<HmacSha256>));
    });
    group.bench_function("rustcrypto", |b| {
        b.iter(|| run(rustcrypto_pbkdf2::pbkdf2::<RcHmac>));
    });
    group.finish();
}

fn pbkdf2(c: &mut Criterion) {
    const ITERATIONS: u32 = 600_000;
    let (password, salt) = (b"correct horse battery staple", b"NaCl and pepper");
    let ours = pbkdf2_hmac(Algorithm::Sha256, password, salt, ITERATIONS, 32).unwrap();
    let rc = |out: &mut [u8; 32]| {
        rustcrypto_pbkdf2::pbkdf2_hmac::<rustcrypto_sha2::Sha256>(password, salt, ITERATIONS, out);
    };
    let ring_iters = std::num::NonZeroU32::new(ITERATIONS).unwrap();
    let ring = |out: &mut [u8; 32]| {
        ring::pbkdf2::derive(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            ring_iters,
            salt,
            password,
            out,
        );
    };
    let ossl = |out: &mut [u8; 32]| {
        openssl::pkcs5::pbkdf2_hmac(
            password,
            salt,
            ITERATIONS as usize,
            openssl::hash::MessageDigest::sha256(),
            out,
        )
        .unwrap();
    };
    for (name, f) in [
        ("rustcrypto", &rc as &dyn Fn(&mut [u8; 32])),
        ("ring", &ring),
        ("openssl", &ossl),
    ] {
        let mut out = [0; 32];
        f(&mut out);
        assert_eq!(out[..], ours[..], "{name}");
    }
    let mut group = c.benchmark_group("pbkdf2-sha256/600k");
    group.sample_size(10);
    group.bench_function("palisade", |b| {
        b.iter(|| pbkdf2_hmac(Algorithm::Sha256, password, salt, black_box(ITERATIONS), 32));
    });
    for (name, f) in [
        ("rustcrypto", &rc as &dyn Fn(&mut [u8; 32])),
        ("ring", &ring),
        ("openssl", &ossl),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut out = [0; 32];
                f(black_box(&mut out));
                out
            });
        });
    }
    group.finish();
}

fn compare(c: &mut Criterion) {
    use subtle::ConstantTimeEq as _;

    for (size, label) in [(32, "32B"), (4096, "4KiB")] {
        // Equal inputs: every implementation reads both in full.
        let a = data(size);
        let b = a.clone();
        let mut group = c.benchmark_group(format!("compare/{label}"));
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function("palisade", |bench| {
            bench.iter(|| compare_digest(black_box(&a[..]), black_box(&b[..])));
        });
        group.bench_function("memcmp", |bench| {
            bench.iter(|| black_box(&a[..]) == black_box(&b[..]));
        });
        group.bench_function("subtle", |bench| {
            bench.iter(|| bool::from(black_box(&a[..]).ct_eq(black_box(&b[..]))));
        });
        group.bench_function("constant_time_eq", |bench| {
            bench.iter(|| constant_time_eq::constant_time_eq(black_box(&a), black_box(&b)));
        });
        group.bench_function("openssl", |bench| {
            bench.iter(|| openssl::memcmp::eq(black_box(&a), black_box(&b)));
        });
        group.finish();
    }
}

criterion_group!(benches, hashes, hmac, mac_trait, pbkdf2, compare);
criterion_main!(benches);
