//! Checksum lists, as `sha256sum --check`, `b2sum --check` and `cksum --check` read them: the
//! pure parser behind `palisade hash --check`, here so that it can be tested and fuzzed
//! without the command.

use std::io::{BufRead, Read as _};

use crate::algorithm::Algorithm;
use crate::error::Error;

/// One well-formed line of a checksum list.
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct ChecksumLine {
    /// The algorithm: from the BSD tag, or the list's default for a GNU line.
    pub algorithm: Algorithm,
    /// The output length in bytes (chosen by the tag or the hex length for BLAKE2 and SHAKE).
    pub len: usize,
    /// The expected digest, `2 * len` hexadecimal digits as written (either case).
    pub hex: String,
    /// The file name, unescaped, never empty.
    pub name: Vec<u8>,
}

/// Parses one line of a checksum list (without its `\n`; a trailing `\r` is dropped):
/// `<hex>  <name>`, `<hex> *<name>`, `<hex> <name>` (a tab may stand for the first blank) or
/// `TAG (<name>) = <hex>`, each optionally with a leading `\` marking an escaped name (`\\`,
/// `\n`, `\r`), as GNU coreutils 9 reads them.
///
/// A BSD tag (`SHA256`, `BLAKE2b-256`, `SHAKE128`, ...) chooses the algorithm and length; an
/// untagged line uses `algorithm` and `len`, except that for BLAKE2 and SHAKE the hex length
/// sets the output length (as `b2sum -c` does). Returns `None` for a malformed line, which
/// `--check` counts as improperly formatted.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, parse_checksum_line};
/// let line = b"MD5 (f) = 900150983cd24fb0d6963f7d28e17f72";
/// let parsed = parse_checksum_line(Algorithm::Sha256, 32, line).unwrap();
/// assert_eq!((parsed.algorithm, parsed.len, &parsed.name[..]), (Algorithm::Md5, 16, &b"f"[..]));
/// assert!(parse_checksum_line(Algorithm::Sha256, 32, b"garbage").is_none());
/// ```
pub fn parse_checksum_line(algorithm: Algorithm, len: usize, line: &[u8]) -> Option<ChecksumLine> {
    ChecksumParser::new().parse(algorithm, len, line)
}

/// [`parse_checksum_line`] with the one rule of coreutils that spans lines: once a list has
/// used the single-blank form `<hex> <name>`, a later `<hex> *<name>` means the name `*<name>`
/// (and `<hex>  <name>` the name ` <name>`); once it has used `<hex>  <name>` or
/// `<hex> *<name>`, a later single-blank line is malformed. So that renaming a file with a
/// leading blank or `*` cannot make one line read as another. Like `sha256sum -c`, keep one
/// parser for all the lists of a run.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, ChecksumParser};
/// let hex = "0".repeat(64);
/// let mut parser = ChecksumParser::new();
/// let first = parser.parse(Algorithm::Sha256, 32, format!("{hex} a").as_bytes()).unwrap();
/// assert_eq!(first.name, b"a");
/// let second = parser.parse(Algorithm::Sha256, 32, format!("{hex} *b").as_bytes()).unwrap();
/// assert_eq!(second.name, b"*b");
/// ```
#[derive(Clone, Debug, Default)]
pub struct ChecksumParser {
    /// `Some(true)` once a single-blank line was read, `Some(false)` once a flagged one was.
    single_blank: Option<bool>,
}

impl ChecksumParser {
    /// A parser that has seen no line.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses one line, as [`parse_checksum_line`] does, under the rule above.
    pub fn parse(&mut self, algorithm: Algorithm, len: usize, line: &[u8]) -> Option<ChecksumLine> {
        // A list written on Windows ends its lines with CRLF; coreutils drops the CR.
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = line.trim_ascii_start();
        let (escape, line) = match line.strip_prefix(b"\\") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let (algorithm, len, hex, name) = match parse_tagged(line) {
            Some(parsed) => parsed,
            None => {
                // coreutils' rule: one blank after the digest, then an optional type flag (` `
                // for text, `*` for binary); everything after it is the name.
                let split = line.iter().position(|&b| b == b' ' || b == b'\t')?;
                let (hex, rest) = line.split_at(split);
                // coreutils' `split_3`: a flag only when more than one byte follows the
                // blank, and only in a list not already in the single-blank form.
                let rest = &rest[1..];
                let name = match rest {
                    [b' ' | b'*', name @ ..] if rest.len() > 1 => {
                        if self.single_blank == Some(true) {
                            rest
                        } else {
                            self.single_blank = Some(false);
                            name
                        }
                    }
                    name => {
                        if self.single_blank == Some(false) {
                            return None;
                        }
                        self.single_blank = Some(true);
                        name
                    }
                };
                let hex = std::str::from_utf8(hex).ok()?;
                let len = match algorithm {
                    Algorithm::Blake2b
                    | Algorithm::Blake2s
                    | Algorithm::Shake128
                    | Algorithm::Shake256 => output_len(algorithm, Some(hex.len() / 2 * 8))?,
                    _ => len,
                };
                (algorithm, len, hex.to_owned(), name.to_vec())
            }
        };
        if hex.len() != len.checked_mul(2)? || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let name = if escape { unescaped(&name)? } else { name };
        if name.is_empty() {
            return None;
        }
        Some(ChecksumLine {
            algorithm,
            len,
            hex,
            name,
        })
    }
}

/// Reads the next line of a checksum list into `line` (cleared first, without its `\n`), and
/// returns whether there was one. At most [`MAX_CHECKSUM_LINE`] bytes are read into memory
/// for a line, whatever the input.
///
/// # Errors
///
/// [`Error::ChecksumLineTooLong`] when a line is longer than [`MAX_CHECKSUM_LINE`] bytes
/// (nothing of the rest of the input is read), [`Error::Io`] when reading fails.
///
/// # Examples
///
/// ```
/// use palisade_digest::read_checksum_line;
/// # fn main() -> Result<(), palisade_digest::Error> {
/// let mut list: &[u8] = b"one\ntwo";
/// let mut line = Vec::new();
/// assert!(read_checksum_line(&mut list, &mut line)?);
/// assert_eq!(line, b"one");
/// assert!(read_checksum_line(&mut list, &mut line)?);
/// assert_eq!(line, b"two");
/// assert!(!read_checksum_line(&mut list, &mut line)?);
/// # Ok(())
/// # }
/// ```
pub fn read_checksum_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> Result<bool, Error> {
    line.clear();
    // One byte more than the limit leaves room for the newline.
    let limit = MAX_CHECKSUM_LINE as u64 + 1;
    let read = reader.take(limit).read_until(b'\n', line)?;
    if read == 0 {
        return Ok(false);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    } else if line.len() > MAX_CHECKSUM_LINE {
        line.clear();
        line.shrink_to(MAX_CHECKSUM_LINE);
        return Err(Error::ChecksumLineTooLong {
            max: MAX_CHECKSUM_LINE,
        });
    }
    Ok(true)
}

/// The longest line of a checksum list, in bytes (without the `\n`): room for a file name of
/// `PATH_MAX` (4096) bytes escaped and a SHAKE digest of 28 KiB in hex.
pub const MAX_CHECKSUM_LINE: usize = 64 * 1024;

/// `TAG (<name>) = <hex>`.
fn parse_tagged(line: &[u8]) -> Option<(Algorithm, usize, String, Vec<u8>)> {
    let open = line.windows(2).position(|w| w == b" (")?;
    let tag = std::str::from_utf8(&line[..open]).ok()?;
    let rest = &line[open + 2..];
    let close = rest.windows(4).rposition(|w| w == b") = ")?;
    let name = rest[..close].to_vec();
    let hex = std::str::from_utf8(&rest[close + 4..]).ok()?.to_owned();
    let (base, bits) = match tag.rsplit_once('-') {
        Some((base, bits)) if base.starts_with("BLAKE2") || base.starts_with("SHAKE") => {
            (base, Some(bits.parse().ok()?))
        }
        _ => (tag, None),
    };
    let algorithm: Algorithm = base.parse().ok()?;
    let len = output_len(algorithm, bits)?;
    let len = match (bits, algorithm.is_xof()) {
        // An untagged-length SHAKE line: the hex decides the length.
        (None, true) => output_len(algorithm, Some(hex.len() / 2 * 8))?,
        _ => len,
    };
    Some((algorithm, len, hex, name))
}

/// The output length in bytes for a length in bits (as `b2sum -l` and `cksum -l` take it),
/// or the default when none is given: the rules of `palisade hash --length`.
fn output_len(algorithm: Algorithm, bits: Option<usize>) -> Option<usize> {
    let max = match algorithm {
        Algorithm::Blake2b => 64,
        Algorithm::Blake2s => 32,
        Algorithm::Shake128 | Algorithm::Shake256 => usize::MAX / 8,
        _ => {
            return match bits {
                Some(_) => None,
                None => Some(algorithm.digest_size()),
            };
        }
    };
    match bits {
        // SHAKE's default is its security level (16 / 32 bytes), as `openssl dgst` has it.
        None => Some(match algorithm {
            Algorithm::Shake128 => 16,
            Algorithm::Shake256 => 32,
            _ => algorithm.digest_size(),
        }),
        Some(bits) if bits == 0 || !bits.is_multiple_of(8) || bits / 8 > max => None,
        Some(bits) => Some(bits / 8),
    }
}

/// Undoes coreutils' escaping of `\`, newline and carriage return in names.
fn unescaped(name: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.len());
    let mut bytes = name.iter();
    while let Some(&b) = bytes.next() {
        if b == b'\\' {
            match bytes.next() {
                Some(b'\\') => out.push(b'\\'),
                Some(b'n') => out.push(b'\n'),
                Some(b'r') => out.push(b'\r'),
                _ => return None,
            }
        } else {
            out.push(b);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::io::{self, BufReader};

    use super::*;

    const CHECK_LINES: &[(&str, Option<(&str, &str)>)] = &[
        // GNU lines, text and binary markers
        ("ab  file", None),
        (
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a b",
            Some(("sha256", "a b")),
        ),
        (
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad *x",
            Some(("sha256", "x")),
        ),
        (
            "\\ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a\\nb",
            Some(("sha256", "a\nb")),
        ),
        // A bad escape is a malformed line
        (
            "\\ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a\\tb",
            None,
        ),
        // One byte after the blank is the name, not a flag (coreutils 9.1 opens " ")
        (
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  ",
            Some(("sha256", " ")),
        ),
        // An empty name is a malformed line
        (
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad ",
            None,
        ),
        // BSD tags choose the algorithm
        (
            "MD5 (f) = 900150983cd24fb0d6963f7d28e17f72",
            Some(("md5", "f")),
        ),
        (
            "BLAKE2b-256 (x (1)) = 00d116515f37a4c0ac872096c8b7412c80693cc5cee2e99e83a7e760dc1ece91",
            Some(("blake2b", "x (1)")),
        ),
        ("SHAKE128 (f) = 00", Some(("shake_128", "f"))),
        ("BLAKE2s-264 (f) = 00", None),
        ("SHA256-256 (f) = 00", None),
        ("MD5 (f) = 9001", None),
        ("MD5 (f) = 900150983cd24fb0d6963f7d28e17fzz", None),
        ("garbage", None),
        ("", None),
    ];

    #[test]
    fn check_lines_parse() {
        for &(line, expected) in CHECK_LINES {
            let got = parse_checksum_line(Algorithm::Sha256, 32, line.as_bytes())
                .map(|c| (c.algorithm.name(), String::from_utf8(c.name).unwrap()));
            let expected = expected.map(|(a, n)| (a, n.to_owned()));
            assert_eq!(got, expected, "{line:?}");
        }
    }

    #[test]
    fn untagged_blake2_and_shake_lines_take_their_length_from_the_hex() {
        let hex = "00".repeat(20);
        for algorithm in [Algorithm::Blake2b, Algorithm::Blake2s, Algorithm::Shake256] {
            let line = format!("{hex}  f");
            let parsed = parse_checksum_line(algorithm, 1, line.as_bytes()).unwrap();
            assert_eq!(parsed.len, 20, "{algorithm}");
        }
        // Longer than BLAKE2s can produce.
        let line = format!("{}  f", "00".repeat(33));
        assert!(parse_checksum_line(Algorithm::Blake2s, 32, line.as_bytes()).is_none());
    }

    const LENGTHS: &[(Algorithm, Option<usize>, Option<usize>)] = &[
        (Algorithm::Sha256, None, Some(32)),
        (Algorithm::Sha256, Some(256), None),
        (Algorithm::Blake2b, None, Some(64)),
        (Algorithm::Blake2b, Some(256), Some(32)),
        (Algorithm::Blake2b, Some(12), None),
        (Algorithm::Blake2b, Some(0), None),
        (Algorithm::Blake2s, Some(264), None),
        (Algorithm::Shake128, None, Some(16)),
        (Algorithm::Shake256, None, Some(32)),
        (Algorithm::Shake256, Some(8 * 1000), Some(1000)),
    ];

    #[test]
    fn lengths_are_checked() {
        for &(algorithm, bits, expected) in LENGTHS {
            assert_eq!(
                output_len(algorithm, bits),
                expected,
                "{algorithm} {bits:?}"
            );
        }
    }

    #[test]
    fn lines_are_split_on_newlines_only() {
        let mut list: &[u8] = b"a\r\n\nb\n";
        let mut line = Vec::new();
        let mut lines = Vec::new();
        while read_checksum_line(&mut list, &mut line).unwrap() {
            lines.push(line.clone());
        }
        assert_eq!(lines, [&b"a\r"[..], b"", b"b"]);
    }

    #[test]
    fn a_line_at_the_limit_is_read_and_one_past_it_is_refused() {
        let mut ok = vec![b'a'; MAX_CHECKSUM_LINE];
        ok.push(b'\n');
        let mut line = Vec::new();
        assert!(read_checksum_line(&mut &ok[..], &mut line).unwrap());
        assert_eq!(line.len(), MAX_CHECKSUM_LINE);
        // Without the newline, at end of input.
        assert!(read_checksum_line(&mut &ok[..MAX_CHECKSUM_LINE], &mut line).unwrap());
        let long = vec![b'a'; MAX_CHECKSUM_LINE + 1];
        let err = read_checksum_line(&mut &long[..], &mut line).unwrap_err();
        assert!(matches!(
            err,
            Error::ChecksumLineTooLong {
                max: MAX_CHECKSUM_LINE
            }
        ));
        assert_eq!(
            err.to_string(),
            "checksum list line is longer than 65536 bytes"
        );
    }

    #[test]
    fn an_endless_line_is_refused_without_reading_it_into_memory() {
        // A gigabyte with no newline: only the limit is read, and the buffer stays small.
        let mut endless = BufReader::new(io::repeat(b'a').take(1 << 30));
        let mut line = Vec::new();
        let err = read_checksum_line(&mut endless, &mut line).unwrap_err();
        assert!(matches!(err, Error::ChecksumLineTooLong { .. }));
        assert!(
            line.capacity() <= 2 * MAX_CHECKSUM_LINE,
            "{}",
            line.capacity()
        );
        // The rest is still there: nothing past the limit was consumed.
        let mut rest = Vec::new();
        assert!(read_checksum_line(&mut endless, &mut rest).is_err());
    }
}
