#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("../README.md")]
// `unsafe` is denied in the whole crate and allowed only in `mapped.rs` and `sha512_x86.rs`
// (see Cargo.toml).
#![deny(unsafe_code)]

mod algorithm;
mod checklist;
mod compare;
mod error;
mod file;
mod hash;
mod hmac;
#[cfg(feature = "digest")]
mod hmac_sha256;
mod kdf;
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[allow(unsafe_code)]
mod mapped;
mod md5_core;
mod output;
mod self_test;
mod sha2_core;
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod sha512_x86;
#[cfg(any(feature = "digest", feature = "digest-0_10"))]
mod traits;

pub use algorithm::Algorithm;
pub use checklist::{
    ChecksumLine, ChecksumParser, MAX_CHECKSUM_LINE, parse_checksum_line, read_checksum_line,
};
pub use compare::compare_digest;
pub use error::Error;
pub use file::{digest_file, digest_path, file_digest};
pub use hash::{Blake2Params, Hash, MAX_XOF_OUTPUT, digest};
pub use hmac::{Hmac, HmacKey, hmac_digest};
#[cfg(feature = "digest")]
pub use hmac_sha256::HmacSha256;
pub use kdf::{pbkdf2_hmac, scrypt};
pub use output::Output;
pub use self_test::{SelfTest, self_test};
