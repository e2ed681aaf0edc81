//! Timing-leak tests in the style of dudect (Reparaz, Balasch and Verbauwhede, "Dude, is my
//! code constant time?", DATE 2017): time many calls in two classes, interleaved at random,
//! and compare the two timing distributions with Welch's t-test, on the raw timings and on
//! the timings below several percentiles (which drops interrupts and other outliers). dudect
//! takes |t| above 4.5 as evidence of a leak, and |t| below it, after enough samples, as no
//! evidence of one. It is a statistical check of the compiled program on this machine, not
//! a proof.
//!
//! `cargo bench -p palisade-bench --bench timing`
//!
//! - `compare_digest`, at 32 bytes (a SHA-256 tag) and 4 KiB: equal inputs, inputs that
//!   differ in the first byte (where an early-exit comparison stops at once) and in the last
//!   byte (where it stops at the end), each pair of classes against each other. `==` on the
//!   same inputs is the control: it must be caught.
//! - `randbelow(2^63 + 1)`: the class is known only after the call (the output below or above
//!   `n / 2`); about half of all draws are rejected at this `n`, so the time varies a lot, and
//!   the test checks that it does not vary with the output. The control adds work for an
//!   upper-half output and must be caught.
//!
//! Results are recorded in docs/SECURITY.md.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Instant;

use palisade_digest::compare_digest;
use palisade_random::randbelow;

/// Measurements per class pair.
const SAMPLES: usize = 400_000;

fn main() {
    println!(
        "{:<44} {:>9} {:>9} {:>9}",
        "test", "samples", "raw t", "max |t|"
    );
    for len in [32, 4096] {
        for (left, right) in [
            (Input::Equal, Input::FirstByte),
            (Input::Equal, Input::LastByte),
            (Input::FirstByte, Input::LastByte),
        ] {
            let name = format!("compare_digest {len} B: {left:?} vs {right:?}");
            report(
                &name,
                &compare(len, left, right, |a, b| compare_digest(a, b)),
            );
        }
        let name = format!("control: == {len} B: Equal vs FirstByte");
        report(
            &name,
            &compare(len, Input::Equal, Input::FirstByte, |a, b| a == b),
        );
    }
    let n = (1u64 << 63) + 1;
    report(
        "randbelow(2^63 + 1): lower vs upper half",
        &randbelow_classes(n, false),
    );
    report(
        "control: randbelow + work for an upper half",
        &randbelow_classes(n, true),
    );
}

/// The second input of a comparison, relative to the first.
#[derive(Clone, Copy, Debug)]
enum Input {
    Equal,
    FirstByte,
    LastByte,
}

/// Timings of `f(a, b)`, the class of each call chosen at random before it.
fn compare(
    len: usize,
    left: Input,
    right: Input,
    f: impl Fn(&[u8], &[u8]) -> bool,
) -> [Vec<u64>; 2] {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let a: Vec<u8> = (0..len).map(|_| rng.next().to_le_bytes()[0]).collect();
    let make = |input| {
        let mut b = a.clone();
        match input {
            Input::Equal => {}
            Input::FirstByte => b[0] ^= 1,
            Input::LastByte => b[len - 1] ^= 1,
        }
        b
    };
    let inputs = [make(left), make(right)];
    // One buffer for both classes, rewritten before each call: two buffers would differ in
    // alignment and cache placement, a difference of the harness rather than of the data.
    let mut b = a.clone();
    // A 32-byte comparison takes a few nanoseconds, below what one reading of the clock
    // resolves, and one of 4 KiB little more: each measurement times a batch of calls on the
    // same inputs.
    let batch = if len <= 64 { 64 } else { 8 };
    let mut times = [Vec::with_capacity(SAMPLES), Vec::with_capacity(SAMPLES)];
    for _ in 0..SAMPLES {
        let class = usize::from(rng.next() & 1 == 1);
        b.copy_from_slice(&inputs[class]);
        let start = Instant::now();
        for _ in 0..batch {
            black_box(f(black_box(&a), black_box(&b)));
        }
        times[class].push(nanos(start));
    }
    times
}

/// Timings of `randbelow(n)`, classed afterwards by the output: below `n / 2` or not.
fn randbelow_classes(n: u64, leak: bool) -> [Vec<u64>; 2] {
    let mut times = [Vec::with_capacity(SAMPLES), Vec::with_capacity(SAMPLES)];
    for _ in 0..SAMPLES {
        let start = Instant::now();
        let x = randbelow(black_box(n)).unwrap();
        let upper = x >= n / 2;
        if leak && upper {
            // About as long as one more rejected draw: a leak of the size the test is for.
            black_box(randbelow(black_box(n)).unwrap());
        }
        times[usize::from(upper)].push(nanos(start));
    }
    times
}

fn nanos(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Welch's t on the raw timings and the largest |t| over the timings cropped below the
/// 50th to 99th percentiles of both classes together (dudect crops the same way).
fn report(name: &str, times: &[Vec<u64>; 2]) {
    let raw = welch(&times[0], &times[1]);
    let mut all: Vec<u64> = times.iter().flatten().copied().collect();
    all.sort_unstable();
    let mut max = raw.abs();
    for percentile in [50, 60, 70, 80, 90, 95, 99] {
        let cut = all[all.len() * percentile / 100];
        let crop = |v: &Vec<u64>| v.iter().copied().filter(|&t| t < cut).collect::<Vec<_>>();
        let t = welch(&crop(&times[0]), &crop(&times[1]));
        if t.is_finite() {
            max = max.max(t.abs());
        }
    }
    let verdict = if max > 4.5 { "LEAK" } else { "ok" };
    println!(
        "{name:<44} {:>9} {raw:>+9.2} {max:>9.2}  {verdict}",
        times[0].len() + times[1].len()
    );
}

/// Welch's t statistic of two samples.
#[allow(clippy::cast_precision_loss)]
fn welch(x: &[u64], y: &[u64]) -> f64 {
    let stats = |v: &[u64]| {
        let n = v.len() as f64;
        let mean = v.iter().map(|&t| t as f64).sum::<f64>() / n;
        let var = v.iter().map(|&t| (t as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (n, mean, var)
    };
    let (nx, mx, vx) = stats(x);
    let (ny, my, vy) = stats(y);
    (mx - my) / (vx / nx + vy / ny).sqrt()
}

/// A small deterministic generator: the inputs and classes only need to vary, not be secret.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
