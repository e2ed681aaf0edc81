//! `palisade hash --check` and `palisade hmac --check`: reads digest (or MAC) lists and checks
//! every file in them, with the output, warnings and exit status of GNU coreutils 9
//! `sha256sum -c` (`src/digest.c`, `digest_check`), its options included. Files are hashed in
//! parallel, results printed in list order. What a line is checked against is a [`Checker`]:
//! a digest, or an HMAC under a key (compared in constant time).

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

use anyhow::Context as _;
use palisade::digest::{self, ChecksumParser, HmacKey, compare_digest, read_checksum_line};

use crate::args::CheckArgs;
use crate::diag::{file_error, shell_quote};
use crate::output::count;
use crate::pool;
use crate::progress::Progress;
use crate::sums::{Spec, display_name, escaped, os_name};

/// What `--check` prints.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum Report {
    /// Every file's result.
    All,
    /// Only failures (`--quiet`).
    Failures,
    /// Nothing (`--status`).
    Status,
}

/// The options of `--check`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options {
    pub(crate) report: Report,
    /// `-w`: a warning for each improperly formatted line.
    pub(crate) warn: bool,
    /// `--strict`: improperly formatted lines make the check fail.
    pub(crate) strict: bool,
    /// `--ignore-missing`: listed files that do not exist are skipped in silence.
    pub(crate) ignore_missing: bool,
    pub(crate) workers: usize,
}

impl Options {
    /// The options given on the command line, with `workers` files checked at once.
    pub(crate) fn new(args: &CheckArgs, workers: usize) -> Self {
        Self {
            report: if args.status {
                Report::Status
            } else if args.quiet {
                Report::Failures
            } else {
                Report::All
            },
            warn: args.warn,
            strict: args.strict,
            ignore_missing: args.ignore_missing,
            workers,
        }
    }
}

/// What the files of a list are checked against.
pub(crate) trait Checker: Sync {
    /// Whether a line for `spec` can be checked here; other lines count as improperly
    /// formatted.
    fn accepts(&self, spec: &Spec) -> bool;

    /// The name of the lines in warnings: `SHA256` (checksum line).
    fn tag(&self, spec: &Spec) -> String;

    /// Whether `file` (or standard input for `-`) gives `expected`, the hex of a well-formed
    /// line for an accepted `spec`.
    fn matches(
        &self,
        spec: &Spec,
        file: &OsStr,
        expected: &str,
        progress: &Progress,
    ) -> io::Result<bool>;
}

/// `palisade hash -c`: every algorithm and length a line names.
pub(crate) struct DigestChecker;

impl Checker for DigestChecker {
    fn accepts(&self, _: &Spec) -> bool {
        true
    }

    fn tag(&self, spec: &Spec) -> String {
        spec.tag()
    }

    fn matches(
        &self,
        spec: &Spec,
        file: &OsStr,
        expected: &str,
        progress: &Progress,
    ) -> io::Result<bool> {
        // A digest is no secret: a plain comparison, as coreutils makes.
        Ok(spec
            .hash_input(file, progress)?
            .eq_ignore_ascii_case(expected))
    }
}

/// `palisade hmac -c`: lines of the key's algorithm at its full length (what `palisade hmac`
/// writes), each MAC compared in constant time.
pub(crate) struct MacChecker(pub(crate) HmacKey);

impl Checker for MacChecker {
    fn accepts(&self, spec: &Spec) -> bool {
        spec.algorithm == self.0.algorithm() && spec.len == spec.algorithm.digest_size()
    }

    fn tag(&self, spec: &Spec) -> String {
        format!("HMAC-{}", spec.tag())
    }

    fn matches(
        &self,
        _: &Spec,
        file: &OsStr,
        expected: &str,
        progress: &Progress,
    ) -> io::Result<bool> {
        let mut mac = self.0.start();
        let mut counted = Counted {
            inner: &mut mac,
            progress,
        };
        if file == "-" {
            io::copy(&mut io::stdin().lock(), &mut counted)?;
        } else {
            io::copy(&mut File::open(file)?, &mut counted)?;
        }
        // The listed hex may be in either case; the computed one is lowercase. Lowercasing
        // the listed one takes the same time whatever the MAC is.
        Ok(compare_digest(
            mac.hexdigest(),
            expected.to_ascii_lowercase(),
        ))
    }
}

/// A writer that tells the progress line of every byte written through it.
struct Counted<'a, W> {
    inner: &'a mut W,
    progress: &'a Progress,
}

impl<W: Write> Write for Counted<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.progress.add(n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// One line of a list, as read.
enum Line {
    /// Empty: ignored, as coreutils does.
    Blank,
    /// Not a checksum line (or longer than the limit).
    Malformed { number: u64 },
    /// A file to check.
    Entry {
        spec: Spec,
        expected: String,
        file: OsString,
    },
}

/// One line with its verdict.
enum Checked {
    Blank,
    Malformed {
        number: u64,
    },
    Entry {
        file: OsString,
        result: io::Result<bool>,
    },
}

/// The counts coreutils keeps for a list.
#[derive(Default)]
struct Tally {
    formatted: u64,
    malformed: u64,
    unreadable: u64,
    mismatched: u64,
    matched: u64,
}

/// Checks every list in turn; returns whether everything in them was fine.
pub(crate) fn check_lists(
    out: &mut impl Write,
    checker: &impl Checker,
    spec: &Spec,
    lists: &[OsString],
    options: Options,
    progress: &Progress,
) -> anyhow::Result<bool> {
    // One parser for all lists, as coreutils keeps its line-format state.
    let mut parser = ChecksumParser::new();
    let mut all_ok = true;
    for list in lists {
        all_ok &= check_list(out, checker, spec, list, options, &mut parser, progress)?;
    }
    Ok(all_ok)
}

/// Checks one digest list; returns whether everything in it was fine.
fn check_list(
    out: &mut impl Write,
    checker: &impl Checker,
    spec: &Spec,
    list: &OsStr,
    options: Options,
    parser: &mut ChecksumParser,
    progress: &Progress,
) -> anyhow::Result<bool> {
    let list_name = if list == "-" {
        "'standard input'".to_owned()
    } else {
        shell_quote(&list.to_string_lossy())
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
    let mut read_error = None;
    let mut buf = Vec::new();
    let mut number = 0u64;
    let lines = std::iter::from_fn(|| {
        if read_error.is_some() {
            return None;
        }
        let line = match read_checksum_line(&mut reader, &mut buf) {
            Ok(true) => Ok(()),
            Ok(false) => return None,
            Err(err) => Err(err),
        };
        number += 1;
        Some(match line {
            Ok(()) => parse(parser, checker, spec, &buf, number),
            // An overlong line is one improperly formatted line: the rest of it is skipped
            // unread into memory, and the lines after it are checked.
            Err(digest::Error::ChecksumLineTooLong { .. }) => match reader.skip_until(b'\n') {
                Ok(_) => Line::Malformed { number },
                Err(err) => {
                    read_error = Some(err);
                    return None;
                }
            },
            Err(digest::Error::Io { source }) => {
                read_error = Some(source);
                return None;
            }
            Err(other) => {
                read_error = Some(io::Error::other(other));
                return None;
            }
        })
    });
    let mut tally = Tally::default();
    let check = |line: Line| match line {
        Line::Blank => Checked::Blank,
        Line::Malformed { number } => Checked::Malformed { number },
        Line::Entry {
            spec,
            expected,
            file,
        } => {
            let result = checker.matches(&spec, &file, &expected, progress);
            Checked::Entry { file, result }
        }
    };
    let tag = checker.tag(spec);
    pool::ordered(options.workers, lines, check, |checked| {
        report(
            out, &mut tally, checked, options, &list_name, &tag, progress,
        )
    })?;
    out.flush()?;
    if let Some(err) = read_error {
        return Err(err).with_context(|| format!("cannot read {list_name}"));
    }
    Ok(summary(&tally, options, &list_name)?)
}

/// Parses one line of the list.
fn parse(
    parser: &mut ChecksumParser,
    checker: &impl Checker,
    spec: &Spec,
    line: &[u8],
    number: u64,
) -> Line {
    match parser.parse(spec.algorithm, spec.len, line) {
        Some(parsed) => {
            let spec = Spec {
                algorithm: parsed.algorithm,
                len: parsed.len,
            };
            if !checker.accepts(&spec) {
                return Line::Malformed { number };
            }
            Line::Entry {
                spec,
                expected: parsed.hex,
                file: os_name(parsed.name),
            }
        }
        None if line.is_empty() => Line::Blank,
        None => Line::Malformed { number },
    }
}

/// Counts and prints one line's result.
fn report(
    out: &mut impl Write,
    tally: &mut Tally,
    checked: Checked,
    options: Options,
    list_name: &str,
    tag: &str,
    progress: &Progress,
) -> io::Result<()> {
    let (file, result) = match checked {
        Checked::Blank => return Ok(()),
        Checked::Malformed { number } => {
            tally.malformed += 1;
            if options.warn {
                out.flush()?;
                progress.suspend(|| {
                    writeln!(
                        io::stderr().lock(),
                        "palisade: {list_name}: {number}: improperly formatted {tag} checksum line"
                    )
                })?;
            }
            return Ok(());
        }
        Checked::Entry { file, result } => (file, result),
    };
    tally.formatted += 1;
    let verdict = match result {
        Ok(true) => {
            tally.matched += 1;
            "OK"
        }
        Ok(false) => {
            tally.mismatched += 1;
            "FAILED"
        }
        Err(err) if options.ignore_missing && err.kind() == io::ErrorKind::NotFound => {
            return Ok(());
        }
        Err(err) => {
            out.flush()?;
            progress.suspend(|| file_error(&file, &err));
            tally.unreadable += 1;
            "FAILED open or read"
        }
    };
    let show = match options.report {
        Report::All => true,
        Report::Failures => verdict != "OK",
        Report::Status => false,
    };
    if show {
        let name = display_name(&file);
        progress.suspend(|| -> io::Result<()> {
            // In check output coreutils escapes only names with a newline.
            if name.contains(&b'\n') {
                out.write_all(b"\\")?;
                out.write_all(&escaped(&name))?;
            } else {
                out.write_all(&name)?;
            }
            writeln!(out, ": {verdict}")?;
            if progress.is_shown() {
                out.flush()?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// The warnings after a list and its verdict, as `digest_check` ends.
fn summary(tally: &Tally, options: Options, list_name: &str) -> io::Result<bool> {
    let mut err = io::stderr().lock();
    if tally.formatted == 0 {
        writeln!(
            err,
            "palisade: {list_name}: no properly formatted checksum lines found"
        )?;
        return Ok(false);
    }
    if options.report != Report::Status {
        if tally.malformed > 0 {
            let what = count(tally.malformed, "line is", "lines are");
            writeln!(err, "palisade: WARNING: {what} improperly formatted")?;
        }
        if tally.unreadable > 0 {
            let what = count(tally.unreadable, "listed file", "listed files");
            writeln!(err, "palisade: WARNING: {what} could not be read")?;
        }
        if tally.mismatched > 0 {
            let what = count(tally.mismatched, "computed checksum", "computed checksums");
            writeln!(err, "palisade: WARNING: {what} did NOT match")?;
        }
        if options.ignore_missing && tally.matched == 0 {
            writeln!(err, "palisade: {list_name}: no file was verified")?;
        }
    }
    Ok(tally.matched > 0
        && tally.mismatched == 0
        && tally.unreadable == 0
        && (!options.strict || tally.malformed == 0))
}
