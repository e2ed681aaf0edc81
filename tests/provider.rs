//! `palisade::tls` follows the rustls crypto provider a program chose: an explicit one first,
//! else the process default, else the features' own. A test binary of its own, because
//! `CryptoProvider::install_default` holds for the whole process.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "s_server.rs"]
#[allow(dead_code, unreachable_pub)]
mod s_server;
#[path = "tls_fixture.rs"]
#[allow(dead_code, unreachable_pub)]
mod tls_fixture;

use std::sync::Arc;
use std::time::SystemTime;

use palisade::tls::{
    ClientConfig, PalisadeVerifier, TrustSource, VerifyError, verify_server_chain,
};
use palisade::trust::{EnvVars, TrustStore};
use palisade::verify::ServerName;
#[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
use rustls::client::danger::ServerCertVerifier;
#[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
#[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
use rustls::pki_types::{ServerName as RustlsName, UnixTime};

use tls_fixture::Pki;

/// A provider that can verify no signature at all: whoever checks a chain with it refuses it.
#[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
static NO_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[],
    mapping: &[],
};

/// The test PKI, a store holding only its root, the leaf's chain and the leaf's name.
fn fixture() -> (
    Pki,
    Arc<TrustStore>,
    Vec<CertificateDer<'static>>,
    ServerName,
) {
    let pki = Pki::new();
    let store = Arc::new(
        TrustStore::builder()
            .env_vars(EnvVars::none().with_ssl_cert_file(&pki.ca))
            .build(),
    );
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&pki.chain)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    (pki, store, chain, name)
}

/// The provider the crate's features name (aws-lc-rs by default, ring with `ring` alone).
#[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
fn features_provider() -> CryptoProvider {
    #[cfg(feature = "aws-lc-rs")]
    return rustls::crypto::aws_lc_rs::default_provider();
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    return rustls::crypto::ring::default_provider();
}

/// Built with `rustls` and neither provider feature, and nothing installed: errors that say
/// what to do, where rustls's own `ClientConfig::builder()` would panic.
#[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
#[test]
fn without_a_provider_every_entry_point_is_an_error() {
    use palisade::tls::Error;

    let (_pki, store, chain, name) = fixture();
    let config = ClientConfig::new(name.clone()).with_trust(TrustSource::Store(Arc::clone(&store)));
    let err = config.to_rustls().unwrap_err();
    assert!(matches!(err, Error::NoCryptoProvider), "{err:?}");
    assert!(
        err.to_string().contains("aws-lc-rs or ring feature"),
        "{err}"
    );
    assert!(matches!(
        PalisadeVerifier::new(Arc::clone(&store)),
        Err(Error::NoCryptoProvider)
    ));
    assert!(matches!(
        verify_server_chain(&chain, &store, &name, SystemTime::now()),
        Err(VerifyError::NoCryptoProvider)
    ));
}

// One test: the steps depend on the order in which the process default is installed.
#[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
#[test]
fn explicit_then_installed_then_features() {
    let (_pki, store, chain, name) = fixture();
    let config = ClientConfig::new(name.clone()).with_trust(TrustSource::Store(Arc::clone(&store)));

    // Nothing installed: the features' provider, for the handshake and for the chain.
    assert!(CryptoProvider::get_default().is_none());
    verify_server_chain(&chain, &store, &name, SystemTime::now()).unwrap();
    let built = config.to_rustls().unwrap();
    assert_eq!(
        built.crypto_provider().cipher_suites.len(),
        features_provider().cipher_suites.len()
    );

    // The program installs a default that verifies nothing and offers one suite: both the
    // configuration and the chain check follow it.
    let mut installed = features_provider();
    installed.cipher_suites.truncate(1);
    installed.signature_verification_algorithms = NO_ALGORITHMS;
    installed.install_default().unwrap();
    let default = CryptoProvider::get_default().unwrap();
    let built = config.to_rustls().unwrap();
    assert!(Arc::ptr_eq(built.crypto_provider(), default));
    let err = verify_server_chain(&chain, &store, &name, SystemTime::now()).unwrap_err();
    assert!(
        matches!(&err, VerifyError::Chain { reason } if reason.contains("UnsupportedSignatureAlgorithm")),
        "{err:?}"
    );
    let verifier = PalisadeVerifier::new(Arc::clone(&store)).unwrap();
    assert!(Arc::ptr_eq(verifier.provider(), default));
    let check = |verifier: &PalisadeVerifier| {
        let host = RustlsName::try_from("localhost").unwrap();
        verifier.verify_server_cert(&chain[0], &chain[1..], &host, &[], UnixTime::now())
    };
    let refused = check(&verifier).unwrap_err();
    assert!(PalisadeVerifier::reason(&refused).is_some(), "{refused:?}");

    // Cipher suites asked for are taken from the installed provider: a clone of it, not the
    // features' provider.
    // rustls names TLS 1.3 suites TLS13_*, IANA TLS_*.
    let suite = default.cipher_suites[0]
        .suite()
        .as_str()
        .unwrap()
        .replacen("TLS13_", "TLS_", 1);
    let narrowed = config
        .clone()
        .with_cipher_suites([suite])
        .unwrap()
        .to_rustls()
        .unwrap();
    assert!(!Arc::ptr_eq(narrowed.crypto_provider(), default));
    assert_eq!(
        narrowed
            .crypto_provider()
            .signature_verification_algorithms
            .all
            .len(),
        0
    );

    // An explicit provider wins over the installed one.
    let explicit = Arc::new(features_provider());
    let built = config
        .clone()
        .with_crypto_provider(Arc::clone(&explicit))
        .to_rustls()
        .unwrap();
    assert!(Arc::ptr_eq(built.crypto_provider(), &explicit));
    let verifier = PalisadeVerifier::with_provider(Arc::clone(&store), Arc::clone(&explicit));
    assert!(Arc::ptr_eq(verifier.provider(), &explicit));
    check(&verifier).unwrap();
}
