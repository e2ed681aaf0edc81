//! Hashes files like `sha256sum` (or any algorithm by its Python or OpenSSL name), streaming
//! each one through `palisade::digest::file_digest`.
//!
//!     cargo run --example hash_file -- FILE...
//!     cargo run --example hash_file -- --algorithm sha3_256 FILE...
// An example prints its result.
#![allow(clippy::print_stdout)]

use std::error::Error;
use std::fs::File;

use palisade::digest::{Algorithm, file_digest};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1).peekable();
    let algorithm: Algorithm = if args.peek().map(String::as_str) == Some("--algorithm") {
        args.next();
        args.next().ok_or("--algorithm needs a name")?.parse()?
    } else {
        Algorithm::Sha256
    };
    for path in args {
        let file = File::open(&path).map_err(|e| format!("{path}: {e}"))?;
        let digest = file_digest(algorithm, file).map_err(|e| format!("{path}: {e}"))?;
        // `sha256sum`'s format: the hex digest, two spaces, the name.
        println!("{digest}  {path}");
    }
    Ok(())
}
