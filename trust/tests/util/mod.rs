//! What the fixture tests share: throw-away system roots and the test certificates.
#![allow(dead_code, clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use palisade_trust::{Builder, TrustStore, openssl_name_hash};

/// A fresh directory under the system's temporary directory, removed on drop.
pub(crate) struct Tree(pub(crate) PathBuf);

impl Tree {
    pub(crate) fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("palisade-trust-{name}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel.trim_start_matches('/'))
    }

    /// Writes `contents` at `rel` (an absolute path inside the tree).
    pub(crate) fn file(&self, rel: &str, contents: &[u8]) -> &Self {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    /// A symbolic link at `rel` whose target is written as given (absolute targets point
    /// inside the tree only when read through the system root).
    pub(crate) fn link(&self, rel: &str, target: &str) -> &Self {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, path).unwrap();
        self
    }

    pub(crate) fn dir(&self, rel: &str) -> &Self {
        fs::create_dir_all(self.path(rel)).unwrap();
        self
    }

    pub(crate) fn builder(&self) -> Builder {
        TrustStore::builder().sysroot(&self.0)
    }
}

/// Loads `bundle` as the only bundle (Alpine's `/etc/ssl/cert.pem`) of a fresh system root.
pub(crate) fn load_bundle(bundle: &[u8]) -> TrustStore {
    let tree = Tree::new("bundle");
    tree.file("/etc/ssl/cert.pem", bundle);
    tree.builder().build()
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn data(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

pub(crate) fn cat(names: &[&str]) -> Vec<u8> {
    names.iter().flat_map(|n| data(n)).collect()
}

/// The common names of the TLS anchors, sorted.
pub(crate) fn tls_names(store: &TrustStore) -> Vec<String> {
    let mut names: Vec<String> = store.tls_anchors().map(|a| cn(a.subject())).collect();
    names.sort();
    names
}

pub(crate) fn all_names(store: &TrustStore) -> Vec<String> {
    let mut names: Vec<String> = store.anchors().iter().map(|a| cn(a.subject())).collect();
    names.sort();
    names
}

pub(crate) fn cn(subject: &str) -> String {
    subject
        .rsplit("CN=")
        .next()
        .unwrap()
        .replace("Palisade Test ", "")
}

pub(crate) fn no_errors(store: &TrustStore) {
    let errors: Vec<String> = store.errors().iter().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
}

pub(crate) fn hash_name(pem_file: &str) -> String {
    let der = palisade_trust::pem_to_der(std::str::from_utf8(&data(pem_file)).unwrap()).unwrap();
    let store = TrustStore::builder().sysroot("/nonexistent").build();
    drop(store);
    let anchor_store = {
        let tree = Tree::new("hash");
        tree.file(
            "/etc/ssl/cert.pem",
            &palisade_trust::der_to_pem(&der).into_bytes(),
        );
        tree.builder().build()
    };
    let anchor = &anchor_store.anchors()[0];
    format!("{:08x}.0", openssl_name_hash(anchor.subject_der()).unwrap())
}
