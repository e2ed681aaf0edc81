//! Uniformity of `randbelow`, `choice`, `shuffle` and `sample`: chi-square goodness-of-fit tests.
//!
//! Each check computes Pearson's statistic over its bins and fails when it exceeds the critical
//! value at which a chi-square variable with `bins - 1` degrees of freedom has upper-tail
//! probability 1e-11. This file makes 12 such checks (4 + 5 in the two `randbelow` tests, one
//! in each of the others), so by the union bound a correct implementation fails any test here
//! with probability at most 12 * 1e-11 = 1.2e-10, below one in a billion runs. A biased one
//! fails as soon as the bias is a few standard errors wide: `% n` on a 64-bit word for
//! `n = 3 * 2^62` puts twice the weight on a third of the range and gives a statistic in the
//! thousands. The critical values are printed by `scripts/chi2_critical.py` (exact
//! incomplete-gamma computation, no SciPy needed).
#![allow(clippy::unwrap_used)]

use palisade_random::{choice, randbelow, sample, shuffle};

/// Chi-square critical values at upper-tail probability 1e-11, by degrees of freedom
/// (`python3 scripts/chi2_critical.py 1e-11`).
fn critical(df: usize) -> f64 {
    match df {
        5 => 60.410,
        6 => 63.210,
        9 => 70.931,
        15 => 84.594,
        19 => 92.929,
        99 => 224.399,
        _ => panic!("no critical value for {df} degrees of freedom"),
    }
}

/// Fails if `counts` is not consistent with a uniform distribution over its bins.
fn assert_uniform(what: &str, counts: &[u64]) {
    let total: u64 = counts.iter().sum();
    let expected = total as f64 / counts.len() as f64;
    let statistic: f64 = counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum();
    let limit = critical(counts.len() - 1);
    assert!(
        statistic < limit,
        "{what}: chi-square {statistic:.1} >= {limit} over {} bins: {counts:?}",
        counts.len()
    );
}

#[test]
fn randbelow_is_uniform_for_small_n() {
    for n in [7u64, 10, 16, 100] {
        let bins = usize::try_from(n).unwrap();
        let mut counts = vec![0u64; bins];
        for _ in 0..200 * n {
            counts[usize::try_from(randbelow(n).unwrap()).unwrap()] += 1;
        }
        assert_uniform(&format!("randbelow({n})"), &counts);
    }
}

#[test]
fn randbelow_is_uniform_for_large_n() {
    // Large bounds, where a `% n` or a masking bug would show: values are put into 10 equal
    // bins by `value * 10 / n`.
    for n in [u64::MAX, (1 << 63) + 1, 3 << 62, (1 << 32) + 1, 1000] {
        let mut counts = [0u64; 10];
        for _ in 0..20_000 {
            let x = randbelow(n).unwrap();
            let bin = u128::from(x) * 10 / u128::from(n);
            counts[usize::try_from(bin).unwrap()] += 1;
        }
        assert_uniform(&format!("randbelow({n}) in tenths"), &counts);
    }
}

#[test]
fn choice_is_uniform() {
    let items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    let mut counts = [0u64; 7];
    for _ in 0..14_000 {
        let c = choice(&items).unwrap();
        counts[items.iter().position(|x| x == c).unwrap()] += 1;
    }
    assert_uniform("choice over 7 items", &counts);
}

#[test]
fn shuffle_gives_every_permutation_equally_often() {
    // The 6 permutations of [0, 1, 2], identified by their first two elements.
    let mut counts = [0u64; 6];
    for _ in 0..12_000 {
        let mut items = [0usize, 1, 2];
        shuffle(&mut items).unwrap();
        let index = items[0] * 2 + usize::from(items[1] > items[2]);
        counts[index] += 1;
    }
    assert_uniform("shuffle of 3 items", &counts);
}

#[test]
fn sample_gives_every_ordered_pair_equally_often() {
    // The 20 ordered pairs of distinct items out of 5.
    let population = [0usize, 1, 2, 3, 4];
    let mut counts = [0u64; 25];
    for _ in 0..40_000 {
        let pair = sample(&population, 2).unwrap();
        counts[*pair[0] * 5 + *pair[1]] += 1;
    }
    for i in 0..5 {
        assert_eq!(counts[i * 5 + i], 0, "sample repeated item {i}");
    }
    let pairs: Vec<u64> = counts.iter().copied().filter(|&c| c > 0).collect();
    assert_eq!(
        pairs.len(),
        20,
        "some ordered pair never appeared: {counts:?}"
    );
    assert_uniform("sample of 2 out of 5", &pairs);
}
