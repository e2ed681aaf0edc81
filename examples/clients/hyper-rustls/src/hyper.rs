//! hyper 1 through hyper-rustls with Palisade's roots: `hyper-rustls-client CA_PEM URL` GETs
//! `URL` trusting only the roots of `CA_PEM`, and prints the status.

use std::process::ExitCode;

use client_common::Args;
use http_body_util::Empty;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

fn main() -> ExitCode {
    client_common::run("hyper-rustls-client", |Args { store, url }| {
        let config = client_common::rustls_config(&store)?;
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_only()
            .enable_http1()
            .build();
        let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build(https);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let response = runtime.block_on(client.get(url.parse()?))?;
        Ok(response.status().as_u16())
    })
}
