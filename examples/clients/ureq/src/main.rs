//! ureq 3 with Palisade's roots: `ureq-client CA_PEM URL` GETs `URL` trusting only the roots of
//! `CA_PEM`, and prints the status.

use std::process::ExitCode;
use std::sync::Arc;

use client_common::Args;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

fn main() -> ExitCode {
    client_common::run("ureq-client", |Args { store, url }| {
        // ureq wants owned certificates; `certificates()` are the store's TLS roots.
        let roots: Vec<Certificate<'static>> = store
            .certificates()
            .map(|der| Certificate::from_der(&der).to_owned())
            .collect();
        let tls = TlsConfig::builder()
            .root_certs(RootCerts::new_with_certs(&roots))
            // Without ureq's `rustls` feature it has no provider of its own: name one.
            .unversioned_rustls_crypto_provider(Arc::new(
                rustls::crypto::aws_lc_rs::default_provider(),
            ))
            .build();
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .build()
            .new_agent();
        let response = agent.get(&url).call()?;
        Ok(response.status().as_u16())
    })
}
