//! The optional conversions and the compiled-in fallback (run with `--all-features`).
#![cfg(all(
    unix,
    any(feature = "rustls", feature = "openssl", feature = "webpki-roots")
))]
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use palisade_trust::TrustStore;

/// An image with two roots in Alpine's bundle, removed on drop.
struct Image(PathBuf);

impl Image {
    fn new(name: &str, with_roots: bool) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "palisade-trust-features-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("etc/ssl")).unwrap();
        if with_roots {
            let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
            let mut bundle = fs::read(data.join("root_a.pem")).unwrap();
            bundle.extend(fs::read(data.join("root_b.pem")).unwrap());
            fs::write(dir.join("etc/ssl/cert.pem"), bundle).unwrap();
        }
        Self(dir)
    }
}

impl Drop for Image {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[cfg(feature = "rustls")]
#[test]
fn rustls_root_store() {
    let image = Image::new("rustls", true);
    let store = TrustStore::builder().sysroot(&image.0).build();
    let (roots, ignored) = store.to_rustls_root_store();
    assert_eq!((roots.len(), ignored), (2, 0));
}

#[cfg(feature = "openssl")]
#[test]
fn openssl_store() {
    let image = Image::new("openssl", true);
    let store = TrustStore::builder().sysroot(&image.0).build();
    let x509 = store.to_openssl_store().unwrap();
    assert_eq!(x509.all_certificates().len(), 2);
}

#[cfg(feature = "webpki-roots")]
#[test]
fn webpki_roots_fallback() {
    use palisade_trust::{Fallback, Provenance};

    let empty = Image::new("empty", false);
    let store = TrustStore::builder()
        .sysroot(&empty.0)
        .fallback(Fallback::WhenEmpty)
        .build();
    assert!(store.fallback_used());
    assert!(store.tls_anchors().count() > 100);
    assert_eq!(store.anchors()[0].provenance(), [Provenance::WebpkiRoots]);
    assert!(store.errors().is_empty(), "{:?}", store.errors());

    let full = Image::new("full", true);
    let store = TrustStore::builder()
        .sysroot(&full.0)
        .fallback(Fallback::WhenEmpty)
        .build();
    assert!(!store.fallback_used());
    assert_eq!(store.anchors().len(), 2);
    let store = TrustStore::builder()
        .sysroot(&full.0)
        .fallback(Fallback::Merge)
        .build();
    assert!(store.fallback_used());
    assert!(store.anchors().len() > 100);
}
