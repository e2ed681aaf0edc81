#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("../README.md")]
// `unsafe` only in the Windows and macOS backends (calls their crates do not wrap), each block
// with a SAFETY comment; forbidden in every other build.
#![cfg_attr(not(any(windows, target_os = "macos")), forbid(unsafe_code))]

mod anchor;
mod cache;
mod convert;
mod discover;
mod dn;
mod error;
mod explain;
mod files;
mod hash;
mod known;
mod layout;
mod memory;
mod native;
mod paths;
mod pem;
mod purpose;
mod record;
mod scan;
mod store;

// Platform backends. Each provides, with the same signature,
//
//     pub(crate) fn load_native_certs(loader: &mut Loader<'_>, env: &EnvVars, scan: DirectoryScan)
//
// which reads the operating system's own store into `loader` (anchors, distrust, errors and
// sources). The `SSL_CERT_*` override, the builder's system root and extra sources, merging and
// distrust are platform-neutral and live in `store` and `discover`; what the Windows and macOS
// backends share (store entries, usage identifiers, the trust-settings rules) in `native`.
#[cfg(all(unix, not(target_os = "macos")))]
mod unix;
#[cfg(all(unix, not(target_os = "macos")))]
use unix as platform;

#[cfg(target_os = "macos")]
mod macos;
#[cfg(target_os = "macos")]
use macos as platform;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as platform;

#[cfg(not(any(unix, windows)))]
compile_error!("palisade-trust supports Linux and other Unix systems, macOS and Windows");

pub use anchor::{CaStatus, MacDomain, Provenance, SourceKind, TrustAnchor, WindowsLocation};
pub use cache::CachedTrustStore;
pub use dn::distinguished_name;
pub use error::{Error, ErrorKind, Position};
pub use explain::{Explanation, Verdict};
pub use hash::openssl_name_hash;
pub use paths::{DefaultVerifyPaths, EnvMode, EnvVars, default_verify_paths};
pub use pem::{der_to_pem, pem_to_der};
pub use purpose::Purposes;
pub use record::{DirectoryScan, Distrust, DistrustReason, SkipReason, Skipped, Source};
#[cfg(feature = "webpki-roots")]
#[cfg_attr(docsrs, doc(cfg(feature = "webpki-roots")))]
pub use store::Fallback;
pub use store::{Builder, CertificateResult, TrustStore, load_native_certs};
