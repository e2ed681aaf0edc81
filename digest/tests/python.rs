//! Differential tests against CPython's `hashlib` and `hmac`: the committed vectors made by
//! `scripts/gen_digest_vectors.py`, and a live run of that script with a fresh seed when
//! `python3` is installed.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use common::{Record, hex, records};
use palisade_digest::{Algorithm, Blake2Params, Hash, hmac_digest, pbkdf2_hmac, scrypt};

#[test]
fn committed_python_vectors() {
    let text = include_str!("data/python_hashlib.txt");
    let count = check_all("python_hashlib.txt", text);
    assert!(count > 400, "only {count} vectors");
}

#[test]
fn live_python_vectors() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/gen_digest_vectors.py");
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let output = match Command::new("python3")
        .arg(&script)
        .args(["--quick", "--seed", &seed.to_string()])
        .output()
    {
        Ok(output) => output,
        Err(err) => {
            println!("SKIPPED: live CPython differential test: cannot run python3: {err}");
            return;
        }
    };
    assert!(
        output.status.success(),
        "{} --seed {seed} failed:\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let count = check_all(&format!("live run, --seed {seed}"), &text);
    println!("live CPython differential test: {count} vectors agree (seed {seed})");
}

/// Checks every record and returns how many there were.
fn check_all(source: &str, text: &str) -> usize {
    let records = records(text);
    for (i, record) in records.iter().enumerate() {
        if let Err(reason) = check(record) {
            panic!("Failed {source} test #{i}\nreason:\t{reason}\ntest vector:\t{record:?}");
        }
    }
    records.len()
}

fn check(r: &Record) -> Result<(), String> {
    let alg =
        || -> Result<Algorithm, String> { r.text("algorithm").parse().map_err(|e| format!("{e}")) };
    let (got, want) = match r.text("kind") {
        "hash" => {
            let alg = alg()?;
            let msg = match r.get("msg_shake128") {
                Some(_) => {
                    let mut seed = Hash::new(Algorithm::Shake128);
                    seed.update(r.bytes("msg_shake128"));
                    seed.digest_xof(r.number("msg_len"))
                        .map_err(|e| e.to_string())?
                }
                None => r.bytes("msg"),
            };
            let mut h = Hash::new(alg);
            h.update(&msg);
            let got = match r.get("length") {
                Some(_) => h
                    .digest_xof(r.number("length"))
                    .map_err(|e| e.to_string())?,
                None => h.digest().to_vec(),
            };
            (got, r.bytes("md"))
        }
        "blake2" => {
            let (key, salt, person) = (r.bytes("key"), r.bytes("salt"), r.bytes("person"));
            let params = Blake2Params::new()
                .digest_size(r.number("digest_size"))
                .key(&key)
                .salt(&salt)
                .person(&person);
            let mut h = Hash::blake2(alg()?, &params).map_err(|e| e.to_string())?;
            h.update(r.bytes("msg"));
            (h.digest().to_vec(), r.bytes("md"))
        }
        "hmac" => {
            let mac = hmac_digest(r.bytes("key"), r.bytes("msg"), alg()?);
            (mac.map_err(|e| e.to_string())?.to_vec(), r.bytes("mac"))
        }
        "pbkdf2" => {
            let dk = pbkdf2_hmac(
                alg()?,
                r.bytes("password"),
                r.bytes("salt"),
                r.number("iterations"),
                r.number("dklen"),
            );
            (dk.map_err(|e| e.to_string())?, r.bytes("dk"))
        }
        "scrypt" => {
            let dk = scrypt(
                r.bytes("password"),
                r.bytes("salt"),
                r.number("n"),
                r.number("r"),
                r.number("p"),
                0,
                r.number("dklen"),
            );
            (dk.map_err(|e| e.to_string())?, r.bytes("dk"))
        }
        other => return Err(format!("unknown kind {other:?}")),
    };
    if got == want {
        Ok(())
    } else {
        Err(format!("got {}", hex(&got)))
    }
}
