//! Property tests of the laws every call keeps whatever its argument: bounded integers stay
//! in range, tokens have the documented length and alphabet, samples and shuffles are
//! permutations of their input. Case counts are bounded so that `cargo test` stays fast.
#![allow(clippy::unwrap_used)]

use palisade_random::{
    Error, MAX_REQUEST, randbelow, randbits, sample, shuffle, token_bytes, token_hex,
    token_urlsafe, urandom,
};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn randbelow_stays_below(n in prop_oneof![1..=u64::MAX, 1..=3u64, Just(1u64 << 63 | 1)]) {
        prop_assert!(randbelow(n).unwrap() < n);
    }

    #[test]
    fn randbits_has_at_most_k_bits(k in 0..=64u32) {
        let x = randbits(k).unwrap();
        prop_assert!(k == 64 || x >> k == 0, "{x:#x} has more than {k} bits");
    }

    #[test]
    fn tokens_have_the_documented_length_and_alphabet(n in 0..200usize) {
        prop_assert_eq!(token_bytes(n).unwrap().len(), n);
        prop_assert_eq!(urandom(n).unwrap().len(), n);
        let hex = token_hex(n).unwrap();
        prop_assert_eq!(hex.len(), 2 * n);
        prop_assert!(hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        // base64url without padding: ceil(4n / 3) characters.
        let url = token_urlsafe(n).unwrap();
        prop_assert_eq!(url.len(), (4 * n).div_ceil(3));
        prop_assert!(url.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn sample_and_shuffle_are_permutations(len in 0..60usize, k in 0..70usize) {
        let population: Vec<usize> = (0..len).collect();
        match sample(&population, k) {
            Ok(picked) => {
                prop_assert!(k <= len);
                let mut picked: Vec<usize> = picked.into_iter().copied().collect();
                picked.sort_unstable();
                picked.dedup();
                prop_assert_eq!(picked.len(), k);
            }
            Err(err) => prop_assert!(
                k > len && matches!(err, Error::SampleLargerThanPopulation { .. }),
                "{err}"
            ),
        }
        let mut items = population.clone();
        shuffle(&mut items).unwrap();
        items.sort_unstable();
        prop_assert_eq!(items, population);
    }
}

/// The request-size limit: over [`MAX_REQUEST`] every call refuses with a typed error before
/// allocating anything (a request of `usize::MAX` bytes would abort the process otherwise).
#[test]
fn requests_over_the_limit_are_refused_before_allocating() {
    for n in [MAX_REQUEST + 1, usize::MAX / 2, usize::MAX] {
        assert!(matches!(urandom(n), Err(Error::TooLarge { .. })), "{n}");
        assert!(matches!(token_bytes(n), Err(Error::TooLarge { .. })), "{n}");
        assert!(matches!(token_hex(n), Err(Error::TooLarge { .. })), "{n}");
        assert!(
            matches!(token_urlsafe(n), Err(Error::TooLarge { .. })),
            "{n}"
        );
    }
    let err = urandom(MAX_REQUEST + 1).unwrap_err();
    assert!(
        err.to_string().contains(&(MAX_REQUEST + 1).to_string()),
        "{err}"
    );
}
