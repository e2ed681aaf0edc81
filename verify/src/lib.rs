#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod cert;
mod check;
mod dns;
mod error;
mod ip;
mod name;
mod selftest;

pub use cert::{Certificate, Identity};
pub use check::{CnFallback, Policy, verify_hostname, verify_identities};
pub use error::{
    CertificateError, CommonNameIgnored, InvalidServerName, NameError, NameMismatch, Reason,
    Rejected,
};
pub use name::{DnsName, ServerName};
pub use selftest::{SelfTest, self_test};
