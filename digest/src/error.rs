//! The one error type of the crate.

use std::error::Error as StdError;
use std::fmt;
use std::io;

use crate::algorithm::Algorithm;

/// Why a hash, MAC or key-derivation call was refused or failed.
///
/// Every argument Python's `hashlib` and `hmac` would reject with `ValueError` is rejected
/// here with a variant that names the argument, the value and the limit.
#[non_exhaustive]
#[derive(Debug)]
pub enum Error {
    /// A BLAKE2 parameter (`key`, `salt` or `person`) is longer than the algorithm allows.
    Blake2ParameterTooLong {
        /// The algorithm, [`Blake2b`](Algorithm::Blake2b) or [`Blake2s`](Algorithm::Blake2s).
        algorithm: Algorithm,
        /// The parameter: `"key"`, `"salt"` or `"person"`.
        parameter: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The largest length allowed.
        max: usize,
    },
    /// A line of a checksum list is longer than
    /// [`MAX_CHECKSUM_LINE`](crate::MAX_CHECKSUM_LINE) bytes.
    ChecksumLineTooLong {
        /// The limit in bytes.
        max: usize,
    },
    /// A requested digest size is outside what the algorithm can produce.
    DigestSize {
        /// The algorithm.
        algorithm: Algorithm,
        /// The size asked for, in bytes.
        requested: usize,
        /// The largest size the algorithm produces.
        max: usize,
    },
    /// A named file could not be opened or read while hashing it
    /// ([`digest_path`](crate::digest_path)).
    File {
        /// The path as given.
        path: std::path::PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A file or stream could not be read while hashing it.
    Io {
        /// The underlying error.
        source: io::Error,
    },
    /// The iteration count of PBKDF2 is zero.
    IterationCount,
    /// A derived-key length is zero or larger than the function can produce.
    KeyLength {
        /// The length asked for, in bytes.
        requested: usize,
        /// The largest length allowed.
        max: usize,
    },
    /// A MAC did not match the expected tag (or had the wrong length).
    MacMismatch,
    /// A BLAKE2 parameter was given for an algorithm other than BLAKE2.
    NotBlake2 {
        /// The algorithm that was asked for.
        algorithm: Algorithm,
    },
    /// A variable-length output was asked of an algorithm that is not an extendable-output
    /// function.
    NotXof {
        /// The algorithm that was asked for.
        algorithm: Algorithm,
    },
    /// The memory for an output of this size could not be allocated.
    OutOfMemory {
        /// The size asked for, in bytes.
        requested: usize,
    },
    /// A SHAKE output is longer than [`MAX_XOF_OUTPUT`](crate::MAX_XOF_OUTPUT) bytes.
    OutputTooLong {
        /// The size asked for, in bytes.
        requested: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// scrypt's cost parameter `n` is not a power of two greater than 1, or too large for `r`.
    ScryptCost {
        /// The value given.
        n: u64,
    },
    /// scrypt would need more memory than `maxmem` allows.
    ScryptMemory {
        /// The bytes the parameters need (`128 * r * (n + p + 2)`, as OpenSSL counts).
        required: u128,
        /// The limit in force.
        maxmem: u64,
    },
    /// scrypt's block size `r` or parallelism `p` is zero, or `r * p` is too large.
    ScryptParameters {
        /// The block size given.
        r: u32,
        /// The parallelism given.
        p: u32,
    },
    /// The algorithm cannot be used with HMAC (SHAKE has no fixed output size).
    UnsupportedHmac {
        /// The algorithm that was asked for.
        algorithm: Algorithm,
    },
    /// A name that is not one of the supported algorithms.
    UnknownAlgorithm {
        /// The name as given.
        name: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Blake2ParameterTooLong {
                algorithm,
                parameter,
                len,
                max,
            } => write!(
                f,
                "{algorithm} {parameter} is {len} bytes long, at most {max} are allowed"
            ),
            Self::ChecksumLineTooLong { max } => {
                write!(f, "checksum list line is longer than {max} bytes")
            }
            Self::DigestSize {
                algorithm,
                requested,
                max,
            } => write!(
                f,
                "{algorithm} cannot produce a {requested}-byte digest (1 to {max} bytes)"
            ),
            Self::File { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            Self::Io { source } => write!(f, "cannot read the data to hash: {source}"),
            Self::IterationCount => f.write_str("iteration count must be greater than 0"),
            Self::KeyLength { requested, max } => write!(
                f,
                "derived key length {requested} is out of range (1 to {max} bytes)"
            ),
            Self::MacMismatch => f.write_str("MAC tag mismatch"),
            Self::NotBlake2 { algorithm } => {
                write!(f, "{algorithm} takes no BLAKE2 parameters")
            }
            Self::NotXof { algorithm } => write!(
                f,
                "{algorithm} has a fixed output size; only shake_128 and shake_256 take a length"
            ),
            Self::OutOfMemory { requested } => {
                write!(f, "cannot allocate {requested} bytes for the output")
            }
            Self::OutputTooLong { requested, max } => write!(
                f,
                "a {requested}-byte output is longer than the {max}-byte limit"
            ),
            Self::ScryptCost { n } => write!(
                f,
                "scrypt n = {n} is not a power of 2 greater than 1 and below 2^(16 r)"
            ),
            Self::ScryptMemory { required, maxmem } => write!(
                f,
                "scrypt parameters need {required} bytes of memory, more than maxmem = {maxmem}"
            ),
            Self::ScryptParameters { r, p } => write!(
                f,
                "scrypt r = {r} and p = {p} must be positive with r * p < 2^30"
            ),
            Self::UnsupportedHmac { algorithm } => {
                write!(f, "{algorithm} cannot be used with HMAC")
            }
            Self::UnknownAlgorithm { name } => {
                write!(f, "unknown hash algorithm {name:?} (known: ")?;
                for (i, alg) in Algorithm::ALL.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(alg.name())?;
                }
                f.write_str(")")
            }
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Io { source } | Self::File { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    fn from(source: io::Error) -> Self {
        Self::Io { source }
    }
}
