//! Conversions to the root stores of TLS libraries (features `rustls`, `openssl` and
//! `native-tls`).

#[cfg(any(feature = "native-tls", feature = "openssl", feature = "rustls"))]
use crate::store::TrustStore;

#[cfg(feature = "rustls")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustls")))]
impl TrustStore {
    /// The TLS roots as a rustls [`RootCertStore`](rustls::RootCertStore), with how many
    /// certificates rustls could not use (rustls parses each one again, and rejects some that
    /// OpenSSL accepts).
    ///
    /// # Examples
    ///
    /// ```
    /// let (roots, ignored) = palisade_trust::TrustStore::system().to_rustls_root_store();
    /// println!("{} roots for rustls, {ignored} ignored", roots.len());
    /// ```
    pub fn to_rustls_root_store(&self) -> (rustls::RootCertStore, usize) {
        let mut roots = rustls::RootCertStore::empty();
        let (_, ignored) = roots.add_parsable_certificates(self.certificates());
        (roots, ignored)
    }
}

#[cfg(feature = "openssl")]
#[cfg_attr(docsrs, doc(cfg(feature = "openssl")))]
impl TrustStore {
    /// The TLS roots as an OpenSSL [`X509Store`](openssl::x509::store::X509Store).
    ///
    /// # Errors
    ///
    /// When OpenSSL cannot allocate the store or parse a certificate.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> Result<(), openssl::error::ErrorStack> {
    /// let store = palisade_trust::TrustStore::system().to_openssl_store()?;
    /// println!("{} objects", store.all_certificates().len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_openssl_store(
        &self,
    ) -> Result<openssl::x509::store::X509Store, openssl::error::ErrorStack> {
        let mut builder = openssl::x509::store::X509StoreBuilder::new()?;
        for der in self.certificates() {
            builder.add_cert(openssl::x509::X509::from_der(&der)?)?;
        }
        Ok(builder.build())
    }
}

#[cfg(feature = "native-tls")]
#[cfg_attr(docsrs, doc(cfg(feature = "native-tls")))]
impl TrustStore {
    /// Makes the TLS roots the only roots of a native-tls connector: each one is added with
    /// [`add_root_certificate`](native_tls::TlsConnectorBuilder::add_root_certificate), and the
    /// platform's own are turned off with
    /// [`disable_built_in_roots`](native_tls::TlsConnectorBuilder::disable_built_in_roots), so
    /// that the connector trusts what this store says and nothing else. Returns how many roots
    /// were added and how many the platform's TLS library could not parse (as rustls'
    /// `add_parsable_certificates` does): a store it takes nothing from leaves a connector
    /// that trusts no server, never one that falls back to the system's roots.
    ///
    /// # Platform-specific behavior
    ///
    /// native-tls is OpenSSL on Linux and the other Unix systems, Security.framework on macOS
    /// and SChannel on Windows; each parses the certificates itself.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> Result<(), native_tls::Error> {
    /// let store = palisade_trust::TrustStore::system();
    /// let mut builder = native_tls::TlsConnector::builder();
    /// let (added, ignored) = store.to_native_tls(&mut builder);
    /// println!("{added} roots for native-tls, {ignored} ignored");
    /// let connector = builder.build()?;
    /// # drop(connector);
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_native_tls(&self, builder: &mut native_tls::TlsConnectorBuilder) -> (usize, usize) {
        builder.disable_built_in_roots(true);
        let (mut added, mut ignored) = (0, 0);
        for der in self.certificates() {
            match native_tls::Certificate::from_der(&der) {
                Ok(cert) => {
                    builder.add_root_certificate(cert);
                    added += 1;
                }
                Err(_) => ignored += 1,
            }
        }
        (added, ignored)
    }
}
