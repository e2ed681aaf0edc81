//! # Palisade
//!
//! The *non-handshake half* of a secure network stack. A TLS library does the handshake;
//! everything around it that a program also needs lives here, independent of any one TLS
//! backend so that it composes with rustls, OpenSSL and native-tls alike:
//!
//! | module | crate | what it does |
//! |---|---|---|
//! | [`trust`] | `palisade-trust` | the certificate authorities the operating system trusts, with where each came from and what it may be used for |
//! | [`digest`] | `palisade-digest` | Python's `hashlib`/`hmac`: hashes by name, HMAC, constant-time `compare_digest`, PBKDF2, scrypt |
//! | [`random`] | `palisade-random` | the OS CSPRNG with Python's `os.urandom` and `secrets` API |
//! | [`verify`] | `palisade-verify` | RFC 9525 service-identity checks: does this certificate name this host? |
//! | `tls` (features `rustls`, `openssl`) | this crate | one TLS client configuration for rustls and OpenSSL, built from the four above |
//!
//! Each crate can be used on its own; this facade only re-exports them under short paths.
//! The `palisade` command (package `palisade-cli`) puts them on the command line, and
//! `palisade doctor` reports what this machine offers a secure program.
//!
//! ## Why
//!
//! Python learned the hard way (PEP 466, PEP 476, PEP 543) that programs fail insecurely when
//! platform trust roots cannot be found, host names are not checked, comparisons leak timing
//! and randomness is weak, and that these pieces should be separate from the TLS backend.
//! Palisade brings those lessons to Rust.
//!
//! ## Quick start
//!
//! ```
//! use palisade::{digest, random, trust, verify};
//!
//! let store = trust::TrustStore::system(); // the OS's roots, each with its provenance
//! println!("{} TLS roots, {} errors", store.tls_anchors().count(), store.errors().len());
//! let sum = digest::digest(digest::Algorithm::Sha256, b"abc"); // hashlib.sha256(b"abc")
//! assert!(sum.to_string().starts_with("ba7816bf"));
//! let token = random::token_urlsafe(32)?; // secrets.token_urlsafe(32)
//! let host: verify::ServerName = "www.example.com".parse()?; // RFC 9525 name to check
//! # let _ = (token, host);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With the `rustls` or `openssl` feature, the `tls` module turns the same trust store into a
//! `rustls::ClientConfig` or an `openssl::ssl::SslConnector`.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

pub use palisade_digest as digest;
pub use palisade_random as random;
pub use palisade_trust as trust;
pub use palisade_verify as verify;

#[cfg(any(feature = "openssl", feature = "rustls"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "openssl", feature = "rustls"))))]
pub mod tls;
