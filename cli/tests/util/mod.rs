//! Helpers of the tests that compare `palisade hash` with GNU coreutils (`hash.rs`,
//! `check.rs`).
#![allow(dead_code, unreachable_pub)] // each test binary uses its own part

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system's temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "palisade-hash-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Creates files with odd names (space, star, backslash, newline, carriage return,
    /// non-ASCII, leading dash) and returns their names in sorted order.
    pub fn with_odd_files(&self) -> Vec<String> {
        let files: &[(&str, &[u8])] = &[
            ("plain.txt", b"hello\n"),
            ("sp ace", b""),
            ("star*", &[0; 1000]),
            ("back\\slash", b"abc"),
            ("new\nline", b"x"),
            ("cr\rret", b"y"),
            ("\u{e9}t\u{e9}", b"z"),
            ("-dash", b"-"),
        ];
        for (name, data) in files {
            fs::write(self.0.join(name), data).unwrap();
        }
        let mut names: Vec<String> = files.iter().map(|(n, _)| (*n).to_owned()).collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

pub fn run(program: &str, args: &[&str], dir: &Path, stdin: &[u8]) -> Option<Output> {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    Some(child.wait_with_output().unwrap())
}

pub fn palisade(args: &[&str], dir: &Path, stdin: &[u8]) -> Output {
    run(env!("CARGO_BIN_EXE_palisade"), args, dir, stdin).unwrap()
}

/// Runs a coreutils tool, or says it skipped when the tool is missing.
pub fn coreutils(program: &str, args: &[&str], dir: &Path, stdin: &[u8]) -> Option<Output> {
    let out = run(program, args, dir, stdin);
    if out.is_none() {
        println!("SKIPPED: comparison with {program}: not installed");
    }
    out
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn assert_same(what: &str, expected: &Output, actual: &Output) {
    assert_eq!(
        text(&actual.stdout),
        text(&expected.stdout),
        "{what}: stdout differs\n--- expected ---\n{}\n--- actual ---\n{}",
        text(&expected.stdout),
        text(&actual.stdout)
    );
    let expected_stderr = text(&expected.stderr);
    let tool = expected_stderr.split(':').next().unwrap_or_default();
    assert_eq!(
        text(&actual.stderr),
        expected_stderr.replace(&format!("{tool}:"), "palisade:"),
        "{what}: stderr differs"
    );
    assert_eq!(actual.status.code(), expected.status.code(), "{what}");
}
