//! SHA-2 driven directly through the compression functions of the `sha2` crate.
//!
//! HMAC and PBKDF2 start every message from a state that has already absorbed one padded-key
//! block. RustCrypto's `Sha256` can only start from the initial vector, so a keyed MAC there
//! clones a whole buffered hasher; here the keyed state is eight words, a MAC over a short
//! message is exactly the compressions the standard needs (FIPS 198-1: ipad block, message,
//! opad block, inner digest), and PBKDF2 can run its inner loop on pre-padded blocks.

use sha2::digest::generic_array::GenericArray;

macro_rules! engine {
    ($name:ident, $word:ty, $block:expr, $len_bytes:expr, $compress:path) => {
        /// A streaming SHA-2 state over raw compression calls.
        ///
        /// Small and cheap to copy, for HMAC's per-message clones (`HmacSha256` in PBKDF2):
        /// the buffered length is `len` modulo the block size (every start state has
        /// absorbed whole blocks), and the buffer past it is always zero, so that padding
        /// needs no `memset`.
        pub(crate) struct $name {
            state: [$word; 8],
            /// The partial block, zero past its `len % block` bytes.
            buf: [u8; $block],
            /// Bytes absorbed, buffered ones included.
            len: u64,
        }

        impl Clone for $name {
            /// An empty buffer is zero (see the struct), so a copy of a state between blocks
            /// (a keyed HMAC state, cloned for each message by PBKDF2) writes zeros instead
            /// of reading the buffer: what is left is small enough for the compiler to copy in
            /// registers, where a derived `Clone` of a whole `HmacSha256` was a `memcpy` call
            /// (docs/BENCHMARKS.md, "HmacSha256").
            #[inline(always)]
            fn clone(&self) -> Self {
                Self {
                    state: self.state,
                    buf: if self.buf_len() == 0 {
                        [0; $block]
                    } else {
                        self.buf
                    },
                    len: self.len,
                }
            }
        }

        impl $name {
            /// A state that has absorbed `len` bytes (a multiple of the block size).
            pub(crate) const fn from_state(state: [$word; 8], len: u64) -> Self {
                Self {
                    state,
                    buf: [0; $block],
                    len,
                }
            }

            /// Bytes in the buffer.
            #[inline(always)]
            fn buf_len(&self) -> usize {
                // Below the block size, so the cast is exact.
                #[allow(clippy::cast_possible_truncation)]
                let n = (self.len % $block as u64) as usize;
                n
            }

            #[inline]
            pub(crate) fn update(&mut self, mut data: &[u8]) {
                let buf_len = self.buf_len();
                self.len += data.len() as u64;
                if buf_len > 0 {
                    let take = ($block - buf_len).min(data.len());
                    self.buf[buf_len..buf_len + take].copy_from_slice(&data[..take]);
                    data = &data[take..];
                    if buf_len + take < $block {
                        return;
                    }
                    self.state = compressed(self.state, &self.buf);
                    self.buf = [0; $block];
                }
                // Every whole block in one call, so that a multi-block core sees them all (and
                // no call for none: a short update is PBKDF2's every iteration). The buffer is
                // empty (all zero) here; the rest goes to its start.
                let (blocks, rest) = data.as_chunks::<$block>();
                if !blocks.is_empty() {
                    let mut state = self.state;
                    $compress(&mut state, blocks);
                    self.state = state;
                }
                self.buf[..rest.len()].copy_from_slice(rest);
            }

            /// Pads (FIPS 180-4 section 5.1) and returns the final chaining value; the state
            /// is left as it was. By reference, so that a caller that owns the state (through
            /// the `digest` traits' by-value `finalize`) does not copy it to consume it.
            #[inline]
            pub(crate) fn finish(&self) -> [$word; 8] {
                let bit_len = u128::from(self.len) * 8;
                let buf_len = self.buf_len();
                // The bytes after it are already zero.
                let mut block = self.buf;
                block[buf_len] = 0x80;
                let mut state = self.state;
                if buf_len + 1 > $block - $len_bytes {
                    state = compressed(state, &block);
                    block = [0; $block];
                }
                let len_be = bit_len.to_be_bytes();
                block[$block - $len_bytes..].copy_from_slice(&len_be[16 - $len_bytes..]);
                compressed(state, &block)
            }
        }

        /// The outer hash of HMAC: the inner digest (the first `len` bytes of `digest`) is
        /// one block after the keyed outer state, so this is a single compression of a
        /// pre-padded block. Returns the whole chaining value; the MAC is its first `len`
        /// bytes.
        ///
        /// Every copy has a size fixed at compile time (HMAC is a chain of dependent
        /// compressions, so a `memcpy` call between two of them adds to every MAC).
        #[inline]
        pub(crate) fn outer_finish(
            outer: [$word; 8],
            digest: &[u8; STATE_BYTES],
            len: usize,
        ) -> [u8; STATE_BYTES] {
            let mut block = [0; $block];
            block[..STATE_BYTES].copy_from_slice(digest);
            // A truncated digest (SHA-224, SHA-384, SHA-512/t) ends before the state does.
            if len < STATE_BYTES {
                block[len..STATE_BYTES].fill(0);
            }
            block[len] = 0x80;
            let bits = (($block + len) * 8) as u128;
            block[$block - $len_bytes..].copy_from_slice(&bits.to_be_bytes()[16 - $len_bytes..]);
            let mut state = outer;
            compress_one(&mut state, &block);
            state_bytes(&state)
        }

        /// HMAC of `message` from keyed inner and outer chaining values, for a digest of
        /// `len` bytes: the whole final chaining value, of which the MAC is the first `len`
        /// bytes.
        #[inline]
        pub(crate) fn mac(
            inner: [$word; 8],
            outer: [$word; 8],
            message: &[u8],
            len: usize,
        ) -> [u8; STATE_BYTES] {
            // The inner hash straight from the message slice: whole blocks first, then one
            // or two padding blocks (FIPS 180-4 section 5.1), without a streaming buffer.
            let mut state = inner;
            let (blocks, rest) = message.as_chunks::<$block>();
            $compress(&mut state, blocks);
            let mut block = [0; $block];
            if !rest.is_empty() {
                block[..rest.len()].copy_from_slice(rest);
            }
            block[rest.len()] = 0x80;
            if rest.len() + 1 > $block - $len_bytes {
                compress_one(&mut state, &block);
                block = [0; $block];
            }
            let bits = (($block + message.len()) as u128) * 8;
            block[$block - $len_bytes..].copy_from_slice(&bits.to_be_bytes()[16 - $len_bytes..]);
            compress_one(&mut state, &block);
            outer_finish(outer, &state_bytes(&state), len)
        }

        /// The whole chaining value as big-endian bytes.
        #[inline]
        pub(crate) fn state_bytes(state: &[$word; 8]) -> [u8; STATE_BYTES] {
            let mut out = [0; STATE_BYTES];
            for (chunk, word) in out.chunks_exact_mut(size_of::<$word>()).zip(state) {
                chunk.copy_from_slice(&word.to_be_bytes());
            }
            out
        }

        /// Bytes in a chaining value.
        pub(crate) const STATE_BYTES: usize = 8 * size_of::<$word>();

        /// Compresses the whole blocks of `blocks`, a slice of a multiple of the block size
        /// (callers pass one padded-key block).
        #[inline]
        pub(crate) fn compress_slice(state: &mut [$word; 8], blocks: &[u8]) {
            let (whole, rest) = blocks.as_chunks::<$block>();
            debug_assert!(rest.is_empty(), "a partial block");
            $compress(state, whole);
        }

        /// `state` after one more block, on copies: only these locals' addresses reach the
        /// out-of-line core, so that the compiler keeps a streaming state that holds them
        /// (moved by value through the `digest` traits) in registers instead of copying it
        /// with `memcpy`.
        #[inline(always)]
        fn compressed(mut state: [$word; 8], block: &[u8; $block]) -> [$word; 8] {
            compress_one(&mut state, block);
            state
        }

        #[inline]
        fn compress_one(state: &mut [$word; 8], block: &[u8; $block]) {
            $compress(state, std::slice::from_ref(block));
        }
    };
}

pub(crate) mod s256 {
    //! SHA-224 and SHA-256: 32-bit words, 64-byte blocks, 64-bit length.
    engine!(Engine, u32, 64, 8, compress_blocks);

    /// Compresses whole blocks with RustCrypto's `sha2` 0.11 (SHA-NI or its own fallback),
    /// all of them in one call: its `compress256` takes `[[u8; 64]]` as it is, while 0.10's
    /// wants `GenericArray`s, one call per block without `unsafe`, and each call loads and
    /// stores the state again (5-6% of the time at 1 KiB and more, measured on the Xeon).
    #[inline]
    fn compress_blocks(state: &mut [u32; 8], blocks: &[[u8; 64]]) {
        rustcrypto_sha2::block_api::compress256(state, blocks);
    }

    /// Writes the first `out.len()` bytes of the big-endian chaining value.
    pub(crate) fn write_state(state: &[u32; 8], out: &mut [u8]) {
        for (chunk, word) in out.chunks_mut(4).zip(state) {
            chunk.copy_from_slice(&word.to_be_bytes()[..chunk.len()]);
        }
    }

    /// Compresses one block into `state`.
    #[inline]
    pub(crate) fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
        compress_one(state, block);
    }

    /// FIPS 180-4 section 5.3.3.
    pub(crate) const IV_256: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];

    /// FIPS 180-4 section 5.3.2.
    pub(crate) const IV_224: [u32; 8] = [
        0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7,
        0xbefa4fa4,
    ];
}

pub(crate) mod s512 {
    //! SHA-384, SHA-512, SHA-512/224, SHA-512/256: 64-bit words, 128-byte blocks, 128-bit
    //! length.
    use super::GenericArray;
    engine!(Engine, u64, 128, 16, compress_blocks);

    /// Compresses whole blocks: on x86-64 with our AVX2/BMI2 or AVX-512VL core where the CPU
    /// has the features (`sha512_x86.rs`), otherwise with the portable [`compress_portable`].
    #[inline]
    pub(crate) fn compress_blocks(state: &mut [u64; 8], blocks: &[[u8; 128]]) {
        #[cfg(target_arch = "x86_64")]
        crate::sha512_x86::compress512(state, blocks);
        #[cfg(not(target_arch = "x86_64"))]
        compress_portable(state, blocks);
    }

    /// Compresses whole blocks with RustCrypto's `sha2`, one call per block.
    #[inline]
    pub(crate) fn compress_portable(state: &mut [u64; 8], blocks: &[[u8; 128]]) {
        for block in blocks {
            sha2::compress512(state, std::slice::from_ref(GenericArray::from_slice(block)));
        }
    }

    /// Writes the first `out.len()` bytes of the big-endian chaining value.
    pub(crate) fn write_state(state: &[u64; 8], out: &mut [u8]) {
        for (chunk, word) in out.chunks_mut(8).zip(state) {
            chunk.copy_from_slice(&word.to_be_bytes()[..chunk.len()]);
        }
    }

    /// Compresses one block into `state`.
    pub(crate) fn compress(state: &mut [u64; 8], block: &[u8; 128]) {
        compress_one(state, block);
    }

    /// FIPS 180-4 section 5.3.5.
    pub(crate) const IV_512: [u64; 8] = [
        0x6a09e667f3bcc908,
        0xbb67ae8584caa73b,
        0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1,
        0x510e527fade682d1,
        0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b,
        0x5be0cd19137e2179,
    ];

    /// FIPS 180-4 section 5.3.4.
    pub(crate) const IV_384: [u64; 8] = [
        0xcbbb9d5dc1059ed8,
        0x629a292a367cd507,
        0x9159015a3070dd17,
        0x152fecd8f70e5939,
        0x67332667ffc00b31,
        0x8eb44a8768581511,
        0xdb0c2e0d64f98fa7,
        0x47b5481dbefa4fa4,
    ];

    /// FIPS 180-4 section 5.3.6.1.
    pub(crate) const IV_512_224: [u64; 8] = [
        0x8c3d37c819544da2,
        0x73e1996689dcd4d6,
        0x1dfab7ae32ff9c82,
        0x679dd514582f9fcf,
        0x0f6d2b697bd44da8,
        0x77e36f7304c48942,
        0x3f9d85a86a1d36c8,
        0x1112e6ad91d692a1,
    ];

    /// FIPS 180-4 section 5.3.6.2.
    pub(crate) const IV_512_256: [u64; 8] = [
        0x22312194fc2bf72c,
        0x9f555fa3c84c64c2,
        0x2393b86b6f53b151,
        0x963877195940eabd,
        0x96283ee2a88effe3,
        0xbe5e1e2553863992,
        0x2b0199fc2c85b8aa,
        0x0eb72ddc81c52ca2,
    ];
}

#[cfg(test)]
mod tests {
    use sha2::Digest as _;

    use super::*;
    use crate::{Algorithm, digest};

    #[test]
    fn engines_match_the_sha2_crate_at_every_length() {
        let data: Vec<u8> = (0..300u16).map(|i| (i % 251) as u8).collect();
        for len in 0..data.len() {
            let msg = &data[..len];
            let mut e = s256::Engine::from_state(s256::IV_256, 0);
            // Split the input to exercise the buffer.
            e.update(&msg[..len / 3]);
            e.update(&msg[len / 3..]);
            let mut out = [0; 32];
            s256::write_state(&e.finish(), &mut out);
            assert_eq!(
                out[..],
                digest(Algorithm::Sha256, msg)[..],
                "sha256 len {len}"
            );

            let mut e = s256::Engine::from_state(s256::IV_224, 0);
            e.update(msg);
            let mut out = [0; 28];
            s256::write_state(&e.finish(), &mut out);
            assert_eq!(
                out[..],
                digest(Algorithm::Sha224, msg)[..],
                "sha224 len {len}"
            );

            // `digest` runs this engine for the SHA-512 family, so compare with `sha2` itself.
            for (iv, alg, expected) in [
                (s512::IV_512, "sha512", sha2::Sha512::digest(msg).to_vec()),
                (s512::IV_384, "sha384", sha2::Sha384::digest(msg).to_vec()),
                (
                    s512::IV_512_224,
                    "sha512_224",
                    sha2::Sha512_224::digest(msg).to_vec(),
                ),
                (
                    s512::IV_512_256,
                    "sha512_256",
                    sha2::Sha512_256::digest(msg).to_vec(),
                ),
            ] {
                let mut e = s512::Engine::from_state(iv, 0);
                e.update(&msg[..len / 2]);
                e.update(&msg[len / 2..]);
                let mut out = [0; 64];
                let size = expected.len();
                s512::write_state(&e.finish(), &mut out[..size]);
                assert_eq!(out[..size], expected[..], "{alg} len {len}");
            }
        }
    }
}
