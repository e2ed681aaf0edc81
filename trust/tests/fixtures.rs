//! Distribution layouts built in temporary directories and read through the builder's system
//! root, and hostile input: nothing here reads this machine's own store.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod util;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use palisade_trust::{
    CaStatus, CachedTrustStore, DirectoryScan, DistrustReason, EnvMode, EnvVars, ErrorKind,
    Purposes, SourceKind, TrustStore, Verdict,
};
use util::{Tree, all_names, cat, cn, data, hash_name, no_errors, tls_names};

// Debian and Ubuntu: update-ca-certificates writes the bundle and a hashed directory of links
// into /usr/share/ca-certificates; ssl-cert adds the snakeoil leaf to the directory only.
#[test]
fn debian() {
    let tree = Tree::new("debian");
    tree.file(
        "/usr/share/ca-certificates/mozilla/Root_A.crt",
        &data("root_a.pem"),
    )
    .file(
        "/usr/share/ca-certificates/mozilla/Root_B.crt",
        &data("root_b.pem"),
    )
    .link(
        "/etc/ssl/certs/Root_A.pem",
        "/usr/share/ca-certificates/mozilla/Root_A.crt",
    )
    .link(
        "/etc/ssl/certs/Root_B.pem",
        "/usr/share/ca-certificates/mozilla/Root_B.crt",
    )
    .link(
        &format!("/etc/ssl/certs/{}", hash_name("root_a.pem")),
        "Root_A.pem",
    )
    .link(
        &format!("/etc/ssl/certs/{}", hash_name("root_b.pem")),
        "Root_B.pem",
    )
    .file(
        "/etc/ssl/certs/ssl-cert-snakeoil.pem",
        &data("snakeoil.pem"),
    )
    .dir("/etc/ssl/certs/java")
    .file(
        "/etc/ssl/certs/ca-certificates.crt",
        &cat(&["root_a.pem", "root_b.pem"]),
    )
    .link("/usr/lib/ssl/certs", "/etc/ssl/certs")
    .link(
        "/usr/lib/ssl/cert.pem",
        "/etc/ssl/certs/ca-certificates.crt",
    );

    // OpenSSL reads the bundle and looks roots up in the directory: both are read, each file
    // once, each root kept once with every place it was seen.
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(all_names(&store), ["Root A", "Root B", "localhost"]);
    assert_eq!(tls_names(&store), ["Root A", "Root B"]);
    let snakeoil = store
        .anchors()
        .iter()
        .find(|a| cn(a.subject()) == "localhost")
        .unwrap();
    assert_eq!(snakeoil.ca(), CaStatus::NotCa);
    let hash_a = format!("/etc/ssl/certs/{}", hash_name("root_a.pem"));
    let provenance: Vec<String> = store.anchors()[0]
        .provenance()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        provenance,
        [
            "/etc/ssl/certs/ca-certificates.crt#1".to_owned(),
            format!("{hash_a}#1")
        ]
    );
    let sources: Vec<_> = store
        .sources()
        .iter()
        .map(|s| (s.path.to_str().unwrap(), s.certificates))
        .collect();
    assert_eq!(
        sources.len(),
        4,
        "the bundle, two hash links, the snakeoil: {sources:?}"
    );
    assert_eq!(sources[0], ("/etc/ssl/certs/ca-certificates.crt", 2));
    // Every other path was looked at and skipped, with why.
    let skipped: Vec<(String, String)> = store
        .skipped()
        .iter()
        .map(|s| (s.path.display().to_string(), s.reason.to_string()))
        .collect();
    let reason = |path: &str| {
        skipped
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, r)| r.as_str())
            .unwrap_or_else(|| panic!("{path} not skipped: {skipped:#?}"))
    };
    assert_eq!(
        reason("/etc/ssl/certs/Root_A.pem"),
        format!("the same file as {hash_a}, already read")
    );
    assert_eq!(
        reason("/etc/ssl/certs/java"),
        "a subdirectory, not descended into"
    );
    assert_eq!(
        reason("/usr/lib/ssl/certs"),
        "the same file as /etc/ssl/certs, already read"
    );
    assert_eq!(
        reason("/usr/lib/ssl/cert.pem"),
        "the same file as /etc/ssl/certs/ca-certificates.crt, already read"
    );
    assert!(
        !skipped
            .iter()
            .any(|(p, _)| p.starts_with("/usr/lib/ssl/certs/")),
        "a second path to a directory is not listed again: {skipped:#?}"
    );

    // The opt-in shortcut: the directory was written with the bundle, so it is not read.
    let store = tree.builder().directory_scan(DirectoryScan::Auto).build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Root A", "Root B"]);
    let sources: Vec<_> = store
        .sources()
        .iter()
        .map(|s| (&s.path, s.certificates))
        .collect();
    assert_eq!(
        sources,
        [(&PathBuf::from("/etc/ssl/certs/ca-certificates.crt"), 2)],
        "the bundle is read once, however many links lead to it"
    );
    assert_eq!(
        store.anchors()[1].provenance()[0].to_string(),
        "/etc/ssl/certs/ca-certificates.crt#2"
    );
}

// Fedora and RHEL: update-ca-trust extracts a TLS bundle, a bundle with OpenSSL trust bits
// (rejects included) and honours the blocklist directory.
#[test]
fn fedora() {
    let tree = Tree::new("fedora");
    tree.file(
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        &cat(&["root_a.pem", "root_b.pem"]),
    )
    .file(
        "/etc/pki/ca-trust/extracted/openssl/ca-bundle.trust.crt",
        &cat(&[
            "root_a_trusted.pem",
            "root_c_rejected.pem",
            "root_email_trusted.pem",
        ]),
    )
    .link(
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    )
    .link(
        "/etc/pki/tls/certs/ca-bundle.trust.crt",
        "/etc/pki/ca-trust/extracted/openssl/ca-bundle.trust.crt",
    )
    .link(
        "/etc/pki/tls/cert.pem",
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    )
    .file(
        "/etc/pki/ca-trust/source/blocklist/root_b.pem",
        &data("root_b.pem"),
    );
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Root A"]);
    assert_eq!(all_names(&store), ["Email Root", "Root A"]);
    let email = store
        .anchors()
        .iter()
        .find(|a| cn(a.subject()) == "Email Root")
        .unwrap();
    assert_eq!(email.purposes(), Purposes::EMAIL_PROTECTION);
    let root_a = &store.anchors()[0];
    assert_eq!(root_a.alias(), Some("Root A"));
    assert_eq!(root_a.provenance().len(), 2);
    let mut distrust: Vec<_> = store
        .distrusted()
        .iter()
        .map(|d| (cn(d.subject.as_deref().unwrap()), d.reason, d.removed))
        .collect();
    distrust.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        distrust,
        [
            ("Root B".to_owned(), DistrustReason::Blocklist, true),
            (
                "Root C".to_owned(),
                DistrustReason::Rejected(Purposes::SERVER_AUTH),
                true
            ),
        ]
    );
}

// Alpine: /etc/ssl/cert.pem links to the bundle; a copy elsewhere merges by DER.
#[test]
fn alpine() {
    let tree = Tree::new("alpine");
    tree.file(
        "/etc/ssl/certs/ca-certificates.crt",
        &cat(&["root_a.pem", "root_b.pem"]),
    )
    .link("/etc/ssl/cert.pem", "certs/ca-certificates.crt")
    .file("/usr/local/share/cert.pem", &cat(&["root_b.pem"]));
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Root A", "Root B"]);
    assert_eq!(store.sources().len(), 2);
    let root_b = &store.anchors()[1];
    let places: Vec<String> = root_b
        .provenance()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        places,
        [
            "/etc/ssl/certs/ca-certificates.crt#2",
            "/usr/local/share/cert.pem#1"
        ]
    );
}

// NixOS: the bundle lives in the Nix store, reached through /etc and NIX_SSL_CERT_FILE.
#[test]
fn nixos() {
    let tree = Tree::new("nixos");
    let store_path = "/nix/store/0123-nss-cacert-3.101/etc/ssl/certs/ca-bundle.crt";
    tree.file(store_path, &cat(&["root_a.pem", "root_b.pem"]))
        .link("/etc/static/ssl/certs/ca-bundle.crt", store_path)
        .link(
            "/etc/ssl/certs/ca-bundle.crt",
            "/etc/static/ssl/certs/ca-bundle.crt",
        )
        .link(
            "/etc/ssl/certs/ca-certificates.crt",
            "/etc/static/ssl/certs/ca-bundle.crt",
        );
    let store = tree
        .builder()
        .env_vars(EnvVars::none().with_nix_ssl_cert_file(store_path))
        .build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Root A", "Root B"]);
    assert_eq!(store.sources().len(), 1, "{:#?}", store.sources());
    assert_eq!(store.sources()[0].kind, SourceKind::EnvFile);
    assert!(
        !store.env_replaced_system(),
        "NIX_SSL_CERT_FILE adds, never replaces"
    );
    assert_eq!(
        store.env_in_effect(),
        [format!("NIX_SSL_CERT_FILE={store_path}")]
    );
}

// Android: one file per root, with a text dump before the PEM; the user's additions and
// removals in /data/misc/user/0.
#[test]
fn android() {
    let tree = Tree::new("android");
    let with_text = |name: &str| {
        let mut out = b"Certificate:\n    Data:\n        Version: 3 (0x2)\n".to_vec();
        out.extend(data(name));
        out
    };
    tree.file(
        &format!("/system/etc/security/cacerts/{}", hash_name("root_a.pem")),
        &with_text("root_a.pem"),
    )
    .file(
        &format!("/system/etc/security/cacerts/{}", hash_name("root_c.pem")),
        &with_text("root_c.pem"),
    )
    .file(
        &format!(
            "/data/misc/user/0/cacerts-added/{}",
            hash_name("root_b.pem")
        ),
        &data("root_b.pem"),
    )
    .file(
        &format!(
            "/data/misc/user/0/cacerts-removed/{}",
            hash_name("root_c.pem")
        ),
        &data("root_c.pem"),
    );
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Root A", "Root B"]);
    assert_eq!(store.distrusted().len(), 1);
    assert!(store.distrusted()[0].removed);
}

// FreeBSD: certctl's hashed directory and blocklist, and the ca_root_nss bundle.
#[test]
fn freebsd() {
    let tree = Tree::new("freebsd");
    tree.file(
        "/usr/local/share/certs/ca-root-nss.crt",
        &cat(&["root_a.pem", "root_b.pem", "root_c.pem"]),
    )
    .link(
        "/etc/ssl/cert.pem",
        "/usr/local/share/certs/ca-root-nss.crt",
    )
    .file("/etc/ssl/blacklisted/root_b.pem", &data("root_b.pem"))
    // certctl's hashed directory: links named by subject hash into the trusted store.
    .file("/usr/share/certs/trusted/root_a.pem", &data("root_a.pem"))
    .file("/usr/share/certs/trusted/root_c.pem", &data("root_c.pem"))
    .link("/etc/ssl/certs/0a1b2c3d.0", "/usr/share/certs/trusted/root_a.pem")
    .link("/etc/ssl/certs/4e5f6a7b.0", "/usr/share/certs/trusted/root_c.pem");
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Root A", "Root C"]);
    // The hashed directory is read too: each root is there once, seen in both places.
    for anchor in store.tls_anchors() {
        assert_eq!(anchor.provenance().len(), 2, "{:?}", anchor.provenance());
    }
}

// A system with no bundle: the hashed directory is read; a DER file counts too.
#[test]
fn directory_only_with_der() {
    let tree = Tree::new("dironly");
    tree.file("/etc/ssl/certs/a.pem", &data("root_a.pem"))
        .file("/etc/ssl/certs/b.der", &data("root_b.der"));
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Root A", "Root B"]);
    assert_eq!(
        store.anchors()[1].provenance()[0].to_string(),
        "/etc/ssl/certs/b.der"
    );
}

// A directory changed well after the bundle: something was added, so it is read.
#[test]
fn stale_bundle_directory_is_read() {
    let tree = Tree::new("stale");
    tree.file("/etc/ssl/certs/ca-certificates.crt", &data("root_a.pem"))
        .file("/etc/ssl/certs/extra.pem", &data("root_b.pem"));
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(tree.path("/etc/ssl/certs/ca-certificates.crt"))
        .unwrap()
        .set_modified(old)
        .unwrap();
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Root A", "Root B"]);
}

#[test]
fn env_replaces_or_adds() {
    let tree = Tree::new("env");
    tree.file("/etc/ssl/cert.pem", &data("root_a.pem"))
        .file("/srv/mine.pem", &data("root_b.pem"))
        .file("/srv/dir1/c.pem", &data("root_c.pem"));
    let env = EnvVars::none()
        .with_ssl_cert_file("/srv/mine.pem")
        .with_ssl_cert_dir("/srv/dir1::/srv/missing");
    let store = tree.builder().env_vars(env.clone()).build();
    assert!(store.env_replaced_system());
    assert_eq!(tls_names(&store), ["Root B", "Root C"]);
    // The missing SSL_CERT_DIR element was asked for, so its absence is reported.
    assert_eq!(store.errors().len(), 1);
    assert!(
        store.errors()[0]
            .to_string()
            .starts_with("/srv/missing: cannot read")
    );
    let store = tree.builder().env_vars(env).env_mode(EnvMode::Add).build();
    assert!(!store.env_replaced_system());
    assert_eq!(tls_names(&store), ["Root A", "Root B", "Root C"]);
    // Empty values are ignored: they do not mean "trust nothing".
    let empty = EnvVars::none()
        .with_ssl_cert_file("")
        .with_ssl_cert_dir(":");
    assert!(!empty.is_override());
    let store = tree.builder().env_vars(empty).build();
    assert_eq!(tls_names(&store), ["Root A"]);
}

#[test]
fn extra_files_and_dirs() {
    let tree = Tree::new("extra");
    tree.file("/srv/extra.pem", &data("root_a.pem"))
        .file("/srv/d/b.pem", &data("root_b.pem"));
    let store = tree
        .builder()
        .extra_file("/srv/extra.pem")
        .extra_dir("/srv/d")
        .extra_file("/srv/none.pem")
        .build();
    assert_eq!(tls_names(&store), ["Root A", "Root B"]);
    assert_eq!(
        store.errors().len(),
        1,
        "the missing extra file is an error"
    );
    assert_eq!(store.sources()[0].kind, SourceKind::Extra);
}

// Hostile input -------------------------------------------------------------------------------

#[test]
fn corrupt_block_among_good_ones() {
    let tree = Tree::new("corrupt");
    let mut bundle = data("root_a.pem");
    let bad = String::from_utf8(data("root_b.pem"))
        .unwrap()
        .replace("MII", "MII*");
    bundle.extend(bad.as_bytes());
    // A block whose base64 is fine but whose DER is a truncated certificate.
    let good_c = data("root_c.pem");
    let der = palisade_trust::pem_to_der(std::str::from_utf8(&good_c).unwrap()).unwrap();
    let mut cut = der[..der.len() - 10].to_vec();
    cut[1..4].copy_from_slice(&[0x82, 0x01, 0x00]);
    bundle.extend(palisade_trust::der_to_pem(&cut).as_bytes());
    bundle.extend(data("root_email.pem"));
    tree.file("/etc/ssl/cert.pem", &bundle);
    let store = tree.builder().build();
    assert_eq!(all_names(&store), ["Email Root", "Root A"]);
    let errors: Vec<(Option<usize>, String)> = store
        .errors()
        .iter()
        .map(|e| (e.position().map(|p| p.block), e.to_string()))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].0, Some(2));
    assert!(
        errors[0].1.starts_with("/etc/ssl/cert.pem:"),
        "{}",
        errors[0].1
    );
    assert!(
        errors[0]
            .1
            .contains("(block 2): PEM block \"CERTIFICATE\" is not valid base64")
    );
    assert_eq!(errors[1].0, Some(3));
    assert!(
        errors[1].1.contains("invalid certificate"),
        "{}",
        errors[1].1
    );
    assert_eq!(store.sources()[0].errors, 2);
}

#[test]
fn truncated_der_file() {
    let tree = Tree::new("truncated");
    let der = data("root_b.der");
    tree.file("/etc/ssl/certs/b.der", &der[..der.len() / 2])
        .file("/etc/ssl/certs/a.pem", &data("root_a.pem"));
    let store = tree.builder().build();
    assert_eq!(tls_names(&store), ["Root A"]);
    assert_eq!(store.errors().len(), 1);
    assert!(matches!(
        store.errors()[0].kind(),
        ErrorKind::InvalidCertificate { .. }
    ));
    assert_eq!(
        store.errors()[0].path(),
        Some(Path::new("/etc/ssl/certs/b.der"))
    );
}

#[test]
fn hundred_megabyte_file_is_not_read() {
    let tree = Tree::new("huge");
    tree.file("/etc/ssl/certs/a.pem", &data("root_a.pem"));
    let huge = fs::File::create(tree.path("/etc/ssl/certs/huge.pem")).unwrap();
    huge.set_len(100 << 20).unwrap();
    let store = tree.builder().build();
    assert_eq!(tls_names(&store), ["Root A"]);
    assert!(matches!(
        store.errors()[0].kind(),
        ErrorKind::TooLarge { size, .. } if *size == 100 << 20
    ));
}

#[test]
fn certificate_count_is_limited() {
    // The limit (10 000 certificate blocks per load, duplicates included) is reached in the
    // second file: what came before it is kept, the rest is reported once, not taken.
    let tree = Tree::new("many");
    tree.file("/etc/ssl/certs/a.pem", &data("root_a.pem").repeat(6_000))
        .file("/etc/ssl/certs/b.pem", &data("root_c.pem").repeat(4_000))
        .file("/etc/ssl/certs/c.pem", &data("root_email.pem"));
    let store = tree.builder().build();
    assert_eq!(tls_names(&store), ["Root A", "Root C"]);
    assert_eq!(store.anchors().len(), 2);
    assert_eq!(store.errors().len(), 1, "{:?}", store.errors());
    let err = &store.errors()[0];
    assert!(matches!(
        err.kind(),
        ErrorKind::TooManyCertificates { limit: 10_000 }
    ));
    assert_eq!(err.path(), Some(Path::new("/etc/ssl/certs/c.pem")));
    assert_eq!(
        err.to_string(),
        "/etc/ssl/certs/c.pem:1 (block 1): more than 10000 certificates: this one and the rest \
         were not read"
    );
    // Sightings stop at the limit too: the provenance lists do not grow past it.
    let sightings: usize = store.anchors().iter().map(|a| a.provenance().len()).sum();
    assert_eq!(sightings, 10_000);
}

#[test]
fn symlink_loop() {
    let tree = Tree::new("loop");
    tree.link("/etc/ssl/cert.pem", "/etc/ssl/loop.pem")
        .link("/etc/ssl/loop.pem", "/etc/ssl/cert.pem")
        .file("/etc/ssl/certs/ca-certificates.crt", &data("root_a.pem"));
    let store = tree.builder().build();
    assert_eq!(tls_names(&store), ["Root A"]);
    assert_eq!(store.errors().len(), 1, "{:?}", store.errors());
    assert!(store.errors()[0].to_string().contains("symbolic links"));
    // The same loop through the host's own resolution (no system root).
    let store = TrustStore::builder()
        .env_vars(EnvVars::none().with_ssl_cert_file(tree.path("/etc/ssl/cert.pem")))
        .build();
    assert_eq!(store.anchors().len(), 0);
    assert!(matches!(store.errors()[0].kind(), ErrorKind::Io(_)));
}

#[test]
fn a_directory_named_as_the_bundle_is_reported() {
    let tree = Tree::new("dir-as-file");
    tree.dir("/srv/certs")
        .file("/etc/ssl/cert.pem", &data("root_a.pem"));
    // SSL_CERT_FILE naming a directory: the caller's mistake, said once, with its path.
    let store = TrustStore::builder()
        .env_vars(EnvVars::none().with_ssl_cert_file(tree.path("/srv/certs")))
        .build();
    assert_eq!(store.anchors().len(), 0);
    assert_eq!(store.errors().len(), 1, "{:?}", store.errors());
    match store.errors()[0].kind() {
        ErrorKind::Io(err) => assert_eq!(err.kind(), std::io::ErrorKind::IsADirectory),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.errors()[0].path(),
        Some(tree.path("/srv/certs").as_path())
    );
    // A directory at a known bundle location is not an error: it is just not a bundle there.
    let tree = Tree::new("dir-at-bundle");
    tree.dir("/etc/ssl/cert.pem")
        .file("/etc/ssl/certs/ca-certificates.crt", &data("root_a.pem"));
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Root A"]);
}

#[test]
fn unreadable_directory() {
    let tree = Tree::new("unreadable");
    // A file where a directory should be: listing it fails, for root too.
    tree.file("/data/misc/user/0/cacerts-added", b"not a directory")
        .file("/etc/ssl/cert.pem", &data("root_a.pem"));
    let store = tree.builder().build();
    assert_eq!(tls_names(&store), ["Root A"]);
    assert_eq!(store.errors().len(), 1);
    assert!(matches!(store.errors()[0].kind(), ErrorKind::Io(_)));
    assert_eq!(
        store.errors()[0].path(),
        Some(Path::new("/data/misc/user/0/cacerts-added"))
    );
}

#[test]
fn directory_without_permission() {
    use std::os::unix::fs::PermissionsExt as _;

    let tree = Tree::new("noperm");
    tree.file("/etc/ssl/cert.pem", &data("root_a.pem"))
        .file("/system/etc/security/cacerts/b.0", &data("root_b.pem"));
    let dir = tree.path("/system/etc/security/cacerts");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o000)).unwrap();
    let privileged = fs::read_dir(&dir).is_ok();
    let store = tree.builder().build();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    if privileged {
        println!("SKIPPED: running with privileges that read a mode-000 directory");
        return;
    }
    assert_eq!(tls_names(&store), ["Root A"]);
    assert_eq!(store.errors().len(), 1);
    let message = store.errors()[0].to_string();
    assert!(
        message.starts_with("/system/etc/security/cacerts: cannot read: "),
        "{message}"
    );
}

#[test]
fn empty_bundle_and_duplicates() {
    let tree = Tree::new("empty");
    tree.file("/etc/ssl/cert.pem", b"").file(
        "/etc/ssl/certs/ca-certificates.crt",
        &cat(&["root_a.pem", "root_a.pem"]),
    );
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(all_names(&store), ["Root A"]);
    assert_eq!(store.anchors()[0].provenance().len(), 2);
    let counts: Vec<usize> = store.sources().iter().map(|s| s.certificates).collect();
    assert_eq!(counts, [2, 0]);
}

#[test]
fn distrust_by_public_key_and_trusted_reject() {
    let tree = Tree::new("distrust");
    tree.file(
        "/etc/ssl/cert.pem",
        &cat(&["root_a.pem", "root_b.pem", "root_c.pem"]),
    )
    .file("/etc/pki/trust/blacklist/c.key", &data("root_c_key.pem"))
    .file("/usr/local/share/cert.pem", &data("root_c_rejected.pem"));
    let store = tree.builder().build();
    no_errors(&store);
    assert_eq!(tls_names(&store), ["Root A", "Root B"]);
    assert_eq!(store.distrusted().len(), 2);
    assert!(store.distrusted().iter().all(|d| d.removed));
}

#[test]
fn explain_verdicts() {
    let tree = Tree::new("explain");
    tree.file(
        "/etc/ssl/cert.pem",
        &cat(&[
            "root_a.pem",
            "root_expired.pem",
            "root_email.pem",
            "root_c_rejected.pem",
        ]),
    );
    let store = tree.builder().build();
    let now = SystemTime::now();
    let verdict = |name: &str| store.explain(&data(name), now).unwrap().verdict;
    assert!(matches!(verdict("root_a.pem"), Verdict::Anchor(_)));
    assert!(matches!(verdict("leaf_a.pem"), Verdict::IssuedByAnchor(_)));
    assert!(matches!(verdict("root_expired.pem"), Verdict::Expired(_)));
    assert!(matches!(
        verdict("root_email.pem"),
        Verdict::RejectedPurpose(_)
    ));
    assert!(matches!(verdict("root_c.pem"), Verdict::Distrusted(_)));
    assert!(matches!(verdict("root_b.pem"), Verdict::Absent));
    // A chain, leaf first: the verdict is about its top.
    let chain = cat(&["leaf_a.pem", "root_a.pem"]);
    let explanation = store.explain(&chain, now).unwrap();
    assert!(explanation.is_trusted());
    assert!(
        explanation
            .to_string()
            .contains("trusted anchor, from /etc/ssl/cert.pem#1")
    );
    assert!(store.explain(b"garbage", now).is_err());
}

#[test]
fn cache_reloads_only_on_change() {
    let tree = Tree::new("cache");
    tree.file("/etc/ssl/cert.pem", &data("root_a.pem"));
    let cache = CachedTrustStore::new(tree.builder());
    let first = cache.get();
    assert!(Arc::ptr_eq(&first, &cache.get()));
    assert_eq!(tls_names(&first), ["Root A"]);
    // A new file where none was: a source appeared.
    tree.file("/etc/ssl/certs/ca-certificates.crt", &data("root_b.pem"));
    let second = cache.get();
    assert!(!Arc::ptr_eq(&first, &second));
    assert_eq!(tls_names(&second), ["Root A", "Root B"]);
    // Rewritten in place with a different size.
    tree.file("/etc/ssl/cert.pem", &cat(&["root_a.pem", "root_c.pem"]));
    let third = cache.get();
    assert_eq!(tls_names(&third), ["Root A", "Root B", "Root C"]);
    assert!(Arc::ptr_eq(&third, &cache.get()));
    // Only the modification time changes (what an edit of the same size looks like).
    let path = tree.path("/etc/ssl/cert.pem");
    let touched = fs::metadata(&path).unwrap().modified().unwrap() + Duration::from_secs(10);
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(touched)
        .unwrap();
    let fourth = cache.get();
    assert!(
        !Arc::ptr_eq(&third, &fourth),
        "an mtime change was not noticed"
    );
    assert!(Arc::ptr_eq(&fourth, &cache.get()));
    // Only the inode changes: a copy with the same size and time renamed over it (how
    // update-ca-certificates and editors replace files).
    let copy = tree.path("/etc/ssl/cert.pem.new");
    fs::copy(&path, &copy).unwrap();
    fs::File::options()
        .write(true)
        .open(&copy)
        .unwrap()
        .set_modified(touched)
        .unwrap();
    fs::rename(&copy, &path).unwrap();
    let fifth = cache.get();
    assert!(
        !Arc::ptr_eq(&fourth, &fifth),
        "an inode change was not noticed"
    );
    assert_eq!(tls_names(&fifth), ["Root A", "Root B", "Root C"]);
    assert!(Arc::ptr_eq(&fifth, &cache.get()));
}

#[test]
fn default_verify_paths_shape() {
    let paths = palisade_trust::default_verify_paths();
    assert_eq!(paths.openssl_cafile_env, "SSL_CERT_FILE");
    assert_eq!(paths.openssl_capath_env, "SSL_CERT_DIR");
}
