//! `palisade roots` against fixture trees (--sysroot) and this machine, and its exports checked
//! with the `openssl` command where it is installed.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn palisade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .env_remove("NIX_SSL_CERT_FILE")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../trust/tests/data")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    fs::read(data(name)).unwrap()
}

/// A temporary directory, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("palisade-cli-{name}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, rel: &str, contents: &[u8]) -> &Self {
        let path = self.0.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    fn arg(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// An image with root A and root B in Alpine's bundle.
fn image() -> Temp {
    let image = Temp::new("image");
    let mut bundle = read("root_a.pem");
    bundle.extend(read("root_b.pem"));
    image.write("etc/ssl/cert.pem", &bundle);
    image
}

#[test]
fn table_lists_roots_then_a_summary() {
    let image = image();
    let out = palisade(&["roots", "--sysroot", image.arg()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert!(lines[0].starts_with("subject"), "{stdout}");
    assert!(lines[1].starts_with("Palisade Test Root A "), "{stdout}");
    assert!(lines[1].contains("  2045-01-01  "), "{stdout}");
    assert!(lines[1].ends_with("/etc/ssl/cert.pem#1"), "{stdout}");
    assert!(lines[2].ends_with("/etc/ssl/cert.pem#2"), "{stdout}");
    assert!(
        lines[4].starts_with("2 roots from 1 source, 0 errors, 0 distrusted, under "),
        "{stdout}"
    );
    assert!(lines[4].ends_with(", no environment override"), "{stdout}");
}

#[test]
fn no_roots_exits_one() {
    let empty = Temp::new("empty");
    let out = palisade(&["roots", "--sysroot", empty.arg()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("0 roots from 0 sources"));
    // On Unix no file says who added a root: the enterprise view is empty, a well-formed "no".
    let image = image();
    let out = palisade(&["roots", "--sysroot", image.arg(), "--enterprise"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("subject"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stdout).contains("\n0 roots from 1 source"),
        "{}",
        text(&out.stdout)
    );
    // A sysroot that does not exist is an error, not an image without roots.
    let missing = empty.0.join("missing");
    let out = palisade(&["roots", "--sysroot", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("palisade: --sysroot "),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bad_blocks_are_reported_on_stderr_and_good_roots_kept() {
    let image = Temp::new("bad");
    let mut bundle = read("root_a.pem");
    bundle.extend(b"-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");
    image.write("etc/ssl/cert.pem", &bundle);
    let out = palisade(&["roots", "--sysroot", image.arg()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        "palisade: /etc/ssl/cert.pem:12 (block 2): PEM block \"CERTIFICATE\" is not valid base64\n"
    );
    assert!(text(&out.stdout).contains("1 root from 1 source, 1 error"));
}

#[test]
fn json_and_pem_formats() {
    let image = image();
    let out = palisade(&["roots", "--sysroot", image.arg(), "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["roots"].as_array().unwrap().len(), 2);
    assert_eq!(value["roots"][0]["provenance"][0], "/etc/ssl/cert.pem#1");
    assert_eq!(value["roots"][0]["purposes"], "any");
    assert_eq!(value["sources"][0]["certificates"], 2);
    assert_eq!(value["env"].as_array().unwrap().len(), 0);
    let summary = value["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("2 roots from 1 source, 0 errors"),
        "{summary}"
    );

    let out = palisade(&["roots", "--sysroot", image.arg(), "--format", "pem"]);
    let pem = text(&out.stdout);
    assert_eq!(pem.matches("-----BEGIN CERTIFICATE-----").count(), 2);
    assert!(
        pem.starts_with("# C=XX, O=Palisade Test, CN=Palisade Test Root A\n"),
        "{pem}"
    );
    // The summary closes the bundle as a comment line, which PEM readers skip.
    assert_eq!(
        pem.lines().last(),
        Some(format!("# {summary}").as_str()),
        "{pem}"
    );
    image.write("srv/exported.pem", pem.as_bytes());
    let bundle = image.0.join("srv/exported.pem");
    let out = palisade(&[
        "roots",
        "--sysroot",
        image.arg(),
        "--explain",
        bundle.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn env_applies_under_sysroot_only_when_asked() {
    let image = image();
    image.write("srv/only.pem", &read("root_c.pem"));
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
            .args(["roots", "--sysroot", image.arg(), "--format", "json"])
            .args(extra)
            .env("SSL_CERT_FILE", "/srv/only.pem")
            .env_remove("SSL_CERT_DIR")
            .output()
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        value["roots"].as_array().unwrap().len()
    };
    assert_eq!(run(&[]), 2);
    assert_eq!(run(&["--env"]), 1);
    assert_eq!(run(&["--env", "--env-add"]), 3);
}

#[test]
fn export_dir_is_accepted_by_openssl_verify() {
    let image = image();
    let out_dir = Temp::new("hashed");
    let target = out_dir.0.join("ca");
    let out = palisade(&[
        "roots",
        "--sysroot",
        image.arg(),
        "--export-dir",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut names: Vec<String> = fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2);
    assert!(
        names.iter().all(|n| n.len() == 10 && n.ends_with(".0")),
        "{names:?}"
    );
    let verify = Command::new("openssl")
        .args(["verify", "-CApath"])
        .arg(&target)
        .arg(data("leaf_a.pem"))
        .output();
    match verify {
        Ok(v) => {
            assert!(v.status.success(), "{}{}", text(&v.stdout), text(&v.stderr));
            assert!(text(&v.stdout).ends_with(": OK\n"));
            // And the leaf is not accepted by a directory without its root.
            fs::remove_dir_all(&target).unwrap();
            fs::create_dir_all(&target).unwrap();
            let v = Command::new("openssl")
                .args(["verify", "-CApath"])
                .arg(&target)
                .arg(data("leaf_a.pem"))
                .output()
                .unwrap();
            assert!(!v.status.success());
        }
        Err(_) => println!("SKIPPED: the openssl command is not installed"),
    }
}

#[test]
fn export_pem_writes_a_bundle() {
    let image = image();
    let out_dir = Temp::new("pem");
    let file = out_dir.0.join("bundle.pem");
    let out = palisade(&[
        "roots",
        "--sysroot",
        image.arg(),
        "--export-pem",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        format!("wrote 2 roots to {}\n", file.display())
    );
    let bundle = fs::read_to_string(&file).unwrap();
    let mut expected = text(&read("root_a.pem"));
    expected.push_str(&text(&read("root_b.pem")));
    assert_eq!(bundle, expected);
}

#[test]
fn explain_says_why() {
    let image = image();
    let explain = |name: &str| {
        let out = palisade(&[
            "roots",
            "--sysroot",
            image.arg(),
            "--explain",
            data(name).to_str().unwrap(),
        ]);
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    let (code, stdout, _) = explain("root_a.pem");
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("trusted anchor, from /etc/ssl/cert.pem#1"),
        "{stdout}"
    );
    let (code, stdout, _) = explain("leaf_a.pem");
    assert_eq!(code, Some(0));
    assert!(stdout.contains("issued by the trusted anchor"), "{stdout}");
    let (code, stdout, _) = explain("root_c.pem");
    assert_eq!(code, Some(1));
    assert!(stdout.ends_with("not a trust anchor here\n"), "{stdout}");
    let (code, _, stderr) = explain("../../src/lib.rs");
    assert_eq!(code, Some(2));
    assert!(stderr.starts_with("palisade: "), "{stderr}");
}

#[test]
fn this_machine_has_roots() {
    let out = palisade(&["roots"]);
    let stdout = text(&out.stdout);
    if !Path::new("/etc/ssl/certs/ca-certificates.crt").exists() {
        println!("SKIPPED: no Debian bundle on this machine");
        return;
    }
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = stdout.lines().last().unwrap();
    assert!(summary.ends_with(", no environment override"), "{stdout}");
    assert!(!summary.starts_with("0 roots"), "{stdout}");
}

#[test]
fn doctor_trust_section_counts_roots() {
    let out = palisade(&["doctor", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let trust = &report["sections"]["trust"];
    let roots = trust["facts"]["roots"].as_u64().unwrap();
    let checks: Vec<&str> = trust["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(checks, ["roots found", "sources readable"]);
    assert!(
        trust["facts"]["expired_roots"].is_array() || trust["facts"]["expired_roots"] == "none"
    );
    if Path::new("/etc/ssl/certs/ca-certificates.crt").exists() {
        assert!(roots > 0);
        assert_eq!(trust["checks"][0]["status"], "pass");
    } else {
        println!("SKIPPED: no Debian bundle on this machine; {roots} roots");
    }
}

#[test]
fn explain_names_the_hashed_directory_entry() {
    // A company root only in the hashed directory beside the bundle, under its subject hash
    // (`openssl x509 -hash -noout -in trust/tests/data/root_company.pem`).
    let image = image();
    image.write("etc/ssl/certs/2ddc3d67.0", &read("root_company.pem"));
    let out = palisade(&[
        "roots",
        "--sysroot",
        image.arg(),
        "--explain",
        data("root_company.pem").to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("trusted anchor, from /etc/ssl/certs/2ddc3d67.0#1"),
        "{stdout}"
    );
    let listed = text(&palisade(&["roots", "--sysroot", image.arg()]).stdout);
    assert!(listed.contains("Company Root"), "{listed}");
    let auto = palisade(&["roots", "--sysroot", image.arg(), "--dir-scan", "auto"]);
    assert!(!text(&auto.stdout).contains("Company Root"));
}

// Subjects are printed in the order the certificate encodes its RDNs, as `openssl x509
// -subject` prints them, in JSON and in the table alike: most roots encode `C=` first, some
// `CN=` first. The table shows the CN when there is one, else the same whole subject.
#[test]
fn subjects_in_certificate_order_as_openssl_prints_them() {
    let bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
    let Ok(pem) = fs::read(bundle) else {
        println!(
            "SKIPPED: subjects_in_certificate_order: no {}",
            bundle.display()
        );
        return;
    };
    let pkcs7 = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "openssl crl2pkcs7 -nocrl -certfile {} | openssl pkcs7 -print_certs -noout",
            bundle.display()
        ))
        .output();
    let Some(listing) = pkcs7.ok().filter(|o| o.status.success()) else {
        println!("SKIPPED: subjects_in_certificate_order: no openssl command");
        return;
    };
    // OpenSSL's default name format: `C = ES, O = FNMT-RCM`, in encoding order.
    let openssl: Vec<String> = text(&listing.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("subject="))
        .map(|s| s.replace(" = ", "="))
        .collect();
    let image = Temp::new("order");
    image.write("etc/ssl/cert.pem", &pem);
    let json = palisade(&["roots", "--sysroot", image.arg(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let table = palisade(&["roots", "--sysroot", image.arg()]);
    let table = text(&table.stdout);
    let rows: Vec<&str> = table.lines().skip(1).collect();
    let (mut compared, mut c_first, mut cn_first) = (0, 0, 0);
    for (i, root) in json["roots"].as_array().unwrap().iter().enumerate() {
        let subject = root["subject"].as_str().unwrap();
        let first = root["provenance"][0].as_str().unwrap();
        let block: usize = first.rsplit_once('#').unwrap().1.parse().unwrap();
        let theirs = &openssl[block - 1];
        // Same attribute names, same values in the same order; special characters are written
        // differently (`O=DigiCert\, Inc.` here, RFC 4514; `O="DigiCert, Inc."` there), so
        // they are compared unescaped. Names OpenSSL escapes with `\` are left out.
        if !theirs.contains(['\\', '+']) {
            assert_eq!(
                attributes(subject),
                attributes(theirs),
                "block {block}: {subject} / {theirs}"
            );
            compared += 1;
        }
        c_first += usize::from(subject.starts_with("C="));
        cn_first += usize::from(subject.starts_with("CN="));
        let shown = rows[i].split("  ").next().unwrap();
        let cn = attributes(subject)
            .into_iter()
            .rev()
            .find_map(|(key, value)| (key == "CN").then_some(value));
        match cn {
            Some(cn) if cn.chars().count() <= 60 => assert_eq!(shown.trim_end(), cn),
            None if subject.chars().count() <= 60 => assert_eq!(shown.trim_end(), subject),
            _ => {}
        }
    }
    assert!(compared > 50, "only {compared} subjects compared");
    println!(
        "{compared} subjects as openssl prints them: {c_first} C= first, {cn_first} CN= first"
    );
}

/// The attributes of a one-line name, in order, as (type, value): RFC 4514 escapes (`\,`) and
/// OpenSSL's quotes (`"a, b"`) undone.
fn attributes(name: &str) -> Vec<(String, String)> {
    let (mut out, mut key, mut value) = (Vec::new(), String::new(), String::new());
    let (mut in_value, mut quoted, mut chars) = (false, false, name.chars());
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_value => value.extend(chars.next()),
            '"' if in_value => quoted = !quoted,
            '=' if !in_value => in_value = true,
            ',' if in_value && !quoted => {
                out.push((std::mem::take(&mut key), std::mem::take(&mut value)));
                in_value = false;
                // The blank after the comma.
                chars.next();
            }
            _ if in_value => value.push(c),
            _ => key.push(c),
        }
    }
    out.push((key, value));
    out
}
