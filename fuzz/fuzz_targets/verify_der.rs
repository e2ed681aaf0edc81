//! Matching arbitrary DER: reading any bytes as a certificate, PEM or DER, and checking it
//! against a few hosts, returns a result and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_verify::{Certificate, CnFallback, Policy, ServerName, verify_hostname};

fuzz_target!(|data: &[u8]| {
    let Ok(cert) = Certificate::from_pem_or_der(data) else {
        return;
    };
    let mut policy = Policy::default();
    for fallback in [CnFallback::Deny, CnFallback::Allow] {
        policy.cn_fallback = fallback;
        for host in ["example.com", "www.example.com", "192.0.2.1", "2001:db8::1"] {
            let host = ServerName::try_from(host).expect("fixed valid host");
            if let Err(mismatch) = verify_hostname(&cert, &host, &policy) {
                // The explanation renders for any input.
                let _ = mismatch.to_string();
            }
        }
    }
});
