//! Resource limits: parameters that would need a large allocation are refused with a typed
//! error before anything is allocated (docs/SECURITY.md, "Resource limits").
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use palisade_digest::{Algorithm, Error, Hash, MAX_XOF_OUTPUT, scrypt};

/// `(n, r, p, maxmem, required)`: parameters scrypt refuses for memory, and the bytes they
/// would need (`128 * r * (n + p + 2)`, as OpenSSL counts).
const SCRYPT_TOO_BIG: &[(u64, u32, u32, u64, u128)] = &[
    // The default cap (maxmem = 0) is OpenSSL's 32 MiB: n = 2^15 with r = 8 needs just over
    // it, as CPython's `hashlib.scrypt(b"p", salt=b"s", n=2**15, r=8, p=1)` also refuses.
    (1 << 15, 8, 1, 0, 128 * 8 * ((1 << 15) + 3)),
    // 1 GiB.
    (1 << 20, 8, 1, 0, 128 * 8 * ((1 << 20) + 3)),
    // The largest cap allowed (2^31 - 1) and far more asked for.
    (1 << 40, 4, 1, (1 << 31) - 1, 128 * 4 * ((1 << 40) + 3)),
    // A small explicit cap.
    (1 << 10, 8, 1, 1 << 20, 128 * 8 * ((1 << 10) + 3)),
];

#[test]
fn scrypt_refuses_parameters_over_its_memory_cap_before_allocating() {
    for &(n, r, p, maxmem, required) in SCRYPT_TOO_BIG {
        let start = Instant::now();
        let err = scrypt(b"password", b"salt", n, r, p, maxmem, 64).unwrap_err();
        // Refused at once: deriving with these parameters would take seconds and gigabytes.
        assert!(start.elapsed() < Duration::from_secs(1), "n = {n}");
        let cap = if maxmem == 0 { 32 << 20 } else { maxmem };
        match err {
            Error::ScryptMemory {
                required: r,
                maxmem: m,
            } => assert_eq!((r, m), (required, cap), "n = {n}"),
            other => panic!("n = {n}: {other:?}"),
        }
    }
    // A cap above 2^31 - 1 is refused (CPython: "maxmem must be positive and smaller than
    // 2147483647"). What is accepted is covered by the RFC 7914 vectors in src/kdf.rs.
    assert!(matches!(
        scrypt(b"p", b"s", 2, 1, 1, 1 << 31, 16),
        Err(Error::ScryptMemory { .. })
    ));
    let err = scrypt(b"p", b"s", 1 << 20, 8, 1, 0, 64).unwrap_err();
    assert_eq!(
        err.to_string(),
        "scrypt parameters need 1073744896 bytes of memory, more than maxmem = 33554432"
    );
}

#[test]
fn shake_output_over_its_cap_is_refused_before_allocating() {
    let h = Hash::new(Algorithm::Shake128);
    for len in [MAX_XOF_OUTPUT + 1, usize::MAX / 2, usize::MAX] {
        let start = Instant::now();
        match h.digest_xof(len) {
            Err(Error::OutputTooLong { requested, max }) => {
                assert_eq!((requested, max), (len, MAX_XOF_OUTPUT));
            }
            other => panic!("len {len}: {other:?}"),
        }
        assert!(start.elapsed() < Duration::from_secs(1), "len {len}");
    }
    // A fixed-size algorithm is refused as such, whatever the length.
    assert!(matches!(
        Hash::new(Algorithm::Sha256).digest_xof(usize::MAX),
        Err(Error::NotXof { .. })
    ));
}
