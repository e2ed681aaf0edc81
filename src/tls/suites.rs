//! TLS cipher suites by IANA name, and what each backend calls them.

use std::fmt;

use crate::tls::{Error, TlsVersion};

/// A TLS cipher suite, validated from its IANA name.
///
/// Only AEAD suites are known: the five TLS 1.3 suites of RFC 8446 and the TLS 1.2 suites with
/// AES-GCM or ChaCha20-Poly1305. CBC, RC4, 3DES, NULL and export suites are not: a name of one
/// is [`Error::UnknownCipherSuite`], never a silent substitute.
///
/// # Examples
///
/// ```
/// use palisade::tls::CipherSuite;
///
/// let suite = CipherSuite::try_from("TLS_AES_128_GCM_SHA256")?;
/// assert_eq!(suite.iana_name(), "TLS_AES_128_GCM_SHA256");
/// assert_eq!(suite.code(), 0x1301);
/// assert!(CipherSuite::try_from("TLS_RSA_WITH_RC4_128_SHA").is_err());
/// # Ok::<(), palisade::tls::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub struct CipherSuite(&'static Entry);

impl CipherSuite {
    /// The IANA name (`TLS_AES_128_GCM_SHA256`).
    pub fn iana_name(self) -> &'static str {
        self.0.iana
    }

    /// The two-byte code point of the IANA registry.
    pub fn code(self) -> u16 {
        self.0.code
    }

    /// The protocol version the suite belongs to.
    pub fn version(self) -> TlsVersion {
        self.0.version
    }

    /// OpenSSL's name for it (`ECDHE-RSA-AES128-GCM-SHA256`; TLS 1.3 suites keep the IANA
    /// name).
    pub fn openssl_name(self) -> &'static str {
        self.0.openssl
    }

    /// Every suite Palisade knows, TLS 1.3 first.
    pub fn all() -> impl Iterator<Item = Self> {
        SUITES.iter().map(Self)
    }
}

impl TryFrom<&str> for CipherSuite {
    type Error = Error;

    fn try_from(name: &str) -> Result<Self, Error> {
        SUITES
            .iter()
            .find(|entry| entry.iana.eq_ignore_ascii_case(name))
            .map(Self)
            .ok_or_else(|| Error::UnknownCipherSuite {
                name: name.to_owned(),
            })
    }
}

impl fmt::Display for CipherSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.iana)
    }
}

#[derive(Debug, Eq, Hash, PartialEq)]
struct Entry {
    iana: &'static str,
    code: u16,
    version: TlsVersion,
    openssl: &'static str,
}

const fn entry(iana: &'static str, code: u16, version: TlsVersion, openssl: &'static str) -> Entry {
    Entry {
        iana,
        code,
        version,
        openssl,
    }
}

// https://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml#tls-parameters-4
// OpenSSL names from `openssl ciphers -V` (OpenSSL 3.0).
static SUITES: &[Entry] = &[
    // RFC 8446 appendix B.4
    entry(
        "TLS_AES_128_GCM_SHA256",
        0x1301,
        TlsVersion::Tls13,
        "TLS_AES_128_GCM_SHA256",
    ),
    entry(
        "TLS_AES_256_GCM_SHA384",
        0x1302,
        TlsVersion::Tls13,
        "TLS_AES_256_GCM_SHA384",
    ),
    entry(
        "TLS_CHACHA20_POLY1305_SHA256",
        0x1303,
        TlsVersion::Tls13,
        "TLS_CHACHA20_POLY1305_SHA256",
    ),
    entry(
        "TLS_AES_128_CCM_SHA256",
        0x1304,
        TlsVersion::Tls13,
        "TLS_AES_128_CCM_SHA256",
    ),
    entry(
        "TLS_AES_128_CCM_8_SHA256",
        0x1305,
        TlsVersion::Tls13,
        "TLS_AES_128_CCM_8_SHA256",
    ),
    // RFC 5289 (ECDHE with AES-GCM) and RFC 7905 (ChaCha20-Poly1305)
    entry(
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xC02B,
        TlsVersion::Tls12,
        "ECDHE-ECDSA-AES128-GCM-SHA256",
    ),
    entry(
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xC02C,
        TlsVersion::Tls12,
        "ECDHE-ECDSA-AES256-GCM-SHA384",
    ),
    entry(
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xC02F,
        TlsVersion::Tls12,
        "ECDHE-RSA-AES128-GCM-SHA256",
    ),
    entry(
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xC030,
        TlsVersion::Tls12,
        "ECDHE-RSA-AES256-GCM-SHA384",
    ),
    entry(
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCA8,
        TlsVersion::Tls12,
        "ECDHE-RSA-CHACHA20-POLY1305",
    ),
    entry(
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCA9,
        TlsVersion::Tls12,
        "ECDHE-ECDSA-CHACHA20-POLY1305",
    ),
    // RFC 5288: no forward secrecy (RSA key exchange) or finite-field DHE; rustls has neither.
    entry(
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
        0x009C,
        TlsVersion::Tls12,
        "AES128-GCM-SHA256",
    ),
    entry(
        "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0x009D,
        TlsVersion::Tls12,
        "AES256-GCM-SHA384",
    ),
    entry(
        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        0x009E,
        TlsVersion::Tls12,
        "DHE-RSA-AES128-GCM-SHA256",
    ),
    entry(
        "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        0x009F,
        TlsVersion::Tls12,
        "DHE-RSA-AES256-GCM-SHA384",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[(&str, Option<u16>)] = &[
        ("TLS_AES_128_GCM_SHA256", Some(0x1301)),
        ("tls_aes_256_gcm_sha384", Some(0x1302)),
        ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", Some(0xC02F)),
        // OpenSSL's names and broken suites are not IANA AEAD names
        ("ECDHE-RSA-AES128-GCM-SHA256", None),
        ("TLS_RSA_WITH_RC4_128_SHA", None),
        ("TLS_NULL_WITH_NULL_NULL", None),
        ("", None),
    ];

    #[test]
    fn names_are_validated() {
        for &(name, code) in NAMES {
            assert_eq!(
                CipherSuite::try_from(name).ok().map(CipherSuite::code),
                code,
                "{name:?}"
            );
        }
    }

    #[test]
    fn table_is_consistent() {
        for suite in CipherSuite::all() {
            let tls13 = matches!(suite.code(), 0x1301..=0x1305);
            assert_eq!(suite.version() == TlsVersion::Tls13, tls13, "{suite}");
        }
    }
}
