//! dudect-style timing-leak test of `palisade_digest::compare_digest` (Reparaz, Balasch and
//! Verbauwhede, "Dude, is my code constant time?", 2017).
//!
//! `cargo bench -p palisade-bench --bench digest_dudect`
//!
//! Left class: equal inputs (4 KiB, and 32 bytes). Right class: inputs differing in the first
//! byte, the case an early-exit comparison finishes fastest. A constant-time comparison keeps Welch's |t|
//! below 4.5; `memcmp_is_caught` runs the same test on `==` to show the test can fail.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use dudect_bencher::ctbench::{BenchMetadata, BenchName, BenchOpts, run_benches_console};
use dudect_bencher::{BenchRng, Class, CtRunner};
use palisade_digest::compare_digest;

const SAMPLES: usize = 100_000;

/// A small deterministic generator: the inputs only need to vary, not to be secret.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Interleaved inputs of both classes, `len` bytes each: `(class, a, b)`.
fn inputs(len: usize) -> Vec<(Class, Vec<u8>, Vec<u8>)> {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let base: Vec<u8> = (0..len).map(|_| rng.next().to_le_bytes()[0]).collect();
    (0..SAMPLES)
        .map(|_| {
            let mut b = base.clone();
            if rng.next() & 1 == 0 {
                (Class::Left, base.clone(), b)
            } else {
                b[0] ^= 0x01;
                (Class::Right, base.clone(), b)
            }
        })
        .collect()
}

fn compare_digest_first_byte(runner: &mut CtRunner, _rng: &mut BenchRng) {
    for (class, a, b) in inputs(4096) {
        runner.run_one(class, || compare_digest(black_box(&a), black_box(&b)));
    }
}

/// The same on 32-byte inputs, the size of a SHA-256 tag.
fn compare_digest_32_bytes(runner: &mut CtRunner, _rng: &mut BenchRng) {
    for (class, a, b) in inputs(32) {
        runner.run_one(class, || compare_digest(black_box(&a), black_box(&b)));
    }
}

fn memcmp_is_caught(runner: &mut CtRunner, _rng: &mut BenchRng) {
    for (class, a, b) in inputs(4096) {
        runner.run_one(class, || black_box(&a) == black_box(&b));
    }
}

/// Not `ctbench_main!`: its argument parser rejects the `--bench` flag that `cargo bench`
/// passes, so the options are fixed here (each test once, random seed).
fn main() {
    let benches = vec![
        BenchMetadata {
            name: BenchName("compare_digest_first_byte"),
            seed: None,
            benchfn: compare_digest_first_byte,
        },
        BenchMetadata {
            name: BenchName("compare_digest_32_bytes"),
            seed: None,
            benchfn: compare_digest_32_bytes,
        },
        BenchMetadata {
            name: BenchName("memcmp_is_caught"),
            seed: None,
            benchfn: memcmp_is_caught,
        },
    ];
    run_benches_console(BenchOpts::default(), benches).unwrap();
}
