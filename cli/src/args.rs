//! Command-line arguments: `argv` becomes a [`Cli`] here, and nothing else happens here.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::error::ErrorKind;
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use palisade::digest::Algorithm;
use palisade::tls::Purpose;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::output::{self, Format};

const EXAMPLES: &str = "\
Examples:
  palisade doctor                  what this machine offers a secure program
  palisade doctor --format json    the same report as one JSON object
  palisade roots                   the TLS roots this system trusts, and where each came from
  palisade roots --sysroot /mnt/image   what an unpacked container image would trust
  palisade roots --explain cert.pem     is this certificate (or its chain's root) trusted here?
  palisade random                  32 random bytes as hex
  palisade random 16 --urlsafe     a 16-byte token for a URL
  palisade random --below 6 -n 3   three dice rolls (0-5), unbiased
  palisade match-host cert.pem www.example.com
                                   is the certificate valid for this host? (RFC 9525)
  palisade hash file.iso           SHA-256 of a file, in sha256sum's format
  palisade hash -a blake2b -c SUMS check files against a list, like b2sum -c
  palisade hmac --key 6b6579 msg   HMAC-SHA256 of a file under a hex key
  palisade verify --host example.com chain.pem
                                   does the chain lead to a trusted root and name the host?
  palisade verify --purpose client --crl ca.crl --at 2026-01-31T12:00:00Z chain.pem
                                   a client's chain, with a CRL, at a given time
  palisade connect example.com:443 --alpn h2
                                   handshake, then the version, suite, chain, anchor and verdict

Exit status: 0 success, 1 a well-formed \"no\" (mismatch, not trusted, check failed), 2 error.";

/// The non-handshake half of a secure network stack: trust roots, hashes, randomness and
/// host-name checks.
#[derive(Debug, Parser)]
#[command(
    name = "palisade",
    // Not the file name: `palisade.exe` on Windows.
    bin_name = "palisade",
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
    /// The certificate authorities this system trusts: list, export or explain.
    #[command(after_help = "\
Examples:
  palisade roots                          one row per TLS root, then a summary
  palisade roots --format json | jq '.roots | length'
  palisade roots --format pem > bundle.pem
  palisade roots --sysroot /mnt/image     discover as if /mnt/image were /
  palisade roots --export-dir ./hashed    an OpenSSL hashed directory (openssl verify -CApath)
  palisade roots --export-pem bundle.pem  one PEM bundle
  palisade roots --explain server.pem     trusted here, from which source, or why not
  palisade roots --enterprise             only the roots an administrator added (Windows, macOS)

SSL_CERT_FILE and SSL_CERT_DIR (':'-separated) replace the system store when set (empty values
are ignored); --env-add adds them to it instead. Under --sysroot they apply only with --env.
Errors (an unreadable file, a bad PEM block) go to stderr with their location; the good roots
are still listed.
Exit status: 0 roots were found (or --explain: trusted), 1 none were found (or --explain: not
trusted), 2 error.")]
    Roots(RootsArgs),
    /// Random bytes or unbiased random integers from the operating system's CSPRNG.
    #[command(
        override_usage = "palisade random [N] [--hex | --base64 | --urlsafe | --raw]\n       \
                                palisade random --below N [--count K]"
    )]
    #[command(after_help = "\
Examples:
  palisade random                   32 random bytes as 64 hex digits
  palisade random 16 --urlsafe      16 random bytes as URL-safe base64 (secrets.token_urlsafe)
  palisade random 1048576 --raw > key.bin
  palisade random --below 100 --count 5

Bytes come through the kernel's vDSO where it offers getrandom (Linux 6.11+), else the
getrandom system call; PALISADE_RANDOM_BACKEND=syscall forces the system call.
Exit status: 0 success, 2 error.")]
    Random(RandomArgs),
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
    /// Check a certificate chain as a TLS client would: a path to a trusted root, the host
    /// name, the dates and the purpose.
    #[command(after_help = "\
Examples:
  palisade verify --host www.example.com chain.pem
  palisade verify --host 192.0.2.1 --roots ca.pem chain.pem
  palisade verify --host www.example.com chain.pem --format json | jq .valid
  palisade verify chain.pem                       the chain alone, no name
  palisade verify --purpose client --crl ca.crl --crl ca2.crl.pem client.pem
  palisade verify --purpose 1.3.6.1.5.5.7.3.3 --at 2026-01-31T12:00:00Z --max-depth 1 code.pem

CHAIN.pem holds the server's certificate first, then intermediates (or one DER certificate).
--roots system is the system store (SSL_CERT_FILE/SSL_CERT_DIR replace it when set); a FILE is
a PEM bundle used alone. A certificate a --crl lists is refused; one no CRL covers is accepted.
--max-depth counts intermediates (0: issued by a root). The report says which checks applied.
Exit status: 0 valid, 1 not valid (the reasons on stderr), 2 error.")]
    Verify(VerifyArgs),
    /// Connect with TLS (rustls or OpenSSL, configured by palisade::tls) and report the
    /// handshake, the chain and where its root came from.
    #[command(after_help = "\
Examples:
  palisade connect example.com:443
  palisade connect 127.0.0.1:8443 --servername localhost --roots ca.pem --backend openssl
  palisade connect example.com:443 --alpn h2 --alpn http/1.1 --min-version 1.3
  palisade connect example.com:443 --format json | jq .anchor

Prints the protocol version, cipher suite, ALPN protocol, the chain the server sent (subject,
issuer, not-after), the trust anchor the chain ended at and the file it came from, and the
verdict.
Exit status: 0 connected and valid, 1 the certificate was rejected (the reasons on stderr),
2 error (cannot connect, time-out, no common protocol version, bad arguments).")]
    Connect(ConnectArgs),
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

Several files are hashed at once (-j N workers, one per core by default), printed in argument
order. On a terminal, work longer than a second shows a progress line on stderr.

Exit status: 0 success; 1 a file could not be read or a check failed; 2 usage error.")]
    Hash(HashArgs),
    /// Print HMACs of files under a key, in sha256sum's line format.
    #[command(after_help = "\
Examples:
  palisade hmac --key 6b6579 message.txt          HMAC-SHA256 under the key \"key\"
  palisade hmac -a sha512 --key-file k.bin a b    HMAC-SHA512 of two files
  palisade hmac --key-file k.bin -c MACS          check the files listed in MACS

--check compares each MAC in constant time; it reads the lines hmac prints (`<hex>  <name>`)
for the algorithm given, and counts other lines as improperly formatted.

Exit status: 0 success; 1 a file could not be read or a check failed; 2 usage error or bad
key.")]
    Hmac(HmacArgs),
    /// Print a shell completion script for palisade.
    #[command(after_help = "\
Examples:
  palisade completions bash > ~/.local/share/bash-completion/completions/palisade
  palisade completions zsh > \"${fpath[1]}/_palisade\"
  palisade completions fish > ~/.config/fish/completions/palisade.fish
  palisade completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of palisade, or of one subcommand.
    #[command(after_help = "\
Examples:
  palisade man | man -l -
  palisade man hash > palisade-hash.1")]
    Man(ManArgs),
}

/// Arguments of `palisade completions`.
#[derive(Args, Debug)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

/// Arguments of `palisade man`.
#[derive(Args, Debug)]
pub(crate) struct ManArgs {
    /// A subcommand (`hash`, `roots`, ...) for its own page; the main page when left out.
    pub(crate) subcommand: Option<String>,
}

/// The command-line definition, for completions and manual pages.
pub(crate) fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Arguments of `palisade hash`.
#[derive(Args, Debug)]
pub(crate) struct HashArgs {
    /// Hash algorithm (Python or OpenSSL name).
    #[arg(short, long, default_value = "sha256", value_name = "ALGO")]
    pub(crate) algorithm: Algorithm,
    /// Digest length in bits, for blake2b, blake2s, shake_128 and shake_256.
    #[arg(short, long, value_name = "BITS")]
    pub(crate) length: Option<usize>,
    /// Print every algorithm with its digest and block size, and exit.
    #[arg(long, conflicts_with_all = ["check", "files"])]
    pub(crate) list: bool,
    /// Output format of --list (text by default). Digest lines have one format, coreutils'.
    #[arg(long, value_enum, requires = "list")]
    pub(crate) format: Option<Format>,
    /// --check and the options that go with it.
    #[command(flatten)]
    pub(crate) checking: CheckArgs,
    /// Print BSD-style lines: `SHA256 (file) = digest`.
    #[arg(long, conflicts_with = "check")]
    pub(crate) tag: bool,
    /// Mark lines as read in binary mode (`<hex> *<name>`), as `sha256sum -b` does; the bytes
    /// hashed are the same.
    #[arg(short, long, conflicts_with_all = ["check", "text"])]
    pub(crate) binary: bool,
    /// Mark lines as read in text mode (`<hex>  <name>`, the default).
    #[arg(short, long, conflicts_with = "check")]
    pub(crate) text: bool,
    /// End each output line with NUL instead of a newline, and do not escape names.
    #[arg(short, long, conflicts_with = "check")]
    pub(crate) zero: bool,
    /// Files hashed at once (default: one per core, at most 8); `-j 1` is one after another.
    /// Output stays in argument order.
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) jobs: Option<u16>,
    /// Never show the progress line (shown only on a terminal, after about a second).
    #[arg(long)]
    pub(crate) no_progress: bool,
    /// Files to hash (or, with --check, digest lists to check); `-` is standard input.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<OsString>,
}

/// `--check` and its options, the same for `palisade hash` and `palisade hmac` (those of
/// coreutils' `sha256sum -c`).
#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// Read lines in the command's own output format from the FILEs and check them.
    #[arg(short, long)]
    pub(crate) check: bool,
    /// With --check: do not print OK for each file that matches.
    #[arg(long, requires = "check", overrides_with_all = ["status", "warn"])]
    pub(crate) quiet: bool,
    /// With --check: print nothing; the exit status tells.
    #[arg(long, requires = "check", overrides_with_all = ["quiet", "warn"])]
    pub(crate) status: bool,
    /// With --check: warn about each improperly formatted line.
    #[arg(short, long, requires = "check", overrides_with_all = ["quiet", "status"])]
    pub(crate) warn: bool,
    /// With --check: fail (exit 1) when a line is improperly formatted.
    #[arg(long, requires = "check")]
    pub(crate) strict: bool,
    /// With --check: say nothing of listed files that do not exist, and do not fail for them.
    #[arg(long, requires = "check")]
    pub(crate) ignore_missing: bool,
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
    /// --check and the options that go with it: MACs compared in constant time.
    #[command(flatten)]
    pub(crate) checking: CheckArgs,
    /// Files to authenticate (or, with --check, MAC lists to check); `-` is standard input.
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

/// Arguments of `palisade verify`.
#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// The host the chain must name: a DNS name or an IP address (left out: the chain alone).
    #[arg(long)]
    pub(crate) host: Option<String>,
    /// The time to check at, RFC 3339 (`2026-01-31T12:00:00Z`; default: now).
    #[arg(long, value_name = "RFC3339", value_parser = parse_rfc3339)]
    pub(crate) at: Option<SystemTime>,
    /// A certificate revocation list, DER or PEM (repeat for more).
    #[arg(long, value_name = "FILE")]
    pub(crate) crl: Vec<PathBuf>,
    /// What the first certificate must be for: `server`, `client` or a dotted EKU OID.
    #[arg(long, value_name = "server|client|OID", default_value = "server")]
    pub(crate) purpose: Purpose,
    /// The most intermediate certificates the verified path may hold.
    #[arg(long, value_name = "N")]
    pub(crate) max_depth: Option<usize>,
    /// `system`, or a PEM file of roots used alone.
    #[arg(long, value_name = "system|FILE", default_value = "system")]
    pub(crate) roots: String,
    /// The chain: PEM, server certificate first (or one DER certificate).
    #[arg(value_name = "CHAIN.pem")]
    pub(crate) chain: PathBuf,
    /// Output format of the report (the reasons for a "no" also go to stderr).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

/// `--at`: an RFC 3339 time, from 1970 on.
fn parse_rfc3339(text: &str) -> Result<SystemTime, String> {
    let at = OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| format!("not an RFC 3339 time such as 2026-01-31T12:00:00Z ({e})"))?;
    let nanos = u64::try_from(at.unix_timestamp_nanos())
        .map_err(|_| "a time before 1970 or after 2554".to_owned())?;
    Ok(UNIX_EPOCH + Duration::from_nanos(nanos))
}

/// Arguments of `palisade connect`.
#[derive(Args, Debug)]
pub(crate) struct ConnectArgs {
    /// Where to connect: HOST[:PORT] or [IPV6][:PORT]; the port is 443 when left out.
    #[arg(value_name = "HOST[:PORT]")]
    pub(crate) target: String,
    /// The name to send (SNI) and to check (default: HOST).
    #[arg(long, value_name = "N")]
    pub(crate) servername: Option<String>,
    /// `system`, or a PEM file of roots used alone.
    #[arg(long, value_name = "system|FILE", default_value = "system")]
    pub(crate) roots: String,
    /// The TLS library.
    #[arg(long, value_enum, default_value_t = Backend::Rustls)]
    pub(crate) backend: Backend,
    /// An ALPN protocol to offer (repeat, most preferred first).
    #[arg(long, value_name = "P")]
    pub(crate) alpn: Vec<String>,
    /// The lowest protocol version to accept.
    #[arg(long, value_name = "1.2|1.3", value_parser = ["1.2", "1.3"])]
    pub(crate) min_version: Option<String>,
    /// Seconds to wait for the connection, and for each read or write of the handshake.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub(crate) timeout: u64,
    /// Output format of the report (the reasons for a "no" also go to stderr).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

/// The TLS library `palisade connect` uses.
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq, ValueEnum)]
pub(crate) enum Backend {
    /// OpenSSL, through the openssl crate.
    Openssl,
    /// rustls with the aws-lc-rs provider.
    #[default]
    Rustls,
}

impl Backend {
    /// The library's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Openssl => "OpenSSL",
            Self::Rustls => "rustls",
        }
    }

    /// The `--backend` value that selects it, for machine-readable output.
    pub(crate) fn value(self) -> &'static str {
        match self {
            Self::Openssl => "openssl",
            Self::Rustls => "rustls",
        }
    }
}

/// `palisade roots --dir-scan`.
#[derive(Clone, Copy, Debug, Eq, PartialEq, ValueEnum)]
pub(crate) enum DirScan {
    /// Every hashed directory, as OpenSSL consults them.
    Always,
    /// Only directories that do not mirror a bundle.
    Auto,
}

/// Arguments of `palisade roots`.
#[derive(Args, Debug)]
pub(crate) struct RootsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RootsFormat::Table)]
    pub(crate) format: RootsFormat,
    /// Discover as if DIR were `/` (an unpacked container image, a mounted disk).
    #[arg(long, value_name = "DIR")]
    pub(crate) sysroot: Option<PathBuf>,
    /// Under --sysroot, apply this process's SSL_CERT_FILE/SSL_CERT_DIR (paths inside DIR).
    #[arg(long, requires = "sysroot")]
    pub(crate) env: bool,
    /// Add SSL_CERT_FILE/SSL_CERT_DIR to the system store instead of replacing it.
    #[arg(long)]
    pub(crate) env_add: bool,
    /// When the OpenSSL hashed directories beside a bundle are read: always (OpenSSL's
    /// behaviour), or auto (only when no bundle was read or the directory is newer than the
    /// bundle by more than a minute, a shortcut that can miss a root added to the directory).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = DirScan::Always)]
    pub(crate) dir_scan: DirScan,
    /// List every anchor, including those not meant for TLS servers (leaves, e-mail-only).
    #[arg(long, conflicts_with = "enterprise")]
    pub(crate) all: bool,
    /// Only the roots an administrator added (Windows: ROOT stores minus AuthRoot; macOS: the
    /// user and admin domains), as Firefox and Node import them. None on other systems.
    #[arg(long)]
    pub(crate) enterprise: bool,
    /// Write the TLS roots as an OpenSSL hashed directory (X509_NAME_hash names).
    #[arg(long, value_name = "DIR", conflicts_with = "explain")]
    pub(crate) export_dir: Option<PathBuf>,
    /// Write the TLS roots as one PEM bundle.
    #[arg(long, value_name = "FILE", conflicts_with = "explain")]
    pub(crate) export_pem: Option<PathBuf>,
    /// Explain whether this certificate (PEM or DER; for a chain, its last certificate) is a
    /// trust anchor here.
    #[arg(long, value_name = "CERT")]
    pub(crate) explain: Option<PathBuf>,
}

/// How `palisade roots` prints the roots.
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq, ValueEnum)]
pub(crate) enum RootsFormat {
    /// One JSON object: roots, distrusted, sources, errors, environment.
    Json,
    /// The roots as PEM, each after a comment line with its subject.
    Pem,
    /// One row per root, then a summary.
    #[default]
    Table,
}

/// Arguments of `palisade random`.
#[derive(Args, Debug)]
pub(crate) struct RandomArgs {
    /// How many random bytes to print.
    #[arg(value_name = "N", default_value_t = 32, conflicts_with = "below")]
    pub(crate) bytes: u64,
    /// Print the bytes as lowercase hex (the default).
    #[arg(long, group = "encoding")]
    pub(crate) hex: bool,
    /// Print the bytes as standard base64 with padding.
    #[arg(long, group = "encoding")]
    pub(crate) base64: bool,
    /// Print the bytes as URL-safe base64 without padding, like Python's secrets.token_urlsafe.
    #[arg(long, group = "encoding")]
    pub(crate) urlsafe: bool,
    /// Write the bytes themselves to stdout.
    #[arg(long, group = "encoding")]
    pub(crate) raw: bool,
    /// Print unbiased random integers in [0, N) instead of bytes, one a line.
    #[arg(long, value_name = "N", conflicts_with = "encoding")]
    pub(crate) below: Option<u64>,
    /// How many integers to print with --below.
    #[arg(
        short = 'n',
        long,
        value_name = "K",
        default_value_t = 1,
        requires = "below"
    )]
    pub(crate) count: u64,
}

impl RandomArgs {
    /// The output encoding chosen by the flags.
    pub(crate) fn encoding(&self) -> RandomEncoding {
        if self.raw {
            RandomEncoding::Raw
        } else if self.base64 {
            RandomEncoding::Base64
        } else if self.urlsafe {
            RandomEncoding::Urlsafe
        } else {
            RandomEncoding::Hex
        }
    }
}

/// How `palisade random` prints bytes.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum RandomEncoding {
    /// Standard base64 with padding.
    Base64,
    /// Lowercase hex.
    Hex,
    /// The bytes themselves.
    Raw,
    /// URL-safe base64 without padding.
    Urlsafe,
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
