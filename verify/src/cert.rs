//! Reading a certificate's presented identifiers with a maintained X.509 parser.

use std::fmt;

use x509_parser::asn1_rs::{Any, Class, FromDer, Sequence};
use x509_parser::certificate::X509CertificateParser;
use x509_parser::nom::Parser;
use x509_parser::oid_registry::OID_X509_EXT_SUBJECT_ALT_NAME;
use x509_parser::pem::Pem;

use crate::error::CertificateError;
use crate::ip;

/// The identifiers a certificate presents, read once from its DER encoding.
///
/// Only the subjectAltName extension and the subject common names are kept; the signature,
/// validity and issuer are not checked here (a TLS library's path validation does that).
///
/// # Examples
///
/// ```
/// use palisade_verify::{Certificate, Identity};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let pem = include_bytes!("../tests/data/certs/dns_wildcard.pem");
/// let cert = Certificate::from_pem(pem)?;
/// assert!(cert.identities().contains(&Identity::DnsName(b"*.example.com".to_vec())));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Certificate {
    identities: Vec<Identity>,
}

impl Certificate {
    /// Reads a DER-encoded X.509 certificate.
    ///
    /// # Errors
    ///
    /// [`CertificateError::Der`] when the bytes are not a certificate,
    /// [`CertificateError::TrailingData`] when bytes follow it, and
    /// [`CertificateError::DuplicateSubjectAltName`] or
    /// [`CertificateError::MalformedSubjectAltName`] when its subjectAltName cannot be trusted
    /// to list its names. An invalid *entry* (a bad wildcard, non-ASCII bytes) is not an error:
    /// it is kept and never matches.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_verify::{Certificate, CertificateError};
    ///
    /// let err = Certificate::from_der(b"\x30\x03\x02\x01\x01").unwrap_err();
    /// assert!(matches!(err, CertificateError::Der { .. }));
    /// ```
    pub fn from_der(der: &[u8]) -> Result<Self, CertificateError> {
        // Say the likely cause plainly instead of the parser's tag numbers.
        match der.first() {
            Some(0x30) => {}
            Some(&byte) => {
                return Err(CertificateError::Der {
                    detail: format!(
                        "it starts with byte 0x{byte:02x}, not a DER SEQUENCE (PEM needs a \
                         \"-----BEGIN CERTIFICATE-----\" line)"
                    ),
                });
            }
            None => {
                return Err(CertificateError::Der {
                    detail: "the input is empty".to_owned(),
                });
            }
        }
        // Extensions other than subjectAltName are not needed: leave them unparsed.
        let (rest, cert) = X509CertificateParser::new()
            .with_deep_parse_extensions(false)
            .parse(der)
            .map_err(|err| CertificateError::Der {
                detail: err.to_string(),
            })?;
        if !rest.is_empty() {
            return Err(CertificateError::TrailingData { len: rest.len() });
        }
        let mut identities = Vec::new();
        // RFC 5280 section 4.2: "A certificate MUST NOT include more than one instance of a
        // particular extension." Two subjectAltNames would make the names depend on which
        // one a verifier reads, so the certificate is refused.
        let san = cert
            .tbs_certificate
            .get_extension_unique(&OID_X509_EXT_SUBJECT_ALT_NAME)
            .map_err(|_| CertificateError::DuplicateSubjectAltName)?;
        if let Some(san) = san {
            read_general_names(san.value, &mut identities)?;
        }
        for cn in cert.tbs_certificate.subject.iter_common_name() {
            identities.push(Identity::CommonName(cn.as_slice().to_vec()));
        }
        Ok(Self { identities })
    }

    /// Reads the first `CERTIFICATE` block of PEM text (the leaf, in a chain file).
    ///
    /// # Errors
    ///
    /// [`CertificateError::Pem`] when there is no readable `CERTIFICATE` block, then the
    /// errors of [`Certificate::from_der`].
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_verify::{Certificate, CertificateError};
    ///
    /// let err = Certificate::from_pem(b"hello").unwrap_err();
    /// assert!(matches!(err, CertificateError::Pem { .. }));
    /// ```
    pub fn from_pem(pem: &[u8]) -> Result<Self, CertificateError> {
        let mut last_error = "no \"-----BEGIN CERTIFICATE-----\" line".to_owned();
        for block in Pem::iter_from_buffer(pem) {
            match block {
                Ok(block) if block.label == "CERTIFICATE" => {
                    return Self::from_der(&block.contents);
                }
                Ok(_) => {}
                Err(err) => {
                    last_error = err.to_string();
                    break;
                }
            }
        }
        Err(CertificateError::Pem { detail: last_error })
    }

    /// Reads PEM if the input holds a `-----BEGIN` line, DER otherwise.
    ///
    /// # Errors
    ///
    /// Those of [`Certificate::from_pem`] or [`Certificate::from_der`].
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_verify::Certificate;
    ///
    /// # fn main() -> Result<(), palisade_verify::CertificateError> {
    /// let der = include_bytes!("../tests/data/certs/dns_wildcard.der");
    /// let pem = include_bytes!("../tests/data/certs/dns_wildcard.pem");
    /// assert_eq!(Certificate::from_pem_or_der(der)?, Certificate::from_pem_or_der(pem)?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self, CertificateError> {
        if bytes.windows(PEM_BEGIN.len()).any(|w| w == PEM_BEGIN) {
            Self::from_pem(bytes)
        } else {
            Self::from_der(bytes)
        }
    }

    /// Every identifier the certificate presents: subjectAltName entries in order, then the
    /// subject common names.
    pub fn identities(&self) -> &[Identity] {
        &self.identities
    }
}

/// One identifier a certificate presents, as raw bytes from its encoding.
///
/// Build these yourself to check names from a certificate you parsed with another library,
/// then call [`verify_identities`](crate::verify_identities).
///
/// # Examples
///
/// ```
/// use palisade_verify::Identity;
///
/// let names = [
///     Identity::DnsName(b"www.example.com".to_vec()),
///     Identity::IpAddress(vec![192, 0, 2, 1]),
/// ];
/// assert_eq!(names[1].to_string(), "iPAddress 192.0.2.1");
/// ```
///
/// `Debug` shows names as text (bytes outside printable ASCII escaped, as `escape_ascii`
/// does) and addresses as addresses, so that the `{:?}` of an error holding one, which is what
/// rustls prints, reads as names:
///
/// ```
/// use palisade_verify::Identity;
///
/// assert_eq!(format!("{:?}", Identity::DnsName(b"example.com".to_vec())), r#"DnsName("example.com")"#);
/// assert_eq!(format!("{:?}", Identity::IpAddress(vec![192, 0, 2, 1])), "IpAddress(192.0.2.1)");
/// assert_eq!(format!("{:?}", Identity::IpAddress(vec![1, 2, 3])), "IpAddress(0x010203)");
/// ```
#[non_exhaustive]
#[derive(Clone, Eq, PartialEq)]
pub enum Identity {
    /// A subject commonName attribute value (only a DNS-ID under the legacy CN fallback).
    CommonName(Vec<u8>),
    /// A subjectAltName dNSName (IA5String content, not checked for validity).
    DnsName(Vec<u8>),
    /// A subjectAltName iPAddress in network byte order (4 or 16 octets when valid).
    IpAddress(Vec<u8>),
    /// Another subjectAltName type (rfc822Name, URI, directoryName, ...), which never names a
    /// TLS server.
    Other {
        /// The GeneralName context tag (RFC 5280 section 4.2.1.6): 0 otherName, 1 rfc822Name,
        /// 3 x400Address, 4 directoryName, 5 ediPartyName, 6 uniformResourceIdentifier,
        /// 8 registeredID.
        tag: u32,
        /// The entry's content octets.
        value: Vec<u8>,
    },
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DnsName(name) => write!(f, "dNSName \"{}\"", name.escape_ascii()),
            Self::IpAddress(octets) => match ip::presented_address(octets) {
                Some(address) => write!(f, "iPAddress {address}"),
                None => write!(f, "iPAddress 0x{}", Hex(octets)),
            },
            Self::CommonName(name) => write!(f, "subject CN \"{}\"", name.escape_ascii()),
            Self::Other { tag, value } => {
                let kind = match tag {
                    0 => "otherName",
                    1 => "rfc822Name",
                    3 => "x400Address",
                    4 => "directoryName",
                    5 => "ediPartyName",
                    6 => "uniformResourceIdentifier",
                    8 => "registeredID",
                    _ => "GeneralName",
                };
                match tag {
                    1 | 6 => write!(f, "{kind} \"{}\"", value.escape_ascii()),
                    _ => write!(f, "{kind} [{tag}] ({} octets)", value.len()),
                }
            }
        }
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CommonName(name) => f.debug_tuple("CommonName").field(&Text(name)).finish(),
            Self::DnsName(name) => f.debug_tuple("DnsName").field(&Text(name)).finish(),
            Self::IpAddress(octets) => match ip::presented_address(octets) {
                Some(address) => write!(f, "IpAddress({address})"),
                None => write!(f, "IpAddress(0x{})", Hex(octets)),
            },
            // rfc822Name and URI are IA5Strings; the other forms are DER structures.
            Self::Other {
                tag: tag @ (1 | 6),
                value,
            } => f
                .debug_struct("Other")
                .field("tag", tag)
                .field("value", &Text(value))
                .finish(),
            Self::Other { tag, value } => f
                .debug_struct("Other")
                .field("tag", tag)
                .field("value", &format_args!("0x{}", Hex(value)))
                .finish(),
        }
    }
}

/// Bytes shown as a quoted string, escaped where they are not printable ASCII.
struct Text<'a>(&'a [u8]);

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.0.escape_ascii())
    }
}

/// Reads `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName` (RFC 5280 section 4.2.1.6)
/// with the DER parser, keeping each entry's raw content octets so that an entry with bad
/// bytes becomes an invalid identifier rather than an unreadable certificate.
fn read_general_names(der: &[u8], out: &mut Vec<Identity>) -> Result<(), CertificateError> {
    let malformed = |detail: String| CertificateError::MalformedSubjectAltName { detail };
    let (rest, seq) = Sequence::from_der(der).map_err(|e| malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(malformed(format!(
            "{} bytes after GeneralNames",
            rest.len()
        )));
    }
    let mut content: &[u8] = &seq.content;
    if content.is_empty() {
        // "SIZE (1..MAX)": an empty subjectAltName is malformed.
        return Err(malformed("empty GeneralNames".to_owned()));
    }
    while !content.is_empty() {
        let (rest, any) = Any::from_der(content).map_err(|e| malformed(e.to_string()))?;
        content = rest;
        if any.class() != Class::ContextSpecific {
            return Err(malformed(format!(
                "GeneralName with {} class tag",
                any.class()
            )));
        }
        let tag = any.tag().0;
        let value = any.data.to_vec();
        out.push(match tag {
            // dNSName [2] IA5String and iPAddress [7] OCTET STRING, both IMPLICIT, so the
            // content octets are the name itself.
            2 => Identity::DnsName(value),
            7 => Identity::IpAddress(value),
            tag @ 0..=8 => Identity::Other { tag, value },
            tag => return Err(malformed(format!("unknown GeneralName tag [{tag}]"))),
        });
    }
    Ok(())
}

/// Lowercase hexadecimal, for iPAddress entries of invalid length.
struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

const PEM_BEGIN: &[u8] = b"-----BEGIN";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NameMismatch, Reason, Rejected};

    /// What rustls prints for a rejected certificate is the `{:?}` of the error: names as text.
    #[test]
    fn debug_shows_names_as_text_and_addresses_as_addresses() {
        let mismatch = NameMismatch {
            expected: "example.com".to_owned(),
            presented: vec![
                Rejected {
                    identity: Identity::DnsName(b"localhost".to_vec()),
                    reason: Reason::Different,
                },
                Rejected {
                    identity: Identity::IpAddress(vec![
                        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                    ]),
                    reason: Reason::IpAddressForDnsHost,
                },
                Rejected {
                    identity: Identity::Other {
                        tag: 6,
                        value: b"https://a\"b".to_vec(),
                    },
                    reason: Reason::UnsupportedType,
                },
                Rejected {
                    identity: Identity::Other {
                        tag: 4,
                        value: vec![0x30, 0x00],
                    },
                    reason: Reason::UnsupportedType,
                },
                Rejected {
                    identity: Identity::CommonName(b"caf\xc3\xa9".to_vec()),
                    reason: Reason::Different,
                },
            ],
        };
        assert_eq!(
            format!("{mismatch:?}"),
            "NameMismatch { expected: \"example.com\", presented: [\
             Rejected { identity: DnsName(\"localhost\"), reason: Different }, \
             Rejected { identity: IpAddress(2001:db8::1), reason: IpAddressForDnsHost }, \
             Rejected { identity: Other { tag: 6, value: \"https://a\\\"b\" }, reason: UnsupportedType }, \
             Rejected { identity: Other { tag: 4, value: 0x3000 }, reason: UnsupportedType }, \
             Rejected { identity: CommonName(\"caf\\xc3\\xa9\"), reason: Different }] }"
        );
    }

    #[test]
    fn identities_display_what_they_hold() {
        let table: &[(Identity, &str)] = &[
            (
                Identity::DnsName(b"a.example".to_vec()),
                r#"dNSName "a.example""#,
            ),
            (
                Identity::DnsName(b"a\0\xc3".to_vec()),
                r#"dNSName "a\x00\xc3""#,
            ),
            (Identity::IpAddress(vec![10, 0, 0, 1]), "iPAddress 10.0.0.1"),
            (Identity::IpAddress(vec![1, 2, 3]), "iPAddress 0x010203"),
            (
                Identity::CommonName(b"example.com".to_vec()),
                r#"subject CN "example.com""#,
            ),
            (
                Identity::Other {
                    tag: 1,
                    value: b"a@example.com".to_vec(),
                },
                r#"rfc822Name "a@example.com""#,
            ),
            (
                Identity::Other {
                    tag: 4,
                    value: vec![0; 3],
                },
                "directoryName [4] (3 octets)",
            ),
        ];
        for (identity, text) in table {
            assert_eq!(identity.to_string(), *text, "{identity:?}");
        }
    }

    #[test]
    fn general_names_keep_raw_entries() {
        // SEQUENCE { [2] "a.b", [7] 0a000001, [2] c3 a9, [1] "x@y" }
        let der = [
            0x30, 0x14, 0x82, 0x03, b'a', b'.', b'b', 0x87, 0x04, 10, 0, 0, 1, 0x82, 0x02, 0xc3,
            0xa9, 0x81, 0x03, b'x', b'@', b'y',
        ];
        let mut out = Vec::new();
        read_general_names(&der, &mut out).unwrap();
        assert_eq!(
            out,
            [
                Identity::DnsName(b"a.b".to_vec()),
                Identity::IpAddress(vec![10, 0, 0, 1]),
                Identity::DnsName(vec![0xc3, 0xa9]),
                Identity::Other {
                    tag: 1,
                    value: b"x@y".to_vec()
                },
            ]
        );
    }

    #[test]
    fn malformed_general_names_are_errors() {
        let table: &[&[u8]] = &[
            &[],
            &[0x30, 0x00],                         // empty SEQUENCE
            &[0x30, 0x05, 0x82, 0x03, b'a'],       // truncated entry
            &[0x30, 0x03, 0x82, 0x01, b'a', 0x00], // trailing byte
            &[0x30, 0x03, 0x04, 0x01, b'a'],       // universal class entry
            &[0x30, 0x03, 0x89, 0x01, b'a'],       // tag [9] does not exist
            &[0x04, 0x03, 0x82, 0x01, b'a'],       // not a SEQUENCE
        ];
        for der in table {
            let mut out = Vec::new();
            let err = read_general_names(der, &mut out).unwrap_err();
            assert!(
                matches!(err, CertificateError::MalformedSubjectAltName { .. }),
                "{der:02x?}: {err:?}"
            );
        }
    }
}
