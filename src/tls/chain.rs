//! Chain building with rustls-webpki against Palisade's anchors, then the name check with
//! palisade-verify.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use palisade_trust::{CaStatus, Provenance, TrustAnchor, TrustStore};
use palisade_verify::{Certificate, Policy, ServerName, verify_hostname};
use rustls_pki_types::{CertificateDer, UnixTime};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::tls::VerifyError;
use crate::tls::provider::Algorithms;
use crate::tls::verifier::{self, ChainVerifier, Checks};

/// Checks a server's certificate chain as a TLS client would: builds a path from the server's
/// certificate through the certificates it sent to one of the store's TLS anchors (with
/// rustls-webpki, for the `serverAuth` purpose, at `time`), then checks the server's
/// certificate against `name` with [`palisade_verify`](crate::verify).
///
/// `chain` is what the server sent: its own certificate first, then intermediates in any
/// order. For callers who do the handshake themselves; [`ClientConfig::to_rustls`] and
/// [`ClientConfig::to_openssl`] run the same checks inside the handshake.
///
/// [`ClientConfig::to_rustls`]: crate::tls::ClientConfig
/// [`ClientConfig::to_openssl`]: crate::tls::ClientConfig
///
/// # Errors
///
/// A [`VerifyError`] that says why: the presented names, the untrusted issuer and the
/// sources of the roots that were tried, the expired certificate, the wrong purpose;
/// [`VerifyError::NoCryptoProvider`] when no provider of signature algorithms is installed or
/// compiled in. Signatures are checked with the process-default rustls `CryptoProvider` when
/// one is installed, else with the one the crate's features name (the
/// [rule](crate::tls#crypto-providers) of the rustls backend).
///
/// # Examples
///
/// ```
/// use std::time::SystemTime;
///
/// use palisade::tls::{VerifyError, verify_server_chain};
/// use palisade::trust::TrustStore;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = TrustStore::system();
/// let err = verify_server_chain(&[], &store, &"example.com".parse()?, SystemTime::now())
///     .unwrap_err();
/// assert!(matches!(err, VerifyError::NoCertificates));
/// # Ok(())
/// # }
/// ```
pub fn verify_server_chain<'s>(
    chain: &[CertificateDer<'_>],
    trust: &'s TrustStore,
    name: &ServerName,
    time: SystemTime,
) -> Result<VerifiedChain<'s>, VerifyError> {
    ChainVerifier::new(trust)
        .at(time)
        .name(Some(name))
        .verify(chain)
}

/// A chain that [`verify_server_chain`] or [`ChainVerifier::verify`] accepted.
#[derive(Clone, Debug)]
pub struct VerifiedChain<'s> {
    path: Vec<ChainCertificate>,
    anchor: &'s TrustAnchor,
}

impl<'s> VerifiedChain<'s> {
    pub(crate) fn new(path: Vec<ChainCertificate>, anchor: &'s TrustAnchor) -> Self {
        Self { path, anchor }
    }

    /// The path that was built: the server's certificate, then the intermediates used, up to
    /// (not including) the anchor.
    pub fn path(&self) -> &[ChainCertificate] {
        &self.path
    }

    /// The trust anchor the path ends at.
    pub fn anchor(&self) -> &'s TrustAnchor {
        self.anchor
    }

    /// Where the anchor came from (file and PEM block, and why the file was read).
    pub fn provenance(&self) -> &'s [Provenance] {
        self.anchor.provenance()
    }
}

/// One certificate of a chain, with what a person reads first.
///
/// # Examples
///
/// ```
/// use palisade::tls::ChainCertificate;
/// use rustls_pki_types::CertificateDer;
/// use rustls_pki_types::pem::PemObject;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let pem = include_bytes!("../../verify/tests/data/certs/dns_wildcard.pem");
/// let cert = ChainCertificate::from_der(&CertificateDer::from_pem_slice(pem)?)?;
/// assert!(cert.not_after() > cert.not_before());
/// assert_eq!(cert.not_after_utc(), "2126-11-01T09:37:48Z");
/// println!("{} issued by {}, until {}", cert.subject(), cert.issuer(), cert.not_after().date());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Eq, PartialEq)]
pub struct ChainCertificate {
    der: CertificateDer<'static>,
    subject: String,
    issuer: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
}

impl ChainCertificate {
    /// Parses a DER certificate.
    ///
    /// # Errors
    ///
    /// [`VerifyError::BadCertificate`] (with index 0) when it is not an X.509 certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, VerifyError> {
        Self::parse(der, 0)
    }

    fn parse(der: &[u8], index: usize) -> Result<Self, VerifyError> {
        let bad = |message: String| VerifyError::BadCertificate { index, message };
        let (rest, cert) = X509Certificate::from_der(der).map_err(|e| bad(e.to_string()))?;
        if !rest.is_empty() {
            return Err(bad(format!("{} bytes after the certificate", rest.len())));
        }
        let validity = cert.validity();
        Ok(Self {
            der: CertificateDer::from(der.to_vec()),
            subject: palisade_trust::distinguished_name(cert.subject().as_raw()),
            issuer: palisade_trust::distinguished_name(cert.issuer().as_raw()),
            not_before: validity.not_before.to_datetime(),
            not_after: validity.not_after.to_datetime(),
        })
    }

    /// The DER encoding.
    pub fn der(&self) -> &CertificateDer<'static> {
        &self.der
    }

    /// The subject as text, written as [`TrustAnchor::subject`] writes it
    /// ([`palisade_trust::distinguished_name`]).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The issuer as text, written as the subject is.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The first instant of validity (UTC).
    pub fn not_before(&self) -> OffsetDateTime {
        self.not_before
    }

    /// The last instant of validity (UTC).
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// `not_after` as RFC 3339 text in UTC (`2026-11-25T10:00:00Z`).
    pub fn not_after_utc(&self) -> String {
        rfc3339(self.not_after)
    }
}

/// Names and dates as text; the DER by its length (its bytes are [`ChainCertificate::der`]).
impl fmt::Debug for ChainCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainCertificate")
            .field("subject", &self.subject)
            .field("issuer", &self.issuer)
            .field("not_before", &format_args!("{}", rfc3339(self.not_before)))
            .field("not_after", &format_args!("{}", rfc3339(self.not_after)))
            .field("der", &format_args!("{} bytes", self.der.len()))
            .finish()
    }
}

/// A store's TLS anchors parsed once for rustls-webpki, with their place in the store.
#[derive(Debug)]
pub(crate) struct Anchors {
    webpki: Vec<rustls_pki_types::TrustAnchor<'static>>,
    index: Vec<usize>,
    sources: Vec<String>,
    /// The store's certificates that are not TLS anchors here, by subject (DER), with why:
    /// named when a chain ends at one of their names.
    refused: Vec<(Vec<u8>, String)>,
    algorithms: Algorithms,
}

impl Anchors {
    /// The store's TLS anchors, checked with `algorithms` (a crypto provider's).
    pub(crate) fn new(store: &TrustStore, algorithms: Algorithms) -> Self {
        let mut webpki = Vec::new();
        let mut index = Vec::new();
        let mut refused = Vec::new();
        for (i, anchor) in store.anchors().iter().enumerate() {
            if let Some(what) = not_a_tls_root(anchor) {
                refused.push((anchor.subject_der().to_vec(), what));
                continue;
            }
            // An anchor rustls-webpki cannot parse cannot end a path; OpenSSL may still use
            // it, which the README lists among the differences.
            match webpki::anchor_from_trusted_cert(anchor.der()) {
                Ok(parsed) => {
                    webpki.push(parsed.to_owned());
                    index.push(i);
                }
                Err(_) => refused.push((
                    anchor.subject_der().to_vec(),
                    refusal(anchor, "rustls-webpki cannot read it as a trust anchor"),
                )),
            }
        }
        Self {
            webpki,
            index,
            sources: describe_sources(store),
            refused,
            algorithms,
        }
    }

    /// The path (server certificate first) and the index of the anchor in the store.
    pub(crate) fn verify(
        &self,
        chain: &[CertificateDer<'_>],
        checks: &Checks<'_>,
    ) -> Result<(Vec<ChainCertificate>, usize), VerifyError> {
        let verdict = self.check(chain, checks)?;
        let path = verdict
            .path
            .iter()
            .map(|&i| ChainCertificate::parse(&chain[i], i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((path, verdict.anchor))
    }

    /// The checks alone: positions in `chain` of the path's certificates, and the anchor's
    /// index in the store. The certificates are parsed for people only when the chain fails
    /// (this runs inside every rustls handshake).
    pub(crate) fn check(
        &self,
        chain: &[CertificateDer<'_>],
        checks: &Checks<'_>,
    ) -> Result<Verdict, VerifyError> {
        let Some((leaf, intermediates)) = chain.split_first() else {
            return Err(VerifyError::NoCertificates);
        };
        let end_entity =
            webpki::EndEntityCert::try_from(leaf).map_err(|e| VerifyError::BadCertificate {
                index: 0,
                message: e.to_string(),
            })?;
        let time = checks.time;
        let now =
            UnixTime::since_unix_epoch(time.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO));
        let crls = checks.crls.iter().collect::<Vec<_>>();
        // A certificate no CRL covers is accepted: CRLs given refuse what they list.
        let revocation = webpki::RevocationOptionsBuilder::new(&crls).ok().map(|b| {
            b.with_status_policy(webpki::UnknownStatusPolicy::Allow)
                .build()
        });
        let limit = checks.max_depth.map(verifier::DepthLimit::new);
        let check_depth =
            |path: &webpki::VerifiedPath<'_>| limit.as_ref().map_or(Ok(()), |l| l.check(path));
        let verify_path: Option<verifier::PathCheck<'_>> =
            limit.as_ref().map(|_| &check_depth as _);
        let verified = end_entity
            .verify_for_usage(
                self.algorithms,
                &self.webpki,
                intermediates,
                now,
                checks.purpose,
                revocation,
                verify_path,
            )
            .map_err(|err| {
                limit
                    .as_ref()
                    .and_then(|l| l.error(&err))
                    .unwrap_or_else(|| self.explain(err, chain, checks))
            })?;
        if !verifier::listed_by_leaf(leaf, checks.purpose) {
            return Err(self.explain(
                #[allow(deprecated)] // the form our Purpose::Other returns
                webpki::Error::RequiredEkuNotFound,
                chain,
                checks,
            ));
        }
        let anchor = verified.anchor();
        let position = self
            .webpki
            .iter()
            .position(|a| std::ptr::eq(a, anchor))
            .ok_or_else(|| VerifyError::Chain {
                reason: "the path ends at an anchor that is not in the store".to_owned(),
            })?;
        let mut path = vec![0];
        for cert in verified.intermediate_certificates() {
            let der = cert.der();
            // rustls-webpki builds the path only from the certificates it was given.
            if let Some(i) = intermediates
                .iter()
                .position(|c| c.as_ref() == der.as_ref())
            {
                path.push(i + 1);
            }
        }
        let cert = Certificate::from_der(leaf).map_err(|e| VerifyError::BadCertificate {
            index: 0,
            message: e.to_string(),
        })?;
        if let Some(name) = checks.name {
            verify_hostname(&cert, name, &Policy::default()).map_err(VerifyError::NameMismatch)?;
        }
        Ok(Verdict {
            path,
            anchor: self.index[position],
        })
    }

    /// How many TLS anchors there are.
    #[cfg(feature = "rustls")]
    pub(crate) fn len(&self) -> usize {
        self.webpki.len()
    }

    /// The store's certificates, not used as TLS anchors, whose subject is the issuer of
    /// `last`: the roots the user may think are trusted.
    fn refused_for(&self, last: Option<&ChainCertificate>) -> Vec<String> {
        let Some(Ok((_, cert))) = last.map(|c| X509Certificate::from_der(&c.der)) else {
            return Vec::new();
        };
        let issuer = cert.issuer().as_raw();
        self.refused
            .iter()
            .filter(|(subject, _)| subject.as_slice() == issuer)
            .map(|(_, what)| what.clone())
            .collect()
    }

    /// Turns rustls-webpki's reason into ours, with the details it leaves out.
    fn explain(
        &self,
        err: webpki::Error,
        chain: &[CertificateDer<'_>],
        checks: &Checks<'_>,
    ) -> VerifyError {
        let time = checks.time;
        let purpose = checks.purpose.clone();
        let parsed = chain
            .iter()
            .enumerate()
            .map(|(i, der)| ChainCertificate::parse(der, i))
            .collect::<Result<Vec<_>, _>>();
        let chain = match parsed {
            Ok(chain) => chain,
            Err(bad) => return bad,
        };
        let now = i64::try_from(
            time.duration_since(UNIX_EPOCH)
                .unwrap_or(Duration::ZERO)
                .as_secs(),
        )
        .unwrap_or(i64::MAX);
        let subject = |i: usize| chain.get(i).map_or_else(String::new, |c| c.subject.clone());
        match err {
            webpki::Error::CertExpired { .. } => {
                let i = chain
                    .iter()
                    .position(|c| c.not_after.unix_timestamp() < now)
                    .unwrap_or(0);
                VerifyError::Expired {
                    subject: subject(i),
                    not_after: chain
                        .get(i)
                        .map_or(OffsetDateTime::UNIX_EPOCH, |c| c.not_after),
                }
            }
            webpki::Error::CertNotValidYet { .. } => {
                let i = chain
                    .iter()
                    .position(|c| c.not_before.unix_timestamp() > now)
                    .unwrap_or(0);
                VerifyError::NotYetValid {
                    subject: subject(i),
                    not_before: chain
                        .get(i)
                        .map_or(OffsetDateTime::UNIX_EPOCH, |c| c.not_before),
                }
            }
            webpki::Error::UnknownIssuer => VerifyError::UntrustedRoot {
                issuer: chain.last().map_or_else(String::new, |c| c.issuer.clone()),
                anchors: self.webpki.len(),
                sources: self.sources.clone(),
                refused: self.refused_for(chain.last()),
            },
            #[allow(deprecated)] // rustls-webpki 0.103 still returns both forms
            webpki::Error::RequiredEkuNotFound | webpki::Error::RequiredEkuNotFoundContext(_) => {
                VerifyError::WrongPurpose {
                    subject: subject(0),
                    reason: format!("its extended key usage does not include {purpose}"),
                    purpose,
                }
            }
            webpki::Error::CaUsedAsEndEntity => VerifyError::WrongPurpose {
                subject: subject(0),
                reason: "it is a certificate authority (basicConstraints cA)".to_owned(),
                purpose,
            },
            webpki::Error::CertRevoked => VerifyError::Revoked {
                subject: verifier::revoked(&chain, checks.crls).map_or_else(String::new, subject),
            },
            other => VerifyError::Chain {
                reason: other.to_string(),
            },
        }
    }
}

/// What [`Anchors::check`] found.
#[derive(Debug)]
pub(crate) struct Verdict {
    /// Positions in the chain of the path's certificates, the server's (0) first.
    pub(crate) path: Vec<usize>,
    /// The anchor's index in the store.
    pub(crate) anchor: usize,
}

/// Each file of the store with how many certificates it gave.
pub(crate) fn describe_sources(store: &TrustStore) -> Vec<String> {
    store
        .sources()
        .iter()
        .map(|s| {
            let noun = if s.certificates == 1 {
                "certificate"
            } else {
                "certificates"
            };
            format!("{} ({} {noun})", s.path.display(), s.certificates)
        })
        .collect()
}

/// Why a certificate of the store is not a TLS server root, with its subject and where it
/// was found; `None` for a TLS anchor.
pub(crate) fn not_a_tls_root(anchor: &TrustAnchor) -> Option<String> {
    if anchor.is_tls_server_anchor() {
        return None;
    }
    Some(refusal(
        anchor,
        match anchor.ca() {
            CaStatus::NotCa => "not a certificate authority: no basicConstraints cA",
            _ => "not trusted for TLS servers by its trust settings or key usage",
        },
    ))
}

/// `"<subject>" (<why>; <where>)`.
fn refusal(anchor: &TrustAnchor, why: &str) -> String {
    format!("{:?} ({why}; {})", anchor.subject(), anchor.provenance()[0])
}

/// RFC 3339 text in UTC (`2026-11-25T10:15:22Z`). Certificate times (years 0000 to 9999) always
/// have one; `time`'s own text is the fallback for anything else.
pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    at.to_offset(UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSTANTS: &[(i64, &str)] = &[
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_795_601_722, "2026-11-25T10:15:22Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ];

    #[test]
    fn rfc3339_formats_known_instants() {
        for &(secs, text) in INSTANTS {
            let at = OffsetDateTime::from_unix_timestamp(secs).unwrap();
            assert_eq!(rfc3339(at), text, "{secs}");
        }
    }

    #[test]
    fn debug_reads_as_text() {
        let pem = include_bytes!("../../verify/tests/data/certs/dns_wildcard.pem");
        let der = rustls_pki_types::pem::PemObject::from_pem_slice(pem).unwrap();
        let cert = ChainCertificate::from_der(&CertificateDer::into_owned(der)).unwrap();
        let debug = format!("{cert:?}");
        assert!(
            debug.contains("not_after: 2126-11-01T09:37:48Z")
                && debug.contains(&format!("der: {} bytes", cert.der().len())),
            "{debug}"
        );
    }

    #[test]
    fn empty_chain_is_no_certificates() {
        let store = TrustStore::builder()
            .sysroot("/nonexistent-palisade-root")
            .build();
        let name = ServerName::try_from("example.com").unwrap();
        assert!(matches!(
            verify_server_chain(&[], &store, &name, SystemTime::now()),
            Err(VerifyError::NoCertificates)
        ));
    }
}
