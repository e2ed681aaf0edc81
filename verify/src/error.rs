//! Every way a host, a certificate or a match can fail, with messages that say why.

use std::error::Error as StdError;
use std::fmt;

use crate::cert::Identity;

/// Why a string is not a valid host (reference identity), or why a presented DNS-ID is invalid.
///
/// Reference hosts are checked by [`ServerName::try_from`](crate::ServerName); presented names
/// by the matcher, which reports this inside a [`Reason::InvalidName`]. Variants documented as
/// "presented only" never come from a host.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum NameError {
    /// A byte that no DNS label may hold (space, NUL, `/`, `@`, non-ASCII, ...).
    Character {
        /// The byte.
        byte: u8,
        /// Its offset in the name.
        offset: usize,
    },
    /// The name is empty.
    Empty,
    /// Two dots in a row, or a dot at the start.
    EmptyLabel {
        /// Byte offset of the empty label.
        offset: usize,
    },
    /// A label starts or ends with `-`.
    Hyphen {
        /// Byte offset where the label starts.
        offset: usize,
    },
    /// A non-ASCII host that IDNA2008 with UTS #46 mapping rejects.
    Idna,
    /// An IPv4 octet is empty (`1..2.3`).
    Ipv4EmptyOctet {
        /// Which octet (0-based).
        index: usize,
    },
    /// An IPv4 octet has a leading zero, which some parsers read as octal.
    Ipv4LeadingZero {
        /// Which octet (0-based).
        index: usize,
    },
    /// Only digits and dots, but not four decimal octets.
    Ipv4OctetCount {
        /// How many octets there were.
        count: usize,
    },
    /// An IPv4 octet is greater than 255.
    Ipv4OctetRange {
        /// Which octet (0-based).
        index: usize,
    },
    /// An IPv6 address in brackets: brackets belong to URLs, not to host names.
    Ipv6Brackets,
    /// Holds a `:` but is not an RFC 4291 IPv6 address.
    Ipv6Syntax,
    /// An IPv6 address with a `%zone`: zones are local to one machine and never in a
    /// certificate.
    Ipv6Zone,
    /// A label is longer than 63 octets.
    LabelTooLong {
        /// Byte offset where the label starts.
        offset: usize,
        /// Its length in octets.
        len: usize,
    },
    /// More than one `*` (presented only).
    MultipleWildcards,
    /// The last label is all digits, so the name could be mistaken for an IPv4 address.
    NumericLastLabel,
    /// A wildcard that is not the whole left-most label, such as `f*.example.com` (presented
    /// only).
    PartialWildcard,
    /// The name is longer than 253 octets (after IDNA conversion, without a trailing dot).
    TooLong {
        /// Its length in octets.
        len: usize,
    },
    /// The name ends with a dot (presented only: one trailing dot on a host is ignored).
    TrailingDot,
    /// A wildcard in a host: only a certificate may present one.
    WildcardHost,
    /// A wildcard inside an A-label, such as `xn--*.example.com` (presented only).
    WildcardInALabel,
    /// A `*` outside the left-most label, such as `www.*.example.com` (presented only).
    WildcardNotLeftmost,
    /// A wildcard followed by fewer than two labels, such as `*.com` (presented only).
    WildcardTooFewLabels,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Empty => f.write_str("it is empty"),
            Self::TooLong { len } => write!(f, "it is {len} octets long, more than 253"),
            Self::EmptyLabel { offset } => write!(f, "empty label at offset {offset}"),
            Self::LabelTooLong { offset, len } => {
                write!(
                    f,
                    "label at offset {offset} is {len} octets long, more than 63"
                )
            }
            Self::Character { byte, offset } => match byte {
                b' ' => write!(f, "space at offset {offset}"),
                0x21..=0x7e => write!(f, "character '{}' at offset {offset}", char::from(byte)),
                _ => write!(f, "byte 0x{byte:02x} at offset {offset}"),
            },
            Self::Hyphen { offset } => {
                write!(f, "label at offset {offset} starts or ends with '-'")
            }
            Self::NumericLastLabel => f.write_str("the last label is all digits"),
            Self::TrailingDot => f.write_str("it ends with a dot"),
            Self::WildcardHost => f.write_str("a wildcard is not a host name"),
            Self::PartialWildcard => {
                f.write_str("partial wildcard: '*' must be the whole left-most label")
            }
            Self::WildcardInALabel => f.write_str("wildcard inside an A-label (xn--)"),
            Self::MultipleWildcards => f.write_str("more than one wildcard"),
            Self::WildcardNotLeftmost => f.write_str("wildcard not in the left-most label"),
            Self::WildcardTooFewLabels => {
                f.write_str("a wildcard must be followed by at least two labels")
            }
            Self::Idna => f.write_str("not a valid internationalized domain name (UTS #46)"),
            Self::Ipv4OctetCount { count } => {
                write!(f, "IPv4 address with {count} octets instead of 4")
            }
            Self::Ipv4EmptyOctet { index } => write!(f, "IPv4 octet {index} is empty"),
            Self::Ipv4LeadingZero { index } => {
                write!(
                    f,
                    "IPv4 octet {index} has a leading zero (octal is ambiguous)"
                )
            }
            Self::Ipv4OctetRange { index } => write!(f, "IPv4 octet {index} is above 255"),
            Self::Ipv6Brackets => f.write_str("IPv6 address in brackets"),
            Self::Ipv6Zone => f.write_str("IPv6 address with a zone identifier"),
            Self::Ipv6Syntax => f.write_str("holds ':' but is not an IPv6 address"),
        }
    }
}

impl StdError for NameError {}

/// A host string that is neither a valid DNS name nor an IP literal.
///
/// Returned by [`ServerName::try_from`](crate::ServerName).
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct InvalidServerName {
    /// The host as given.
    pub input: String,
    /// What is wrong with it.
    pub reason: NameError,
}

impl fmt::Display for InvalidServerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid host {:?}: {}", self.input, self.reason)
    }
}

// No `source()`: the reason is already part of the message, and reporting it twice as a
// cause would repeat it in `anyhow`-style chains.
impl StdError for InvalidServerName {}

/// Why a certificate could not be read.
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum CertificateError {
    /// The DER is not an X.509 certificate.
    Der {
        /// What the X.509 parser reported.
        detail: String,
    },
    /// The subjectAltName extension appears more than once (RFC 5280 section 4.2 forbids it).
    DuplicateSubjectAltName,
    /// The subjectAltName extension is not a valid DER `GeneralNames`.
    MalformedSubjectAltName {
        /// What the DER parser reported.
        detail: String,
    },
    /// The input holds no PEM `CERTIFICATE` block, or the block is not valid base64.
    Pem {
        /// What the PEM reader reported.
        detail: String,
    },
    /// Bytes follow the certificate's DER encoding.
    TrailingData {
        /// How many.
        len: usize,
    },
}

impl fmt::Display for CertificateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pem { detail } => write!(f, "no PEM certificate found: {detail}"),
            Self::Der { detail } => write!(f, "not an X.509 certificate: {detail}"),
            Self::TrailingData { len } => {
                write!(f, "{len} bytes of trailing data after the certificate")
            }
            Self::DuplicateSubjectAltName => {
                f.write_str("certificate has more than one subjectAltName extension")
            }
            Self::MalformedSubjectAltName { detail } => {
                write!(f, "malformed subjectAltName extension: {detail}")
            }
        }
    }
}

impl StdError for CertificateError {}

/// Why one presented identifier did not match the host.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Reason {
    /// The subject CN was not consulted.
    CommonNameIgnored(CommonNameIgnored),
    /// A valid DNS-ID, or IP address, for a different host.
    Different,
    /// A DNS-ID, but the host is an IP address: IP hosts match only iPAddress entries.
    DnsNameForIpHost,
    /// An iPAddress entry that is neither 4 nor 16 octets long.
    InvalidAddressLength {
        /// Its length in octets.
        len: usize,
    },
    /// The presented name is invalid, so it matches nothing.
    InvalidName(NameError),
    /// An iPAddress entry, but the host is a DNS name.
    IpAddressForDnsHost,
    /// The IPv4-mapped IPv6 form of the IPv4 host, or the IPv4 form of an IPv4-mapped host:
    /// they are different addresses.
    Ipv4Mapped,
    /// A subjectAltName type that never names a TLS server (email, URI, directory name, ...).
    UnsupportedType,
    /// A valid wildcard, but the host has a different number of labels (a wildcard stands for
    /// exactly one label).
    WildcardLabelCount {
        /// Labels in the presented wildcard name.
        presented: usize,
        /// Labels in the host.
        host: usize,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Different => f.write_str("names a different host"),
            Self::WildcardLabelCount { presented, host } => write!(
                f,
                "a wildcard matches exactly one label: it has {presented} labels, the host {host}"
            ),
            Self::InvalidName(err) => write!(f, "invalid name, never matches: {err}"),
            Self::InvalidAddressLength { len } => {
                write!(f, "invalid address of {len} octets, never matches")
            }
            Self::DnsNameForIpHost => f.write_str(
                "a DNS name, but the host is an IP address (only iPAddress entries count)",
            ),
            Self::IpAddressForDnsHost => f.write_str("an IP address, but the host is a DNS name"),
            Self::Ipv4Mapped => {
                f.write_str("an IPv4-mapped IPv6 address and an IPv4 address are different")
            }
            Self::CommonNameIgnored(why) => write!(f, "ignored: {why}"),
            Self::UnsupportedType => f.write_str("this name type never identifies a TLS server"),
        }
    }
}

/// Why the subject common name was not used (the CN-ID of RFC 6125 section 6.4.4, dropped by
/// RFC 9525).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum CommonNameIgnored {
    /// The policy does not allow the legacy CN fallback (the default).
    FallbackOff,
    /// The certificate has dNSName entries, so the CN is never consulted.
    HasDnsNames,
    /// The host is an IP address; the CN is only ever a DNS-ID.
    IpHost,
}

impl fmt::Display for CommonNameIgnored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::FallbackOff => "the subject CN is not a DNS-ID unless CN fallback is enabled",
            Self::HasDnsNames => "the certificate has dNSName entries, so the CN is not used",
            Self::IpHost => "the host is an IP address and a CN is only ever a DNS name",
        })
    }
}

/// One presented identifier and why it did not match.
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Rejected {
    /// The identifier, as the certificate presents it.
    pub identity: Identity,
    /// Why it did not match.
    pub reason: Reason,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.identity, self.reason)
    }
}

/// The certificate is not valid for the host: every presented identifier and why each failed.
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct NameMismatch {
    /// The host the caller asked for, in its normalized form.
    pub expected: String,
    /// Every identifier the certificate presents, in order, with the reason it did not match.
    pub presented: Vec<Rejected>,
}

impl fmt::Display for NameMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "certificate is not valid for {:?}", self.expected)?;
        if self.presented.is_empty() {
            return f.write_str(": it presents no identifiers");
        }
        for (i, rejected) in self.presented.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{rejected}")?;
        }
        Ok(())
    }
}

impl StdError for NameMismatch {}
