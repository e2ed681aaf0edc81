//! Bundle loading: any bytes as a bundle file (PEM with `CERTIFICATE`, `TRUSTED CERTIFICATE`
//! and `PUBLIC KEY` blocks, or one DER certificate) load into anchors and errors, never a
//! panic; every anchor is findable by its DER and every error renders.
#![no_main]

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use palisade_trust::TrustStore;

/// One system root per fuzzing process, holding only the bundle.
fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("palisade-fuzz-bundle-{}", std::process::id()));
        fs::create_dir_all(dir.join("etc/ssl/certs")).expect("temporary directory");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let root = root();
    // A system bundle path, so that the loader treats the file as the distribution's store.
    fs::write(root.join("etc/ssl/certs/ca-certificates.crt"), data).expect("write bundle");
    let store = TrustStore::builder().sysroot(root).build();
    // Anchors need at least one BEGIN line each, or a whole DER file.
    let blocks = data.windows(11).filter(|w| w == b"-----BEGIN ").count();
    assert!(store.anchors().len() <= blocks.max(1));
    for anchor in store.anchors() {
        let der = anchor.der();
        assert!(store.find(der).is_some());
        let _ = anchor.subject();
    }
    for err in store.errors() {
        assert!(!err.to_string().is_empty());
    }
    for d in store.distrusted() {
        let _ = format!("{d:?}");
    }
});
