//! `palisade_verify::verify_hostname` side by side with rustls-webpki's subject-name check and
//! OpenSSL's `X509_check_host`, for certificates with 1 and 100 subjectAltName entries.
//!
//! Two groups: `check` measures the name check alone on an already parsed certificate and
//! host; `parse_and_check` adds reading the DER, which is what a caller does per connection.
//! The host matches the only entry (1 SAN) or the last entry (100 SANs, the worst case); the
//! `miss` cases match nothing, which makes palisade build its explanation.
//!
//!     cargo bench -p palisade-bench --bench verify -- --warm-up-time 1 --measurement-time 3
// The inputs are fixed, checked-in certificates and hosts: a failure to parse them is a broken
// benchmark and should stop it loudly.
#![allow(clippy::unwrap_used)]

use std::ffi::c_uint;
use std::hint::black_box;
use std::ptr;

use criterion::{Criterion, criterion_group, criterion_main};
use foreign_types::ForeignTypeRef;
use openssl::x509::{X509, X509Ref};
use palisade_verify::{Certificate, Policy, ServerName, verify_hostname};
use rustls_pki_types::CertificateDer;
use webpki::EndEntityCert;

const SAN_1: &[u8] = include_bytes!("../../verify/tests/data/certs/san_1.der");
const SAN_100: &[u8] = include_bytes!("../../verify/tests/data/certs/san_100.der");

/// Certificate, host, expected result, case name.
const CASES: &[(&[u8], &str, bool, &str)] = &[
    (SAN_1, "www.example.com", true, "1_san"),
    (SAN_100, "host-99.example.com", true, "100_san"),
    (SAN_100, "host-100.example.com", false, "100_san_miss"),
];

fn check(c: &mut Criterion) {
    for &(der, host, expected, case) in CASES {
        let mut group = c.benchmark_group(format!("check/{case}"));

        let cert = Certificate::from_der(der).unwrap();
        let name = ServerName::try_from(host).unwrap();
        let policy = Policy::default();
        assert_eq!(verify_hostname(&cert, &name, &policy).is_ok(), expected);
        group.bench_function("palisade", |b| {
            b.iter(|| verify_hostname(black_box(&cert), black_box(&name), &policy).is_ok())
        });

        let der_ref = CertificateDer::from(der);
        let ee = EndEntityCert::try_from(&der_ref).unwrap();
        let wname = rustls_pki_types::ServerName::try_from(host).unwrap();
        assert_eq!(
            ee.verify_is_valid_for_subject_name(&wname).is_ok(),
            expected
        );
        group.bench_function("webpki", |b| {
            b.iter(|| {
                black_box(&ee)
                    .verify_is_valid_for_subject_name(black_box(&wname))
                    .is_ok()
            })
        });

        let x509 = X509::from_der(der).unwrap();
        assert_eq!(openssl_check_host(&x509, host), expected);
        group.bench_function("openssl", |b| {
            b.iter(|| openssl_check_host(black_box(&x509), black_box(host)))
        });
        group.finish();
    }
}

fn parse_and_check(c: &mut Criterion) {
    for &(der, host, expected, case) in CASES {
        let mut group = c.benchmark_group(format!("parse_and_check/{case}"));

        let name = ServerName::try_from(host).unwrap();
        let policy = Policy::default();
        group.bench_function("palisade", |b| {
            b.iter(|| {
                let cert = Certificate::from_der(black_box(der)).unwrap();
                verify_hostname(&cert, black_box(&name), &policy).is_ok()
            })
        });

        let wname = rustls_pki_types::ServerName::try_from(host).unwrap();
        group.bench_function("webpki", |b| {
            b.iter(|| {
                let der_ref = CertificateDer::from(black_box(der));
                let ee = EndEntityCert::try_from(&der_ref).unwrap();
                ee.verify_is_valid_for_subject_name(black_box(&wname))
                    .is_ok()
            })
        });

        group.bench_function("openssl", |b| {
            b.iter(|| {
                let x509 = X509::from_der(black_box(der)).unwrap();
                openssl_check_host(&x509, black_box(host)) == expected
            })
        });
        group.finish();
    }
}

/// OpenSSL's `X509_check_host` with flags 0, as `openssl x509 -checkhost` calls it. The openssl
/// crate has no safe wrapper for it (it offers the check only inside full chain verification).
#[allow(unsafe_code)]
fn openssl_check_host(cert: &X509Ref, host: &str) -> bool {
    let flags: c_uint = 0;
    // SAFETY: `cert.as_ptr()` is a valid `X509*` for the lifetime of `cert`; `host` is passed
    // with its length, so it need not be NUL-terminated; `peername` may be null, in which case
    // OpenSSL writes nothing back. `X509_check_host` does not keep any of these pointers.
    let rc = unsafe {
        openssl_sys::X509_check_host(
            cert.as_ptr(),
            host.as_ptr().cast(),
            host.len(),
            flags,
            ptr::null_mut(),
        )
    };
    rc == 1
}

criterion_group!(benches, check, parse_and_check);
criterion_main!(benches);
