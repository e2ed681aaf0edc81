//! Roots that live only in an OpenSSL hashed directory beside a bundle: found, with their
//! directory entry as provenance, once however many places hold them, and exactly the roots
//! `openssl verify -CAfile -CApath` accepts on the same files.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod util;

use std::fs;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use palisade_trust::{CachedTrustStore, DirectoryScan, ErrorKind, SkipReason, TrustStore};
use util::{Tree, cat, cn, data, hash_name, no_errors, tls_names};

fn provenance_of(store: &TrustStore, name: &str) -> Vec<String> {
    let anchors: Vec<_> = store
        .anchors()
        .iter()
        .filter(|a| cn(a.subject()) == name)
        .collect();
    assert_eq!(anchors.len(), 1, "{name} is one anchor");
    anchors[0]
        .provenance()
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn set_old(tree: &Tree, rel: &str) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::open(tree.path(rel))
        .unwrap()
        .set_modified(old)
        .unwrap();
}

/// Debian's bundle of roots A and B, and a company root `c_rehash`ed into the directory after
/// it was written (a relative link, as `c_rehash` makes).
fn debian_with_company_root(tree: &Tree) -> &Tree {
    tree.file(
        "/etc/ssl/certs/ca-certificates.crt",
        &cat(&["root_a.pem", "root_b.pem"]),
    )
    .file("/etc/ssl/certs/company.pem", &data("root_company.pem"))
    .link(
        &format!("/etc/ssl/certs/{}", hash_name("root_company.pem")),
        "company.pem",
    )
}

// FreeBSD: ca_root_nss's bundle linked as /usr/local/etc/ssl/cert.pem, and a company root
// made trusted with `certctl trust`, which lives only in /etc/ssl/certs/<hash>.0.
#[test]
fn freebsd_certctl_company_root() {
    let tree = Tree::new("certctl");
    let company = format!("/etc/ssl/certs/{}", hash_name("root_company.pem"));
    let root_a = format!("/etc/ssl/certs/{}", hash_name("root_a.pem"));
    tree.file(
        "/usr/local/share/certs/ca-root-nss.crt",
        &cat(&["root_a.pem", "root_b.pem"]),
    )
    .link(
        "/usr/local/etc/ssl/cert.pem",
        "/usr/local/share/certs/ca-root-nss.crt",
    )
    .file("/usr/share/certs/trusted/root_a.pem", &data("root_a.pem"))
    .link(&root_a, "/usr/share/certs/trusted/root_a.pem")
    .file(&company, &data("root_company.pem"));
    // The directory changed before the bundle was written: the old shortcut missed this root.
    set_old(&tree, "/etc/ssl/certs");
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Company Root", "Root A", "Root B"]);
    assert_eq!(
        provenance_of(&store, "Company Root"),
        [format!("{company}#1")]
    );
    // Found in both places: one anchor, both places in its provenance.
    assert_eq!(
        provenance_of(&store, "Root A"),
        [
            "/usr/local/share/certs/ca-root-nss.crt#1".to_owned(),
            format!("{root_a}#1")
        ]
    );
    let auto = tree.builder().directory_scan(DirectoryScan::Auto).build();
    assert_eq!(
        tls_names(&auto),
        ["Root A", "Root B"],
        "the shortcut misses it"
    );
}

// Debian: a company root dropped into /etc/ssl/certs and `c_rehash`ed, before
// `update-ca-certificates` rebuilt the bundle; and a re-keyed CA, two roots with one subject.
#[test]
fn debian_c_rehash_and_rekeyed_ca() {
    let tree = Tree::new("rehash");
    let rekeyed = hash_name("root_rekeyed_1.pem");
    assert_eq!(
        rekeyed,
        hash_name("root_rekeyed_2.pem"),
        "one subject, one hash"
    );
    let rekeyed_1 = rekeyed.replace(".0", ".1");
    debian_with_company_root(&tree)
        .file(
            "/etc/ssl/certs/rekeyed-2020.pem",
            &data("root_rekeyed_1.pem"),
        )
        .file(
            "/etc/ssl/certs/rekeyed-2024.pem",
            &data("root_rekeyed_2.pem"),
        )
        .link(&format!("/etc/ssl/certs/{rekeyed}"), "rekeyed-2020.pem")
        .link(&format!("/etc/ssl/certs/{rekeyed_1}"), "rekeyed-2024.pem");
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(
        tls_names(&store),
        [
            "Company Root",
            "Rekeyed Root",
            "Rekeyed Root",
            "Root A",
            "Root B"
        ]
    );
    let company = format!("/etc/ssl/certs/{}", hash_name("root_company.pem"));
    assert_eq!(
        provenance_of(&store, "Company Root"),
        [format!("{company}#1")]
    );
    // The link's target, reached again under its own name, is skipped as the same file.
    let skipped = store
        .skipped()
        .iter()
        .find(|s| s.path.ends_with("company.pem"))
        .unwrap();
    assert_eq!(
        skipped.reason,
        SkipReason::SameFile {
            read_as: company.into()
        }
    );
}

// Entries that are not certificates: each skipped with why, or an error as any unreadable
// file is; the good ones are kept.
#[test]
fn entries_that_are_not_certificates() {
    let tree = Tree::new("notcerts");
    let hash_b = format!("/etc/ssl/certs/{}", hash_name("root_b.pem"));
    tree.file("/etc/ssl/certs/ca-certificates.crt", &data("root_a.pem"))
        .link("/etc/ssl/certs/bundle.pem", "ca-certificates.crt")
        .file("/etc/ssl/certs/0a1b2c3d.r0", b"-----BEGIN X509 CRL-----\n")
        .file("/etc/ssl/certs/README", b"Certificates for this system.\n")
        .link("/etc/ssl/certs/0a1b2c3d.0", "gone.pem")
        .dir("/etc/ssl/certs/java")
        .file(&hash_b, &data("root_b.pem"));
    let store = tree.builder().build();
    assert_eq!(tls_names(&store), ["Root A", "Root B"]);
    let reasons: Vec<(String, SkipReason)> = store
        .skipped()
        .iter()
        .map(|s| (s.path.display().to_string(), s.reason.clone()))
        .collect();
    let expected = [
        ("/etc/ssl/certs/0a1b2c3d.0", SkipReason::DanglingLink),
        ("/etc/ssl/certs/0a1b2c3d.r0", SkipReason::RevocationList),
        (
            "/etc/ssl/certs/bundle.pem",
            SkipReason::SameFile {
                read_as: "/etc/ssl/certs/ca-certificates.crt".into(),
            },
        ),
        (
            "/etc/ssl/certs/ca-certificates.crt",
            SkipReason::SameFile {
                read_as: "/etc/ssl/certs/ca-certificates.crt".into(),
            },
        ),
        ("/etc/ssl/certs/java", SkipReason::Subdirectory),
    ];
    for (path, reason) in expected {
        assert!(
            reasons.iter().any(|(p, r)| p == path && *r == reason),
            "{path}: {reason:?} not in {reasons:#?}"
        );
    }
    let errors: Vec<_> = store.errors().iter().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(matches!(errors[0].kind(), ErrorKind::NoCertificate));
    assert!(errors[0].path().unwrap().ends_with("README"));
}

// The cache reloads when a file is added to or removed from a hashed directory.
#[test]
fn cache_reloads_on_directory_change() {
    let tree = Tree::new("dircache");
    tree.file("/etc/ssl/certs/ca-certificates.crt", &data("root_a.pem"));
    let cache = CachedTrustStore::new(tree.builder());
    let first = cache.get();
    assert_eq!(tls_names(&first), ["Root A"]);
    assert!(Arc::ptr_eq(&first, &cache.get()));
    let added = format!("/etc/ssl/certs/{}", hash_name("root_company.pem"));
    tree.file(&added, &data("root_company.pem"));
    let second = cache.get();
    assert_eq!(tls_names(&second), ["Company Root", "Root A"]);
    fs::remove_file(tree.path(&added)).unwrap();
    assert_eq!(tls_names(&cache.get()), ["Root A"]);
}

// What OpenSSL trusts on the same files, asked of `openssl verify` itself: every root it
// accepts is an anchor here, and a root in neither place is in neither. (OpenSSL 3.0 refuses
// the second root of a re-keyed pair, `<hash>.1`, verified as itself: its lookup by subject
// stops at the first match. Both are anchors here, as rustls-native-certs loads both.)
#[test]
fn same_roots_as_openssl_verify() {
    if Command::new("openssl").arg("version").output().is_err() {
        println!("SKIPPED: same_roots_as_openssl_verify: no openssl command");
        return;
    }
    let tree = Tree::new("opensslverify");
    let all = [
        "root_a.pem",
        "root_b.pem",
        "root_c.pem",
        "root_company.pem",
        "root_rekeyed_1.pem",
        "root_rekeyed_2.pem",
    ];
    // Relative links only, so that OpenSSL, reading the real paths, sees what the loader sees
    // through the system root. root_c.pem is nowhere: neither may accept it.
    debian_with_company_root(&tree)
        .file(
            "/usr/share/ca-certificates/local/rekeyed-1.crt",
            &data("root_rekeyed_1.pem"),
        )
        .link(
            &format!("/etc/ssl/certs/{}", hash_name("root_rekeyed_1.pem")),
            "../../../usr/share/ca-certificates/local/rekeyed-1.crt",
        )
        .file(
            &format!(
                "/etc/ssl/certs/{}",
                hash_name("root_rekeyed_2.pem").replace(".0", ".1")
            ),
            &data("root_rekeyed_2.pem"),
        );
    let store = tree.builder().build();
    no_errors(&store);
    let mut accepted = 0;
    for name in all {
        let pem = tree.path(&format!("/candidates/{name}"));
        fs::create_dir_all(pem.parent().unwrap()).unwrap();
        fs::write(&pem, data(name)).unwrap();
        let verdict = Command::new("openssl")
            .arg("verify")
            .arg("-CAfile")
            .arg(tree.path("/etc/ssl/certs/ca-certificates.crt"))
            .arg("-CApath")
            .arg(tree.path("/etc/ssl/certs"))
            .arg(&pem)
            .output()
            .unwrap();
        let der = palisade_trust::pem_to_der(std::str::from_utf8(&data(name)).unwrap()).unwrap();
        let ours = store.tls_anchors().any(|a| a.der().as_ref() == der);
        let theirs = verdict.status.success();
        assert!(
            ours || !theirs,
            "{name}: openssl verify accepts it, palisade has no such anchor"
        );
        if name == "root_c.pem" {
            assert!(!ours && !theirs, "root_c.pem is in no file");
        } else {
            assert!(ours, "{name} is in the files but not an anchor");
        }
        accepted += usize::from(theirs);
    }
    assert!(
        accepted >= 4,
        "openssl verify accepted only {accepted} roots"
    );
    assert_eq!(store.tls_anchors().count(), all.len() - 1);
}
