//! `ClientConfig::to_rustls`: a rustls configuration whose certificate verifier is Palisade's,
//! on the crypto provider that `provider.rs` chooses.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName as RustlsServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, OtherError, SignatureScheme};

use palisade_trust::TrustStore;
use palisade_verify::ServerName;

use crate::tls::chain::Anchors;
use crate::tls::verifier::Checks;
use crate::tls::{ClientConfig, Error, TlsVersion, VerifyError, provider};

const BACKEND: &str = "rustls";

#[cfg_attr(docsrs, doc(cfg(feature = "rustls")))]
impl ClientConfig {
    /// A rustls client configuration with a [`PalisadeVerifier`] over this configuration's
    /// trust source.
    ///
    /// The crypto provider is the one given to
    /// [`with_crypto_provider`](Self::with_crypto_provider), else the process default, else the
    /// one the crate's features name (see [the module documentation](crate::tls#crypto-providers));
    /// the verifier checks signatures with the same provider. Cipher suites asked for are taken
    /// from that provider.
    ///
    /// The server name is given to rustls when connecting
    /// ([`ClientConfig::rustls_server_name`]); the verifier checks the certificate against
    /// that name with palisade-verify.
    ///
    /// # Errors
    ///
    /// [`Error::VersionRange`], [`Error::UnsupportedCipherSuite`] for a suite the provider
    /// lacks (aws-lc-rs and ring have no CCM, RSA or DHE key exchange),
    /// [`Error::NoSuiteForVersions`], [`Error::NoCryptoProvider`], a trust source that cannot be
    /// loaded, or a client certificate or key that cannot be read.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade::tls::ClientConfig;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let config = ClientConfig::new("example.com".parse()?).with_alpn(["h2"]);
    /// let rustls_config = std::sync::Arc::new(config.to_rustls()?);
    /// let conn = rustls::ClientConnection::new(rustls_config, config.rustls_server_name()?)?;
    /// assert!(conn.is_handshaking());
    ///
    /// let refused = config.with_cipher_suites(["TLS_AES_128_CCM_SHA256"])?.to_rustls();
    /// assert_eq!(
    ///     refused.unwrap_err().to_string(),
    ///     "cipher suite TLS_AES_128_CCM_SHA256 is not implemented by rustls"
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_rustls(&self) -> Result<rustls::ClientConfig, Error> {
        self.validate()?;
        self.rustls_server_name()?;
        let mut provider = match &self.crypto_provider {
            Some(given) => Arc::clone(given),
            None => provider::resolve().ok_or(Error::NoCryptoProvider)?,
        };
        if !self.cipher_suites.is_empty() {
            let mut chosen = Vec::new();
            for suite in &self.cipher_suites {
                let found = provider
                    .cipher_suites
                    .iter()
                    .find(|s| u16::from(s.suite()) == suite.code())
                    .ok_or(Error::UnsupportedCipherSuite {
                        name: suite.iana_name(),
                        backend: BACKEND,
                    })?;
                if (self.min_version..=self.max_version).contains(&suite.version()) {
                    chosen.push(*found);
                }
            }
            Arc::make_mut(&mut provider).cipher_suites = chosen;
        }
        let (min, max) = self.effective_versions();
        let versions: Vec<&'static rustls::SupportedProtocolVersion> = [
            (TlsVersion::Tls12, &rustls::version::TLS12),
            (TlsVersion::Tls13, &rustls::version::TLS13),
        ]
        .into_iter()
        .filter(|(v, _)| (min..=max).contains(v))
        .map(|(_, rv)| rv)
        .collect();
        let verifier = PalisadeVerifier::with_provider(self.load_trust()?, Arc::clone(&provider));
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&versions)
            .map_err(|e| Error::Backend {
                backend: BACKEND,
                setting: "protocol versions and cipher suites",
                message: e.to_string(),
            })?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier));
        let mut config = match &self.client_auth {
            None => builder.with_no_client_auth(),
            Some(auth) => {
                let chain = CertificateDer::pem_file_iter(&auth.chain)
                    .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| Error::ClientAuth {
                        path: auth.chain.clone(),
                        message: e.to_string(),
                    })?;
                let key =
                    PrivateKeyDer::from_pem_file(&auth.key).map_err(|e| Error::ClientAuth {
                        path: auth.key.clone(),
                        message: e.to_string(),
                    })?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|e| Error::ClientAuth {
                        path: auth.key.clone(),
                        message: e.to_string(),
                    })?
            }
        };
        config.alpn_protocols = self.alpn.clone();
        Ok(config)
    }

    /// The crypto provider for the rustls backend, instead of the process default or the one
    /// the crate's features name. Handshake and chain verification both use it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use palisade::tls::ClientConfig;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # #[cfg(feature = "aws-lc-rs")]
    /// # {
    /// let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    /// let config = ClientConfig::new("example.com".parse()?)
    ///     .with_crypto_provider(Arc::clone(&provider));
    /// assert!(Arc::ptr_eq(config.to_rustls()?.crypto_provider(), &provider));
    /// # }
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_crypto_provider(mut self, provider: Arc<CryptoProvider>) -> Self {
        self.crypto_provider = Some(provider);
        self
    }

    /// The provider given to [`with_crypto_provider`](Self::with_crypto_provider), if any.
    pub fn crypto_provider(&self) -> Option<&Arc<CryptoProvider>> {
        self.crypto_provider.as_ref()
    }

    /// The server name in rustls's type, for `rustls::ClientConnection::new`.
    ///
    /// # Errors
    ///
    /// [`Error::ServerName`] for the few names palisade-verify accepts and rustls does not:
    /// rustls refuses a DNS name whose last label reads as a hexadecimal number (`a.0x1f`),
    /// as the WHATWG URL standard does. [`to_rustls`](Self::to_rustls) checks this too, so a
    /// configuration it accepted never fails here.
    pub fn rustls_server_name(&self) -> Result<RustlsServerName<'static>, Error> {
        // palisade-verify's names are IP addresses or ASCII A-label DNS names, whose text
        // rustls parses back to the same name.
        RustlsServerName::try_from(self.server_name.to_string()).map_err(|_| Error::ServerName {
            name: self.server_name.to_string(),
            backend: BACKEND,
        })
    }
}

/// A rustls certificate verifier that builds the chain with rustls-webpki against a Palisade
/// trust store and checks the name with palisade-verify.
///
/// A rejection is `rustls::Error::InvalidCertificate(CertificateError::Other(..))` holding a
/// [`VerifyError`]; [`PalisadeVerifier::reason`] gets it back from the error a connection
/// returns. [`ClientConfig::to_rustls`] installs one; build one yourself to put Palisade's
/// checks into a rustls configuration made some other way.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
///
/// use palisade::tls::PalisadeVerifier;
/// use palisade::trust::TrustStore;
///
/// # fn main() -> Result<(), palisade::tls::Error> {
/// let verifier = PalisadeVerifier::new(Arc::new(TrustStore::system()))?;
/// println!("{} TLS anchors", verifier.anchors());
/// let config = rustls::ClientConfig::builder_with_provider(Arc::clone(verifier.provider()))
///     .with_safe_default_protocol_versions()
///     .expect("the provider's defaults")
///     .dangerous()
///     .with_custom_certificate_verifier(Arc::new(verifier))
///     .with_no_client_auth();
/// # let _ = config;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct PalisadeVerifier {
    anchors: Anchors,
    algorithms: WebPkiSupportedAlgorithms,
    provider: Arc<CryptoProvider>,
}

impl PalisadeVerifier {
    /// A verifier over `store`, checking signatures with the process-default crypto provider,
    /// else the one the crate's features name.
    ///
    /// # Errors
    ///
    /// [`Error::NoCryptoProvider`] when there is neither.
    pub fn new(store: Arc<TrustStore>) -> Result<Self, Error> {
        let provider = provider::resolve().ok_or(Error::NoCryptoProvider)?;
        Ok(Self::with_provider(store, provider))
    }

    /// A verifier over `store`, checking the chain's and the handshake's signatures with
    /// `provider`'s algorithms.
    pub fn with_provider(store: Arc<TrustStore>, provider: Arc<CryptoProvider>) -> Self {
        let algorithms = provider.signature_verification_algorithms;
        Self {
            anchors: Anchors::new(&store, algorithms.all),
            algorithms,
            provider,
        }
    }

    /// The crypto provider whose signature algorithms this verifier uses.
    pub fn provider(&self) -> &Arc<CryptoProvider> {
        &self.provider
    }

    /// How many TLS anchors the verifier holds.
    pub fn anchors(&self) -> usize {
        self.anchors.len()
    }

    /// The [`VerifyError`] inside an error that this verifier caused, if it is one: a
    /// `rustls::Error`, or an `io::Error` wrapping one (what `Stream` and `complete_io` return).
    pub fn reason<'e>(err: &'e (dyn std::error::Error + 'static)) -> Option<&'e VerifyError> {
        let rustls_err = err.downcast_ref::<rustls::Error>().or_else(|| {
            err.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        })?;
        match rustls_err {
            rustls::Error::InvalidCertificate(CertificateError::Other(other)) => {
                other.0.downcast_ref::<VerifyError>()
            }
            _ => None,
        }
    }
}

impl ServerCertVerifier for PalisadeVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &RustlsServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let name = match server_name {
            RustlsServerName::DnsName(dns) => ServerName::try_from(dns.as_ref()),
            RustlsServerName::IpAddress(ip) => Ok(ServerName::from(std::net::IpAddr::from(*ip))),
            _ => {
                return Err(rustls::Error::General(
                    "unsupported kind of server name".to_owned(),
                ));
            }
        }
        .map_err(|e| rustls::Error::General(e.to_string()))?;
        let mut chain = Vec::with_capacity(1 + intermediates.len());
        chain.push(end_entity.clone());
        chain.extend(intermediates.iter().cloned());
        let time = UNIX_EPOCH + Duration::from_secs(now.as_secs());
        match self.anchors.check(&chain, &Checks::server(&name, time)) {
            Ok(_) => Ok(ServerCertVerified::assertion()),
            Err(err) => Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                OtherError(Arc::new(err)),
            ))),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
