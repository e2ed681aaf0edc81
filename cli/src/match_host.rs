//! `palisade match-host CERT HOST`: is the certificate valid for the host (RFC 9525), and if
//! not, why.

use std::fs;
use std::io::{self, Write};

use anyhow::Context;
use serde_json::{Value, json};

use palisade::verify::{
    Certificate, CnFallback, Identity, NameMismatch, Policy, ServerName, verify_hostname,
};

use crate::Outcome;
use crate::args::MatchHostArgs;
use crate::output::{self, Format};

/// Runs `palisade match-host`.
pub(crate) fn run(args: &MatchHostArgs) -> anyhow::Result<Outcome> {
    // The host is checked first: an invalid host is an error whatever the certificate holds.
    let host = ServerName::try_from(args.host.as_str())?;
    let bytes = fs::read(&args.cert).with_context(|| format!("reading {}", args.cert.display()))?;
    let cert = Certificate::from_pem_or_der(&bytes)
        .with_context(|| format!("reading {}", args.cert.display()))?;
    let mut policy = Policy::default();
    if args.cn_fallback {
        policy.cn_fallback = CnFallback::Allow;
    }
    let result = verify_hostname(&cert, &host, &policy);
    let mut out = io::stdout().lock();
    match args.format {
        Format::Json => output::json(&mut out, &to_json(&args.host, &host, &result))?,
        Format::Text => {
            if result.is_ok() {
                writeln!(out, "certificate is valid for {:?}", host.to_string())?;
            }
        }
    }
    out.flush()?;
    match result {
        Ok(()) => Ok(Outcome::Yes),
        Err(mismatch) => {
            write_mismatch(&mut io::stderr().lock(), &mismatch)?;
            Ok(Outcome::No)
        }
    }
}

/// The explanation, one presented identifier per line.
pub(crate) fn write_mismatch(out: &mut impl Write, mismatch: &NameMismatch) -> io::Result<()> {
    writeln!(
        out,
        "palisade: certificate is not valid for {:?}",
        mismatch.expected
    )?;
    if mismatch.presented.is_empty() {
        writeln!(out, "  the certificate presents no identifiers")?;
    }
    for rejected in &mismatch.presented {
        writeln!(out, "  {}: {}", rejected.identity, rejected.reason)?;
    }
    Ok(())
}

fn to_json(input: &str, host: &ServerName, result: &Result<(), NameMismatch>) -> Value {
    json!({
        "host": input,
        "normalized": host.to_string(),
        "valid": result.is_ok(),
        "rejected": result.as_ref().err().map_or_else(Vec::new, rejected_json),
    })
}

/// Every presented identifier of a mismatch, with its type and why it did not match.
pub(crate) fn rejected_json(mismatch: &NameMismatch) -> Vec<Value> {
    mismatch
        .presented
        .iter()
        .map(|r| {
            json!({
                "type": identity_type(&r.identity),
                "identity": r.identity.to_string(),
                "reason": r.reason.to_string(),
            })
        })
        .collect()
}

fn identity_type(identity: &Identity) -> &'static str {
    match identity {
        Identity::DnsName(_) => "dNSName",
        Identity::IpAddress(_) => "iPAddress",
        Identity::CommonName(_) => "commonName",
        Identity::Other { .. } => "other",
        // `Identity` is non-exhaustive; a new kind is still reported, just not by name.
        _ => "unknown",
    }
}
