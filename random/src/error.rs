//! The one error type of this crate.

use std::error::Error as StdError;
use std::fmt;

/// Why random bytes or a random choice could not be produced.
///
/// Every function of this crate returns this error instead of panicking, and never returns
/// weaker randomness in place of an error.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Error {
    /// The operating system's random number generator failed.
    Os(getrandom::Error),
    /// `randbelow(0)`: there is no integer in the empty range `[0, 0)`.
    EmptyRange,
    /// `choice` on an empty sequence.
    EmptySequence,
    /// `randbits(k)` with `k` above 64, the width of the returned integer.
    TooManyBits {
        /// The number of bits asked for.
        requested: u32,
    },
    /// `sample(population, k)` with `k` larger than the population.
    SampleLargerThanPopulation {
        /// The sample size asked for.
        k: usize,
        /// The number of items in the population.
        population: usize,
    },
    /// The request is over [`MAX_REQUEST`](crate::MAX_REQUEST) bytes, or its output cannot be
    /// allocated.
    TooLarge {
        /// What was asked for, e.g. `"urandom"` or `"token_hex"`.
        what: &'static str,
        /// The number of random bytes asked for.
        requested: usize,
    },
    /// [`fill_with`](crate::fill_with) asked for a backend this machine does not offer.
    BackendUnavailable(crate::Backend),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Os(err) => write!(
                f,
                "the operating system's random number generator failed: {err}"
            ),
            Self::EmptyRange => f.write_str("randbelow(0): the range [0, 0) is empty"),
            Self::EmptySequence => f.write_str("cannot choose from an empty sequence"),
            Self::TooManyBits { requested } => {
                write!(
                    f,
                    "randbits({requested}): at most 64 bits fit in the result"
                )
            }
            Self::SampleLargerThanPopulation { k, population } => {
                write!(
                    f,
                    "sample of {k} items is larger than the population of {population}"
                )
            }
            Self::TooLarge { what, requested } => {
                write!(
                    f,
                    "{what}({requested}): too large (the limit is {} bytes, or memory ran out)",
                    crate::MAX_REQUEST
                )
            }
            Self::BackendUnavailable(backend) => {
                write!(
                    f,
                    "the {} random backend is not available on this machine",
                    backend.name()
                )
            }
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Os(err) => Some(err),
            _ => None,
        }
    }
}

impl From<getrandom::Error> for Error {
    fn from(err: getrandom::Error) -> Self {
        Self::Os(err)
    }
}
