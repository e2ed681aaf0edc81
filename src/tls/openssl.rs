//! `ClientConfig::to_openssl`: an OpenSSL connector over Palisade's anchors, with Palisade's
//! name check in the verify callback.
//!
//! How it is wired into OpenSSL's verification:
//!
//! 1. The connector's `X509Store` holds exactly the trust source's TLS anchors
//!    ([`TrustStore::to_openssl_store`](palisade_trust::TrustStore)); OpenSSL's default paths
//!    are never loaded.
//! 2. `SSL_VERIFY_PEER` with a verify callback: OpenSSL's `X509_verify_cert` builds the chain
//!    and checks signatures, validity dates and the `sslserver` purpose, calling the callback
//!    once per certificate with its own verdict. The callback never overrides a failure.
//! 3. When the server's certificate (depth 0) has passed OpenSSL's checks, the callback parses
//!    it with palisade-verify and checks it against the configuration's server name. On a
//!    mismatch it sets `X509_V_ERR_APPLICATION_VERIFICATION` (the openssl crate offers no safe
//!    way to set `X509_V_ERR_HOSTNAME_MISMATCH`) and fails the handshake; run
//!    [`verify_server_chain`](crate::tls::verify_server_chain) on the peer's chain for the
//!    reasons.
//!
//! `SslConnector::connect(domain, ..)` additionally asks OpenSSL's own `X509_check_host` for
//! `domain`; both checks must pass. Use `connector.configure()?.verify_hostname(false)` to rely
//! on Palisade's alone (the `palisade connect` command does).

use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode, SslVersion};
use openssl::x509::X509VerifyResult;
use palisade_verify::{Certificate, Policy, verify_hostname};

use crate::tls::{ClientConfig, Error, TlsVersion};

const BACKEND: &str = "OpenSSL";

#[cfg_attr(docsrs, doc(cfg(feature = "openssl")))]
impl ClientConfig {
    /// An OpenSSL connector: our anchors in its `X509Store`, our name check in its verify
    /// callback (see the module documentation above for the wiring).
    ///
    /// # Errors
    ///
    /// [`Error::VersionRange`], [`Error::UnsupportedCipherSuite`] for a suite this OpenSSL
    /// build lacks, [`Error::NoSuiteForVersions`], a trust source that cannot be loaded, a
    /// client certificate or key that cannot be read, or a setting OpenSSL refuses.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade::tls::ClientConfig;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let config = ClientConfig::new("example.com".parse()?)
    ///     .with_cipher_suites(["TLS_AES_128_CCM_SHA256", "TLS_AES_128_GCM_SHA256"])?;
    /// let connector = config.to_openssl()?;
    /// // connector.configure()?.verify_hostname(false).connect("example.com", tcp_stream)
    /// # let _ = connector;
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_openssl(&self) -> Result<SslConnector, Error> {
        self.validate()?;
        let refused = |setting: &'static str| {
            move |e: openssl::error::ErrorStack| Error::Backend {
                backend: BACKEND,
                setting,
                message: e.to_string(),
            }
        };
        let mut builder =
            SslConnector::builder(SslMethod::tls_client()).map_err(refused("TLS client method"))?;
        let version = |v: TlsVersion| match v {
            TlsVersion::Tls12 => SslVersion::TLS1_2,
            TlsVersion::Tls13 => SslVersion::TLS1_3,
        };
        let (min, max) = self.effective_versions();
        builder
            .set_min_proto_version(Some(version(min)))
            .map_err(refused("minimum protocol version"))?;
        builder
            .set_max_proto_version(Some(version(max)))
            .map_err(refused("maximum protocol version"))?;
        if !self.cipher_suites.is_empty() {
            // Each suite alone first: OpenSSL ignores unknown names in a list that has a known
            // one, which would be a silent downgrade.
            for suite in &self.cipher_suites {
                let known = match suite.version() {
                    TlsVersion::Tls12 => builder.set_cipher_list(suite.openssl_name()),
                    TlsVersion::Tls13 => builder.set_ciphersuites(suite.openssl_name()),
                };
                known.map_err(|_| Error::UnsupportedCipherSuite {
                    name: suite.iana_name(),
                    backend: BACKEND,
                })?;
            }
            let names = |v: TlsVersion| {
                self.suites_in_range()
                    .filter(|s| s.version() == v)
                    .map(|s| s.openssl_name())
                    .collect::<Vec<_>>()
                    .join(":")
            };
            // A version without a chosen suite is outside the effective range set above, so
            // its list is never used; an empty TLS 1.2 list would be an error.
            if max == TlsVersion::Tls13 {
                builder
                    .set_ciphersuites(&names(TlsVersion::Tls13))
                    .map_err(refused("TLS 1.3 cipher suites"))?;
            }
            if min == TlsVersion::Tls12 {
                builder
                    .set_cipher_list(&names(TlsVersion::Tls12))
                    .map_err(refused("TLS 1.2 cipher list"))?;
            }
        }
        if !self.alpn.is_empty() {
            let mut wire = Vec::new();
            for protocol in &self.alpn {
                let len = u8::try_from(protocol.len())
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| Error::Backend {
                        backend: BACKEND,
                        setting: "ALPN protocols",
                        message: format!(
                            "a protocol name must be 1 to 255 bytes, not {}",
                            protocol.len()
                        ),
                    })?;
                wire.push(len);
                wire.extend_from_slice(protocol);
            }
            builder
                .set_alpn_protos(&wire)
                .map_err(refused("ALPN protocols"))?;
        }
        if let Some(auth) = &self.client_auth {
            let client_auth = |path: &std::path::Path| {
                let path = path.to_path_buf();
                move |e: openssl::error::ErrorStack| Error::ClientAuth {
                    path,
                    message: e.to_string(),
                }
            };
            builder
                .set_certificate_chain_file(&auth.chain)
                .map_err(client_auth(&auth.chain))?;
            builder
                .set_private_key_file(&auth.key, openssl::ssl::SslFiletype::PEM)
                .map_err(client_auth(&auth.key))?;
            builder
                .check_private_key()
                .map_err(client_auth(&auth.key))?;
        }
        let store = self.load_trust()?;
        builder.set_cert_store(store.to_openssl_store().map_err(refused("trust store"))?);
        let name = self.server_name.clone();
        builder.set_verify_callback(SslVerifyMode::PEER, move |preverified, ctx| {
            if !preverified || ctx.error_depth() != 0 {
                return preverified;
            }
            let matches = ctx
                .current_cert()
                .and_then(|cert| cert.to_der().ok())
                .and_then(|der| Certificate::from_der(&der).ok())
                .is_some_and(|cert| verify_hostname(&cert, &name, &Policy::default()).is_ok());
            if !matches {
                ctx.set_error(X509VerifyResult::APPLICATION_VERIFICATION);
            }
            matches
        });
        Ok(builder.build())
    }
}
