//! tokio-rustls with Palisade's roots: `tokio-rustls-client CA_PEM URL` GETs `URL` over a
//! `tokio_rustls::TlsConnector` trusting only the roots of `CA_PEM`, and prints the status.

use std::process::ExitCode;
use std::sync::Arc;

use client_common::Args;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

fn main() -> ExitCode {
    client_common::run("tokio-rustls-client", |Args { store, url }| {
        let config = client_common::rustls_config(&store)?;
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let (host, port, path) = client_common::split_url(&url)?;
        let name = ServerName::try_from(host.to_owned())?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let response = runtime.block_on(async {
            let tcp = TcpStream::connect((host, port)).await?;
            let mut tls = connector.connect(name, tcp).await?;
            let request =
                format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
            tls.write_all(request.as_bytes()).await?;
            let mut response = Vec::new();
            // A server may close without close_notify: what was read is the response.
            if let Err(err) = tls.read_to_end(&mut response).await
                && response.is_empty()
            {
                return Err(err);
            }
            Ok::<_, std::io::Error>(response)
        })?;
        client_common::status_of(&response)
    })
}
