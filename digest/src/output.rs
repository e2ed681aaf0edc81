//! The fixed-size result of a hash or MAC.

use std::fmt;
use std::ops::Deref;

use crate::compare::compare_digest;
use crate::error::Error;

/// A digest or MAC tag of up to 64 bytes, kept inline (no allocation).
///
/// It derefs to its bytes (Python's `digest()`), and prints as lowercase hex with `{}` and
/// `{:x}` (Python's `hexdigest()`); `{:X}` prints uppercase. `==` between two outputs is
/// [`compare_digest`], so comparing a computed tag with a received one does not leak timing.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, digest};
///
/// let out = digest(Algorithm::Sha256, b"abc");
/// assert_eq!(out.len(), 32);
/// assert_eq!(out[0], 0xba);
/// assert_eq!(
///     out.to_string(),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// assert_eq!(format!("{out:x}"), out.to_string());
/// assert_eq!(&format!("{out:X}")[..4], "BA78");
/// ```
#[derive(Clone, Copy)]
pub struct Output {
    bytes: [u8; MAX_OUTPUT],
    len: usize,
}

impl Output {
    /// Copies `bytes` (at most 64) into an output; the caller guarantees the length.
    #[inline]
    pub(crate) fn from_slice(bytes: &[u8]) -> Self {
        let mut out = Self {
            bytes: [0; MAX_OUTPUT],
            len: bytes.len(),
        };
        out.bytes[..bytes.len()].copy_from_slice(bytes);
        out
    }

    /// The first `len` bytes of `bytes`, copied whole (a copy of a size known at compile
    /// time is a few moves, where a `len`-byte one is a `memcpy` call); the caller
    /// guarantees `len <= N <= 64`.
    #[inline]
    pub(crate) fn from_prefix<const N: usize>(bytes: &[u8; N], len: usize) -> Self {
        let mut out = Self {
            bytes: [0; MAX_OUTPUT],
            len,
        };
        out.bytes[..N].copy_from_slice(bytes);
        // What lies past a truncated digest is not part of it (and, for SHA-512/t, is what
        // the truncation hides): leave zeros there, as `from_slice` does.
        if len < N {
            out.bytes[len..N].fill(0);
        }
        out
    }

    /// The bytes, as Python's `digest()` returns them.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, digest};
    /// assert_eq!(digest(Algorithm::Md5, b"").as_bytes()[..2], [0xd4, 0x1d]);
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Lowercase hex, as Python's `hexdigest()` returns it.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, digest};
    /// assert_eq!(digest(Algorithm::Md5, b"").to_hex(), "d41d8cd98f00b204e9800998ecf8427e");
    /// ```
    pub fn to_hex(&self) -> String {
        base16ct::lower::encode_string(self)
    }
}

impl Deref for Output {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<[u8]> for Output {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl PartialEq for Output {
    /// Constant-time in the contents: see [`compare_digest`].
    fn eq(&self, other: &Self) -> bool {
        compare_digest(self, other)
    }
}

impl Eq for Output {}

impl fmt::LowerHex for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; 2 * MAX_OUTPUT];
        f.write_str(base16ct::lower::encode_str(self, &mut buf).map_err(|_| fmt::Error)?)
    }
}

impl fmt::UpperHex for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; 2 * MAX_OUTPUT];
        f.write_str(base16ct::upper::encode_str(self, &mut buf).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Display for Output {
    /// Lowercase hex, like `{:x}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::LowerHex::fmt(self, f)
    }
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Output({self:x})")
    }
}

/// The largest fixed output: SHA-512, SHA3-512 and BLAKE2b produce 64 bytes.
pub(crate) const MAX_OUTPUT: usize = 64;

/// A zeroed buffer of `len` bytes for a variable-length output (SHAKE, PBKDF2, scrypt),
/// refused with [`Error::OutOfMemory`] instead of aborting the process when the allocator
/// cannot provide it.
pub(crate) fn zeroed(len: usize) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    out.try_reserve_exact(len)
        .map_err(|_| Error::OutOfMemory { requested: len })?;
    out.resize(len, 0);
    Ok(out)
}
