#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod algorithm;
mod compare;
mod error;
mod hash;
mod output;

pub use algorithm::Algorithm;
pub use compare::compare_digest;
pub use error::Error;
pub use hash::{Blake2Params, Hash, digest, file_digest};
pub use output::Output;
