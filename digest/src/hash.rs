//! Incremental hashing by algorithm, and the one-shot functions built on it.

use std::fmt;
use std::io::{self, Write};

use sha3::digest::{ExtendableOutput, Update, XofReader};

use crate::algorithm::Algorithm;
use crate::error::Error;
use crate::md5_core;
use crate::output::{Output, zeroed};
use crate::sha2_core::s512;

// SHA-3 with fixed output: OpenSSL's CRYPTOGAMS Keccak assembly (keccak-asm) where it is
// built, otherwise RustCrypto's sha3. Both implement the `digest` 0.10 traits. SHAKE always
// uses sha3 (keccak-asm has no XOF).
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
use keccak_asm as sha3_fixed;
#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
use sha3 as sha3_fixed;

/// A running hash computation, Python's `hashlib.new(name)` object.
///
/// Feed it with [`update`](Self::update) or through [`io::Write`]; read the result with
/// [`digest`](Self::digest) or [`hexdigest`](Self::hexdigest), which (as in Python) leave the
/// state untouched, so more data can follow. [`Clone`] is Python's `copy()`.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, Hash};
/// # fn main() -> Result<(), palisade_digest::Error> {
/// let mut h = Hash::new("sha256".parse()?);
/// h.update(b"hello ");
/// let prefix = h.clone();
/// h.update(b"world");
/// assert_eq!(
///     h.hexdigest(),
///     "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
/// );
/// assert_eq!(prefix.digest_size(), 32);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Hash {
    algorithm: Algorithm,
    digest_size: usize,
    state: State,
}

impl Hash {
    /// Starts a hash with the algorithm's default parameters (BLAKE2 at its full size,
    /// unkeyed).
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, Hash};
    /// let h = Hash::new(Algorithm::Blake2s);
    /// assert_eq!((h.name(), h.digest_size(), h.block_size()), ("blake2s", 32, 64));
    /// ```
    pub fn new(algorithm: Algorithm) -> Self {
        let state = match algorithm {
            Algorithm::Blake2b => State::Blake2b512(blake2::Blake2b512::default()),
            Algorithm::Blake2s => State::Blake2s256(blake2::Blake2s256::default()),
            Algorithm::Md5 => State::Md5(md5_core::Md5::new()),
            Algorithm::Sha1 => State::Sha1(sha1::Sha1::default()),
            Algorithm::Sha224 => State::Sha224(sha2::Sha224::default()),
            Algorithm::Sha256 => State::Sha256(sha2::Sha256::default()),
            Algorithm::Sha384
            | Algorithm::Sha512
            | Algorithm::Sha512_224
            | Algorithm::Sha512_256 => State::Sha512(sha512_start(algorithm)),
            Algorithm::Sha3_224 => State::Sha3_224(sha3_fixed::Sha3_224::default()),
            Algorithm::Sha3_256 => State::Sha3_256(sha3_fixed::Sha3_256::default()),
            Algorithm::Sha3_384 => State::Sha3_384(sha3_fixed::Sha3_384::default()),
            Algorithm::Sha3_512 => State::Sha3_512(sha3_fixed::Sha3_512::default()),
            Algorithm::Shake128 => State::Shake128(sha3::Shake128::default()),
            Algorithm::Shake256 => State::Shake256(sha3::Shake256::default()),
        };
        Self {
            algorithm,
            digest_size: algorithm.digest_size(),
            state,
        }
    }

    /// Starts a BLAKE2 hash with parameters, Python's
    /// `hashlib.blake2b(digest_size=..., key=..., salt=..., person=...)`.
    ///
    /// # Errors
    ///
    /// [`Error::NotBlake2`] for any other algorithm; [`Error::DigestSize`] for a digest size of
    /// 0 or above 64 (BLAKE2b) / 32 (BLAKE2s); [`Error::Blake2ParameterTooLong`] for a key
    /// longer than 64 / 32 bytes or a salt or person longer than 16 / 8 bytes. These are
    /// Python's limits (RFC 7693 section 2.1).
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, Blake2Params, Hash};
    /// # fn main() -> Result<(), palisade_digest::Error> {
    /// let params = Blake2Params::new().digest_size(16).key(b"secret").person(b"app v1");
    /// let mut h = Hash::blake2(Algorithm::Blake2b, &params)?;
    /// h.update(b"message");
    /// assert_eq!(h.digest().len(), 16);
    /// assert!(Hash::blake2(Algorithm::Blake2s, &Blake2Params::new().digest_size(33)).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn blake2(algorithm: Algorithm, params: &Blake2Params<'_>) -> Result<Self, Error> {
        let (max_out, max_key, max_salt) = match algorithm {
            Algorithm::Blake2b => (64, 64, 16),
            Algorithm::Blake2s => (32, 32, 8),
            _ => return Err(Error::NotBlake2 { algorithm }),
        };
        let digest_size = params.digest_size.unwrap_or(max_out);
        if digest_size == 0 || digest_size > max_out {
            return Err(Error::DigestSize {
                algorithm,
                requested: digest_size,
                max: max_out,
            });
        }
        for (parameter, value, max) in [
            ("key", params.key, max_key),
            ("salt", params.salt, max_salt),
            ("person", params.person, max_salt),
        ] {
            if value.len() > max {
                return Err(Error::Blake2ParameterTooLong {
                    algorithm,
                    parameter,
                    len: value.len(),
                    max,
                });
            }
        }
        if params.key.is_empty()
            && params.salt.is_empty()
            && params.person.is_empty()
            && digest_size == max_out
        {
            return Ok(Self::new(algorithm));
        }
        // The lengths were checked above against the limits these builders assert. The
        // parameters are kept beside the state for `reset`.
        let state = if algorithm == Algorithm::Blake2b {
            let mut p = blake2b_simd::Params::new();
            p.hash_length(digest_size)
                .key(params.key)
                .salt(params.salt)
                .personal(params.person);
            State::Blake2b(p.to_state(), p)
        } else {
            let mut p = blake2s_simd::Params::new();
            p.hash_length(digest_size)
                .key(params.key)
                .salt(params.salt)
                .personal(params.person);
            State::Blake2s(p.to_state(), p)
        };
        Ok(Self {
            algorithm,
            digest_size,
            state,
        })
    }

    /// Adds data to the hash.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, Hash, digest};
    /// let mut h = Hash::new(Algorithm::Sha1);
    /// h.update("ab");
    /// h.update(b"c");
    /// assert_eq!(h.digest(), digest(Algorithm::Sha1, b"abc"));
    /// ```
    pub fn update(&mut self, data: impl AsRef<[u8]>) {
        let data = data.as_ref();
        match &mut self.state {
            State::Blake2b512(s) => blake2::Digest::update(s, data),
            State::Blake2s256(s) => blake2::Digest::update(s, data),
            State::Blake2b(s, _) => {
                s.update(data);
            }
            State::Blake2s(s, _) => {
                s.update(data);
            }
            State::Md5(s) => s.update(data),
            State::Sha1(s) => s.update(data),
            State::Sha224(s) => s.update(data),
            State::Sha256(s) => s.update(data),
            State::Sha512(s) => s.update(data),
            State::Sha3_224(s) => s.update(data),
            State::Sha3_256(s) => s.update(data),
            State::Sha3_384(s) => s.update(data),
            State::Sha3_512(s) => s.update(data),
            State::Shake128(s) => s.update(data),
            State::Shake256(s) => s.update(data),
        }
    }

    /// Drops everything fed so far: the hash is again as [`new`](Self::new) or
    /// [`blake2`](Self::blake2) made it, with the same algorithm and the same BLAKE2 key, salt,
    /// personalisation and size.
    ///
    /// Python has no such method (it makes a new object); RustCrypto's `Reset` trait does the
    /// same (see the crate's README, "RustCrypto traits").
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, Blake2Params, Hash};
    /// # fn main() -> Result<(), palisade_digest::Error> {
    /// let params = Blake2Params::new().key(b"secret").digest_size(20);
    /// let mut h = Hash::blake2(Algorithm::Blake2b, &params)?;
    /// h.update(b"first message");
    /// h.reset();
    /// h.update(b"second message");
    /// let mut fresh = Hash::blake2(Algorithm::Blake2b, &params)?;
    /// fresh.update(b"second message");
    /// assert_eq!(h.digest(), fresh.digest());
    /// # Ok(())
    /// # }
    /// ```
    pub fn reset(&mut self) {
        self.state = self.initial_state();
    }

    /// The state of a new hash with this one's parameters.
    fn initial_state(&self) -> State {
        match &self.state {
            State::Blake2b(_, params) => State::Blake2b(params.to_state(), params.clone()),
            State::Blake2s(_, params) => State::Blake2s(params.to_state(), params.clone()),
            _ => Self::new(self.algorithm).state,
        }
    }

    /// The digest of everything fed so far, and the hash reset (one state finished, none
    /// copied).
    #[cfg(any(feature = "digest", feature = "digest-0_10"))] // for `traits.rs`
    pub(crate) fn finalize_reset(&mut self) -> Output {
        let initial = self.initial_state();
        let done = Self {
            algorithm: self.algorithm,
            digest_size: self.digest_size,
            state: std::mem::replace(&mut self.state, initial),
        };
        done.finalize()
    }

    /// The length of [`digest`](Self::digest): the digest size, and for SHAKE the default
    /// output length (16 bytes for SHAKE128, 32 for SHAKE256).
    #[cfg(any(feature = "digest", feature = "digest-0_10"))] // for `traits.rs`
    pub(crate) fn output_len(&self) -> usize {
        match self.algorithm {
            Algorithm::Shake128 => SHAKE128_DEFAULT_LEN,
            Algorithm::Shake256 => SHAKE256_DEFAULT_LEN,
            _ => self.digest_size,
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Python's `name`: the algorithm's name (`"sha256"`, `"blake2b"`, ...).
    pub fn name(&self) -> &'static str {
        self.algorithm.name()
    }

    /// Python's `digest_size`: the output size in bytes (the chosen size for BLAKE2, 0 for
    /// SHAKE).
    pub fn digest_size(&self) -> usize {
        self.digest_size
    }

    /// Python's `block_size`, in bytes.
    pub fn block_size(&self) -> usize {
        self.algorithm.block_size()
    }

    /// The digest of everything fed so far; the state is not consumed.
    ///
    /// SHAKE has no natural length: this returns 16 bytes for SHAKE128 and 32 for SHAKE256
    /// (their security levels, as `openssl dgst` does). Use
    /// [`digest_xof`](Self::digest_xof) to choose the length.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, Hash};
    /// assert_eq!(Hash::new(Algorithm::Shake128).digest().len(), 16);
    /// ```
    pub fn digest(&self) -> Output {
        self.clone().finalize()
    }

    /// The digest as lowercase hex, Python's `hexdigest()`.
    pub fn hexdigest(&self) -> String {
        self.digest().to_hex()
    }

    /// `len` bytes of SHAKE output, Python's `shake_128().digest(length)`.
    ///
    /// # Errors
    ///
    /// [`Error::NotXof`] for an algorithm other than SHAKE; [`Error::OutputTooLong`] past
    /// [`MAX_XOF_OUTPUT`] bytes, and [`Error::OutOfMemory`] when the buffer cannot be
    /// allocated (both before anything is computed).
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, Hash};
    /// # fn main() -> Result<(), palisade_digest::Error> {
    /// let mut h = Hash::new(Algorithm::Shake256);
    /// h.update(b"");
    /// assert_eq!(h.digest_xof(4)?, [0x46, 0xb9, 0xdd, 0x2b]);
    /// assert!(Hash::new(Algorithm::Sha256).digest_xof(4).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn digest_xof(&self, len: usize) -> Result<Vec<u8>, Error> {
        if !self.algorithm.is_xof() {
            return Err(Error::NotXof {
                algorithm: self.algorithm,
            });
        }
        if len > MAX_XOF_OUTPUT {
            return Err(Error::OutputTooLong {
                requested: len,
                max: MAX_XOF_OUTPUT,
            });
        }
        let mut out = zeroed(len)?;
        match &self.state {
            State::Shake128(s) => XofReader::read(&mut s.clone().finalize_xof(), &mut out),
            State::Shake256(s) => XofReader::read(&mut s.clone().finalize_xof(), &mut out),
            _ => {
                return Err(Error::NotXof {
                    algorithm: self.algorithm,
                });
            }
        }
        Ok(out)
    }

    /// Consumes the state and returns the digest (see [`digest`](Self::digest)).
    pub(crate) fn finalize(self) -> Output {
        use sha2::Digest as _;

        match self.state {
            State::Blake2b512(s) => Output::from_slice(&blake2::Digest::finalize(s)),
            State::Blake2s256(s) => Output::from_slice(&blake2::Digest::finalize(s)),
            State::Blake2b(s, _) => Output::from_slice(s.finalize().as_bytes()),
            State::Blake2s(s, _) => Output::from_slice(s.finalize().as_bytes()),
            State::Md5(s) => Output::from_slice(&s.finalize()),
            State::Sha1(s) => Output::from_slice(&s.finalize()),
            State::Sha224(s) => Output::from_slice(&s.finalize()),
            State::Sha256(s) => Output::from_slice(&s.finalize()),
            State::Sha512(s) => sha512_finish(s, self.digest_size),
            State::Sha3_224(s) => Output::from_slice(&s.finalize()),
            State::Sha3_256(s) => Output::from_slice(&s.finalize()),
            State::Sha3_384(s) => Output::from_slice(&s.finalize()),
            State::Sha3_512(s) => Output::from_slice(&s.finalize()),
            State::Shake128(s) => {
                let mut out = [0; SHAKE128_DEFAULT_LEN];
                XofReader::read(&mut s.finalize_xof(), &mut out);
                Output::from_slice(&out)
            }
            State::Shake256(s) => {
                let mut out = [0; SHAKE256_DEFAULT_LEN];
                XofReader::read(&mut s.finalize_xof(), &mut out);
                Output::from_slice(&out)
            }
        }
    }
}

impl Write for Hash {
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

impl fmt::Debug for Hash {
    /// The algorithm and size only: a keyed BLAKE2 state holds its key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hash")
            .field("algorithm", &self.algorithm)
            .field("digest_size", &self.digest_size)
            .finish_non_exhaustive()
    }
}

/// BLAKE2 parameters, the keyword arguments of Python's `hashlib.blake2b()`/`blake2s()`.
///
/// All are optional: the default is the full digest size, no key, and all-zero salt and
/// personalisation. Limits are checked by [`Hash::blake2`].
///
/// # Examples
///
/// ```
/// use palisade_digest::Blake2Params;
/// let params = Blake2Params::new().digest_size(32).key(b"k").salt(b"salt").person(b"me");
/// # let _ = params;
/// ```
#[derive(Clone, Copy, Default)]
pub struct Blake2Params<'a> {
    digest_size: Option<usize>,
    key: &'a [u8],
    salt: &'a [u8],
    person: &'a [u8],
}

impl<'a> Blake2Params<'a> {
    /// The defaults: full size, unkeyed, zero salt and personalisation.
    pub fn new() -> Self {
        Self::default()
    }

    /// The output size in bytes: 1 to 64 for BLAKE2b, 1 to 32 for BLAKE2s.
    #[must_use]
    pub fn digest_size(mut self, size: usize) -> Self {
        self.digest_size = Some(size);
        self
    }

    /// A key for keyed hashing (a MAC): at most 64 bytes for BLAKE2b, 32 for BLAKE2s.
    #[must_use]
    pub fn key(mut self, key: &'a [u8]) -> Self {
        self.key = key;
        self
    }

    /// A salt: at most 16 bytes for BLAKE2b, 8 for BLAKE2s (shorter ones are zero-padded).
    #[must_use]
    pub fn salt(mut self, salt: &'a [u8]) -> Self {
        self.salt = salt;
        self
    }

    /// A personalisation string: at most 16 bytes for BLAKE2b, 8 for BLAKE2s.
    #[must_use]
    pub fn person(mut self, person: &'a [u8]) -> Self {
        self.person = person;
        self
    }
}

impl fmt::Debug for Blake2Params<'_> {
    /// Prints the key's length only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blake2Params")
            .field("digest_size", &self.digest_size)
            .field("key_len", &self.key.len())
            .field("salt", &self.salt)
            .field("person", &self.person)
            .finish()
    }
}

/// Hashes `data` in one call: `hashlib.new(name, data).digest()`.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, digest};
/// assert_eq!(
///     digest(Algorithm::Sha3_256, b"").to_string(),
///     "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
/// );
/// ```
pub fn digest(algorithm: Algorithm, data: impl AsRef<[u8]>) -> Output {
    // Straight to each backend's one-shot: for short inputs, building and moving a whole
    // `Hash` (the size of its largest state) costs as much as the hash itself.
    let data = data.as_ref();
    match algorithm {
        Algorithm::Blake2b => fixed_011::<blake2::Blake2b512>(data),
        Algorithm::Blake2s => fixed_011::<blake2::Blake2s256>(data),
        Algorithm::Md5 => Output::from_slice(&md5_core::digest(data)),
        Algorithm::Sha1 => fixed::<sha1::Sha1>(data),
        Algorithm::Sha224 => fixed::<sha2::Sha224>(data),
        Algorithm::Sha256 => fixed::<sha2::Sha256>(data),
        Algorithm::Sha384 | Algorithm::Sha512 | Algorithm::Sha512_224 | Algorithm::Sha512_256 => {
            sha512_oneshot(algorithm, data)
        }
        Algorithm::Sha3_224 => fixed::<sha3_fixed::Sha3_224>(data),
        Algorithm::Sha3_256 => fixed::<sha3_fixed::Sha3_256>(data),
        Algorithm::Sha3_384 => fixed::<sha3_fixed::Sha3_384>(data),
        Algorithm::Sha3_512 => fixed::<sha3_fixed::Sha3_512>(data),
        Algorithm::Shake128 | Algorithm::Shake256 => {
            let mut h = Hash::new(algorithm);
            h.update(data);
            h.finalize()
        }
    }
}

/// A SHA-512-family state at its initial value (FIPS 180-4 5.3.4-5.3.6).
fn sha512_start(algorithm: Algorithm) -> s512::Engine {
    let iv = match algorithm {
        Algorithm::Sha384 => s512::IV_384,
        Algorithm::Sha512_224 => s512::IV_512_224,
        Algorithm::Sha512_256 => s512::IV_512_256,
        _ => s512::IV_512,
    };
    s512::Engine::from_state(iv, 0)
}

/// The first `len` bytes of the final chaining value (SHA-384 and SHA-512/t truncate it).
fn sha512_finish(engine: s512::Engine, len: usize) -> Output {
    let mut out = [0; 64];
    s512::write_state(&engine.finish(), &mut out[..len]);
    Output::from_slice(&out[..len])
}

/// A SHA-512-family hash in one call, out of line like [`fixed`].
#[inline(never)]
fn sha512_oneshot(algorithm: Algorithm, data: &[u8]) -> Output {
    let mut engine = sha512_start(algorithm);
    engine.update(data);
    sha512_finish(engine, algorithm.digest_size())
}

/// A fixed-output hash of the `digest` 0.10 generation in one call. Out of line, like
/// [`fixed_011`], so that each algorithm's state lives in its own stack frame instead of all
/// sixteen in the frame of [`digest`].
#[inline(never)]
fn fixed<D: sha2::Digest>(data: &[u8]) -> Output {
    Output::from_slice(&D::digest(data))
}

/// A fixed-output hash of the `digest` 0.11 generation (`blake2`) in one call.
#[inline(never)]
fn fixed_011<D: blake2::Digest>(data: &[u8]) -> Output {
    Output::from_slice(&D::digest(data))
}

/// The backend state of each algorithm (see the README, "Backends").
#[allow(clippy::large_enum_variant)] // boxing would cost an allocation per hash
#[derive(Clone)]
enum State {
    /// BLAKE2 with parameters (key, salt, person, size): `blake2b_simd` / `blake2s_simd`,
    /// which take them all at once (RustCrypto/hashes#360). The parameters (key included)
    /// are kept for [`Hash::reset`]; this makes the variant the largest, by 16 bytes.
    Blake2b(blake2b_simd::State, blake2b_simd::Params),
    Blake2s(blake2s_simd::State, blake2s_simd::Params),
    /// BLAKE2 with default parameters: RustCrypto `blake2` 0.11, faster here.
    Blake2b512(blake2::Blake2b512),
    Blake2s256(blake2::Blake2s256),
    /// MD5: our own core (`md5_core`), tuned for the latency of its dependency chain.
    Md5(md5_core::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    /// SHA-384, SHA-512, SHA-512/224, SHA-512/256: our engine over the two-block AVX2 core
    /// (`sha512_x86`), the initial value chosen by the algorithm.
    Sha512(s512::Engine),
    Sha3_224(sha3_fixed::Sha3_224),
    Sha3_256(sha3_fixed::Sha3_256),
    Sha3_384(sha3_fixed::Sha3_384),
    Sha3_512(sha3_fixed::Sha3_512),
    Shake128(sha3::Shake128),
    Shake256(sha3::Shake256),
}

/// What [`Hash::digest`] returns for SHAKE128 and SHAKE256: their security levels in bytes, as
/// `openssl dgst` does.
const SHAKE128_DEFAULT_LEN: usize = 16;
const SHAKE256_DEFAULT_LEN: usize = 32;

/// The longest SHAKE output [`Hash::digest_xof`] produces: 1 GiB, the same cap as
/// `palisade-random`'s requests. More is refused before any allocation.
pub const MAX_XOF_OUTPUT: usize = 1 << 30;
