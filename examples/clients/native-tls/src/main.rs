//! native-tls with Palisade's roots: `native-tls-client CA_PEM URL` GETs `URL` over a
//! `native_tls::TlsConnector` trusting only the roots of `CA_PEM` (not the platform's), and
//! prints the status.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::ExitCode;

use client_common::Args;

fn main() -> ExitCode {
    client_common::run("native-tls-client", |Args { store, url }| {
        let mut builder = native_tls::TlsConnector::builder();
        // Adds the store's TLS roots and turns the platform's own off.
        let (_added, ignored) = store.to_native_tls(&mut builder);
        if ignored > 0 {
            eprintln!("native-tls-client: {ignored} roots the platform could not parse");
        }
        let connector = builder.build()?;
        let (host, port, path) = client_common::split_url(&url)?;
        let mut tls = connector.connect(host, TcpStream::connect((host, port))?)?;
        write!(
            tls,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )?;
        let mut response = Vec::new();
        // A server may close without close_notify: what was read is the response.
        if let Err(err) = tls.read_to_end(&mut response)
            && response.is_empty()
        {
            return Err(err.into());
        }
        client_common::status_of(&response)
    })
}
