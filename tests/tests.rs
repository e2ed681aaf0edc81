//! The one integration-test binary of the facade: cross-crate tests, one module per area.
//!
//! Tests of the `palisade` binary itself live in `cli/tests/`, where Cargo provides
//! `CARGO_BIN_EXE_palisade`.
#![allow(clippy::unwrap_used)]

// palisade::verify through the facade: certificates from verify/tests/data/certs.
mod verify;
