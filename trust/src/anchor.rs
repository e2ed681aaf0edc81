//! A trust anchor: one root certificate with what it says about itself and where it was found.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use rustls_pki_types::CertificateDer;
use time::{OffsetDateTime, PrimitiveDateTime};
use x509_parser::certificate::X509CertificateParser;
use x509_parser::nom::Parser as _;

use crate::dn::distinguished_name;
use crate::error::ErrorKind;
use crate::pem::{oid_list, read_tlv};
use crate::purpose::Purposes;

/// One certificate authority the system trusts, with its metadata and provenance.
///
/// # Examples
///
/// ```
/// use palisade_trust::TrustStore;
///
/// let store = TrustStore::system();
/// for anchor in store.anchors().iter().take(3) {
///     println!("{} {} {}", anchor.subject(), anchor.fingerprint_hex(), anchor.provenance()[0]);
/// }
/// ```
#[derive(Clone)]
pub struct TrustAnchor {
    der: CertificateDer<'static>,
    subject: OnceLock<String>,
    subject_raw: (usize, usize),
    spki_raw: (usize, usize),
    not_before: i64,
    not_after: i64,
    fingerprint: [u8; 32],
    ca: CaStatus,
    purposes: Purposes,
    eku: Purposes,
    alias: Option<String>,
    provenance: Vec<Provenance>,
}

impl TrustAnchor {
    /// Parses one DER certificate, with the purposes OpenSSL trust settings allow.
    pub(crate) fn parse(
        der: Vec<u8>,
        fingerprint: [u8; 32],
        trust: Option<Purposes>,
        reject: Purposes,
        alias: Option<String>,
        provenance: Provenance,
    ) -> Result<Self, ErrorKind> {
        let info = CertInfo::parse(&der)?;
        let purposes = info
            .eku
            .intersection(trust.unwrap_or(Purposes::ALL))
            .difference(reject);
        Ok(Self {
            subject: OnceLock::new(),
            subject_raw: info.subject_raw,
            spki_raw: info.spki_raw,
            not_before: info.not_before,
            not_after: info.not_after,
            fingerprint,
            ca: info.ca,
            purposes,
            eku: info.eku,
            alias,
            provenance: vec![provenance],
            der: CertificateDer::from(der),
        })
    }

    /// The certificate, DER-encoded.
    pub fn der(&self) -> &CertificateDer<'static> {
        &self.der
    }

    /// The subject distinguished name, as text: `C=US, O=DigiCert\\, Inc., CN=...`, its RDNs
    /// in the certificate's own order as `openssl x509 -subject` prints them (most roots put
    /// `C=` first, some `CN=` first), values escaped as RFC 4514 says.
    pub fn subject(&self) -> &str {
        self.subject
            .get_or_init(|| distinguished_name(self.subject_der()))
    }

    /// The DER encoding of the subject name (the `Name` SEQUENCE).
    pub fn subject_der(&self) -> &[u8] {
        &self.der[self.subject_raw.0..self.subject_raw.1]
    }

    /// The DER encoding of the SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> &[u8] {
        &self.der[self.spki_raw.0..self.spki_raw.1]
    }

    /// The start of the validity period (UTC).
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_trust::TrustStore;
    ///
    /// for anchor in TrustStore::system().anchors().iter().take(3) {
    ///     // `time`'s Date prints as YYYY-MM-DD.
    ///     println!("{} until {}", anchor.subject(), anchor.not_after().date());
    ///     assert!(anchor.not_before() < anchor.not_after());
    /// }
    /// ```
    pub fn not_before(&self) -> OffsetDateTime {
        date_time(self.not_before)
    }

    /// The end of the validity period (UTC).
    pub fn not_after(&self) -> OffsetDateTime {
        date_time(self.not_after)
    }

    /// Whether the validity period has ended at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        unix_seconds(now) > self.not_after
    }

    /// The SHA-256 fingerprint of the DER certificate.
    pub fn fingerprint(&self) -> &[u8; 32] {
        &self.fingerprint
    }

    /// The SHA-256 fingerprint as 64 lowercase hex digits.
    pub fn fingerprint_hex(&self) -> String {
        base16ct::lower::encode_string(&self.fingerprint)
    }

    /// Whether the certificate is allowed to be a certificate authority.
    pub fn ca(&self) -> CaStatus {
        self.ca
    }

    /// What the anchor is trusted for. Each source that lists it allows its extended key
    /// usages (all when it has none): a plain `CERTIFICATE` all of them, a
    /// `TRUSTED CERTIFICATE` only those in its trust list (when it has one) minus those in its
    /// reject list; the anchor's purposes are the union over its sources. (A reject of
    /// `serverAuth` also distrusts the key everywhere: see
    /// [`TrustStore::distrusted`](crate::TrustStore::distrusted).)
    pub fn purposes(&self) -> Purposes {
        self.purposes
    }

    /// Whether a TLS client should use this anchor to authenticate servers: a CA trusted for
    /// `serverAuth`. Validity is not judged here (see [`TrustAnchor::is_expired_at`]).
    pub fn is_tls_server_anchor(&self) -> bool {
        matches!(self.ca, CaStatus::Ca) && self.purposes.contains(Purposes::SERVER_AUTH)
    }

    /// The friendly name of a `TRUSTED CERTIFICATE` block, if it had one.
    pub fn alias(&self) -> Option<&str> {
        self.alias.as_deref()
    }

    /// Every place the certificate was found, in the order they were read; never empty.
    pub fn provenance(&self) -> &[Provenance] {
        &self.provenance
    }

    /// Whether an administrator or the user added this root to the operating system's store:
    /// found in a source where such roots go ([`Provenance::is_local_addition`]) and in none
    /// where the vendor's go (Windows `AuthRoot`, the macOS system domain).
    pub fn is_local_addition(&self) -> bool {
        let vendor = |p: &Provenance| match p {
            Provenance::Windows { store, .. } => store.eq_ignore_ascii_case("AuthRoot"),
            Provenance::MacOs { domain } => *domain == MacDomain::System,
            Provenance::File { .. } | Provenance::Memory { .. } | Provenance::WebpkiRoots => false,
        };
        self.provenance.iter().any(Provenance::is_local_addition)
            && !self.provenance.iter().any(vendor)
    }

    /// Records one more plain (`CERTIFICATE`) sighting: no trust settings narrow it.
    pub(crate) fn add_sighting(&mut self, provenance: Provenance) {
        self.purposes |= self.eku;
        self.provenance.push(provenance);
    }

    /// Merges a second sighting of the same certificate: one more provenance, and purposes
    /// widened by what the other source allows (the sources' rejects were already applied).
    pub(crate) fn merge(&mut self, other: Self) {
        self.purposes |= other.purposes;
        if self.alias.is_none() {
            self.alias = other.alias;
        }
        self.provenance.extend(other.provenance);
    }
}

impl fmt::Debug for TrustAnchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrustAnchor")
            .field("subject", &self.subject())
            .field("fingerprint", &self.fingerprint_hex())
            .field("not_after", &format_args!("{}", self.not_after().date()))
            .field("ca", &self.ca)
            .field("purposes", &self.purposes)
            .field("provenance", &self.provenance)
            .finish_non_exhaustive()
    }
}

/// Whether a certificate may act as a certificate authority.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum CaStatus {
    /// basicConstraints says `cA: TRUE`, or it is a self-issued version 1 certificate (which
    /// has no extensions; OpenSSL accepts those as roots too).
    Ca,
    /// An end-entity certificate, such as Debian's `ssl-cert-snakeoil.pem`: flagged and kept
    /// out of [`TrustStore::tls_anchors`](crate::TrustStore::tls_anchors).
    NotCa,
}

/// Where a certificate was found.
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum Provenance {
    /// A block of a file (or the whole file, block 0, when it is DER).
    File {
        /// The file, as it was reached (under the system root when one was given).
        path: PathBuf,
        /// The PEM block, counting from 1; 0 for a DER file.
        block: usize,
        /// Why the file was read.
        source: SourceKind,
    },
    /// Certificates the program gave ([`TrustStore::from_pem`](crate::TrustStore::from_pem),
    /// [`TrustStore::from_certificates`](crate::TrustStore::from_certificates)), shown as
    /// `memory#<index>`.
    Memory {
        /// The PEM block, or the place in the list of DER certificates, counting from 1; 0 for
        /// one DER certificate given to `from_pem`.
        index: usize,
    },
    /// Mozilla's roots compiled into the program (the `webpki-roots` feature).
    WebpkiRoots,
    /// A Windows system certificate store, shown as `windows:<location>\<store>`.
    Windows {
        /// Where the store lives (user, machine, Group Policy, enterprise).
        location: WindowsLocation,
        /// The store's name: `ROOT`, `AuthRoot` or `Disallowed`.
        store: &'static str,
    },
    /// The trust settings of a macOS domain, shown as `macos:<domain>`.
    MacOs {
        /// The trust-settings domain.
        domain: MacDomain,
    },
}

impl Provenance {
    /// The file, when the certificate came from one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::File { path, .. } => Some(path),
            Self::Memory { .. } | Self::WebpkiRoots | Self::Windows { .. } | Self::MacOs { .. } => {
                None
            }
        }
    }

    /// Whether this source holds roots an administrator or the user added, rather than the
    /// operating system's vendor: a Windows `ROOT` store (any location; `AuthRoot`, Microsoft's
    /// root program, is not one) or the macOS user and admin domains. Files and the program's
    /// own certificates are not.
    pub fn is_local_addition(&self) -> bool {
        match self {
            Self::Windows { store, .. } => store.eq_ignore_ascii_case("ROOT"),
            Self::MacOs { domain } => matches!(domain, MacDomain::User | MacDomain::Admin),
            Self::File { .. } | Self::Memory { .. } | Self::WebpkiRoots => false,
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File { path, block, .. } if *block > 0 => {
                write!(f, "{}#{block}", path.display())
            }
            Self::File { path, .. } => write!(f, "{}", path.display()),
            Self::Memory { index } if *index > 0 => write!(f, "memory#{index}"),
            Self::Memory { .. } => f.write_str("memory"),
            Self::WebpkiRoots => f.write_str("webpki-roots"),
            Self::Windows { location, store } => {
                write!(f, "windows:{}\\{store}", location.as_str())
            }
            Self::MacOs { domain } => write!(f, "macos:{}", domain.as_str()),
        }
    }
}

/// A location of Windows system certificate stores (a `CERT_SYSTEM_STORE_*` flag).
///
/// <https://learn.microsoft.com/en-us/windows/win32/seccrypto/system-store-locations>
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub enum WindowsLocation {
    /// `HKEY_CURRENT_USER\Software\Microsoft\SystemCertificates`: the user's own stores.
    CurrentUser,
    /// `HKEY_CURRENT_USER\Software\Policies\Microsoft\SystemCertificates`: user Group Policy.
    CurrentUserGroupPolicy,
    /// `HKEY_LOCAL_MACHINE\Software\Microsoft\SystemCertificates`: the machine's stores.
    LocalMachine,
    /// `HKEY_LOCAL_MACHINE\Software\Policies\Microsoft\SystemCertificates`: machine Group
    /// Policy.
    LocalMachineGroupPolicy,
    /// `HKEY_LOCAL_MACHINE\Software\Microsoft\EnterpriseCertificates`: published in Active
    /// Directory for the whole enterprise.
    LocalMachineEnterprise,
}

impl WindowsLocation {
    /// Every location, in the order they are read.
    pub const ALL: [Self; 5] = [
        Self::CurrentUser,
        Self::CurrentUserGroupPolicy,
        Self::LocalMachine,
        Self::LocalMachineGroupPolicy,
        Self::LocalMachineEnterprise,
    ];

    /// The name used in provenance: `CurrentUser`, `CurrentUser-GroupPolicy`, `LocalMachine`,
    /// `LocalMachine-GroupPolicy` or `LocalMachine-Enterprise`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CurrentUser => "CurrentUser",
            Self::CurrentUserGroupPolicy => "CurrentUser-GroupPolicy",
            Self::LocalMachine => "LocalMachine",
            Self::LocalMachineGroupPolicy => "LocalMachine-GroupPolicy",
            Self::LocalMachineEnterprise => "LocalMachine-Enterprise",
        }
    }
}

/// A macOS trust-settings domain (`SecTrustSettingsDomain`).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub enum MacDomain {
    /// The user's own settings (`kSecTrustSettingsDomainUser`).
    User,
    /// Settings an administrator made for the whole machine (`kSecTrustSettingsDomainAdmin`).
    Admin,
    /// Apple's roots (`kSecTrustSettingsDomainSystem`), read-only.
    System,
}

impl MacDomain {
    /// `user`, `admin` or `system`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Admin => "admin",
            Self::System => "system",
        }
    }
}

/// Why a file or directory was read.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub enum SourceKind {
    /// A bundle file of the distribution's layout.
    Bundle,
    /// A certificate directory of the distribution's layout (OpenSSL hashed, or Android's).
    Directory,
    /// A file named by `SSL_CERT_FILE` (or `NIX_SSL_CERT_FILE`).
    EnvFile,
    /// A directory named by `SSL_CERT_DIR`.
    EnvDirectory,
    /// A file or directory the caller added with the builder.
    Extra,
    /// A blocklist: every certificate or public key in it is distrusted.
    Blocklist,
    /// An operating-system store: a Windows certificate store or a macOS trust-settings
    /// domain. Its [`Source::path`](crate::Source::path) is the provenance name, such as
    /// `windows:CurrentUser\ROOT` or `macos:admin`.
    SystemStore,
    /// Certificates the program gave in memory; its [`Source::path`](crate::Source::path) is
    /// `memory`.
    Memory,
}

impl SourceKind {
    /// A short lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bundle => "bundle",
            Self::Directory => "directory",
            Self::EnvFile => "env-file",
            Self::EnvDirectory => "env-directory",
            Self::Extra => "extra",
            Self::Blocklist => "blocklist",
            Self::SystemStore => "system-store",
            Self::Memory => "memory",
        }
    }
}

/// What this crate reads from a certificate.
pub(crate) struct CertInfo {
    pub(crate) issuer_raw: (usize, usize),
    pub(crate) subject_raw: (usize, usize),
    pub(crate) spki_raw: (usize, usize),
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
    pub(crate) ca: CaStatus,
    pub(crate) eku: Purposes,
}

impl CertInfo {
    pub(crate) fn parse(der: &[u8]) -> Result<Self, ErrorKind> {
        let invalid = |reason: String| ErrorKind::InvalidCertificate { reason };
        // Extensions are walked below for the two this crate reads; parsing all of them deeply
        // would double the cost of loading a store.
        let mut parser = X509CertificateParser::new().with_deep_parse_extensions(false);
        let (rest, cert) = parser.parse(der).map_err(|e| invalid(e.to_string()))?;
        if !rest.is_empty() {
            return Err(invalid("trailing bytes after the certificate".into()));
        }
        // The parser returns sub-slices of `der`; their offsets locate the fields without
        // copying. Checked rather than assumed, so that a parser change cannot cause a panic.
        let range = |part: &[u8]| {
            (part.as_ptr() as usize)
                .checked_sub(der.as_ptr() as usize)
                .filter(|start| start + part.len() <= der.len())
                .map(|start| (start, start + part.len()))
                .ok_or_else(|| invalid("a field lies outside the certificate".into()))
        };
        let mut constraints = None;
        let mut eku = Purposes::ALL;
        for ext in cert.extensions() {
            match ext.oid.as_bytes() {
                BASIC_CONSTRAINTS => {
                    constraints = Some(
                        basic_constraints_ca(ext.value)
                            .ok_or_else(|| invalid("malformed basicConstraints".into()))?,
                    );
                }
                EXTENDED_KEY_USAGE => {
                    eku = match read_tlv(ext.value) {
                        Some((0x30, list, [])) => oid_list(list),
                        _ => Err("not a SEQUENCE"),
                    }
                    .map_err(|e| invalid(format!("malformed extendedKeyUsage: {e}")))?;
                }
                _ => {}
            }
        }
        let self_issued = cert.subject().as_raw() == cert.issuer().as_raw();
        // https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9: "The cA boolean indicates
        // whether the certified public key may be used to verify certificate signatures."
        // Version 1 certificates cannot carry the extension; a self-issued one is a root.
        let ca = match constraints {
            Some(true) => CaStatus::Ca,
            Some(false) => CaStatus::NotCa,
            None if cert.version().0 == 0 && self_issued => CaStatus::Ca,
            None => CaStatus::NotCa,
        };
        Ok(Self {
            subject_raw: range(cert.subject().as_raw())?,
            issuer_raw: range(cert.issuer().as_raw())?,
            spki_raw: range(cert.public_key().raw)?,
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            ca,
            eku,
        })
    }
}

/// The cA flag of a basicConstraints value (RFC 5280 section 4.2.1.9):
///
/// ```text
/// BasicConstraints ::= SEQUENCE {
///      cA                      BOOLEAN DEFAULT FALSE,
///      pathLenConstraint       INTEGER (0..MAX) OPTIONAL }
/// ```
fn basic_constraints_ca(value: &[u8]) -> Option<bool> {
    let (0x30, content, []) = read_tlv(value)? else {
        return None;
    };
    match read_tlv(content) {
        None if content.is_empty() => Some(false),
        Some((0x01, [flag], _)) => Some(*flag != 0),
        Some((0x02, _, [])) => Some(false),
        _ => None,
    }
}

/// 2.5.29.19, DER content octets.
const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
/// 2.5.29.37, DER content octets.
const EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];

/// Seconds since the Unix epoch (negative before it).
pub(crate) fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// The date and time of seconds since the Unix epoch. Certificate times are ASN.1 UTCTime or
/// GeneralizedTime (years 0000 to 9999), which `time` holds; anything beyond clamps to its range.
pub(crate) fn date_time(secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or(if secs < 0 {
        PrimitiveDateTime::MIN.assume_utc()
    } else {
        PrimitiveDateTime::MAX.assume_utc()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASIC_CONSTRAINTS_VALUES: &[(&[u8], Option<bool>)] = &[
        // SEQUENCE {} : cA defaults to FALSE
        (&[0x30, 0x00], Some(false)),
        (&[0x30, 0x03, 0x01, 0x01, 0xff], Some(true)),
        (
            &[0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00],
            Some(true),
        ),
        (&[0x30, 0x03, 0x01, 0x01, 0x00], Some(false)),
        // pathLenConstraint alone
        (&[0x30, 0x03, 0x02, 0x01, 0x03], Some(false)),
        // Malformed: not a SEQUENCE, truncated, trailing bytes
        (&[0x31, 0x00], None),
        (&[0x30, 0x03, 0x01, 0x01], None),
        (&[0x30, 0x00, 0x00], None),
        (&[0x30, 0x02, 0x05, 0x00], None),
    ];

    #[test]
    fn basic_constraints() {
        for &(value, expected) in BASIC_CONSTRAINTS_VALUES {
            assert_eq!(basic_constraints_ca(value), expected, "{value:02x?}");
        }
    }

    #[test]
    fn fingerprint_hex_is_lowercase_and_in_order() {
        let der = include_bytes!("../tests/data/root_b.der").to_vec();
        let fingerprint = std::array::from_fn(|i| u8::try_from(i * 8).unwrap());
        let anchor = TrustAnchor::parse(
            der,
            fingerprint,
            None,
            Purposes::NONE,
            None,
            Provenance::WebpkiRoots,
        )
        .unwrap();
        assert_eq!(
            anchor.fingerprint_hex(),
            "0008101820283038404850586068707880889098a0a8b0b8c0c8d0d8e0e8f0f8"
        );
    }

    #[test]
    fn dates() {
        for (secs, text) in [
            (0, "1970-01-01"),
            (-86_400, "1969-12-31"),
            (951_782_400, "2000-02-29"),
            (2_524_607_999, "2049-12-31"),
            (253_402_300_799, "9999-12-31"),
        ] {
            assert_eq!(date_time(secs).date().to_string(), text, "{secs}");
        }
        // Beyond what a certificate can say: clamped, not a panic.
        assert!(date_time(i64::MAX) > date_time(253_402_300_799));
        assert!(date_time(i64::MIN) < date_time(-86_400));
    }
}
