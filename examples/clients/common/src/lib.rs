//! What the client examples share: `CA_PEM URL` arguments, a [`TrustStore`] of only that CA
//! file's roots, one way to report the result (`status: 200`, or `error: ...` on standard
//! error and a non-zero exit status), and the rustls `ClientConfig` of the rustls-based ones.

use std::error::Error as StdError;
use std::process::ExitCode;
use std::sync::Arc;

use palisade_trust::TrustStore;

/// What each example is given.
#[derive(Debug)]
pub struct Args {
    /// The roots of the CA file, and only those: nothing of the system is read.
    pub store: TrustStore,
    /// The `https://` URL to GET.
    pub url: String,
}

/// Runs an example: reads `CA_PEM URL` from the command line, builds the store with
/// [`TrustStore::from_pem`], calls `get` and prints the HTTP status it returns.
///
/// Exits with 1, after `error: ...` with the chain of causes, when the CA file cannot be read
/// or has no usable root, or when `get` fails (a server whose certificate does not chain to the
/// CA); with 2 on a usage error.
pub fn run(name: &str, get: impl FnOnce(Args) -> Result<u16, Box<dyn StdError>>) -> ExitCode {
    let mut argv = std::env::args_os().skip(1);
    let (Some(ca), Some(url), None) = (argv.next(), argv.next(), argv.next()) else {
        eprintln!("usage: {name} CA_PEM https://HOST:PORT/");
        return ExitCode::from(2);
    };
    let Some(url) = url.to_str().map(str::to_owned) else {
        eprintln!("{name}: error: the URL is not UTF-8");
        return ExitCode::from(2);
    };
    let result = std::fs::read(&ca)
        .map_err(|e| format!("cannot read {}: {e}", ca.to_string_lossy()).into())
        .and_then(|pem| store(pem, &ca.to_string_lossy()))
        .and_then(|store| get(Args { store, url }));
    match result {
        Ok(status) => {
            println!("status: {status}");
            if (200..300).contains(&status) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(err) => {
            let mut message = err.to_string();
            let mut source = err.source();
            while let Some(cause) = source {
                // Some errors already print their cause (native-tls, hyper-util).
                let cause_text = cause.to_string();
                if !message.contains(&cause_text) {
                    message.push_str(": ");
                    message.push_str(&cause_text);
                }
                source = cause.source();
            }
            eprintln!("{name}: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The store of `pem`'s roots: an error when a block is bad or no TLS root is left.
fn store(pem: Vec<u8>, path: &str) -> Result<TrustStore, Box<dyn StdError>> {
    let store = TrustStore::from_pem(pem);
    if let Some(err) = store.errors().first() {
        return Err(format!("{path}: {err}").into());
    }
    if store.tls_anchors().next().is_none() {
        return Err(format!("{path}: no CA certificate for TLS servers").into());
    }
    Ok(store)
}

/// The rustls configuration of the reqwest, hyper-rustls and tokio-rustls examples: the store's
/// TLS roots and nothing else, with aws-lc-rs named explicitly (rustls' `ClientConfig::builder`
/// would panic with two providers compiled in, as ureq's ring may bring).
///
/// # Errors
///
/// When the provider supports none of rustls' default protocol versions.
pub fn rustls_config(store: &TrustStore) -> Result<rustls::ClientConfig, rustls::Error> {
    let (roots, _ignored) = store.to_rustls_root_store();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// The host, port and path of an `https://HOST[:PORT][/PATH]` URL, for the examples that speak
/// HTTP themselves (native-tls, tokio-rustls).
///
/// # Errors
///
/// When the URL is not `https://`, or its port is not a number.
pub fn split_url(url: &str) -> Result<(&str, u16, &str), Box<dyn StdError>> {
    let rest = url
        .strip_prefix("https://")
        .ok_or_else(|| format!("not an https:// URL: {url}"))?;
    let (authority, path) = rest.find('/').map_or((rest, "/"), |i| rest.split_at(i));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse()?),
        None => (authority, 443),
    };
    Ok((host, port, path))
}

/// The status code of an HTTP/1 response's first line (`HTTP/1.0 200 ok`).
///
/// # Errors
///
/// When the response does not start with such a line.
pub fn status_of(response: &[u8]) -> Result<u16, Box<dyn StdError>> {
    let line = response.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    match line.split_whitespace().collect::<Vec<_>>()[..] {
        [version, code, ..] if version.starts_with("HTTP/1.") => Ok(code.parse()?),
        _ => Err(format!("not an HTTP/1 response: {line:?}").into()),
    }
}
