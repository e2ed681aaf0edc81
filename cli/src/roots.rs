//! `palisade roots`: the certificate authorities this system trusts, and the `trust` section of
//! `palisade doctor`.

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::SystemTime;

use anyhow::Context as _;
use palisade::trust::{self, DirectoryScan, EnvMode, EnvVars, TrustAnchor, TrustStore};
use serde_json::{Value, json};

use crate::Outcome;
use crate::args::{DirScan, RootsArgs, RootsFormat};
use crate::output::{self, count};
use crate::report::{Section, Status};

/// Runs `palisade roots`.
pub(crate) fn run(args: &RootsArgs) -> anyhow::Result<Outcome> {
    if let Some(root) = &args.sysroot {
        // A mistyped image path would otherwise look like an image without roots.
        let meta = fs::metadata(root).with_context(|| format!("--sysroot {}", root.display()))?;
        anyhow::ensure!(
            meta.is_dir(),
            "--sysroot {}: not a directory",
            root.display()
        );
    }
    let store = build(args);
    report_errors(&store);
    if let Some(path) = &args.explain {
        return explain(&store, path);
    }
    let roots: Vec<&TrustAnchor> = if args.all {
        store.anchors().iter().collect()
    } else if args.enterprise {
        store.enterprise_additions().collect()
    } else {
        store.tls_anchors().collect()
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let exported = args.export_dir.is_some() || args.export_pem.is_some();
    if let Some(dir) = &args.export_dir {
        let n = export_dir(&roots, dir)?;
        writeln!(
            out,
            "wrote {n} roots to {} (X509_NAME_hash names)",
            dir.display()
        )?;
    }
    if let Some(file) = &args.export_pem {
        let bundle: String = roots.iter().map(|a| trust::der_to_pem(a.der())).collect();
        fs::write(file, bundle).with_context(|| format!("cannot write {}", file.display()))?;
        writeln!(out, "wrote {} roots to {}", roots.len(), file.display())?;
    }
    if !exported {
        match args.format {
            RootsFormat::Table => table(&mut out, &store, &roots)?,
            RootsFormat::Pem => {
                for anchor in &roots {
                    writeln!(out, "# {}", anchor.subject())?;
                    out.write_all(trust::der_to_pem(anchor.der()).as_bytes())?;
                }
                // A comment line, like the subjects: text between blocks is ignored by PEM
                // readers, so the output stays a bundle.
                writeln!(out, "# {}", summary(&store, roots.len()))?;
            }
            RootsFormat::Json => output::json(&mut out, &to_json(&store, &roots))?,
        }
    }
    out.flush()?;
    Ok(if roots.is_empty() {
        Outcome::No
    } else {
        Outcome::Yes
    })
}

/// The files read, for the doctor: each bundle by itself, and the files of a directory as
/// one line (Debian's hashed directory is some 150 files).
fn source_summary(store: &TrustStore) -> Vec<String> {
    let mut lines: Vec<(String, usize, usize)> = Vec::new();
    for source in store.sources() {
        let in_directory = matches!(
            source.kind,
            trust::SourceKind::Directory | trust::SourceKind::EnvDirectory
        );
        let name = match source.path.parent() {
            Some(dir) if in_directory => format!("{}/", dir.display()),
            _ => source.path.display().to_string(),
        };
        match lines.iter_mut().find(|(n, ..)| *n == name) {
            Some((_, files, certificates)) => {
                *files += 1;
                *certificates += source.certificates;
            }
            None => lines.push((name, 1, source.certificates)),
        }
    }
    lines
        .into_iter()
        .map(|(name, files, certificates)| match files {
            1 => format!("{name} ({certificates})"),
            _ => format!("{name} ({certificates} from {files} files)"),
        })
        .collect()
}

/// The `trust` section of `palisade doctor`: counts, sources, environment, distrust, errors
/// and expired roots.
pub(crate) fn doctor_section(title: String) -> Section {
    let mut section = Section::new("trust", title);
    let store = TrustStore::system();
    let tls = store.tls_anchors().count();
    // Only in a hashed directory: the roots a bundle-only reader (and Palisade before 0.2)
    // misses, such as a company root `c_rehash`ed or `certctl trust`ed into the directory.
    let directory_only = store
        .tls_anchors()
        .filter(|a| {
            a.provenance().iter().all(|p| {
                matches!(
                    p,
                    trust::Provenance::File {
                        source: trust::SourceKind::Directory | trust::SourceKind::EnvDirectory,
                        ..
                    }
                )
            })
        })
        .count();
    section
        .fact("roots", tls)
        .fact("anchors", store.anchors().len())
        .fact("sources", Value::from(source_summary(&store)))
        .fact("directory_only_roots", directory_only)
        .fact("skipped_paths", store.skipped().len())
        .fact("env", Value::from(store.env_in_effect().to_vec()))
        .fact("distrusted", store.distrusted().len());
    if store.env_replaced_system() {
        section.fact("env_replaces_system", true);
    }
    if tls > 0 {
        section.check(
            "roots found",
            Status::Pass,
            format!(
                "{tls} TLS roots from {} source{}",
                store.sources().len(),
                if store.sources().len() == 1 { "" } else { "s" }
            ),
        );
    } else {
        section.check(
            "roots found",
            Status::Fail,
            "no TLS root: TLS clients here cannot verify any server",
        );
    }
    match store.errors() {
        [] => section.check("sources readable", Status::Pass, "no errors"),
        [first, rest @ ..] => section.check(
            "sources readable",
            Status::Warn,
            format!(
                "{}; first: {first}",
                count(
                    u64::try_from(rest.len()).map_or(u64::MAX, |n| n + 1),
                    "error",
                    "errors"
                )
            ),
        ),
    };
    let expired: Vec<String> = store
        .expired_at(SystemTime::now())
        .filter(|a| a.is_tls_server_anchor())
        .map(|a| a.subject().to_owned())
        .collect();
    // An expired root verifies nothing current, so it is a fact to know (it still takes a
    // slot in the store), not a failed check; distributions ship them until Mozilla drops them.
    section.fact(
        "expired_roots",
        if expired.is_empty() {
            Value::from("none")
        } else {
            Value::from(expired)
        },
    );
    section
}

fn build(args: &RootsArgs) -> TrustStore {
    let mut builder = TrustStore::builder();
    if let Some(root) = &args.sysroot {
        builder = builder.sysroot(root);
        if args.env {
            builder = builder.env_vars(EnvVars::from_process());
        }
    }
    if args.env_add {
        builder = builder.env_mode(EnvMode::Add);
    }
    builder = builder.directory_scan(match args.dir_scan {
        DirScan::Always => DirectoryScan::Always,
        DirScan::Auto => DirectoryScan::Auto,
    });
    builder.build()
}

/// Every error on stderr, with its location; the good roots are still listed.
fn report_errors(store: &TrustStore) {
    let mut err = io::stderr().lock();
    for e in store.errors() {
        let _ = writeln!(err, "palisade: {e}");
    }
}

fn explain(store: &TrustStore, path: &Path) -> anyhow::Result<Outcome> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let explanation = store
        .explain(&bytes, SystemTime::now())
        .with_context(|| format!("{}", path.display()))?;
    let mut out = io::stdout().lock();
    writeln!(out, "{explanation}")?;
    Ok(if explanation.is_trusted() {
        Outcome::Yes
    } else {
        Outcome::No
    })
}

/// Writes an OpenSSL hashed directory: `HHHHHHHH.N`, N counting up on hash collisions.
fn export_dir(roots: &[&TrustAnchor], dir: &Path) -> anyhow::Result<usize> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut used = std::collections::HashSet::new();
    for anchor in roots {
        let hash = trust::openssl_name_hash(anchor.subject_der())
            .with_context(|| format!("malformed subject name in {}", anchor.subject()))?;
        let n = (0..).find(|n| used.insert((hash, *n))).unwrap_or(0);
        let path = dir.join(format!("{hash:08x}.{n}"));
        fs::write(&path, trust::der_to_pem(anchor.der()))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(roots.len())
}

fn table(out: &mut impl Write, store: &TrustStore, roots: &[&TrustAnchor]) -> io::Result<()> {
    writeln!(
        out,
        "{:<60}  {:<10}  {:<16}  source",
        "subject", "not after", "sha256"
    )?;
    for anchor in roots {
        let subject = common_name(anchor.subject());
        let source = anchor
            .provenance()
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        let flag = if anchor.is_tls_server_anchor() {
            ""
        } else {
            "  (not a TLS root)"
        };
        writeln!(
            out,
            "{:<60}  {:<10}  {:<16}  {source}{flag}",
            truncate(&subject, 60),
            anchor.not_after().date().to_string(),
            &anchor.fingerprint_hex()[..16],
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", summary(store, roots.len()))
}

fn summary(store: &TrustStore, shown: usize) -> String {
    let n = |len: usize| u64::try_from(len).unwrap_or(u64::MAX);
    let mut line = format!(
        "{} from {}, {}, {} distrusted",
        count(n(shown), "root", "roots"),
        count(n(store.sources().len()), "source", "sources"),
        count(n(store.errors().len()), "error", "errors"),
        store.distrusted().len()
    );
    if store.root() != Path::new("/") {
        line.push_str(&format!(", under {}", store.root().display()));
    }
    match (store.env_in_effect(), store.env_replaced_system()) {
        ([], _) => line.push_str(", no environment override"),
        (vars, true) => line.push_str(&format!(
            ", environment replaces the system store: {}",
            vars.join(" ")
        )),
        (vars, false) => line.push_str(&format!(", environment: {}", vars.join(" "))),
    }
    line
}

fn to_json(store: &TrustStore, roots: &[&TrustAnchor]) -> Value {
    let roots: Vec<Value> = roots
        .iter()
        .map(|a| {
            json!({
                "subject": a.subject(),
                "not_before": a.not_before().date().to_string(),
                "not_after": a.not_after().date().to_string(),
                "sha256": a.fingerprint_hex(),
                "ca": matches!(a.ca(), trust::CaStatus::Ca),
                "purposes": a.purposes().to_string(),
                "tls": a.is_tls_server_anchor(),
                "provenance": a.provenance().iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
        })
        .collect();
    let distrusted: Vec<Value> = store
        .distrusted()
        .iter()
        .map(|d| {
            json!({
                "subject": d.subject,
                "reason": d.reason.to_string(),
                "source": d.provenance.to_string(),
                "removed": d.removed,
            })
        })
        .collect();
    let errors: Vec<Value> = store
        .errors()
        .iter()
        .map(|e| {
            json!({
                "path": e.path().map(|p| p.display().to_string()),
                "block": e.position().map(|p| p.block),
                "line": e.position().map(|p| p.line),
                "message": e.kind().to_string(),
            })
        })
        .collect();
    let sources: Vec<Value> = store
        .sources()
        .iter()
        .map(|s| {
            json!({
                "path": s.path.display().to_string(),
                "kind": s.kind.as_str(),
                "certificates": s.certificates,
                "errors": s.errors,
            })
        })
        .collect();
    json!({
        "summary": summary(store, roots.len()),
        "root": store.root().display().to_string(),
        "env": store.env_in_effect(),
        "env_replaces_system": store.env_replaced_system(),
        "roots": roots,
        "distrusted": distrusted,
        "sources": sources,
        "errors": errors,
    })
}

/// The last `CN` of a subject (palisade-trust's RFC 4514-escaped text) unescaped, when it has
/// one; else the whole subject.
fn common_name(subject: &str) -> String {
    // Split at the `, ` and `+` between attributes, not at an escaped `\,` or `\+`.
    let mut attributes = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in subject.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ',' | '+' => {
                attributes.push(&subject[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    attributes.push(&subject[start..]);
    let Some(cn) = attributes
        .iter()
        .rev()
        .find_map(|a| a.trim_start().strip_prefix("CN="))
    else {
        return subject.to_owned();
    };
    // `\,` is `,`; `\0a` (a control character) stays as it is written.
    let mut out = String::with_capacity(cn.len());
    let mut chars = cn.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&next)) if !next.is_ascii_hexdigit() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_names() {
        for (subject, cn) in [
            ("C=US, O=X, CN=Root CA", "Root CA"),
            ("C=US, O=X", "C=US, O=X"),
            ("CN=a, OU=b", "a"),
            (r#"C=US, O=DigiCert\, Inc., CN=Root \"G2\""#, r#"Root "G2""#),
            (r"CN=a\, b+OU=c", "a, b"),
            (r"OU=x+CN=y\+z\\", r"y+z\"),
            (r"CN=\ lead\0a", r" lead\0a"),
        ] {
            assert_eq!(common_name(subject), cn, "{subject}");
        }
    }
}
