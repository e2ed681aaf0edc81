//! Known-answer self-tests, for health reports such as `palisade doctor`.

use crate::algorithm::Algorithm;
use crate::compare::compare_digest;
use crate::hash::{Blake2Params, Hash, digest};
use crate::hmac::hmac_digest;
use crate::kdf::pbkdf2_hmac;

/// The outcome of one known-answer test.
///
/// # Examples
///
/// ```
/// let results = palisade_digest::self_test();
/// assert!(results.iter().all(|t| t.passed), "{results:?}");
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct SelfTest {
    /// What was tested, e.g. `"sha256"`, `"hmac-sha256"`, `"compare_digest"`.
    pub name: &'static str,
    /// Whether the computed answer was the known one.
    pub passed: bool,
    /// Which standard's answer was checked, or what went wrong.
    pub detail: String,
}

/// Runs a known-answer test of every algorithm (one-shot and streaming), of keyed BLAKE2, of
/// HMAC (the SHA-2 path and the generic path), of PBKDF2 and of [`compare_digest`], in well
/// under a millisecond.
///
/// A failure means the build or the CPU miscomputes, e.g. a broken SIMD path.
///
/// # Examples
///
/// ```
/// for test in palisade_digest::self_test() {
///     println!("{}: {}", test.name, if test.passed { "ok" } else { "FAILED" });
/// }
/// ```
pub fn self_test() -> Vec<SelfTest> {
    let mut results = Vec::new();
    for &(alg, source, want) in ABC {
        let got = digest(alg, b"abc").to_hex();
        // The streaming state is another code path (a buffer, a finalisation) than the
        // one-shot: the same answer, fed in two pieces, must come out of it too.
        let mut h = Hash::new(alg);
        h.update(b"a");
        h.update(b"bc");
        let streamed = if alg.is_xof() {
            h.digest_xof(want.len() / 2).map_or_else(
                |e| e.to_string(),
                |out| base16ct::lower::encode_string(&out),
            )
        } else {
            h.hexdigest()
        };
        let got = if got == streamed {
            got
        } else {
            format!("{got} one-shot but {streamed} streamed")
        };
        results.push(answer(alg.name(), source, &got, want));
    }
    // Keyed BLAKE2 runs on another backend (blake2b_simd, blake2s_simd) than the default
    // parameters: the reference KAT's first keyed vectors (key 00 01 .. 3f, or .. 1f; empty
    // message).
    for &(alg, name, key_len, want) in KEYED_BLAKE2 {
        let key: Vec<u8> = (0..key_len).collect();
        let got = Hash::blake2(alg, &Blake2Params::new().key(&key))
            .map_or_else(|e| e.to_string(), |h| h.hexdigest());
        results.push(answer(name, "BLAKE2 reference keyed KAT", &got, want));
    }
    for &(name, alg, source, key, msg, want) in HMAC {
        let got = hmac_digest(key, msg, alg).map_or_else(|e| e.to_string(), |m| m.to_hex());
        results.push(answer(name, source, &got, want));
    }
    // RFC 6070 test case 2.
    let got = pbkdf2_hmac(Algorithm::Sha1, b"password", b"salt", 2, 20)
        .map_or_else(|e| e.to_string(), |dk| base16ct::lower::encode_string(&dk));
    results.push(answer(
        "pbkdf2_hmac-sha1",
        "RFC 6070",
        &got,
        "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957",
    ));
    let a = [0x5a_u8; 300];
    let mut first = a;
    first[0] ^= 1;
    let mut last = a;
    last[299] ^= 0x80;
    let compare_ok = compare_digest(a, a)
        && !compare_digest(a, first)
        && !compare_digest(a, last)
        && !compare_digest(&a[..], &a[..299]);
    results.push(SelfTest {
        name: "compare_digest",
        passed: compare_ok,
        detail: if compare_ok {
            "equal, first-byte, last-byte and length differences".to_owned()
        } else {
            "wrong answer on a 300-byte table".to_owned()
        },
    });
    results
}

fn answer(name: &'static str, source: &str, got: &str, want: &str) -> SelfTest {
    let passed = got == want;
    SelfTest {
        name,
        passed,
        detail: if passed {
            source.to_owned()
        } else {
            format!("{source}: computed {got}, expected {want}")
        },
    }
}

/// Keyed BLAKE2 of the empty message with key `00 01 .. (len - 1)`: the first keyed vector of
/// the reference `blake2b-kat.txt` and `blake2s-kat.txt` (also in tests/data).
const KEYED_BLAKE2: &[(Algorithm, &str, u8, &str)] = &[
    (
        Algorithm::Blake2b,
        "blake2b keyed",
        64,
        "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568",
    ),
    (
        Algorithm::Blake2s,
        "blake2s keyed",
        32,
        "48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49",
    ),
];

/// The digest of "abc" in each standard's worked example (SHAKE at 128 / 256 bits).
const ABC: &[(Algorithm, &str, &str)] = &[
    (
        Algorithm::Blake2b,
        "RFC 7693 appendix A",
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    ),
    (
        Algorithm::Blake2s,
        "RFC 7693 appendix B",
        "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
    ),
    (
        Algorithm::Md5,
        "RFC 1321 appendix A.5",
        "900150983cd24fb0d6963f7d28e17f72",
    ),
    (
        Algorithm::Sha1,
        "FIPS 180 example",
        "a9993e364706816aba3e25717850c26c9cd0d89d",
    ),
    (
        Algorithm::Sha224,
        "FIPS 180 example",
        "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
    ),
    (
        Algorithm::Sha256,
        "FIPS 180 example",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    ),
    (
        Algorithm::Sha384,
        "FIPS 180 example",
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
    ),
    (
        Algorithm::Sha512,
        "FIPS 180 example",
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    ),
    (
        Algorithm::Sha512_224,
        "FIPS 180 example",
        "4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa",
    ),
    (
        Algorithm::Sha512_256,
        "FIPS 180 example",
        "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
    ),
    (
        Algorithm::Sha3_224,
        "FIPS 202 example",
        "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf",
    ),
    (
        Algorithm::Sha3_256,
        "FIPS 202 example",
        "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
    ),
    (
        Algorithm::Sha3_384,
        "FIPS 202 example",
        "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25",
    ),
    (
        Algorithm::Sha3_512,
        "FIPS 202 example",
        "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0",
    ),
    (
        Algorithm::Shake128,
        "FIPS 202 example",
        "5881092dd818bf5cf8a3ddb793fbcba7",
    ),
    (
        Algorithm::Shake256,
        "FIPS 202 example",
        "483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739",
    ),
];

/// `(name, algorithm, source, key, message, MAC)`.
type HmacAnswer = (
    &'static str,
    Algorithm,
    &'static str,
    &'static [u8],
    &'static [u8],
    &'static str,
);

/// `(name, algorithm, source, key, message, MAC)`: HMAC-SHA256 runs on bare SHA-2
/// compressions, HMAC-MD5 on the generic hash-state path.
const HMAC: &[HmacAnswer] = &[
    (
        "hmac-sha256",
        Algorithm::Sha256,
        "RFC 4231 test case 2",
        b"Jefe",
        b"what do ya want for nothing?",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ),
    (
        "hmac-md5",
        Algorithm::Md5,
        "RFC 2202 test case 2",
        b"Jefe",
        b"what do ya want for nothing?",
        "750c783e6ab0b503eaa86e310a5db738",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_self_test_passes_and_every_algorithm_is_covered() {
        let results = self_test();
        for test in &results {
            assert!(test.passed, "{test:?}");
        }
        for alg in Algorithm::ALL {
            assert!(results.iter().any(|t| t.name == alg.name()), "{alg}");
        }
    }

    #[test]
    fn a_wrong_answer_is_reported_with_both_values() {
        let test = answer("x", "RFC 0", "00", "01");
        assert!(!test.passed);
        assert_eq!(test.detail, "RFC 0: computed 00, expected 01");
    }
}
