//! Reading files and directories into anchors, blocklist entries and errors, under a system
//! root, each file once however many paths lead to it.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Read as _};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest as _, Sha256};

use crate::anchor::{CertInfo, Provenance, SourceKind, TrustAnchor, name_to_string};
use crate::error::{Error, ErrorKind};
use crate::paths::{BLOCKLISTS, BUNDLES, DIRECTORIES, DirRole, EnvMode, EnvVars};
use crate::pem::{self, BlockKind};
use crate::purpose::Purposes;
use crate::store::{DirectoryScan, Distrust, DistrustReason, Source};

/// Everything read so far.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub(crate) anchors: Vec<TrustAnchor>,
    pub(crate) distrust: Vec<Distrust>,
    pub(crate) errors: Vec<Error>,
    pub(crate) sources: Vec<Source>,
    /// Every path looked at, with what it was then, so that a cache can tell a change.
    pub(crate) watched: Vec<(PathBuf, Option<Stamp>)>,
}

/// What identifies a version of a file: enough to notice a replaced or rewritten file.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: Option<(u64, u64)>,
}

impl Stamp {
    pub(crate) fn of(path: &Path) -> Option<Self> {
        fs::metadata(path).ok().map(|m| Self::from_metadata(&m))
    }

    fn from_metadata(meta: &fs::Metadata) -> Self {
        Self {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode: file_id(meta),
        }
    }
}

/// Reads sources into a [`Collected`].
#[derive(Debug)]
pub(crate) struct Loader<'a> {
    root: &'a Path,
    seen: HashSet<(u64, u64)>,
    index: HashMap<[u8; 32], usize>,
    newest_bundle: Option<SystemTime>,
    /// Certificate blocks taken so far, duplicates and blocklist entries included.
    taken: usize,
    pub(crate) out: Collected,
}

impl<'a> Loader<'a> {
    pub(crate) fn new(root: &'a Path) -> Self {
        Self {
            root,
            seen: HashSet::new(),
            index: HashMap::new(),
            newest_bundle: None,
            taken: 0,
            out: Collected::default(),
        }
    }

    /// The environment's files and directories: returns whether they replace the system store.
    pub(crate) fn environment(
        &mut self,
        env: &EnvVars,
        mode: EnvMode,
        scan: DirectoryScan,
    ) -> bool {
        let file = env.ssl_cert_file();
        if let Some(file) = &file {
            self.file(file, SourceKind::EnvFile, Required::Yes);
        }
        for dir in env.ssl_cert_dirs().unwrap_or_default() {
            // A directory that holds the SSL_CERT_FILE bundle is its hashed mirror, as Debian's
            // /etc/ssl/certs holds ca-certificates.crt; any other directory is read.
            if file.as_deref().and_then(Path::parent) == Some(dir.as_path()) {
                self.mirror(&dir, SourceKind::EnvDirectory, Required::Yes, scan);
            } else {
                self.directory(&dir, SourceKind::EnvDirectory, Required::Yes);
            }
        }
        match mode {
            EnvMode::Add => false,
            EnvMode::Replace => env.is_override(),
        }
    }

    /// The distribution's layout: bundles, then directories, then blocklists.
    pub(crate) fn system_layout(&mut self, env: &EnvVars, scan: DirectoryScan) {
        if let Some(file) = env.nix_ssl_cert_file() {
            self.file(&file, SourceKind::EnvFile, Required::No);
        }
        for (path, _) in BUNDLES {
            self.file(Path::new(path), SourceKind::Bundle, Required::No);
        }
        for (path, role) in DIRECTORIES {
            match role {
                DirRole::Mirror => {
                    self.mirror(Path::new(path), SourceKind::Directory, Required::No, scan);
                }
                DirRole::Store => {
                    self.directory(Path::new(path), SourceKind::Directory, Required::No);
                }
            }
        }
        for path in BLOCKLISTS {
            self.directory(Path::new(path), SourceKind::Blocklist, Required::No);
        }
    }

    /// Reads an OpenSSL hashed directory unless it only mirrors a bundle already read: with
    /// [`DirectoryScan::Auto`], it is read when no bundle was read, or when it was modified
    /// more than a minute after the newest bundle (something was added since the bundle was
    /// generated; writing the bundle itself into the directory touches it within that minute).
    fn mirror(&mut self, path: &Path, kind: SourceKind, required: Required, scan: DirectoryScan) {
        let read = match (scan, self.newest_bundle) {
            (DirectoryScan::Always, _) | (DirectoryScan::Auto, None) => true,
            (DirectoryScan::Auto, Some(bundle)) => {
                let modified = self
                    .resolve(path)
                    .ok()
                    .and_then(|p| fs::metadata(p).ok())
                    .and_then(|m| m.modified().ok());
                modified.is_some_and(|m| m > bundle + MIRROR_SLACK)
            }
        };
        if read {
            self.directory(path, kind, required);
        } else {
            let resolved = self.resolve(path);
            self.watch(resolved.ok());
        }
    }

    /// Reads every regular file of a directory, in name order; subdirectories are skipped.
    pub(crate) fn directory(&mut self, path: &Path, kind: SourceKind, required: Required) {
        let resolved = match self.resolve(path) {
            Ok(p) => p,
            Err(err) => return self.io_error(err, path, required),
        };
        let entries = match fs::read_dir(&resolved) {
            Ok(entries) => entries,
            Err(err) => {
                self.watch(Some(resolved));
                return self.io_error(err, path, required);
            }
        };
        self.watch(Some(resolved));
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => names.push(entry.file_name()),
                Err(err) => self.out.errors.push(Error::at(ErrorKind::Io(err), path)),
            }
        }
        names.sort_unstable();
        for name in names {
            self.file(&path.join(name), kind, Required::No);
        }
    }

    /// Reads one file, unless it was read before through another path.
    pub(crate) fn file(&mut self, path: &Path, kind: SourceKind, required: Required) -> Outcome {
        let resolved = match self.resolve(path) {
            Ok(p) => p,
            Err(err) => {
                self.io_error(err, path, required);
                return Outcome::Failed;
            }
        };
        let mut file = match File::open(&resolved) {
            Ok(f) => f,
            Err(err) => {
                self.watch(Some(resolved));
                let outcome = if err.kind() == io::ErrorKind::NotFound {
                    Outcome::Missing
                } else {
                    Outcome::Failed
                };
                self.io_error(err, path, required);
                return outcome;
            }
        };
        let meta = match file.metadata() {
            Ok(m) => m,
            Err(err) => {
                self.out.errors.push(Error::at(ErrorKind::Io(err), path));
                return Outcome::Failed;
            }
        };
        self.out
            .watched
            .push((resolved, Some(Stamp::from_metadata(&meta))));
        if meta.is_dir() {
            // A directory where the caller or SSL_CERT_FILE named a file is their mistake,
            // and reported; one at a known bundle location is just not a bundle.
            if required == Required::Yes {
                let err = io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "a directory, not a certificate file",
                );
                self.out.errors.push(Error::at(ErrorKind::Io(err), path));
            }
            return Outcome::Missing;
        }
        if let Some(id) = file_id(&meta)
            && !self.seen.insert(id)
        {
            return Outcome::Duplicate;
        }
        if meta.len() > MAX_FILE_SIZE {
            let kind = ErrorKind::TooLarge {
                size: meta.len(),
                limit: MAX_FILE_SIZE,
            };
            self.out.errors.push(Error::at(kind, path));
            return Outcome::Failed;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        // `take` guards against a file that grows between the size check and the read.
        if let Err(err) = (&mut file).take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes) {
            self.out.errors.push(Error::at(ErrorKind::Io(err), path));
            return Outcome::Failed;
        }
        let found = self.bytes(&bytes, path, kind);
        if found > 0
            && matches!(kind, SourceKind::Bundle | SourceKind::EnvFile)
            && let Ok(modified) = meta.modified()
        {
            self.newest_bundle = Some(self.newest_bundle.map_or(modified, |t| t.max(modified)));
        }
        Outcome::Read
    }

    /// Parses the contents of one file read from `path`.
    pub(crate) fn bytes(&mut self, bytes: &[u8], path: &Path, kind: SourceKind) -> usize {
        let mut blocks = Vec::new();
        let mut errors = Vec::new();
        pem::parse_file(bytes, &mut blocks, &mut errors);
        let error_count = errors.len();
        self.out
            .errors
            .extend(errors.into_iter().map(|e| e.with_path(path)));
        let mut certificates = 0;
        let mut bad = 0;
        for block in blocks {
            if self.taken == MAX_CERTIFICATES {
                // Once per load: the first block over the limit says where loading stopped.
                self.taken += 1;
                self.out.errors.push(
                    Error::at(
                        ErrorKind::TooManyCertificates {
                            limit: MAX_CERTIFICATES,
                        },
                        path,
                    )
                    .with_position(block.position),
                );
            }
            if self.taken > MAX_CERTIFICATES {
                break;
            }
            self.taken += 1;
            let provenance = Provenance::File {
                path: path.to_owned(),
                block: block.position.block,
                source: kind,
            };
            let result = match block.kind {
                BlockKind::PublicKey(spki) if kind == SourceKind::Blocklist => {
                    self.out.distrust.push(Distrust::new(
                        None,
                        spki,
                        DistrustReason::Blocklist,
                        provenance,
                    ));
                    Ok(())
                }
                BlockKind::PublicKey(_) => continue,
                BlockKind::Certificate { der, aux } => self.certificate(der, aux, kind, provenance),
            };
            match result {
                Ok(()) => certificates += 1,
                Err(err) => {
                    bad += 1;
                    self.out
                        .errors
                        .push(Error::at(err, path).with_position(block.position));
                }
            }
        }
        self.out.sources.push(Source {
            path: path.to_owned(),
            kind,
            certificates,
            errors: error_count + bad,
        });
        certificates
    }

    pub(crate) fn certificate(
        &mut self,
        der: Vec<u8>,
        aux: Option<pem::Aux>,
        kind: SourceKind,
        provenance: Provenance,
    ) -> Result<(), ErrorKind> {
        let (trust, reject, alias) = match aux {
            Some(aux) => (aux.trust, aux.reject, aux.alias),
            None => (None, Purposes::NONE, None),
        };
        if kind == SourceKind::Blocklist {
            let info = CertInfo::parse(&der)?;
            let spki = der[info.spki_raw.0..info.spki_raw.1].to_vec();
            self.out.distrust.push(Distrust::new(
                Some(name_to_string(&der[info.subject_raw.0..info.subject_raw.1])),
                spki,
                DistrustReason::Blocklist,
                provenance,
            ));
            return Ok(());
        }
        let fingerprint: [u8; 32] = Sha256::digest(&der).into();
        if let Some(&i) = self.index.get(&fingerprint) {
            // Seen before: no need to parse it again unless trust settings come with it.
            if trust.is_none() && reject.is_empty() {
                self.out.anchors[i].add_sighting(provenance);
                return Ok(());
            }
        }
        let anchor =
            TrustAnchor::parse(der, fingerprint, trust, reject, alias, provenance.clone())?;
        // A reject of serverAuth (or of anyExtendedKeyUsage, which covers it) is distrust.
        if reject.contains(Purposes::SERVER_AUTH) {
            self.out.distrust.push(Distrust::new(
                Some(anchor.subject().to_owned()),
                anchor.spki_der().to_vec(),
                DistrustReason::Rejected(reject),
                provenance,
            ));
        }
        match self.index.get(&fingerprint) {
            Some(&i) => self.out.anchors[i].merge(anchor),
            None => {
                self.index.insert(fingerprint, self.out.anchors.len());
                self.out.anchors.push(anchor);
            }
        }
        Ok(())
    }

    /// Certificates compiled into the program (feature `webpki-roots`).
    #[cfg(feature = "webpki-roots")]
    pub(crate) fn compiled_in(&mut self, certs: &[rustls_pki_types::CertificateDer<'_>]) {
        for der in certs {
            if let Err(kind) = self.certificate(
                der.to_vec(),
                None,
                SourceKind::Extra,
                Provenance::WebpkiRoots,
            ) {
                self.out.errors.push(Error::new(kind));
            }
        }
    }

    /// `path` as seen from the system root, with symbolic links resolved inside that root.
    pub(crate) fn resolve(&self, path: &Path) -> io::Result<PathBuf> {
        resolve_in_root(self.root, path)
    }

    fn watch(&mut self, path: Option<PathBuf>) {
        if let Some(path) = path {
            let stamp = Stamp::of(&path);
            self.out.watched.push((path, stamp));
        }
    }

    fn io_error(&mut self, err: io::Error, path: &Path, required: Required) {
        let missing = err.kind() == io::ErrorKind::NotFound;
        match (required, missing) {
            (Required::No, true) => {}
            (Required::Yes, _) | (Required::No, false) => {
                self.out.errors.push(Error::at(ErrorKind::Io(err), path));
            }
        }
    }
}

/// Whether a missing file or directory is an error.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum Required {
    /// A known location that may well not exist here.
    No,
    /// Named by the caller or the environment: its absence is reported.
    Yes,
}

/// What happened to one file.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum Outcome {
    /// Read before through another path.
    Duplicate,
    /// It exists but could not be read.
    Failed,
    /// It does not exist (or is a directory).
    Missing,
    /// Read.
    Read,
}

/// `path` joined to `root`, with symbolic links resolved as if `root` were `/`: an absolute
/// link target inside an unpacked image points into the image, not into the host.
pub(crate) fn resolve_in_root(root: &Path, path: &Path) -> io::Result<PathBuf> {
    if root == Path::new("/") {
        return Ok(path.to_owned());
    }
    let mut pending: Vec<PathBuf> = path
        .components()
        .rev()
        .map(|c| PathBuf::from(c.as_os_str()))
        .collect();
    let mut current = PathBuf::new();
    let mut links = 0;
    while let Some(part) = pending.pop() {
        match part.components().next() {
            None | Some(Component::RootDir | Component::CurDir | Component::Prefix(_)) => {}
            Some(Component::ParentDir) => {
                current.pop();
            }
            Some(Component::Normal(name)) => {
                let candidate = root.join(&current).join(name);
                match fs::symlink_metadata(&candidate) {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        links += 1;
                        if links > MAX_LINKS {
                            return Err(io::Error::other("too many levels of symbolic links"));
                        }
                        let target = fs::read_link(&candidate)?;
                        if target.is_absolute() {
                            current.clear();
                        }
                        pending.extend(
                            target
                                .components()
                                .rev()
                                .map(|c| PathBuf::from(c.as_os_str())),
                        );
                    }
                    _ => current.push(name),
                }
            }
        }
    }
    Ok(root.join(current))
}

/// `path` under `root`, for a quick existence test.
pub(crate) fn rooted(root: &Path, path: &Path) -> PathBuf {
    resolve_in_root(root, path).unwrap_or_else(|_| root.join(path))
}

#[cfg(unix)]
fn file_id(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    Some((meta.dev(), meta.ino()))
}

/// Without inode numbers every path is read; identical certificates still merge by DER.
#[cfg(not(unix))]
fn file_id(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Larger than any trust store: Fedora's bundle with trust bits is about 0.5 MB.
const MAX_FILE_SIZE: u64 = 16 << 20;

/// The most certificate blocks one load takes, duplicates and blocklist entries included:
/// fifty times the largest distribution store (Fedora's, about 150 roots, each reachable
/// through a few paths). Bounds the memory a directory of many small files can make a load
/// use; the file-size limit alone bounds only each file.
pub(crate) const MAX_CERTIFICATES: usize = 10_000;

/// How much later than the newest bundle a mirror directory may have been modified and still
/// be taken for that bundle's mirror.
const MIRROR_SLACK: Duration = Duration::from_secs(60);

/// As Linux's limit on symbolic links followed in one path lookup.
const MAX_LINKS: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed test root (tests/data/root_a.pem).
    const ROOT_A: &str = include_str!("../tests/data/root_a.pem");

    #[test]
    fn no_input_panics_and_good_blocks_survive() {
        let der = pem::pem_to_der(ROOT_A).unwrap();
        // Every truncation of the DER certificate, as a DER file and as a PEM block.
        for len in 0..der.len() {
            let mut loader = Loader::new(Path::new("/"));
            loader.bytes(&der[..len], Path::new("t.der"), SourceKind::Extra);
            assert!(loader.out.anchors.is_empty(), "{len}");
            let mut bundle = pem::der_to_pem(&der[..len]).into_bytes();
            bundle.extend_from_slice(ROOT_A.as_bytes());
            let mut loader = Loader::new(Path::new("/"));
            loader.bytes(&bundle, Path::new("t.pem"), SourceKind::Extra);
            assert_eq!(loader.out.anchors.len(), 1, "{len}");
        }
        // Every single-byte change of the DER: parsed or rejected, never a panic.
        for i in 0..der.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = der.clone();
                bad[i] ^= flip;
                let mut loader = Loader::new(Path::new("/"));
                loader.bytes(&bad, Path::new("t.der"), SourceKind::Extra);
                assert_eq!(loader.out.anchors.len() + loader.out.errors.len(), 1, "{i}");
            }
        }
        // Every truncation of the PEM text.
        for len in 0..ROOT_A.len() {
            let mut loader = Loader::new(Path::new("/"));
            loader.bytes(
                &ROOT_A.as_bytes()[..len],
                Path::new("t.pem"),
                SourceKind::Extra,
            );
            assert!(loader.out.anchors.len() <= 1);
        }
    }

    #[test]
    fn resolve_outside_a_root_is_the_path_itself() {
        for path in ["/etc/ssl/cert.pem", "relative/x.pem"] {
            assert_eq!(
                resolve_in_root(Path::new("/"), Path::new(path)).unwrap(),
                PathBuf::from(path)
            );
        }
    }

    #[test]
    fn resolve_inside_a_root_never_escapes_it() {
        let root = std::env::temp_dir().join(format!("palisade-resolve-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("etc/ssl")).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/usr/share/x", root.join("etc/ssl/abs")).unwrap();
            std::os::unix::fs::symlink("../../../../../..", root.join("etc/ssl/up")).unwrap();
            let cases: &[(&str, PathBuf)] = &[
                ("/etc/ssl/cert.pem", root.join("etc/ssl/cert.pem")),
                ("/etc/ssl/abs", root.join("usr/share/x")),
                ("/etc/ssl/up/etc/passwd", root.join("etc/passwd")),
                ("/../../etc/x", root.join("etc/x")),
            ];
            for (path, expected) in cases {
                assert_eq!(
                    &resolve_in_root(&root, Path::new(path)).unwrap(),
                    expected,
                    "{path}"
                );
            }
        }
        let _ = fs::remove_dir_all(&root);
    }
}
