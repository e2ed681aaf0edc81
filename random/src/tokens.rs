//! Python's `secrets` tokens: `token_bytes`, `token_hex`, `token_urlsafe`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::{Error, bytes};

/// The number of random bytes a token should have when the caller has no better figure: 32
/// bytes (256 bits), Python's `secrets.DEFAULT_ENTROPY`.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// use palisade_random::{DEFAULT_ENTROPY, token_urlsafe};
///
/// let session_id = token_urlsafe(DEFAULT_ENTROPY)?;
/// assert_eq!(session_id.len(), 43);
/// # Ok(())
/// # }
/// ```
pub const DEFAULT_ENTROPY: usize = 32;

/// Returns a token of `n` random bytes.
///
/// Equivalent to Python's `secrets.token_bytes(n)`; the same as [`urandom`](crate::urandom).
///
/// # Errors
///
/// As [`urandom`](crate::urandom): [`Error::TooLarge`] over
/// [`MAX_REQUEST`](crate::MAX_REQUEST) or for a size that cannot be allocated, [`Error::Os`]
/// when the operating system's generator fails.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let key = palisade_random::token_bytes(16)?;
/// assert_eq!(key.len(), 16);
/// # Ok(())
/// # }
/// ```
pub fn token_bytes(n: usize) -> Result<Vec<u8>, Error> {
    let mut out = bytes::allocate("token_bytes", n)?;
    bytes::fill(&mut out)?;
    Ok(out)
}

/// Returns a token of `n` random bytes as `2 * n` lowercase hexadecimal digits.
///
/// Equivalent to Python's `secrets.token_hex(n)`.
///
/// # Errors
///
/// [`Error::TooLarge`] when `n` is over [`MAX_REQUEST`](crate::MAX_REQUEST) or the text cannot
/// be allocated, and [`Error::Os`] when the operating system's generator fails.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let token = palisade_random::token_hex(16)?;
/// assert_eq!(token.len(), 32);
/// assert!(token.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
/// # Ok(())
/// # }
/// ```
pub fn token_hex(n: usize) -> Result<String, Error> {
    let too_large = Error::TooLarge {
        what: "token_hex",
        requested: n,
    };
    let len = n.checked_mul(2).ok_or(too_large)?;
    let mut out = bytes::allocate_for("token_hex", n, len)?;
    // Random bytes go in the upper half, and each is expanded into two digits front to back:
    // digit pair `i` overwrites bytes `2i` and `2i + 1`, never a byte not yet read (`n + i`).
    bytes::fill(&mut out[n..])?;
    for i in 0..n {
        let byte = out[n + i];
        out[2 * i] = HEX[usize::from(byte >> 4)];
        out[2 * i + 1] = HEX[usize::from(byte & 0xf)];
    }
    // Only ASCII hex digits were written.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// Returns a token of `n` random bytes as URL-safe base64 without padding: about `1.3 * n`
/// characters from `A-Z a-z 0-9 - _`.
///
/// Equivalent to Python's `secrets.token_urlsafe(n)` (RFC 4648 section 5 alphabet, `=` padding
/// removed).
///
/// # Errors
///
/// [`Error::TooLarge`] when `n` is over [`MAX_REQUEST`](crate::MAX_REQUEST) or `n` bytes or
/// their text cannot be allocated, and [`Error::Os`] when the operating system's generator
/// fails.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let token = palisade_random::token_urlsafe(16)?;
/// assert_eq!(token.len(), 22);
/// # Ok(())
/// # }
/// ```
pub fn token_urlsafe(n: usize) -> Result<String, Error> {
    let too_large = Error::TooLarge {
        what: "token_urlsafe",
        requested: n,
    };
    let len = base64::encoded_len(n, false).ok_or(too_large)?;
    let mut raw = bytes::allocate("token_urlsafe", n)?;
    let mut text = String::new();
    text.try_reserve_exact(len).map_err(|_| too_large)?;
    bytes::fill(&mut raw)?;
    URL_SAFE_NO_PAD.encode_string(&raw, &mut text);
    raw.fill(0);
    Ok(text)
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_form_has_its_length_and_alphabet() {
        for n in [0, 1, 2, 3, 4, 15, 16, 17, 31, 32, 33, 64, 1000] {
            assert_eq!(token_bytes(n).unwrap().len(), n);

            let hex = token_hex(n).unwrap();
            assert_eq!(hex.len(), 2 * n);
            assert!(
                hex.bytes().all(|b| HEX.contains(&b)),
                "token_hex({n}) = {hex:?}"
            );

            let url = token_urlsafe(n).unwrap();
            // Python: len(token_urlsafe(n)) == ceil(4n/3) once padding is stripped.
            assert_eq!(url.len(), (4 * n).div_ceil(3), "token_urlsafe({n})");
            assert!(
                url.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "token_urlsafe({n}) = {url:?}"
            );
        }
    }

    #[test]
    fn hex_digits_cover_the_alphabet() {
        // 64 random bytes give 128 digits; missing one of 16 digits has probability below
        // 16 * (15/16)^128 < 2^-7 per draw, so draw 10 and require every digit overall:
        // false failure below 16 * (15/16)^1280 < 2^-115.
        let text: String = (0..10).map(|_| token_hex(64).unwrap()).collect();
        for &digit in HEX {
            assert!(
                text.as_bytes().contains(&digit),
                "digit {} never appeared",
                digit as char
            );
        }
    }

    #[test]
    fn absurd_sizes_are_errors() {
        for n in [
            usize::MAX,
            usize::MAX / 2 + 1,
            1 << 62,
            crate::MAX_REQUEST + 1,
        ] {
            assert_eq!(
                token_hex(n),
                Err(Error::TooLarge {
                    what: "token_hex",
                    requested: n
                })
            );
            assert_eq!(
                token_urlsafe(n),
                Err(Error::TooLarge {
                    what: "token_urlsafe",
                    requested: n
                })
            );
            assert_eq!(
                token_bytes(n),
                Err(Error::TooLarge {
                    what: "token_bytes",
                    requested: n
                })
            );
        }
    }
}
