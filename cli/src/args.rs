//! Command-line arguments: `argv` becomes a [`Cli`] here, and nothing else happens here.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};

use crate::output::{self, Format};

const EXAMPLES: &str = "\
Examples:
  palisade doctor                  what this machine offers a secure program
  palisade doctor --format json    the same report as one JSON object
  palisade match-host cert.pem www.example.com
                                   is the certificate valid for this host? (RFC 9525)

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
    /// Check that a certificate is valid for a host name or IP address (RFC 9525), and say why
    /// not.
    #[command(after_help = "\
Examples:
  palisade match-host server.pem www.example.com
  palisade match-host server.der 192.0.2.1 --format json
  palisade match-host legacy.pem example.com --cn-fallback

Exit status: 0 when the certificate is valid for the host, 1 when it is not (stderr lists every
presented name and why it did not match), 2 on error (invalid host, unreadable or unparseable
certificate).")]
    MatchHost(MatchHostArgs),
}

/// Arguments of `palisade doctor`.
#[derive(Args, Debug)]
pub(crate) struct DoctorArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

/// Arguments of `palisade match-host`.
#[derive(Args, Debug)]
pub(crate) struct MatchHostArgs {
    /// The certificate, PEM (the first CERTIFICATE block) or DER.
    pub(crate) cert: PathBuf,
    /// The host: a DNS name (U-labels allowed) or an IP address.
    pub(crate) host: String,
    /// Let the subject CN stand in when the certificate has no dNSName (legacy, off by
    /// default).
    #[arg(long)]
    pub(crate) cn_fallback: bool,
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
