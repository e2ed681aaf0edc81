//! The hash algorithms, their names and their sizes.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A hash algorithm: every name in CPython's `hashlib.algorithms_guaranteed`, plus
/// SHA-512/224 and SHA-512/256.
///
/// [`FromStr`] accepts Python's names in any case (`"sha256"`, `"SHA3_256"`, `"blake2b"`) and
/// the OpenSSL spellings (`"SHA2-256"`, `"SHA-256"`, `"SHA512-224"`, `"SHAKE128"`,
/// `"BLAKE2b512"`, ...). [`name`](Self::name), [`digest_size`](Self::digest_size) and
/// [`block_size`](Self::block_size) report exactly what Python's `hashlib` reports.
///
/// # Examples
///
/// ```
/// use palisade_digest::Algorithm;
/// # fn main() -> Result<(), palisade_digest::Error> {
/// let alg: Algorithm = "SHA2-256".parse()?;
/// assert_eq!(alg, Algorithm::Sha256);
/// assert_eq!(alg.name(), "sha256");
/// assert_eq!((alg.digest_size(), alg.block_size()), (32, 64));
/// assert!("sha257".parse::<Algorithm>().is_err());
/// # Ok(())
/// # }
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum Algorithm {
    /// BLAKE2b (RFC 7693), 64-byte output by default.
    Blake2b,
    /// BLAKE2s (RFC 7693), 32-byte output by default.
    Blake2s,
    /// MD5 (RFC 1321). Broken for collision resistance; kept for checksums and old protocols.
    Md5,
    /// SHA-1 (FIPS 180-4). Broken for collision resistance; kept for old protocols.
    Sha1,
    /// SHA-224 (FIPS 180-4).
    Sha224,
    /// SHA-256 (FIPS 180-4).
    Sha256,
    /// SHA-384 (FIPS 180-4).
    Sha384,
    /// SHA-512 (FIPS 180-4).
    Sha512,
    /// SHA-512/224 (FIPS 180-4).
    Sha512_224,
    /// SHA-512/256 (FIPS 180-4).
    Sha512_256,
    /// SHA3-224 (FIPS 202).
    Sha3_224,
    /// SHA3-256 (FIPS 202).
    Sha3_256,
    /// SHA3-384 (FIPS 202).
    Sha3_384,
    /// SHA3-512 (FIPS 202).
    Sha3_512,
    /// SHAKE128 (FIPS 202), an extendable-output function.
    Shake128,
    /// SHAKE256 (FIPS 202), an extendable-output function.
    Shake256,
}

impl Algorithm {
    /// Every algorithm, in the order of [`name`](Self::name).
    pub const ALL: [Self; 16] = [
        Self::Blake2b,
        Self::Blake2s,
        Self::Md5,
        Self::Sha1,
        Self::Sha224,
        Self::Sha256,
        Self::Sha384,
        Self::Sha512,
        Self::Sha512_224,
        Self::Sha512_256,
        Self::Sha3_224,
        Self::Sha3_256,
        Self::Sha3_384,
        Self::Sha3_512,
        Self::Shake128,
        Self::Shake256,
    ];

    /// Python's name for the algorithm (`hashlib.new(name).name`), e.g. `"sha3_256"`.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::Algorithm;
    /// assert_eq!(Algorithm::Shake128.name(), "shake_128");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Self::Blake2b => "blake2b",
            Self::Blake2s => "blake2s",
            Self::Md5 => "md5",
            Self::Sha1 => "sha1",
            Self::Sha224 => "sha224",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
            Self::Sha512_224 => "sha512_224",
            Self::Sha512_256 => "sha512_256",
            Self::Sha3_224 => "sha3_224",
            Self::Sha3_256 => "sha3_256",
            Self::Sha3_384 => "sha3_384",
            Self::Sha3_512 => "sha3_512",
            Self::Shake128 => "shake_128",
            Self::Shake256 => "shake_256",
        }
    }

    /// The output size in bytes, as Python's `digest_size` reports it: the default (largest)
    /// size for BLAKE2, and 0 for SHAKE, whose length is chosen at
    /// [`digest_xof`](crate::Hash::digest_xof).
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::Algorithm;
    /// assert_eq!(Algorithm::Sha512_224.digest_size(), 28);
    /// assert_eq!(Algorithm::Shake256.digest_size(), 0);
    /// ```
    pub const fn digest_size(self) -> usize {
        match self {
            Self::Blake2b | Self::Sha512 | Self::Sha3_512 => 64,
            Self::Blake2s | Self::Sha256 | Self::Sha512_256 | Self::Sha3_256 => 32,
            Self::Md5 => 16,
            Self::Sha1 => 20,
            Self::Sha224 | Self::Sha512_224 | Self::Sha3_224 => 28,
            Self::Sha384 | Self::Sha3_384 => 48,
            Self::Shake128 | Self::Shake256 => 0,
        }
    }

    /// The internal block size in bytes (for SHA-3 and SHAKE: the sponge rate), as Python's
    /// `block_size` reports it. HMAC pads its key to this size.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::Algorithm;
    /// assert_eq!(Algorithm::Sha3_256.block_size(), 136);
    /// ```
    pub const fn block_size(self) -> usize {
        match self {
            Self::Blake2s | Self::Md5 | Self::Sha1 | Self::Sha224 | Self::Sha256 => 64,
            Self::Blake2b | Self::Sha384 | Self::Sha512 | Self::Sha512_224 | Self::Sha512_256 => {
                128
            }
            Self::Sha3_224 => 144,
            Self::Sha3_256 | Self::Shake256 => 136,
            Self::Sha3_384 => 104,
            Self::Sha3_512 => 72,
            Self::Shake128 => 168,
        }
    }

    /// Whether the algorithm is an extendable-output function (SHAKE), whose output length
    /// the caller chooses.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::Algorithm;
    /// assert!(Algorithm::Shake128.is_xof());
    /// assert!(!Algorithm::Sha3_256.is_xof());
    /// ```
    pub const fn is_xof(self) -> bool {
        matches!(self, Self::Shake128 | Self::Shake256)
    }
}

impl FromStr for Algorithm {
    type Err = Error;

    /// Looks an algorithm up by Python's name or an OpenSSL spelling, ignoring ASCII case.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let lower = name.to_ascii_lowercase();
        ALIASES
            .iter()
            .find(|(alias, _)| *alias == lower)
            .map(|&(_, alg)| alg)
            .ok_or_else(|| Error::UnknownAlgorithm {
                name: name.to_owned(),
            })
    }
}

impl fmt::Display for Algorithm {
    /// Python's name, as [`name`](Self::name) returns it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every accepted spelling, lowercase: Python's name first, then the names OpenSSL 3 gives
/// the algorithm (`openssl list -digest-algorithms`) and the FIPS 180-4 / FIPS 202 titles.
const ALIASES: &[(&str, Algorithm)] = &[
    ("blake2b", Algorithm::Blake2b),
    ("blake2b512", Algorithm::Blake2b),
    ("blake2b-512", Algorithm::Blake2b),
    ("blake2s", Algorithm::Blake2s),
    ("blake2s256", Algorithm::Blake2s),
    ("blake2s-256", Algorithm::Blake2s),
    ("md5", Algorithm::Md5),
    ("md-5", Algorithm::Md5),
    ("sha1", Algorithm::Sha1),
    ("sha-1", Algorithm::Sha1),
    ("sha224", Algorithm::Sha224),
    ("sha-224", Algorithm::Sha224),
    ("sha2-224", Algorithm::Sha224),
    ("sha256", Algorithm::Sha256),
    ("sha-256", Algorithm::Sha256),
    ("sha2-256", Algorithm::Sha256),
    ("sha384", Algorithm::Sha384),
    ("sha-384", Algorithm::Sha384),
    ("sha2-384", Algorithm::Sha384),
    ("sha512", Algorithm::Sha512),
    ("sha-512", Algorithm::Sha512),
    ("sha2-512", Algorithm::Sha512),
    ("sha512_224", Algorithm::Sha512_224),
    ("sha512-224", Algorithm::Sha512_224),
    ("sha-512/224", Algorithm::Sha512_224),
    ("sha2-512/224", Algorithm::Sha512_224),
    ("sha512/224", Algorithm::Sha512_224),
    ("sha512_256", Algorithm::Sha512_256),
    ("sha512-256", Algorithm::Sha512_256),
    ("sha-512/256", Algorithm::Sha512_256),
    ("sha2-512/256", Algorithm::Sha512_256),
    ("sha512/256", Algorithm::Sha512_256),
    ("sha3_224", Algorithm::Sha3_224),
    ("sha3-224", Algorithm::Sha3_224),
    ("sha3_256", Algorithm::Sha3_256),
    ("sha3-256", Algorithm::Sha3_256),
    ("sha3_384", Algorithm::Sha3_384),
    ("sha3-384", Algorithm::Sha3_384),
    ("sha3_512", Algorithm::Sha3_512),
    ("sha3-512", Algorithm::Sha3_512),
    ("shake_128", Algorithm::Shake128),
    ("shake128", Algorithm::Shake128),
    ("shake-128", Algorithm::Shake128),
    ("shake_256", Algorithm::Shake256),
    ("shake256", Algorithm::Shake256),
    ("shake-256", Algorithm::Shake256),
];

#[cfg(test)]
mod tests {
    use super::*;

    // Sizes as CPython 3.11 reports them: `hashlib.new(name).digest_size`, `.block_size`.
    const PYTHON_SIZES: &[(&str, usize, usize)] = &[
        ("blake2b", 64, 128),
        ("blake2s", 32, 64),
        ("md5", 16, 64),
        ("sha1", 20, 64),
        ("sha224", 28, 64),
        ("sha256", 32, 64),
        ("sha384", 48, 128),
        ("sha512", 64, 128),
        ("sha512_224", 28, 128),
        ("sha512_256", 32, 128),
        ("sha3_224", 28, 144),
        ("sha3_256", 32, 136),
        ("sha3_384", 48, 104),
        ("sha3_512", 64, 72),
        ("shake_128", 0, 168),
        ("shake_256", 0, 136),
    ];

    const SPELLINGS: &[(&str, Option<Algorithm>)] = &[
        // Python's names, any case
        ("sha256", Some(Algorithm::Sha256)),
        ("SHA256", Some(Algorithm::Sha256)),
        ("Sha3_512", Some(Algorithm::Sha3_512)),
        ("BLAKE2b", Some(Algorithm::Blake2b)),
        // OpenSSL spellings
        ("SHA2-256", Some(Algorithm::Sha256)),
        ("SHA-256", Some(Algorithm::Sha256)),
        ("SHA512-224", Some(Algorithm::Sha512_224)),
        ("SHA2-512/256", Some(Algorithm::Sha512_256)),
        ("SHA3-384", Some(Algorithm::Sha3_384)),
        ("SHAKE128", Some(Algorithm::Shake128)),
        ("BLAKE2s256", Some(Algorithm::Blake2s)),
        ("SHA-1", Some(Algorithm::Sha1)),
        // Not algorithms we offer
        ("", None),
        ("sha", None),
        ("sha257", None),
        (" sha256", None),
        ("ripemd160", None),
        ("sha3", None),
    ];

    #[test]
    fn names_and_sizes_match_python() {
        assert_eq!(Algorithm::ALL.len(), PYTHON_SIZES.len());
        for (alg, &(name, digest_size, block_size)) in Algorithm::ALL.iter().zip(PYTHON_SIZES) {
            assert_eq!(alg.name(), name);
            assert_eq!(alg.digest_size(), digest_size, "{name}");
            assert_eq!(alg.block_size(), block_size, "{name}");
            assert_eq!(name.parse::<Algorithm>().unwrap(), *alg, "{name}");
            assert_eq!(alg.to_string(), name);
        }
    }

    #[test]
    fn spellings_parse() {
        for &(name, expected) in SPELLINGS {
            assert_eq!(name.parse::<Algorithm>().ok(), expected, "{name:?}");
        }
    }

    #[test]
    fn unknown_name_error_lists_the_valid_ones() {
        let err = "sha257".parse::<Algorithm>().unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("unknown hash algorithm \"sha257\""),
            "{text}"
        );
        for alg in Algorithm::ALL {
            assert!(text.contains(alg.name()), "{text}");
        }
    }
}
