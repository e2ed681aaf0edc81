//! The loader's entry points: the environment's files and directories, and the distribution's
//! layout, in the order OpenSSL would consult them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::anchor::SourceKind;
use crate::discover::{Loader, Required};
use crate::files::Stamp;
use crate::paths::{BLOCKLISTS, BUNDLES, DIRECTORIES, DirRole, EnvMode, EnvVars};
use crate::record::DirectoryScan;

/// One file or directory to read.
type Job = (PathBuf, SourceKind, Required);

impl Loader<'_> {
    /// The environment's files and directories: returns whether they replace the system store.
    pub(crate) fn environment(
        &mut self,
        env: &EnvVars,
        mode: EnvMode,
        scan: DirectoryScan,
    ) -> bool {
        let file = env.ssl_cert_file();
        let dirs = env.ssl_cert_dirs().unwrap_or_default();
        let files: Vec<Job> = file
            .iter()
            .map(|f| (f.clone(), SourceKind::EnvFile, Required::Yes))
            .collect();
        match scan {
            DirectoryScan::Always => {
                let dirs: Vec<Job> = dirs
                    .into_iter()
                    .map(|d| (d, SourceKind::EnvDirectory, Required::Yes))
                    .collect();
                self.files_and_directories(&files, &dirs);
            }
            DirectoryScan::Auto => {
                self.files(&files);
                for dir in dirs {
                    // A directory that holds the SSL_CERT_FILE bundle is taken for its
                    // hashed mirror, as Debian's /etc/ssl/certs holds ca-certificates.crt.
                    if file.as_deref().and_then(Path::parent) == Some(dir.as_path()) {
                        self.mirror(&dir, SourceKind::EnvDirectory, Required::Yes);
                    } else {
                        self.directory(&dir, SourceKind::EnvDirectory, Required::Yes);
                    }
                }
            }
        }
        match mode {
            EnvMode::Add => false,
            EnvMode::Replace => env.is_override(),
        }
    }

    /// The distribution's layout: bundles, then directories, then blocklists.
    pub(crate) fn system_layout(&mut self, env: &EnvVars, scan: DirectoryScan) {
        let files: Vec<Job> = env
            .nix_ssl_cert_file()
            .map(|f| (f, SourceKind::EnvFile, Required::No))
            .into_iter()
            .chain(
                BUNDLES
                    .iter()
                    .map(|(p, _)| (PathBuf::from(p), SourceKind::Bundle, Required::No)),
            )
            .collect();
        let blocklists = BLOCKLISTS
            .iter()
            .map(|p| (PathBuf::from(p), SourceKind::Blocklist, Required::No));
        match scan {
            DirectoryScan::Always => {
                let dirs: Vec<Job> = DIRECTORIES
                    .iter()
                    .map(|(p, _)| (PathBuf::from(p), SourceKind::Directory, Required::No))
                    .chain(blocklists)
                    .collect();
                self.files_and_directories(&files, &dirs);
            }
            DirectoryScan::Auto => {
                self.files(&files);
                for (path, role) in DIRECTORIES {
                    let path = Path::new(path);
                    match role {
                        DirRole::Mirror => self.mirror(path, SourceKind::Directory, Required::No),
                        DirRole::Store => {
                            self.directory(path, SourceKind::Directory, Required::No);
                        }
                    }
                }
                for (path, kind, required) in blocklists {
                    self.directory(&path, kind, required);
                }
            }
        }
    }

    fn files(&mut self, files: &[Job]) {
        for (path, kind, required) in files {
            self.file(path, *kind, *required);
        }
    }

    /// Reads `files`, then `dirs`.
    fn files_and_directories(&mut self, files: &[Job], dirs: &[Job]) {
        self.files(files);
        for (path, kind, required) in dirs {
            self.directory(path, *kind, *required);
        }
    }

    /// Reads an OpenSSL hashed directory unless it only mirrors a bundle already read
    /// ([`DirectoryScan::Auto`]): it is read when no bundle was read, or when it was modified
    /// more than a minute after the newest bundle (something was added since the bundle was
    /// generated; writing the bundle itself into the directory touches it within that minute).
    fn mirror(&mut self, path: &Path, kind: SourceKind, required: Required) {
        let read = self.newest_bundle.is_none_or(|bundle| {
            let modified = self
                .resolve(path)
                .ok()
                .and_then(|p| Stamp::of(&p))
                .and_then(|s| s.modified);
            modified.is_some_and(|m| m > bundle + MIRROR_SLACK)
        });
        if read {
            self.directory(path, kind, required);
        } else if let Ok(resolved) = self.resolve(path) {
            self.watch(resolved);
        }
    }
}

/// How much later than the newest bundle a mirror directory may have been modified and still
/// be taken for that bundle's mirror.
const MIRROR_SLACK: Duration = Duration::from_secs(60);
