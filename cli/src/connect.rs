//! `palisade connect HOST:PORT`: a TLS handshake with rustls or OpenSSL configured by
//! `palisade::tls`, then what was negotiated, the chain, the anchor it ended at and the verdict.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
#[cfg(feature = "rustls")]
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow, bail};
#[cfg(feature = "openssl")]
use openssl::ssl::HandshakeError;
#[cfg(feature = "openssl")]
use openssl::x509::X509VerifyResult;
use rustls_pki_types::CertificateDer;
use serde_json::json;

use palisade::tls::{ChainCertificate, ClientConfig, TlsVersion, VerifyError, verify_server_chain};
#[cfg(feature = "rustls")]
use palisade::tls::{CipherSuite, PalisadeVerifier};
use palisade::verify::ServerName;

use crate::Outcome;
use crate::args::{Backend, ConnectArgs};
use crate::output::{self, Format};
use crate::report::{Section, Status};
use crate::verify::{
    chain_json, result_json, trust_source, write_chain, write_reason, write_verified,
};

/// Runs `palisade connect`.
pub(crate) fn run(args: &ConnectArgs) -> anyhow::Result<Outcome> {
    // Before anything touches the network: a backend left out of this build is a usage error.
    let handshake: fn(&ClientConfig, TcpStream) -> Result<Done, Failed> = match args.backend {
        #[cfg(feature = "openssl")]
        Backend::Openssl => openssl_handshake,
        #[cfg(not(feature = "openssl"))]
        Backend::Openssl => bail!(not_built("OpenSSL", "openssl")),
        #[cfg(feature = "rustls")]
        Backend::Rustls => rustls_handshake,
        #[cfg(not(feature = "rustls"))]
        Backend::Rustls => bail!(not_built("rustls", "rustls")),
    };
    let (host, addrs) = resolve(&args.target)?;
    let name = args.servername.as_deref().unwrap_or(&host);
    let server_name = ServerName::try_from(name)?;
    let mut config = ClientConfig::new(server_name.clone())
        .with_trust(trust_source(&args.roots))
        .with_alpn(&args.alpn);
    if let Some(min) = &args.min_version {
        config = config.with_versions(TlsVersion::try_from(min.as_str())?, TlsVersion::Tls13);
    }
    let timeout = Duration::from_secs(args.timeout);
    let tcp = connect_tcp(&args.target, &addrs, timeout)?;
    tcp.set_read_timeout(Some(timeout))?;
    tcp.set_write_timeout(Some(timeout))?;
    let done = match handshake(&config, tcp) {
        Ok(done) => done,
        Err(Failed::Verify(reason)) => {
            if args.format == Format::Json {
                let mut report = result_json(&server_name, &Err(reason.clone()), config.trust());
                report["target"] = json!(args.target);
                report["backend"] = json!(args.backend.value());
                report["handshake"] = json!(false);
                let mut out = io::stdout().lock();
                output::json(&mut out, &report)?;
                out.flush()?;
            }
            write_reason(&mut io::stderr().lock(), &server_name, &reason)?;
            return Ok(Outcome::No);
        }
        Err(Failed::Io(err)) if is_timeout(&err) => {
            bail!(
                "TLS handshake with {} timed out after {}s",
                args.target,
                args.timeout
            )
        }
        Err(Failed::Io(err)) => {
            return Err(anyhow!(err).context(format!("TLS handshake with {}", args.target)));
        }
        Err(Failed::Other(err)) => {
            let (min, max) = config.versions();
            return Err(err.context(format!(
                "TLS handshake with {} (offering {min} to {max})",
                args.target
            )));
        }
    };
    let alpn = done
        .alpn
        .as_ref()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let sent = done
        .chain
        .iter()
        .map(|der| ChainCertificate::from_der(der))
        .collect::<Result<Vec<_>, _>>()?;
    // The handshake already verified the chain; this names the anchor and its source.
    let store = config.load_trust()?;
    let result = verify_server_chain(&done.chain, &store, &server_name, SystemTime::now());
    let mut out = io::stdout().lock();
    match args.format {
        Format::Json => {
            let mut report = result_json(&server_name, &result, config.trust());
            report["target"] = json!(args.target);
            report["backend"] = json!(args.backend.value());
            report["handshake"] = json!(true);
            report["version"] = json!(done.version);
            report["cipher_suite"] = json!(done.suite);
            report["alpn"] = json!(alpn);
            report["chain"] = chain_json(&sent);
            output::json(&mut out, &report)?;
        }
        Format::Text => {
            writeln!(
                out,
                "connected:    {} ({:?}) with {}",
                args.target,
                server_name.to_string(),
                args.backend.name()
            )?;
            writeln!(out, "version:      {}", done.version)?;
            writeln!(out, "cipher suite: {}", done.suite)?;
            writeln!(out, "ALPN:         {}", alpn.as_deref().unwrap_or("(none)"))?;
            writeln!(out, "chain sent by the server:")?;
            write_chain(&mut out, &sent)?;
            if let Ok(verified) = &result {
                write_verified(&mut out, verified, &server_name, config.trust())?;
            }
        }
    }
    out.flush()?;
    match result {
        Ok(_) => Ok(Outcome::Yes),
        Err(reason) => {
            write_reason(&mut io::stderr().lock(), &server_name, &reason)?;
            Ok(Outcome::No)
        }
    }
}

/// Why `--backend NAME` cannot be used: this binary was built without that feature.
#[cfg(not(all(feature = "openssl", feature = "rustls")))]
fn not_built(backend: &str, feature: &str) -> String {
    format!(
        "this palisade was built without the {backend} backend; rebuild with --features {feature}"
    )
}

/// The doctor's `tls` section: the backends this binary has, configured from the system store.
pub(crate) fn doctor_section(title: String) -> Section {
    let mut section = Section::new("tls", title);
    #[cfg(feature = "rustls")]
    section.fact("rustls", "aws-lc-rs provider, Palisade verifier");
    #[cfg(not(feature = "rustls"))]
    section.fact("rustls", "not built (cargo feature `rustls`)");
    #[cfg(feature = "openssl")]
    section.fact("openssl", openssl::version::version());
    let config = match ServerName::try_from("example.com") {
        Ok(name) => ClientConfig::new(name),
        Err(err) => {
            section.check("server name", Status::Fail, err.to_string());
            return section;
        }
    };
    #[cfg(feature = "rustls")]
    rustls_check(&mut section, &config);
    #[cfg(feature = "openssl")]
    openssl_check(&mut section, &config);
    #[cfg(not(feature = "openssl"))]
    section.check(
        "OpenSSL backend",
        Status::Info,
        "not built: `palisade connect --backend openssl` needs --features openssl (and libssl-dev)",
    );
    section
}

/// The doctor's check of the rustls backend.
#[cfg(feature = "rustls")]
fn rustls_check(section: &mut Section, config: &ClientConfig) {
    let (status, detail) = match config.to_rustls() {
        Ok(rustls_config) => (
            Status::Pass,
            format!(
                "TLS 1.2-1.3, {} cipher suites",
                rustls_config.crypto_provider().cipher_suites.len()
            ),
        ),
        Err(err) => (Status::Fail, err.to_string()),
    };
    section.check("rustls config from the system store", status, detail);
}

/// The doctor's check of the OpenSSL backend.
#[cfg(feature = "openssl")]
fn openssl_check(section: &mut Section, config: &ClientConfig) {
    let (status, detail) = match config.to_openssl() {
        Ok(_) => (
            Status::Pass,
            "SslConnector with the system's TLS roots".to_owned(),
        ),
        Err(err) => (Status::Fail, err.to_string()),
    };
    section.check("OpenSSL connector from the system store", status, detail);
}

/// What a completed handshake negotiated.
struct Done {
    version: String,
    suite: String,
    alpn: Option<Vec<u8>>,
    chain: Vec<CertificateDer<'static>>,
}

/// Why a handshake did not complete.
enum Failed {
    /// The chain or the name was rejected: exit status 1.
    Verify(VerifyError),
    /// Reading or writing the socket failed (time-outs included).
    Io(io::Error),
    /// Anything else: a protocol error, a configuration the backend refused.
    Other(anyhow::Error),
}

#[cfg(feature = "rustls")]
fn rustls_handshake(config: &ClientConfig, mut tcp: TcpStream) -> Result<Done, Failed> {
    let rustls_config = config.to_rustls().map_err(|e| Failed::Other(e.into()))?;
    let server_name = config
        .rustls_server_name()
        .map_err(|e| Failed::Other(e.into()))?;
    let mut conn = rustls::ClientConnection::new(Arc::new(rustls_config), server_name)
        .map_err(|e| Failed::Other(e.into()))?;
    while conn.is_handshaking() {
        if let Err(err) = conn.complete_io(&mut tcp) {
            if let Some(reason) = PalisadeVerifier::reason(&err) {
                return Err(Failed::Verify(reason.clone()));
            }
            // A TLS-level failure (an alert, no common version) travels inside an io::Error.
            if err.get_ref().is_some_and(|e| e.is::<rustls::Error>()) {
                return Err(Failed::Other(err.into()));
            }
            return Err(Failed::Io(err));
        }
    }
    let suite = conn
        .negotiated_cipher_suite()
        .map_or_else(String::new, |s| {
            let code = u16::from(s.suite());
            CipherSuite::all()
                .find(|known| known.code() == code)
                .map_or_else(
                    || format!("{:?}", s.suite()),
                    |known| known.iana_name().to_owned(),
                )
        });
    Ok(Done {
        version: match conn.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => TlsVersion::Tls13.to_string(),
            Some(rustls::ProtocolVersion::TLSv1_2) => TlsVersion::Tls12.to_string(),
            other => format!("{other:?}"),
        },
        suite,
        alpn: conn.alpn_protocol().map(<[u8]>::to_vec),
        chain: conn
            .peer_certificates()
            .map(|certs| certs.iter().map(|c| c.clone().into_owned()).collect())
            .unwrap_or_default(),
    })
}

#[cfg(feature = "openssl")]
fn openssl_handshake(config: &ClientConfig, tcp: TcpStream) -> Result<Done, Failed> {
    let connector = config.to_openssl().map_err(|e| Failed::Other(e.into()))?;
    let name = config.server_name().to_string();
    let peer_chain = |ssl: &openssl::ssl::SslRef| -> Vec<CertificateDer<'static>> {
        ssl.peer_cert_chain()
            .map(|certs| {
                certs
                    .iter()
                    .filter_map(|c| c.to_der().ok())
                    .map(CertificateDer::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    // Palisade's name check runs in the verify callback; OpenSSL's own is switched off so that
    // the reasons are ours.
    let configured = connector
        .configure()
        .map_err(|e| Failed::Other(e.into()))?
        .verify_hostname(false);
    match configured.connect(&name, tcp) {
        Ok(stream) => {
            let ssl = stream.ssl();
            Ok(Done {
                version: ssl.version_str().to_owned(),
                suite: ssl
                    .current_cipher()
                    .and_then(|c| c.standard_name())
                    .unwrap_or("")
                    .to_owned(),
                alpn: ssl.selected_alpn_protocol().map(<[u8]>::to_vec),
                chain: peer_chain(ssl),
            })
        }
        Err(HandshakeError::Failure(mid)) => {
            let chain = peer_chain(mid.ssl());
            let verify_result = mid.ssl().verify_result();
            if !chain.is_empty() && verify_result != X509VerifyResult::OK {
                // OpenSSL rejected the chain: check it again for Palisade's reasons.
                let store = config.load_trust().map_err(|e| Failed::Other(e.into()))?;
                if let Err(reason) =
                    verify_server_chain(&chain, &store, config.server_name(), SystemTime::now())
                {
                    return Err(Failed::Verify(reason));
                }
                return Err(Failed::Other(anyhow!(
                    "OpenSSL rejected the chain ({}), which rustls-webpki accepts",
                    verify_result.error_string()
                )));
            }
            let err = mid.into_error();
            match err.io_error() {
                Some(io) if is_timeout(io) => Err(Failed::Io(io::Error::from(io.kind()))),
                // Its Display already holds OpenSSL's error stack, which is also its source():
                // keep the message only, so that the stack is printed once.
                _ => Err(Failed::Other(anyhow::Error::msg(err.to_string()))),
            }
        }
        Err(HandshakeError::SetupFailure(err)) => Err(Failed::Other(err.into())),
        Err(HandshakeError::WouldBlock(_)) => Err(Failed::Io(io::ErrorKind::TimedOut.into())),
    }
}

/// `HOST:PORT` (`[V6]:PORT` for IPv6) to the host and its addresses. Without a port, 443
/// (`localhost`, `[::1]`, `::1`), as browsers and curl take an `https://` URL.
fn resolve(target: &str) -> anyhow::Result<(String, Vec<SocketAddr>)> {
    let (host, port) = split_port(target)?;
    let addrs: Vec<SocketAddr> = (host.as_str(), port)
        .to_socket_addrs()
        .with_context(|| format!("resolving {host:?}"))?
        .collect();
    if addrs.is_empty() {
        bail!("{host:?} has no address");
    }
    Ok((host, addrs))
}

/// The host (brackets removed) and port of `HOST[:PORT]`, `[V6][:PORT]` or a bare `V6`.
fn split_port(target: &str) -> anyhow::Result<(String, u16)> {
    let (host, port) = if let Some(rest) = target.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .with_context(|| format!("{target:?}: no ']' after the IPv6 address"))?;
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => bail!("{target:?} is not [IPV6]:PORT"),
            },
        }
    } else {
        match target.split(':').count() {
            1 => (target, None),
            2 => target
                .split_once(':')
                .map(|(h, p)| (h, Some(p)))
                .with_context(|| format!("{target:?} is not HOST:PORT"))?,
            // A bare IPv6 address: its colons are not a port.
            _ => (target, None),
        }
    };
    if host.is_empty() {
        bail!("{target:?} has no host");
    }
    let port = match port {
        None => 443,
        Some(port) => port
            .parse::<u16>()
            .with_context(|| format!("{target:?}: {port:?} is not a port number"))?,
    };
    Ok((host.to_owned(), port))
}

/// The first address that accepts within the time-out.
fn connect_tcp(target: &str, addrs: &[SocketAddr], timeout: Duration) -> anyhow::Result<TcpStream> {
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(tcp) => return Ok(tcp),
            Err(err) => last = Some((addr, err)),
        }
    }
    match last {
        Some((addr, err)) if is_timeout(&err) => {
            bail!(
                "connecting to {target} ({addr}) timed out after {}s",
                timeout.as_secs()
            )
        }
        Some((addr, err)) => Err(anyhow!(err).context(format!("connecting to {target} ({addr})"))),
        None => bail!("{target} has no address"),
    }
}

fn is_timeout(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_port_is_443() {
        for (target, host, port) in [
            ("localhost", "localhost", 443),
            ("example.com:8443", "example.com", 8443),
            ("[::1]", "::1", 443),
            ("[::1]:4433", "::1", 4433),
            ("::1", "::1", 443),
            ("127.0.0.1", "127.0.0.1", 443),
        ] {
            assert_eq!(
                split_port(target).unwrap(),
                (host.to_owned(), port),
                "{target}"
            );
        }
        for bad in ["", ":443", "host:http", "[::1", "[::1]443", "host:70000"] {
            assert!(split_port(bad).is_err(), "{bad}");
        }
    }
}
