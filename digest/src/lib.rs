#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod algorithm;
mod compare;
mod error;

pub use algorithm::Algorithm;
pub use compare::compare_digest;
pub use error::Error;
