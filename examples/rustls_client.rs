//! A rustls client configured by `palisade::tls` with the system's trust store: connects,
//! sends an HTTP/1.0 request, and prints what was negotiated and where the root came from.
//!
//!     cargo run --features rustls --example rustls_client -- example.com:443 example.com
//!
//! CI runs it against a local `openssl s_server` with `SSL_CERT_FILE` naming the test CA
//! (scripts/tls_examples.sh).
// An example prints its result.
#![allow(clippy::print_stdout)]

use std::error::Error;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use palisade::tls::{ClientConfig, TrustSource, verify_server_chain};
use palisade::verify::ServerName;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(name)) = (args.next(), args.next()) else {
        return Err("usage: rustls_client HOST:PORT SERVER_NAME".into());
    };
    let config = ClientConfig::new(ServerName::try_from(name.as_str())?)
        .with_trust(TrustSource::System)
        .with_alpn(["http/1.1"]);
    let mut conn =
        rustls::ClientConnection::new(Arc::new(config.to_rustls()?), config.rustls_server_name()?)?;
    let mut tcp = TcpStream::connect(&addr)?;
    tcp.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
    tls.write_all(format!("GET / HTTP/1.0\r\nHost: {name}\r\n\r\n").as_bytes())?;
    let mut first = [0; 64];
    let n = tls.read(&mut first)?;
    println!(
        "version:  {:?}",
        conn.protocol_version().ok_or("no version")?
    );
    println!(
        "suite:    {:?}",
        conn.negotiated_cipher_suite().ok_or("no suite")?.suite()
    );
    let response = String::from_utf8_lossy(&first[..n]);
    println!("response: {}", response.lines().next().unwrap_or(""));
    let chain = conn.peer_certificates().ok_or("no certificates")?;
    let store = config.load_trust()?;
    let verified = verify_server_chain(chain, &store, config.server_name(), SystemTime::now())?;
    println!("anchor:   {}", verified.anchor().subject());
    for provenance in verified.provenance() {
        println!("from:     {provenance}");
    }
    Ok(())
}
