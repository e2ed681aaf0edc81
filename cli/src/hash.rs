//! `palisade hash`: file digests in the exact format of GNU coreutils' `sha256sum` family,
//! and `--check` of such lists.
//!
//! The output formats follow coreutils 9 (`src/digest.c`):
//!
//! ```text
//! <hex>  <name>                 default ("text mode" two spaces)
//! \<hex>  <escaped name>        when the name holds a backslash, newline or carriage return
//! SHA256 (<name>) = <hex>       --tag (BSD style), with the same leading-backslash rule
//! <name>: OK | FAILED | FAILED open or read          --check
//! ```

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

use anyhow::{Context, bail};
use palisade::digest::{
    self, Algorithm, Blake2Params, Hash, MAX_XOF_OUTPUT, parse_checksum_line, read_checksum_line,
};

use crate::Outcome;
use crate::args::HashArgs;
use crate::output::{self, Format};

/// Runs `palisade hash`.
pub(crate) fn run(args: &HashArgs) -> anyhow::Result<Outcome> {
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    if args.list {
        match args.format {
            Format::Json => output::json(&mut out, &list_json())?,
            Format::Text => write_list(&mut out)?,
        }
        out.flush()?;
        return Ok(Outcome::Yes);
    }
    let spec = Spec::new(args.algorithm, args.length)?;
    let files = inputs(&args.files);
    let outcome = if args.check {
        let mode = if args.status {
            Report::Status
        } else if args.quiet {
            Report::Failures
        } else {
            Report::All
        };
        let mut all_ok = true;
        for list in &files {
            all_ok &= check_list(&mut out, &spec, list, mode)?;
        }
        all_ok
    } else {
        let style = if args.tag { Style::Tag } else { Style::Gnu };
        let mut all_ok = true;
        for file in &files {
            match spec.hash_file(file) {
                Ok(hex) => write_line(&mut out, style, &spec, &hex, &display_name(file))?,
                Err(err) => {
                    out.flush()?;
                    file_error(file, &err);
                    all_ok = false;
                }
            }
        }
        all_ok
    };
    out.flush()?;
    Ok(if outcome { Outcome::Yes } else { Outcome::No })
}

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

    /// Hashes a file (or standard input for `-`).
    fn hash_file(&self, file: &OsStr) -> io::Result<String> {
        let mut h = self.start().map_err(io::Error::other)?;
        feed(&mut h, file)?;
        self.hex(&h).map_err(io::Error::other)
    }

    /// The BSD tag: coreutils' names for the algorithms it has (`SHA256`, `BLAKE2b`,
    /// `BLAKE2b-256` for a shorter BLAKE2b), OpenSSL-style names for the others.
    fn tag(&self) -> String {
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

/// Feeds a file (or standard input for `-`) into `h`, 256 KiB at a time.
pub(crate) fn feed(h: &mut impl Write, file: &OsStr) -> io::Result<()> {
    if file == "-" {
        copy_all(&mut io::stdin().lock(), h)
    } else {
        copy_all(&mut File::open(file)?, h)
    }
}

fn copy_all(reader: &mut impl Read, h: &mut impl Write) -> io::Result<()> {
    let mut buf = vec![0; 256 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => h.write_all(&buf[..n])?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
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

/// Writes one digest line. Names holding `\`, newline or carriage return are escaped and
/// the line starts with `\`, as coreutils 9 does.
fn write_line(
    out: &mut impl Write,
    style: Style,
    spec: &Spec,
    hex: &str,
    name: &[u8],
) -> io::Result<()> {
    let escape = name.iter().any(|b| matches!(b, b'\\' | b'\n' | b'\r'));
    if escape {
        out.write_all(b"\\")?;
    }
    let name = if escape { escaped(name) } else { name.to_vec() };
    match style {
        Style::Gnu => {
            write!(out, "{hex}  ")?;
            out.write_all(&name)?;
        }
        Style::Tag => {
            write!(out, "{} (", spec.tag())?;
            out.write_all(&name)?;
            write!(out, ") = {hex}")?;
        }
    }
    out.write_all(b"\n")
}

/// Writes a MAC line in the default format (shared with `palisade hmac`).
pub(crate) fn write_gnu_line(out: &mut impl Write, hex: &str, file: &OsStr) -> io::Result<()> {
    let spec = Spec {
        algorithm: Algorithm::Sha256,
        len: 32,
    };
    write_line(out, Style::Gnu, &spec, hex, &display_name(file))
}

fn escaped(name: &[u8]) -> Vec<u8> {
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
fn os_name(bytes: Vec<u8>) -> OsString {
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

/// Reports an unreadable file on stderr as coreutils does: `palisade: NAME: REASON`, the
/// name quoted for the shell when it needs it.
pub(crate) fn file_error(file: &OsStr, err: &io::Error) {
    let _ = writeln!(
        io::stderr().lock(),
        "palisade: {}: {}",
        shell_quote(&file.to_string_lossy()),
        io_reason(err)
    );
}

/// Quotes a name the way coreutils' diagnostics do (gnulib `quotef`: the shell-escape
/// quoting style, with `:` quoted too): bare when it is safe, in double quotes when its
/// only special character is `'`, otherwise in single quotes with control characters as
/// `'$'\n''`.
fn shell_quote(name: &str) -> String {
    let control = |c: char| c.is_ascii_control();
    let special = |(i, c): (usize, char)| {
        matches!(
            c,
            ' ' | '!'
                | '"'
                | '$'
                | '&'
                | '('
                | ')'
                | '*'
                | ';'
                | '<'
                | '='
                | '>'
                | '['
                | '^'
                | '`'
                | '|'
                | '\\'
                | '?'
                | ':'
                | '\''
        ) || (i == 0 && matches!(c, '#' | '~'))
            || control(c)
    };
    if !name.is_empty() && !name.char_indices().any(special) {
        return name.to_owned();
    }
    let apostrophe_only = name
        .char_indices()
        .filter(|&ic| special(ic))
        .all(|(_, c)| c == '\'');
    if apostrophe_only {
        return format!("\"{name}\"");
    }
    let mut out = String::from("'");
    for c in name.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '\n' => out.push_str("'$'\\n''"),
            '\r' => out.push_str("'$'\\r''"),
            '\t' => out.push_str("'$'\\t''"),
            c if control(c) => out.push_str(&format!("'$'\\{:03o}''", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// An I/O error's message without Rust's " (os error N)" suffix, like `strerror`.
fn io_reason(err: &io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) if err.raw_os_error().is_some() => text[..at].to_owned(),
        _ => text,
    }
}

/// What `--check` prints.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Report {
    /// Every file's result.
    All,
    /// Only failures (`--quiet`).
    Failures,
    /// Nothing (`--status`).
    Status,
}

/// Checks one digest list; returns whether everything in it was fine.
fn check_list(
    out: &mut impl Write,
    spec: &Spec,
    list: &OsStr,
    mode: Report,
) -> anyhow::Result<bool> {
    let list_name = if list == "-" {
        "'standard input'".to_owned()
    } else {
        list.to_string_lossy().into_owned()
    };
    let mut reader: Box<dyn BufRead> = if list == "-" {
        Box::new(BufReader::new(io::stdin().lock()))
    } else {
        match File::open(list) {
            Ok(f) => Box::new(BufReader::new(f)),
            Err(err) => {
                out.flush()?;
                file_error(list, &err);
                return Ok(false);
            }
        }
    };
    let (mut malformed, mut unreadable, mut mismatched, mut good) = (0, 0, 0, 0);
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        match read_checksum_line(&mut reader, &mut line) {
            Ok(true) => {}
            Ok(false) => break,
            Err(digest::Error::Io { source }) => {
                return Err(source).with_context(|| format!("cannot read {list_name}"));
            }
            Err(err) => {
                return Err(err).with_context(|| format!("{list_name}: line {}", number + 1));
            }
        }
        number += 1;
        let Some(parsed) = parse_checksum_line(spec.algorithm, spec.len, &line) else {
            if !line.is_empty() {
                malformed += 1;
            }
            continue;
        };
        good += 1;
        let spec = Spec {
            algorithm: parsed.algorithm,
            len: parsed.len,
        };
        let (expected, file) = (parsed.hex, parsed.name);
        let file = os_name(file);
        let result = match spec.hash_file(&file) {
            Ok(hex) => Some(hex.eq_ignore_ascii_case(&expected)),
            Err(err) => {
                out.flush()?;
                file_error(&file, &err);
                None
            }
        };
        let verdict = match result {
            Some(true) => "OK",
            Some(false) => {
                mismatched += 1;
                "FAILED"
            }
            None => {
                unreadable += 1;
                "FAILED open or read"
            }
        };
        let show = match mode {
            Report::All => true,
            Report::Failures => result != Some(true),
            Report::Status => false,
        };
        if show {
            let name = display_name(&file);
            // In check output coreutils escapes only names with a newline.
            if name.contains(&b'\n') {
                out.write_all(b"\\")?;
                out.write_all(&escaped(&name))?;
            } else {
                out.write_all(&name)?;
            }
            writeln!(out, ": {verdict}")?;
        }
    }
    out.flush()?;
    let mut err = io::stderr().lock();
    if good == 0 {
        writeln!(
            err,
            "palisade: {list_name}: no properly formatted checksum lines found"
        )?;
        return Ok(false);
    }
    if mode != Report::Status {
        if malformed > 0 {
            let (noun, verb) = if malformed == 1 {
                ("line", "is")
            } else {
                ("lines", "are")
            };
            writeln!(
                err,
                "palisade: WARNING: {malformed} {noun} {verb} improperly formatted"
            )?;
        }
        if unreadable > 0 {
            let noun = if unreadable == 1 { "file" } else { "files" };
            writeln!(
                err,
                "palisade: WARNING: {unreadable} listed {noun} could not be read"
            )?;
        }
        if mismatched > 0 {
            let noun = if mismatched == 1 {
                "checksum"
            } else {
                "checksums"
            };
            writeln!(
                err,
                "palisade: WARNING: {mismatched} computed {noun} did NOT match"
            )?;
        }
    }
    Ok(unreadable == 0 && mismatched == 0)
}

/// `--list`: every algorithm with Python's digest and block sizes.
fn write_list(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<12} {:>11} {:>10}",
        "algorithm", "digest_size", "block_size"
    )?;
    for alg in Algorithm::ALL {
        writeln!(
            out,
            "{:<12} {:>11} {:>10}",
            alg.name(),
            alg.digest_size(),
            alg.block_size()
        )?;
    }
    Ok(())
}

/// `--list --format json`: `{"algorithms": [{"name", "digest_size", "block_size"}, ...]}`.
fn list_json() -> serde_json::Value {
    let algorithms: Vec<serde_json::Value> = Algorithm::ALL
        .iter()
        .map(|alg| {
            serde_json::json!({
                "name": alg.name(),
                "digest_size": alg.digest_size(),
                "block_size": alg.block_size(),
            })
        })
        .collect();
    serde_json::json!({ "algorithms": algorithms })
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

    const QUOTED: &[(&str, &str)] = &[
        // Checked against sha256sum 9.1's "No such file or directory" messages.
        ("plain.txt", "plain.txt"),
        ("sp ace", "'sp ace'"),
        ("it's", "\"it's\""),
        ("a$b", "'a$b'"),
        ("x~", "x~"),
        ("~a", "'~a'"),
        ("#h", "'#h'"),
        ("a#", "a#"),
        ("new\nl", "'new'$'\\n''l'"),
        ("\u{e9}", "\u{e9}"),
        ("a:b", "'a:b'"),
        ("a=b", "'a=b'"),
        ("a,b", "a,b"),
        ("a{b", "a{b"),
        ("a]b", "a]b"),
    ];

    #[test]
    fn diagnostics_quote_names_like_coreutils() {
        for &(name, quoted) in QUOTED {
            assert_eq!(shell_quote(name), quoted, "{name:?}");
        }
    }

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
