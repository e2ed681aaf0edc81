#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod anchor;
mod cache;
mod convert;
mod discover;
mod error;
mod explain;
mod hash;
mod paths;
mod pem;
mod purpose;
mod store;

// Platform backends. Each provides, with the same signature,
//
//     pub(crate) fn load_native_certs(loader: &mut Loader<'_>, env: &EnvVars, scan: DirectoryScan)
//
// which reads the operating system's own store into `loader` (anchors, distrust, errors and
// sources). The `SSL_CERT_*` override, the builder's system root and extra sources, merging and
// distrust are platform-neutral and live in `store` and `discover`. macOS (`macos.rs`) follows
// in issue 8; until then it reads the Unix layouts, as openssl-probe does there.
#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as platform;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as platform;

#[cfg(not(any(unix, windows)))]
compile_error!("palisade-trust supports Linux and other Unix systems, macOS and Windows");

pub use anchor::{CaStatus, Provenance, SourceKind, TrustAnchor};
pub use cache::CachedTrustStore;
pub use error::{Error, ErrorKind, Position};
pub use explain::{Explanation, Verdict};
pub use hash::openssl_name_hash;
pub use paths::{DefaultVerifyPaths, EnvMode, EnvVars, default_verify_paths};
pub use pem::{der_to_pem, pem_to_der};
pub use purpose::Purposes;
#[cfg(feature = "webpki-roots")]
pub use store::Fallback;
pub use store::{
    Builder, CertificateResult, DirectoryScan, Distrust, DistrustReason, Source, TrustStore,
    load_native_certs,
};
