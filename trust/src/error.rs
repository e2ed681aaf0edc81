//! Errors: every unreadable file and every bad block, with where it was and why.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// One thing that could not be used while loading trust anchors.
///
/// Loading continues past every error: the good certificates are always kept, and each error
/// says which file (and which PEM block and line in it) it concerns and why it was skipped.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    path: Option<PathBuf>,
    position: Option<Position>,
}

impl Error {
    /// An error about no particular file.
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            path: None,
            position: None,
        }
    }

    /// An error about the file or directory at `path`.
    pub(crate) fn at(kind: ErrorKind, path: &Path) -> Self {
        Self {
            kind,
            path: Some(path.to_owned()),
            position: None,
        }
    }

    /// Attaches the PEM block and line the error is about.
    pub(crate) fn with_position(mut self, position: Position) -> Self {
        self.position = Some(position);
        self
    }

    /// Attaches a path if the error does not have one yet.
    pub(crate) fn with_path(mut self, path: &Path) -> Self {
        if self.path.is_none() {
            self.path = Some(path.to_owned());
        }
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The file or directory concerned, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Where in the file: the PEM block and its first line, if the error concerns one block.
    pub fn position(&self) -> Option<Position> {
        self.position
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            // Block 0 is a whole DER file: the path says it all.
            if let Some(position) = self.position.filter(|p| p.block > 0) {
                write!(f, ":{} (block {})", position.line, position.block)?;
            }
            f.write_str(": ")?;
        } else if let Some(position) = self.position.filter(|p| p.block > 0) {
            match position.line {
                // A certificate given as DER (`TrustStore::from_certificates`): no text.
                0 => write!(f, "certificate {}: ", position.block)?,
                line => write!(f, "line {line} (block {}): ", position.block)?,
            }
        }
        fmt::Display::fmt(&self.kind, f)
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.kind {
            ErrorKind::Io(err) => Some(err),
            _ => None,
        }
    }
}

/// Where in a file an error was found.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Position {
    /// The PEM block, counting from 1 in the order the blocks appear (0 for a DER file); for
    /// [`TrustStore::from_certificates`](crate::TrustStore::from_certificates), the
    /// certificate's place in the list, counting from 1.
    pub block: usize,
    /// The line on which the block starts, counting from 1 (1 for a DER file; 0 for a
    /// certificate given to `from_certificates`, which has no text).
    pub line: usize,
}

/// Why a file, a directory or a block could not be used.
#[non_exhaustive]
#[derive(Debug)]
pub enum ErrorKind {
    /// The operating system refused to open, list or read it (includes symbolic-link loops).
    Io(io::Error),
    /// The file is larger than a trust store can reasonably be; it was not read.
    TooLarge {
        /// The size of the file in bytes.
        size: u64,
        /// The largest size read, in bytes.
        limit: u64,
    },
    /// More certificates than a trust store can reasonably hold: this block and every one
    /// after it, in this file and the files read after it, were not taken.
    TooManyCertificates {
        /// The most certificate blocks one load takes.
        limit: usize,
    },
    /// A line starts like a PEM `BEGIN` line but is not one (a damaged label, or bytes after
    /// the closing dashes); its block was not read.
    MalformedPemHeader,
    /// A PEM block has a `BEGIN` line and no matching `END` line.
    UnterminatedPem {
        /// The label of the block, such as `CERTIFICATE`.
        label: String,
    },
    /// The body of a PEM block is not valid base64.
    InvalidBase64 {
        /// The label of the block.
        label: String,
    },
    /// The bytes are not a well-formed DER X.509 certificate.
    InvalidCertificate {
        /// What the parser found wrong.
        reason: String,
    },
    /// The trust settings after a `TRUSTED CERTIFICATE` are malformed.
    InvalidTrustSettings {
        /// What is wrong with them.
        reason: &'static str,
    },
    /// The file holds bytes but neither a PEM block nor a DER certificate.
    NoCertificate,
    /// This platform's own certificate store is not read by this version of the crate.
    UnsupportedPlatform {
        /// The operating system, as in `std::env::consts::OS`.
        os: &'static str,
    },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(err) => write!(f, "cannot read: {err}"),
            Self::TooLarge { size, limit } => {
                write!(
                    f,
                    "file of {size} bytes is larger than the {limit}-byte limit"
                )
            }
            Self::TooManyCertificates { limit } => write!(
                f,
                "more than {limit} certificates: this one and the rest were not read"
            ),
            Self::MalformedPemHeader => f.write_str("malformed PEM BEGIN line"),
            Self::UnterminatedPem { label } => write!(f, "PEM block {label:?} has no END line"),
            Self::InvalidBase64 { label } => write!(f, "PEM block {label:?} is not valid base64"),
            Self::InvalidCertificate { reason } => write!(f, "invalid certificate: {reason}"),
            Self::InvalidTrustSettings { reason } => {
                write!(f, "invalid TRUSTED CERTIFICATE trust settings: {reason}")
            }
            Self::NoCertificate => f.write_str("no PEM block and not a DER certificate"),
            Self::UnsupportedPlatform { os } => {
                write!(f, "the {os} certificate store is not supported yet")
            }
        }
    }
}
