//! The one integration-test binary of the facade: cross-crate tests, one module per area.
//!
//! Tests of the `palisade` binary itself live in `cli/tests/`, where Cargo provides
//! `CARGO_BIN_EXE_palisade`.
#![allow(clippy::unwrap_used)]

// palisade::tls against `openssl s_server` on 127.0.0.1: both backends, every failure kind.
#[cfg(feature = "rustls")]
mod s_server;
#[cfg(feature = "rustls")]
mod tls;
#[cfg(feature = "rustls")]
mod tls_fixture;
// palisade::tls::ChainVerifier's inputs, and against `openssl verify`.
#[cfg(feature = "rustls")]
mod verifier;
// palisade::verify through the facade: certificates from verify/tests/data/certs.
mod verify;
// The facade re-exports palisade-trust under its short name.
mod trust {
    use palisade::trust::{EnvVars, TrustStore};

    #[test]
    fn facade_reaches_the_trust_store() {
        let store = TrustStore::builder()
            .sysroot("/nonexistent-palisade-root")
            .env_vars(EnvVars::none())
            .build();
        assert_eq!(store.anchors().len(), 0);
        // A sysroot that does not exist is an error, not an image that trusts nothing.
        assert_eq!(store.errors().len(), 1, "{:?}", store.errors());
        assert!(
            store.errors()[0]
                .to_string()
                .starts_with("/nonexistent-palisade-root: "),
            "{}",
            store.errors()[0]
        );
        assert_eq!(
            store.root(),
            std::path::Path::new("/nonexistent-palisade-root")
        );
    }
}
