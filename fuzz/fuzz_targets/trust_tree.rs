//! The directory and store readers: the input describes a tree of files and symbolic links
//! under a temporary system root (hashed directories, bundles, blocklists, Android stores,
//! `SSL_CERT_FILE`/`SSL_CERT_DIR`); loading it never panics, never reads outside the root
//! (a canary certificate planted beside the root is never found), and every anchor and error
//! is well-formed.
//!
//! Input format: byte 0 chooses options; then records separated by NUL bytes (so contents are text: PEM,
//! names, link targets), each one
//! `[place][name][kind] contents...`: `place` picks one of the directories below, `name` the
//! file name (hashed `xxxxxxxx.N` names or plain ones), `kind` a regular file or a symbolic
//! link whose target is the contents (a path, possibly absolute or with `..`).
#![no_main]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use palisade_trust::{DirectoryScan, EnvMode, EnvVars, TrustStore};

const PLACES: &[&str] = &[
    "etc/ssl/certs",
    "etc/pki/ca-trust/extracted/pem",
    "etc/pki/ca-trust/source/blocklist",
    "system/etc/security/cacerts",
    "data/misc/user/0/cacerts-removed",
    "etc/ssl",
    "env",
    "usr/share/certs/trusted",
];

/// A certificate that no seed holds, planted outside the system root: if loading ever
/// resolved a path or a link out of the root, it would be found.
const CANARY: &[u8] = include_bytes!("../../trust/tests/data/root_expired.pem");

/// The parent of every tree; each input gets a fresh `tree` directory inside it. The canary
/// sits beside the tree, where `..` or an absolute link would lead if it escaped: as a bundle
/// at a system path, in a hashed directory, and at the top.
fn base() -> &'static PathBuf {
    static BASE: OnceLock<PathBuf> = OnceLock::new();
    BASE.get_or_init(|| {
        let base = std::env::temp_dir().join(format!("palisade-fuzz-tree-{}", std::process::id()));
        for path in ["etc/ssl/cert.pem", "etc/ssl/certs/00000000.0", "canary.pem"] {
            let path = base.join(path);
            fs::create_dir_all(path.parent().expect("has a parent")).expect("temporary directory");
            fs::write(path, CANARY).expect("write canary");
        }
        base
    })
}

fn canary_der() -> &'static [u8] {
    static DER: OnceLock<Vec<u8>> = OnceLock::new();
    DER.get_or_init(|| {
        palisade_trust::pem_to_der(std::str::from_utf8(CANARY).expect("PEM is text"))
            .expect("canary is a certificate")
    })
}

fn name(byte: u8) -> String {
    match byte % 8 {
        // OpenSSL's hashed names, with collisions (`.0`, `.1`).
        0..=3 => format!(
            "{:08x}.{}",
            u32::from(byte / 8).wrapping_mul(0x1111_1111),
            byte % 4
        ),
        4 => "ca-certificates.crt".to_owned(),
        5 => "tls-ca-bundle.pem".to_owned(),
        6 => format!("cert{byte}.pem"),
        _ => format!("sub{byte}"),
    }
}

fn build(root: &Path, data: &[u8]) {
    for record in data.split(|&b| b == 0).filter(|r| r.len() >= 3) {
        let dir = root.join(PLACES[usize::from(record[0]) % PLACES.len()]);
        let path = dir.join(name(record[1]));
        let contents = &record[3..];
        let _ = fs::create_dir_all(&dir);
        match record[2] % 4 {
            0 => {
                // A symbolic link: the target may be absolute, relative, a loop or missing.
                let target: String = String::from_utf8_lossy(contents)
                    .chars()
                    .take(200)
                    .collect();
                if !target.is_empty() {
                    let _ = symlink(target, &path);
                }
            }
            1 => {
                let _ = fs::create_dir_all(&path);
            }
            _ => {
                let _ = fs::write(&path, contents);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&options, rest)) = data.split_first() else {
        return;
    };
    let root = base().join("tree");
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).expect("temporary directory");
    build(&root, rest);
    let mut env = EnvVars::none();
    if options & 1 != 0 {
        env = env.with_ssl_cert_file("/env/ca-certificates.crt");
    }
    if options & 2 != 0 {
        env = env.with_ssl_cert_dir("/env:/etc/ssl/certs:/missing");
    }
    let scan = if options & 4 != 0 {
        DirectoryScan::Always
    } else {
        DirectoryScan::Auto
    };
    let mode = if options & 8 != 0 {
        EnvMode::Add
    } else {
        EnvMode::Replace
    };
    let store = TrustStore::builder()
        .sysroot(&root)
        .env_vars(env)
        .env_mode(mode)
        .directory_scan(scan)
        .build();
    // Nothing outside the root was read, unless the input itself holds the canary's text.
    // (Its sixth base64 line, inside the public key, is part of any copy that loads.)
    let needle = CANARY.split(|&b| b == b'\n').nth(6).expect("PEM has lines");
    let canary_in_input = data.windows(needle.len()).any(|w| w == needle);
    if !canary_in_input {
        assert!(store.find(canary_der()).is_none(), "read outside the root");
    }
    for anchor in store.anchors() {
        assert!(store.find(anchor.der()).is_some());
    }
    for err in store.errors() {
        assert!(!err.to_string().is_empty());
    }
    for source in store.sources() {
        let _ = format!("{source:?}");
    }
});
