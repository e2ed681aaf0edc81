//! HMAC (RFC 2104, FIPS 198-1) over every fixed-size algorithm, with prepared keys.

use std::fmt;
use std::io::{self, Write};

use crate::algorithm::Algorithm;
use crate::compare::compare_digest;
use crate::error::Error;
use crate::hash::Hash;
use crate::md5_core;
use crate::output::Output;
use crate::sha2_core::{s256, s512};

/// A key made ready for HMAC: the padded key has already been absorbed into the inner and
/// outer hash states, so each MAC under it skips those two compressions.
///
/// Use one for many messages under the same key (a server checking request signatures,
/// PBKDF2). [`mac`](Self::mac) computes one MAC; [`start`](Self::start) begins an
/// incremental one.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, HmacKey, hmac_digest};
/// # fn main() -> Result<(), palisade_digest::Error> {
/// let key = HmacKey::new(b"key", Algorithm::Sha256)?;
/// for msg in [&b"first"[..], b"second"] {
///     assert_eq!(key.mac(msg), hmac_digest(b"key", msg, Algorithm::Sha256)?);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct HmacKey {
    algorithm: Algorithm,
    prepared: Prepared,
}

impl HmacKey {
    /// Prepares `key` for HMAC with `algorithm`. Keys longer than the block size are hashed
    /// first, shorter ones zero-padded (RFC 2104 section 2).
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedHmac`] for SHAKE, which has no fixed output size.
    // Inlined so that `hmac_digest` keeps the keyed states in registers on their way to
    // `mac`: a MAC is a chain of dependent compressions, and a round trip of the states
    // through memory between them cost the one-shot about 50 ns (measured on a Xeon).
    #[inline(always)]
    pub fn new(key: impl AsRef<[u8]>, algorithm: Algorithm) -> Result<Self, Error> {
        let key = key.as_ref();
        if algorithm.is_xof() {
            return Err(Error::UnsupportedHmac { algorithm });
        }
        let block_size = algorithm.block_size();
        let (ipad, opad) = padded_key::<MAX_BLOCK>(key, algorithm);
        let (ipad, opad) = (&ipad[..block_size], &opad[..block_size]);
        let prepared = match algorithm {
            Algorithm::Sha224 => Prepared::s256(s256::IV_224, ipad, opad, 28),
            Algorithm::Sha256 => Prepared::s256(s256::IV_256, ipad, opad, 32),
            Algorithm::Sha384 => Prepared::s512(s512::IV_384, ipad, opad, 48),
            Algorithm::Sha512 => Prepared::s512(s512::IV_512, ipad, opad, 64),
            Algorithm::Sha512_224 => Prepared::s512(s512::IV_512_224, ipad, opad, 28),
            Algorithm::Sha512_256 => Prepared::s512(s512::IV_512_256, ipad, opad, 32),
            Algorithm::Md5 => Prepared::md5(ipad, opad),
            Algorithm::Blake2b
            | Algorithm::Blake2s
            | Algorithm::Sha1
            | Algorithm::Sha3_224
            | Algorithm::Sha3_256
            | Algorithm::Sha3_384
            | Algorithm::Sha3_512
            | Algorithm::Shake128
            | Algorithm::Shake256 => Prepared::generic(algorithm, ipad, opad),
        };
        Ok(Self {
            algorithm,
            prepared,
        })
    }

    /// The MAC of `message` under this key.
    #[inline(always)] // see `new`
    pub fn mac(&self, message: impl AsRef<[u8]>) -> Output {
        let message = message.as_ref();
        // The SHA-2 and MD5 paths work on the bare chaining values and never copy the key
        // state.
        match &self.prepared {
            Prepared::Md5 { inner, outer } => {
                Output::from_prefix(&md5_core::mac(*inner, *outer, message), md5_core::DIGEST)
            }
            Prepared::S256 {
                inner,
                outer,
                out_len,
            } => Output::from_prefix(&s256::mac(*inner, *outer, message, *out_len), *out_len),
            Prepared::S512 {
                inner,
                outer,
                out_len,
            } => Output::from_prefix(&s512::mac(*inner, *outer, message, *out_len), *out_len),
            Prepared::Generic(_) => {
                let mut keyed = self.keyed();
                keyed.update(message);
                keyed.finish()
            }
        }
    }

    /// Begins an incremental MAC under this key.
    pub fn start(&self) -> Hmac {
        Hmac {
            algorithm: self.algorithm,
            keyed: self.keyed(),
        }
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// For PBKDF2: the inner and outer keyed states.
    pub(crate) fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    /// A streaming state that has absorbed the padded key.
    fn keyed(&self) -> Keyed {
        match &self.prepared {
            Prepared::Md5 { inner, outer } => Keyed::Md5 {
                inner: md5_core::Md5::from_state(*inner, md5_core::BLOCK as u64),
                outer: *outer,
            },
            Prepared::S256 {
                inner,
                outer,
                out_len,
            } => Keyed::S256 {
                inner: s256::Engine::from_state(*inner, 64),
                outer: *outer,
                out_len: *out_len,
            },
            Prepared::S512 {
                inner,
                outer,
                out_len,
            } => Keyed::S512 {
                inner: s512::Engine::from_state(*inner, 128),
                outer: *outer,
                out_len: *out_len,
            },
            Prepared::Generic(keyed) => Keyed::Generic(keyed.clone()),
        }
    }
}

impl fmt::Debug for HmacKey {
    /// Prints no key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacKey")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

/// A running HMAC, Python's `hmac.new(key, msg, digestmod)` object.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, Hmac};
/// # fn main() -> Result<(), palisade_digest::Error> {
/// // RFC 4231 test case 2.
/// let mut mac = Hmac::new(b"Jefe", Algorithm::Sha256)?;
/// mac.update(b"what do ya want ");
/// mac.update(b"for nothing?");
/// assert_eq!(mac.name(), "hmac-sha256");
/// assert_eq!(
///     mac.hexdigest(),
///     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
/// );
/// assert!(mac.verify(&mac.digest()).is_ok());
/// assert!(mac.verify(&[0; 32]).is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Hmac {
    algorithm: Algorithm,
    keyed: Keyed,
}

impl Hmac {
    /// Starts an HMAC of `algorithm` under `key`.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedHmac`] for SHAKE.
    pub fn new(key: impl AsRef<[u8]>, algorithm: Algorithm) -> Result<Self, Error> {
        Ok(HmacKey::new(key, algorithm)?.start())
    }

    /// Adds message data.
    pub fn update(&mut self, data: impl AsRef<[u8]>) {
        self.keyed.update(data.as_ref());
    }

    /// The MAC of everything fed so far; the state is not consumed.
    pub fn digest(&self) -> Output {
        self.keyed.clone().finish()
    }

    /// The MAC as lowercase hex.
    pub fn hexdigest(&self) -> String {
        self.digest().to_hex()
    }

    /// Checks the MAC against `expected` in constant time: the RustCrypto
    /// `verify_slice` contract, with the length checked first.
    ///
    /// # Errors
    ///
    /// [`Error::MacMismatch`] when the length or any byte differs.
    pub fn verify(&self, expected: impl AsRef<[u8]>) -> Result<(), Error> {
        let expected = expected.as_ref();
        if expected.len() != self.digest_size() {
            return Err(Error::MacMismatch);
        }
        if compare_digest(self.digest(), expected) {
            Ok(())
        } else {
            Err(Error::MacMismatch)
        }
    }

    /// The MAC size in bytes: the hash's digest size.
    pub fn digest_size(&self) -> usize {
        self.algorithm.digest_size()
    }

    /// The hash's block size in bytes.
    pub fn block_size(&self) -> usize {
        self.algorithm.block_size()
    }

    /// Python's `name`: `"hmac-"` and the hash's name, e.g. `"hmac-sha256"`.
    pub fn name(&self) -> &'static str {
        match self.algorithm {
            Algorithm::Blake2b => "hmac-blake2b",
            Algorithm::Blake2s => "hmac-blake2s",
            Algorithm::Md5 => "hmac-md5",
            Algorithm::Sha1 => "hmac-sha1",
            Algorithm::Sha224 => "hmac-sha224",
            Algorithm::Sha256 => "hmac-sha256",
            Algorithm::Sha384 => "hmac-sha384",
            Algorithm::Sha512 => "hmac-sha512",
            Algorithm::Sha512_224 => "hmac-sha512_224",
            Algorithm::Sha512_256 => "hmac-sha512_256",
            Algorithm::Sha3_224 => "hmac-sha3_224",
            Algorithm::Sha3_256 => "hmac-sha3_256",
            Algorithm::Sha3_384 => "hmac-sha3_384",
            Algorithm::Sha3_512 => "hmac-sha3_512",
            Algorithm::Shake128 => "hmac-shake_128",
            Algorithm::Shake256 => "hmac-shake_256",
        }
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

impl Write for Hmac {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.update(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl fmt::Debug for Hmac {
    /// Prints no key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hmac")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

/// The HMAC of `message` under `key` in one call: `hmac.digest(key, msg, digest)`.
///
/// # Errors
///
/// [`Error::UnsupportedHmac`] for SHAKE.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, hmac_digest};
/// # fn main() -> Result<(), palisade_digest::Error> {
/// let tag = hmac_digest(b"key", b"The quick brown fox jumps over the lazy dog", Algorithm::Md5)?;
/// assert_eq!(tag.to_string(), "80070713463e7749b90c2dc24911e275");
/// # Ok(())
/// # }
/// ```
pub fn hmac_digest(
    key: impl AsRef<[u8]>,
    message: impl AsRef<[u8]>,
    algorithm: Algorithm,
) -> Result<Output, Error> {
    Ok(HmacKey::new(key, algorithm)?.mac(message))
}

/// The two padded keys of RFC 2104 section 2 for `algorithm`, `K ^ ipad` and `K ^ opad`, in
/// arrays of `N` bytes (at least the block size; the rest is padding too). A key longer than
/// the block size is hashed first.
#[inline(always)] // see `HmacKey::new`
pub(crate) fn padded_key<const N: usize>(key: &[u8], algorithm: Algorithm) -> ([u8; N], [u8; N]) {
    // RFC 2104: "Applications that use keys longer than B bytes will first hash the key
    // using H and then use the resultant L byte string as the actual key to HMAC."
    let hashed;
    let key = if key.len() > algorithm.block_size() {
        hashed = crate::hash::digest(algorithm, key);
        hashed.as_bytes()
    } else {
        key
    };
    let mut padded = [0; N];
    padded[..key.len()].copy_from_slice(key);
    (padded.map(|b| b ^ IPAD), padded.map(|b| b ^ OPAD))
}

/// A prepared key: the chaining values after the ipad and opad blocks for SHA-2 (see
/// `sha2_core`) and MD5 (`md5_core`), hash states that have absorbed them otherwise (boxed,
/// so that the bare variants stay small to copy).
#[derive(Clone)]
pub(crate) enum Prepared {
    Md5 {
        inner: [u32; 4],
        outer: [u32; 4],
    },
    S256 {
        inner: [u32; 8],
        outer: [u32; 8],
        out_len: usize,
    },
    S512 {
        inner: [u64; 8],
        outer: [u64; 8],
        out_len: usize,
    },
    Generic(Box<GenericKeyed>),
}

impl Prepared {
    /// Hash states that have absorbed the ipad and opad blocks.
    fn generic(algorithm: Algorithm, ipad: &[u8], opad: &[u8]) -> Self {
        let mut inner = Hash::new(algorithm);
        inner.update(ipad);
        let mut outer = Hash::new(algorithm);
        outer.update(opad);
        Self::Generic(Box::new(GenericKeyed { inner, outer }))
    }

    #[inline]
    fn md5(ipad: &[u8], opad: &[u8]) -> Self {
        let (mut inner, mut outer) = (md5_core::IV, md5_core::IV);
        md5_core::compress(&mut inner, ipad.as_chunks().0);
        md5_core::compress(&mut outer, opad.as_chunks().0);
        Self::Md5 { inner, outer }
    }

    #[inline]
    fn s256(iv: [u32; 8], ipad: &[u8], opad: &[u8], out_len: usize) -> Self {
        let (mut inner, mut outer) = (iv, iv);
        s256::compress_slice(&mut inner, ipad);
        s256::compress_slice(&mut outer, opad);
        Self::S256 {
            inner,
            outer,
            out_len,
        }
    }

    #[inline]
    fn s512(iv: [u64; 8], ipad: &[u8], opad: &[u8], out_len: usize) -> Self {
        let (mut inner, mut outer) = (iv, iv);
        s512::compress_slice(&mut inner, ipad);
        s512::compress_slice(&mut outer, opad);
        Self::S512 {
            inner,
            outer,
            out_len,
        }
    }
}

/// A running MAC: the streaming inner state and the waiting outer one.
#[derive(Clone)]
enum Keyed {
    Md5 {
        inner: md5_core::Md5,
        outer: [u32; 4],
    },
    S256 {
        inner: s256::Engine,
        outer: [u32; 8],
        out_len: usize,
    },
    S512 {
        inner: s512::Engine,
        outer: [u64; 8],
        out_len: usize,
    },
    Generic(Box<GenericKeyed>),
}

/// Hash states after the padded key: the inner one running, the outer one waiting.
#[derive(Clone)]
pub(crate) struct GenericKeyed {
    inner: Hash,
    outer: Hash,
}

impl Keyed {
    fn update(&mut self, data: &[u8]) {
        match self {
            Self::Md5 { inner, .. } => inner.update(data),
            Self::S256 { inner, .. } => inner.update(data),
            Self::S512 { inner, .. } => inner.update(data),
            Self::Generic(keyed) => keyed.inner.update(data),
        }
    }

    fn finish(self) -> Output {
        match self {
            Self::Md5 { inner, outer } => Output::from_prefix(
                &md5_core::outer_finish(outer, &inner.finalize()),
                md5_core::DIGEST,
            ),
            Self::S256 {
                inner,
                outer,
                out_len,
            } => {
                let inner = s256::state_bytes(&inner.finish());
                Output::from_prefix(&s256::outer_finish(outer, &inner, out_len), out_len)
            }
            Self::S512 {
                inner,
                outer,
                out_len,
            } => {
                let inner = s512::state_bytes(&inner.finish());
                Output::from_prefix(&s512::outer_finish(outer, &inner, out_len), out_len)
            }
            Self::Generic(keyed) => {
                let GenericKeyed { inner, mut outer } = *keyed;
                outer.update(inner.finalize());
                outer.finalize()
            }
        }
    }
}

/// The largest block size among the HMAC-capable algorithms (SHA3-224's rate).
const MAX_BLOCK: usize = 144;
/// RFC 2104 section 2: "ipad = the byte 0x36 repeated B times".
const IPAD: u8 = 0x36;
/// RFC 2104 section 2: "opad = the byte 0x5C repeated B times".
const OPAD: u8 = 0x5c;
