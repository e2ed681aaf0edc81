//! The coreutils digest-line format that `palisade hash` and `palisade hmac` write and
//! `--check` reads back: the algorithm and length ([`Spec`]), the line styles, names as
//! printed and escaped.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Write};

use anyhow::bail;
use palisade::digest::{self, Algorithm, Blake2Params, Hash, MAX_XOF_OUTPUT};

use crate::progress::Progress;

/// An algorithm with its output length.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spec {
    pub(crate) algorithm: Algorithm,
    /// Output bytes: the chosen length for BLAKE2 and SHAKE, the digest size otherwise.
    pub(crate) len: usize,
}

impl Spec {
    /// Validates `--length` (in bits, as `b2sum -l` and `cksum -l` take it).
    pub(crate) fn new(algorithm: Algorithm, bits: Option<usize>) -> anyhow::Result<Self> {
        let max = match algorithm {
            Algorithm::Blake2b => 64,
            Algorithm::Blake2s => 32,
            Algorithm::Shake128 | Algorithm::Shake256 => MAX_XOF_OUTPUT,
            _ => {
                if bits.is_some() {
                    bail!(
                        "--length applies to blake2b, blake2s, shake_128 and shake_256, \
                         not {algorithm}"
                    );
                }
                return Ok(Self {
                    algorithm,
                    len: algorithm.digest_size(),
                });
            }
        };
        let len = match bits {
            None => default_len(algorithm),
            Some(bits) if bits == 0 || !bits.is_multiple_of(8) || bits / 8 > max => bail!(
                "invalid --length {bits} for {algorithm}: a multiple of 8 from 8 to {}",
                max.saturating_mul(8)
            ),
            Some(bits) => bits / 8,
        };
        Ok(Self { algorithm, len })
    }

    /// A fresh hash state for this algorithm and length.
    pub(crate) fn start(&self) -> anyhow::Result<Hash> {
        Ok(match self.algorithm {
            Algorithm::Blake2b | Algorithm::Blake2s => {
                Hash::blake2(self.algorithm, &Blake2Params::new().digest_size(self.len))?
            }
            _ => Hash::new(self.algorithm),
        })
    }

    /// The hex digest of a finished state.
    pub(crate) fn hex(&self, h: &Hash) -> anyhow::Result<String> {
        Ok(if self.algorithm.is_xof() {
            h.digest_xof(self.len)?
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        } else {
            h.hexdigest()
        })
    }

    /// Hashes a file (or standard input for `-`) with the library's reader (a large file is
    /// mapped where that is safe), telling `progress` of every byte.
    pub(crate) fn hash_input(&self, file: &OsStr, progress: &Progress) -> io::Result<String> {
        let mut h = self.start().map_err(io::Error::other)?;
        let mut last = 0;
        let mut tick = |done: u64| {
            progress.add(done - last);
            last = done;
        };
        let fed = if file == "-" {
            h.update_reader_with_progress(io::stdin().lock(), &mut tick)
        } else {
            h.update_file_with_progress(&File::open(file)?, &mut tick)
        };
        fed.map_err(|err| match err {
            digest::Error::Io { source } => source,
            other => io::Error::other(other),
        })?;
        self.hex(&h).map_err(io::Error::other)
    }

    /// The BSD tag: coreutils' names for the algorithms it has (`SHA256`, `BLAKE2b`,
    /// `BLAKE2b-256` for a shorter BLAKE2b), OpenSSL-style names for the others.
    pub(crate) fn tag(&self) -> String {
        let base = match self.algorithm {
            Algorithm::Blake2b => "BLAKE2b",
            Algorithm::Blake2s => "BLAKE2s",
            Algorithm::Md5 => "MD5",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha224 => "SHA224",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha384 => "SHA384",
            Algorithm::Sha512 => "SHA512",
            Algorithm::Sha512_224 => "SHA512-224",
            Algorithm::Sha512_256 => "SHA512-256",
            Algorithm::Sha3_224 => "SHA3-224",
            Algorithm::Sha3_256 => "SHA3-256",
            Algorithm::Sha3_384 => "SHA3-384",
            Algorithm::Sha3_512 => "SHA3-512",
            Algorithm::Shake128 => "SHAKE128",
            Algorithm::Shake256 => "SHAKE256",
            _ => self.algorithm.name(),
        };
        if self.len == default_len(self.algorithm) {
            base.to_owned()
        } else {
            format!("{base}-{}", self.len * 8)
        }
    }
}

/// The files to read: standard input when none are given.
pub(crate) fn inputs(files: &[OsString]) -> Vec<OsString> {
    if files.is_empty() {
        vec![OsString::from("-")]
    } else {
        files.to_vec()
    }
}

/// How a digest line is written.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum Style {
    /// `<hex>  <name>`.
    Gnu,
    /// `TAG (<name>) = <hex>`.
    Tag,
}

/// How digest lines end and whether names are escaped: `-z` ends them with NUL and writes
/// names as they are, as coreutils does.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum Ending {
    /// `\n`, names holding `\`, newline or CR escaped.
    Newline,
    /// NUL, names unescaped.
    Nul,
}

/// The format of one digest line: its style, coreutils' type flag (`*` for `--binary`) and
/// its ending.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LineFormat {
    pub(crate) style: Style,
    pub(crate) binary: bool,
    pub(crate) ending: Ending,
}

impl LineFormat {
    /// `<hex>  <name>\n`.
    pub(crate) const GNU: Self = Self {
        style: Style::Gnu,
        binary: false,
        ending: Ending::Newline,
    };
}

/// Writes one digest line. Names holding `\`, newline or carriage return are escaped and
/// the line starts with `\`, as coreutils 9 does (not under `-z`).
pub(crate) fn write_line(
    out: &mut impl Write,
    format: LineFormat,
    spec: &Spec,
    hex: &str,
    name: &[u8],
) -> io::Result<()> {
    let escape =
        format.ending == Ending::Newline && name.iter().any(|b| matches!(b, b'\\' | b'\n' | b'\r'));
    if escape {
        out.write_all(b"\\")?;
    }
    let name = if escape { escaped(name) } else { name.to_vec() };
    match format.style {
        Style::Gnu => {
            let flag = if format.binary { '*' } else { ' ' };
            write!(out, "{hex} {flag}")?;
            out.write_all(&name)?;
        }
        Style::Tag => {
            write!(out, "{} (", spec.tag())?;
            out.write_all(&name)?;
            write!(out, ") = {hex}")?;
        }
    }
    out.write_all(match format.ending {
        Ending::Newline => b"\n",
        Ending::Nul => b"\0",
    })
}

/// Writes a MAC line in the default format (shared with `palisade hmac`).
pub(crate) fn write_gnu_line(out: &mut impl Write, hex: &str, file: &OsStr) -> io::Result<()> {
    let spec = Spec {
        algorithm: Algorithm::Sha256,
        len: 32,
    };
    write_line(out, LineFormat::GNU, &spec, hex, &display_name(file))
}

pub(crate) fn escaped(name: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len() + 2);
    for &b in name {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
    out
}

/// A file name from a checksum list as the operating system's name. On Unix a name is bytes, so
/// any name `sha256sum` wrote is opened as it is, UTF-8 or not; elsewhere names are Unicode,
/// and bytes that are not UTF-8 cannot name a file.
pub(crate) fn os_name(bytes: Vec<u8>) -> OsString {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStringExt::from_vec(bytes)
    }
    #[cfg(not(unix))]
    {
        OsString::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The bytes of a file name as printed.
pub(crate) fn display_name(file: &OsStr) -> Vec<u8> {
    file.as_encoded_bytes().to_vec()
}

/// The output length when `--length` is not given: the full size, and for SHAKE the
/// security level (16 / 32 bytes, as `openssl dgst` does).
fn default_len(algorithm: Algorithm) -> usize {
    match algorithm {
        Algorithm::Shake128 => 16,
        Algorithm::Shake256 => 32,
        _ => algorithm.digest_size(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade::digest::parse_checksum_line;

    #[test]
    fn names_escape_and_unescape() {
        let hex = "00".repeat(32);
        for name in ["plain", "back\\slash", "new\nline", "cr\rret", "\\\n\r"] {
            let mut line = format!("\\{hex}  ").into_bytes();
            line.extend_from_slice(&escaped(name.as_bytes()));
            let parsed = parse_checksum_line(Algorithm::Sha256, 32, &line).unwrap();
            assert_eq!(parsed.name, name.as_bytes(), "{name:?}");
        }
        assert_eq!(escaped(b"a\\b\nc"), b"a\\\\b\\nc");
    }

    #[test]
    fn lengths_are_checked() {
        assert_eq!(Spec::new(Algorithm::Blake2b, Some(256)).unwrap().len, 32);
        assert_eq!(Spec::new(Algorithm::Shake128, None).unwrap().len, 16);
        assert!(Spec::new(Algorithm::Blake2s, Some(264)).is_err());
        assert!(Spec::new(Algorithm::Blake2b, Some(12)).is_err());
        assert!(Spec::new(Algorithm::Sha256, Some(256)).is_err());
    }
}
