//! palisade-random against the getrandom crate, ring's `SystemRandom` and rand's `SysRng`
//! (formerly `OsRng`), in one run. Python's figures come from `scripts/bench_random.py`.
//!
//! `cargo bench -p palisade-bench --bench random`; ratios go to docs/BENCHMARKS.md.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use palisade_random::Backend;
use rand::RngExt as _;
use rand::rngs::SysRng;
use rand_core::{TryRng as _, UnwrapErr};
use ring::rand::SecureRandom as _;

fn small(c: &mut Criterion) {
    let mut group = c.benchmark_group("fill_32");
    let ring = ring::rand::SystemRandom::new();
    let mut buf = [0u8; 32];
    group.bench_function("palisade", |b| {
        b.iter(|| palisade_random::fill(black_box(&mut buf)))
    });
    group.bench_function("palisade_syscall", |b| {
        b.iter(|| palisade_random::fill_with(Backend::SystemCall, black_box(&mut buf)))
    });
    group.bench_function("getrandom", |b| {
        b.iter(|| getrandom::fill(black_box(&mut buf)))
    });
    group.bench_function("ring", |b| b.iter(|| ring.fill(black_box(&mut buf))));
    group.bench_function("rand_sysrng", |b| {
        b.iter(|| SysRng.try_fill_bytes(black_box(&mut buf)))
    });
    group.finish();

    let mut group = c.benchmark_group("urandom_32");
    group.bench_function("palisade", |b| {
        b.iter(|| palisade_random::urandom(black_box(32)))
    });
    group.bench_function("getrandom", |b| {
        b.iter(|| {
            let mut v = vec![0u8; black_box(32)];
            getrandom::fill(&mut v).map(|()| v)
        })
    });
    group.finish();
}

fn bulk(c: &mut Criterion) {
    const LEN: usize = 1 << 20;
    let mut group = c.benchmark_group("fill_1MiB");
    group.throughput(Throughput::Bytes(LEN as u64));
    let ring = ring::rand::SystemRandom::new();
    let mut buf = vec![0u8; LEN];
    group.bench_function("palisade", |b| {
        b.iter(|| palisade_random::fill(black_box(&mut buf)))
    });
    group.bench_function("getrandom", |b| {
        b.iter(|| getrandom::fill(black_box(&mut buf)))
    });
    group.bench_function("ring", |b| b.iter(|| ring.fill(black_box(&mut buf))));
    group.bench_function("rand_sysrng", |b| {
        b.iter(|| SysRng.try_fill_bytes(black_box(&mut buf)))
    });
    group.finish();

    let mut group = c.benchmark_group("urandom_1MiB");
    group.throughput(Throughput::Bytes(LEN as u64));
    group.bench_function("palisade", |b| {
        b.iter(|| palisade_random::urandom(black_box(LEN)))
    });
    group.bench_function("getrandom", |b| {
        b.iter(|| {
            let mut v = vec![0u8; black_box(LEN)];
            getrandom::fill(&mut v).map(|()| v)
        })
    });
    group.finish();
}

fn tokens_and_integers(c: &mut Criterion) {
    let mut group = c.benchmark_group("token_hex_32");
    group.bench_function("palisade", |b| {
        b.iter(|| palisade_random::token_hex(black_box(32)))
    });
    group.bench_function("getrandom_then_format", |b| {
        b.iter(|| {
            let mut raw = [0u8; 32];
            getrandom::fill(&mut raw).unwrap();
            raw.iter().map(|b| format!("{b:02x}")).collect::<String>()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("randbelow_1000");
    group.bench_function("palisade", |b| {
        b.iter(|| palisade_random::randbelow(black_box(1000)))
    });
    group.bench_function("rand_sysrng_random_range", |b| {
        let mut rng = UnwrapErr(SysRng);
        b.iter(|| rng.random_range(0..black_box(1000u64)))
    });
    group.finish();

    let mut group = c.benchmark_group("shuffle");
    for len in [52usize, 1000] {
        let mut items: Vec<usize> = (0..len).collect();
        group.bench_with_input(BenchmarkId::new("palisade", len), &len, |b, _| {
            b.iter(|| palisade_random::shuffle(black_box(&mut items)))
        });
        group.bench_with_input(BenchmarkId::new("rand_sysrng", len), &len, |b, _| {
            let mut rng = UnwrapErr(SysRng);
            b.iter(|| rand::seq::SliceRandom::shuffle(black_box(&mut items[..]), &mut rng))
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! { name = benches; config = config(); targets = small, bulk, tokens_and_integers }
criterion_main!(benches);
