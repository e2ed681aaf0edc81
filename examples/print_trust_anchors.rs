//! Prints the TLS trust anchors of this system, one a line, then every error.
//!
//! `cargo run --example print_trust_anchors`
#![allow(clippy::print_stderr)]

use std::error::Error;
use std::io::{self, Write};

use palisade::trust::TrustStore;

fn main() -> Result<(), Box<dyn Error>> {
    let store = TrustStore::system();
    let mut out = io::stdout().lock();
    for anchor in store.tls_anchors() {
        let line = writeln!(
            out,
            "{}  {}  {}",
            &anchor.fingerprint_hex()[..16],
            anchor.subject(),
            anchor.provenance()[0]
        );
        match line {
            // `print_trust_anchors | head`: the reader has seen enough.
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
            other => other?,
        }
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
