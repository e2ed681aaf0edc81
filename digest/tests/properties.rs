//! Property tests: `compare_digest(a, b) == (a == b)`, streaming equals one-shot, names parse
//! back, MACs verify only their own tag, and a checksum line written back parses the same.
//! Case counts are bounded so that `cargo test` stays fast; `fuzz/` explores further.
#![allow(clippy::unwrap_used)]

use palisade_digest::{
    Algorithm, Hash, HmacKey, compare_digest, digest, hmac_digest, parse_checksum_line,
};
use proptest::prelude::*;

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop::sample::select(Algorithm::ALL.to_vec())
}

/// Pairs that are equal, differ in one byte (first, last or anywhere), differ in length, or
/// are unrelated: equal inputs are rare among random pairs, so they are made on purpose.
fn pair() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
    let bytes = prop::collection::vec(any::<u8>(), 0..600);
    prop_oneof![
        bytes.clone().prop_map(|a| (a.clone(), a)),
        (bytes.clone(), any::<prop::sample::Index>(), 1..=255u8).prop_map(|(a, at, flip)| {
            let mut b = a.clone();
            if !b.is_empty() {
                let i = at.index(b.len());
                b[i] ^= flip;
            }
            (a, b)
        }),
        (bytes.clone(), any::<u8>()).prop_map(|(a, extra)| {
            let mut b = a.clone();
            b.push(extra);
            (a, b)
        }),
        (bytes.clone(), bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn compare_digest_is_equality((a, b) in pair()) {
        prop_assert_eq!(compare_digest(&a, &b), a == b);
        prop_assert_eq!(compare_digest(&b, &a), a == b);
    }

    #[test]
    fn streaming_equals_one_shot(
        alg in algorithm(),
        data in prop::collection::vec(any::<u8>(), 0..700),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(data.len() + 1)).collect();
        points.sort_unstable();
        let mut h = Hash::new(alg);
        let mut at = 0;
        for point in points {
            h.update(&data[at..point]);
            at = point;
        }
        h.update(&data[at..]);
        if alg.is_xof() {
            prop_assert_eq!(h.digest_xof(40).unwrap(), {
                let mut one = Hash::new(alg);
                one.update(&data);
                one.digest_xof(40).unwrap()
            });
        } else {
            prop_assert_eq!(h.digest(), digest(alg, &data));
        }
    }

    #[test]
    fn names_parse_back_ignoring_case(alg in algorithm(), mask in any::<u64>()) {
        prop_assert_eq!(alg.name().parse::<Algorithm>().unwrap(), alg);
        let mixed: String = alg
            .name()
            .chars()
            .enumerate()
            .map(|(i, c)| if mask >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c })
            .collect();
        prop_assert_eq!(mixed.parse::<Algorithm>().unwrap(), alg);
    }

    #[test]
    fn a_mac_verifies_its_own_tag_only(
        key in prop::collection::vec(any::<u8>(), 0..200),
        message in prop::collection::vec(any::<u8>(), 0..300),
        at in any::<prop::sample::Index>(),
        flip in 1..=255u8,
    ) {
        for alg in [Algorithm::Sha256, Algorithm::Sha512, Algorithm::Sha3_256, Algorithm::Blake2s] {
            let tag = hmac_digest(&key, &message, alg).unwrap();
            let mut mac = HmacKey::new(&key, alg).unwrap().start();
            mac.update(&message);
            prop_assert!(mac.verify(tag.as_ref()).is_ok());
            let mut bad = tag.as_ref().to_vec();
            let i = at.index(bad.len());
            bad[i] ^= flip;
            prop_assert!(mac.verify(&bad).is_err());
            prop_assert!(mac.verify(&tag.as_ref()[..bad.len() - 1]).is_err());
        }
    }

    #[test]
    fn a_checksum_line_written_back_parses_the_same(
        line in prop::collection::vec(any::<u8>(), 0..120),
        hex in "[0-9a-fA-F]{64}",
        name in prop::collection::vec(any::<u8>(), 1..40),
    ) {
        // Arbitrary lines never panic the parser.
        let _ = parse_checksum_line(Algorithm::Sha256, 32, &line);
        // A well-formed GNU line, escaped when the name needs it, gives back its parts.
        let escape = name.iter().any(|b| matches!(b, b'\\' | b'\n' | b'\r'));
        let mut gnu = Vec::new();
        if escape {
            gnu.push(b'\\');
        }
        gnu.extend_from_slice(hex.as_bytes());
        gnu.extend_from_slice(b"  ");
        for &b in &name {
            match b {
                b'\\' if escape => gnu.extend_from_slice(b"\\\\"),
                b'\n' => gnu.extend_from_slice(b"\\n"),
                b'\r' => gnu.extend_from_slice(b"\\r"),
                _ => gnu.push(b),
            }
        }
        let parsed = parse_checksum_line(Algorithm::Sha256, 32, &gnu).unwrap();
        prop_assert_eq!(parsed.hex, hex);
        prop_assert_eq!(parsed.name, name);
    }
}
