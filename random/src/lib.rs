#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("../README.md")]
// `unsafe` is denied in the whole crate and allowed only in `vdso.rs` (see Cargo.toml).
#![deny(unsafe_code)]

mod bytes;
mod error;
mod health;
mod int;
mod rng;
mod tokens;

// The vDSO fast path: Linux on the architectures whose vDSO symbol names we know. Every other
// target gets the same signatures, answering "not available".
#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
#[allow(unsafe_code)]
mod vdso;
#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
mod vdso {
    //! No vDSO `getrandom` on this target: [`fill`] always defers to the system call.

    /// Stands in for the Linux module's `Details`; never constructed here.
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Details {
        pub(crate) symbol: &'static str,
        pub(crate) version: &'static str,
        pub(crate) state_size: usize,
        pub(crate) mmap_prot: u32,
        pub(crate) mmap_flags: u32,
    }

    pub(crate) fn details() -> Option<Details> {
        None
    }

    pub(crate) fn fill(_dest: &mut [u8]) -> Result<(), usize> {
        Err(0)
    }
}

pub use bytes::{
    Backend, MAX_REQUEST, Preference, VdsoDetails, backend, fill, fill_with, preference,
    set_preference, urandom, vdso_details,
};
pub use error::Error;
pub use health::{HealthReport, health_check};
pub use int::{choice, randbelow, randbits, sample, shuffle};
pub use rand_core;
pub use rng::SystemRandom;
pub use tokens::{DEFAULT_ENTROPY, token_bytes, token_hex, token_urlsafe};
