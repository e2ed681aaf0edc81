//! Random integers and choices: Python's `secrets.randbelow`, `randbits`, `choice`, and
//! `random.SystemRandom().shuffle`/`sample`.
//!
//! Bounded integers are drawn by rejection sampling (Lemire's multiply-and-reject, "Fast Random
//! Integer Generation in an Interval", ACM TOMACS 2019, <https://arxiv.org/abs/1805.10941>):
//! every value in `[0, n)` has exactly the same probability, with no `% n` bias. No random bits
//! are kept between calls, so nothing can repeat after `fork()`.

use crate::{Error, bytes};

/// Returns a random integer in `[0, n)`, each value equally likely.
///
/// Equivalent to Python's `secrets.randbelow(n)`.
///
/// # Errors
///
/// [`Error::EmptyRange`] when `n` is 0 (Python raises `ValueError`), and [`Error::Os`] when the
/// operating system's generator fails.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let die = palisade_random::randbelow(6)? + 1;
/// assert!((1..=6).contains(&die));
/// # Ok(())
/// # }
/// ```
pub fn randbelow(n: u64) -> Result<u64, Error> {
    if n == 0 {
        return Err(Error::EmptyRange);
    }
    below(n, bytes::u64)
}

/// Returns a random integer of `k` random bits, in `[0, 2^k)`.
///
/// Equivalent to Python's `secrets.randbits(k)` for `k <= 64`; `randbits(0)` is 0, as in
/// Python.
///
/// # Errors
///
/// [`Error::TooManyBits`] when `k > 64`, and [`Error::Os`] when the operating system's
/// generator fails.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let byte = palisade_random::randbits(8)?;
/// assert!(byte < 256);
/// # Ok(())
/// # }
/// ```
pub fn randbits(k: u32) -> Result<u64, Error> {
    match k {
        0 => Ok(0),
        1..=64 => Ok(bytes::u64()? >> (64 - k)),
        _ => Err(Error::TooManyBits { requested: k }),
    }
}

/// Returns a random element of `seq`, each equally likely.
///
/// Equivalent to Python's `secrets.choice(seq)`.
///
/// # Errors
///
/// [`Error::EmptySequence`] when `seq` is empty (Python raises `IndexError`), and
/// [`Error::Os`] when the operating system's generator fails.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let word = palisade_random::choice(&["correct", "horse", "battery", "staple"])?;
/// # Ok(())
/// # }
/// ```
pub fn choice<T>(seq: &[T]) -> Result<&T, Error> {
    if seq.is_empty() {
        return Err(Error::EmptySequence);
    }
    let index = below(len_u64(seq.len()), bytes::u64)?;
    // `index < seq.len()`, so it fits in `usize` and indexes `seq`.
    Ok(&seq[to_usize(index)])
}

/// Shuffles `items` in place; every permutation is equally likely.
///
/// Equivalent to Python's `random.SystemRandom().shuffle(items)`: a Fisher–Yates shuffle whose
/// every swap position comes from [`randbelow`]'s unbiased sampling. Random words are fetched
/// from the kernel in batches and not kept after the call.
///
/// # Errors
///
/// [`Error::Os`] when the operating system's generator fails; `items` is then partly
/// shuffled.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let mut deck: Vec<u32> = (1..=52).collect();
/// palisade_random::shuffle(&mut deck)?;
/// # Ok(())
/// # }
/// ```
pub fn shuffle<T>(items: &mut [T]) -> Result<(), Error> {
    let mut words = Words::new();
    for i in (1..items.len()).rev() {
        let j = below(len_u64(i + 1), || words.next())?;
        items.swap(i, to_usize(j));
    }
    Ok(())
}

/// Returns `k` distinct elements of `population` (distinct by position), in random order.
///
/// Equivalent to Python's `random.SystemRandom().sample(population, k)`: every `k`-permutation
/// of the positions is equally likely. Uses `O(len)` memory for an index table.
///
/// # Errors
///
/// [`Error::SampleLargerThanPopulation`] when `k > population.len()` (Python raises
/// `ValueError`), and [`Error::Os`] when the operating system's generator fails.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let winners = palisade_random::sample(&["ann", "bo", "cy", "di", "ed"], 2)?;
/// assert_eq!(winners.len(), 2);
/// assert_ne!(winners[0], winners[1]);
/// # Ok(())
/// # }
/// ```
pub fn sample<T>(population: &[T], k: usize) -> Result<Vec<&T>, Error> {
    let n = population.len();
    if k > n {
        return Err(Error::SampleLargerThanPopulation { k, population: n });
    }
    // A partial Fisher–Yates shuffle of the positions: the first `k` are the sample.
    let mut positions: Vec<usize> = (0..n).collect();
    let mut words = Words::new();
    for i in 0..k {
        let j = i + to_usize(below(len_u64(n - i), || words.next())?);
        positions.swap(i, j);
    }
    Ok(positions[..k].iter().map(|&p| &population[p]).collect())
}

/// An unbiased integer in `[0, n)` for `n > 0`, from uniformly random 64-bit words.
///
/// Lemire's method: the high half of `x * n` is uniform on `[0, n)` once the products whose low
/// half falls below `2^64 mod n` are rejected.
#[inline]
fn below(n: u64, mut word: impl FnMut() -> Result<u64, Error>) -> Result<u64, Error> {
    debug_assert!(n > 0);
    let mut product = u128::from(word()?) * u128::from(n);
    // The low and high halves of a 128-bit product: truncation is the point.
    #[allow(clippy::cast_possible_truncation)]
    let mut low = product as u64;
    if low < n {
        let threshold = n.wrapping_neg() % n;
        while low < threshold {
            product = u128::from(word()?) * u128::from(n);
            #[allow(clippy::cast_possible_truncation)]
            {
                low = product as u64;
            }
        }
    }
    #[allow(clippy::cast_possible_truncation)]
    Ok((product >> 64) as u64)
}

/// Random words fetched from the kernel a batch at a time, for one call only.
struct Words {
    batch: [u64; BATCH],
    next: usize,
}

impl Words {
    fn new() -> Self {
        Self {
            batch: [0; BATCH],
            next: BATCH,
        }
    }

    fn next(&mut self) -> Result<u64, Error> {
        if self.next == BATCH {
            let mut raw = [0u8; BATCH * 8];
            bytes::fill(&mut raw)?;
            for (word, chunk) in self.batch.iter_mut().zip(raw.chunks_exact(8)) {
                *word = u64::from_ne_bytes(chunk.try_into().unwrap_or([0; 8]));
            }
            self.next = 0;
        }
        let word = self.batch[self.next];
        self.next += 1;
        Ok(word)
    }
}

impl Drop for Words {
    fn drop(&mut self) {
        // Unused random words are not secret-keyed material, but there is no reason to leave
        // them on the stack either.
        self.batch = [0; BATCH];
    }
}

/// A slice length as `u64`: lossless on every platform Rust supports (`usize` <= 64 bits).
fn len_u64(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

/// An index below a slice length, back to `usize`: it is smaller than a `usize` value.
fn to_usize(index: u64) -> usize {
    usize::try_from(index).unwrap_or(usize::MAX)
}

const BATCH: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn randbelow_stays_in_range_at_every_edge() {
        let edges = [
            1,
            2,
            3,
            7,
            8,
            9,
            1000,
            1 << 32,
            (1 << 32) + 1,
            (1 << 63) - 1,
            1 << 63,
            (1 << 63) + 1,
            u64::MAX - 1,
            u64::MAX,
        ];
        for n in edges {
            for _ in 0..200 {
                let x = randbelow(n).unwrap();
                assert!(x < n, "randbelow({n}) = {x}");
            }
        }
        assert_eq!(randbelow(1).unwrap(), 0);
        assert_eq!(randbelow(0), Err(Error::EmptyRange));
    }

    #[test]
    fn below_rejects_exactly_the_biased_products() {
        // n = 3: 2^64 mod 3 = 1, so only a product with low half 0 is rejected. Word 0 gives
        // product 0 (low half 0 < 1): rejected; the next word decides.
        let mut words = [0u64, u64::MAX].into_iter();
        assert_eq!(below(3, || Ok(words.next().unwrap())).unwrap(), 2);
        // n = 2^63 + 1: threshold = 2^64 mod n = 2^63 - 1. Word 1 gives low half n, kept.
        let n = (1u64 << 63) + 1;
        let mut words = [1u64].into_iter();
        assert_eq!(below(n, || Ok(words.next().unwrap())).unwrap(), 0);
        // A power of two never rejects: the answer is the top bits of the word.
        let mut words = [0xdead_beef_0000_0000u64].into_iter();
        assert_eq!(
            below(1 << 32, || Ok(words.next().unwrap())).unwrap(),
            0xdead_beef
        );
    }

    #[test]
    fn randbits_never_exceeds_k_bits() {
        for k in 0..=64 {
            for _ in 0..100 {
                let x = randbits(k).unwrap();
                assert!(k == 64 || x < (1u64 << k), "randbits({k}) = {x:#x}");
            }
        }
        // With 100 draws of k >= 8 bits, the top bit is set at least once (probability of a
        // false failure 2^-100 per k).
        for k in 8..=64 {
            assert!(
                (0..100).any(|_| randbits(k).unwrap() >> (k - 1) == 1),
                "k = {k}"
            );
        }
        assert_eq!(randbits(65), Err(Error::TooManyBits { requested: 65 }));
        assert_eq!(
            randbits(u32::MAX),
            Err(Error::TooManyBits {
                requested: u32::MAX
            })
        );
    }

    #[test]
    fn choice_and_sample_check_their_arguments() {
        let empty: [u8; 0] = [];
        assert_eq!(choice(&empty), Err(Error::EmptySequence));
        assert_eq!(choice(&[42]).unwrap(), &42);
        assert_eq!(
            sample(&[1, 2, 3], 4),
            Err(Error::SampleLargerThanPopulation {
                k: 4,
                population: 3
            })
        );
        assert_eq!(sample(&empty, 0).unwrap(), Vec::<&u8>::new());
    }

    #[test]
    fn sample_returns_distinct_positions() {
        let population: Vec<u32> = (0..100).collect();
        for k in [0, 1, 50, 99, 100] {
            let mut s: Vec<u32> = sample(&population, k)
                .unwrap()
                .into_iter()
                .copied()
                .collect();
            assert_eq!(s.len(), k);
            s.sort_unstable();
            s.dedup();
            assert_eq!(s.len(), k, "sample of {k} repeated an element");
        }
    }

    #[test]
    fn shuffle_is_a_permutation() {
        for len in [0, 1, 2, 3, 31, 32, 33, 1000] {
            let mut items: Vec<usize> = (0..len).collect();
            shuffle(&mut items).unwrap();
            let mut sorted = items.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..len).collect::<Vec<_>>());
            if len >= 32 {
                assert_ne!(items, sorted, "a shuffle of {len} left the order unchanged");
            }
        }
    }
}
