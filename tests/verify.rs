use std::fs;
use std::path::PathBuf;

use palisade::verify::{Certificate, Policy, ServerName, verify_hostname};

fn cert(name: &str) -> Certificate {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "verify",
        "tests",
        "data",
        "certs",
        name,
    ]
    .iter()
    .collect();
    Certificate::from_pem_or_der(&fs::read(path).unwrap()).unwrap()
}

#[test]
fn facade_checks_host_names() {
    let policy = Policy::default();
    let wildcard = cert("dns_wildcard.pem");
    let host = ServerName::try_from("www.example.com").unwrap();
    assert!(verify_hostname(&wildcard, &host, &policy).is_ok());
    let ip = ServerName::try_from("192.0.2.1").unwrap();
    let err = verify_hostname(&wildcard, &ip, &policy).unwrap_err();
    assert_eq!(err.presented.len(), 3);
    assert!(verify_hostname(&cert("ip_v4.der"), &ip, &policy).is_ok());
}
