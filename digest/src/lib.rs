#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]

mod algorithm;
mod checklist;
mod compare;
mod error;
mod hash;
mod hmac;
mod kdf;
mod output;
mod self_test;
mod sha2_core;
// The one module with `unsafe`: CPU-feature dispatch and SIMD loads and stores.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod sha512_x86;

pub use algorithm::Algorithm;
pub use checklist::{ChecksumLine, MAX_CHECKSUM_LINE, parse_checksum_line, read_checksum_line};
pub use compare::compare_digest;
pub use error::Error;
pub use hash::{Blake2Params, Hash, MAX_XOF_OUTPUT, digest, file_digest};
pub use hmac::{Hmac, HmacKey, hmac_digest};
pub use kdf::{pbkdf2_hmac, scrypt};
pub use output::Output;
pub use self_test::{SelfTest, self_test};
