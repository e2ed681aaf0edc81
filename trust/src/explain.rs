//! Why a certificate is, or is not, a trust anchor here.

use std::fmt;
use std::time::SystemTime;

use crate::anchor::{CertInfo, TrustAnchor};
use crate::dn::distinguished_name;
use crate::error::{Error, ErrorKind};
use crate::pem::{self, BlockKind};
use crate::record::Distrust;
use crate::store::TrustStore;

/// The answer of [`TrustStore::explain`] for a certificate or chain.
#[non_exhaustive]
#[derive(Debug)]
pub struct Explanation<'a> {
    /// The subject of the certificate the verdict is about: the topmost of the chain.
    pub subject: String,
    /// The verdict.
    pub verdict: Verdict<'a>,
}

impl Explanation<'_> {
    /// Whether a TLS client here would accept the chain's root: an anchor for server
    /// authentication, not expired.
    pub fn is_trusted(&self) -> bool {
        matches!(
            self.verdict,
            Verdict::Anchor(_) | Verdict::IssuedByAnchor(_)
        )
    }
}

impl fmt::Display for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let from = |a: &TrustAnchor| {
            a.provenance()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.verdict {
            Verdict::Anchor(a) => write!(f, "{}: trusted anchor, from {}", self.subject, from(a)),
            Verdict::IssuedByAnchor(a) => write!(
                f,
                "{}: issued by the trusted anchor {:?} (issuer name matches; signature not checked), from {}",
                self.subject,
                a.subject(),
                from(a)
            ),
            Verdict::Distrusted(entries) => {
                write!(f, "{}: distrusted", self.subject)?;
                for d in entries {
                    write!(f, "; {} ({})", d.reason, d.provenance)?;
                }
                Ok(())
            }
            Verdict::RejectedPurpose(a) => write!(
                f,
                "{}: an anchor here, but not for TLS servers (purposes: {}, CA: {}), from {}",
                self.subject,
                a.purposes(),
                matches!(a.ca(), crate::CaStatus::Ca),
                from(a)
            ),
            Verdict::Expired(a) => write!(
                f,
                "{}: an anchor here, but it expired on {}, from {}",
                self.subject,
                a.not_after().date(),
                from(a)
            ),
            Verdict::Absent => write!(f, "{}: not a trust anchor here", self.subject),
        }
    }
}

/// Is the certificate a trust anchor here, and if not, why not.
#[non_exhaustive]
#[derive(Debug)]
pub enum Verdict<'a> {
    /// Neither the certificate nor its issuer is an anchor here.
    Absent,
    /// The certificate is a TLS server anchor here.
    Anchor(&'a TrustAnchor),
    /// Its key is distrusted, by these entries.
    Distrusted(Vec<&'a Distrust>),
    /// It is an anchor, but its validity period has ended.
    Expired(&'a TrustAnchor),
    /// It is not in the store, but its issuer's name is that of this TLS anchor (the
    /// signature is not checked: this is an explanation, not a verification).
    IssuedByAnchor(&'a TrustAnchor),
    /// It is in the store, but not as a TLS server anchor: a leaf, or not trusted for
    /// `serverAuth`.
    RejectedPurpose(&'a TrustAnchor),
}

impl TrustStore {
    /// Explains whether a certificate, or the root of a chain (PEM with several blocks, leaf
    /// first, or one DER certificate), is a trust anchor here, from which source, or why not.
    ///
    /// # Errors
    ///
    /// When the input holds no well-formed certificate.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> Result<(), palisade_trust::Error> {
    /// use palisade_trust::TrustStore;
    ///
    /// let store = TrustStore::system();
    /// if let Some(root) = store.tls_anchors().next() {
    ///     let pem = palisade_trust::der_to_pem(root.der());
    ///     assert!(store.explain(pem.as_bytes(), std::time::SystemTime::now())?.is_trusted());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn explain(&self, input: &[u8], now: SystemTime) -> Result<Explanation<'_>, Error> {
        let mut blocks = Vec::new();
        let mut errors = Vec::new();
        pem::parse_file(input, &mut blocks, &mut errors);
        let mut chain = Vec::new();
        for block in blocks {
            if let BlockKind::Certificate { der, .. } = block.kind {
                let info = CertInfo::parse(&der)
                    .map_err(|k| Error::new(k).with_position(block.position))?;
                chain.push((der, info));
            }
        }
        let Some((der, info)) = chain.last() else {
            return Err(errors
                .into_iter()
                .next()
                .unwrap_or_else(|| Error::new(ErrorKind::NoCertificate)));
        };
        let subject = distinguished_name(&der[info.subject_raw.0..info.subject_raw.1]);
        let spki = &der[info.spki_raw.0..info.spki_raw.1];
        let verdict = self.verdict(der, info, spki, now);
        Ok(Explanation { subject, verdict })
    }

    fn verdict<'a>(
        &'a self,
        der: &[u8],
        info: &CertInfo,
        spki: &[u8],
        now: SystemTime,
    ) -> Verdict<'a> {
        let distrust: Vec<&Distrust> = self.distrust_for(spki).collect();
        if !distrust.is_empty() {
            return Verdict::Distrusted(distrust);
        }
        if let Some(anchor) = self.find(der) {
            return if !anchor.is_tls_server_anchor() {
                Verdict::RejectedPurpose(anchor)
            } else if anchor.is_expired_at(now) {
                Verdict::Expired(anchor)
            } else {
                Verdict::Anchor(anchor)
            };
        }
        let issuer = &der[info.issuer_raw.0..info.issuer_raw.1];
        let issuers: Vec<&TrustAnchor> = self
            .anchors()
            .iter()
            .filter(|a| a.subject_der() == issuer)
            .collect();
        let usable = issuers
            .iter()
            .find(|a| a.is_tls_server_anchor() && !a.is_expired_at(now));
        match (usable, issuers.first()) {
            (Some(a), _) => Verdict::IssuedByAnchor(a),
            (None, Some(a)) if !a.is_tls_server_anchor() => Verdict::RejectedPurpose(a),
            (None, Some(a)) => Verdict::Expired(a),
            (None, None) => Verdict::Absent,
        }
    }
}
