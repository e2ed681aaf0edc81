//! Password-based key derivation: PBKDF2-HMAC (RFC 8018) and scrypt (RFC 7914).

use crate::algorithm::Algorithm;
use crate::error::Error;
use crate::hmac::{HmacKey, Prepared};
use crate::md5_core;
use crate::output::{MAX_OUTPUT, zeroed};
use crate::sha2_core::{s256, s512};

/// PBKDF2 with HMAC, Python's `hashlib.pbkdf2_hmac(hash_name, password, salt, iterations,
/// dklen)`.
///
/// With SHA-2 and MD5 the inner loop runs on the prepared key's bare states and pre-padded blocks:
/// two compression calls per iteration, the minimum RFC 8018 allows.
///
/// # Errors
///
/// As Python: [`Error::IterationCount`] when `iterations` is 0 or above 2^31 - 1;
/// [`Error::KeyLength`] when `dklen` is 0 or above 2^31 - 1 (or above (2^32 - 1) hash
/// lengths, RFC 8018 section 5.2); [`Error::UnsupportedHmac`] for SHAKE;
/// [`Error::OutOfMemory`] when the `dklen` bytes cannot be allocated (Python raises
/// `MemoryError`).
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, pbkdf2_hmac};
/// # fn main() -> Result<(), palisade_digest::Error> {
/// // RFC 6070, test case 2.
/// let dk = pbkdf2_hmac(Algorithm::Sha1, b"password", b"salt", 2, 20)?;
/// assert_eq!(dk[..4], [0xea, 0x6c, 0x01, 0x4d]);
/// assert!(pbkdf2_hmac(Algorithm::Sha256, b"pw", b"salt", 0, 32).is_err());
/// # Ok(())
/// # }
/// ```
pub fn pbkdf2_hmac(
    algorithm: Algorithm,
    password: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    iterations: u32,
    dklen: usize,
) -> Result<Vec<u8>, Error> {
    if iterations == 0 || iterations > INT_MAX {
        return Err(Error::IterationCount);
    }
    let key = HmacKey::new(password, algorithm)?;
    let hlen = algorithm.digest_size();
    // RFC 8018 section 5.2: "If dkLen > (2^32 - 1) * hLen, output "derived key too long"".
    let max = (INT_MAX as usize).min(hlen.saturating_mul(u32::MAX as usize));
    if dklen == 0 || dklen > max {
        return Err(Error::KeyLength {
            requested: dklen,
            max,
        });
    }
    let salt = salt.as_ref();
    let mut out = zeroed(dklen)?;
    for (index, chunk) in out.chunks_mut(hlen).enumerate() {
        // The bound on dklen above keeps the block index below 2^32.
        let block_index = u32::try_from(index + 1).map_err(|_| Error::KeyLength {
            requested: dklen,
            max,
        })?;
        // U_1 = PRF(P, S || INT(i))
        let mut mac = key.start();
        mac.update(salt);
        mac.update(block_index.to_be_bytes());
        let first = mac.digest();
        let mut t = [0; MAX_OUTPUT];
        t[..hlen].copy_from_slice(&first);
        iterate(&key, &mut t[..hlen], iterations);
        chunk.copy_from_slice(&t[..chunk.len()]);
    }
    Ok(out)
}

/// scrypt, Python's `hashlib.scrypt(password, salt=, n=, r=, p=, maxmem=0, dklen=64)`.
///
/// `maxmem` of 0 means Python's (and OpenSSL's) default of 32 MiB. The parameters are
/// checked before any memory is allocated, exactly as OpenSSL's `EVP_PBE_scrypt` checks them
/// for Python: the memory needed is `128 * r * p + 128 * r * (n + 2)` bytes.
///
/// # Errors
///
/// [`Error::ScryptCost`] when `n` is not a power of two greater than 1, or `n >= 2^(16 r)`;
/// [`Error::ScryptParameters`] when `r` or `p` is 0, `r * p >= 2^30` or `128 * r * p` exceeds
/// 2^31 - 1; [`Error::ScryptMemory`] when the memory needed exceeds `maxmem` or `maxmem`
/// exceeds 2^31 - 1; [`Error::KeyLength`] when `dklen` is 0 or above 2^31 - 1;
/// [`Error::OutOfMemory`] when the `dklen` bytes cannot be allocated.
///
/// # Examples
///
/// ```
/// use palisade_digest::scrypt;
/// # fn main() -> Result<(), palisade_digest::Error> {
/// // RFC 7914 section 12, second vector.
/// let dk = scrypt(b"password", b"NaCl", 1024, 8, 16, 0, 64)?;
/// assert_eq!(dk[..4], [0xfd, 0xba, 0xbe, 0x1c]);
/// // n = 2^20 with r = 8 needs 1 GiB: refused before allocating.
/// assert!(scrypt(b"pw", b"salt", 1 << 20, 8, 1, 0, 64).is_err());
/// # Ok(())
/// # }
/// ```
pub fn scrypt(
    password: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    n: u64,
    r: u32,
    p: u32,
    maxmem: u64,
    dklen: usize,
) -> Result<Vec<u8>, Error> {
    check_scrypt(n, r, p, maxmem)?;
    if dklen == 0 || dklen > INT_MAX as usize {
        return Err(Error::KeyLength {
            requested: dklen,
            max: INT_MAX as usize,
        });
    }
    let log_n = u8::try_from(n.trailing_zeros()).map_err(|_| Error::ScryptCost { n })?;
    // The `len` argument only matters to the crate's PHC-string API; any value in its
    // accepted range (10..=64) will do.
    let params =
        scrypt::Params::new(log_n, r, p, 32).map_err(|_| Error::ScryptParameters { r, p })?;
    let mut out = zeroed(dklen)?;
    scrypt::scrypt(password.as_ref(), salt.as_ref(), &params, &mut out).map_err(|_| {
        Error::KeyLength {
            requested: dklen,
            max: INT_MAX as usize,
        }
    })?;
    Ok(out)
}

/// Python's and OpenSSL's parameter checks for scrypt, in OpenSSL's order
/// (`crypto/evp/pbe_scrypt.c`, `kdf_scrypt.c`: `scrypt_alg`).
fn check_scrypt(n: u64, r: u32, p: u32, maxmem: u64) -> Result<(), Error> {
    // CPython `_hashopenssl.c`: "n must be a power of 2."
    if n < 2 || !n.is_power_of_two() {
        return Err(Error::ScryptCost { n });
    }
    // CPython: "maxmem must be positive and smaller than 2147483647"
    if maxmem > u64::from(INT_MAX) {
        return Err(Error::ScryptMemory {
            required: 0,
            maxmem,
        });
    }
    let (r64, p64) = (u64::from(r), u64::from(p));
    // OpenSSL: "if (r == 0 || p == 0 ...) return 0"; "Check p * r < SCRYPT_PR_MAX".
    if r == 0 || p == 0 || p64 > SCRYPT_PR_MAX / r64 {
        return Err(Error::ScryptParameters { r, p });
    }
    // OpenSSL: "Need to check N: if 2^(128 * r / 8) overflows limit this is automatically
    // satisfied since N <= UINT64_MAX."
    if 16 * r64 <= 63 && n >= 1 << (16 * r64) {
        return Err(Error::ScryptCost { n });
    }
    // OpenSSL: "Blen = p * 128 * r; if (Blen > INT_MAX) return 0".
    let b_len = u128::from(p64) * 128 * u128::from(r64);
    if b_len > u128::from(INT_MAX) {
        return Err(Error::ScryptParameters { r, p });
    }
    // OpenSSL: "Vlen = 32 * r * (N + 2) * sizeof(uint32_t)"; "if (Blen + Vlen > maxmem)".
    let v_len = 128 * u128::from(r64) * (u128::from(n) + 2);
    let maxmem = if maxmem == 0 { SCRYPT_MAX_MEM } else { maxmem };
    let required = b_len + v_len;
    if required > u128::from(maxmem) {
        return Err(Error::ScryptMemory { required, maxmem });
    }
    Ok(())
}

/// Runs iterations 2 to `iterations` of RFC 8018's function F, XORing each U_j into `t`,
/// which holds U_1 on entry.
fn iterate(key: &HmacKey, t: &mut [u8], iterations: u32) {
    match key.prepared() {
        Prepared::Md5 { inner, outer } => iterate_md5(*inner, *outer, t, iterations),
        Prepared::S256 { inner, outer, .. } => {
            iterate_s256(*inner, *outer, t, iterations);
        }
        Prepared::S512 { inner, outer, .. } => {
            iterate_s512(*inner, *outer, t, iterations);
        }
        Prepared::Generic(_) => {
            let mut u = [0; MAX_OUTPUT];
            let u = &mut u[..t.len()];
            u.copy_from_slice(t);
            for _ in 1..iterations {
                let next = key.mac(&*u);
                u.copy_from_slice(&next);
                for (t, u) in t.iter_mut().zip(u.iter()) {
                    *t ^= u;
                }
            }
        }
    }
}

macro_rules! iterate_sha2 {
    ($name:ident, $module:ident, $word:ty, $block:expr, $len_bytes:expr) => {
        /// U_j = HMAC(P, U_{j-1}): the inner and outer messages are both one block, the
        /// previous value padded as a (block + hLen)-byte message, so each iteration is two
        /// compressions of a pre-padded block.
        fn $name(inner: [$word; 8], outer: [$word; 8], t: &mut [u8], iterations: u32) {
            let hlen = t.len();
            let mut block = [0; $block];
            block[..hlen].copy_from_slice(t);
            block[hlen] = 0x80;
            let bits = (($block + hlen) * 8) as u128;
            block[$block - $len_bytes..].copy_from_slice(&bits.to_be_bytes()[16 - $len_bytes..]);
            for _ in 1..iterations {
                let mut state = inner;
                $module::compress(&mut state, &block);
                $module::write_state(&state, &mut block[..hlen]);
                let mut state = outer;
                $module::compress(&mut state, &block);
                $module::write_state(&state, &mut block[..hlen]);
                for (t, u) in t.iter_mut().zip(&block[..hlen]) {
                    *t ^= u;
                }
            }
        }
    };
}

iterate_sha2!(iterate_s256, s256, u32, 64, 8);
iterate_sha2!(iterate_s512, s512, u64, 128, 16);

/// U_j = HMAC(P, U_{j-1}) for MD5, as `iterate_sha2` computes it: the inner and the outer
/// hash are each one pre-padded block after a key block, which is `md5_core::outer_finish`.
fn iterate_md5(inner: [u32; 4], outer: [u32; 4], t: &mut [u8], iterations: u32) {
    let mut u = [0; md5_core::DIGEST];
    // `t` is one hLen-byte block of the output, and hLen is MD5's digest size.
    u.copy_from_slice(t);
    for _ in 1..iterations {
        u = md5_core::outer_finish(outer, &md5_core::outer_finish(inner, &u));
        for (t, u) in t.iter_mut().zip(&u) {
            *t ^= u;
        }
    }
}

/// C's `INT_MAX`, the limit Python puts on iteration counts, key lengths and `maxmem`.
const INT_MAX: u32 = i32::MAX as u32;
/// OpenSSL's `SCRYPT_PR_MAX`: `r * p` must stay below 2^30.
const SCRYPT_PR_MAX: u64 = (1 << 30) - 1;
/// OpenSSL's `SCRYPT_MAX_MEM`, used when `maxmem` is 0: 32 MiB.
const SCRYPT_MAX_MEM: u64 = 32 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    // (n, r, p, maxmem, accepted), checked against CPython 3.11 `hashlib.scrypt` with
    // OpenSSL 3.0.
    const SCRYPT_PARAMETERS: &[(u64, u32, u32, u64, bool)] = &[
        (2, 1, 1, 0, true),
        (16, 1, 1, 0, true),
        (1024, 8, 16, 0, true),
        (16384, 8, 1, 0, true),
        // 128 * 8 * (32768 + 2) + 1024 = 33,555,456 > 32 MiB
        (32768, 8, 1, 0, false),
        (32768, 8, 1, 64 * 1024 * 1024, true),
        // n not a power of two greater than 1
        (0, 1, 1, 0, false),
        (1, 1, 1, 0, false),
        (3, 1, 1, 0, false),
        (1000, 8, 1, 0, false),
        // r or p zero, r * p too large
        (16, 0, 1, 0, false),
        (16, 1, 0, 0, false),
        (16, 1 << 15, 1 << 15, 0, false),
        // n >= 2^(16 r)
        (1 << 16, 1, 1, i32::MAX as u64, false),
        // maxmem above INT_MAX
        (16, 1, 1, 1 << 31, false),
    ];

    #[test]
    fn scrypt_parameter_checks_match_python() {
        for &(n, r, p, maxmem, accepted) in SCRYPT_PARAMETERS {
            assert_eq!(
                check_scrypt(n, r, p, maxmem).is_ok(),
                accepted,
                "n={n} r={r} p={p} maxmem={maxmem}: {:?}",
                check_scrypt(n, r, p, maxmem)
            );
        }
    }

    #[test]
    fn pbkdf2_length_and_count_checks() {
        assert!(matches!(
            pbkdf2_hmac(Algorithm::Sha256, b"p", b"s", 0, 32),
            Err(Error::IterationCount)
        ));
        assert!(matches!(
            pbkdf2_hmac(Algorithm::Sha256, b"p", b"s", 1 << 31, 32),
            Err(Error::IterationCount)
        ));
        assert!(matches!(
            pbkdf2_hmac(Algorithm::Sha256, b"p", b"s", 1, 0),
            Err(Error::KeyLength { .. })
        ));
        assert!(matches!(
            pbkdf2_hmac(Algorithm::Shake128, b"p", b"s", 1, 16),
            Err(Error::UnsupportedHmac { .. })
        ));
        assert!(matches!(
            scrypt(b"p", b"s", 16, 1, 1, 0, 0),
            Err(Error::KeyLength { .. })
        ));
    }

    #[test]
    fn fast_and_generic_iterations_agree() {
        // The SHA-2 loop against the generic one (HmacKey::mac) on every SHA-2 size.
        for alg in [
            Algorithm::Sha224,
            Algorithm::Sha256,
            Algorithm::Sha384,
            Algorithm::Sha512,
            Algorithm::Sha512_224,
            Algorithm::Sha512_256,
        ] {
            let key = HmacKey::new(b"password", alg).unwrap();
            let hlen = alg.digest_size();
            let mut fast = vec![0x5a; hlen];
            iterate(&key, &mut fast, 5);
            let mut slow = vec![0x5a; hlen];
            let mut u = slow.clone();
            for _ in 1..5 {
                u = key.mac(&u).to_vec();
                for (s, x) in slow.iter_mut().zip(&u) {
                    *s ^= x;
                }
            }
            assert_eq!(fast, slow, "{alg}");
        }
    }
}
