//! Runs the built `palisade` binary and checks the conventions every subcommand follows.
#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::process::{Command, Output, Stdio};

fn palisade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn doctor_exits_zero_and_reports_every_section() {
    let out = palisade(&["doctor"]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&out.stderr)
    );
    for section in ["system", "trust", "digest", "random", "verify"] {
        assert!(
            stdout.lines().any(|l| l.starts_with(section)),
            "no {section} section:\n{stdout}"
        );
    }
    assert!(stdout.contains(std::env::consts::ARCH), "{stdout}");
}

#[test]
fn doctor_json_is_one_valid_object() {
    let out = palisade(&["doctor", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["palisade"], env!("CARGO_PKG_VERSION"));
    assert_eq!(report["status"], "pass");
    let sections = report["sections"].as_object().unwrap();
    let names: Vec<&str> = sections.keys().map(String::as_str).collect();
    assert_eq!(names, ["system", "trust", "digest", "random", "verify"]);
    assert_eq!(sections["system"]["facts"]["os"], std::env::consts::OS);
    assert!(
        sections["system"]["facts"]["rustc"]
            .as_str()
            .unwrap()
            .starts_with("rustc ")
    );
}

#[test]
fn help_lists_the_subcommands_and_examples() {
    let out = palisade(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    for word in ["doctor", "Examples:", "Exit status"] {
        assert!(stdout.contains(word), "--help lacks {word:?}:\n{stdout}");
    }
    let out = palisade(&["doctor", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("--format"));
}

#[test]
fn version_prints_the_package_version() {
    let out = palisade(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        format!("palisade {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_two_with_a_prefixed_message() {
    const CASES: &[(&[&str], &str)] = &[
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (&["doctor", "--bogus"], "unexpected argument '--bogus'"),
        (&["doctor", "--format", "xml"], "invalid value 'xml'"),
        (&[], "Usage: palisade <COMMAND>"),
    ];
    for (args, needle) in CASES {
        let out = palisade(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
        if !args.is_empty() {
            assert!(stderr.starts_with("palisade: "), "{args:?}: {stderr}");
        }
    }
}

#[test]
fn closed_stdout_exits_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["doctor", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end before the child writes its report.
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}
