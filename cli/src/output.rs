//! Output helpers shared by every subcommand: the `--format` switch and error reporting.

use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use clap::ValueEnum;
use time::OffsetDateTime;

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
/// `1 root`, `2 roots`: a count with the noun it needs.
pub(crate) fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(crate) fn json(out: &mut impl Write, value: &serde_json::Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// `YYYY-MM-DD hh:mm:ss` of a time in UTC; a time before 1970 (or past what `time` holds) reads
/// as 1970-01-01 00:00:00.
pub(crate) fn utc(at: SystemTime) -> String {
    let at = at
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .and_then(|secs| OffsetDateTime::from_unix_timestamp(secs).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{} {:02}:{:02}:{:02}",
        at.date(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_take_the_right_noun() {
        assert_eq!(count(0_u64, "error", "errors"), "0 errors");
        assert_eq!(count(1_u64, "error", "errors"), "1 error");
        assert_eq!(count(2_u64, "line is", "lines are"), "2 lines are");
    }
}
