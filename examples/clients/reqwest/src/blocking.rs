//! reqwest's blocking client with Palisade's roots: `reqwest-blocking-client CA_PEM URL` GETs
//! `URL` trusting only the roots of `CA_PEM`, and prints the status.

use std::process::ExitCode;

use client_common::Args;

fn main() -> ExitCode {
    client_common::run("reqwest-blocking-client", |Args { store, url }| {
        let config = client_common::rustls_config(&store)?;
        // The rustls::ClientConfig must be of the rustls version reqwest uses (0.23), else
        // reqwest does not recognise it (`use_preconfigured_tls` before reqwest 0.13).
        let client = reqwest::blocking::Client::builder()
            .tls_backend_preconfigured(config)
            .build()?;
        Ok(client.get(url).send()?.status().as_u16())
    })
}
