//! The progress line of long `palisade hash` runs: on a terminal only, after about a second,
//! on standard error, cleared when the work is done.

use std::io::{self, IsTerminal as _};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before the line appears. `PALISADE_PROGRESS_DELAY_MS` overrides it (the
/// tests use 0).
const DELAY: Duration = Duration::from_secs(1);

/// A progress line that may never be shown; every method is cheap when it is off.
pub(crate) struct Progress {
    /// `None` when standard error is not a terminal or `--no-progress` was given.
    bar: Option<Bar>,
}

struct Bar {
    bar: ProgressBar,
    start: Instant,
    delay: Duration,
    shown: AtomicBool,
}

impl Progress {
    /// Off: nothing is ever drawn.
    pub(crate) const fn off() -> Self {
        Self { bar: None }
    }

    /// A line for `total` bytes (a bar with the time left) or an unknown amount (bytes and
    /// speed), drawn only if `enabled` and standard error is a terminal.
    pub(crate) fn new(enabled: bool, total: Option<u64>) -> Self {
        if !enabled || !io::stderr().is_terminal() {
            return Self::off();
        }
        let (bar, template) = match total {
            Some(total) => (
                ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden()),
                "{bytes:>10} / {total_bytes} [{bar:30}] {binary_bytes_per_sec} {eta} left",
            ),
            None => (
                ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
                "{spinner} {bytes:>10} {binary_bytes_per_sec} {elapsed}",
            ),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        let delay = std::env::var("PALISADE_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(DELAY, Duration::from_millis);
        Self {
            bar: Some(Bar {
                bar,
                start: Instant::now(),
                delay,
                shown: AtomicBool::new(false),
            }),
        }
    }

    /// Counts `bytes` more done (from any thread), and shows the line once the work has run
    /// for the delay.
    pub(crate) fn add(&self, bytes: u64) {
        let Some(b) = &self.bar else { return };
        b.bar.inc(bytes);
        if !b.shown.load(Ordering::Relaxed)
            && b.start.elapsed() >= b.delay
            && !b.shown.swap(true, Ordering::Relaxed)
        {
            b.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Runs `f` (which writes to the terminal) with the line taken away, so that no output
    /// line is mixed with it.
    pub(crate) fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(b) if b.shown.load(Ordering::Relaxed) => b.bar.suspend(f),
            _ => f(),
        }
    }

    /// Whether the line is on the terminal now.
    pub(crate) fn is_shown(&self) -> bool {
        self.bar
            .as_ref()
            .is_some_and(|b| b.shown.load(Ordering::Relaxed))
    }

    /// Clears the line for good.
    pub(crate) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
