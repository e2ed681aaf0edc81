//! `Algorithm` names and BLAKE2 parameters: any name either parses to an algorithm whose
//! `name()` parses back to it, or is refused with an error naming it; any BLAKE2 digest size,
//! key, salt and person either build a hash whose output has the requested size, or are
//! refused with a typed error, never a panic. Short inputs are also hashed and checked
//! against a one-shot digest.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_digest::{Algorithm, Blake2Params, Error, Hash, digest};

fuzz_target!(|data: &[u8]| {
    // Algorithm names.
    let text = String::from_utf8_lossy(data);
    match text.parse::<Algorithm>() {
        Ok(alg) => {
            assert_eq!(alg.name().parse::<Algorithm>().ok(), Some(alg));
            assert_eq!(
                text.to_ascii_lowercase().parse::<Algorithm>().ok(),
                Some(alg)
            );
        }
        Err(err) => assert!(err.to_string().contains("algorithm"), "{err}"),
    }
    // BLAKE2 parameters: [alg][size][key len][salt len][person len] rest...
    let [sel, size, key_len, salt_len, person_len, rest @ ..] = data else {
        return;
    };
    let algorithm = match sel % 3 {
        0 => Algorithm::Blake2b,
        1 => Algorithm::Blake2s,
        _ => Algorithm::ALL[usize::from(*sel) % Algorithm::ALL.len()],
    };
    let take = |from: &[u8], n: u8| from[..usize::from(n).min(from.len())].to_vec();
    let key = take(rest, *key_len % 80);
    let salt = take(rest, *salt_len % 24);
    let person = take(rest, *person_len % 24);
    let message = &rest[rest.len().min(4)..];
    let mut params = Blake2Params::new().key(&key).salt(&salt).person(&person);
    if *size != 0xff {
        params = params.digest_size(usize::from(*size % 80));
    }
    match Hash::blake2(algorithm, &params) {
        Ok(mut h) => {
            let expected = if *size == 0xff {
                algorithm.digest_size()
            } else {
                usize::from(*size % 80)
            };
            assert_eq!(h.digest_size(), expected);
            h.update(message);
            assert_eq!(h.digest().len(), expected);
            assert_eq!(h.hexdigest().len(), 2 * expected);
            if key.is_empty() && salt.is_empty() && person.is_empty() && *size == 0xff {
                assert_eq!(h.digest(), digest(algorithm, message));
            }
        }
        Err(
            err @ (Error::NotBlake2 { .. }
            | Error::DigestSize { .. }
            | Error::Blake2ParameterTooLong { .. }),
        ) => assert!(!err.to_string().is_empty()),
        Err(err) => panic!("unexpected error: {err:?}"),
    }
});
