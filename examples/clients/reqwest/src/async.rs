//! reqwest's async client with Palisade's roots: `reqwest-async-client CA_PEM URL` GETs `URL`
//! trusting only the roots of `CA_PEM`, and prints the status.

use std::process::ExitCode;

use client_common::Args;

fn main() -> ExitCode {
    client_common::run("reqwest-async-client", |Args { store, url }| {
        let config = client_common::rustls_config(&store)?;
        // The rustls::ClientConfig must be of the rustls version reqwest uses (0.23), else
        // reqwest does not recognise it (`use_preconfigured_tls` before reqwest 0.13).
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(config)
            .build()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let response = runtime.block_on(client.get(url).send())?;
        Ok(response.status().as_u16())
    })
}
