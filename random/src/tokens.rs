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
    bytes::fill(&mut out[n..])?;
    // Cannot fail: `out` has room for two digits per byte.
    hex_in_place(&mut out).map_err(|_| too_large)?;
    // Only ASCII hex digits were written.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// Expands the bytes in the upper half of `out` into lowercase hex filling all of it, front to
/// back a block at a time through the stack: bytes `i..i + k` (at `n + i`) become digits
/// `2i..2(i + k)`, which end at or before `n + i + k`, so no byte is overwritten before it is
/// read. One buffer for the random bytes and their text, as before the move to base16ct.
fn hex_in_place(out: &mut [u8]) -> Result<(), base16ct::Error> {
    let n = out.len() / 2;
    let mut block = [0u8; 64];
    let mut i = 0;
    while i < n {
        let k = (n - i).min(block.len());
        block[..k].copy_from_slice(&out[n + i..n + i + k]);
        base16ct::lower::encode(&block[..k], &mut out[2 * i..2 * (i + k)])?;
        i += k;
    }
    block.fill(0);
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &[u8; 16] = b"0123456789abcdef";

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
    fn in_place_expansion_matches_plain_hex() {
        // Around the 64-byte block: the last block is whole, short, or a single byte.
        for n in [0, 1, 2, 31, 63, 64, 65, 127, 128, 129, 1000] {
            let raw: Vec<u8> = (0..n)
                .map(|i: usize| (i * 151 + 13).to_le_bytes()[0])
                .collect();
            let mut out = vec![0; 2 * n];
            out[n..].copy_from_slice(&raw);
            hex_in_place(&mut out).unwrap();
            let expected: String = raw.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(String::from_utf8(out).unwrap(), expected, "n = {n}");
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
