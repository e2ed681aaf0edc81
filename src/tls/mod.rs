//! One TLS client configuration for any backend (PEP 543's `TLSConfiguration`, in Rust terms).
//!
//! A [`ClientConfig`] says once what a TLS client needs: where its trust comes from, the
//! server's name, ALPN protocols, the protocol versions and cipher suites, and an optional
//! client certificate. `ClientConfig::to_rustls` (feature `rustls`) and
//! `ClientConfig::to_openssl` (feature `openssl`) hand it to a backend. A setting the backend
//! cannot honour (a cipher suite it lacks, a maximum version below the minimum) is an
//! [`Error`], never a silent downgrade.
//!
//! Both backends check the chain against Palisade's trust anchors and the name with
//! [`palisade_verify`](crate::verify), so the reasons for a rejection are the same
//! ([`VerifyError`]): the names the certificate presents, the untrusted issuer with the
//! sources of the roots that were tried, the expiry date, the wrong purpose.
//! [`verify_server_chain`] does the same for callers who do the handshake themselves.
//! [`ChainVerifier`] takes every input of that check: the time, a name or none (the chain
//! alone), the purpose ([`Purpose`]), certificate revocation lists and a maximum depth.
//!
//! | | rustls (aws-lc-rs or ring provider) | OpenSSL |
//! |---|---|---|
//! | versions | TLS 1.2, TLS 1.3 | TLS 1.2, TLS 1.3 |
//! | TLS 1.3 suites | AES-GCM, ChaCha20-Poly1305 | all five (CCM too) |
//! | TLS 1.2 suites | ECDHE with AES-GCM or ChaCha20-Poly1305 | those, and RSA/DHE key exchange with AES-GCM |
//! | chain building | rustls-webpki | OpenSSL's `X509_verify_cert` over an `X509Store` of our anchors |
//! | name check | palisade-verify | palisade-verify, in the verify callback |
//! | crypto | the process-default `CryptoProvider`, else the features' (`aws-lc-rs`, `ring`), or one given | OpenSSL's |
//!
//! # Crypto providers
//!
//! The rustls backend uses the crypto provider a rustls program expects, in this order: one
//! given to [`ClientConfig::with_crypto_provider`]; the process default, if the program
//! installed one with `rustls::crypto::CryptoProvider::install_default`; the one this crate's
//! features name (`aws-lc-rs`, a default feature, or `ring`; aws-lc-rs when both are on).
//! Handshake and chain verification use the same provider. A build with
//! `default-features = false, features = ["rustls", "ring"]` compiles no aws-lc at all.
//!
//! # Examples
//!
//! ```
//! use palisade::tls::{ClientConfig, TlsVersion, TrustSource};
//! use palisade::verify::ServerName;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let config = ClientConfig::new(ServerName::try_from("example.com")?)
//!     .with_trust(TrustSource::System)
//!     .with_alpn(["h2", "http/1.1"])
//!     .with_versions(TlsVersion::Tls13, TlsVersion::Tls13)
//!     .with_cipher_suites(["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"])?;
//! # #[cfg(feature = "rustls")]
//! let for_rustls = config.to_rustls()?;
//! # #[cfg(feature = "openssl")]
//! let for_openssl = config.to_openssl()?;
//! # Ok(())
//! # }
//! ```

mod chain;
mod error;
#[cfg(feature = "openssl")]
mod openssl;
mod provider;
#[cfg(feature = "rustls")]
mod rustls;
mod suites;
mod verifier;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use palisade_trust::{EnvVars, TrustStore};
use palisade_verify::ServerName;

pub use chain::{ChainCertificate, VerifiedChain, verify_server_chain};
pub use error::{Error, VerifyError};
#[cfg(feature = "rustls")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustls")))]
pub use rustls::PalisadeVerifier;
pub use suites::CipherSuite;
pub use verifier::{ChainVerifier, Purpose, PurposeError};

/// A TLS client's settings, for any backend.
///
/// Starts from safe defaults: the system's trust store, TLS 1.2 to 1.3, the backend's own
/// cipher-suite order, no ALPN, no client certificate.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    trust: TrustSource,
    server_name: ServerName,
    alpn: Vec<Vec<u8>>,
    min_version: TlsVersion,
    max_version: TlsVersion,
    cipher_suites: Vec<CipherSuite>,
    client_auth: Option<ClientAuth>,
    /// The provider given to `with_crypto_provider` (None: the default rule of `provider.rs`).
    #[cfg(feature = "rustls")]
    crypto_provider: Option<Arc<::rustls::crypto::CryptoProvider>>,
}

impl ClientConfig {
    /// A configuration for connecting to `server_name`, with the defaults above.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade::tls::{ClientConfig, TlsVersion};
    ///
    /// # fn main() -> Result<(), palisade::verify::InvalidServerName> {
    /// let config = ClientConfig::new("example.com".parse()?);
    /// assert_eq!(config.versions(), (TlsVersion::Tls12, TlsVersion::Tls13));
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(server_name: ServerName) -> Self {
        Self {
            trust: TrustSource::System,
            server_name,
            alpn: Vec::new(),
            min_version: TlsVersion::Tls12,
            max_version: TlsVersion::Tls13,
            cipher_suites: Vec::new(),
            client_auth: None,
            #[cfg(feature = "rustls")]
            crypto_provider: None,
        }
    }

    /// Where the trusted certificate authorities come from.
    pub fn with_trust(mut self, trust: TrustSource) -> Self {
        self.trust = trust;
        self
    }

    /// The ALPN protocols to offer, most preferred first (`"h2"`, `"http/1.1"`).
    pub fn with_alpn<I, P>(mut self, protocols: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        self.alpn = protocols.into_iter().map(|p| p.as_ref().to_vec()).collect();
        self
    }

    /// The lowest and highest protocol versions to negotiate. A maximum below the minimum is
    /// reported by `to_rustls`/`to_openssl` as [`Error::VersionRange`].
    pub fn with_versions(mut self, min: TlsVersion, max: TlsVersion) -> Self {
        self.min_version = min;
        self.max_version = max;
        self
    }

    /// The cipher suites to offer, by IANA name, most preferred first. An empty list keeps the
    /// backend's defaults.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownCipherSuite`] for a name that is not a known AEAD suite.
    pub fn with_cipher_suites<I, S>(mut self, names: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.cipher_suites = names
            .into_iter()
            .map(|name| CipherSuite::try_from(name.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(self)
    }

    /// A client certificate chain and its private key, both PEM files, read when the backend
    /// configuration is built.
    pub fn with_client_auth(mut self, chain: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.client_auth = Some(ClientAuth {
            chain: chain.into(),
            key: key.into(),
        });
        self
    }

    /// The server's name, which the certificate must present.
    pub fn server_name(&self) -> &ServerName {
        &self.server_name
    }

    /// The trust source.
    pub fn trust(&self) -> &TrustSource {
        &self.trust
    }

    /// The ALPN protocols offered.
    pub fn alpn(&self) -> &[Vec<u8>] {
        &self.alpn
    }

    /// The lowest and highest protocol versions.
    pub fn versions(&self) -> (TlsVersion, TlsVersion) {
        (self.min_version, self.max_version)
    }

    /// The cipher suites asked for (empty: the backend's defaults).
    pub fn cipher_suites(&self) -> &[CipherSuite] {
        &self.cipher_suites
    }

    /// Loads the trust source.
    ///
    /// # Errors
    ///
    /// [`Error::Trust`] when a file named by [`TrustSource::PemFile`] or
    /// [`TrustSource::SystemPlus`] cannot be read or holds a bad block;
    /// [`Error::NoTrustAnchors`] when no TLS root is left.
    pub fn load_trust(&self) -> Result<Arc<TrustStore>, Error> {
        self.trust.load()
    }

    /// The checks shared by every backend.
    fn validate(&self) -> Result<(), Error> {
        if self.max_version < self.min_version {
            return Err(Error::VersionRange {
                min: self.min_version,
                max: self.max_version,
            });
        }
        if !self.cipher_suites.is_empty()
            && !self
                .cipher_suites
                .iter()
                .any(|s| (self.min_version..=self.max_version).contains(&s.version()))
        {
            return Err(Error::NoSuiteForVersions {
                min: self.min_version,
                max: self.max_version,
            });
        }
        Ok(())
    }

    /// The versions that will be offered: the configured range, narrowed to the versions of
    /// the chosen cipher suites (TLS 1.3 suites alone mean TLS 1.3 only, never TLS 1.2 with
    /// the backend's default suites). Call after [`ClientConfig::validate`].
    fn effective_versions(&self) -> (TlsVersion, TlsVersion) {
        let mut in_range = self
            .cipher_suites
            .iter()
            .map(|s| s.version())
            .filter(|v| (self.min_version..=self.max_version).contains(v));
        let Some(first) = in_range.next() else {
            return (self.min_version, self.max_version);
        };
        in_range.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v)))
    }

    /// The suites asked for that belong to an enabled version.
    #[cfg(feature = "openssl")]
    fn suites_in_range(&self) -> impl Iterator<Item = CipherSuite> + '_ {
        self.cipher_suites
            .iter()
            .copied()
            .filter(|s| (self.min_version..=self.max_version).contains(&s.version()))
    }
}

/// Where a client's trusted certificate authorities come from.
///
/// # Examples
///
/// ```
/// use palisade::tls::TrustSource;
///
/// let store = TrustSource::System.load();
/// // Errors name the file: a PEM file that does not exist is not an empty trust store.
/// let err = TrustSource::PemFile("/nonexistent/ca.pem".into()).load().unwrap_err();
/// assert!(err.to_string().contains("/nonexistent/ca.pem"));
/// # let _ = store;
/// ```
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum TrustSource {
    /// Only the certificates of one PEM (or DER) file; its bad blocks are errors. The file is
    /// read the way `SSL_CERT_FILE` is, so its anchors' provenance says
    /// [`SourceKind::EnvFile`](palisade_trust::SourceKind::EnvFile).
    PemFile(PathBuf),
    /// A trust store the caller built (a `--sysroot` image, a cached store, ...).
    Store(Arc<TrustStore>),
    /// The operating system's store, as [`TrustStore::system`] finds it (`SSL_CERT_FILE` and
    /// `SSL_CERT_DIR` replace it when set, as in OpenSSL).
    System,
    /// The operating system's store plus the certificates of these PEM files.
    SystemPlus(Vec<PathBuf>),
}

impl TrustSource {
    /// Loads the store.
    ///
    /// # Errors
    ///
    /// As [`ClientConfig::load_trust`].
    pub fn load(&self) -> Result<Arc<TrustStore>, Error> {
        let (store, named): (Arc<TrustStore>, &[PathBuf]) = match self {
            // SSL_CERT_FILE's meaning: that file replaces the system store.
            Self::PemFile(path) => (
                Arc::new(
                    TrustStore::builder()
                        .env_vars(EnvVars::none().with_ssl_cert_file(path))
                        .build(),
                ),
                std::slice::from_ref(path),
            ),
            Self::Store(store) => (Arc::clone(store), &[]),
            Self::System => (Arc::new(TrustStore::system()), &[]),
            Self::SystemPlus(files) => (
                Arc::new(
                    files
                        .iter()
                        .fold(TrustStore::builder(), |b, file| b.extra_file(file))
                        .build(),
                ),
                files,
            ),
        };
        // A file the caller named must load completely; the system's own files may hold a bad
        // block without stopping the rest (STYLE rule 6).
        let named_error = store
            .errors()
            .iter()
            .find(|err| err.path().is_some_and(|p| named.iter().any(|n| n == p)));
        if let Some(err) = named_error {
            return Err(Error::Trust {
                path: err.path().map(PathBuf::from),
                message: err.to_string(),
            });
        }
        if store.tls_anchors().next().is_none() {
            return Err(Error::NoTrustAnchors {
                sources: chain::describe_sources(&store),
                refused: store
                    .anchors()
                    .iter()
                    .filter_map(chain::not_a_tls_root)
                    .collect(),
            });
        }
        Ok(store)
    }
}

/// A TLS protocol version.
///
/// # Examples
///
/// ```
/// use palisade::tls::TlsVersion;
///
/// assert_eq!(TlsVersion::try_from("1.3")?, TlsVersion::Tls13);
/// assert!(TlsVersion::Tls12 < TlsVersion::Tls13);
/// assert_eq!(
///     TlsVersion::try_from("1.1").unwrap_err().to_string(),
///     r#"unknown TLS version "1.1": expected 1.2 or 1.3"#
/// );
/// # Ok::<(), palisade::tls::Error>(())
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum TlsVersion {
    /// TLS 1.2 (RFC 5246).
    Tls12,
    /// TLS 1.3 (RFC 8446).
    Tls13,
}

impl TryFrom<&str> for TlsVersion {
    type Error = Error;

    /// Parses `1.2`, `1.3`, `TLSv1.2` or `TLSv1.3`.
    fn try_from(text: &str) -> Result<Self, Error> {
        match text.trim_start_matches("TLSv") {
            "1.2" => Ok(Self::Tls12),
            "1.3" => Ok(Self::Tls13),
            _ => Err(Error::UnknownVersion {
                text: text.to_owned(),
            }),
        }
    }
}

impl fmt::Display for TlsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Tls12 => "TLSv1.2",
            Self::Tls13 => "TLSv1.3",
        })
    }
}

/// A client certificate chain and key (PEM files).
#[derive(Clone, Debug)]
struct ClientAuth {
    chain: PathBuf,
    key: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERSIONS: &[(&str, Option<TlsVersion>)] = &[
        ("1.2", Some(TlsVersion::Tls12)),
        ("1.3", Some(TlsVersion::Tls13)),
        ("TLSv1.2", Some(TlsVersion::Tls12)),
        ("TLSv1.3", Some(TlsVersion::Tls13)),
        // SSL 3.0, TLS 1.0 and 1.1 are not offered at all (RFC 8996)
        ("1.1", None),
        ("1.0", None),
        ("3", None),
        ("", None),
    ];

    #[test]
    fn versions_parse() {
        for &(text, expected) in VERSIONS {
            assert_eq!(TlsVersion::try_from(text).ok(), expected, "{text:?}");
        }
    }

    // (min, max, suites, valid)
    const COMBINATIONS: &[(TlsVersion, TlsVersion, &[&str], bool)] = &[
        (TlsVersion::Tls12, TlsVersion::Tls13, &[], true),
        (TlsVersion::Tls13, TlsVersion::Tls13, &[], true),
        (TlsVersion::Tls13, TlsVersion::Tls12, &[], false),
        (
            TlsVersion::Tls12,
            TlsVersion::Tls12,
            &["TLS_AES_128_GCM_SHA256"],
            false,
        ),
        (
            TlsVersion::Tls13,
            TlsVersion::Tls13,
            &["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],
            false,
        ),
        (
            TlsVersion::Tls12,
            TlsVersion::Tls13,
            &[
                "TLS_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            ],
            true,
        ),
        (
            TlsVersion::Tls12,
            TlsVersion::Tls12,
            &["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],
            true,
        ),
    ];

    #[test]
    fn suites_narrow_the_versions() {
        let name = ServerName::try_from("example.com").unwrap();
        let cases: &[(&[&str], (TlsVersion, TlsVersion))] = &[
            (&[], (TlsVersion::Tls12, TlsVersion::Tls13)),
            (
                &["TLS_AES_128_GCM_SHA256"],
                (TlsVersion::Tls13, TlsVersion::Tls13),
            ),
            (
                &["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],
                (TlsVersion::Tls12, TlsVersion::Tls12),
            ),
            (
                &[
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_AES_128_GCM_SHA256",
                ],
                (TlsVersion::Tls12, TlsVersion::Tls13),
            ),
        ];
        for &(suites, expected) in cases {
            let config = ClientConfig::new(name.clone())
                .with_cipher_suites(suites)
                .unwrap();
            assert_eq!(config.effective_versions(), expected, "{suites:?}");
        }
    }

    #[test]
    fn combinations_are_validated() {
        for &(min, max, suites, valid) in COMBINATIONS {
            let config = ClientConfig::new(ServerName::try_from("example.com").unwrap())
                .with_versions(min, max)
                .with_cipher_suites(suites)
                .unwrap();
            assert_eq!(config.validate().is_ok(), valid, "{min} {max} {suites:?}");
        }
    }
}
