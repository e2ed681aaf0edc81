//! Host parsing: any string either is a valid `ServerName` or an error, never a panic, and a
//! valid name's normalized form parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_verify::{Identity, Policy, ServerName, verify_identities};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(name) = ServerName::try_from(text) else {
        return;
    };
    let normalized = name.to_string();
    let again = ServerName::try_from(normalized.as_str()).expect("normalized form is valid");
    assert_eq!(again, name, "normalizing {text:?} is not idempotent");
    // A DNS host always matches its own normalized form presented as a dNSName, and any
    // host checked against the raw input as a presented name must not panic.
    let ids = [
        Identity::DnsName(data.to_vec()),
        Identity::IpAddress(data.to_vec()),
        Identity::CommonName(data.to_vec()),
    ];
    let _ = verify_identities(&ids, &name, &Policy::default());
    if let ServerName::DnsName(dns) = &name {
        let own = [Identity::DnsName(dns.as_str().as_bytes().to_vec())];
        assert!(
            verify_identities(&own, &name, &Policy::default()).is_ok(),
            "{dns}"
        );
    }
});
