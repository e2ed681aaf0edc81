//! `palisade verify --host H [--roots system|FILE] CHAIN.pem`: does the chain lead to a trusted
//! root and name the host, and if not, why.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{Context, bail};
use serde_json::{Value, json};

use palisade::tls::{
    ChainCertificate, TrustSource, VerifiedChain, VerifyError, verify_server_chain,
};
use palisade::trust::Provenance;
use palisade::verify::ServerName;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::Outcome;
use crate::args::VerifyArgs;
use crate::match_host::{rejected_json, write_mismatch};
use crate::output::{self, Format};

/// Runs `palisade verify`.
pub(crate) fn run(args: &VerifyArgs) -> anyhow::Result<Outcome> {
    let host = ServerName::try_from(args.host.as_str())?;
    let bytes =
        fs::read(&args.chain).with_context(|| format!("reading {}", args.chain.display()))?;
    let chain = read_chain(&bytes).with_context(|| format!("reading {}", args.chain.display()))?;
    let trust = trust_source(&args.roots);
    let store = trust.load()?;
    let result = verify_server_chain(&chain, &store, &host, SystemTime::now());
    let mut out = io::stdout().lock();
    match (args.format, &result) {
        (Format::Json, _) => output::json(&mut out, &result_json(&host, &result, &trust))?,
        (Format::Text, Ok(verified)) => write_verified(&mut out, verified, &host, &trust)?,
        (Format::Text, Err(_)) => {}
    }
    out.flush()?;
    match result {
        Ok(_) => Ok(Outcome::Yes),
        Err(reason) => {
            write_reason(&mut io::stderr().lock(), &host, &reason)?;
            Ok(Outcome::No)
        }
    }
}

/// `system` or a PEM file.
pub(crate) fn trust_source(roots: &str) -> TrustSource {
    match roots {
        "system" => TrustSource::System,
        file => TrustSource::PemFile(PathBuf::from(file)),
    }
}

/// Every CERTIFICATE block of a PEM file, or one DER certificate.
fn read_chain(bytes: &[u8]) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    if bytes.first() == Some(&0x30) {
        return Ok(vec![CertificateDer::from(bytes.to_vec())]);
    }
    let chain = CertificateDer::pem_slice_iter(bytes).collect::<Result<Vec<_>, _>>()?;
    if chain.is_empty() {
        bail!("no CERTIFICATE block");
    }
    Ok(chain)
}

/// One certificate per block of lines.
pub(crate) fn write_chain(out: &mut impl Write, chain: &[ChainCertificate]) -> io::Result<()> {
    for (i, cert) in chain.iter().enumerate() {
        writeln!(out, "  {i} subject:   {}", cert.subject())?;
        writeln!(out, "    issuer:    {}", cert.issuer())?;
        writeln!(out, "    not after: {}", cert.not_after_utc())?;
    }
    Ok(())
}

/// The path, the anchor and where it came from, and the verdict.
pub(crate) fn write_verified(
    out: &mut impl Write,
    verified: &VerifiedChain<'_>,
    host: &ServerName,
    trust: &TrustSource,
) -> io::Result<()> {
    writeln!(out, "path:")?;
    write_chain(out, verified.path())?;
    writeln!(out, "anchor:       {}", verified.anchor().subject())?;
    for provenance in verified.provenance() {
        writeln!(out, "  from:       {}", source_text(provenance, trust))?;
    }
    writeln!(out, "verdict:      valid for {:?}", host.to_string())
}

/// Where an anchor came from, with the kind of source.
fn source_text(provenance: &Provenance, trust: &TrustSource) -> String {
    match provenance {
        // A --roots FILE is read the way SSL_CERT_FILE is, so its provenance says env-file;
        // say where it really came from.
        Provenance::File { .. } if matches!(trust, TrustSource::PemFile(_)) => {
            format!("{provenance} (--roots)")
        }
        Provenance::File { source, .. } => format!("{provenance} ({})", source.as_str()),
        other => other.to_string(),
    }
}

/// The chain as JSON: one object per certificate.
pub(crate) fn chain_json(chain: &[ChainCertificate]) -> Value {
    chain
        .iter()
        .map(|cert| {
            json!({
                "subject": cert.subject(),
                "issuer": cert.issuer(),
                "not_after": cert.not_after_utc(),
            })
        })
        .collect()
}

/// The verdict as JSON: the path and the anchor with its sources, or the reason (and, for a
/// name mismatch, every presented identifier and why it did not match).
pub(crate) fn result_json(
    host: &ServerName,
    result: &Result<VerifiedChain<'_>, VerifyError>,
    trust: &TrustSource,
) -> Value {
    match result {
        Ok(verified) => json!({
            "host": host.to_string(),
            "valid": true,
            "path": chain_json(verified.path()),
            "anchor": {
                "subject": verified.anchor().subject().to_string(),
                "from": verified
                    .provenance()
                    .iter()
                    .map(|p| source_text(p, trust))
                    .collect::<Vec<_>>(),
            },
        }),
        Err(reason) => {
            let mut value = json!({
                "host": host.to_string(),
                "valid": false,
                "reason": reason.to_string(),
            });
            if let VerifyError::NameMismatch(mismatch) = reason {
                value["rejected"] = Value::Array(rejected_json(mismatch));
            }
            value
        }
    }
}

/// The reasons, on stderr.
pub(crate) fn write_reason(
    out: &mut impl Write,
    host: &ServerName,
    reason: &VerifyError,
) -> io::Result<()> {
    match reason {
        VerifyError::NameMismatch(mismatch) => write_mismatch(out, mismatch),
        VerifyError::UntrustedRoot {
            issuer,
            anchors,
            sources,
        } => {
            writeln!(
                out,
                "palisade: certificate chain for {:?} is not trusted",
                host.to_string()
            )?;
            writeln!(
                out,
                "  it ends at {issuer:?}, which is not among the {anchors} trusted roots"
            )?;
            for source in sources {
                writeln!(out, "  roots from: {source}")?;
            }
            Ok(())
        }
        other => writeln!(
            out,
            "palisade: certificate chain for {:?} is not valid: {other}",
            host.to_string()
        ),
    }
}
