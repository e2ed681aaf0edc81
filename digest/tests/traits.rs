//! `Hash` where RustCrypto code takes a hasher: generic `Update` code and `Box<dyn DynDigest>`,
//! side by side with RustCrypto's own hashers boxed the same way, for `digest` 0.11 (feature
//! `digest`: sha2 0.11, sha3 0.12, blake2 0.11, md-5 0.11) and 0.10 (feature `digest-0_10`:
//! sha2 0.10, sha3 0.10, sha1 0.10). Run with `--features digest,digest-0_10`.
#![cfg(any(feature = "digest", feature = "digest-0_10"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::bytes;

use palisade_digest::{Algorithm, Hash};

/// Lengths around the block boundaries of every algorithm here (64, 128, 72 to 168).
const LENGTHS: [usize; 14] = [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 136, 168, 1000];

/// The checks, written once against one `digest` generation's traits.
macro_rules! trait_checks {
    ($krate:ident) => {
        use $krate::{DynDigest, Update};

        /// RustCrypto-style generic code: feeds `data` through `Update` in uneven chunks.
        fn feed<D: Update>(hasher: &mut D, data: &[u8]) {
            for chunk in data.chunks(37) {
                hasher.update(chunk);
            }
        }

        /// The same through the trait object.
        fn feed_dyn(hasher: &mut dyn DynDigest, data: &[u8]) {
            for chunk in data.chunks(37) {
                hasher.update(chunk);
            }
        }

        /// Generic over `Update` by value, the way RustCrypto's `Digest::chain_update` reads.
        fn chained<D: Update>(mut hasher: D, data: &[u8]) -> D {
            feed(&mut hasher, data);
            hasher
        }

        /// `ours` and `theirs` (a RustCrypto hasher of the same algorithm) behave the same
        /// through `Box<dyn DynDigest>`: output size, digests after generic updates,
        /// `finalize_reset`, `reset`, `box_clone`, `finalize_into` and its length check.
        fn same_as(name: &str, ours: Box<dyn DynDigest>, theirs: Box<dyn DynDigest>) {
            let (mut ours, mut theirs) = (ours, theirs);
            assert_eq!(
                ours.output_size(),
                theirs.output_size(),
                "{name}: output_size"
            );
            for (i, len) in LENGTHS.into_iter().enumerate() {
                let data = bytes(len, i as u64);
                feed_dyn(&mut *ours, &data);
                feed_dyn(&mut *theirs, &data);
                // A clone is independent of its original.
                let (mut ours_copy, mut theirs_copy) = (ours.box_clone(), theirs.clone());
                assert_eq!(
                    ours.finalize_reset(),
                    theirs.finalize_reset(),
                    "{name}: {len} bytes"
                );
                ours_copy.update(b"more");
                theirs_copy.update(b"more");
                assert_eq!(
                    ours_copy.finalize(),
                    theirs_copy.finalize(),
                    "{name}: clone"
                );
            }
            // `finalize_reset` above left both fresh: the digest of nothing.
            assert_eq!(
                ours.box_clone().finalize(),
                theirs.box_clone().finalize(),
                "{name}"
            );
            // `reset` drops what was fed.
            ours.update(b"dropped");
            theirs.update(b"dropped");
            ours.reset();
            theirs.reset();
            ours.update(b"kept");
            theirs.update(b"kept");
            let size = theirs.output_size();
            let (mut a, mut b) = (vec![0; size], vec![0; size]);
            ours.finalize_into_reset(&mut a).unwrap();
            theirs.finalize_into_reset(&mut b).unwrap();
            assert_eq!(a, b, "{name}: finalize_into_reset after reset");
            // A buffer of the wrong length is refused, as RustCrypto's are.
            for wrong in [size - 1, size + 1] {
                let mut buf = vec![0; wrong];
                assert!(
                    ours.finalize_into_reset(&mut buf).is_err(),
                    "{name}: {wrong} bytes"
                );
                assert!(
                    theirs.finalize_into_reset(&mut buf).is_err(),
                    "{name}: {wrong} bytes"
                );
            }
        }

        /// Generic `Update` code gives the digest `Hash` gives on its own.
        #[test]
        fn generic_update_code_takes_hash() {
            for &algorithm in &Algorithm::ALL {
                let data = bytes(300, 7);
                let h = chained(Hash::new(algorithm), &data);
                assert_eq!(
                    h.digest(),
                    palisade_digest::digest(algorithm, &data),
                    "{algorithm}"
                );
            }
        }
    };
}

#[cfg(feature = "digest")]
mod digest_011 {
    use super::*;
    use digest::Mac as _;

    trait_checks!(digest);

    /// Every algorithm the current RustCrypto releases here cover, boxed beside ours.
    #[test]
    fn dyn_digest_matches_rustcrypto() {
        use rustcrypto_sha2 as sha2;
        use rustcrypto_sha3 as sha3;
        let peers: [(Algorithm, Box<dyn DynDigest>); 13] = [
            (Algorithm::Sha224, Box::new(sha2::Sha224::default())),
            (Algorithm::Sha256, Box::new(sha2::Sha256::default())),
            (Algorithm::Sha384, Box::new(sha2::Sha384::default())),
            (Algorithm::Sha512, Box::new(sha2::Sha512::default())),
            (Algorithm::Sha512_224, Box::new(sha2::Sha512_224::default())),
            (Algorithm::Sha512_256, Box::new(sha2::Sha512_256::default())),
            (Algorithm::Sha3_224, Box::new(sha3::Sha3_224::default())),
            (Algorithm::Sha3_256, Box::new(sha3::Sha3_256::default())),
            (Algorithm::Sha3_384, Box::new(sha3::Sha3_384::default())),
            (Algorithm::Sha3_512, Box::new(sha3::Sha3_512::default())),
            (Algorithm::Blake2b, Box::new(blake2::Blake2b512::default())),
            (Algorithm::Blake2s, Box::new(blake2::Blake2s256::default())),
            (Algorithm::Md5, Box::new(md5::Md5::default())),
        ];
        for (algorithm, theirs) in peers {
            same_as(algorithm.name(), Box::new(Hash::new(algorithm)), theirs);
        }
    }

    /// SHAKE through `DynDigest` is its default length (16 and 32 bytes): NIST's short-message
    /// vectors for SHAKE128 and SHAKE256, whose outputs are those lengths.
    #[test]
    fn shake_dyn_digest_is_the_default_length() {
        for (algorithm, len, text) in [
            (
                Algorithm::Shake128,
                16,
                include_str!("data/shake_128_nist_short.txt"),
            ),
            (
                Algorithm::Shake256,
                32,
                include_str!("data/shake_256_nist_short.txt"),
            ),
        ] {
            let records = common::records(text);
            assert!(
                records.len() > 100,
                "{algorithm}: {} vectors",
                records.len()
            );
            for record in records {
                let (msg, md) = (record.bytes("msg"), record.bytes("md"));
                assert_eq!(md.len(), len);
                let mut ours: Box<dyn DynDigest> = Box::new(Hash::new(algorithm));
                assert_eq!(ours.output_size(), len);
                feed_dyn(&mut *ours, &msg);
                assert_eq!(&*ours.finalize(), &md[..], "{algorithm}: {record:?}");
            }
        }
    }

    /// Keyed BLAKE2b through `DynDigest` equals RustCrypto's `Blake2bMac512` with the same
    /// key, salt and personalisation, and `reset` keeps the key.
    #[test]
    fn keyed_blake2_dyn_digest_keeps_its_key() {
        use palisade_digest::Blake2Params;
        let (key, salt, person) = (bytes(64, 1), bytes(16, 2), bytes(16, 3));
        let params = Blake2Params::new().key(&key).salt(&salt).person(&person);
        let mut ours: Box<dyn DynDigest> =
            Box::new(Hash::blake2(Algorithm::Blake2b, &params).unwrap());
        ours.update(b"forgotten");
        ours.reset();
        for (i, n) in LENGTHS.into_iter().enumerate() {
            let data = bytes(n, 200 + i as u64);
            feed_dyn(&mut *ours, &data);
            let mut theirs =
                blake2::Blake2bMac512::new_with_salt_and_personal(Some(&key), &salt, &person)
                    .unwrap();
            feed(&mut theirs, &data);
            assert_eq!(
                &*ours.finalize_reset(),
                &theirs.finalize().into_bytes()[..],
                "{n} bytes"
            );
        }
    }
}

#[cfg(feature = "digest-0_10")]
mod digest_010 {
    use super::*;

    trait_checks!(digest_0_10);

    /// The algorithms of the previous RustCrypto generation, boxed beside ours.
    #[test]
    fn dyn_digest_matches_rustcrypto() {
        let peers: [(Algorithm, Box<dyn DynDigest>); 11] = [
            (Algorithm::Sha1, Box::new(sha1::Sha1::default())),
            (Algorithm::Sha224, Box::new(sha2::Sha224::default())),
            (Algorithm::Sha256, Box::new(sha2::Sha256::default())),
            (Algorithm::Sha384, Box::new(sha2::Sha384::default())),
            (Algorithm::Sha512, Box::new(sha2::Sha512::default())),
            (Algorithm::Sha512_224, Box::new(sha2::Sha512_224::default())),
            (Algorithm::Sha512_256, Box::new(sha2::Sha512_256::default())),
            (Algorithm::Sha3_224, Box::new(sha3::Sha3_224::default())),
            (Algorithm::Sha3_256, Box::new(sha3::Sha3_256::default())),
            (Algorithm::Sha3_384, Box::new(sha3::Sha3_384::default())),
            (Algorithm::Sha3_512, Box::new(sha3::Sha3_512::default())),
        ];
        for (algorithm, theirs) in peers {
            same_as(algorithm.name(), Box::new(Hash::new(algorithm)), theirs);
        }
    }
}
