//! The RustCrypto `digest` traits for [`Hash`], for code written against RustCrypto hashers:
//! `digest` 0.11 (feature `digest`) and 0.10 (feature `digest-0_10`).
//!
//! [`Hash`] picks its algorithm at run time, so it implements the traits that describe a
//! hasher at run time: `Update`, `Reset` and `DynDigest` (with [`Clone`], which it always
//! has). The traits that put the output size in the type (`Digest`, `FixedOutput`,
//! `OutputSizeUser`) and the ones for one kind of algorithm (`ExtendableOutput` for SHAKE,
//! `Mac`/`KeyInit` for keyed BLAKE2) cannot describe it; the crate's README ("RustCrypto
//! traits") says what to use instead.

use crate::hash::Hash;

/// `Update`, `Reset` and `DynDigest` of one `digest` generation; the two generations declare
/// these three traits with the same methods.
macro_rules! impl_traits {
    ($krate:ident, $feature:literal) => {
        /// Same as [`Hash::update`].
        #[cfg_attr(docsrs, doc(cfg(feature = $feature)))]
        impl ::$krate::Update for Hash {
            #[inline]
            fn update(&mut self, data: &[u8]) {
                Self::update(self, data);
            }
        }

        /// Same as [`Hash::reset`]: a keyed BLAKE2 hash goes back to its keyed initial state.
        #[cfg_attr(docsrs, doc(cfg(feature = $feature)))]
        impl ::$krate::Reset for Hash {
            #[inline]
            fn reset(&mut self) {
                Self::reset(self);
            }
        }

        /// Every algorithm, with its output as [`Hash::digest`] gives it.
        ///
        /// `output_size` is the length of [`Hash::digest`]: the digest size, the chosen size
        /// for BLAKE2 with parameters, and for SHAKE128 and SHAKE256 16 and 32 bytes (their
        /// security levels, as `openssl dgst` prints them). `DynDigest` has no way to ask for
        /// another length of an extendable output: use [`Hash::digest_xof`] for that.
        /// `finalize_into` and `finalize_into_reset` refuse a buffer of any other length
        /// with `InvalidBufferSize`, as the trait asks.
        ///
        /// BLAKE2 with a key, salt or personalisation keeps them: `reset` and
        /// `finalize_reset` go back to the keyed initial state, and `box_clone` copies the
        /// key with the state.
        #[cfg_attr(docsrs, doc(cfg(feature = $feature)))]
        impl ::$krate::DynDigest for Hash {
            #[inline]
            fn update(&mut self, data: &[u8]) {
                Self::update(self, data);
            }

            fn finalize_reset(&mut self) -> Box<[u8]> {
                Box::from(Self::finalize_reset(self).as_bytes())
            }

            fn finalize(self: Box<Self>) -> Box<[u8]> {
                Box::from((*self).finalize().as_bytes())
            }

            fn finalize_into(self, buf: &mut [u8]) -> Result<(), ::$krate::InvalidBufferSize> {
                if buf.len() != self.output_len() {
                    return Err(::$krate::InvalidBufferSize);
                }
                buf.copy_from_slice(&Self::finalize(self));
                Ok(())
            }

            fn finalize_into_reset(
                &mut self,
                buf: &mut [u8],
            ) -> Result<(), ::$krate::InvalidBufferSize> {
                if buf.len() != self.output_len() {
                    return Err(::$krate::InvalidBufferSize);
                }
                buf.copy_from_slice(&Self::finalize_reset(self));
                Ok(())
            }

            #[inline]
            fn reset(&mut self) {
                Self::reset(self);
            }

            #[inline]
            fn output_size(&self) -> usize {
                self.output_len()
            }

            fn box_clone(&self) -> Box<dyn ::$krate::DynDigest> {
                Box::new(self.clone())
            }
        }
    };
}

#[cfg(feature = "digest")]
impl_traits!(digest, "digest");

#[cfg(feature = "digest-0_10")]
impl_traits!(digest_0_10, "digest-0_10");

#[cfg(test)]
mod tests {
    use crate::{Algorithm, Blake2Params, Hash};

    /// `DynDigest` through a trait object of either generation: the output of every
    /// algorithm equals `Hash::digest`, and `finalize_reset` leaves a fresh hash.
    macro_rules! dyn_digest_test {
        ($name:ident, $krate:ident) => {
            #[test]
            fn $name() {
                use ::$krate::DynDigest;
                let keyed = Blake2Params::new()
                    .key(b"key")
                    .salt(b"salt")
                    .digest_size(20);
                let mut hashes: Vec<Hash> = Algorithm::ALL.iter().map(|&a| Hash::new(a)).collect();
                for algorithm in [Algorithm::Blake2b, Algorithm::Blake2s] {
                    hashes.push(Hash::blake2(algorithm, &keyed).expect("valid parameters"));
                }
                for hash in hashes {
                    let mut expected = hash.clone();
                    expected.update(b"abc");
                    let expected = expected.digest();
                    let mut d: Box<dyn DynDigest> = Box::new(hash.clone());
                    d.update(b"abc");
                    assert_eq!(d.output_size(), expected.len(), "{}", hash.name());
                    assert_eq!(&*d.finalize_reset(), &expected[..], "{}", hash.name());
                    d.update(b"abc");
                    let mut buf = vec![0; expected.len() + 1];
                    assert!(d.finalize_into_reset(&mut buf).is_err(), "{}", hash.name());
                    assert_eq!(&*d.finalize(), &expected[..], "{}", hash.name());
                }
            }
        };
    }

    #[cfg(feature = "digest")]
    dyn_digest_test!(dyn_digest_011_matches_digest, digest);

    #[cfg(feature = "digest-0_10")]
    dyn_digest_test!(dyn_digest_010_matches_digest, digest_0_10);
}
