//! Reading files and directories into anchors, blocklist entries and errors, under a system
//! root, each file once however many paths lead to it.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest as _, Sha256};

use crate::anchor::{CertInfo, Provenance, SourceKind, TrustAnchor};
use crate::dn::distinguished_name;
use crate::error::{Error, ErrorKind, Position};
use crate::files::{self, FileId, Opened, Parsed, Probe, Stamp};
use crate::known::{KnownBlocks, PlainBlock};
use crate::pem::{self, BlockKind};
use crate::purpose::Purposes;
use crate::record::{Distrust, DistrustReason, SkipReason, Skipped, Source};
use crate::scan::{self, ListError, Listing};

/// Everything read so far.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub(crate) anchors: Vec<TrustAnchor>,
    pub(crate) distrust: Vec<Distrust>,
    pub(crate) errors: Vec<Error>,
    pub(crate) sources: Vec<Source>,
    pub(crate) skipped: Vec<Skipped>,
    /// Every path looked at, with what it was then, so that a cache can tell a change.
    pub(crate) watched: Vec<(PathBuf, Option<Stamp>)>,
}

/// Reads sources into a [`Collected`].
#[derive(Debug)]
pub(crate) struct Loader<'a> {
    root: &'a Path,
    /// Every file read, with the path it was read through.
    seen: HashMap<FileId, PathBuf>,
    index: HashMap<[u8; 32], usize>,
    known: KnownBlocks,
    pub(crate) newest_bundle: Option<SystemTime>,
    /// Certificate blocks taken so far, duplicates and blocklist entries included.
    taken: usize,
    pub(crate) out: Collected,
}

impl<'a> Loader<'a> {
    pub(crate) fn new(root: &'a Path) -> Self {
        Self {
            root,
            seen: HashMap::new(),
            index: HashMap::new(),
            known: KnownBlocks::default(),
            newest_bundle: None,
            taken: 0,
            out: Collected::default(),
        }
    }

    /// Reads every file of a directory, in name order. Revocation lists, subdirectories,
    /// links to nothing and second paths to a file already read are skipped, each with why.
    pub(crate) fn directory(&mut self, path: &Path, kind: SourceKind, required: Required) {
        match scan::list(self.root, path) {
            Ok(listing) => self.listing(path, kind, listing),
            Err(err) => self.list_error(path, required, err),
        }
    }

    fn list_error(&mut self, path: &Path, required: Required, err: ListError) {
        if let Some(resolved) = err.resolved {
            self.watch(resolved);
        }
        self.io_error(err.err, path, required);
    }

    /// Reads a directory's entries, once per directory however many paths lead to it.
    fn listing(&mut self, path: &Path, kind: SourceKind, listing: Listing) {
        self.watch(listing.resolved);
        if let Some(id) = listing.id {
            if let Some(first) = self.seen.get(&id) {
                let read_as = first.clone();
                return self.skip(path.to_owned(), SkipReason::SameFile { read_as });
            }
            self.seen.insert(id, path.to_owned());
        }
        for err in listing.errors {
            self.out.errors.push(Error::at(ErrorKind::Io(err), path));
        }
        for name in listing.names {
            let entry = path.join(&name);
            if scan::is_revocation_list(&name) {
                self.skip(entry, SkipReason::RevocationList);
                continue;
            }
            let probe = if scan::is_hash_name(&name) {
                Probe::Open
            } else {
                Probe::Stat
            };
            let opened = self.open(&entry, probe);
            self.take(&entry, kind, Required::No, Place::InDirectory, opened);
        }
    }

    /// Reads one file, unless it was read before through another path.
    pub(crate) fn file(&mut self, path: &Path, kind: SourceKind, required: Required) -> Outcome {
        let opened = self.open(path, Probe::Stat);
        self.take(path, kind, required, Place::Named, opened)
    }

    fn open(&self, path: &Path, probe: Probe) -> Opened {
        files::open(self.root, path, probe, |id| !self.seen.contains_key(&id))
    }

    /// Takes what looking at `path` gave: its certificates, or why there are none.
    fn take(
        &mut self,
        path: &Path,
        kind: SourceKind,
        required: Required,
        place: Place,
        opened: Opened,
    ) -> Outcome {
        if let Some(watched) = opened.watched() {
            self.out.watched.push(watched);
        }
        match opened {
            Opened::Unresolved(err) => {
                self.io_error(err, path, required);
                Outcome::Failed
            }
            Opened::Missing { err, .. } => {
                match place {
                    // Listed a moment ago and not there: a link to nothing.
                    Place::InDirectory => self.skip(path.to_owned(), SkipReason::DanglingLink),
                    Place::Named => self.io_error(err, path, required),
                }
                Outcome::Missing
            }
            Opened::Failed { kind, .. } => {
                self.out.errors.push(Error::at(kind, path));
                Outcome::Failed
            }
            Opened::Directory { .. } => {
                match (place, required) {
                    (Place::InDirectory, _) => {
                        self.skip(path.to_owned(), SkipReason::Subdirectory);
                    }
                    // A directory where the caller or SSL_CERT_FILE named a file is their
                    // mistake, and reported; one at a known bundle location is just not one.
                    (Place::Named, Required::Yes) => {
                        let err = io::Error::new(
                            io::ErrorKind::IsADirectory,
                            "a directory, not a certificate file",
                        );
                        self.out.errors.push(Error::at(ErrorKind::Io(err), path));
                    }
                    (Place::Named, Required::No) => {}
                }
                Outcome::Missing
            }
            Opened::Claimed { id, .. } => {
                let read_as = self.seen.get(&id).cloned().unwrap_or_default();
                self.skip(path.to_owned(), SkipReason::SameFile { read_as });
                Outcome::Duplicate
            }
            Opened::Contents {
                stamp, id, bytes, ..
            } => {
                if let Some(id) = id {
                    self.seen.insert(id, path.to_owned());
                }
                let found = match place {
                    Place::InDirectory if kind != SourceKind::Blocklist => {
                        match self.known.find(&bytes) {
                            Some(anchor) => usize::from(self.sighting(anchor, path, kind)),
                            None => self.parsed(Parsed::of(&bytes), path, kind).0,
                        }
                    }
                    Place::InDirectory => self.parsed(Parsed::of(&bytes), path, kind).0,
                    Place::Named => {
                        let (found, plain) = self.parsed(Parsed::of(&bytes), path, kind);
                        self.known.remember(bytes, &plain);
                        found
                    }
                };
                if found > 0
                    && matches!(kind, SourceKind::Bundle | SourceKind::EnvFile)
                    && let Some(modified) = stamp.modified
                {
                    self.newest_bundle =
                        Some(self.newest_bundle.map_or(modified, |t| t.max(modified)));
                }
                Outcome::Read
            }
        }
    }

    /// One more sighting of anchor `i`, as the only block of the file at `path`; false when
    /// the certificate limit was reached.
    fn sighting(&mut self, i: usize, path: &Path, kind: SourceKind) -> bool {
        let position = Position { block: 1, line: 1 };
        let taken = self.admit(path, position);
        if taken {
            self.out.anchors[i].add_sighting(Provenance::File {
                path: path.to_owned(),
                block: 1,
                source: kind,
            });
        }
        self.out.sources.push(Source {
            path: path.to_owned(),
            kind,
            certificates: usize::from(taken),
            errors: 0,
        });
        taken
    }

    /// Counts one block against [`MAX_CERTIFICATES`]: false, and an error the first time,
    /// once the limit is passed.
    fn admit(&mut self, path: &Path, position: Position) -> bool {
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
                .with_position(position),
            );
        }
        if self.taken > MAX_CERTIFICATES {
            return false;
        }
        self.taken += 1;
        true
    }

    /// Parses the contents of one file read from `path`.
    #[cfg(test)]
    pub(crate) fn bytes(&mut self, bytes: &[u8], path: &Path, kind: SourceKind) -> usize {
        self.parsed(Parsed::of(bytes), path, kind).0
    }

    /// Takes the blocks of one file read from `path`: returns how many certificates it gave,
    /// and the span and anchor of each plain certificate block (no trust settings) among them.
    fn parsed(
        &mut self,
        parsed: Parsed,
        path: &Path,
        kind: SourceKind,
    ) -> (usize, Vec<PlainBlock>) {
        let Parsed { blocks, errors } = parsed;
        let error_count = errors.len();
        self.out
            .errors
            .extend(errors.into_iter().map(|e| e.with_path(path)));
        let mut certificates = 0;
        let mut bad = 0;
        let mut plain = Vec::new();
        for (block, fingerprint) in blocks {
            if !self.admit(path, block.position) {
                break;
            }
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
                    Ok(None)
                }
                BlockKind::PublicKey(_) => continue,
                BlockKind::Certificate { der, aux } => {
                    let is_plain = aux.is_none();
                    self.fingerprinted(der, fingerprint, aux, kind, provenance)
                        .map(|anchor| anchor.filter(|_| is_plain))
                }
            };
            match result {
                Ok(anchor) => {
                    certificates += 1;
                    if let Some(anchor) = anchor {
                        plain.push((block.span, anchor));
                    }
                }
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
        (certificates, plain)
    }

    pub(crate) fn certificate(
        &mut self,
        der: Vec<u8>,
        aux: Option<pem::Aux>,
        kind: SourceKind,
        provenance: Provenance,
    ) -> Result<(), ErrorKind> {
        let fingerprint = Sha256::digest(&der).into();
        self.fingerprinted(der, fingerprint, aux, kind, provenance)
            .map(drop)
    }

    /// Takes one certificate whose SHA-256 fingerprint is `fingerprint`: returns the index of
    /// the anchor it is or joined (none for a blocklist entry).
    fn fingerprinted(
        &mut self,
        der: Vec<u8>,
        fingerprint: [u8; 32],
        aux: Option<pem::Aux>,
        kind: SourceKind,
        provenance: Provenance,
    ) -> Result<Option<usize>, ErrorKind> {
        let (trust, reject, alias) = match aux {
            Some(aux) => (aux.trust, aux.reject, aux.alias),
            None => (None, Purposes::NONE, None),
        };
        if kind == SourceKind::Blocklist {
            let info = CertInfo::parse(&der)?;
            let spki = der[info.spki_raw.0..info.spki_raw.1].to_vec();
            self.out.distrust.push(Distrust::new(
                Some(distinguished_name(
                    &der[info.subject_raw.0..info.subject_raw.1],
                )),
                spki,
                DistrustReason::Blocklist,
                provenance,
            ));
            return Ok(None);
        }
        if let Some(&i) = self.index.get(&fingerprint) {
            // Seen before: no need to parse it again unless trust settings come with it.
            if trust.is_none() && reject.is_empty() {
                self.out.anchors[i].add_sighting(provenance);
                return Ok(Some(i));
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
            Some(&i) => {
                self.out.anchors[i].merge(anchor);
                Ok(Some(i))
            }
            None => {
                let i = self.out.anchors.len();
                self.index.insert(fingerprint, i);
                self.out.anchors.push(anchor);
                Ok(Some(i))
            }
        }
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
        files::resolve_in_root(self.root, path)
    }

    pub(crate) fn watch(&mut self, path: PathBuf) {
        let stamp = Stamp::of(&path);
        self.out.watched.push((path, stamp));
    }

    fn skip(&mut self, path: PathBuf, reason: SkipReason) {
        self.out.skipped.push(Skipped { path, reason });
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

/// How a path was reached.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Place {
    /// Named by a table, the environment or the caller.
    Named,
    /// Listed in a certificate directory.
    InDirectory,
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

/// The most certificate blocks one load takes, duplicates and blocklist entries included:
/// fifty times the largest distribution store (Fedora's, about 150 roots, each reachable
/// through a few paths). Bounds the memory a directory of many small files can make a load
/// use; the file-size limit alone bounds only each file.
pub(crate) const MAX_CERTIFICATES: usize = 10_000;

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
}
