//! The SHA-512 compression function for x86-64 with AVX2 and BMI2, two blocks at a time, the
//! way OpenSSL's `sha512_block_data_order_avx2` works (learned from, not copied): the message
//! schedule of two blocks is computed together in 256-bit registers (the low 128-bit lane holds
//! two words of the first block, the high lane the same two words of the second), with the
//! round constants added, into a stack buffer; the rounds run on scalar registers with BMI2's
//! `rorx` (a rotation into a fresh register, which saves the copies `ror` needs) and read their
//! `W[t] + K[t]` from that buffer, the second block's rounds for free.
//!
//! The crate's other module with `unsafe` code (`mapped.rs` is the first): calling the
//! `#[target_feature]` functions once the features are detected, and the unaligned vector
//! loads and stores. Everything else is safe Rust. The portable path is `sha2::compress512`,
//! and the tests compare the two over random states and block counts.

use std::arch::x86_64::{
    __m256i, _mm_loadu_si128, _mm256_add_epi64, _mm256_alignr_epi8, _mm256_broadcastsi128_si256,
    _mm256_or_si256, _mm256_ror_epi64, _mm256_set_epi64x, _mm256_set_m128i, _mm256_shuffle_epi8,
    _mm256_slli_epi64, _mm256_srli_epi64, _mm256_storeu_si256, _mm256_ternarylogic_epi64,
    _mm256_xor_si256,
};
use std::sync::atomic::{AtomicU8, Ordering};

use sha2::digest::generic_array::GenericArray;

/// SHA-512's block size in bytes.
pub(crate) const BLOCK: usize = 128;

/// FIPS 180-4 section 4.2.3.
const K: [u64; 80] = [
    0x428a2f98d728ae22,
    0x7137449123ef65cd,
    0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc,
    0x3956c25bf348b538,
    0x59f111f1b605d019,
    0x923f82a4af194f9b,
    0xab1c5ed5da6d8118,
    0xd807aa98a3030242,
    0x12835b0145706fbe,
    0x243185be4ee4b28c,
    0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f,
    0x80deb1fe3b1696b1,
    0x9bdc06a725c71235,
    0xc19bf174cf692694,
    0xe49b69c19ef14ad2,
    0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5,
    0x240ca1cc77ac9c65,
    0x2de92c6f592b0275,
    0x4a7484aa6ea6e483,
    0x5cb0a9dcbd41fbd4,
    0x76f988da831153b5,
    0x983e5152ee66dfab,
    0xa831c66d2db43210,
    0xb00327c898fb213f,
    0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2,
    0xd5a79147930aa725,
    0x06ca6351e003826f,
    0x142929670a0e6e70,
    0x27b70a8546d22ffc,
    0x2e1b21385c26c926,
    0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df,
    0x650a73548baf63de,
    0x766a0abb3c77b2a8,
    0x81c2c92e47edaee6,
    0x92722c851482353b,
    0xa2bfe8a14cf10364,
    0xa81a664bbc423001,
    0xc24b8b70d0f89791,
    0xc76c51a30654be30,
    0xd192e819d6ef5218,
    0xd69906245565a910,
    0xf40e35855771202a,
    0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8,
    0x1e376c085141ab53,
    0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63,
    0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc,
    0x78a5636f43172f60,
    0x84c87814a1f0ab72,
    0x8cc702081a6439ec,
    0x90befffa23631e28,
    0xa4506cebde82bde9,
    0xbef9a3f7b2c67915,
    0xc67178f2e372532b,
    0xca273eceea26619c,
    0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e,
    0xf57d4f7fee6ed178,
    0x06f067aa72176fba,
    0x0a637dc5a2c898a6,
    0x113f9804bef90dae,
    0x1b710b35131c471b,
    0x28db77f523047d84,
    0x32caab7b40c72493,
    0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6,
    0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec,
    0x6c44198c4a475817,
];

/// Compresses every 128-byte block of `blocks` (whose length is a multiple of 128) into
/// `state`: with the AVX-512VL schedule where the CPU has it, else with the AVX2 one (both with
/// BMI2 rounds), else with `sha2`'s code.
pub(crate) fn compress(state: &mut [u64; 8], blocks: &[u8]) {
    debug_assert_eq!(blocks.len() % BLOCK, 0);
    match level() {
        // SAFETY: the CPU supports AVX2, BMI1, BMI2, AVX-512F and AVX-512VL (detected).
        Level::Avx512 => unsafe { compress_avx512(state, blocks) },
        // SAFETY: the CPU supports AVX2, BMI1 and BMI2 (detected).
        Level::Avx2 => unsafe { compress_avx2(state, blocks) },
        Level::Portable => portable(state, blocks),
    }
}

/// The portable path: `sha2`'s own dispatch (its AVX2 core, or soft code).
pub(crate) fn portable(state: &mut [u64; 8], blocks: &[u8]) {
    for block in blocks.chunks_exact(BLOCK) {
        sha2::compress512(state, std::slice::from_ref(GenericArray::from_slice(block)));
    }
}

/// Which core this CPU runs.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum Level {
    /// No AVX2 + BMI2: `sha2`'s code.
    Portable,
    /// AVX2 schedule, BMI2 rounds.
    Avx2,
    /// AVX-512VL schedule (256-bit rotations and three-way XORs), BMI2 rounds.
    Avx512,
}

/// The core for this CPU, detected once.
pub(crate) fn level() -> Level {
    // 0: not yet detected, then 1 + the level.
    static DETECTED: AtomicU8 = AtomicU8::new(0);
    match DETECTED.load(Ordering::Relaxed) {
        0 => {
            let avx2 = std::is_x86_feature_detected!("avx2")
                && std::is_x86_feature_detected!("bmi1")
                && std::is_x86_feature_detected!("bmi2");
            let level = match (
                avx2,
                std::is_x86_feature_detected!("avx512f")
                    && std::is_x86_feature_detected!("avx512vl"),
            ) {
                (true, true) => Level::Avx512,
                (true, false) => Level::Avx2,
                (false, _) => Level::Portable,
            };
            DETECTED.store(1 + level as u8, Ordering::Relaxed);
            level
        }
        1 => Level::Portable,
        2 => Level::Avx2,
        _ => Level::Avx512,
    }
}

/// Two blocks' `W[t] + K[t]`: for word pair `p` (`t = 2p, 2p + 1`), four words: the first
/// block's two, then the second block's two. One pair more than the 40 the rounds use: the
/// last round reads the (unused) `W + K` of a round 80, which keeps indexing free of checks.
type Schedule = [u64; 4 * 41];

/// The compression loop and the first block of a pair, once per schedule flavour (a
/// `#[target_feature]` function can call another only with the same features).
macro_rules! core {
    ($compress:ident, $first:ident, $features:literal, $next:ident) => {
        #[target_feature(enable = $features)]
        fn $compress(state: &mut [u64; 8], blocks: &[u8]) {
            let mut pairs = blocks.chunks_exact(2 * BLOCK);
            let mut wk: Schedule = [0; 164];
            for pair in &mut pairs {
                let (first, second) = pair.split_at(BLOCK);
                $first(state, first, second, &mut wk);
                second_block(state, &wk);
            }
            let one = pairs.remainder();
            if !one.is_empty() {
                // An odd block: as the first of a pair with itself (the second lane unused).
                $first(state, one, one, &mut wk);
            }
        }

        /// The first block's 80 rounds with both blocks' message schedules computed in
        /// between, so that the vector units work while the scalar ones run the rounds (the
        /// schedule stays 16 words ahead of its use). Leaves the whole schedule in `wk` for
        /// [`second_block`].
        #[target_feature(enable = $features)]
        fn $first(state: &mut [u64; 8], first: &[u8], second: &[u8], wk: &mut Schedule) {
            let [
                mut x0,
                mut x1,
                mut x2,
                mut x3,
                mut x4,
                mut x5,
                mut x6,
                mut x7,
            ] = load(first, second);
            for (p, x) in [x0, x1, x2, x3, x4, x5, x6, x7].into_iter().enumerate() {
                store(wk, p, x);
            }
            let mut v = *state;
            let mut hk = v[7].wrapping_add(wk[0]);
            // Word pair p is in the window slot p % 8; each pass makes pairs 8(q+1) .. +7, then
            // runs rounds 16q .. 16q + 15.
            for q in 0..4 {
                let base = 8 * (q + 1);
                let t = 16 * q;
                x0 = $next(x0, x1, x4, x5, x7);
                store(wk, base, x0);
                x1 = $next(x1, x2, x5, x6, x0);
                store(wk, base + 1, x1);
                x2 = $next(x2, x3, x6, x7, x1);
                store(wk, base + 2, x2);
                x3 = $next(x3, x4, x7, x0, x2);
                store(wk, base + 3, x3);
                x4 = $next(x4, x5, x0, x1, x3);
                store(wk, base + 4, x4);
                x5 = $next(x5, x6, x1, x2, x4);
                store(wk, base + 5, x5);
                x6 = $next(x6, x7, x2, x3, x5);
                store(wk, base + 6, x6);
                x7 = $next(x7, x0, x3, x4, x6);
                store(wk, base + 7, x7);
                // These rounds read words up to t + 16 (the next `hk`), just stored.
                let at = |i: usize| wk[4 * (i / 2) + (i % 2)];
                eight!(v, hk, at, t);
                eight!(v, hk, at, t + 8);
            }
            let at = |i: usize| wk[4 * (i / 2) + (i % 2)];
            eight!(v, hk, at, 64);
            eight!(v, hk, at, 72);
            let _ = hk; // the `hk` of a round 80 that does not exist
            for (s, v) in state.iter_mut().zip(v) {
                *s = s.wrapping_add(v);
            }
        }
    };
}

/// Byte order within each 64-bit word, reversed (the message is big-endian).
#[target_feature(enable = "avx2")]
fn bswap_mask() -> __m256i {
    _mm256_set_epi64x(
        0x08090a0b0c0d0e0f,
        0x0001020304050607,
        0x08090a0b0c0d0e0f,
        0x0001020304050607,
    )
}

/// `x` rotated right by `N` bits in each 64-bit lane (`M` = 64 - `N`; AVX2 has no rotation).
#[target_feature(enable = "avx2")]
fn ror<const N: i32, const M: i32>(x: __m256i) -> __m256i {
    _mm256_or_si256(_mm256_srli_epi64::<N>(x), _mm256_slli_epi64::<M>(x))
}

/// FIPS 180-4 (4.12): sigma0 of each lane.
#[target_feature(enable = "avx2")]
fn small_sigma0(x: __m256i) -> __m256i {
    _mm256_xor_si256(
        _mm256_xor_si256(ror::<1, 63>(x), ror::<8, 56>(x)),
        _mm256_srli_epi64::<7>(x),
    )
}

/// FIPS 180-4 (4.13): sigma1 of each lane.
#[target_feature(enable = "avx2")]
fn small_sigma1(x: __m256i) -> __m256i {
    _mm256_xor_si256(
        _mm256_xor_si256(ror::<19, 45>(x), ror::<61, 3>(x)),
        _mm256_srli_epi64::<6>(x),
    )
}

/// Loads 16 big-endian words of both blocks: `x[i]` holds words 2i and 2i + 1 of the first
/// block (low lane) and of the second (high lane).
#[target_feature(enable = "avx2")]
fn load(first: &[u8], second: &[u8]) -> [__m256i; 8] {
    assert!(first.len() == BLOCK && second.len() == BLOCK);
    let mask = bswap_mask();
    std::array::from_fn(|i| {
        // SAFETY: both slices are 128 bytes long (asserted above) and 16 * i + 16 <= 128;
        // unaligned loads read any address.
        let (lo, hi) = unsafe {
            (
                _mm_loadu_si128(first.as_ptr().add(16 * i).cast()),
                _mm_loadu_si128(second.as_ptr().add(16 * i).cast()),
            )
        };
        _mm256_shuffle_epi8(_mm256_set_m128i(hi, lo), mask)
    })
}

/// Stores `x + K[2p], K[2p + 1]` as word pair `p` of both blocks' schedules.
#[target_feature(enable = "avx2")]
fn store(wk: &mut Schedule, p: usize, x: __m256i) {
    assert!(p < 40);
    // SAFETY: `K` has 80 words and 2p + 2 <= 80; `wk` has 164 and 4p + 4 <= 160 (p < 40,
    // asserted); unaligned loads and stores take any address.
    unsafe {
        let k = _mm256_broadcastsi128_si256(_mm_loadu_si128(K.as_ptr().add(2 * p).cast()));
        _mm256_storeu_si256(wk.as_mut_ptr().add(4 * p).cast(), _mm256_add_epi64(x, k));
    }
}

/// The next word pair of both schedules from the window `x0..x7` (x0 the oldest):
/// `W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16]` for two `t` at once.
#[target_feature(enable = "avx2")]
fn next_pair(x0: __m256i, x1: __m256i, x4: __m256i, x5: __m256i, x7: __m256i) -> __m256i {
    let w15 = _mm256_alignr_epi8::<8>(x1, x0);
    let w7 = _mm256_alignr_epi8::<8>(x5, x4);
    _mm256_add_epi64(
        _mm256_add_epi64(x0, small_sigma0(w15)),
        _mm256_add_epi64(w7, small_sigma1(x7)),
    )
}

/// [`next_pair`] with AVX-512VL: one-instruction rotations and three-way XORs
/// (`vpternlogq` 0x96) make each sigma four instructions instead of nine.
#[target_feature(enable = "avx2,avx512f,avx512vl")]
fn next_pair_avx512(x0: __m256i, x1: __m256i, x4: __m256i, x5: __m256i, x7: __m256i) -> __m256i {
    let w15 = _mm256_alignr_epi8::<8>(x1, x0);
    let w7 = _mm256_alignr_epi8::<8>(x5, x4);
    let s0 = _mm256_ternarylogic_epi64::<0x96>(
        _mm256_ror_epi64::<1>(w15),
        _mm256_ror_epi64::<8>(w15),
        _mm256_srli_epi64::<7>(w15),
    );
    let s1 = _mm256_ternarylogic_epi64::<0x96>(
        _mm256_ror_epi64::<19>(x7),
        _mm256_ror_epi64::<61>(x7),
        _mm256_srli_epi64::<6>(x7),
    );
    _mm256_add_epi64(_mm256_add_epi64(x0, s0), _mm256_add_epi64(w7, s1))
}

/// FIPS 180-4 (4.10, 4.11) with the rotations of BMI2.
#[inline(always)]
fn big_sigma0(a: u64) -> u64 {
    a.rotate_right(28) ^ a.rotate_right(34) ^ a.rotate_right(39)
}

#[inline(always)]
fn big_sigma1(e: u64) -> u64 {
    e.rotate_right(14) ^ e.rotate_right(18) ^ e.rotate_right(41)
}

/// One SHA-512 round on `h + W + K` already summed (`hk`): `d` and `h` are updated, the others
/// are renamed by the caller. It also returns the next round's `hk`, `g + W + K`, summed
/// before anything waits on it (the next round's `h` is this round's `g`), so that the
/// compiler keeps the load and that addition off the chain from `e` to the new `e`.
macro_rules! round {
    ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $hk:ident, $wk_next:expr) => {
        let next = $g.wrapping_add($wk_next);
        // Ch written with `andn` (BMI1), its two halves independent of each other.
        let ch = ($e & $f) ^ (!$e & $g);
        let t1 = $hk.wrapping_add(ch).wrapping_add(big_sigma1($e));
        // Maj as ((a ^ b) & (b ^ c)) ^ b: `b ^ c` is the previous round's `a ^ b`.
        let maj = (($a ^ $b) & ($b ^ $c)) ^ $b;
        $d = $d.wrapping_add(t1);
        $h = t1.wrapping_add(big_sigma0($a)).wrapping_add(maj);
        $hk = next;
    };
}

/// Eight rounds from `t`, reading `W + K` through `at`; `hk` enters as `h + W[t] + K[t]` and
/// leaves as that of round `t + 8` (reading one word past round 79 is harmless: `at` wraps).
macro_rules! eight {
    ($v:ident, $hk:ident, $at:ident, $t:expr) => {
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, _] = $v;
        // `h` enters through `hk`; the round below computes it anew.
        let mut h: u64;
        round!(a, b, c, d, e, f, g, h, $hk, $at($t + 1));
        round!(h, a, b, c, d, e, f, g, $hk, $at($t + 2));
        round!(g, h, a, b, c, d, e, f, $hk, $at($t + 3));
        round!(f, g, h, a, b, c, d, e, $hk, $at($t + 4));
        round!(e, f, g, h, a, b, c, d, $hk, $at($t + 5));
        round!(d, e, f, g, h, a, b, c, $hk, $at($t + 6));
        round!(c, d, e, f, g, h, a, b, $hk, $at($t + 7));
        round!(b, c, d, e, f, g, h, a, $hk, $at($t + 8));
        // After eight rounds every name is back in its place.
        $v = [a, b, c, d, e, f, g, h];
    };
}

/// The 80 rounds of the second block of a pair, from the schedule [`first_block`] left.
#[target_feature(enable = "bmi1,bmi2")]
fn second_block(state: &mut [u64; 8], wk: &Schedule) {
    let mut v = *state;
    let at = |i: usize| wk[4 * (i / 2) + 2 + (i % 2)];
    let mut hk = v[7].wrapping_add(at(0));
    for t in (0..80).step_by(8) {
        eight!(v, hk, at, t);
    }
    let _ = hk;
    for (s, v) in state.iter_mut().zip(v) {
        *s = s.wrapping_add(v);
    }
}

core!(compress_avx2, first_block_avx2, "avx2,bmi1,bmi2", next_pair);
core!(
    compress_avx512,
    first_block_avx512,
    "avx2,bmi1,bmi2,avx512f,avx512vl",
    next_pair_avx512
);

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64*: reproducible test data without a dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next().to_le_bytes()[0]).collect()
        }
    }

    #[test]
    fn the_vector_cores_equal_the_portable_one() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let level = level();
        if level == Level::Portable {
            println!("SKIPPED: the AVX2 + BMI2 SHA-512 cores: this CPU lacks AVX2 or BMI2");
            return;
        }
        if level != Level::Avx512 {
            println!("SKIPPED: the AVX-512VL SHA-512 schedule: this CPU lacks AVX-512VL");
        }
        for round in 0..300 {
            let blocks = round % 10;
            let data = rng.bytes(blocks * BLOCK);
            let start: [u64; 8] = std::array::from_fn(|_| rng.next());
            let mut theirs = start;
            portable(&mut theirs, &data);
            let mut ours = start;
            // SAFETY: AVX2, BMI1 and BMI2 were detected (level is not Portable).
            unsafe { compress_avx2(&mut ours, &data) };
            assert_eq!(ours, theirs, "AVX2, {blocks} blocks");
            if level == Level::Avx512 {
                let mut ours = start;
                // SAFETY: AVX-512F and AVX-512VL were detected too.
                unsafe { compress_avx512(&mut ours, &data) };
                assert_eq!(ours, theirs, "AVX-512, {blocks} blocks");
            }
        }
    }
}
