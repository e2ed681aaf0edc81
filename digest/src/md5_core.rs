//! MD5 (RFC 1321), written for the critical path of its compression function.
//!
//! Each of MD5's 64 steps is `a = b + ((a + f(b, c, d) + M[k] + T[i]) <<< s)`, and each step
//! needs the `b` the step before produced: the speed of MD5 is the latency of that chain.
//! Everything that does not depend on the newest word (`a + M[k] + T[i]`, and the parts of
//! the boolean functions that only use `c` and `d`) can run ahead of it, so each step is
//! written with the newest word entering as late as possible. The F, H and I forms are those
//! of OpenSSL's `crypto/md5/asm/md5-x86_64.pl`; for G, where that assembly ORs the two halves
//! (one more operation after `b`), the halves are added to the sum one at a time:
//!
//! | round | RFC 1321                 | here                                  | ops after `b` |
//! |-------|--------------------------|---------------------------------------|---------------|
//! | F     | `(b & c) \| (!b & d)`    | `((c ^ d) & b) ^ d`                   | and, xor      |
//! | G     | `(b & d) \| (c & !d)`    | `+ (c & !d)` early, `+ (b & d)` last  | and           |
//! | H     | `b ^ c ^ d`              | `(c ^ d) ^ b`                         | xor           |
//! | I     | `c ^ (b \| !d)`          | `c ^ (b \| !d)`, `!d` early           | or, xor       |
//!
//! In G the two halves have no set bit in common, so `|` is `+`, and the half that does not
//! need `b` joins the sum before `b` is ready. Each step then ends with an add, the rotation
//! and the add of `b`: 5 + 4 + 4 + 5 one-cycle operations per group of four steps, 288
//! cycles a block, where OpenSSL's assembly counts 304. `compress` keeps it that way against
//! LLVM's reassociation of the constants (see the comment there).

/// A streaming MD5 computation: [`update`](Self::update) any number of times, then
/// [`finalize`](Self::finalize). [`Clone`] copies the whole state (Python's `copy()`).
#[derive(Clone)]
pub(crate) struct Md5 {
    state: [u32; 4],
    buf: [u8; BLOCK],
    buf_len: usize,
    /// Bytes absorbed, buffered ones included.
    len: u64,
}

impl Md5 {
    /// A fresh state (RFC 1321 section 3.3).
    pub(crate) const fn new() -> Self {
        Self {
            state: IV,
            buf: [0; BLOCK],
            buf_len: 0,
            len: 0,
        }
    }

    /// A state that has absorbed `len` bytes (a multiple of the block size) and reached the
    /// chaining value `state`: for HMAC, after the padded key.
    pub(crate) const fn from_state(state: [u32; 4], len: u64) -> Self {
        Self {
            state,
            buf: [0; BLOCK],
            buf_len: 0,
            len,
        }
    }

    /// Absorbs `data`. Whole blocks go straight from `data` to [`compress`] in one call; only
    /// a partial block is copied into the buffer.
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        if self.buf_len > 0 {
            let take = (BLOCK - self.buf_len).min(data.len());
            self.buf[self.buf_len..self.buf_len + take].copy_from_slice(&data[..take]);
            self.buf_len += take;
            data = &data[take..];
            if self.buf_len < BLOCK {
                return;
            }
            compress(&mut self.state, std::slice::from_ref(&self.buf));
            self.buf_len = 0;
        }
        let (blocks, rest) = data.as_chunks::<BLOCK>();
        compress(&mut self.state, blocks);
        self.buf[..rest.len()].copy_from_slice(rest);
        self.buf_len = rest.len();
    }

    /// Pads (RFC 1321 sections 3.1 and 3.2) and returns the digest.
    pub(crate) fn finalize(self) -> [u8; DIGEST] {
        let mut state = self.state;
        finish(&mut state, &self.buf[..self.buf_len], self.len);
        state_bytes(&state)
    }
}

/// The MD5 digest of `data` in one call: the whole blocks straight from `data`, then the
/// padding, without the streaming buffer.
pub(crate) fn digest(data: &[u8]) -> [u8; DIGEST] {
    let mut state = IV;
    let (blocks, rest) = data.as_chunks::<BLOCK>();
    compress(&mut state, blocks);
    finish(&mut state, rest, data.len() as u64);
    state_bytes(&state)
}

/// HMAC-MD5 (RFC 2104) of `message` from the chaining values after the ipad and opad
/// blocks: the inner hash straight from `message`, then [`outer_finish`]. The inner length
/// counts the ipad block.
pub(crate) fn mac(inner: [u32; 4], outer: [u32; 4], message: &[u8]) -> [u8; DIGEST] {
    let mut state = inner;
    let (blocks, rest) = message.as_chunks::<BLOCK>();
    compress(&mut state, blocks);
    finish(
        &mut state,
        rest,
        (BLOCK as u64).wrapping_add(message.len() as u64),
    );
    outer_finish(outer, &state_bytes(&state))
}

/// The hash of a digest-sized message that follows one key block, from the chaining value
/// after that block: a single compression of the pre-padded [`hmac_block`]. This is the
/// outer hash of HMAC-MD5 (the inner digest after the opad block) and, in PBKDF2, where the
/// message is the previous MAC, the inner one too.
pub(crate) fn outer_finish(outer: [u32; 4], inner_digest: &[u8; DIGEST]) -> [u8; DIGEST] {
    let mut state = outer;
    compress(&mut state, std::slice::from_ref(&hmac_block(inner_digest)));
    state_bytes(&state)
}

/// A digest padded as the second block of a message that starts with one full block (the
/// ipad or opad block): RFC 1321 sections 3.1 and 3.2 for a length of 64 + 16 bytes.
pub(crate) fn hmac_block(digest: &[u8; DIGEST]) -> [u8; BLOCK] {
    let mut block = [0; BLOCK];
    block[..DIGEST].copy_from_slice(digest);
    block[DIGEST] = 0x80;
    block[BLOCK - 8..].copy_from_slice(&(((BLOCK + DIGEST) * 8) as u64).to_le_bytes());
    block
}

/// Runs the MD5 compression function over every block, in order, keeping the chaining value
/// in registers from the first block to the last.
pub(crate) fn compress(state: &mut [u32; 4], blocks: &[[u8; BLOCK]]) {
    let [mut a, mut b, mut c, mut d] = *state;
    for block in blocks {
        // The step constants are read from memory rather than written into the
        // instructions. As immediates, LLVM's instruction selection moves every constant add
        // to just before the rotation (it reassociates `(x + c) + y` into `(x + y) + c` so
        // that constants can fold), which puts one more add on the critical path of each of
        // the 64 steps: 352 cycles a block by the same count instead of 288. Behind
        // `black_box` the table is an opaque pointer, so `a + M[k] + T[i]` stays off the
        // path where it is written, as in OpenSSL's assembly. Taken once per block rather
        // than once per call, it also keeps LLVM from copying the whole table to the stack
        // on every call. `black_box` costs a store and a load of the pointer; correctness
        // does not depend on what it does.
        let t = std::hint::black_box(&T);
        [a, b, c, d] = compress_block([a, b, c, d], block, t);
    }
    *state = [a, b, c, d];
}

/// Compresses the last partial block `rest` (shorter than a block) of a message of `len`
/// bytes with its padding: RFC 1321 section 3.1, "a single '1' bit is appended ... then '0'
/// bits are appended so that the length in bits ... becomes congruent to 448, modulo 512",
/// and section 3.2, "a 64-bit representation of b ... is appended", low-order word first.
fn finish(state: &mut [u32; 4], rest: &[u8], len: u64) {
    let mut block = [0; BLOCK];
    block[..rest.len()].copy_from_slice(rest);
    block[rest.len()] = 0x80;
    if rest.len() >= BLOCK - 8 {
        compress(state, std::slice::from_ref(&block));
        block = [0; BLOCK];
    }
    block[BLOCK - 8..].copy_from_slice(&len.wrapping_mul(8).to_le_bytes());
    compress(state, std::slice::from_ref(&block));
}

/// The digest: the chaining value as little-endian bytes (RFC 1321 section 3.5).
pub(crate) fn state_bytes(state: &[u32; 4]) -> [u8; DIGEST] {
    let mut out = [0; DIGEST];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    out
}

/// Round 1 step: `a = b + ((a + F(b, c, d) + m + k) <<< s)` with `F = ((c ^ d) & b) ^ d`.
macro_rules! f {
    ($a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:expr) => {
        $a = $a
            .wrapping_add($m)
            .wrapping_add($k)
            .wrapping_add((($c ^ $d) & $b) ^ $d)
            .rotate_left($s)
            .wrapping_add($b);
    };
}

/// Round 2 step, with `G = (b & d) + (c & !d)`: the half without `b` is added first.
macro_rules! g {
    ($a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:expr) => {
        $a = $a
            .wrapping_add($m)
            .wrapping_add($k)
            .wrapping_add($c & !$d)
            .wrapping_add($b & $d)
            .rotate_left($s)
            .wrapping_add($b);
    };
}

/// Round 3 step, with `H = (c ^ d) ^ b`.
macro_rules! h {
    ($a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:expr) => {
        $a = $a
            .wrapping_add($m)
            .wrapping_add($k)
            .wrapping_add(($c ^ $d) ^ $b)
            .rotate_left($s)
            .wrapping_add($b);
    };
}

/// Round 4 step, with `I = c ^ (b | !d)`.
macro_rules! i {
    ($a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:expr) => {
        $a = $a
            .wrapping_add($m)
            .wrapping_add($k)
            .wrapping_add($c ^ ($b | !$d))
            .rotate_left($s)
            .wrapping_add($b);
    };
}

/// One block of RFC 1321 section 3.4, with the step constants `t` (always [`T`]).
#[inline(always)]
fn compress_block(
    [mut a, mut b, mut c, mut d]: [u32; 4],
    block: &[u8; BLOCK],
    t: &[u32; 64],
) -> [u32; 4] {
    let (words, _) = block.as_chunks::<4>();
    let m = |k: usize| u32::from_le_bytes(words[k]);
    let (a0, b0, c0, d0) = (a, b, c, d);

    f!(a, b, c, d, m(0), t[0], 7);
    f!(d, a, b, c, m(1), t[1], 12);
    f!(c, d, a, b, m(2), t[2], 17);
    f!(b, c, d, a, m(3), t[3], 22);
    f!(a, b, c, d, m(4), t[4], 7);
    f!(d, a, b, c, m(5), t[5], 12);
    f!(c, d, a, b, m(6), t[6], 17);
    f!(b, c, d, a, m(7), t[7], 22);
    f!(a, b, c, d, m(8), t[8], 7);
    f!(d, a, b, c, m(9), t[9], 12);
    f!(c, d, a, b, m(10), t[10], 17);
    f!(b, c, d, a, m(11), t[11], 22);
    f!(a, b, c, d, m(12), t[12], 7);
    f!(d, a, b, c, m(13), t[13], 12);
    f!(c, d, a, b, m(14), t[14], 17);
    f!(b, c, d, a, m(15), t[15], 22);

    g!(a, b, c, d, m(1), t[16], 5);
    g!(d, a, b, c, m(6), t[17], 9);
    g!(c, d, a, b, m(11), t[18], 14);
    g!(b, c, d, a, m(0), t[19], 20);
    g!(a, b, c, d, m(5), t[20], 5);
    g!(d, a, b, c, m(10), t[21], 9);
    g!(c, d, a, b, m(15), t[22], 14);
    g!(b, c, d, a, m(4), t[23], 20);
    g!(a, b, c, d, m(9), t[24], 5);
    g!(d, a, b, c, m(14), t[25], 9);
    g!(c, d, a, b, m(3), t[26], 14);
    g!(b, c, d, a, m(8), t[27], 20);
    g!(a, b, c, d, m(13), t[28], 5);
    g!(d, a, b, c, m(2), t[29], 9);
    g!(c, d, a, b, m(7), t[30], 14);
    g!(b, c, d, a, m(12), t[31], 20);

    h!(a, b, c, d, m(5), t[32], 4);
    h!(d, a, b, c, m(8), t[33], 11);
    h!(c, d, a, b, m(11), t[34], 16);
    h!(b, c, d, a, m(14), t[35], 23);
    h!(a, b, c, d, m(1), t[36], 4);
    h!(d, a, b, c, m(4), t[37], 11);
    h!(c, d, a, b, m(7), t[38], 16);
    h!(b, c, d, a, m(10), t[39], 23);
    h!(a, b, c, d, m(13), t[40], 4);
    h!(d, a, b, c, m(0), t[41], 11);
    h!(c, d, a, b, m(3), t[42], 16);
    h!(b, c, d, a, m(6), t[43], 23);
    h!(a, b, c, d, m(9), t[44], 4);
    h!(d, a, b, c, m(12), t[45], 11);
    h!(c, d, a, b, m(15), t[46], 16);
    h!(b, c, d, a, m(2), t[47], 23);

    i!(a, b, c, d, m(0), t[48], 6);
    i!(d, a, b, c, m(7), t[49], 10);
    i!(c, d, a, b, m(14), t[50], 15);
    i!(b, c, d, a, m(5), t[51], 21);
    i!(a, b, c, d, m(12), t[52], 6);
    i!(d, a, b, c, m(3), t[53], 10);
    i!(c, d, a, b, m(10), t[54], 15);
    i!(b, c, d, a, m(1), t[55], 21);
    i!(a, b, c, d, m(8), t[56], 6);
    i!(d, a, b, c, m(15), t[57], 10);
    i!(c, d, a, b, m(6), t[58], 15);
    i!(b, c, d, a, m(13), t[59], 21);
    i!(a, b, c, d, m(4), t[60], 6);
    i!(d, a, b, c, m(11), t[61], 10);
    i!(c, d, a, b, m(2), t[62], 15);
    i!(b, c, d, a, m(9), t[63], 21);

    [
        a0.wrapping_add(a),
        b0.wrapping_add(b),
        c0.wrapping_add(c),
        d0.wrapping_add(d),
    ]
}

/// Bytes in a block.
pub(crate) const BLOCK: usize = 64;
/// Bytes in a digest.
pub(crate) const DIGEST: usize = 16;
/// RFC 1321 section 3.3: "word A: 01 23 45 67 ..." read as little-endian words.
pub(crate) const IV: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
/// RFC 1321 section 3.4: `T[i]`, the integer part of `4294967296 * abs(sin(i + 1))`.
const T: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

#[cfg(test)]
mod tests {
    use md5::Digest as _;
    use proptest::prelude::*;

    use super::*;

    /// RustCrypto's `md-5`, the reference.
    fn reference(data: &[u8]) -> [u8; DIGEST] {
        md5::Md5::digest(data).into()
    }

    /// Deterministic bytes that are not periodic in the block size.
    fn data(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| (i.wrapping_mul(167) >> 2).to_le_bytes()[0])
            .collect()
    }

    // Test vectors from RFC 1321 appendix A.5 (the full file is tests/data/md5_rfc1321.txt).
    const RFC_1321: &[(&str, &str)] = &[
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        (
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "57edf4a22be3c955ac49da2e2107b67a",
        ),
    ];

    #[test]
    fn rfc_1321_vectors() {
        for &(message, expected) in RFC_1321 {
            assert_eq!(
                base16ct::lower::encode_string(&digest(message.as_bytes())),
                expected,
                "{message:?}"
            );
        }
    }

    #[test]
    fn every_length_around_the_padding_boundaries_matches_md_5() {
        // 55/56 and 119/120 bytes are where the length stops fitting in the last block.
        let data = data(3 * BLOCK + 1);
        for len in 0..data.len() {
            let msg = &data[..len];
            assert_eq!(digest(msg), reference(msg), "one-shot, len {len}");
            let mut h = Md5::new();
            for byte in msg.chunks(1) {
                h.update(byte);
            }
            assert_eq!(h.finalize(), reference(msg), "byte at a time, len {len}");
        }
    }

    #[test]
    fn compress_over_many_blocks_equals_one_block_at_a_time() {
        let data = data(40 * BLOCK);
        let (blocks, _) = data.as_chunks::<BLOCK>();
        let mut together = IV;
        compress(&mut together, blocks);
        let mut apart = IV;
        for block in blocks {
            compress(&mut apart, std::slice::from_ref(block));
        }
        assert_eq!(together, apart);
        let mut none = IV;
        compress(&mut none, &[]);
        assert_eq!(none, IV);
    }

    #[test]
    fn a_clone_continues_independently() {
        let mut h = Md5::new();
        h.update(b"hello ");
        let copy = h.clone();
        h.update(b"world");
        assert_eq!(h.finalize(), reference(b"hello world"));
        assert_eq!(copy.finalize(), reference(b"hello "));
    }

    #[test]
    fn mac_is_rfc_2104_over_md_5() {
        // RFC 2104 section 2: H(K XOR opad, H(K XOR ipad, text)), here with md-5 as H.
        let ipad = [0x36 ^ 0x0b; BLOCK];
        let opad = [0x5c ^ 0x0b; BLOCK];
        let (mut inner, mut outer) = (IV, IV);
        compress(&mut inner, std::slice::from_ref(&ipad));
        compress(&mut outer, std::slice::from_ref(&opad));
        let data = data(3 * BLOCK);
        for len in 0..data.len() {
            let msg = &data[..len];
            let expected = reference(&[&opad[..], &reference(&[&ipad[..], msg].concat())].concat());
            assert_eq!(mac(inner, outer, msg), expected, "len {len}");
            let mut h = Md5::from_state(inner, BLOCK as u64);
            h.update(msg);
            assert_eq!(
                outer_finish(outer, &h.finalize()),
                expected,
                "streaming, len {len}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Fuzz-style equality with `md-5`: random lengths, random split points.
        #[test]
        fn streaming_matches_md_5(
            data in prop::collection::vec(any::<u8>(), 0..3000),
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
        ) {
            let expected = reference(&data);
            prop_assert_eq!(digest(&data), expected);
            let mut points: Vec<usize> = cuts.iter().map(|c| c.index(data.len() + 1)).collect();
            points.sort_unstable();
            let mut h = Md5::new();
            let mut at = 0;
            for point in points {
                h.update(&data[at..point]);
                at = point;
            }
            h.update(&data[at..]);
            prop_assert_eq!(h.finalize(), expected);
        }
    }
}
