//! `palisade verify [--host H] [--at RFC3339] [--crl FILE]... [--purpose server|client|OID]
//! [--max-depth N] [--roots system|FILE] CHAIN.pem`: does the chain lead to a trusted root (and
//! name the host, for the purpose, at the time, unrevoked, short enough), and if not, why.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{Context, bail};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use palisade::tls::{ChainCertificate, ChainVerifier, TrustSource, VerifiedChain, VerifyError};
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
    let host = args.host.as_deref().map(ServerName::try_from).transpose()?;
    let bytes =
        fs::read(&args.chain).with_context(|| format!("reading {}", args.chain.display()))?;
    let chain = read_chain(&bytes).with_context(|| format!("reading {}", args.chain.display()))?;
    let trust = trust_source(&args.roots);
    let store = trust.load()?;
    let at = args.at.unwrap_or_else(SystemTime::now);
    let mut verifier = ChainVerifier::new(&store)
        .at(at)
        .name(host.as_ref())
        .purpose(args.purpose.clone());
    for file in &args.crl {
        let crl = fs::read(file).with_context(|| format!("reading CRL {}", file.display()))?;
        verifier = verifier
            .crls([crl])
            .with_context(|| format!("reading CRL {}", file.display()))?;
    }
    if let Some(depth) = args.max_depth {
        verifier = verifier.max_depth(depth);
    }
    let result = verifier.verify(&chain);
    let applied = Applied { args, at };
    let mut out = io::stdout().lock();
    match (args.format, &result) {
        (Format::Json, _) => {
            let mut report = report_json(host.as_ref(), &result, &trust);
            report["checks"] = applied.json();
            output::json(&mut out, &report)?;
        }
        (Format::Text, Ok(verified)) => {
            write_path(&mut out, verified, &trust)?;
            applied.write(&mut out)?;
            write_verdict(&mut out, host.as_ref())?;
        }
        (Format::Text, Err(_)) => {}
    }
    out.flush()?;
    match result {
        Ok(_) => Ok(Outcome::Yes),
        Err(reason) => {
            write_reason_for(&mut io::stderr().lock(), host.as_ref(), &reason)?;
            Ok(Outcome::No)
        }
    }
}

/// The checks `palisade verify` applied besides the path: time, purpose, CRLs, depth.
struct Applied<'a> {
    args: &'a VerifyArgs,
    at: SystemTime,
}

impl Applied<'_> {
    fn at_text(&self) -> String {
        let at = OffsetDateTime::from(self.at);
        let text = at.format(&Rfc3339).unwrap_or_else(|_| at.to_string());
        let source = if self.args.at.is_some() {
            "--at"
        } else {
            "now"
        };
        format!("{text} ({source})")
    }

    fn crls(&self) -> Vec<String> {
        self.args
            .crl
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    }

    fn write(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "checked at:   {}", self.at_text())?;
        writeln!(out, "purpose:      {}", self.args.purpose)?;
        let crls = self.crls();
        if crls.is_empty() {
            writeln!(out, "crls:         none")?;
        } else {
            writeln!(out, "crls:         {}", crls.join(", "))?;
        }
        match self.args.max_depth {
            Some(depth) => writeln!(out, "max depth:    {depth} intermediates"),
            None => writeln!(out, "max depth:    none"),
        }
    }

    fn json(&self) -> Value {
        json!({
            "at": self.at_text(),
            "purpose": self.args.purpose.to_string(),
            "crls": self.crls(),
            "max_depth": self.args.max_depth,
            "name": self.args.host.is_some(),
        })
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
    write_path(out, verified, trust)?;
    write_verdict(out, Some(host))
}

/// The path, the anchor and where it came from.
fn write_path(
    out: &mut impl Write,
    verified: &VerifiedChain<'_>,
    trust: &TrustSource,
) -> io::Result<()> {
    writeln!(out, "path:")?;
    write_chain(out, verified.path())?;
    writeln!(out, "anchor:       {}", verified.anchor().subject())?;
    for provenance in verified.provenance() {
        writeln!(out, "  from:       {}", source_text(provenance, trust))?;
    }
    Ok(())
}

/// `valid for "host"`, or `valid` when no name was checked.
fn write_verdict(out: &mut impl Write, host: Option<&ServerName>) -> io::Result<()> {
    match host {
        Some(host) => writeln!(out, "verdict:      valid for {:?}", host.to_string()),
        None => writeln!(out, "verdict:      valid (no name checked)"),
    }
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
    report_json(Some(host), result, trust)
}

/// [`result_json`], with `"host": null` when no name was checked.
fn report_json(
    host: Option<&ServerName>,
    result: &Result<VerifiedChain<'_>, VerifyError>,
    trust: &TrustSource,
) -> Value {
    let host = host.map(ToString::to_string);
    match result {
        Ok(verified) => json!({
            "host": host,
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
                "host": host,
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
    write_reason_for(out, Some(host), reason)
}

/// [`write_reason`], for a chain checked with or without a name.
fn write_reason_for(
    out: &mut impl Write,
    host: Option<&ServerName>,
    reason: &VerifyError,
) -> io::Result<()> {
    let chain = match host {
        Some(host) => format!("certificate chain for {:?}", host.to_string()),
        None => "certificate chain".to_owned(),
    };
    match reason {
        VerifyError::NameMismatch(mismatch) => write_mismatch(out, mismatch),
        VerifyError::UntrustedRoot {
            issuer,
            anchors,
            sources,
            refused,
        } => {
            writeln!(out, "palisade: {chain} is not trusted")?;
            writeln!(
                out,
                "  it ends at {issuer:?}, which is not among the {anchors} trusted roots"
            )?;
            for source in sources {
                writeln!(out, "  roots from: {source}")?;
            }
            for what in refused {
                writeln!(out, "  not used as a root: {what}")?;
            }
            Ok(())
        }
        other => writeln!(out, "palisade: {chain} is not valid: {other}"),
    }
}
