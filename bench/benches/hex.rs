//! Hex encoding and decoding: the loops palisade-trust (`fingerprint_hex`), palisade-digest
//! (`Output`'s `{:x}`), palisade-random (`token_hex`) and the CLI (`hmac --key`) carried until
//! they moved to base16ct, against base16ct and the hex crate, on digest sizes and 4 KiB.
//!
//! `cargo bench -p palisade-bench --bench hex -- --warm-up-time 1 --measurement-time 3`;
//! ratios go to docs/BENCHMARKS.md ("Hex"). The hand-written loops are kept here, verbatim, as
//! the baseline the choice was made against.
#![allow(missing_docs, clippy::unwrap_used)]

use std::fmt;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// `Output`'s capacity: the two formatting loops below exist only for digest sizes.
const MAX_OUTPUT: usize = 64;

/// Digest sizes (MD5, SHA-256, SHA-512) and a page.
const SIZES: [usize; 4] = [16, 32, 64, 4096];

/// palisade-trust's `anchor::hex`: one `String::push` per digit.
fn trust_loop(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// palisade-digest's `output::write_hex`: a table lookup into a stack buffer, then one
/// `write_str` (measured through `format!`, as `Output::to_hex` used it).
struct DigestLoop<'a>(&'a [u8]);

impl fmt::LowerHex for DigestLoop<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = b"0123456789abcdef";
        let mut buf = [0; 2 * MAX_OUTPUT];
        for (pair, byte) in buf.chunks_exact_mut(2).zip(self.0) {
            pair[0] = digits[usize::from(byte >> 4)];
            pair[1] = digits[usize::from(byte & 0x0f)];
        }
        let hex = &buf[..2 * self.0.len()];
        f.write_str(std::str::from_utf8(hex).map_err(|_| fmt::Error)?)
    }
}

/// What `Output` does now: base16ct into a stack buffer, then one `write_str`.
struct DigestBase16ct<'a>(&'a [u8]);

impl fmt::LowerHex for DigestBase16ct<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; 2 * MAX_OUTPUT];
        f.write_str(base16ct::lower::encode_str(self.0, &mut buf).map_err(|_| fmt::Error)?)
    }
}

/// palisade-random's `token_hex` expansion: the bytes in the upper half of the output buffer,
/// expanded in place front to back.
fn random_loop(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let n = bytes.len();
    let mut out = vec![0; 2 * n];
    out[n..].copy_from_slice(bytes);
    for i in 0..n {
        let byte = out[n + i];
        out[2 * i] = HEX[usize::from(byte >> 4)];
        out[2 * i + 1] = HEX[usize::from(byte & 0xf)];
    }
    String::from_utf8(out).unwrap_or_default()
}

/// palisade-cli's `hmac::decode_hex`: a validating scan, then one pair at a time.
fn cli_loop(hex: &str) -> Option<Vec<u8>> {
    if hex.chars().any(|c| !c.is_ascii_hexdigit()) || !hex.len().is_multiple_of(2) {
        return None;
    }
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |b: u8| char::from(b).to_digit(16);
            match (digit(pair[0]), digit(pair[1])) {
                (Some(hi), Some(lo)) => u8::try_from(hi * 16 + lo).ok(),
                _ => None,
            }
        })
        .collect()
}

fn input(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 131 + 7).to_le_bytes()[0]).collect()
}

fn encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("hex_encode");
    for len in SIZES {
        let data = input(len);
        let expected = hex::encode(&data);
        assert_eq!(trust_loop(&data), expected);
        assert_eq!(random_loop(&data), expected);
        assert_eq!(base16ct::lower::encode_string(&data), expected);
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(BenchmarkId::new("trust_loop", len), &data, |b, d| {
            b.iter(|| trust_loop(black_box(d)))
        });
        if len <= MAX_OUTPUT {
            assert_eq!(format!("{:x}", DigestLoop(&data)), expected);
            assert_eq!(format!("{:x}", DigestBase16ct(&data)), expected);
            group.bench_with_input(BenchmarkId::new("digest_loop_fmt", len), &data, |b, d| {
                b.iter(|| format!("{:x}", DigestLoop(black_box(d))))
            });
            group.bench_with_input(BenchmarkId::new("base16ct_fmt", len), &data, |b, d| {
                b.iter(|| format!("{:x}", DigestBase16ct(black_box(d))))
            });
        }
        group.bench_with_input(BenchmarkId::new("random_loop", len), &data, |b, d| {
            b.iter(|| random_loop(black_box(d)))
        });
        group.bench_with_input(BenchmarkId::new("base16ct", len), &data, |b, d| {
            b.iter(|| base16ct::lower::encode_string(black_box(d)))
        });
        group.bench_with_input(BenchmarkId::new("hex", len), &data, |b, d| {
            b.iter(|| hex::encode(black_box(d)))
        });
    }
    group.finish();
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("hex_decode");
    for len in SIZES {
        let data = input(len);
        // Mixed case, as a key pasted from anywhere may be.
        let text: String = hex::encode(&data)
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 3 == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        assert_eq!(cli_loop(&text).unwrap(), data);
        assert_eq!(base16ct::mixed::decode_vec(&text).unwrap(), data);
        assert_eq!(hex::decode(&text).unwrap(), data);
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(BenchmarkId::new("cli_loop", len), &text, |b, t| {
            b.iter(|| cli_loop(black_box(t)))
        });
        group.bench_with_input(BenchmarkId::new("base16ct", len), &text, |b, t| {
            b.iter(|| base16ct::mixed::decode_vec(black_box(t)))
        });
        group.bench_with_input(BenchmarkId::new("hex", len), &text, |b, t| {
            b.iter(|| hex::decode(black_box(t)))
        });
    }
    group.finish();
}

criterion_group!(benches, encode, decode);
criterion_main!(benches);
