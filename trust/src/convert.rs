//! Conversions to the root stores of TLS libraries (features `rustls` and `openssl`).

#[cfg(any(feature = "openssl", feature = "rustls"))]
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
