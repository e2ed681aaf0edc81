//! SHA-512 compression for x86-64 with AVX2 and BMI2, two blocks at a time.
//!
//! The structure is the one of OpenSSL's `sha512_block_data_order_avx2`
//! (crypto/sha/asm/sha512-x86_64.pl, CRYPTOGAMS by Andy Polyakov), written here with
//! `core::arch` intrinsics:
//!
//! - the message schedule (FIPS 180-4 section 6.4.2, step 1) of two blocks is computed at
//!   once, two words per 128-bit lane: the first block in the low lanes of eight `ymm`
//!   registers, the second in the high lanes;
//! - each schedule vector plus its round constants is stored to a table on the stack, so the
//!   second block's 80 rounds only read their `W[t] + K[t]`;
//! - the rounds (step 4) are scalar, where BMI2 `rorx` rotates without destroying its source
//!   and BMI1 `andn` computes `!e & g` in one instruction. The first block's rounds are
//!   interleaved with the schedule, so the vector and scalar ports work side by side.
//!
//! Two things differ from OpenSSL: the rounds are arranged for a dependency chain one
//! instruction shorter (see `round!`), and where the CPU has AVX-512VL a second core computes
//! the schedule's sigmas with `vprorq` and `vpternlogq` (OpenSSL 3.0 has no AVX-512 SHA-512).
//!
//! An odd final block goes through the same code with itself in both lanes, and only the
//! first block's rounds are run. Without AVX2, BMI1 and BMI2 the portable
//! [`s512::compress_portable`] (RustCrypto's `sha2`) does the work.

use std::arch::asm;
use std::arch::x86_64::{
    __m128i, __m256i, _mm_loadu_si128, _mm256_add_epi64, _mm256_alignr_epi8, _mm256_loadu_si256,
    _mm256_ror_epi64, _mm256_set_epi64x, _mm256_set_m128i, _mm256_shuffle_epi8, _mm256_slli_epi64,
    _mm256_srli_epi64, _mm256_storeu_si256, _mm256_ternarylogic_epi64, _mm256_xor_si256,
};
use std::sync::atomic::{AtomicU8, Ordering};

use crate::sha2_core::s512;

/// Compresses `blocks` into `state` (FIPS 180-4 section 6.4.2), with the fastest core this
/// CPU runs: AVX-512VL schedule, AVX2 schedule, or the portable one.
#[inline]
pub(crate) fn compress512(state: &mut [u64; 8], blocks: &[[u8; 128]]) {
    if blocks.is_empty() {
        return;
    }
    match level() {
        Level::Avx512 => {
            // SAFETY: `compress_avx512` only needs the CPU features it is compiled for, and
            // `level` has confirmed at run time that this CPU has all of them.
            unsafe { compress_avx512(state, blocks) }
        }
        Level::Avx2 => {
            // SAFETY: as above, for `compress_avx2`'s features.
            unsafe { compress_avx2(state, blocks) }
        }
        Level::Portable => s512::compress_portable(state, blocks),
    }
}

/// The instruction-set extensions a core needs.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum Level {
    /// AVX2, BMI1, BMI2, AVX-512F and AVX-512VL: [`compress_avx512`].
    Avx512,
    /// AVX2, BMI1 and BMI2: [`compress_avx2`].
    Avx2,
    /// None of those: RustCrypto's `sha2`.
    Portable,
}

/// What this CPU has. Detected once, then read from an atomic.
#[inline]
pub(crate) fn level() -> Level {
    match DETECTED.load(Ordering::Relaxed) {
        AVX512 => Level::Avx512,
        AVX2 => Level::Avx2,
        PORTABLE => Level::Portable,
        _ => detect(),
    }
}

#[cold]
fn detect() -> Level {
    let avx2 = std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("bmi1")
        && std::is_x86_feature_detected!("bmi2");
    let avx512 = avx2
        && std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512vl");
    let (level, code) = match (avx512, avx2) {
        (true, _) => (Level::Avx512, AVX512),
        (false, true) => (Level::Avx2, AVX2),
        (false, false) => (Level::Portable, PORTABLE),
    };
    DETECTED.store(code, Ordering::Relaxed);
    level
}

/// One step of the two-lane message schedule, then two rounds of the first block.
///
/// `$x0..$x7` hold `W[t-16..t]` two words per lane (`$x0` = `W[t-16], W[t-15]`); the new pair
/// `W[t], W[t+1]` replaces `$x0`, and `W + K` for it goes to `$wk[$slot]`.
macro_rules! schedule {
    ($sigma0:ident, $sigma1:ident, $x0:ident, $x1:ident, $x4:ident, $x5:ident, $x7:ident,
     $wk:ident, $slot:expr) => {{
        // W[t-15], W[t-14] and W[t-7], W[t-6]: the middle two words of two registers.
        let w15 = _mm256_alignr_epi8::<8>($x1, $x0);
        let w7 = _mm256_alignr_epi8::<8>($x5, $x4);
        let s0 = $sigma0(w15);
        let s1 = $sigma1($x7);
        // FIPS 180-4 section 6.4.2 step 1: W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16].
        $x0 = _mm256_add_epi64(_mm256_add_epi64($x0, w7), _mm256_add_epi64(s0, s1));
        store_wk(&mut $wk[$slot], $x0, $slot);
    }};
}

/// Eight rounds of one block (FIPS 180-4 section 6.4.2, step 4), `W[t] + K[t]` from
/// `$wk[$p][$lane]` and `$wk[$p][$lane + 1]` for the four pairs `$p` given.
///
/// The working variables are renamed instead of moved: round `i` of the eight sees them
/// rotated by `i`. `$bc` carries `(b | c, b & c)` from one round to the next (see `round!`).
macro_rules! rounds8 {
    ([$a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident],
     $bc:ident, $wk:ident, $lane:expr, [$p0:expr, $p1:expr, $p2:expr, $p3:expr]) => {
        round!($a, $b, $c, $d, $e, $f, $g, $h, $bc, $wk[$p0][$lane]);
        round!($h, $a, $b, $c, $d, $e, $f, $g, $bc, $wk[$p0][$lane + 1]);
        round!($g, $h, $a, $b, $c, $d, $e, $f, $bc, $wk[$p1][$lane]);
        round!($f, $g, $h, $a, $b, $c, $d, $e, $bc, $wk[$p1][$lane + 1]);
        round!($e, $f, $g, $h, $a, $b, $c, $d, $bc, $wk[$p2][$lane]);
        round!($d, $e, $f, $g, $h, $a, $b, $c, $bc, $wk[$p2][$lane + 1]);
        round!($c, $d, $e, $f, $g, $h, $a, $b, $bc, $wk[$p3][$lane]);
        round!($b, $c, $d, $e, $f, $g, $h, $a, $bc, $wk[$p3][$lane + 1]);
    };
}

/// Two rounds of one block, `W[t] + K[t]` from `$wk[$p][$lane]` and `$wk[$p][$lane + 1]`;
/// the caller renames the working variables by two.
macro_rules! rounds2 {
    ([$a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident],
     $bc:ident, $wk:ident, $lane:expr, $p:expr) => {
        round!($a, $b, $c, $d, $e, $f, $g, $h, $bc, $wk[$p][$lane]);
        round!($h, $a, $b, $c, $d, $e, $f, $g, $bc, $wk[$p][$lane + 1]);
    };
}

/// One SHA-512 round. `h` becomes the new `a` and `d` the new `e`; the caller renames.
///
/// Written for a dependency chain of four instructions a round, where the textbook order
/// (T1 = h + Sigma1(e) + Ch(e, f, g) + K + W; e' = d + T1; a' = T1 + Sigma0(a) + Maj(a, b, c))
/// has five, as OpenSSL's:
///
/// - e' = (d + h + K + W) + Ch + Sigma1(e): the first sum is ready before `e` is, so `e'`
///   comes an `and`, two additions and, in parallel, Sigma1's `rorx`, `xor`, `xor` after `e`;
///   T1 is then e' - d, off that chain.
/// - a' = (Maj + T1) + Sigma0(a), with Maj(a, b, c) = (a & (b | c)) | (b & c), where `b | c`
///   and `b & c` come from the round before: Maj is two instructions after `a`, Sigma0 three.
///
/// Two instructions more than the textbook round, so this pays where the rounds wait on
/// latency, as they do on the machine we measure (`digest_ratios` at 1 MiB: about 6% faster).
macro_rules! round {
    ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident,
     $bc:ident, $wk:expr) => {{
        // FIPS 180-4 (4.10): Sigma1(e) = ROTR^14(e) ^ ROTR^18(e) ^ ROTR^41(e).
        let sigma1 = $e.rotate_right(14) ^ $e.rotate_right(18) ^ $e.rotate_right(41);
        // (4.8) Ch(e, f, g) = (e & f) ^ (!e & g): the two terms have no bit in common, so
        // they are added one at a time (`and` and `andn` in parallel) instead of xor-ed.
        let dhk = fence(fence($h.wrapping_add($wk)).wrapping_add($d));
        let e_new =
            fence(fence(dhk.wrapping_add(!$e & $g)).wrapping_add($e & $f)).wrapping_add(sigma1);
        let t1 = e_new.wrapping_sub($d);
        // (4.11): Sigma0(a) = ROTR^28(a) ^ ROTR^34(a) ^ ROTR^39(a).
        let sigma0 = $a.rotate_right(28) ^ $a.rotate_right(34) ^ $a.rotate_right(39);
        // (4.9) Maj(a, b, c), as above; this round's a | b and a & b are the next one's
        // b | c and b & c.
        let (b_or_c, b_and_c) = $bc;
        let maj = ($a & b_or_c) | b_and_c;
        $bc = ($a | $b, $a & $b);
        $d = e_new;
        $h = fence(maj.wrapping_add(t1)).wrapping_add(sigma0);
    }};
}

/// Sixteen rounds of the first block from `W[$p..$p + 16]`, computing `W[$p + 16..$p + 32]` of
/// both blocks on the way: one schedule step [`tie`]d before every two rounds.
///
/// `$p` is a literal, so that every table offset is a constant: a loop index would be one
/// register too many (LLVM spills it and reloads it twice a round).
macro_rules! rounds16 {
    ($s0:ident, $s1:ident, [$x0:ident, $x1:ident, $x2:ident, $x3:ident, $x4:ident, $x5:ident,
     $x6:ident, $x7:ident], [$a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident,
     $g:ident, $h:ident], $bc:ident, $wk:ident, $p:literal) => {
        schedule!($s0, $s1, $x0, $x1, $x4, $x5, $x7, $wk, $p / 2 + 8);
        tie(&mut $x0, &mut $a);
        rounds2!([$a, $b, $c, $d, $e, $f, $g, $h], $bc, $wk, 0, $p / 2);
        schedule!($s0, $s1, $x1, $x2, $x5, $x6, $x0, $wk, $p / 2 + 9);
        tie(&mut $x1, &mut $g);
        rounds2!([$g, $h, $a, $b, $c, $d, $e, $f], $bc, $wk, 0, $p / 2 + 1);
        schedule!($s0, $s1, $x2, $x3, $x6, $x7, $x1, $wk, $p / 2 + 10);
        tie(&mut $x2, &mut $e);
        rounds2!([$e, $f, $g, $h, $a, $b, $c, $d], $bc, $wk, 0, $p / 2 + 2);
        schedule!($s0, $s1, $x3, $x4, $x7, $x0, $x2, $wk, $p / 2 + 11);
        tie(&mut $x3, &mut $c);
        rounds2!([$c, $d, $e, $f, $g, $h, $a, $b], $bc, $wk, 0, $p / 2 + 3);
        schedule!($s0, $s1, $x4, $x5, $x0, $x1, $x3, $wk, $p / 2 + 12);
        tie(&mut $x4, &mut $a);
        rounds2!([$a, $b, $c, $d, $e, $f, $g, $h], $bc, $wk, 0, $p / 2 + 4);
        schedule!($s0, $s1, $x5, $x6, $x1, $x2, $x4, $wk, $p / 2 + 13);
        tie(&mut $x5, &mut $g);
        rounds2!([$g, $h, $a, $b, $c, $d, $e, $f], $bc, $wk, 0, $p / 2 + 5);
        schedule!($s0, $s1, $x6, $x7, $x2, $x3, $x5, $wk, $p / 2 + 14);
        tie(&mut $x6, &mut $e);
        rounds2!([$e, $f, $g, $h, $a, $b, $c, $d], $bc, $wk, 0, $p / 2 + 6);
        schedule!($s0, $s1, $x7, $x0, $x3, $x4, $x6, $wk, $p / 2 + 15);
        tie(&mut $x7, &mut $c);
        rounds2!([$c, $d, $e, $f, $g, $h, $a, $b], $bc, $wk, 0, $p / 2 + 7);
    };
}

/// Defines `$compress`, a core for the CPU features `$features`, with `$sigma0` and `$sigma1`
/// computing the schedule's small sigmas four words at a time.
#[rustfmt::skip] // the round macros are written one call a line, as a table
macro_rules! core {
    ($compress:ident, $features:literal, $sigma0:ident, $sigma1:ident) => {
        /// The core: blocks two by two, an odd last one on its own (scheduled in both lanes,
        /// with only the first lane's rounds run).
        #[target_feature(enable = $features)]
        #[allow(unused_assignments)] // the last round's `a | b`, `a & b` go to no next round
        pub(crate) fn $compress(state: &mut [u64; 8], blocks: &[[u8; 128]]) {
            // W[t] + K[t] of both blocks, pair by pair: `wk[p]` is `W[2p], W[2p+1]` of the
            // first block, then of the second. In this frame, so that it is addressed from
            // the stack pointer without a register of its own, and aligned, so that no 32-byte
            // store to it straddles two cache lines.
            let mut wk = Aligned([[0u64; 4]; 40]);
            let wk = &mut wk.0;
            for pair in blocks.chunks(2) {
                let (first, second) = match pair {
                    [first, second] => (first, second),
                    [first] => (first, first),
                    _ => unreachable!("chunks(2) yields one or two blocks"),
                };
                let [mut x0, mut x1, mut x2, mut x3, mut x4, mut x5, mut x6, mut x7] =
                    std::array::from_fn(|p| {
                        // FIPS 180-4 section 6.4.2 step 1: W[0..16] is the block, big-endian.
                        let w = _mm256_shuffle_epi8(
                            _mm256_set_m128i(load16(second, p), load16(first, p)),
                            _mm256_set_epi64x(BSWAP_HI, BSWAP_LO, BSWAP_HI, BSWAP_LO),
                        );
                        store_wk(&mut wk[p], w, p);
                        w
                    });

                let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
                let mut bc = (b | c, b & c);
                // Rounds 0 to 63, computing W[16..80] of both blocks on the way; then 64 to 79.
                rounds16!($sigma0, $sigma1, [x0, x1, x2, x3, x4, x5, x6, x7],
                    [a, b, c, d, e, f, g, h], bc, wk, 0);
                rounds16!($sigma0, $sigma1, [x0, x1, x2, x3, x4, x5, x6, x7],
                    [a, b, c, d, e, f, g, h], bc, wk, 16);
                rounds16!($sigma0, $sigma1, [x0, x1, x2, x3, x4, x5, x6, x7],
                    [a, b, c, d, e, f, g, h], bc, wk, 32);
                rounds16!($sigma0, $sigma1, [x0, x1, x2, x3, x4, x5, x6, x7],
                    [a, b, c, d, e, f, g, h], bc, wk, 48);
                rounds8!([a, b, c, d, e, f, g, h], bc, wk, 0, [32, 33, 34, 35]);
                rounds8!([a, b, c, d, e, f, g, h], bc, wk, 0, [36, 37, 38, 39]);
                add_state(state, [a, b, c, d, e, f, g, h]);

                if pair.len() == 2 {
                    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
                    let mut bc = (b | c, b & c);
                    // The second block's rounds, from the table alone.
                    for i in 0..10 {
                        let p = 4 * i;
                        rounds8!([a, b, c, d, e, f, g, h], bc, wk, 2, [p, p + 1, p + 2, p + 3]);
                    }
                    add_state(state, [a, b, c, d, e, f, g, h]);
                }
            }
        }
    };
}

core!(compress_avx2, "avx2,bmi1,bmi2", sigma0_avx2, sigma1_avx2);
core!(
    compress_avx512,
    "avx2,bmi1,bmi2,avx512f,avx512vl",
    sigma0_avx512,
    sigma1_avx512
);

/// FIPS 180-4 (4.12): sigma0(x) = ROTR^1(x) ^ ROTR^8(x) ^ SHR^7(x), with AVX2 shifts.
#[inline]
#[target_feature(enable = "avx2")]
fn sigma0_avx2(x: __m256i) -> __m256i {
    xor5(
        _mm256_srli_epi64::<1>(x),
        _mm256_slli_epi64::<63>(x),
        _mm256_srli_epi64::<8>(x),
        _mm256_slli_epi64::<56>(x),
        _mm256_srli_epi64::<7>(x),
    )
}

/// FIPS 180-4 (4.13): sigma1(x) = ROTR^19(x) ^ ROTR^61(x) ^ SHR^6(x), with AVX2 shifts.
#[inline]
#[target_feature(enable = "avx2")]
fn sigma1_avx2(x: __m256i) -> __m256i {
    xor5(
        _mm256_srli_epi64::<19>(x),
        _mm256_slli_epi64::<45>(x),
        _mm256_srli_epi64::<61>(x),
        _mm256_slli_epi64::<3>(x),
        _mm256_srli_epi64::<6>(x),
    )
}

/// sigma0 with AVX-512VL: two rotates, a shift and one three-way xor (`vpternlogq` 0x96),
/// four instructions instead of nine.
#[inline]
#[target_feature(enable = "avx512f,avx512vl")]
fn sigma0_avx512(x: __m256i) -> __m256i {
    _mm256_ternarylogic_epi64::<XOR3>(
        _mm256_ror_epi64::<1>(x),
        _mm256_ror_epi64::<8>(x),
        _mm256_srli_epi64::<7>(x),
    )
}

/// sigma1 with AVX-512VL (see [`sigma0_avx512`]).
#[inline]
#[target_feature(enable = "avx512f,avx512vl")]
fn sigma1_avx512(x: __m256i) -> __m256i {
    _mm256_ternarylogic_epi64::<XOR3>(
        _mm256_ror_epi64::<19>(x),
        _mm256_ror_epi64::<61>(x),
        _mm256_srli_epi64::<6>(x),
    )
}
/// `x`, hidden from the optimiser, so that it keeps the order of additions written in
/// `round!`: LLVM reassociates them by its own ranking and moved the load of `W + K` to the
/// end of the critical path (a round then took a cycle more).
#[inline(always)]
fn fence(mut x: u64) -> u64 {
    // SAFETY: the assembly is empty: it executes nothing, and only claims to read and write
    // the register holding `x`, touching no memory, stack or flags.
    unsafe { asm!("/* {0} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags)) };
    x
}

/// Pins a schedule step between two rounds in the generated code, for the compiler only.
///
/// LLVM otherwise hoists all eight schedule steps of an iteration above its sixteen rounds;
/// that burst of dependent vector instructions fills the scheduler and stalls the rounds,
/// where OpenSSL interleaves one step with every two rounds. The assembly emits nothing, so
/// the processor sees no dependency between `x` and `a`.
#[inline]
#[target_feature(enable = "avx2")]
fn tie(x: &mut __m256i, a: &mut u64) {
    // SAFETY: the assembly is empty: it executes nothing, and only claims to read and write
    // the registers holding `x` and `a`, touching no memory, stack or flags. `ymm_reg` needs
    // AVX, which is enabled on this function.
    unsafe {
        asm!(
            "/* {0} {1} */",
            inout(ymm_reg) * x,
            inout(reg) * a,
            options(pure, nomem, nostack, preserves_flags)
        );
    }
}

/// FIPS 180-4 section 6.4.2 step 4: the new intermediate hash value.
#[inline]
fn add_state(state: &mut [u64; 8], working: [u64; 8]) {
    for (s, w) in state.iter_mut().zip(working) {
        *s = s.wrapping_add(w);
    }
}

/// Bytes `16 * p .. 16 * p + 16` of a block.
#[inline]
#[target_feature(enable = "avx2")]
fn load16(block: &[u8; 128], p: usize) -> __m128i {
    let bytes: &[u8; 16] = &block.as_chunks::<16>().0[p];
    // SAFETY: `bytes` is 16 readable bytes, and `_mm_loadu_si128` has no alignment
    // requirement. SSE2, which it needs, is part of x86-64.
    unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) }
}

/// Stores schedule pair `p` (both lanes) plus its round constants.
#[inline]
#[target_feature(enable = "avx2")]
fn store_wk(dst: &mut [u64; 4], w: __m256i, p: usize) {
    let k: &[u64; 4] = &K2.0[p];
    // SAFETY: `k` is 32 readable bytes and `dst` 32 writable ones; `_mm256_loadu_si256` and
    // `_mm256_storeu_si256` have no alignment requirement. Their AVX is enabled on this
    // function.
    unsafe {
        let k = _mm256_loadu_si256(k.as_ptr().cast());
        _mm256_storeu_si256(dst.as_mut_ptr().cast(), _mm256_add_epi64(w, k));
    }
}

/// `a ^ b ^ c ^ d ^ e`, as a tree.
#[inline]
#[target_feature(enable = "avx2")]
fn xor5(a: __m256i, b: __m256i, c: __m256i, d: __m256i, e: __m256i) -> __m256i {
    _mm256_xor_si256(
        _mm256_xor_si256(_mm256_xor_si256(a, b), _mm256_xor_si256(c, d)),
        e,
    )
}

/// A value on a 64-byte boundary, a cache line.
#[repr(C, align(64))]
struct Aligned<T>(T);

/// The `vpternlogq` truth table of `a ^ b ^ c`.
const XOR3: i32 = 0x96;

/// `DETECTED` before the first detection.
const UNKNOWN: u8 = 0;
/// `DETECTED` for [`Level::Portable`].
const PORTABLE: u8 = 1;
/// `DETECTED` for [`Level::Avx2`].
const AVX2: u8 = 2;
/// `DETECTED` for [`Level::Avx512`].
const AVX512: u8 = 3;

/// The result of [`detect`], once it has run.
static DETECTED: AtomicU8 = AtomicU8::new(UNKNOWN);

/// `vpshufb` indices that reverse the bytes of each 64-bit word (low, high word of a lane).
const BSWAP_LO: i64 = 0x0001_0203_0405_0607;
const BSWAP_HI: i64 = 0x0809_0a0b_0c0d_0e0f;

/// [`K`] two words at a time, each pair twice: the constants of both lanes of a schedule
/// vector.
static K2: Aligned<[[u64; 4]; 40]> = Aligned({
    let mut k2 = [[0; 4]; 40];
    let mut p = 0;
    while p < 40 {
        k2[p] = [K[2 * p], K[2 * p + 1], K[2 * p], K[2 * p + 1]];
        p += 1;
    }
    k2
});

/// FIPS 180-4 section 4.2.3: the SHA-512 round constants.
#[rustfmt::skip]
const K: [u64; 80] = [
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
    0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
    0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
    0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
    0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
    0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
    0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
    0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
];

#[cfg(test)]
mod tests {
    use sha2::Digest as _;

    use super::*;
    use crate::{Algorithm, Hash, digest};

    /// Marsaglia's xorshift64: deterministic inputs without a dependency.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n as u64).unwrap()
        }

        fn bytes(&mut self, len: usize) -> Vec<u8> {
            (0..len).map(|_| self.next().to_le_bytes()[0]).collect()
        }
    }

    /// Each core against the portable one: random states, every block count from 0 to 9
    /// (odd and even) in turn.
    fn core_matches_the_portable_one(core: Level, compress: fn(&mut [u64; 8], &[[u8; 128]])) {
        if !has(core) {
            println!("SKIPPED: this CPU lacks the features of the {core:?} core");
            return;
        }
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for round in 0..2000 {
            let count = round % 10;
            let state: [u64; 8] = std::array::from_fn(|_| rng.next());
            let blocks: Vec<[u8; 128]> = (0..count)
                .map(|_| std::array::from_fn(|_| rng.next().to_le_bytes()[0]))
                .collect();
            let mut ours = state;
            compress(&mut ours, &blocks);
            let mut portable = state;
            s512::compress_portable(&mut portable, &blocks);
            assert_eq!(
                ours, portable,
                "{core:?}: {count} blocks from state {state:x?}"
            );
        }
    }

    /// Whether this CPU runs the `core` core.
    fn has(core: Level) -> bool {
        match (core, level()) {
            (Level::Portable, _) | (Level::Avx2, Level::Avx2 | Level::Avx512) => true,
            (Level::Avx512, Level::Avx512) => true,
            (Level::Avx2 | Level::Avx512, _) => false,
        }
    }

    #[test]
    fn avx2_core_matches_the_portable_one() {
        core_matches_the_portable_one(Level::Avx2, |state, blocks| {
            // SAFETY: only called after `has(Level::Avx2)`, that is, when the CPU has the
            // features `compress_avx2` is compiled for.
            unsafe { compress_avx2(state, blocks) }
        });
    }

    #[test]
    fn avx512_core_matches_the_portable_one() {
        core_matches_the_portable_one(Level::Avx512, |state, blocks| {
            // SAFETY: as above, after `has(Level::Avx512)`.
            unsafe { compress_avx512(state, blocks) }
        });
    }

    #[test]
    fn dispatch_matches_the_portable_one() {
        core_matches_the_portable_one(Level::Portable, compress512);
    }

    #[test]
    fn hashes_match_the_sha2_crate_at_random_lengths_and_splits() {
        println!("testing the {:?} core", level());
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        for _ in 0..600 {
            let len = rng.below(2000);
            let data = rng.bytes(len);
            let split = rng.below(len + 1);
            let cases: [(Algorithm, Vec<u8>); 4] = [
                (Algorithm::Sha512, sha2::Sha512::digest(&data).to_vec()),
                (Algorithm::Sha384, sha2::Sha384::digest(&data).to_vec()),
                (
                    Algorithm::Sha512_224,
                    sha2::Sha512_224::digest(&data).to_vec(),
                ),
                (
                    Algorithm::Sha512_256,
                    sha2::Sha512_256::digest(&data).to_vec(),
                ),
            ];
            for (alg, expected) in cases {
                assert_eq!(
                    digest(alg, &data)[..],
                    expected[..],
                    "{alg} one-shot, {len} bytes"
                );
                let mut h = Hash::new(alg);
                h.update(&data[..split]);
                let copy = h.clone();
                h.update(&data[split..]);
                assert_eq!(
                    h.digest()[..],
                    expected[..],
                    "{alg}, {len} bytes split at {split}"
                );
                let mut h = copy;
                for chunk in data[split..].chunks(rng.below(300) + 1) {
                    h.update(chunk);
                }
                assert_eq!(h.digest()[..], expected[..], "{alg}, {len} bytes in pieces");
            }
        }
    }
}
