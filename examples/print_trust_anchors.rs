//! Prints the TLS trust anchors of this system, one a line, then every error.
//!
//! `cargo run --example print_trust_anchors`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::error::Error;

use palisade::trust::TrustStore;

fn main() -> Result<(), Box<dyn Error>> {
    let store = TrustStore::system();
    for anchor in store.tls_anchors() {
        println!(
            "{}  {}  {}",
            &anchor.fingerprint_hex()[..16],
            anchor.subject(),
            anchor.provenance()[0]
        );
    }
    for err in store.errors() {
        eprintln!("error: {err}");
    }
    eprintln!(
        "{} TLS anchors from {} sources",
        store.tls_anchors().count(),
        store.sources().len()
    );
    Ok(())
}
