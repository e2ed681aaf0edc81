//! Reading one file under a system root, with no loader state. Paths resolve inside the
//! root; each file is read at most once however many paths lead to it, decided by the
//! caller's `claim`.

use std::fs::{self, File};
use std::io::{self, Read as _};
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest as _, Sha256};

use crate::error::{Error, ErrorKind};
use crate::pem::{self, Block, BlockKind};

/// What identifies a version of a file: enough to notice a replaced or rewritten file.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) struct Stamp {
    len: u64,
    pub(crate) modified: Option<SystemTime>,
    inode: Option<FileId>,
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

/// A file's device and inode: the same file whatever path led to it.
pub(crate) type FileId = (u64, u64);

/// What looking at one path gave.
#[derive(Debug)]
pub(crate) enum Opened {
    /// The path could not be resolved inside the root (a link loop, a component that is not a
    /// directory).
    Unresolved(io::Error),
    /// Nothing is there (or a link points to nothing).
    Missing { resolved: PathBuf, err: io::Error },
    /// It exists but could not be read.
    Failed {
        resolved: PathBuf,
        stamp: Option<Stamp>,
        kind: ErrorKind,
    },
    /// A directory.
    Directory { resolved: PathBuf, stamp: Stamp },
    /// The same file as one read, or being read, through another path.
    Claimed {
        resolved: PathBuf,
        stamp: Stamp,
        id: FileId,
    },
    /// Read.
    Contents {
        resolved: PathBuf,
        stamp: Stamp,
        id: Option<FileId>,
        bytes: Vec<u8>,
    },
}

impl Opened {
    /// The path and stamp a cache should watch for this outcome.
    pub(crate) fn watched(&self) -> Option<(PathBuf, Option<Stamp>)> {
        match self {
            Self::Unresolved(_) => None,
            Self::Missing { resolved, .. } => Some((resolved.clone(), None)),
            Self::Failed {
                resolved, stamp, ..
            } => Some((resolved.clone(), *stamp)),
            Self::Directory { resolved, stamp }
            | Self::Claimed {
                resolved, stamp, ..
            }
            | Self::Contents {
                resolved, stamp, ..
            } => Some((resolved.clone(), Some(*stamp))),
        }
    }
}

/// The blocks of one file, each certificate with its SHA-256 fingerprint, and its bad blocks.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) blocks: Vec<(Block, [u8; 32])>,
    pub(crate) errors: Vec<Error>,
}

impl Parsed {
    pub(crate) fn of(bytes: &[u8]) -> Self {
        let mut blocks = Vec::new();
        let mut errors = Vec::new();
        pem::parse_file(bytes, &mut blocks, &mut errors);
        let blocks = blocks
            .into_iter()
            .map(|block| {
                let fingerprint = match &block.kind {
                    BlockKind::Certificate { der, .. } => Sha256::digest(der).into(),
                    BlockKind::PublicKey(_) => [0; 32],
                };
                (block, fingerprint)
            })
            .collect();
        Self { blocks, errors }
    }
}

/// How [`open`] looks at a file first.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum Probe {
    /// `stat` the path, and open it only when it is a file not read before: for paths that
    /// are often a second way to a file read already (a bundle's links, `Foo.pem` beside its
    /// `<hash>.0`).
    Stat,
    /// Open it, then look at the open file: one path lookup for a file that is usually new
    /// (OpenSSL's `<hash>.<n>` entries).
    Open,
}

/// Resolves, looks at and (unless `claim` says it was read already) reads the file at `path`
/// under `root`. `claim` is asked once per file with its identity and returns whether this is
/// the first path to it.
pub(crate) fn open(
    root: &Path,
    path: &Path,
    probe: Probe,
    claim: impl FnOnce(FileId) -> bool,
) -> Opened {
    let resolved = match resolve_in_root(root, path) {
        Ok(p) => p,
        Err(err) => return Opened::Unresolved(err),
    };
    let looked = match probe {
        Probe::Stat => fs::metadata(&resolved).map(|meta| (meta, None)),
        Probe::Open => File::open(&resolved).and_then(|file| Ok((file.metadata()?, Some(file)))),
    };
    let (meta, file) = match looked {
        Ok(looked) => looked,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Opened::Missing { resolved, err };
        }
        Err(err) => {
            return Opened::Failed {
                resolved,
                stamp: None,
                kind: ErrorKind::Io(err),
            };
        }
    };
    let stamp = Stamp::from_metadata(&meta);
    if meta.is_dir() {
        return Opened::Directory { resolved, stamp };
    }
    let id = file_id(&meta);
    if let Some(id) = id
        && !claim(id)
    {
        return Opened::Claimed {
            resolved,
            stamp,
            id,
        };
    }
    if meta.len() > MAX_FILE_SIZE {
        let kind = ErrorKind::TooLarge {
            size: meta.len(),
            limit: MAX_FILE_SIZE,
        };
        return Opened::Failed {
            resolved,
            stamp: Some(stamp),
            kind,
        };
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // `take` guards against a file that grows between the size check and the read.
    let read = file
        .map_or_else(|| File::open(&resolved), Ok)
        .and_then(|file| file.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes));
    if let Err(err) = read {
        return Opened::Failed {
            resolved,
            stamp: Some(stamp),
            kind: ErrorKind::Io(err),
        };
    }
    Opened::Contents {
        resolved,
        stamp,
        id,
        bytes,
    }
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

/// The identity of the file at `path` (links followed), if it exists.
pub(crate) fn id_of(path: &Path) -> Option<FileId> {
    fs::metadata(path).ok().as_ref().and_then(file_id)
}

#[cfg(unix)]
fn file_id(meta: &fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt as _;
    Some((meta.dev(), meta.ino()))
}

/// Without inode numbers every path is read; identical certificates still merge by DER.
#[cfg(not(unix))]
fn file_id(_: &fs::Metadata) -> Option<FileId> {
    None
}

/// Larger than any trust store: Fedora's bundle with trust bits is about 0.5 MB.
const MAX_FILE_SIZE: u64 = 16 << 20;

/// As Linux's limit on symbolic links followed in one path lookup.
const MAX_LINKS: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

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
