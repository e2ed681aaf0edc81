//! Output helpers shared by every subcommand: the `--format` switch and error reporting.

use std::io::{self, Write};

use clap::ValueEnum;

/// How a listing or report is printed.
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq, ValueEnum)]
pub(crate) enum Format {
    /// One JSON object on stdout.
    Json,
    /// Aligned text for people.
    #[default]
    Text,
}

/// Prints an error and its causes on stderr, prefixed with the program name.
pub(crate) fn error(err: &anyhow::Error) {
    // `{:#}` prints the chain as "outer: inner: innermost".
    let _ = writeln!(io::stderr().lock(), "palisade: {err:#}");
}

/// Prints a message from clap, replacing its `error: ` prefix with the program name.
pub(crate) fn usage_error(rendered: &str) {
    let message = rendered.strip_prefix("error: ").unwrap_or(rendered);
    let _ = write!(io::stderr().lock(), "palisade: {message}");
}

/// Prints `value` as pretty JSON followed by a newline.
pub(crate) fn json(out: &mut impl Write, value: &serde_json::Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// `YYYY-MM-DD` of seconds since the Unix epoch (Howard Hinnant's civil-from-days).
pub(crate) fn utc_date(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
