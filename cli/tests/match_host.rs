//! `palisade match-host`: exit codes, the explanation on stderr, JSON output, and no panic on
//! any file.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn palisade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .output()
        .unwrap()
}

fn cert(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "verify",
        "tests",
        "data",
        "certs",
    ]
    .iter()
    .collect();
    path.join(name).to_str().unwrap().to_owned()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Runs the command and checks exit code, stdout and stderr as whole blocks.
#[track_caller]
fn check(args: &[&str], code: i32, stdout: &str, stderr: &str) {
    let out = palisade(args);
    let (got_out, got_err) = (text(&out.stdout), text(&out.stderr));
    assert!(
        out.status.code() == Some(code) && got_out == stdout && got_err == stderr,
        "palisade {args:?}\nexpected code {code}, stdout:\n{stdout}\nstderr:\n{stderr}\n\
         got code {:?}, stdout:\n{got_out}\nstderr:\n{got_err}",
        out.status.code()
    );
}

#[test]
fn valid_host_exits_zero() {
    let pem = cert("dns_wildcard.pem");
    check(
        &["match-host", &pem, "WWW.example.com."],
        0,
        "certificate is valid for \"www.example.com\"\n",
        "",
    );
    let der = cert("ip_v4.der");
    check(
        &["match-host", &der, "2001:db8:0:0::1"],
        0,
        "certificate is valid for \"2001:db8::1\"\n",
        "",
    );
    let idna = cert("idna.pem");
    check(
        &["match-host", &idna, "b\u{fc}cher.b\u{fc}cher.example"],
        0,
        "certificate is valid for \"xn--bcher-kva.xn--bcher-kva.example\"\n",
        "",
    );
}

#[test]
fn mismatch_exits_one_and_explains_every_name() {
    let pem = cert("invalid_then_valid.pem");
    check(
        &["match-host", &pem, "example.com"],
        1,
        "",
        "palisade: certificate is not valid for \"example.com\"\n\
         \x20 dNSName \"*.*.example.com\": invalid name, never matches: more than one wildcard\n\
         \x20 dNSName \"w*.example.com\": invalid name, never matches: partial wildcard: '*' \
         must be the whole left-most label\n\
         \x20 dNSName \"*.com\": invalid name, never matches: a wildcard must be followed by at \
         least two labels\n\
         \x20 dNSName \"example.com.\": invalid name, never matches: it ends with a dot\n\
         \x20 dNSName \"www.example.com\": names a different host\n\
         \x20 subject CN \"mixed\": ignored: the subject CN is not a DNS-ID unless CN fallback \
         is enabled\n",
    );
    // A later valid entry still matches.
    check(
        &["match-host", &pem, "www.example.com"],
        0,
        "certificate is valid for \"www.example.com\"\n",
        "",
    );
}

#[test]
fn cn_fallback_is_opt_in() {
    let pem = cert("cn_only.pem");
    check(
        &["match-host", &pem, "example.com"],
        1,
        "",
        "palisade: certificate is not valid for \"example.com\"\n\
         \x20 subject CN \"example.com\": ignored: the subject CN is not a DNS-ID unless CN \
         fallback is enabled\n",
    );
    check(
        &["match-host", &pem, "example.com", "--cn-fallback"],
        0,
        "certificate is valid for \"example.com\"\n",
        "",
    );
    // Never when a dNSName exists.
    let out = palisade(&[
        "match-host",
        &cert("cn_and_san.pem"),
        "example.com",
        "--cn-fallback",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("the certificate has dNSName entries"));
}

#[test]
fn json_output_lists_rejections() {
    let out = palisade(&[
        "match-host",
        &cert("ip_mapped.der"),
        "192.0.2.1",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["normalized"], "192.0.2.1");
    assert_eq!(report["rejected"][0]["type"], "iPAddress");
    assert_eq!(
        report["rejected"][0]["reason"],
        "an IPv4-mapped IPv6 address and an IPv4 address are different"
    );
    let out = palisade(&[
        "match-host",
        &cert("dns_single.pem"),
        "www.example.com",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], true);
    assert_eq!(report["rejected"], serde_json::json!([]));
}

#[test]
fn errors_exit_two() {
    let pem = cert("dns_wildcard.pem");
    // Invalid hosts are errors even when the certificate holds that exact string.
    for host in [
        "",
        " ",
        "*",
        "*.example.com",
        "/",
        ":",
        "@",
        "%",
        "a..b",
        "010.0.0.1",
        "127.1",
        "256.0.0.1",
        "[::1]",
    ] {
        let out = palisade(&["match-host", &pem, host]);
        assert_eq!(out.status.code(), Some(2), "{host:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("palisade: invalid host "),
            "{host:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    check(
        &["match-host", &cert("duplicate_san.der"), "a.example.com"],
        2,
        "",
        &format!(
            "palisade: reading {}: certificate has more than one subjectAltName extension\n",
            cert("duplicate_san.der")
        ),
    );
    let missing = cert("no-such-file.pem");
    let out = palisade(&["match-host", &missing, "example.com"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with(&format!("palisade: reading {missing}: ")));
}

#[test]
fn arbitrary_files_never_panic() {
    let dir = std::env::temp_dir().join(format!("palisade-match-host-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let der = std::fs::read(cert("many_types.der")).unwrap();
    let mut inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".to_vec(),
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".to_vec(),
        vec![0x30],
        vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
    ];
    // Every truncation of a real certificate, and the certificate with trailing garbage.
    inputs.extend((0..der.len()).step_by(7).map(|n| der[..n].to_vec()));
    inputs.push([der.as_slice(), b"x"].concat());
    for (i, input) in inputs.iter().enumerate() {
        let path = dir.join(format!("{i}.bin"));
        std::fs::write(&path, input).unwrap();
        let out = palisade(&["match-host", path.to_str().unwrap(), "example.com"]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "input {i}: {stderr}");
        assert!(
            stderr.starts_with("palisade: reading "),
            "input {i}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "input {i}: {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
