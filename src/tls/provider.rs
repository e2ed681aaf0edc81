//! Which crypto library checks signatures and runs the handshake.
//!
//! The rule is rustls's own and the one rustls-platform-verifier and hyper-rustls follow: an
//! explicit `Arc<CryptoProvider>` (`ClientConfig::with_crypto_provider`,
//! `PalisadeVerifier::with_provider`) first; else the process-default provider when the program
//! installed one (`CryptoProvider::install_default`); else the provider this crate's features
//! name: `aws-lc-rs` (a default feature), or `ring`. With both features and nothing installed,
//! aws-lc-rs is chosen (rustls itself refuses to guess in that case; we document the choice
//! instead). With neither, and nothing installed, building a configuration is
//! [`Error::NoCryptoProvider`](crate::tls::Error::NoCryptoProvider), never a panic.
//!
//! [`verify_server_chain`](crate::tls::verify_server_chain) follows the same rule, so a chain
//! is checked with the signature algorithms of the provider its handshake used.

use rustls_pki_types::SignatureVerificationAlgorithm;

/// Signature-verification algorithms, as rustls-webpki takes them.
pub(crate) type Algorithms = &'static [&'static dyn SignatureVerificationAlgorithm];

// The OpenSSL backend alone has no process-default provider to fall back on: without a
// compiled-in one, `verify_server_chain` could check no signature at all.
#[cfg(all(
    feature = "openssl",
    not(feature = "rustls"),
    not(feature = "aws-lc-rs"),
    not(feature = "ring")
))]
compile_error!(
    "palisade's `openssl` feature needs a signature-verification provider for \
     `verify_server_chain`: enable the `aws-lc-rs` (default) or `ring` feature"
);

/// The provider the features name, when no other is given or installed.
#[cfg(feature = "rustls")]
pub(crate) fn from_features() -> Option<rustls::crypto::CryptoProvider> {
    #[cfg(feature = "aws-lc-rs")]
    return Some(rustls::crypto::aws_lc_rs::default_provider());
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    return Some(rustls::crypto::ring::default_provider());
    #[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
    None
}

/// The provider to use when none was given: the process default, else [`from_features`].
#[cfg(feature = "rustls")]
pub(crate) fn resolve() -> Option<std::sync::Arc<rustls::crypto::CryptoProvider>> {
    rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .or_else(|| from_features().map(std::sync::Arc::new))
}

/// The signature algorithms to check a chain with when no provider was given.
pub(crate) fn default_algorithms() -> Option<Algorithms> {
    #[cfg(feature = "rustls")]
    {
        if let Some(installed) = rustls::crypto::CryptoProvider::get_default() {
            return Some(installed.signature_verification_algorithms.all);
        }
    }
    compiled_in()
}

/// rustls-webpki's algorithms for the provider the features name (aws-lc-rs before ring).
fn compiled_in() -> Option<Algorithms> {
    #[cfg(feature = "aws-lc-rs")]
    return Some(AWS_LC_RS);
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    return Some(RING);
    #[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
    None
}

/// What rustls's aws-lc-rs provider verifies (its `SUPPORTED_SIG_ALGS.all`), from rustls-webpki,
/// so that the OpenSSL-only build checks the same algorithms as the rustls one.
#[cfg(feature = "aws-lc-rs")]
static AWS_LC_RS: Algorithms = &[
    webpki::aws_lc_rs::ECDSA_P256_SHA256,
    webpki::aws_lc_rs::ECDSA_P256_SHA384,
    webpki::aws_lc_rs::ECDSA_P256_SHA512,
    webpki::aws_lc_rs::ECDSA_P384_SHA256,
    webpki::aws_lc_rs::ECDSA_P384_SHA384,
    webpki::aws_lc_rs::ECDSA_P384_SHA512,
    webpki::aws_lc_rs::ECDSA_P521_SHA256,
    webpki::aws_lc_rs::ECDSA_P521_SHA384,
    webpki::aws_lc_rs::ECDSA_P521_SHA512,
    webpki::aws_lc_rs::ED25519,
    webpki::aws_lc_rs::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    webpki::aws_lc_rs::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
    webpki::aws_lc_rs::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
    webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256,
    webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA384,
    webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA512,
    webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
    webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
    webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    webpki::aws_lc_rs::ML_DSA_44,
    webpki::aws_lc_rs::ML_DSA_65,
    webpki::aws_lc_rs::ML_DSA_87,
];

/// What rustls's ring provider verifies (its `SUPPORTED_SIG_ALGS.all`), from rustls-webpki.
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
static RING: Algorithms = &[
    webpki::ring::ECDSA_P256_SHA256,
    webpki::ring::ECDSA_P256_SHA384,
    webpki::ring::ECDSA_P384_SHA256,
    webpki::ring::ECDSA_P384_SHA384,
    webpki::ring::ED25519,
    webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    webpki::ring::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
    webpki::ring::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
    webpki::ring::RSA_PKCS1_2048_8192_SHA256,
    webpki::ring::RSA_PKCS1_2048_8192_SHA384,
    webpki::ring::RSA_PKCS1_2048_8192_SHA512,
    webpki::ring::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
    webpki::ring::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
    webpki::ring::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
];

#[cfg(all(test, feature = "rustls"))]
mod tests {
    use super::*;

    /// The lists above are the compiled-in provider's, algorithm for algorithm: the OpenSSL-only
    /// build must check what the rustls build checks.
    #[test]
    fn compiled_in_matches_the_rustls_provider() {
        let (Some(ours), Some(provider)) = (compiled_in(), from_features()) else {
            return;
        };
        let ids = |algs: Algorithms| {
            algs.iter()
                .map(|a| (a.public_key_alg_id(), a.signature_alg_id()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(ours),
            ids(provider.signature_verification_algorithms.all)
        );
    }
}
