//! [`SystemRandom`]: the OS CSPRNG as a `rand_core` generator.

use rand_core::{TryCryptoRng, TryRng};

use crate::{Error, bytes};

/// The operating system's CSPRNG as a [`rand_core`] generator, for the `rand` ecosystem.
///
/// A zero-sized handle with no state of its own: every call goes to [`fill`](crate::fill)
/// (the vDSO or the system call), so copies of a program made by `fork()` never share output.
/// It implements [`TryRng`] and [`TryCryptoRng`] with this crate's [`Error`]; wrap it in
/// [`rand_core::UnwrapErr`] where an infallible [`rand_core::Rng`] is required (an OS failure
/// then panics).
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// use palisade_random::SystemRandom;
/// use palisade_random::rand_core::{Rng, TryRng, UnwrapErr};
///
/// let mut key = [0u8; 32];
/// SystemRandom.try_fill_bytes(&mut key)?;
///
/// let mut rng = UnwrapErr(SystemRandom);
/// let x: u64 = rng.next_u64();
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemRandom;

impl TryRng for SystemRandom {
    type Error = Error;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Error> {
        let mut buf = [0u8; 4];
        bytes::fill(&mut buf)?;
        Ok(u32::from_ne_bytes(buf))
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Error> {
        bytes::u64()
    }

    #[inline]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Error> {
        bytes::fill(dst)
    }
}

impl TryCryptoRng for SystemRandom {}

#[cfg(test)]
mod tests {
    use rand_core::UnwrapErr;

    use super::*;

    #[test]
    fn plugs_into_rand_core() {
        fn needs_crypto_rng(rng: &mut impl rand_core::CryptoRng) -> [u64; 2] {
            [rng.next_u64(), rng.next_u64()]
        }
        let [a, b] = needs_crypto_rng(&mut UnwrapErr(SystemRandom));
        assert_ne!(a, b);
        let mut buf = [0u8; 64];
        SystemRandom.try_fill_bytes(&mut buf).unwrap();
        assert!(buf.iter().any(|&b| b != 0));
        // Four 32-bit draws all equal: probability 2^-96.
        let draws: Vec<u32> = (0..4)
            .map(|_| SystemRandom.try_next_u32().unwrap())
            .collect();
        assert!(draws.iter().any(|&d| d != draws[0]));
    }
}
