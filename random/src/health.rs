//! A start-up health check of the generator, for `palisade doctor` and for programs that want
//! one before generating keys.

use crate::{Backend, Error, bytes};

/// The result of [`health_check`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct HealthReport {
    /// The backend the draws went through.
    pub backend: Backend,
    /// The number of separate 32-byte draws made.
    pub draws: usize,
    /// How many draws repeated an earlier draw (0 for a working generator).
    pub repeated_draws: usize,
    /// The number of bits examined (`draws * 256`).
    pub bits: usize,
    /// How many of those bits were ones.
    pub ones: usize,
    /// The number of bits of one bulk draw (through the ChaCha20 expansion, see
    /// [`fill`](crate::fill)).
    pub bulk_bits: usize,
    /// How many of those bits were ones.
    pub bulk_ones: usize,
    /// The largest accepted distance of `ones` from `bits / 2`, and of `bulk_ones` from
    /// `bulk_bits / 2`.
    pub max_deviation: usize,
}

impl HealthReport {
    /// Whether every draw was new and the proportion of ones was within bounds.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> Result<(), palisade_random::Error> {
    /// assert!(palisade_random::health_check()?.passed());
    /// # Ok(())
    /// # }
    /// ```
    pub fn passed(&self) -> bool {
        self.repeated_draws == 0
            && self.ones.abs_diff(self.bits / 2) <= self.max_deviation
            && self.bulk_ones.abs_diff(self.bulk_bits / 2) <= self.max_deviation
    }
}

/// Draws 4096 separate 32-byte blocks through [`fill`](crate::fill) and checks that none
/// repeats and that the proportion of one bits is within bounds (a "monobit" test); then the
/// same monobit test on one 128 KiB draw, which takes the bulk path.
///
/// This catches a broken or stuck source (constant output, a replayed state, a buffer that is
/// not written); it is no proof of randomness. The bounds make a false alarm from a working
/// generator less likely than 1 in 10^9: the count of ones in `n = 2^20` fair bits has standard
/// deviation `sqrt(n) / 2 = 512`, and the check accepts 6.25 standard deviations (3200) either
/// side of `n / 2`, whose two-sided normal tail is 4.1e-10 (8.2e-10 for the two tests); a repeat
/// among 4096 uniformly random 256-bit blocks has probability below 2^-232.
///
/// # Errors
///
/// [`Error::Os`] when the operating system's generator fails.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let report = palisade_random::health_check()?;
/// println!("{} ones in {} bits through the {}", report.ones, report.bits, report.backend.name());
/// # Ok(())
/// # }
/// ```
pub fn health_check() -> Result<HealthReport, Error> {
    let backend = crate::backend();
    let mut blocks = vec![[0u8; BLOCK]; DRAWS];
    for block in &mut blocks {
        bytes::fill(block)?;
    }
    let ones = blocks
        .iter()
        .flatten()
        .map(|b| b.count_ones() as usize)
        .sum();
    let mut bulk = vec![0u8; DRAWS * BLOCK];
    bytes::fill(&mut bulk)?;
    let bulk_ones = bulk.iter().map(|b| b.count_ones() as usize).sum();
    // Equal draws are neighbours once sorted.
    blocks.sort_unstable();
    let repeated_draws = blocks.windows(2).filter(|pair| pair[0] == pair[1]).count();
    Ok(HealthReport {
        backend,
        draws: DRAWS,
        repeated_draws,
        bits: DRAWS * BLOCK * 8,
        ones,
        bulk_bits: DRAWS * BLOCK * 8,
        bulk_ones,
        max_deviation: MAX_DEVIATION,
    })
}

const BLOCK: usize = 32;
const DRAWS: usize = 4096;
const MAX_DEVIATION: usize = 3200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_working_generator_passes() {
        let report = health_check().unwrap();
        assert!(report.passed(), "{report:?}");
        assert_eq!(report.bits, 1 << 20);
    }

    #[test]
    fn stuck_or_repeating_output_fails() {
        let good = health_check().unwrap();
        let stuck = HealthReport { ones: 0, ..good };
        assert!(!stuck.passed());
        let biased = HealthReport {
            ones: good.bits / 2 + MAX_DEVIATION + 1,
            ..good
        };
        assert!(!biased.passed());
        let repeated = HealthReport {
            repeated_draws: 1,
            ..good
        };
        assert!(!repeated.passed());
        let stuck_bulk = HealthReport {
            bulk_ones: good.bulk_bits,
            ..good
        };
        assert!(!stuck_bulk.passed());
    }
}
