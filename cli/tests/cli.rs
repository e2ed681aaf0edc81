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
    for section in ["system", "trust", "digest", "random", "verify", "tls"] {
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
    assert_eq!(
        names,
        ["system", "trust", "digest", "random", "verify", "tls"]
    );
    assert_eq!(sections["system"]["facts"]["os"], std::env::consts::OS);
    let tls_checks = sections["tls"]["checks"].to_string();
    assert!(
        tls_checks.contains("rustls config from the system store"),
        "{tls_checks}"
    );
    // The OpenSSL backend is a cargo feature: checked when built, said to be absent when not.
    let openssl_check = if cfg!(feature = "openssl") {
        "OpenSSL connector from the system store"
    } else {
        "not built: `palisade connect --backend openssl` needs --features openssl"
    };
    assert!(tls_checks.contains(openssl_check), "{tls_checks}");
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
    for word in ["Examples:", "Exit status"] {
        assert!(stdout.contains(word), "--help lacks {word:?}:\n{stdout}");
    }
    for subcommand in SUBCOMMANDS {
        // Listed as a subcommand: at the start of a line of the command list.
        assert!(
            stdout
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{subcommand} "))),
            "--help does not list {subcommand}:\n{stdout}"
        );
        // And each has its own help, with examples.
        let out = palisade(&["help", subcommand]);
        assert_eq!(out.status.code(), Some(0), "help {subcommand}");
        let help = text(&out.stdout);
        assert!(
            help.contains("Usage: palisade"),
            "help {subcommand}:\n{help}"
        );
        assert!(
            help.contains("Examples:"),
            "help {subcommand} has no examples:\n{help}"
        );
    }
    let out = palisade(&["doctor", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("--format"));
}

/// Every subcommand DEVELOPERS.md and the README promise.
const SUBCOMMANDS: &[&str] = &[
    "connect",
    "doctor",
    "hash",
    "hmac",
    "match-host",
    "random",
    "roots",
    "verify",
];

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

#[test]
fn random_prints_bytes_in_every_encoding() {
    let hex = palisade(&["random"]);
    assert_eq!(hex.status.code(), Some(0), "{}", text(&hex.stderr));
    let hex = text(&hex.stdout);
    assert_eq!(hex.len(), 65, "{hex:?}");
    assert!(
        hex.trim_end()
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );

    let url = text(&palisade(&["random", "16", "--urlsafe"]).stdout);
    assert_eq!(url.trim_end().len(), 22, "{url:?}");
    assert!(
        url.trim_end()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );

    let b64 = text(&palisade(&["random", "5", "--base64"]).stdout);
    assert_eq!(b64.len(), 9, "{b64:?}");
    assert!(b64.ends_with("=\n"), "{b64:?}");

    let raw = palisade(&["random", "100000", "--raw"]);
    assert_eq!(raw.stdout.len(), 100_000);
    assert_eq!(text(&palisade(&["random", "0"]).stdout), "\n");

    // Streaming output larger than one chunk: every chunk is hex and the total is exact.
    let big = palisade(&["random", "1000000"]);
    assert_eq!(big.stdout.len(), 2_000_001);
    assert!(big.stdout[..2_000_000].iter().all(u8::is_ascii_hexdigit));
}

#[test]
fn random_below_prints_unbiased_integers_in_range() {
    let out = palisade(&["random", "--below", "6", "--count", "600"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let values: Vec<u64> = text(&out.stdout)
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(values.len(), 600);
    assert!(values.iter().all(|&v| v < 6));
    // All six faces appear in 600 rolls (false failure below 6 * (5/6)^600 < 1e-46).
    for face in 0..6 {
        assert!(values.contains(&face), "face {face} never came up");
    }
    let max = palisade(&["random", "--below", "18446744073709551615", "-n", "3"]);
    assert_eq!(text(&max.stdout).lines().count(), 3);
}

#[test]
fn random_rejects_bad_requests_with_status_2() {
    for args in [
        &["random", "--below", "0"][..],
        &["random", "--hex", "--raw"],
        &["random", "--count", "3"],
        &["random", "--below", "-1"],
        &["random", "8", "--below", "3"],
        &["random", "lots"],
    ] {
        let out = palisade(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).starts_with("palisade: "),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let zero = palisade(&["random", "--below", "0"]);
    assert!(
        text(&zero.stderr).contains("empty"),
        "{}",
        text(&zero.stderr)
    );
}

#[test]
fn doctor_reports_the_random_path_and_honours_the_switch() {
    let out = palisade(&["doctor", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let random = &report["sections"]["random"];
    assert_eq!(random["status"], "pass", "{random}");
    let backend = random["facts"]["backend"].as_str().unwrap();
    assert!(["vDSO", "system call"].contains(&backend), "{backend}");

    let forced = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["doctor", "--format", "json"])
        .env("PALISADE_RANDOM_BACKEND", "syscall")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert_eq!(
        report["sections"]["random"]["facts"]["backend"],
        "system call"
    );
    assert_eq!(report["sections"]["random"]["status"], "pass");
}

#[test]
fn completions_for_every_shell_name_every_subcommand() {
    let subcommands = [
        "doctor", "roots", "random", "hash", "hmac", "verify", "connect",
    ];
    for (shell, marker) in [
        ("bash", "complete -F _palisade"),
        ("zsh", "#compdef palisade"),
        ("fish", "complete -c palisade"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[palisade]"),
    ] {
        let out = palisade(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for sub in subcommands {
            assert!(script.contains(sub), "{shell}: {sub} missing");
        }
        assert!(
            script.contains("ignore-missing"),
            "{shell}: hash's options missing"
        );
    }
    // The bash script is valid bash, where bash is installed.
    let script = palisade(&["completions", "bash"]).stdout;
    match Command::new("bash").arg("-n").stdin(Stdio::piped()).spawn() {
        Ok(mut bash) => {
            std::io::Write::write_all(&mut bash.stdin.take().unwrap(), &script).unwrap();
            assert!(bash.wait().unwrap().success(), "bash -n refused the script");
        }
        Err(_) => println!("SKIPPED: bash -n: bash is not installed"),
    }
    assert_eq!(palisade(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn man_pages_render_for_the_command_and_each_subcommand() {
    let out = palisade(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(page.contains(".TH palisade 1"), "{page}");
    for sub in ["doctor", "roots", "hash", "connect", "completions"] {
        assert!(page.contains(sub), "{sub} missing from the main page");
    }
    let hash = text(&palisade(&["man", "hash"]).stdout);
    assert!(hash.contains(".TH palisade-hash 1"), "{hash}");
    assert!(hash.contains("ignore\\-missing"), "{hash}");
    let unknown = palisade(&["man", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no subcommand \"nope\""));
    // groff, where installed, formats it without a warning.
    let Ok(mut groff) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        println!("SKIPPED: groff is not installed");
        return;
    };
    std::io::Write::write_all(&mut groff.stdin.take().unwrap(), page.as_bytes()).unwrap();
    let mut warnings = String::new();
    groff
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut warnings)
        .unwrap();
    assert!(groff.wait().unwrap().success());
    assert_eq!(warnings, "", "groff warned");
}
