//! The trust store: anchors, distrust, errors and sources, and the builder that makes one.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rustls_pki_types::CertificateDer;

use crate::anchor::{SourceKind, TrustAnchor};
use crate::discover::{Collected, Loader, Required};
use crate::error::{Error, ErrorKind};
use crate::files::Stamp;
use crate::memory;
use crate::paths::{EnvMode, EnvVars};
use crate::record::{DirectoryScan, Distrust, Skipped, Source};

/// Every root the system trusts, where each came from, what was distrusted, and what could
/// not be read.
///
/// # Examples
///
/// ```
/// use palisade_trust::TrustStore;
///
/// let store = TrustStore::system();
/// for err in store.errors() {
///     eprintln!("skipped: {err}");
/// }
/// println!("{} TLS roots from {} sources", store.tls_anchors().count(), store.sources().len());
/// ```
#[derive(Debug)]
pub struct TrustStore {
    anchors: Vec<TrustAnchor>,
    distrusted: Vec<Distrust>,
    errors: Vec<Error>,
    sources: Vec<Source>,
    skipped: Vec<Skipped>,
    env_in_effect: Vec<String>,
    env_replaced_system: bool,
    fallback_used: bool,
    root: PathBuf,
    pub(crate) watched: Vec<(PathBuf, Option<Stamp>)>,
}

impl TrustStore {
    /// The store of this system, read as [`TrustStore::builder`]'s defaults say: the process
    /// environment's `SSL_CERT_FILE`/`SSL_CERT_DIR` replace the system store when set.
    ///
    /// This never fails as a whole: see [`TrustStore::errors`].
    ///
    /// # Platform-specific behavior
    ///
    /// | platform | sources |
    /// |---|---|
    /// | Linux, the BSDs, Android, other Unix | the bundles and directories of every known layout (see the crate docs) |
    /// | macOS | the certificates with trust settings in the user, admin and system domains, decided as Go 1.17 does (see the crate docs); provenance `macos:<domain>` |
    /// | Windows | the `ROOT` and `AuthRoot` stores of `CurrentUser`, `CurrentUser-GroupPolicy`, `LocalMachine`, `LocalMachine-GroupPolicy` and `LocalMachine-Enterprise`, minus every `Disallowed` store; provenance `windows:<location>\<store>` |
    ///
    /// On every platform, `SSL_CERT_FILE`/`SSL_CERT_DIR` replace the operating system's store
    /// when set ([`TrustStore::env_replaced_system`] says so), as on Unix.
    pub fn system() -> Self {
        Builder::new().build()
    }

    /// A builder for a store with a different system root, environment or extra files.
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// A store of only the roots in `bytes`, the program's own: PEM text with one or more
    /// `CERTIFICATE` (or `TRUSTED CERTIFICATE`, with its trust settings) blocks, or one DER
    /// certificate, read as a bundle file is. Nothing of the system is read.
    ///
    /// This never fails as a whole: a bad block is an error in [`TrustStore::errors`] that
    /// says which block (and the line it starts on), and the good ones are kept. A certificate
    /// that is not a CA is kept in [`TrustStore::anchors`] as
    /// [`CaStatus::NotCa`](crate::CaStatus::NotCa) and left out of
    /// [`TrustStore::tls_anchors`]. Each anchor's provenance is
    /// [`Provenance::Memory`](crate::Provenance::Memory) with its block number; the one
    /// [`Source`] is `memory`, of kind [`SourceKind::Memory`].
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_trust::{Provenance, TrustStore};
    ///
    /// let pem = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/root_a.pem"));
    /// let store = TrustStore::from_pem(pem);
    /// assert!(store.errors().is_empty());
    /// assert_eq!(store.tls_anchors().count(), 1);
    /// assert_eq!(store.anchors()[0].provenance(), [Provenance::Memory { index: 1 }]);
    ///
    /// // A damaged block costs only itself, and says where it was.
    /// let bundle = format!("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n{pem}");
    /// let store = TrustStore::from_pem(bundle);
    /// assert_eq!(store.tls_anchors().count(), 1);
    /// assert_eq!(
    ///     store.errors()[0].to_string(),
    ///     "line 1 (block 1): PEM block \"CERTIFICATE\" is not valid base64"
    /// );
    /// ```
    pub fn from_pem(bytes: impl AsRef<[u8]>) -> Self {
        Self::in_memory(memory::collect_pem(bytes.as_ref()))
    }

    /// A store of only these DER certificates, the program's own, such as the
    /// [`CertificateDer`]s of rustls-pemfile or another store. Nothing of the system is read.
    ///
    /// As [`TrustStore::from_pem`]: a certificate that does not parse is an error in
    /// [`TrustStore::errors`] naming its place in the list (counting from 1), the others are
    /// kept, non-CAs are flagged [`CaStatus::NotCa`](crate::CaStatus::NotCa), and the
    /// provenance is [`Provenance::Memory`](crate::Provenance::Memory) with that place.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> Result<(), palisade_trust::Error> {
    /// use palisade_trust::{TrustStore, pem_to_der};
    ///
    /// let pem = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/root_a.pem"));
    /// let root = pem_to_der(pem)?;
    /// let store = TrustStore::from_certificates([&b"not DER"[..], &root]);
    /// assert_eq!(store.tls_anchors().count(), 1);
    /// assert!(store.errors()[0].to_string().starts_with("certificate 1: invalid certificate"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_certificates<I>(certs: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        Self::in_memory(memory::collect_der(certs))
    }

    /// Every anchor, distrusted ones removed, de-duplicated by DER, in the order first read.
    /// Includes anchors not meant for TLS servers; see [`TrustStore::tls_anchors`].
    pub fn anchors(&self) -> &[TrustAnchor] {
        &self.anchors
    }

    /// The anchors a TLS client should use: CAs trusted for server authentication.
    pub fn tls_anchors(&self) -> impl Iterator<Item = &TrustAnchor> {
        self.anchors.iter().filter(|a| a.is_tls_server_anchor())
    }

    /// The enterprise-additions view: the TLS anchors an administrator or the user added to
    /// the operating system's store ([`TrustAnchor::is_local_addition`]), the roots Firefox
    /// (`security.enterprise_roots.enabled`) and Node (`--use-system-ca`) import on top of
    /// their own. Windows: the `ROOT` stores of every location and not `AuthRoot` (Microsoft's
    /// root program; `LocalMachine\ROOT` also holds the few roots Windows ships with). macOS:
    /// the user and admin domains and not the system domain. Empty on other systems, whose
    /// files do not say who added a root.
    ///
    /// # Examples
    ///
    /// ```
    /// let store = palisade_trust::TrustStore::system();
    /// for anchor in store.enterprise_additions() {
    ///     println!("added here: {} ({})", anchor.subject(), anchor.provenance()[0]);
    /// }
    /// ```
    pub fn enterprise_additions(&self) -> impl Iterator<Item = &TrustAnchor> {
        self.tls_anchors().filter(|a| a.is_local_addition())
    }

    /// The TLS anchors as [`CertificateDer`]s borrowing from the store: no copying.
    pub fn certificates(&self) -> impl Iterator<Item = CertificateDer<'_>> {
        self.tls_anchors()
            .map(|a| CertificateDer::from(&a.der()[..]))
    }

    /// Every distrust entry: `TRUSTED CERTIFICATE` rejects and blocklist entries, whether or
    /// not they matched an anchor.
    pub fn distrusted(&self) -> &[Distrust] {
        &self.distrusted
    }

    /// Every file, directory or block that could not be used, with where and why.
    pub fn errors(&self) -> &[Error] {
        &self.errors
    }

    /// Every file read, with how many certificates it gave.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// Every path looked at and deliberately not read, with why: a second path to a file
    /// already read, a revocation list, a link to nothing, a subdirectory.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// The environment variables that applied, as `NAME=value`.
    pub fn env_in_effect(&self) -> &[String] {
        &self.env_in_effect
    }

    /// Whether `SSL_CERT_FILE`/`SSL_CERT_DIR` replaced the system store.
    pub fn env_replaced_system(&self) -> bool {
        self.env_replaced_system
    }

    /// Whether Mozilla's compiled-in roots were added (feature `webpki-roots`, see
    /// `Builder::fallback`); their provenance is
    /// [`Provenance::WebpkiRoots`](crate::Provenance::WebpkiRoots).
    pub fn fallback_used(&self) -> bool {
        self.fallback_used
    }

    /// The system root the store was read under (`/` for this system).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The anchors whose validity period has ended at `now`.
    pub fn expired_at(&self, now: SystemTime) -> impl Iterator<Item = &TrustAnchor> {
        self.anchors.iter().filter(move |a| a.is_expired_at(now))
    }

    /// The anchor with this DER encoding, if any.
    pub fn find(&self, der: &[u8]) -> Option<&TrustAnchor> {
        self.anchors.iter().find(|a| a.der().as_ref() == der)
    }

    /// The distrust entries that match a certificate's public key.
    pub fn distrust_for(&self, spki: &[u8]) -> impl Iterator<Item = &Distrust> {
        self.distrusted.iter().filter(move |d| d.spki == spki)
    }

    /// Consumes the store into rustls-native-certs' shape: TLS anchors and errors.
    pub fn into_certificate_result(self) -> CertificateResult {
        let certs = self
            .anchors
            .into_iter()
            .filter(TrustAnchor::is_tls_server_anchor)
            .map(|a| a.der().clone())
            .collect();
        CertificateResult {
            certs,
            errors: self.errors,
        }
    }

    /// A store of what was read from memory: no system root, no environment.
    fn in_memory(collected: Collected) -> Self {
        Self::assemble(collected, &Builder::new(), &EnvVars::none(), false)
    }

    fn assemble(collected: Collected, builder: &Builder, env: &EnvVars, replaced: bool) -> Self {
        let Collected {
            anchors: found,
            mut distrust,
            errors,
            sources,
            skipped,
            watched,
        } = collected;
        let mut anchors = found;
        if !distrust.is_empty() {
            let keys: HashSet<&[u8]> = distrust.iter().map(|d| d.spki.as_slice()).collect();
            let mut removed = HashSet::new();
            anchors.retain(|a| {
                let keep = !keys.contains(a.spki_der());
                if !keep {
                    removed.insert(a.spki_der().to_vec());
                }
                keep
            });
            for entry in &mut distrust {
                entry.removed = removed.contains(&entry.spki);
            }
        }
        Self {
            anchors,
            distrusted: distrust,
            errors,
            sources,
            skipped,
            // NIX_SSL_CERT_FILE is part of the Unix layout, so it does not apply when that is
            // replaced, nor where the operating system's store is read instead.
            env_in_effect: env
                .in_effect()
                .into_iter()
                .filter(|v| {
                    !((replaced || !reads_unix_layout(builder))
                        && v.starts_with("NIX_SSL_CERT_FILE="))
                })
                .collect(),
            env_replaced_system: replaced,
            fallback_used: false,
            root: builder
                .sysroot
                .clone()
                .unwrap_or_else(|| PathBuf::from("/")),
            watched,
        }
    }
}

/// Whether the Unix bundles and directories are the system store of this build: everywhere
/// but on Windows and macOS, and under any system root.
fn reads_unix_layout(builder: &Builder) -> bool {
    cfg!(not(any(windows, target_os = "macos"))) || builder.sysroot.is_some()
}

/// rustls-native-certs' result shape: the TLS anchors and every error.
#[non_exhaustive]
#[derive(Debug, Default)]
pub struct CertificateResult {
    /// The TLS server-authentication anchors, DER-encoded.
    pub certs: Vec<CertificateDer<'static>>,
    /// Every file or block that could not be used.
    pub errors: Vec<Error>,
}

impl CertificateResult {
    /// The certificates, panicking with the first error if there was any.
    ///
    /// # Panics
    ///
    /// When any error was recorded.
    #[track_caller]
    pub fn expect(self, msg: &str) -> Vec<CertificateDer<'static>> {
        match self.errors.first() {
            None => self.certs,
            Some(err) => panic!("{msg}: {err}"),
        }
    }

    /// The certificates, panicking with the first error if there was any.
    ///
    /// # Panics
    ///
    /// When any error was recorded.
    #[track_caller]
    pub fn unwrap(self) -> Vec<CertificateDer<'static>> {
        match self.errors.first() {
            None => self.certs,
            Some(err) => panic!("errors occurred while loading certificates: {err}"),
        }
    }
}

/// The TLS anchors of this system, in rustls-native-certs' shape (a drop-in for its
/// `load_native_certs`).
///
/// # Examples
///
/// ```
/// let result = palisade_trust::load_native_certs();
/// println!("{} roots, {} errors", result.certs.len(), result.errors.len());
/// ```
pub fn load_native_certs() -> CertificateResult {
    TrustStore::system().into_certificate_result()
}

/// Builds a [`TrustStore`] with a system root, an environment and extra sources.
///
/// # Examples
///
/// ```
/// use palisade_trust::{EnvVars, TrustStore};
///
/// // What would an unpacked container image trust? (Its own layout, no host variables.)
/// let store = TrustStore::builder().sysroot("/nonexistent-image").build();
/// assert_eq!(store.anchors().len(), 0);
///
/// // This system, as if SSL_CERT_FILE pointed somewhere else.
/// let store = TrustStore::builder()
///     .env_vars(EnvVars::none().with_ssl_cert_file("/nonexistent.pem"))
///     .build();
/// assert!(store.env_replaced_system());
/// assert_eq!(store.errors().len(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    sysroot: Option<PathBuf>,
    env: Option<EnvVars>,
    env_mode: EnvMode,
    extra: Vec<(PathBuf, Extra)>,
    scan: DirectoryScan,
    #[cfg(feature = "webpki-roots")]
    fallback: Fallback,
}

impl Builder {
    fn new() -> Self {
        Self {
            sysroot: None,
            env: None,
            env_mode: EnvMode::Replace,
            extra: Vec::new(),
            scan: DirectoryScan::Always,
            #[cfg(feature = "webpki-roots")]
            fallback: Fallback::Never,
        }
    }

    /// Discovers as if `root` were `/`: an unpacked container image, a mounted disk, a test
    /// fixture. Symbolic links resolve inside it. The process's environment variables do not
    /// apply unless given with [`Builder::env_vars`], and then their paths are under `root`.
    /// A `root` that cannot be read, or is not a directory, is an error in
    /// [`TrustStore::errors`].
    pub fn sysroot(mut self, root: impl Into<PathBuf>) -> Self {
        self.sysroot = Some(root.into());
        self
    }

    /// The `SSL_CERT_*` variables to use instead of the process's.
    pub fn env_vars(mut self, env: EnvVars) -> Self {
        self.env = Some(env);
        self
    }

    /// Whether the variables replace the system store (the default) or add to it.
    pub fn env_mode(mut self, mode: EnvMode) -> Self {
        self.env_mode = mode;
        self
    }

    /// One more bundle file (PEM or DER), read after the system's. A missing file is an error.
    pub fn extra_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.extra.push((path.into(), Extra::File));
        self
    }

    /// One more certificate directory, read after the system's.
    pub fn extra_dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.extra.push((path.into(), Extra::Directory));
        self
    }

    /// When the hashed directories beside a bundle are read: always, by default.
    pub fn directory_scan(mut self, scan: DirectoryScan) -> Self {
        self.scan = scan;
        self
    }

    /// Whether Mozilla's roots compiled into the program are used (feature `webpki-roots`).
    #[cfg(feature = "webpki-roots")]
    #[cfg_attr(docsrs, doc(cfg(feature = "webpki-roots")))]
    pub fn fallback(mut self, fallback: Fallback) -> Self {
        self.fallback = fallback;
        self
    }

    /// Reads the sources. Never fails as a whole: see [`TrustStore::errors`], which also holds
    /// a [`sysroot`](Self::sysroot) that cannot be read or is not a directory (nothing is
    /// loaded from it then).
    pub fn build(&self) -> TrustStore {
        let env = match (&self.env, &self.sysroot) {
            (Some(env), _) => env.clone(),
            (None, None) => EnvVars::from_process(),
            (None, Some(_)) => EnvVars::none(),
        };
        let root = self.sysroot.as_deref().unwrap_or(Path::new("/"));
        let mut loader = Loader::new(root);
        // A sysroot that is not there is an error, not an image that trusts nothing.
        let missing_root = self.sysroot.as_deref().and_then(sysroot_error);
        let root_ok = missing_root.is_none();
        loader.out.errors.extend(missing_root);
        let replaced = root_ok && loader.environment(&env, self.env_mode, self.scan);
        if !replaced && root_ok {
            match &self.sysroot {
                // This machine: the operating system's own store.
                None => crate::platform::load_native_certs(&mut loader, &env, self.scan),
                // An image or a disk: its files, whatever this machine is.
                Some(_) => loader.system_layout(&env, self.scan),
            }
        }
        for (path, extra) in &self.extra {
            match extra {
                Extra::Directory => loader.directory(path, SourceKind::Extra, Required::Yes),
                Extra::File => {
                    loader.file(path, SourceKind::Extra, Required::Yes);
                }
            }
        }
        #[cfg(feature = "webpki-roots")]
        let fallback_used = {
            let add = match self.fallback {
                Fallback::Merge => true,
                Fallback::Never => false,
                Fallback::WhenEmpty => !loader
                    .out
                    .anchors
                    .iter()
                    .any(TrustAnchor::is_tls_server_anchor),
            };
            if add {
                loader.compiled_in(webpki_root_certs::TLS_SERVER_ROOT_CERTS);
            }
            add
        };
        #[cfg_attr(not(feature = "webpki-roots"), allow(unused_mut))]
        let mut store = TrustStore::assemble(loader.out, self, &env, replaced);
        #[cfg(feature = "webpki-roots")]
        {
            store.fallback_used = fallback_used;
        }
        store
    }
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Extra {
    Directory,
    File,
}

/// Whether Mozilla's roots compiled into the program are used (feature `webpki-roots`).
#[cfg(feature = "webpki-roots")]
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub enum Fallback {
    /// Always add them to the system's roots.
    Merge,
    /// Never (the default).
    #[default]
    Never,
    /// Only when the system gave no TLS root at all, as in a minimal container.
    /// [`TrustStore::fallback_used`] says when it happened.
    WhenEmpty,
}

/// Why `root` cannot be a sysroot: it cannot be read, or it is not a directory.
fn sysroot_error(root: &Path) -> Option<Error> {
    let problem = match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => return None,
        Ok(_) => std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "the sysroot is not a directory",
        ),
        Err(err) => err,
    };
    Some(Error::at(ErrorKind::Io(problem), root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_non_directory_sysroot_is_an_error() {
        let missing = Path::new("/nonexistent-palisade-sysroot");
        let store = TrustStore::builder().sysroot(missing).build();
        assert_eq!(store.anchors().len(), 0);
        let [err] = store.errors() else {
            panic!("one error expected: {:?}", store.errors());
        };
        assert_eq!(err.path(), Some(missing));
        assert!(matches!(err.kind(), ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::NotFound));

        let file = std::env::current_exe().expect("the test binary");
        let store = TrustStore::builder().sysroot(&file).build();
        let [err] = store.errors() else {
            panic!("one error expected: {:?}", store.errors());
        };
        assert!(err.to_string().contains("not a directory"), "{err}");
    }
}
