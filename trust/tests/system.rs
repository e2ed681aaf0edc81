//! Differential tests against this machine's own store: OpenSSL's hashed directory names and
//! the roots Python's `ssl` module loads. Each prints `SKIPPED` and passes where the machine
//! lacks what it compares with.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use palisade_trust::{DirectoryScan, EnvVars, TrustStore, openssl_name_hash};

/// Every `HHHHHHHH.N` link that `openssl rehash` made in /etc/ssl/certs is named by our
/// `X509_NAME_hash` of the certificate it points to.
#[test]
fn name_hash_matches_openssl_rehash() {
    let dir = Path::new("/etc/ssl/certs");
    let Ok(entries) = fs::read_dir(dir) else {
        println!("SKIPPED: no /etc/ssl/certs on this machine");
        return;
    };
    let mut checked = 0;
    for entry in entries {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some((hash, n)) = name.split_once('.') else {
            continue;
        };
        if hash.len() != 8 || !n.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let store = TrustStore::builder()
            .env_vars(EnvVars::none().with_ssl_cert_file(dir.join(&name)))
            .build();
        let anchor = &store.anchors()[0];
        let ours = format!("{:08x}", openssl_name_hash(anchor.subject_der()).unwrap());
        assert_eq!(ours, hash, "{name}: {}", anchor.subject());
        checked += 1;
    }
    println!("{checked} hashed names in /etc/ssl/certs match");
}

/// The roots `ssl.create_default_context()` loads (its `cafile`; the `capath` directory is
/// only searched lazily) are exactly our TLS anchors, with the directory not read.
#[test]
fn same_roots_as_python_ssl() {
    let script = "import ssl\n\
        for der in ssl.create_default_context().get_ca_certs(binary_form=True):\n\
        \x20   print(der.hex())\n";
    let output = match Command::new("python3").arg("-c").arg(script).output() {
        Ok(out) if out.status.success() => out,
        _ => {
            println!("SKIPPED: python3 with the ssl module is not available");
            return;
        }
    };
    let python: BTreeSet<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let store = TrustStore::system();
    let ours: BTreeSet<String> = store.certificates().map(|c| hex(&c)).collect();
    println!(
        "python ssl: {} roots, palisade: {} TLS anchors ({} sources, {} errors)",
        python.len(),
        ours.len(),
        store.sources().len(),
        store.errors().len()
    );
    let only_python: Vec<_> = python.difference(&ours).collect();
    let only_ours: Vec<_> = ours.difference(&python).collect();
    assert!(
        only_python.is_empty() && only_ours.is_empty(),
        "only in Python: {only_python:?}\nonly in palisade: {only_ours:?}"
    );
}

/// Reading the hashed directory as well loses nothing of the bundle's roots; what it adds is
/// printed (on this Debian machine: only the snakeoil leaf, which is not a TLS anchor).
#[test]
fn directory_adds_only_non_ca() {
    if !Path::new("/etc/ssl/certs/ca-certificates.crt").exists() {
        println!("SKIPPED: no Debian-style bundle on this machine");
        return;
    }
    let bundle = TrustStore::builder().env_vars(EnvVars::none()).build();
    let both = TrustStore::builder()
        .env_vars(EnvVars::none())
        .directory_scan(DirectoryScan::Always)
        .build();
    let a: BTreeSet<_> = bundle.certificates().map(|c| hex(&c)).collect();
    let b: BTreeSet<_> = both.certificates().map(|c| hex(&c)).collect();
    assert!(a.is_subset(&b));
    for der in b.difference(&a) {
        println!("only in the directory: {der}");
    }
    println!(
        "bundle only: {} anchors; with the directory: {} anchors ({} TLS)",
        bundle.anchors().len(),
        both.anchors().len(),
        b.len()
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
