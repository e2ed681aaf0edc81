//! The progress line of `palisade hash`: never on a pipe, shown on a terminal (a
//! pseudo-terminal made by Python's `pty` module), off with `--no-progress`, and never mixed
//! into the digest lines on stdout. `PALISADE_PROGRESS_DELAY_MS=0` shows it at once instead
//! of after a second.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]
#![allow(clippy::print_stdout)] // a skipped test says so

mod util;

use std::fs;
use std::process::Command;

use util::{TempDir, text};

/// A file big enough for several progress updates (4 MiB windows).
fn big_file(dir: &TempDir) -> String {
    let path = dir.0.join("big");
    fs::write(&path, vec![7u8; 24 << 20]).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn nothing_on_stderr_when_it_is_not_a_terminal() {
    let dir = TempDir::new();
    let big = big_file(&dir);
    for args in [
        &["hash", big.as_str()][..],
        &["hash", "-j", "1", big.as_str(), big.as_str()],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
            .args(args)
            .env("PALISADE_PROGRESS_DELAY_MS", "0")
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(text(&out.stderr), "", "{args:?}");
        assert!(text(&out.stdout).ends_with(&format!("  {big}\n")));
    }
}

/// Runs `palisade ARGS` with its stderr on a pseudo-terminal; returns (stdout, what the
/// terminal received), or `None` when Python is missing.
fn on_a_terminal(args: &[&str]) -> Option<(String, String)> {
    const SCRIPT: &str = r#"
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=slave)
os.close(slave)
seen = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
out = p.stdout.read()
p.wait()
sys.stdout.write(out.decode() + "\0" + seen.decode(errors="replace"))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .env("PALISADE_PROGRESS_DELAY_MS", "0")
        .output();
    let Ok(out) = out else {
        println!("SKIPPED: progress on a terminal: python3 is not installed");
        return None;
    };
    assert!(out.status.success(), "{}", text(&out.stderr));
    let all = text(&out.stdout);
    let (stdout, terminal) = all.split_once('\0').unwrap();
    Some((stdout.to_owned(), terminal.to_owned()))
}

#[test]
fn a_terminal_shows_the_line_and_it_is_cleared() {
    let dir = TempDir::new();
    let big = big_file(&dir);
    let Some((stdout, terminal)) = on_a_terminal(&["hash", "-a", "sha3_512", &big]) else {
        return;
    };
    assert!(stdout.ends_with(&format!("  {big}\n")), "{stdout:?}");
    assert!(
        !stdout.contains("MiB"),
        "the line leaked into stdout: {stdout:?}"
    );
    // Bytes done of the total, and the speed.
    assert!(terminal.contains("24.00 MiB"), "{terminal:?}");
    assert!(terminal.contains("/s"), "{terminal:?}");
    // Cleared at the end: the last thing written erases the line.
    assert!(terminal.ends_with("\r\x1b[2K"), "{terminal:?}");
}

#[test]
fn no_progress_keeps_a_terminal_quiet() {
    let dir = TempDir::new();
    let big = big_file(&dir);
    let Some((stdout, terminal)) = on_a_terminal(&["hash", "--no-progress", &big]) else {
        return;
    };
    assert!(stdout.ends_with(&format!("  {big}\n")));
    assert_eq!(terminal, "");
}
