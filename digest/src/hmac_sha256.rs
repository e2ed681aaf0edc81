//! HMAC-SHA256 as a type, for generic RustCrypto code: `digest` 0.11's `Mac` over the crate's
//! own SHA-256 engine (`sha2_core`).

use std::fmt;

use digest::common::KeySizeUser;
use digest::consts::{U32, U64};
use digest::{
    FixedOutput, FixedOutputReset, InvalidLength, Key, KeyInit, MacMarker, Output, OutputSizeUser,
    Reset, Update,
};

use crate::algorithm::Algorithm;
use crate::hmac::padded_key;
use crate::sha2_core::s256;

/// HMAC-SHA256 (RFC 2104, FIPS 198-1) as a typed `digest::Mac`: where generic RustCrypto
/// code takes `M: Mac + KeyInit` (`pbkdf2::pbkdf2::<M>`, HKDF, JWT and cookie signers), this
/// is the same MAC as RustCrypto's `hmac::Hmac<sha2::Sha256>` on the crate's SHA-256 engine.
///
/// The padded key is absorbed once, in `new_from_slice`: the keyed inner and outer states are
/// bare chaining values (32 bytes each), a MAC over a 64-byte message is the three
/// compressions the standard needs after them, and [`Clone`] copies no buffered hasher.
/// `Reset` and `FixedOutputReset` are implemented (RustCrypto's `Hmac` leaves them to a
/// separate `HmacReset` type): the keyed inner state is kept for them.
///
/// Keys of any length are taken (a longer one than the 64-byte block is hashed first);
/// `KeyInit::new` takes a 64-byte key as `hmac` does. For HMAC over an algorithm chosen at
/// run time, [`Hmac`](crate::Hmac) and [`HmacKey`](crate::HmacKey) are the untyped API.
///
/// # Examples
///
/// ```
/// use digest::{KeyInit, Mac};
/// use palisade_digest::{Algorithm, HmacSha256, hmac_digest};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // RFC 4231 test case 2.
/// let mut mac = HmacSha256::new_from_slice(b"Jefe")?;
/// mac.update(b"what do ya want for nothing?");
/// let tag = mac.finalize().into_bytes();
/// assert_eq!(tag[..], hmac_digest(b"Jefe", b"what do ya want for nothing?", Algorithm::Sha256)?[..]);
/// assert_eq!(tag[..4], [0x5b, 0xdc, 0xc1, 0x46]);
///
/// // Constant-time verification, from `Mac`.
/// let mac = HmacSha256::new_from_slice(b"Jefe")?;
/// assert!(mac.chain_update(b"what do ya want for nothing?").verify_slice(&tag).is_ok());
///
/// // Generic RustCrypto code takes it, e.g. `pbkdf2::pbkdf2::<HmacSha256>`.
/// fn tag_of<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
///     let mut m = <M as KeyInit>::new_from_slice(key).expect("HMAC takes any key");
///     m.update(msg);
///     m.finalize().into_bytes().to_vec()
/// }
/// assert_eq!(tag_of::<HmacSha256>(b"Jefe", b"what do ya want for nothing?"), tag[..]);
/// # Ok(())
/// # }
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "digest")))]
pub struct HmacSha256 {
    /// The running inner hash, started from `ipad`.
    inner: s256::Engine,
    /// The chaining value after the `K ^ ipad` block, for `reset`.
    ipad: [u32; 8],
    /// The chaining value after the `K ^ opad` block.
    opad: [u32; 8],
}

impl HmacSha256 {
    /// Absorbs the padded key (RFC 2104 section 2) into the inner and outer states.
    // Inlined like `HmacKey::new`, so that the keyed states stay in registers on their way to
    // the first update.
    #[inline(always)]
    fn keyed(key: &[u8]) -> Self {
        let (ipad_block, opad_block) = padded_key::<64>(key, Algorithm::Sha256);
        let (mut ipad, mut opad) = (s256::IV_256, s256::IV_256);
        s256::compress(&mut ipad, &ipad_block);
        s256::compress(&mut opad, &opad_block);
        Self {
            inner: Self::fresh_inner(ipad),
            ipad,
            opad,
        }
    }

    /// The inner hash as it is right after the key: the `K ^ ipad` block absorbed.
    #[inline(always)]
    fn fresh_inner(ipad: [u32; 8]) -> s256::Engine {
        s256::Engine::from_state(ipad, 64)
    }

    /// The MAC of what `inner` has absorbed: its padding, then the outer hash.
    #[inline(always)]
    fn finish(inner: &s256::Engine, opad: [u32; 8], out: &mut Output<Self>) {
        let inner = s256::state_bytes(&inner.finish());
        out.copy_from_slice(&s256::outer_finish(opad, &inner, 32));
    }
}

impl Clone for HmacSha256 {
    /// Field by field (see `s256::Engine`'s `Clone`).
    #[inline(always)]
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            ipad: self.ipad,
            opad: self.opad,
        }
    }
}

impl KeySizeUser for HmacSha256 {
    /// The block size, as for RustCrypto's `Hmac`.
    type KeySize = U64;
}

impl KeyInit for HmacSha256 {
    #[inline(always)]
    fn new(key: &Key<Self>) -> Self {
        Self::keyed(key)
    }

    /// Never fails: HMAC takes keys of any length.
    #[inline(always)]
    fn new_from_slice(key: &[u8]) -> Result<Self, InvalidLength> {
        Ok(Self::keyed(key))
    }
}

impl Update for HmacSha256 {
    #[inline]
    fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }
}

impl OutputSizeUser for HmacSha256 {
    type OutputSize = U32;
}

impl FixedOutput for HmacSha256 {
    #[inline(always)]
    fn finalize_into(self, out: &mut Output<Self>) {
        Self::finish(&self.inner, self.opad, out);
    }

    /// Overridden only to be inlined: the provided method, called out of line, took `self`
    /// by value, a `memcpy` of the whole state per MAC (PBKDF2's every iteration).
    #[inline(always)]
    fn finalize_fixed(self) -> Output<Self> {
        let mut out = Output::<Self>::default();
        self.finalize_into(&mut out);
        out
    }
}

impl Reset for HmacSha256 {
    /// Drops the message so far; the key stays.
    #[inline]
    fn reset(&mut self) {
        self.inner = Self::fresh_inner(self.ipad);
    }
}

impl FixedOutputReset for HmacSha256 {
    #[inline]
    fn finalize_into_reset(&mut self, out: &mut Output<Self>) {
        Self::finish(&self.inner, self.opad, out);
        self.reset();
    }
}

impl MacMarker for HmacSha256 {}

impl fmt::Debug for HmacSha256 {
    /// Prints no key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacSha256 { .. }")
    }
}
