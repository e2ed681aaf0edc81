//! What a load records besides anchors: the files read, the paths skipped and why, and the
//! distrust entries; and when hashed directories are read.

use std::fmt;
use std::path::PathBuf;

use crate::anchor::{Provenance, SourceKind};
use crate::purpose::Purposes;

/// When the OpenSSL hashed directories beside a bundle are read (the known ones, and
/// `SSL_CERT_DIR` next to `SSL_CERT_FILE`). Android's stores are always read.
///
/// # Examples
///
/// ```
/// use palisade_trust::{DirectoryScan, TrustStore};
///
/// // The default reads every place OpenSSL would consult; `Auto` is an opt-in shortcut.
/// assert_eq!(DirectoryScan::default(), DirectoryScan::Always);
/// let store = TrustStore::builder().directory_scan(DirectoryScan::Always).build();
/// # drop(store);
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub enum DirectoryScan {
    /// The default, and OpenSSL's behaviour: every hashed directory is read as well as every
    /// bundle, since OpenSSL looks certificates up by subject hash in the directory even when a
    /// bundle exists. A root made trusted with `certctl trust`, or dropped into
    /// `/etc/ssl/certs` and `c_rehash`ed before the bundle was rebuilt, lives only there.
    /// Each root is kept once (by DER), with every place it was seen in its provenance.
    #[default]
    Always,
    /// A shortcut for callers who measured that they need it: a hashed directory is read only
    /// when no bundle was read, or when it was modified more than a minute after the newest
    /// bundle read. It misses a root added to the directory within a minute of the bundle
    /// being written, so it is never the default.
    Auto,
}

/// One file that was read.
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Source {
    /// The file, as reached (before resolving links).
    pub path: PathBuf,
    /// Why it was read.
    pub kind: SourceKind,
    /// How many certificates (or blocklist entries) it gave.
    pub certificates: usize,
    /// How many of its blocks were bad.
    pub errors: usize,
}

/// One distrusted certificate or public key, and whether it removed an anchor.
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Distrust {
    /// The subject of the distrusted certificate (none for a bare public key).
    pub subject: Option<String>,
    /// The distrusted SubjectPublicKeyInfo: every certificate with this key is removed.
    pub spki: Vec<u8>,
    /// What said so.
    pub reason: DistrustReason,
    /// Where.
    pub provenance: Provenance,
    /// Whether an anchor with this key was found and removed.
    pub removed: bool,
}

impl Distrust {
    pub(crate) fn new(
        subject: Option<String>,
        spki: Vec<u8>,
        reason: DistrustReason,
        provenance: Provenance,
    ) -> Self {
        Self {
            subject,
            spki,
            reason,
            provenance,
            removed: false,
        }
    }
}

impl fmt::Display for Distrust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let subject = self.subject.as_deref().unwrap_or("a public key");
        write!(f, "{subject}: {} ({})", self.reason, self.provenance)
    }
}

/// Why a certificate is distrusted.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum DistrustReason {
    /// It is in a blocklist directory.
    Blocklist,
    /// A `TRUSTED CERTIFICATE` block rejects these purposes, server authentication among them.
    Rejected(Purposes),
    /// It is in a Windows `Disallowed` store ("Untrusted Certificates").
    Disallowed,
    /// macOS trust settings deny it (`kSecTrustSettingsResultDeny`) for TLS.
    TrustSettingsDeny,
}

impl fmt::Display for DistrustReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Blocklist => f.write_str("in a blocklist"),
            Self::Rejected(p) => write!(f, "TRUSTED CERTIFICATE rejects {p}"),
            Self::Disallowed => f.write_str("in a Windows Disallowed store"),
            Self::TrustSettingsDeny => f.write_str("macOS trust settings deny it"),
        }
    }
}

/// A directory entry or file that was looked at and deliberately not read, with why: nothing
/// is left out silently.
///
/// # Examples
///
/// ```
/// let store = palisade_trust::TrustStore::system();
/// for skipped in store.skipped() {
///     println!("{}: {}", skipped.path.display(), skipped.reason);
/// }
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Skipped {
    /// The path as reached (before resolving links).
    pub path: PathBuf,
    /// Why it was not read.
    pub reason: SkipReason,
}

/// Why a path was not read.
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum SkipReason {
    /// It is the same file (by device and inode) as one read before through another path, such
    /// as `/etc/ssl/certs/Foo.pem` beside the `<hash>.0` link to it, or a link to the bundle.
    SameFile {
        /// The path the file was read through.
        read_as: PathBuf,
    },
    /// An OpenSSL certificate revocation list (`<hash>.r<n>`): not a trust anchor.
    RevocationList,
    /// A symbolic link whose target does not exist.
    DanglingLink,
    /// A subdirectory of a certificate directory (such as Debian's `java/`): not descended into.
    Subdirectory,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SameFile { read_as } => {
                write!(f, "the same file as {}, already read", read_as.display())
            }
            Self::RevocationList => f.write_str("a certificate revocation list, not a certificate"),
            Self::DanglingLink => f.write_str("a symbolic link to nothing"),
            Self::Subdirectory => f.write_str("a subdirectory, not descended into"),
        }
    }
}
