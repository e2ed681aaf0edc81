//! Command-line arguments: `argv` becomes a [`Cli`] here, and nothing else happens here.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{ArgGroup, Args, Parser, Subcommand};
use palisade::digest::Algorithm;

use crate::output::{self, Format};

const EXAMPLES: &str = "\
Examples:
  palisade doctor                  what this machine offers a secure program
  palisade doctor --format json    the same report as one JSON object
  palisade hash file.iso           SHA-256 of a file, in sha256sum's format
  palisade hash -a blake2b -c SUMS check files against a list, like b2sum -c
  palisade hmac --key 6b6579 msg   HMAC-SHA256 of a file under a hex key

Exit status: 0 success, 1 a well-formed \"no\" (mismatch, not trusted, check failed), 2 error.";

/// The non-handshake half of a secure network stack: trust roots, hashes, randomness and
/// host-name checks.
#[derive(Debug, Parser)]
#[command(
    name = "palisade",
    version,
    after_help = EXAMPLES,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Report this machine's trust roots, hash self-tests and random-number health.
    #[command(after_help = "\
Examples:
  palisade doctor
  palisade doctor --format json | jq .status

Exit status: 0 when every check passed, 1 when a check failed, 2 on error.")]
    Doctor(DoctorArgs),
    /// Print or check file digests, byte for byte like sha256sum (and md5sum, b2sum, ...).
    #[command(after_help = "\
Examples:
  palisade hash file.iso                       sha256 of a file (default algorithm)
  palisade hash -a sha3_256 a b c              several files, one line each
  palisade hash -a blake2b -l 256 --tag f      BSD-style line: BLAKE2b-256 (f) = ...
  palisade hash -a shake_128 -l 512 f          512 bits of SHAKE128 output
  palisade hash file > SUMS; palisade hash -c SUMS
  palisade hash --list                         algorithms with digest and block size

Algorithms take Python's names (sha256, sha3_256, blake2b, shake_128, ...) or OpenSSL's
(SHA2-256, SHA3-256, ...). With no FILE, or when FILE is -, read standard input.

Exit status: 0 success; 1 a file could not be read or a check failed; 2 usage error.")]
    Hash(HashArgs),
    /// Print HMACs of files under a key, in sha256sum's line format.
    #[command(after_help = "\
Examples:
  palisade hmac --key 6b6579 message.txt          HMAC-SHA256 under the key \"key\"
  palisade hmac -a sha512 --key-file k.bin a b    HMAC-SHA512 of two files

Exit status: 0 success; 1 a file could not be read; 2 usage error or bad key.")]
    Hmac(HmacArgs),
}

/// Arguments of `palisade hash`.
#[derive(Args, Debug)]
pub(crate) struct HashArgs {
    /// Hash algorithm (Python or OpenSSL name).
    #[arg(short, long, default_value = "sha256", value_name = "ALGO")]
    pub(crate) algorithm: Algorithm,
    /// Read digests from the FILEs and check them.
    #[arg(short, long)]
    pub(crate) check: bool,
    /// Digest length in bits, for blake2b, blake2s, shake_128 and shake_256.
    #[arg(short, long, value_name = "BITS")]
    pub(crate) length: Option<usize>,
    /// Print every algorithm with its digest and block size, and exit.
    #[arg(long, conflicts_with_all = ["check", "files"])]
    pub(crate) list: bool,
    /// Output format of --list.
    #[arg(long, value_enum, default_value_t = Format::Text, requires = "list")]
    pub(crate) format: Format,
    /// With --check: do not print OK for each file that matches.
    #[arg(long, requires = "check")]
    pub(crate) quiet: bool,
    /// With --check: print nothing; the exit status tells.
    #[arg(long, requires = "check")]
    pub(crate) status: bool,
    /// Print BSD-style lines: `SHA256 (file) = digest`.
    #[arg(long, conflicts_with = "check")]
    pub(crate) tag: bool,
    /// Files to hash (or, with --check, digest lists to check); `-` is standard input.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<OsString>,
}

/// Arguments of `palisade hmac`.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("key_source").required(true).args(["key", "key_file"])))]
pub(crate) struct HmacArgs {
    /// Hash algorithm (Python or OpenSSL name).
    #[arg(short, long, default_value = "sha256", value_name = "ALGO")]
    pub(crate) algorithm: Algorithm,
    /// The key, in hex.
    #[arg(long, value_name = "HEX")]
    pub(crate) key: Option<String>,
    /// A file whose bytes are the key.
    #[arg(long, value_name = "PATH")]
    pub(crate) key_file: Option<PathBuf>,
    /// Files to authenticate; `-` is standard input.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<OsString>,
}

/// Arguments of `palisade doctor`.
#[derive(Args, Debug)]
pub(crate) struct DoctorArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

/// Parses `argv`. `--help` and `--version` are printed here; on a usage error the message is
/// printed with the `palisade:` prefix and the exit code to use is returned.
pub(crate) fn parse() -> Result<Cli, ExitCode> {
    Cli::try_parse().map_err(|err| match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Help and version go to stdout; if even that fails there is nothing to report.
            let _ = err.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // `palisade` alone: the help, on stderr, as a usage error.
            let _ = write!(io::stderr().lock(), "{}", err.render());
            ExitCode::from(2)
        }
        _ => {
            output::usage_error(&err.render().to_string());
            ExitCode::from(2)
        }
    })
}
