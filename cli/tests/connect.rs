//! `palisade connect` and `palisade verify` end to end, against `openssl s_server` on
//! 127.0.0.1 with a PKI made for the test, with both backends.
//!
//! Unix only: the server is the `openssl` command, which the Windows run (under Wine) lacks.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, TcpListener};
use std::process::{Command, Output};

#[path = "../../tests/s_server.rs"]
mod s_server;
#[path = "../../tests/tls_fixture.rs"]
mod tls_fixture;

use tls_fixture::{LEAF_NAMES, Pki};

// The backends this build of the command has: `rustls` by default, `openssl` when this
// package's `openssl` feature is on (.ci/run turns it on).
const BACKENDS: &[&str] = &[
    #[cfg(feature = "openssl")]
    "openssl",
    #[cfg(feature = "rustls")]
    "rustls",
];

fn palisade(args: &[&str], ssl_cert_file: Option<&std::path::Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_palisade"));
    command.args(args).env_remove("SSL_CERT_DIR");
    match ssl_cert_file {
        Some(file) => command.env("SSL_CERT_FILE", file),
        None => command.env_remove("SSL_CERT_FILE"),
    };
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs and checks the exit status, printing both streams when it is not the expected one.
fn expect(args: &[&str], ssl_cert_file: Option<&std::path::Path>, code: i32) -> (String, String) {
    let out = palisade(args, ssl_cert_file);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(code),
        "palisade {args:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    (stdout, stderr)
}

#[test]
fn connect_succeeds_with_the_test_ca_and_reports_everything() {
    let pki = Pki::new();
    let Some(server) = pki.server(&["-alpn", "h2"]) else {
        return;
    };
    let ca = pki.ca.to_str().unwrap();
    for backend in BACKENDS {
        let args = [
            "connect",
            &server.addr(),
            "--servername",
            "localhost",
            "--roots",
            ca,
            "--backend",
            backend,
            "--alpn",
            "h2",
            "--alpn",
            "http/1.1",
        ];
        let (stdout, _) = expect(&args, None, 0);
        for line in [
            "version:      TLSv1.3",
            "cipher suite: TLS_",
            "ALPN:         h2",
            "  0 subject:   CN=localhost, O=Palisade tests",
            "    issuer:    CN=Palisade Test Intermediate CA, O=Palisade tests",
            "  1 subject:   CN=Palisade Test Intermediate CA, O=Palisade tests",
            "anchor:       CN=Palisade Test Root CA, O=Palisade tests",
            &format!("  from:       {ca}#1 (--roots)"),
            "verdict:      valid for \"localhost\"",
        ] {
            assert!(stdout.contains(line), "{backend}: no {line:?} in\n{stdout}");
        }
        // The same facts as one JSON object.
        let (stdout, _) = expect(&[&args[..], &["--format", "json"]].concat(), None, 0);
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(report["valid"], true, "{backend}: {report}");
        assert_eq!(report["handshake"], true, "{backend}: {report}");
        assert_eq!(report["backend"], *backend, "{report}");
        assert_eq!(report["host"], "localhost", "{report}");
        assert_eq!(report["version"], "TLSv1.3", "{report}");
        assert_eq!(report["alpn"], "h2", "{report}");
        assert!(report["cipher_suite"].as_str().unwrap().starts_with("TLS_"));
        assert_eq!(
            report["chain"][0]["subject"], "CN=localhost, O=Palisade tests",
            "{report}"
        );
        assert_eq!(
            report["anchor"]["subject"], "CN=Palisade Test Root CA, O=Palisade tests",
            "{report}"
        );
        assert_eq!(report["anchor"]["from"][0], format!("{ca}#1 (--roots)"));
        // Without --alpn none is negotiated.
        let (stdout, _) = expect(&args[..8], None, 0);
        assert!(stdout.contains("ALPN:         (none)"), "{stdout}");
    }
}

#[test]
fn connect_wrong_host_exits_1_naming_the_presented_names() {
    let pki = Pki::new();
    let Some(server) = pki.server(&[]) else {
        return;
    };
    let ca = pki.ca.to_str().unwrap();
    for backend in BACKENDS {
        let args = [
            "connect",
            &server.addr(),
            "--servername",
            "wrong.example",
            "--roots",
            ca,
            "--backend",
            backend,
        ];
        let (_, stderr) = expect(&args, None, 1);
        assert!(
            stderr.contains("certificate is not valid for \"wrong.example\""),
            "{stderr}"
        );
        for name in LEAF_NAMES {
            assert!(
                stderr.contains(&format!("dNSName {name:?}")),
                "{backend}: {stderr}"
            );
        }
        // As JSON: the handshake failed, the report says why and lists what was presented,
        // and the reasons still go to stderr.
        let (stdout, stderr) = expect(&[&args[..], &["--format", "json"]].concat(), None, 1);
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(report["valid"], false, "{backend}: {report}");
        assert_eq!(report["handshake"], false, "{backend}: {report}");
        let rejected: Vec<&str> = report["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["identity"].as_str().unwrap())
            .collect();
        for name in LEAF_NAMES {
            assert!(
                rejected.contains(&format!("dNSName {name:?}").as_str()),
                "{backend}: {report}"
            );
        }
        assert!(
            stderr.contains("is not valid for \"wrong.example\""),
            "{stderr}"
        );
    }
}

#[test]
fn connect_untrusted_root_exits_1_with_the_sources() {
    let pki = Pki::new();
    let Some(server) = pki.server(&[]) else {
        return;
    };
    let other = pki.other_ca.to_str().unwrap();
    for backend in BACKENDS {
        let args = [
            "connect",
            &server.addr(),
            "--servername",
            "localhost",
            "--roots",
            other,
            "--backend",
            backend,
        ];
        let (_, stderr) = expect(&args, None, 1);
        assert!(stderr.contains("is not trusted"), "{backend}: {stderr}");
        assert!(
            stderr.contains("\"CN=Palisade Test Root CA, O=Palisade tests\""),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!("roots from: {other} (1 certificate)")),
            "{stderr}"
        );
    }
}

#[test]
fn connect_expired_leaf_exits_1() {
    let pki = Pki::new();
    let Some(server) = pki.expired_server() else {
        return;
    };
    let ca = pki.ca.to_str().unwrap();
    for backend in BACKENDS {
        let args = [
            "connect",
            &server.addr(),
            "--servername",
            "localhost",
            "--roots",
            ca,
            "--backend",
            backend,
        ];
        let (_, stderr) = expect(&args, None, 1);
        assert!(stderr.contains("expired at"), "{backend}: {stderr}");
        assert!(stderr.contains("CN=localhost"), "{backend}: {stderr}");
    }
}

#[test]
fn connect_min_version_13_against_a_tls12_server_fails_clearly() {
    let pki = Pki::new();
    let Some(server) = pki.server(&["-no_tls1_3"]) else {
        return;
    };
    let ca = pki.ca.to_str().unwrap();
    for backend in BACKENDS {
        let base = [
            "connect",
            &server.addr(),
            "--servername",
            "localhost",
            "--roots",
            ca,
            "--backend",
            backend,
        ];
        let (stdout, _) = expect(&base, None, 0);
        assert!(stdout.contains("version:      TLSv1.2"), "{stdout}");
        let mut args = base.to_vec();
        args.extend(["--min-version", "1.3"]);
        let (_, stderr) = expect(&args, None, 2);
        assert!(
            stderr.starts_with("palisade: TLS handshake with"),
            "{stderr}"
        );
        assert!(
            stderr.to_lowercase().contains("version"),
            "{backend}: {stderr}"
        );
    }
}

#[test]
fn connect_with_system_roots_from_ssl_cert_file() {
    let pki = Pki::new();
    let Some(server) = pki.server(&[]) else {
        return;
    };
    for backend in BACKENDS {
        let args = [
            "connect",
            &server.addr(),
            "--servername",
            "localhost",
            "--backend",
            backend,
        ];
        let (stdout, _) = expect(&args, Some(&pki.bundle), 0);
        let from = format!("  from:       {}#2 (env-file)", pki.bundle.display());
        assert!(stdout.contains(&from), "{stdout}");
        // The same server is untrusted when the variable names a bundle without the test CA.
        expect(&args, Some(&pki.other_ca), 1);
    }
}

#[test]
fn connect_times_out_clearly() {
    // Accepts the connection, never answers the ClientHello.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    for backend in BACKENDS {
        let args = ["connect", &addr, "--backend", backend, "--timeout", "1"];
        let (_, stderr) = expect(&args, None, 2);
        assert_eq!(
            stderr,
            format!("palisade: TLS handshake with {addr} timed out after 1s\n"),
            "{backend}"
        );
    }
}

#[test]
fn connect_errors_exit_2() {
    for (args, message) in [
        (&["connect", "[::1"][..], "no ']' after the IPv6 address"),
        (&["connect", "localhost:99999"][..], "is not a port number"),
        (
            &["connect", "localhost:443", "--servername", "a..b"][..],
            "invalid host",
        ),
        (
            &["connect", "localhost:443", "--min-version", "1.1"][..],
            "1.1",
        ),
    ] {
        let (_, stderr) = expect(args, None, 2);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[cfg(not(feature = "openssl"))]
#[test]
fn connect_backend_openssl_without_the_feature_exits_2() {
    // Refused before any connection is tried: nothing listens on this address.
    let (stdout, stderr) = expect(&["connect", "127.0.0.1:9", "--backend", "openssl"], None, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr.trim_end(),
        "palisade: this palisade was built without the OpenSSL backend; rebuild with --features openssl"
    );
}

#[test]
fn verify_chain_files() {
    let pki = Pki::new();
    let ca = pki.ca.to_str().unwrap();
    let chain = pki.chain.to_str().unwrap();
    let (stdout, _) = expect(
        &["verify", "--host", "localhost", "--roots", ca, chain],
        None,
        0,
    );
    assert!(
        stdout.contains("anchor:       CN=Palisade Test Root CA"),
        "{stdout}"
    );
    assert!(
        stdout.contains("verdict:      valid for \"localhost\""),
        "{stdout}"
    );
    expect(
        &["verify", "--host", "127.0.0.1", "--roots", ca, chain],
        None,
        0,
    );
    // The same as JSON: the path, the anchor and where it came from; or the reason.
    let json = |roots: &str, code| {
        let args = [
            "verify",
            "--host",
            "localhost",
            "--roots",
            roots,
            chain,
            "--format",
            "json",
        ];
        let (stdout, stderr) = expect(&args, None, code);
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        (report, stderr)
    };
    let (report, _) = json(ca, 0);
    assert_eq!(report["valid"], true, "{report}");
    // The leaf and the intermediate; the root is the anchor, reported on its own.
    assert_eq!(report["path"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(
        report["anchor"]["subject"], "CN=Palisade Test Root CA, O=Palisade tests",
        "{report}"
    );
    assert_eq!(report["anchor"]["from"][0], format!("{ca}#1 (--roots)"));
    let (report, stderr) = json(pki.other_ca.to_str().unwrap(), 1);
    assert_eq!(report["valid"], false, "{report}");
    assert!(
        report["reason"]
            .as_str()
            .unwrap()
            .contains("Palisade Test Root CA"),
        "{report}"
    );
    assert!(stderr.contains("is not trusted"), "{stderr}");
    // Wrong host, untrusted root, expired leaf, missing intermediate: 1 with the reasons.
    let (_, stderr) = expect(
        &["verify", "--host", "wrong.example", "--roots", ca, chain],
        None,
        1,
    );
    assert!(
        stderr.contains("dNSName \"localhost\": names a different host"),
        "{stderr}"
    );
    let other = pki.other_ca.to_str().unwrap();
    let (_, stderr) = expect(
        &["verify", "--host", "localhost", "--roots", other, chain],
        None,
        1,
    );
    assert!(stderr.contains("is not trusted"), "{stderr}");
    let expired = pki.expired_chain.to_str().unwrap();
    let (_, stderr) = expect(
        &["verify", "--host", "localhost", "--roots", ca, expired],
        None,
        1,
    );
    assert!(stderr.contains("expired at"), "{stderr}");
    let client = pki.client_chain.to_str().unwrap();
    let (_, stderr) = expect(
        &["verify", "--host", "localhost", "--roots", ca, client],
        None,
        1,
    );
    assert!(stderr.contains("is not for a TLS server"), "{stderr}");
    let leaf = pki.leaf.to_str().unwrap();
    expect(
        &["verify", "--host", "localhost", "--roots", ca, leaf],
        None,
        1,
    );
    // --roots system follows SSL_CERT_FILE.
    expect(
        &["verify", "--host", "localhost", chain],
        Some(&pki.bundle),
        0,
    );
    expect(
        &["verify", "--host", "localhost", chain],
        Some(&pki.other_ca),
        1,
    );
    // Errors: a missing chain, a bad host, a roots file that is not there.
    let missing = pki.dir.path().join("missing.pem");
    let missing = missing.to_str().unwrap();
    let (_, stderr) = expect(
        &["verify", "--host", "localhost", "--roots", ca, missing],
        None,
        2,
    );
    assert!(stderr.starts_with("palisade: reading"), "{stderr}");
    expect(&["verify", "--host", "a..b", "--roots", ca, chain], None, 2);
    let (_, stderr) = expect(
        &["verify", "--host", "localhost", "--roots", missing, chain],
        None,
        2,
    );
    assert!(stderr.contains("missing.pem"), "{stderr}");
}

#[test]
fn verify_takes_time_purpose_crls_and_depth() {
    let pki = Pki::new();
    let ca = pki.ca.to_str().unwrap();
    let chain = pki.chain.to_str().unwrap();
    let client = pki.client_chain.to_str().unwrap();
    let revoked = pki.revoked_crl.to_str().unwrap();
    let empty = pki.empty_crl.to_str().unwrap();
    // No --host: the chain alone; the report says what was checked.
    let (stdout, _) = expect(&["verify", "--roots", ca, chain], None, 0);
    assert!(
        stdout.contains("verdict:      valid (no name checked)"),
        "{stdout}"
    );
    assert!(stdout.contains("purpose:      serverAuth"), "{stdout}");
    assert!(stdout.contains("crls:         none"), "{stdout}");
    assert!(stdout.contains("max depth:    none"), "{stdout}");
    assert!(stdout.contains("(now)"), "{stdout}");
    // --at: before the leaf's notBefore (a day ago) it is not yet valid.
    let (_, stderr) = expect(
        &[
            "verify",
            "--at",
            "2000-01-01T00:00:00Z",
            "--roots",
            ca,
            chain,
        ],
        None,
        1,
    );
    assert!(
        stderr.starts_with("palisade: certificate chain is not valid: ")
            && stderr.contains("is not valid before"),
        "{stderr}"
    );
    // A bad time is a usage error that names it.
    let (_, stderr) = expect(
        &["verify", "--at", "yesterday", "--roots", ca, chain],
        None,
        2,
    );
    assert!(stderr.contains("yesterday"), "{stderr}");
    // --purpose: the client certificate is for clientAuth only; an OID it does not list fails.
    let (stdout, _) = expect(
        &["verify", "--purpose", "client", "--roots", ca, client],
        None,
        0,
    );
    assert!(stdout.contains("purpose:      clientAuth"), "{stdout}");
    let (_, stderr) = expect(&["verify", "--roots", ca, client], None, 1);
    assert!(stderr.contains("is not for a TLS server"), "{stderr}");
    let (_, stderr) = expect(
        &[
            "verify",
            "--purpose",
            "1.3.6.1.5.5.7.3.3",
            "--roots",
            ca,
            chain,
        ],
        None,
        1,
    );
    assert!(stderr.contains("purpose 1.3.6.1.5.5.7.3.3"), "{stderr}");
    let (_, stderr) = expect(
        &["verify", "--purpose", "1.x", "--roots", ca, chain],
        None,
        2,
    );
    assert!(stderr.contains("1.x"), "{stderr}");
    // --crl: the CRL that lists the leaf refuses it; one that lists nothing does not.
    let (_, stderr) = expect(
        &[
            "verify",
            "--host",
            "localhost",
            "--crl",
            revoked,
            "--roots",
            ca,
            chain,
        ],
        None,
        1,
    );
    assert!(stderr.contains("is revoked"), "{stderr}");
    let (stdout, _) = expect(&["verify", "--crl", empty, "--roots", ca, chain], None, 0);
    assert!(
        stdout.contains(&format!("crls:         {empty}")),
        "{stdout}"
    );
    // A file that is not a CRL is an error naming it.
    let (_, stderr) = expect(&["verify", "--crl", ca, "--roots", ca, chain], None, 2);
    assert!(stderr.contains(&format!("reading CRL {ca}")), "{stderr}");
    // --max-depth: the path holds one intermediate.
    let (_, stderr) = expect(
        &["verify", "--max-depth", "0", "--roots", ca, chain],
        None,
        1,
    );
    assert!(stderr.contains("more than the maximum depth 0"), "{stderr}");
    // JSON: host null, and the checks.
    let args = [
        "verify",
        "--max-depth",
        "1",
        "--crl",
        empty,
        "--at",
        "2030-01-01T00:00:00+01:00",
        "--roots",
        ca,
        chain,
        "--format",
        "json",
    ];
    let (stdout, _) = expect(&args, None, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["host"], serde_json::Value::Null, "{report}");
    assert_eq!(report["checks"]["max_depth"], 1, "{report}");
    assert_eq!(report["checks"]["crls"][0], empty, "{report}");
    assert_eq!(report["checks"]["purpose"], "serverAuth", "{report}");
    assert_eq!(
        report["checks"]["at"], "2029-12-31T23:00:00Z (--at)",
        "{report}"
    );
    assert!(
        report["reason"].as_str().unwrap().contains("expired"),
        "{report}"
    );
}
