//! Constant-time comparison of digests and MAC tags.

use std::hint::black_box;

/// Compares two byte strings without revealing, through timing, where they first differ.
///
/// Equivalent to Python's `hmac.compare_digest`: returns whether `a` and `b` are equal, for
/// anything that is [`AsRef<[u8]>`](AsRef) (`&[u8]`, `Vec<u8>`, `&str`, [`Output`](crate::Output),
/// arrays).
///
/// # Security
///
/// The threat model is an attacker who supplies one input (a MAC tag, a token) and measures
/// how long the comparison takes, hoping to learn how many leading bytes were right and so
/// guess a secret tag byte by byte. Against that attacker:
///
/// - The running time depends only on the two **lengths**, never on the contents. The
///   lengths are not secret: inputs of different lengths compare unequal at once (as in
///   Python, `subtle` and `ring`, which document the same).
/// - Equal-length inputs are read in full, eight bytes at a time: each 256-byte stretch (and
///   each 32-byte piece of what remains) is XORed and ORed into a difference word with no
///   branch on the data, and that word passes through [`std::hint::black_box`], an
///   optimisation barrier, before it joins the running total. The compiler therefore cannot turn the loop into one that stops at the first
///   difference; the only data-dependent operation is the final test of the total against
///   zero, which *is* the answer.
/// - This was checked on the compiled code: the x86-64 disassembly of the loop has no
///   conditional jump other than the loop counters, and a dudect-style timing test (Welch's
///   t between equal inputs and inputs differing in the first byte) stays below the usual
///   4.5 threshold; see `docs/BENCHMARKS.md`.
///
/// Like all constant-time code this is a best-effort property of the compiled program on the
/// CPUs measured, not a proof.
///
/// # Examples
///
/// ```
/// use palisade_digest::compare_digest;
///
/// assert!(compare_digest(b"expected tag", b"expected tag"));
/// assert!(!compare_digest(b"expected tag", b"Expected tag"));
/// assert!(!compare_digest("short", "longer"));
/// ```
pub fn compare_digest(a: impl AsRef<[u8]>, b: impl AsRef<[u8]>) -> bool {
    let (a, b) = (a.as_ref(), b.as_ref());
    if a.len() != b.len() {
        return false;
    }
    difference(a, b) == 0
}

/// ORs together the XOR of every byte of `a` with the same byte of `b`, reading all of both:
/// zero exactly when they are equal. The caller ensures the lengths are equal.
fn difference(a: &[u8], b: &[u8]) -> u64 {
    let mut total = 0;
    let mut a_chunks = a.chunks_exact(CHUNK);
    let mut b_chunks = b.chunks_exact(CHUNK);
    for (x, y) in (&mut a_chunks).zip(&mut b_chunks) {
        // The barrier hides each chunk's difference from the optimiser, so it cannot prove
        // that `total` is already non-zero and skip the remaining chunks.
        total |= black_box(words_difference(x, y));
    }
    // The rest (all of a typical 16- to 64-byte digest) in pieces of at most 32 bytes, each
    // behind its own barrier for the same reason.
    let (a_rest, b_rest) = (a_chunks.remainder(), b_chunks.remainder());
    for (x, y) in a_rest.chunks(TAIL_CHUNK).zip(b_rest.chunks(TAIL_CHUNK)) {
        total |= black_box(bytes_difference(x, y));
    }
    total
}

/// The XOR/OR difference of two equal-length slices whose length is a multiple of 8, eight
/// bytes at a time (the optimiser widens this to vector registers).
fn words_difference(a: &[u8], b: &[u8]) -> u64 {
    a.chunks_exact(8)
        .zip(b.chunks_exact(8))
        .fold(0, |acc, (x, y)| acc | (word(x) ^ word(y)))
}

/// The XOR/OR difference of two equal-length slices of any length: whole words, then bytes.
fn bytes_difference(a: &[u8], b: &[u8]) -> u64 {
    let words = a.len() / 8 * 8;
    let tail = a[words..]
        .iter()
        .zip(&b[words..])
        .fold(0, |acc, (x, y)| acc | (x ^ y));
    words_difference(&a[..words], &b[..words]) | u64::from(tail)
}

/// Eight bytes as a native-endian word (the order does not matter for an equality test).
fn word(bytes: &[u8]) -> u64 {
    let mut w = [0; 8];
    w.copy_from_slice(bytes);
    u64::from_ne_bytes(w)
}

/// Bytes compared between two optimisation barriers.
const CHUNK: usize = 256;
/// Bytes compared between two barriers after the last whole chunk.
const TAIL_CHUNK: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::cast_possible_truncation)] // the test pattern wraps on purpose
    fn equal_and_unequal_inputs() {
        for len in [0, 1, 7, 8, 9, 31, 32, 33, 255, 256, 257, 300, 4096, 4100] {
            let a: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            assert!(compare_digest(&a, a.clone()), "len {len}");
            for pos in 0..len {
                for bit in [0x01, 0x80] {
                    let mut b = a.clone();
                    b[pos] ^= bit;
                    assert!(
                        !compare_digest(&a, &b),
                        "len {len}, pos {pos}, bit {bit:#x}"
                    );
                }
            }
            let mut longer = a.clone();
            longer.push(0);
            assert!(!compare_digest(&a, &longer), "len {len}");
            assert!(!compare_digest(&longer, &a), "len {len}");
        }
    }

    #[test]
    fn python_examples() {
        // From the CPython test suite, test_hmac.CompareDigestTestCase.
        const CASES: &[(&[u8], &[u8], bool)] = &[
            (b"foobar", b"foobar", true),
            (b"foobar", b"foo", false),
            (b"foobar", b"foobaz", false),
            (b"", b"", true),
            (b"\xde\xad\xbe\xef", b"\xde\xad\xbe\xef", true),
            (b"\xde\xad\xbe\xef", b"\xde\xad\xbe\xee", false),
        ];
        for &(a, b, expected) in CASES {
            assert_eq!(compare_digest(a, b), expected, "{a:?} {b:?}");
        }
        assert!(compare_digest("text", String::from("text")));
    }
}
