//! The directory and store readers: the input describes a tree of files and symbolic links
//! under a temporary system root (hashed directories, bundles, blocklists, Android stores,
//! `SSL_CERT_FILE`/`SSL_CERT_DIR`); loading it never panics, never reads outside the root,
//! and every anchor and error is well-formed.
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

/// The parent of every tree; each input gets a fresh `tree` directory inside it.
fn base() -> &'static PathBuf {
    static BASE: OnceLock<PathBuf> = OnceLock::new();
    BASE.get_or_init(|| {
        std::env::temp_dir().join(format!("palisade-fuzz-tree-{}", std::process::id()))
    })
}

fn name(byte: u8) -> String {
    match byte % 8 {
        // OpenSSL's hashed names, with collisions (`.0`, `.1`).
        0..=3 => format!("{:08x}.{}", u32::from(byte / 8).wrapping_mul(0x1111_1111), byte % 4),
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
                let target: String = String::from_utf8_lossy(contents).chars().take(200).collect();
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
    for anchor in store.anchors() {
        assert!(store.find(anchor.der()).is_some());
        for provenance in anchor.provenance() {
            if let Some(path) = provenance.path() {
                // Paths are reported as the system sees them, never as host paths outside.
                assert!(!path.starts_with(base()) || path.starts_with(&root), "{path:?}");
            }
        }
    }
    for err in store.errors() {
        assert!(!err.to_string().is_empty());
    }
    for source in store.sources() {
        let _ = format!("{source:?}");
    }
});
