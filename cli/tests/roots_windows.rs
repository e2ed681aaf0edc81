//! `palisade roots`, `--explain` and `doctor` on Windows: the sources are the certificate
//! stores, shown as `windows:<location>\<store>`. Runs under Wine in `.ci/run`.
#![cfg(windows)]
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

fn palisade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .env_remove("NIX_SSL_CERT_FILE")
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = palisade(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn roots_come_from_the_certificate_stores() {
    let report = json(&["roots", "--format", "json"]);
    let sources: Vec<(&str, &str)> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["kind"].as_str().unwrap()))
        .collect();
    assert!(
        sources.contains(&("windows:LocalMachine\\ROOT", "system-store")),
        "{sources:?}"
    );
    assert!(
        sources.iter().all(|(path, _)| path.starts_with("windows:")),
        "{sources:?}"
    );
    let roots = report["roots"].as_array().unwrap();
    assert!(!roots.is_empty());
    for root in roots {
        let from = root["provenance"][0].as_str().unwrap();
        assert!(from.starts_with("windows:"), "{from}");
    }
    assert_eq!(report["env_replaces_system"], false);
}

#[test]
fn explain_and_doctor_name_the_store() {
    let test_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../trust/tests/data/root_c.pem");
    let out = palisade(&["roots", "--explain", test_root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.ends_with("not a trust anchor here\n"), "{stdout}");

    let report = json(&["doctor", "--format", "json"]);
    let sources = report["sections"]["trust"]["facts"]["sources"]
        .as_array()
        .unwrap();
    assert!(
        sources.iter().any(|s| s
            .as_str()
            .unwrap()
            .starts_with("windows:LocalMachine\\ROOT (")),
        "{sources:?}"
    );
}

#[test]
fn explain_names_the_store_and_enterprise_is_a_subset() {
    // A root the stores hold, written out as PEM, is explained with the store it came from.
    let report = json(&["roots", "--format", "json"]);
    let out = palisade(&["roots", "--format", "pem"]);
    let pem = String::from_utf8(out.stdout).unwrap();
    let end = pem.find("-----END CERTIFICATE-----").unwrap() + "-----END CERTIFICATE-----".len();
    let file = std::env::temp_dir().join(format!("palisade-explain-{}.pem", std::process::id()));
    std::fs::write(&file, &pem[..end]).unwrap();
    let out = palisade(&["roots", "--explain", file.to_str().unwrap()]);
    std::fs::remove_file(&file).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("trusted anchor, from windows:"), "{stdout}");

    // The enterprise view: TLS roots from a ROOT store that Microsoft's AuthRoot does not hold.
    let all: Vec<&str> = report["roots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["sha256"].as_str().unwrap())
        .collect();
    let out = palisade(&["roots", "--enterprise", "--format", "json"]);
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for root in added["roots"].as_array().unwrap() {
        assert!(all.contains(&root["sha256"].as_str().unwrap()), "{root}");
        let provenance = root["provenance"].as_array().unwrap();
        assert!(
            provenance
                .iter()
                .all(|p| !p.as_str().unwrap().ends_with("\\AuthRoot")),
            "{root}"
        );
    }
}
