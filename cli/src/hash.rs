//! `palisade hash`: file digests in the exact format of GNU coreutils' `sha256sum` family,
//! and `--check` of such lists (`check.rs`).
//!
//! The output formats follow coreutils 9 (`src/digest.c`):
//!
//! ```text
//! <hex>  <name>                 default ("text mode" two spaces); `<hex> *<name>` with -b
//! \<hex>  <escaped name>        when the name holds a backslash, newline or carriage return
//! SHA256 (<name>) = <hex>       --tag (BSD style), with the same leading-backslash rule
//! <name>: OK | FAILED | FAILED open or read          --check
//! ```
//!
//! Several files are hashed at once (`-j`), one per worker, and printed in argument order.

use std::ffi::OsString;
use std::io::{self, BufWriter, Write};

use palisade::digest::Algorithm;

use crate::Outcome;
use crate::args::HashArgs;
use crate::check::{self, DigestChecker, Options};
use crate::diag::file_error;
use crate::output::{self, Format};
use crate::pool;
use crate::progress::Progress;
use crate::sums::{Ending, LineFormat, Spec, Style, display_name, inputs, write_line};

/// Runs `palisade hash`.
pub(crate) fn run(args: &HashArgs) -> anyhow::Result<Outcome> {
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    if args.list {
        match args.format.unwrap_or(Format::Text) {
            Format::Json => output::json(&mut out, &list_json())?,
            Format::Text => write_list(&mut out)?,
        }
        out.flush()?;
        return Ok(Outcome::Yes);
    }
    if args.format.is_some() {
        // clap's `requires = "list"` does not fire for a flag that defaults to false.
        anyhow::bail!("--format applies to --list only; digest lines have coreutils' format");
    }
    let spec = Spec::new(args.algorithm, args.length)?;
    let files = inputs(&args.files);
    let workers = args.jobs.map_or_else(pool::default_workers, usize::from);
    let all_ok = if args.checking.check {
        let options = Options::new(&args.checking, workers);
        let progress = Progress::new(!args.no_progress, None);
        check::check_lists(&mut out, &DigestChecker, &spec, &files, options, &progress)?
    } else {
        let format = LineFormat {
            style: if args.tag { Style::Tag } else { Style::Gnu },
            binary: args.binary,
            ending: if args.zero {
                Ending::Nul
            } else {
                Ending::Newline
            },
        };
        let progress = Progress::new(!args.no_progress, total_size(&files));
        hash_files(&mut out, &spec, &files, format, workers, &progress)?
    };
    out.flush()?;
    Ok(if all_ok { Outcome::Yes } else { Outcome::No })
}

/// Hashes `files` on up to `workers` threads and prints a line for each, in order; returns
/// whether every file could be read.
fn hash_files(
    out: &mut impl Write,
    spec: &Spec,
    files: &[OsString],
    format: LineFormat,
    workers: usize,
    progress: &Progress,
) -> io::Result<bool> {
    let mut all_ok = true;
    let work = |i: usize| (i, spec.hash_input(&files[i], progress));
    pool::ordered(
        workers.min(files.len()),
        0..files.len(),
        work,
        |(i, result)| {
            let file = &files[i];
            match result {
                Ok(hex) => progress.suspend(|| -> io::Result<()> {
                    write_line(out, format, spec, &hex, &display_name(file))?;
                    if progress.is_shown() {
                        out.flush()?;
                    }
                    Ok(())
                })?,
                Err(err) => {
                    out.flush()?;
                    progress.suspend(|| file_error(file, &err));
                    all_ok = false;
                }
            }
            Ok(())
        },
    )?;
    Ok(all_ok)
}

/// The bytes to hash when every input is a regular file (for the progress line's time left).
fn total_size(files: &[OsString]) -> Option<u64> {
    files.iter().try_fold(0u64, |sum, file| {
        if file == "-" {
            return None;
        }
        let meta = std::fs::metadata(file).ok()?;
        meta.is_file().then(|| sum.saturating_add(meta.len()))
    })
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
