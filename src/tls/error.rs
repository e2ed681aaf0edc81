//! Why a configuration cannot be built, and why a server's chain was not accepted.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::path::PathBuf;

use time::OffsetDateTime;

use crate::tls::TlsVersion;
use crate::tls::chain::rfc3339;
use crate::tls::verifier::Purpose;

/// Why a [`ClientConfig`](crate::tls::ClientConfig) cannot be turned into a backend's
/// configuration.
#[non_exhaustive]
#[derive(Debug)]
pub enum Error {
    /// The backend (OpenSSL) refused a setting.
    Backend {
        /// Which backend.
        backend: &'static str,
        /// What was being set.
        setting: &'static str,
        /// What the backend said.
        message: String,
    },
    /// The client certificate or key could not be read or does not fit.
    ClientAuth {
        /// The file at fault.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// No rustls crypto provider: none was given, none is installed as the process default,
    /// and the crate was built without its `aws-lc-rs` and `ring` features.
    NoCryptoProvider,
    /// The cipher suites allow none of the enabled protocol versions.
    NoSuiteForVersions {
        /// The lowest enabled version.
        min: TlsVersion,
        /// The highest enabled version.
        max: TlsVersion,
    },
    /// The trust source holds no certificate authority usable for TLS servers.
    NoTrustAnchors {
        /// The files that were read, with how many certificates each gave.
        sources: Vec<String>,
        /// The certificates they gave, each with why it is not a TLS root (not a CA, trusted
        /// for other purposes) and where it was found.
        refused: Vec<String>,
    },
    /// The backend refuses the server name, though palisade-verify accepts it (rustls takes no
    /// DNS name whose last label reads as a hexadecimal number, such as `a.0x1f`).
    ServerName {
        /// The name, as palisade-verify normalised it.
        name: String,
        /// Which backend.
        backend: &'static str,
    },
    /// A file of the trust source could not be read or parsed.
    Trust {
        /// The file at fault.
        path: Option<PathBuf>,
        /// The trust store's message (with the position in the file).
        message: String,
    },
    /// A cipher-suite name that is not an IANA TLS 1.2/1.3 AEAD suite Palisade knows.
    UnknownCipherSuite {
        /// The name given.
        name: String,
    },
    /// A known cipher suite that the chosen backend does not implement.
    UnsupportedCipherSuite {
        /// The suite's IANA name.
        name: &'static str,
        /// Which backend.
        backend: &'static str,
    },
    /// Text that is not a protocol version Palisade knows (`1.2`, `1.3`).
    UnknownVersion {
        /// The text given.
        text: String,
    },
    /// A protocol version the backend does not implement.
    UnsupportedVersion {
        /// The version.
        version: TlsVersion,
        /// Which backend.
        backend: &'static str,
    },
    /// The maximum protocol version is below the minimum.
    VersionRange {
        /// The minimum asked for.
        min: TlsVersion,
        /// The maximum asked for.
        max: TlsVersion,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Backend {
                backend,
                setting,
                message,
            } => write!(f, "{backend} refused the {setting}: {message}"),
            Self::ClientAuth { path, message } => {
                write!(f, "client certificate or key {}: {message}", path.display())
            }
            Self::NoCryptoProvider => f.write_str(NO_PROVIDER),
            Self::NoSuiteForVersions { min, max } => write!(
                f,
                "none of the chosen cipher suites can be used with {min} to {max}"
            ),
            Self::NoTrustAnchors { sources, .. } if sources.is_empty() => {
                f.write_str("no trusted certificate authorities: no source was found")
            }
            Self::NoTrustAnchors { sources, refused } => {
                write!(
                    f,
                    "no trusted certificate authorities for TLS servers in {}",
                    sources.join(", ")
                )?;
                // The first few: a file of a thousand leaves need not be listed whole.
                const SHOWN: usize = 3;
                for what in refused.iter().take(SHOWN) {
                    write!(f, "; {what}")?;
                }
                if refused.len() > SHOWN {
                    write!(f, "; and {} more", refused.len() - SHOWN)?;
                }
                Ok(())
            }
            Self::Trust {
                path: Some(path),
                message,
            } => write!(
                f,
                "cannot load trust roots from {}: {message}",
                path.display()
            ),
            Self::Trust {
                path: None,
                message,
            } => write!(f, "cannot load trust roots: {message}"),
            Self::UnknownCipherSuite { name } => write!(
                f,
                "unknown cipher suite {name:?}: expected an IANA name of a TLS 1.3 suite or a \
                 TLS 1.2 ECDHE/RSA AEAD suite, such as TLS_AES_128_GCM_SHA256"
            ),
            Self::ServerName { name, backend } => {
                write!(f, "{backend} does not accept {name:?} as a server name")
            }
            Self::UnsupportedCipherSuite { name, backend } => {
                write!(f, "cipher suite {name} is not implemented by {backend}")
            }
            Self::UnknownVersion { text } => {
                write!(f, "unknown TLS version {text:?}: expected 1.2 or 1.3")
            }
            Self::UnsupportedVersion { version, backend } => {
                write!(f, "{version} is not implemented by {backend}")
            }
            Self::VersionRange { min, max } => write!(
                f,
                "maximum protocol version {max} is below the minimum {min}"
            ),
        }
    }
}

impl StdError for Error {}

const NO_PROVIDER: &str = "no rustls crypto provider: give one with \
     ClientConfig::with_crypto_provider, install a process default with \
     CryptoProvider::install_default, or build palisade with its aws-lc-rs or ring feature";

/// Why a server's certificate chain was not accepted.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum VerifyError {
    /// A certificate of the chain could not be parsed.
    BadCertificate {
        /// Its position in the chain (0 is the server's own certificate).
        index: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A certificate revocation list given to [`ChainVerifier::crls`](crate::tls::ChainVerifier::crls)
    /// could not be read.
    BadCrl {
        /// Its position among the CRLs given (0 is the first).
        index: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The chain was rejected for a reason not listed here (rustls-webpki's reason).
    Chain {
        /// The reason, as rustls-webpki names it.
        reason: String,
    },
    /// A certificate of the chain has expired.
    Expired {
        /// Its subject.
        subject: String,
        /// When it expired (UTC).
        not_after: OffsetDateTime,
    },
    /// The server's certificate does not name the host (every presented name and why).
    NameMismatch(palisade_verify::NameMismatch),
    /// The server sent no certificate.
    NoCertificates,
    /// No provider of signature algorithms to check the chain with (see
    /// [`Error::NoCryptoProvider`]).
    NoCryptoProvider,
    /// A certificate of the chain is not yet valid.
    NotYetValid {
        /// Its subject.
        subject: String,
        /// When it becomes valid (UTC).
        not_before: OffsetDateTime,
    },
    /// The verified path holds more intermediate certificates than
    /// [`ChainVerifier::max_depth`](crate::tls::ChainVerifier::max_depth) allows.
    PathTooLong {
        /// The most intermediates allowed.
        max_depth: usize,
        /// How many the path holds.
        depth: usize,
    },
    /// A certificate of the path is listed by a certificate revocation list given.
    Revoked {
        /// Its subject (empty when the CRL's entry could not be matched to a certificate).
        subject: String,
    },
    /// The chain does not end at any trusted certificate authority.
    UntrustedRoot {
        /// The issuer of the last certificate the server sent: the authority that would have to
        /// be trusted.
        issuer: String,
        /// How many TLS trust anchors were tried.
        anchors: usize,
        /// Where those anchors came from (each file with its certificate count).
        sources: Vec<String>,
        /// Certificates of the store with the issuer's name that are not TLS anchors, each with
        /// why and where it was found (a root that is not a CA, one trusted only for e-mail,
        /// one rustls-webpki cannot read): the usual reason a root the user added "does not
        /// work".
        refused: Vec<String>,
    },
    /// The server's certificate may not be used for the purpose checked (TLS server
    /// authentication unless [`ChainVerifier::purpose`](crate::tls::ChainVerifier::purpose) says
    /// otherwise) by its extended key usage, or a certificate authority was used as one.
    WrongPurpose {
        /// The subject of the server's certificate.
        subject: String,
        /// The purpose checked.
        purpose: Purpose,
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadCertificate { index, message } => {
                write!(
                    f,
                    "certificate {index} of the chain is malformed: {message}"
                )
            }
            Self::BadCrl { index, message } => {
                write!(
                    f,
                    "certificate revocation list {index} is malformed: {message}"
                )
            }
            Self::Chain { reason } => write!(f, "certificate chain rejected: {reason}"),
            Self::Expired { subject, not_after } => {
                write!(
                    f,
                    "certificate {subject:?} expired at {}",
                    rfc3339(*not_after)
                )
            }
            Self::NameMismatch(mismatch) => write!(f, "{mismatch}"),
            Self::NoCertificates => f.write_str("the server sent no certificate"),
            Self::NoCryptoProvider => f.write_str(NO_PROVIDER),
            Self::NotYetValid {
                subject,
                not_before,
            } => write!(
                f,
                "certificate {subject:?} is not valid before {}",
                rfc3339(*not_before)
            ),
            Self::PathTooLong { max_depth, depth } => write!(
                f,
                "the verified path holds {depth} intermediate certificates, more than the \
                 maximum depth {max_depth}"
            ),
            Self::Revoked { subject } => {
                write!(f, "certificate {subject:?} is revoked by a CRL given")
            }
            Self::UntrustedRoot {
                issuer,
                anchors,
                sources,
                refused,
            } => {
                write!(
                    f,
                    "certificate chain ends at untrusted issuer {issuer:?}: not among the \
                     {anchors} trusted roots"
                )?;
                if !sources.is_empty() {
                    write!(f, " from {}", sources.join(", "))?;
                }
                for what in refused {
                    write!(f, "; the store holds {what}, not used as a TLS root")?;
                }
                Ok(())
            }
            Self::WrongPurpose {
                subject,
                purpose,
                reason,
            } => {
                let what = match purpose {
                    Purpose::ServerAuth => "a TLS server".to_owned(),
                    Purpose::ClientAuth => "a TLS client".to_owned(),
                    other => format!("purpose {other}"),
                };
                write!(f, "certificate {subject:?} is not for {what}: {reason}")
            }
        }
    }
}

impl StdError for VerifyError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::NameMismatch(mismatch) => Some(mismatch),
            _ => None,
        }
    }
}

impl From<VerifyError> for io::Error {
    fn from(err: VerifyError) -> Self {
        Self::new(io::ErrorKind::InvalidData, err)
    }
}
