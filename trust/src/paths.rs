//! Where Unix-like systems keep their certificate authorities, and the environment variables
//! that override them.
//!
//! The tables are the union of what the distributions ship and of openssl-probe's list
//! (<https://github.com/rustls/openssl-probe/blob/main/src/lib.rs>). Every path is absolute
//! and is looked up under the builder's system root.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The locations OpenSSL-based software on this system would use, and the variables that
/// override them.
///
/// Equivalent to Python's `ssl.get_default_verify_paths()`: `cafile` and `capath` are what
/// applies here (an environment override when set, else the first bundle and the directories
/// that exist), and the `openssl_*` fields name the variables and OpenSSL's compiled-in
/// defaults of Debian's build.
///
/// # Examples
///
/// ```
/// let paths = palisade_trust::default_verify_paths();
/// assert_eq!(paths.openssl_cafile_env, "SSL_CERT_FILE");
/// println!("{:?} {:?}", paths.cafile, paths.capath);
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct DefaultVerifyPaths {
    /// The bundle file in effect: `SSL_CERT_FILE` when set, else the first known bundle that
    /// exists.
    pub cafile: Option<PathBuf>,
    /// The directories in effect: those of `SSL_CERT_DIR` when set, else the known
    /// certificate directories that exist.
    pub capath: Vec<PathBuf>,
    /// The variable that overrides the file: `SSL_CERT_FILE`.
    pub openssl_cafile_env: &'static str,
    /// OpenSSL's compiled-in default file (Debian's build): `/usr/lib/ssl/cert.pem`.
    pub openssl_cafile: &'static str,
    /// The variable that overrides the directories: `SSL_CERT_DIR`.
    pub openssl_capath_env: &'static str,
    /// OpenSSL's compiled-in default directory (Debian's build): `/usr/lib/ssl/certs`.
    pub openssl_capath: &'static str,
}

/// The locations that apply on this machine, from the process environment.
///
/// See [`DefaultVerifyPaths`].
pub fn default_verify_paths() -> DefaultVerifyPaths {
    default_verify_paths_in(Path::new("/"), &EnvVars::from_process())
}

/// [`default_verify_paths`] under a system root, with explicit variables.
pub(crate) fn default_verify_paths_in(root: &Path, env: &EnvVars) -> DefaultVerifyPaths {
    let exists = |p: &str| crate::files::rooted(root, Path::new(p)).exists();
    let cafile = match env.ssl_cert_file() {
        Some(file) => Some(file),
        None => BUNDLES
            .iter()
            .find(|(p, _)| exists(p))
            .map(|(p, _)| PathBuf::from(p)),
    };
    let capath = match env.ssl_cert_dirs() {
        Some(dirs) => dirs,
        None => DIRECTORIES
            .iter()
            .filter(|(p, _)| exists(p))
            .map(|(p, _)| PathBuf::from(p))
            .collect(),
    };
    DefaultVerifyPaths {
        cafile,
        capath,
        openssl_cafile_env: "SSL_CERT_FILE",
        openssl_cafile: "/usr/lib/ssl/cert.pem",
        openssl_capath_env: "SSL_CERT_DIR",
        openssl_capath: "/usr/lib/ssl/certs",
    }
}

/// The environment variables that decide where certificates come from.
///
/// | variable | meaning |
/// |---|---|
/// | `SSL_CERT_FILE` | one bundle file; replaces the system's bundles ([`EnvMode::Replace`]) or adds to them ([`EnvMode::Add`]) |
/// | `SSL_CERT_DIR` | directories separated by `:`, as OpenSSL and Go read it; replaces or adds the same way |
/// | `NIX_SSL_CERT_FILE` | NixOS and Nix: one more bundle of the system store (never a replacement) |
///
/// An empty value, or an empty element between `:`s, is ignored: `SSL_CERT_FILE=` does not
/// mean "trust nothing". Values are taken as given (relative paths are relative to the
/// current directory; under a system root, to that root).
///
/// # Examples
///
/// ```
/// use palisade_trust::EnvVars;
///
/// let env = EnvVars::none().with_ssl_cert_dir("/a:/b::");
/// assert!(env.is_override());
/// ```
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub struct EnvVars {
    ssl_cert_file: Option<OsString>,
    ssl_cert_dir: Option<OsString>,
    nix_ssl_cert_file: Option<OsString>,
}

impl EnvVars {
    /// No variables set.
    pub fn none() -> Self {
        Self::default()
    }

    /// The three variables as the current process sees them.
    pub fn from_process() -> Self {
        Self {
            ssl_cert_file: env::var_os("SSL_CERT_FILE"),
            ssl_cert_dir: env::var_os("SSL_CERT_DIR"),
            nix_ssl_cert_file: env::var_os("NIX_SSL_CERT_FILE"),
        }
    }

    /// Sets `SSL_CERT_FILE`.
    pub fn with_ssl_cert_file(mut self, value: impl Into<OsString>) -> Self {
        self.ssl_cert_file = Some(value.into());
        self
    }

    /// Sets `SSL_CERT_DIR`.
    pub fn with_ssl_cert_dir(mut self, value: impl Into<OsString>) -> Self {
        self.ssl_cert_dir = Some(value.into());
        self
    }

    /// Sets `NIX_SSL_CERT_FILE`.
    pub fn with_nix_ssl_cert_file(mut self, value: impl Into<OsString>) -> Self {
        self.nix_ssl_cert_file = Some(value.into());
        self
    }

    /// Whether `SSL_CERT_FILE` or `SSL_CERT_DIR` is set to something non-empty.
    pub fn is_override(&self) -> bool {
        self.ssl_cert_file().is_some() || self.ssl_cert_dirs().is_some()
    }

    /// The variables in effect (set and non-empty), as `NAME=value` strings.
    pub fn in_effect(&self) -> Vec<String> {
        [
            ("SSL_CERT_FILE", &self.ssl_cert_file),
            ("SSL_CERT_DIR", &self.ssl_cert_dir),
            ("NIX_SSL_CERT_FILE", &self.nix_ssl_cert_file),
        ]
        .into_iter()
        .filter_map(|(name, value)| {
            let value = value.as_ref().filter(|v| !v.is_empty())?;
            Some(format!("{name}={}", value.to_string_lossy()))
        })
        .collect()
    }

    pub(crate) fn ssl_cert_file(&self) -> Option<PathBuf> {
        non_empty(self.ssl_cert_file.as_ref())
    }

    pub(crate) fn nix_ssl_cert_file(&self) -> Option<PathBuf> {
        non_empty(self.nix_ssl_cert_file.as_ref())
    }

    pub(crate) fn ssl_cert_dirs(&self) -> Option<Vec<PathBuf>> {
        let value = self.ssl_cert_dir.as_ref()?;
        let dirs: Vec<PathBuf> = env::split_paths(value)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        (!dirs.is_empty()).then_some(dirs)
    }
}

/// What `SSL_CERT_FILE` and `SSL_CERT_DIR` do when set.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub enum EnvMode {
    /// The system store is read as well, and the variables' files and directories are added.
    Add,
    /// OpenSSL's meaning, and the default: when either is set, only the files and
    /// directories they name are read, and nothing of the system store (no bundles, no
    /// directories, no blocklists).
    #[default]
    Replace,
}

fn non_empty(value: Option<&OsString>) -> Option<PathBuf> {
    value.filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Bundle files, most specific first: where several exist, all are read (the same file
/// reached through symbolic links only once), and the first is `cafile`.
pub(crate) const BUNDLES: &[(&str, &str)] = &[
    (
        "/etc/ssl/certs/ca-certificates.crt",
        "Debian, Ubuntu, Gentoo, Arch, Alpine, NixOS",
    ),
    (
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        "Fedora, RHEL 7+",
    ),
    (
        "/etc/pki/ca-trust/extracted/openssl/ca-bundle.trust.crt",
        "Fedora, RHEL 7+ (trust bits)",
    ),
    ("/etc/pki/tls/certs/ca-bundle.crt", "Fedora, RHEL 6"),
    (
        "/etc/pki/tls/certs/ca-bundle.trust.crt",
        "Fedora, RHEL (trust bits)",
    ),
    ("/etc/pki/tls/cacert.pem", "OpenELEC"),
    ("/etc/pki/tls/cert.pem", "Fedora, RHEL"),
    ("/etc/ssl/ca-bundle.pem", "openSUSE"),
    ("/var/lib/ca-certificates/ca-bundle.pem", "openSUSE"),
    ("/etc/ssl/certs/ca-bundle.crt", "NixOS, Void"),
    ("/etc/ssl/cert.pem", "Alpine, OpenBSD, FreeBSD, NetBSD"),
    (
        "/usr/local/share/certs/ca-root-nss.crt",
        "FreeBSD (ca_root_nss)",
    ),
    ("/usr/local/etc/ssl/cert.pem", "FreeBSD"),
    ("/etc/openssl/certs/ca-certificates.crt", "NetBSD"),
    (
        "/usr/pkg/etc/openssl/certs/ca-certificates.crt",
        "NetBSD pkgsrc",
    ),
    (
        "/nix/var/nix/profiles/default/etc/ssl/certs/ca-bundle.crt",
        "Nix on another system",
    ),
    (
        "/run/current-system/sw/etc/ssl/certs/ca-bundle.crt",
        "NixOS",
    ),
    ("/data/data/com.termux/files/usr/etc/tls/cert.pem", "Termux"),
    ("/etc/certs/ca-certificates.crt", "Solaris 11.2+"),
    ("/boot/system/data/ssl/CARootCertificates.pem", "Haiku"),
    (
        "/etc/ca-certificates/extracted/tls-ca-bundle.pem",
        "Arch (what /etc/ssl/certs/ca-certificates.crt links to)",
    ),
    ("/opt/etc/ssl/certs/ca-certificates.crt", "Entware"),
    ("/etc/ssl/certs/cacert.pem", "OpenHarmony"),
    ("/etc/ssl/cacert.pem", "OmniOS"),
    // openssl-probe's <prefix>/{cert.pem,certs.pem,...} for the OpenSSL prefixes it knows.
    ("/usr/lib/ssl/cert.pem", "OpenSSL default (Debian build)"),
    ("/usr/local/ssl/cert.pem", "OpenSSL default (source build)"),
    ("/usr/local/openssl/cert.pem", "openssl-probe"),
    ("/usr/local/etc/openssl/cert.pem", "openssl-probe"),
    ("/usr/ssl/cert.pem", "openssl-probe"),
    ("/usr/share/ssl/cert.pem", "openssl-probe"),
    ("/var/ssl/cert.pem", "openssl-probe (AIX)"),
    ("/var/ssl/certs/ca-bundle.crt", "openssl-probe (AIX)"),
    ("/usr/local/share/cert.pem", "openssl-probe"),
];

/// Certificate directories, with whether they are OpenSSL hashed directories that mirror a
/// bundle (read only when no bundle exists) or stores of their own (always read).
pub(crate) const DIRECTORIES: &[(&str, DirRole)] = &[
    ("/etc/ssl/certs", DirRole::Mirror),
    (
        "/etc/pki/ca-trust/extracted/pem/directory-hash",
        DirRole::Mirror,
    ),
    ("/etc/pki/tls/certs", DirRole::Mirror),
    ("/var/lib/ca-certificates/openssl", DirRole::Mirror),
    ("/etc/openssl/certs", DirRole::Mirror),
    ("/usr/local/share/certs", DirRole::Mirror),
    ("/usr/share/certs/trusted", DirRole::Mirror),
    ("/usr/local/etc/ssl/certs", DirRole::Mirror),
    ("/usr/lib/ssl/certs", DirRole::Mirror),
    ("/usr/local/ssl/certs", DirRole::Mirror),
    ("/etc/security/certificates", DirRole::Mirror), // OpenHarmony
    ("/etc/certs/CA", DirRole::Mirror),              // Solaris, illumos
    ("/var/ssl/certs", DirRole::Mirror),             // AIX
    // Android: the system store (APEX module from Android 14 on, then the classic one) and
    // the certificates the user added in the settings.
    ("/apex/com.android.conscrypt/cacerts", DirRole::Store),
    ("/system/etc/security/cacerts", DirRole::Store),
    ("/data/misc/user/0/cacerts-added", DirRole::Store),
];

/// Directories whose certificates (and public keys) are distrusted.
pub(crate) const BLOCKLISTS: &[&str] = &[
    // p11-kit / ca-certificates on Fedora and RHEL (the old name first, then the new one).
    "/etc/pki/ca-trust/source/blacklist",
    "/etc/pki/ca-trust/source/blocklist",
    "/usr/share/pki/ca-trust-source/blacklist",
    "/usr/share/pki/ca-trust-source/blocklist",
    // p11-kit on Arch and Debian's p11-kit-modules layout.
    "/etc/ca-certificates/trust-source/blacklist",
    "/etc/ca-certificates/trust-source/blocklist",
    "/usr/share/ca-certificates/trust-source/blacklist",
    "/usr/share/ca-certificates/trust-source/blocklist",
    // FreeBSD's certctl(8).
    "/etc/ssl/blacklisted",
    "/etc/ssl/untrusted",
    "/usr/share/certs/blacklisted",
    "/usr/share/certs/untrusted",
    // openSUSE.
    "/etc/pki/trust/blacklist",
    "/usr/share/pki/trust/blacklist",
    // Android: system certificates the user disabled in the settings.
    "/data/misc/user/0/cacerts-removed",
];

/// Whether a directory mirrors a bundle or stands on its own.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum DirRole {
    /// An OpenSSL hashed directory made from the same source as the bundles.
    Mirror,
    /// A store of its own (Android's).
    Store,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SSL_CERT_DIR_VALUES: &[(&str, Option<&[&str]>)] = &[
        ("/a", Some(&["/a"])),
        ("/a:/b", Some(&["/a", "/b"])),
        // Empty elements and empty values are ignored
        ("/a::/b:", Some(&["/a", "/b"])),
        ("", None),
        (":", None),
    ];

    #[test]
    fn ssl_cert_dir_splits_on_colons() {
        for &(value, expected) in SSL_CERT_DIR_VALUES {
            // OpenSSL's list separator: `;` on Windows, where `:` follows a drive letter.
            let value = &if cfg!(windows) {
                value.replace(':', ";")
            } else {
                value.to_owned()
            };
            let env = EnvVars::none().with_ssl_cert_dir(value);
            let expected: Option<Vec<PathBuf>> =
                expected.map(|dirs| dirs.iter().map(PathBuf::from).collect());
            assert_eq!(env.ssl_cert_dirs(), expected, "{value:?}");
            assert_eq!(env.is_override(), expected.is_some(), "{value:?}");
        }
    }

    #[test]
    fn default_paths_under_a_root() {
        let env = EnvVars::none().with_ssl_cert_file("/x.pem");
        let paths = default_verify_paths_in(Path::new("/nonexistent-root"), &env);
        assert_eq!(paths.cafile, Some(PathBuf::from("/x.pem")));
        assert!(paths.capath.is_empty());
        let paths = default_verify_paths_in(Path::new("/nonexistent-root"), &EnvVars::none());
        assert_eq!(paths.cafile, None);
    }

    #[test]
    fn every_table_path_is_absolute() {
        let all = BUNDLES
            .iter()
            .map(|(p, _)| *p)
            .chain(DIRECTORIES.iter().map(|(p, _)| *p))
            .chain(BLOCKLISTS.iter().copied());
        for path in all {
            // Unix paths: on Windows, where they are only read under a system root, a path
            // without a drive letter is not "absolute", so check the form.
            assert!(path.starts_with('/') && !path.contains(".."), "{path}");
        }
    }
}
