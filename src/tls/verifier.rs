//! [`ChainVerifier`]: the chain check with every input spelled out (time, name, purpose, CRLs,
//! maximum depth); [`verify_server_chain`](crate::tls::verify_server_chain) is its short form.

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use palisade_trust::TrustStore;
use palisade_verify::ServerName;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, CertificateRevocationListDer};
use webpki::{
    CertRevocationList, ExtendedKeyUsageValidator, KeyPurposeId, KeyPurposeIdIter, KeyUsage,
    OwnedCertRevocationList, VerifiedPath,
};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::tls::VerifyError;
use crate::tls::chain::{Anchors, ChainCertificate, VerifiedChain};
use crate::tls::provider;

/// Checks a certificate chain against a [`TrustStore`] with every input of the check given:
/// the time, the name (or none, to check the chain alone), the purpose, certificate revocation
/// lists and the longest path allowed.
///
/// Defaults: now, no name, [`Purpose::ServerAuth`], no CRLs, no depth limit beyond
/// rustls-webpki's own. Signatures are checked with the same provider as
/// [`verify_server_chain`](crate::tls::verify_server_chain) (the
/// [rule](crate::tls#crypto-providers) of the rustls backend).
///
/// # Examples
///
/// ```
/// use std::time::{Duration, SystemTime};
///
/// use palisade::tls::{ChainVerifier, Purpose, VerifyError};
/// use palisade::trust::TrustStore;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = TrustStore::system();
/// let name = "example.com".parse()?;
/// let verifier = ChainVerifier::new(&store)
///     .at(SystemTime::now() - Duration::from_secs(86_400))
///     .name(Some(&name))
///     .purpose("clientAuth".parse::<Purpose>()?)
///     .max_depth(2);
/// assert!(matches!(verifier.verify(&[]), Err(VerifyError::NoCertificates)));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct ChainVerifier<'s> {
    trust: &'s TrustStore,
    time: Option<SystemTime>,
    name: Option<ServerName>,
    purpose: Purpose,
    crls: Vec<CertRevocationList<'static>>,
    crl_sources: usize,
    max_depth: Option<usize>,
}

impl<'s> ChainVerifier<'s> {
    /// A verifier over `trust`'s TLS anchors, with the defaults above.
    pub fn new(trust: &'s TrustStore) -> Self {
        Self {
            trust,
            time: None,
            name: None,
            purpose: Purpose::ServerAuth,
            crls: Vec::new(),
            crl_sources: 0,
            max_depth: None,
        }
    }

    /// The time at which every certificate must be valid (default: the time of
    /// [`verify`](Self::verify)).
    #[must_use]
    pub fn at(mut self, time: SystemTime) -> Self {
        self.time = Some(time);
        self
    }

    /// The name the first certificate must present (RFC 9525, with palisade-verify); `None`
    /// checks the chain alone.
    #[must_use]
    pub fn name(mut self, name: Option<&ServerName>) -> Self {
        self.name = name.cloned();
        self
    }

    /// The purpose the first certificate must allow (extendedKeyUsage).
    #[must_use]
    pub fn purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }

    /// Certificate revocation lists to check the path against: each item is one DER CRL, or
    /// PEM text with one or more `X509 CRL` blocks. Calls add up. A certificate that a CRL
    /// lists is refused ([`VerifyError::Revoked`]); one that no CRL given covers is accepted
    /// (its status is unknown, not revoked). A CRL's signature is checked against its issuer
    /// in the path; `nextUpdate` is not enforced.
    ///
    /// # Errors
    ///
    /// [`VerifyError::BadCrl`] with the item's position (counted over every call) and what is
    /// wrong with it.
    pub fn crls<I, B>(mut self, crls: I) -> Result<Self, VerifyError>
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        for bytes in crls {
            let index = self.crl_sources;
            self.crl_sources += 1;
            let bad = |message: String| VerifyError::BadCrl { index, message };
            let bytes = bytes.as_ref();
            let ders = if bytes.first() == Some(&0x30) {
                vec![CertificateRevocationListDer::from(bytes.to_vec())]
            } else {
                let ders = CertificateRevocationListDer::pem_slice_iter(bytes)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| bad(format!("bad PEM: {e}")))?;
                if ders.is_empty() {
                    return Err(bad("neither DER nor PEM with an X509 CRL block".to_owned()));
                }
                ders
            };
            for der in ders {
                let crl = OwnedCertRevocationList::from_der(&der)
                    .map_err(|e| bad(format!("not a CRL rustls-webpki accepts: {e}")))?;
                self.crls.push(crl.into());
            }
        }
        Ok(self)
    }

    /// The most intermediate certificates a verified path may hold (0: the first certificate
    /// must be issued by an anchor). A longer path is refused and path building goes on: a
    /// shorter path through other certificates of the chain is still found.
    #[must_use]
    pub fn max_depth(mut self, intermediates: usize) -> Self {
        self.max_depth = Some(intermediates);
        self
    }

    /// Checks `chain` (the certificate to check first, then intermediates in any order).
    ///
    /// # Errors
    ///
    /// A [`VerifyError`] that says why, as [`verify_server_chain`](crate::tls::verify_server_chain)
    /// does, and [`VerifyError::Revoked`] or [`VerifyError::PathTooLong`] for the inputs only
    /// this verifier takes.
    pub fn verify(&self, chain: &[CertificateDer<'_>]) -> Result<VerifiedChain<'s>, VerifyError> {
        let algorithms = provider::default_algorithms().ok_or(VerifyError::NoCryptoProvider)?;
        let anchors = Anchors::new(self.trust, algorithms);
        let checks = Checks {
            name: self.name.as_ref(),
            time: self.time.unwrap_or_else(SystemTime::now),
            purpose: &self.purpose,
            crls: &self.crls,
            max_depth: self.max_depth,
        };
        let (path, index) = anchors.verify(chain, &checks)?;
        Ok(VerifiedChain::new(path, &self.trust.anchors()[index]))
    }
}

/// rustls-webpki's callback on each path it built.
pub(crate) type PathCheck<'a> = &'a dyn Fn(&VerifiedPath<'_>) -> Result<(), webpki::Error>;

/// The maximum depth, as rustls-webpki's `verify_path` callback: a path with more
/// intermediates is refused and path building goes on (another path may be short enough).
#[derive(Debug)]
pub(crate) struct DepthLimit {
    max: usize,
    /// The shortest path refused, for the error when no path was short enough.
    refused: Cell<Option<usize>>,
}

impl DepthLimit {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            max,
            refused: Cell::new(None),
        }
    }

    /// Refuses a `path` longer than the limit.
    pub(crate) fn check(&self, path: &VerifiedPath<'_>) -> Result<(), webpki::Error> {
        let depth = path.intermediate_certificates().count();
        if depth <= self.max {
            return Ok(());
        }
        let shortest = self.refused.get().map_or(depth, |d| d.min(depth));
        self.refused.set(Some(shortest));
        Err(webpki::Error::MaximumPathDepthExceeded)
    }

    /// Our error for rustls-webpki's, when it is this limit's.
    pub(crate) fn error(&self, err: &webpki::Error) -> Option<VerifyError> {
        let depth = self.refused.get()?;
        matches!(err, webpki::Error::MaximumPathDepthExceeded).then_some(VerifyError::PathTooLong {
            max_depth: self.max,
            depth,
        })
    }
}

/// What [`Anchors::check`] checks besides the anchors.
#[derive(Debug)]
pub(crate) struct Checks<'a> {
    pub(crate) name: Option<&'a ServerName>,
    pub(crate) time: SystemTime,
    pub(crate) purpose: &'a Purpose,
    pub(crate) crls: &'a [CertRevocationList<'static>],
    pub(crate) max_depth: Option<usize>,
}

#[cfg(feature = "rustls")]
impl<'a> Checks<'a> {
    /// What a TLS client checks: `name`, serverAuth, at `time`.
    pub(crate) fn server(name: &'a ServerName, time: SystemTime) -> Self {
        Self {
            name: Some(name),
            time,
            purpose: &SERVER_AUTH,
            crls: &[],
            max_depth: None,
        }
    }
}

#[cfg(feature = "rustls")]
static SERVER_AUTH: Purpose = Purpose::ServerAuth;

/// What the first certificate of a chain must be for (its extendedKeyUsage).
///
/// Parses from `serverAuth` (or `server`), `clientAuth` (or `client`) or a dotted OID.
///
/// # Examples
///
/// ```
/// use palisade::tls::Purpose;
///
/// # fn main() -> Result<(), palisade::tls::PurposeError> {
/// assert_eq!("server".parse::<Purpose>()?, Purpose::ServerAuth);
/// let code_signing: Purpose = "1.3.6.1.5.5.7.3.3".parse()?;
/// assert_eq!(code_signing.to_string(), "1.3.6.1.5.5.7.3.3");
/// assert!("1.x".parse::<Purpose>().is_err());
/// # Ok(())
/// # }
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, Eq, Hash, PartialEq)]
pub enum Purpose {
    /// TLS server authentication (`id-kp-serverAuth`); a certificate without extendedKeyUsage
    /// is accepted, as RFC 5280 says.
    ServerAuth,
    /// TLS client authentication (`id-kp-clientAuth`), likewise.
    ClientAuth,
    /// Any other key purpose: the OID's DER content octets (without tag and length). The first
    /// certificate must list it; a certificate authority of the path that lists purposes must
    /// list it too.
    Other(Vec<u8>),
}

/// rustls-webpki's check of the extendedKeyUsage extension for this purpose.
impl ExtendedKeyUsageValidator for Purpose {
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        match self {
            Self::ServerAuth => KeyUsage::server_auth().validate(iter),
            Self::ClientAuth => KeyUsage::client_auth().validate(iter),
            // rustls-webpki runs this on every certificate of the path, and certificate
            // authorities seldom list purposes: here the OID is required if any is listed;
            // `listed_by_leaf` then requires it of the first certificate.
            Self::Other(oid) => {
                let wanted = KeyPurposeId::new(oid);
                let mut empty = true;
                for id in iter {
                    empty = false;
                    if id? == wanted {
                        return Ok(());
                    }
                }
                #[allow(deprecated)] // the context variant's fields need a `'static` OID
                if empty {
                    Ok(())
                } else {
                    Err(webpki::Error::RequiredEkuNotFound)
                }
            }
        }
    }
}

/// Whether the certificate `der` lists `purpose` in its extendedKeyUsage, for a
/// [`Purpose::Other`], which the first certificate must list (and `anyExtendedKeyUsage` does not
/// stand in for, as in rustls-webpki). The named purposes are rustls-webpki's alone.
pub(crate) fn listed_by_leaf(der: &[u8], purpose: &Purpose) -> bool {
    let Purpose::Other(oid) = purpose else {
        return true;
    };
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return false;
    };
    let Ok(Some(eku)) = cert.extended_key_usage() else {
        return false;
    };
    let eku = eku.value;
    let dotted = purpose.to_string();
    let named = [
        (eku.server_auth, "1.3.6.1.5.5.7.3.1"),
        (eku.client_auth, "1.3.6.1.5.5.7.3.2"),
        (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
        (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
        (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
        (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
    ];
    named.iter().any(|&(set, id)| set && id == dotted)
        || eku.other.iter().any(|id| id.as_bytes() == oid.as_slice())
}

/// The position of the first certificate of `chain` whose serial number a CRL lists (to say
/// which one rustls-webpki found revoked).
pub(crate) fn revoked(
    chain: &[ChainCertificate],
    crls: &[CertRevocationList<'_>],
) -> Option<usize> {
    chain.iter().position(|cert| {
        X509Certificate::from_der(cert.der()).is_ok_and(|(_, parsed)| {
            crls.iter()
                .any(|crl| matches!(crl.find_serial(parsed.raw_serial()), Ok(Some(_))))
        })
    })
}

/// `serverAuth`, `clientAuth` or the dotted OID (hex when the octets are not an OID).
impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ServerAuth => f.write_str("serverAuth"),
            Self::ClientAuth => f.write_str("clientAuth"),
            Self::Other(oid) => match dotted(oid) {
                Some(text) => f.write_str(&text),
                None => f.write_str(&oid.iter().map(|b| format!("{b:02x}")).collect::<String>()),
            },
        }
    }
}

// The OID text is encoded here rather than by asn1-rs' `Oid::from_str` (in the tree through
// x509-parser), which accepts first arcs 3 to 6 and a `+` sign, and refuses `2.40` and above.
impl FromStr for Purpose {
    type Err = PurposeError;

    fn from_str(text: &str) -> Result<Self, PurposeError> {
        match text {
            "server" | "serverAuth" => return Ok(Self::ServerAuth),
            "client" | "clientAuth" => return Ok(Self::ClientAuth),
            _ => {}
        }
        let bad = |reason| PurposeError {
            text: text.to_owned(),
            reason,
        };
        let arcs = text
            .split('.')
            .map(|arc| {
                if arc.is_empty() || !arc.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad("each arc must be a decimal number"));
                }
                arc.parse::<u64>().map_err(|_| bad("an arc is too large"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let [first, second, ..] = arcs[..] else {
            return Err(bad("an OID has at least two arcs"));
        };
        if first > 2 || (first < 2 && second >= 40) {
            return Err(bad(
                "the first arc is 0, 1 or 2, and below 2 the second is below 40",
            ));
        }
        let head = (first * 40)
            .checked_add(second)
            .ok_or_else(|| bad("an arc is too large"))?;
        let mut der = Vec::new();
        for arc in std::iter::once(head).chain(arcs[2..].iter().copied()) {
            let mut groups = vec![u8::try_from(arc & 0x7f).unwrap_or(0)];
            let mut rest = arc >> 7;
            while rest > 0 {
                groups.push(u8::try_from(rest & 0x7f).unwrap_or(0) | 0x80);
                rest >>= 7;
            }
            der.extend(groups.iter().rev());
        }
        Ok(Self::Other(der))
    }
}

/// The dotted form of an OID's content octets, or `None` when they are not a well-formed OID.
fn dotted(der: &[u8]) -> Option<String> {
    let mut arcs = Vec::new();
    let mut value: u64 = 0;
    let mut pending = false;
    for &byte in der {
        if !pending && byte == 0x80 {
            return None; // a non-minimal encoding
        }
        value = value.checked_mul(128)? | u64::from(byte & 0x7f);
        pending = byte & 0x80 != 0;
        if !pending {
            arcs.push(value);
            value = 0;
        }
    }
    if pending || arcs.is_empty() {
        return None;
    }
    let head = arcs[0];
    let (first, second) = match head {
        0..40 => (0, head),
        40..80 => (1, head - 40),
        _ => (2, head - 80),
    };
    let mut text = format!("{first}.{second}");
    for arc in &arcs[1..] {
        text.push_str(&format!(".{arc}"));
    }
    Some(text)
}

/// Text that is neither a purpose name nor a dotted OID.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct PurposeError {
    text: String,
    reason: &'static str,
}

impl fmt::Display for PurposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a purpose: expected serverAuth, clientAuth or a dotted OID ({})",
            self.text, self.reason
        )
    }
}

impl std::error::Error for PurposeError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// DER content octets from RFC 5280 and X.690's example (8.19.5: 2.999.3 is 88 37 03).
    const OIDS: &[(&str, &[u8])] = &[
        ("1.3.6.1.5.5.7.3.1", &[0x2b, 6, 1, 5, 5, 7, 3, 1]),
        ("1.3.6.1.5.5.7.3.3", &[0x2b, 6, 1, 5, 5, 7, 3, 3]),
        ("2.999.3", &[0x88, 0x37, 0x03]),
        ("1.2.840.113549", &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]),
    ];

    #[test]
    fn dotted_oids_encode_and_decode() {
        for &(text, der) in OIDS {
            assert_eq!(
                text.parse::<Purpose>().unwrap(),
                Purpose::Other(der.to_vec())
            );
            assert_eq!(Purpose::Other(der.to_vec()).to_string(), text);
        }
    }

    #[test]
    fn bad_purposes_say_why() {
        for text in [
            "",
            "1",
            "1.x",
            "3.1",
            "1.40",
            "1..2",
            "1.2.99999999999999999999",
            "+1.2",
        ] {
            let err = text.parse::<Purpose>().unwrap_err();
            assert!(err.to_string().contains(&format!("{text:?}")), "{err}");
        }
        assert_eq!(Purpose::Other(vec![0x80, 1]).to_string(), "8001");
    }
}
