//! Certificate directories: listing one, and telling OpenSSL's revocation lists from
//! certificates by name.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::files::{self, FileId, resolve_in_root};

/// One directory's entries, in name order.
#[derive(Debug)]
pub(crate) struct Listing {
    /// The directory as seen from the system root.
    pub(crate) resolved: PathBuf,
    /// Its identity, to tell a second path to it (`/usr/lib/ssl/certs` links to
    /// `/etc/ssl/certs` on Debian).
    pub(crate) id: Option<FileId>,
    pub(crate) names: Vec<OsString>,
    /// Entries that could not be listed.
    pub(crate) errors: Vec<io::Error>,
}

/// Why a directory could not be listed, with its resolved path when it got that far.
#[derive(Debug)]
pub(crate) struct ListError {
    pub(crate) resolved: Option<PathBuf>,
    pub(crate) err: io::Error,
}

/// Lists the directory at `path` under `root`.
pub(crate) fn list(root: &Path, path: &Path) -> Result<Listing, ListError> {
    let resolved = resolve_in_root(root, path).map_err(|err| ListError {
        resolved: None,
        err,
    })?;
    let entries = match fs::read_dir(&resolved) {
        Ok(entries) => entries,
        Err(err) => {
            return Err(ListError {
                resolved: Some(resolved),
                err,
            });
        }
    };
    let mut names = Vec::new();
    let mut errors = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => names.push(entry.file_name()),
            Err(err) => errors.push(err),
        }
    }
    names.sort_unstable();
    Ok(Listing {
        id: files::id_of(&resolved),
        resolved,
        names,
        errors,
    })
}

/// Whether a directory entry is named as OpenSSL's `c_rehash`/`openssl rehash` names a
/// certificate: eight lowercase hex digits, `.`, and a decimal number.
pub(crate) fn is_hash_name(name: &OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.len() > 9 && is_name_hash(&name[..8]) && name[8] == b'.' && is_decimal(&name[9..])
}

/// Whether a directory entry is named as OpenSSL's `c_rehash`/`openssl rehash` names a
/// certificate revocation list: eight lowercase hex digits, `.r`, and a decimal number.
pub(crate) fn is_revocation_list(name: &OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.len() > 10 && is_name_hash(&name[..8]) && &name[8..10] == b".r" && is_decimal(&name[10..])
}

fn is_name_hash(text: &[u8]) -> bool {
    text.iter()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
}

fn is_decimal(text: &[u8]) -> bool {
    text.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revocation_list_names() {
        for (name, crl) in [
            ("0a1b2c3d.r0", true),
            ("0a1b2c3d.r12", true),
            ("0a1b2c3d.0", false),
            ("0a1b2c3d.r", false),
            ("0A1B2C3D.r0", false),
            ("0a1b2c3g.r0", false),
            ("0a1b2c3d.r0.pem", false),
            ("README", false),
        ] {
            assert_eq!(is_revocation_list(OsStr::new(name)), crl, "{name}");
        }
    }

    #[test]
    fn certificate_hash_names() {
        for (name, hash) in [
            ("0a1b2c3d.0", true),
            ("0a1b2c3d.12", true),
            ("0a1b2c3d.", false),
            ("0a1b2c3d.r0", false),
            ("0A1B2C3D.0", false),
            ("0a1b2c3d.0.pem", false),
            ("Root_A.pem", false),
        ] {
            assert_eq!(is_hash_name(OsStr::new(name)), hash, "{name}");
        }
    }
}
