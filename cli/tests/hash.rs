//! `palisade hash` and `palisade hmac` against GNU coreutils (`sha256sum`, `sha512sum`,
//! `md5sum`, `sha1sum`, `b2sum`) on the same files, odd names included.
//!
//! Unix only: the reference tools are GNU coreutils, and the odd names (newline, backslash,
//! `*`) are not valid Windows file names. Under Wine the CLI's other tests still run.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]
// A skipped comparison says so on stdout (STYLE rule 9: never pass silently).
#![allow(clippy::print_stdout)]

mod util;

use std::fs;

use util::{TempDir, assert_same, coreutils, palisade, text};

#[test]
fn output_matches_coreutils_on_odd_names() {
    let dir = TempDir::new();
    let names = dir.with_odd_files();
    let mut args: Vec<&str> = vec!["--"];
    args.extend(names.iter().map(String::as_str));
    for (tool, algorithm) in [
        ("sha256sum", "sha256"),
        ("sha512sum", "sha512"),
        ("sha1sum", "sha1"),
        ("md5sum", "md5"),
        ("b2sum", "blake2b"),
    ] {
        let Some(expected) = coreutils(tool, &args, &dir.0, b"") else {
            continue;
        };
        let mut ours = vec!["hash", "-a", algorithm];
        ours.extend(&args);
        assert_same(tool, &expected, &palisade(&ours, &dir.0, b""));
        let mut tagged = vec!["--tag"];
        tagged.extend(&args);
        let Some(expected) = coreutils(tool, &tagged, &dir.0, b"") else {
            continue;
        };
        ours.insert(3, "--tag");
        assert_same(
            &format!("{tool} --tag"),
            &expected,
            &palisade(&ours, &dir.0, b""),
        );
    }
}

#[test]
fn blake2b_length_matches_b2sum() {
    let dir = TempDir::new();
    dir.with_odd_files();
    for bits in ["8", "128", "256", "504"] {
        let args = ["-l", bits, "--tag", "plain.txt", "star*"];
        let Some(expected) = coreutils("b2sum", &args, &dir.0, b"") else {
            return;
        };
        let mut ours = vec!["hash", "-a", "blake2b"];
        ours.extend(args);
        assert_same(
            &format!("b2sum -l {bits}"),
            &expected,
            &palisade(&ours, &dir.0, b""),
        );
    }
}

#[test]
fn standard_input_and_missing_files_like_sha256sum() {
    let dir = TempDir::new();
    dir.with_odd_files();
    let args = ["plain.txt", "no such file", "-", "star*"];
    let Some(expected) = coreutils("sha256sum", &args, &dir.0, b"from stdin") else {
        return;
    };
    let mut ours = vec!["hash"];
    ours.extend(args);
    let actual = palisade(&ours, &dir.0, b"from stdin");
    assert_same("missing file", &expected, &actual);
    assert_eq!(actual.status.code(), Some(1));
    assert_eq!(
        text(&actual.stderr),
        "palisade: 'no such file': No such file or directory\n"
    );
    // No file at all: standard input, named "-".
    let out = palisade(&["hash", "-a", "md5"], &dir.0, b"abc");
    assert_eq!(text(&out.stdout), "900150983cd24fb0d6963f7d28e17f72  -\n");
}

#[test]
fn check_opens_names_that_are_not_utf8_as_they_are() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let dir = TempDir::new();
    // "latén" in Latin-1: one byte that cannot start a UTF-8 sequence.
    let name: &[u8] = b"lat\xe9n";
    fs::write(dir.0.join(OsStr::from_bytes(name)), b"abc").unwrap();
    // The file `lat\u{fffd}n` that a lossy reading of the name would open instead.
    fs::write(dir.0.join("lat\u{fffd}n"), b"other").unwrap();
    let mut sums = b"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  ".to_vec();
    sums.extend_from_slice(name);
    sums.push(b'\n');
    fs::write(dir.0.join("SUMS"), &sums).unwrap();
    let out = palisade(&["hash", "-c", "SUMS"], &dir.0, b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut expected = name.to_vec();
    expected.extend_from_slice(b": OK\n");
    assert_eq!(out.stdout, expected, "{}", text(&out.stdout));
    if let Some(reference) = coreutils("sha256sum", &["-c", "SUMS"], &dir.0, b"") {
        assert_same("sha256sum -c", &reference, &out);
    }
}

#[test]
fn check_round_trip_with_a_tampered_file() {
    let dir = TempDir::new();
    let names = dir.with_odd_files();
    let mut args = vec!["hash", "--"];
    args.extend(names.iter().map(String::as_str));
    let list = palisade(&args, &dir.0, b"");
    assert_eq!(list.status.code(), Some(0));
    let mut sums = list.stdout.clone();
    sums.extend_from_slice(b"this line is not a checksum\n");
    fs::write(dir.0.join("SUMS"), &sums).unwrap();

    let ok = palisade(&["hash", "-c", "SUMS"], &dir.0, b"");
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("plain.txt: OK\n"));
    assert!(text(&ok.stdout).contains("\\new\\nline: OK\n"));
    assert_eq!(
        text(&ok.stderr),
        "palisade: WARNING: 1 line is improperly formatted\n"
    );

    fs::write(dir.0.join("star*"), b"tampered").unwrap();
    fs::remove_file(dir.0.join("sp ace")).unwrap();
    let bad = palisade(&["hash", "-c", "SUMS"], &dir.0, b"");
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stdout).contains("star*: FAILED\n"));
    assert!(text(&bad.stdout).contains("sp ace: FAILED open or read\n"));
    if let Some(expected) = coreutils("sha256sum", &["-c", "SUMS"], &dir.0, b"") {
        assert_same("sha256sum -c", &expected, &bad);
    }
    // --quiet prints failures only; --status prints nothing.
    let quiet = palisade(&["hash", "-c", "--quiet", "SUMS"], &dir.0, b"");
    assert!(!text(&quiet.stdout).contains(": OK"));
    assert!(text(&quiet.stdout).contains("star*: FAILED\n"));
    let status = palisade(&["hash", "-c", "--status", "SUMS"], &dir.0, b"");
    assert_eq!((status.stdout.len(), status.status.code()), (0, Some(1)));

    // BSD-style lists check too, and a list without one valid line fails.
    let tagged = palisade(
        &["hash", "--tag", "-a", "blake2b", "plain.txt"],
        &dir.0,
        b"",
    );
    let out = palisade(&["hash", "-c"], &dir.0, &tagged.stdout);
    assert_eq!(text(&out.stdout), "plain.txt: OK\n");
    let out = palisade(&["hash", "-c"], &dir.0, b"nonsense\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "palisade: 'standard input': no properly formatted checksum lines found\n"
    );
}

#[test]
fn hmac_check_round_trip() {
    let dir = TempDir::new();
    fs::write(dir.0.join("msg"), b"what do ya want for nothing?").unwrap();
    fs::write(dir.0.join("other"), b"other").unwrap();
    let key = ["--key", "4a656665"];
    let hmac = |extra: &[&str], stdin: &[u8]| {
        let mut args = vec!["hmac"];
        args.extend(key);
        args.extend(extra);
        palisade(&args, &dir.0, stdin)
    };
    // RFC 4231 test case 2, listed in upper case as some tools write it.
    let rfc = b"5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843  msg\n";
    let out = hmac(&["-c"], rfc);
    assert_eq!(
        (text(&out.stdout).as_str(), out.status.code()),
        ("msg: OK\n", Some(0))
    );

    let list = hmac(&["msg", "other"], b"");
    fs::write(dir.0.join("MACS"), &list.stdout).unwrap();
    let out = hmac(&["-c", "MACS"], b"");
    assert_eq!(text(&out.stdout), "msg: OK\nother: OK\n");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // Another key, a changed file, a missing file: each a failure, as `sha256sum -c` reports.
    let out = palisade(&["hmac", "--key", "00", "-c", "MACS"], &dir.0, b"");
    assert_eq!(
        (text(&out.stdout).as_str(), out.status.code()),
        ("msg: FAILED\nother: FAILED\n", Some(1))
    );
    assert_eq!(
        text(&out.stderr),
        "palisade: WARNING: 2 computed checksums did NOT match\n"
    );
    fs::write(dir.0.join("other"), b"changed").unwrap();
    fs::remove_file(dir.0.join("msg")).unwrap();
    let out = hmac(&["-c", "MACS"], b"");
    assert_eq!(
        text(&out.stdout),
        "msg: FAILED open or read\nother: FAILED\n"
    );
    let out = hmac(&["-c", "--ignore-missing", "--quiet", "MACS"], b"");
    assert_eq!(
        (text(&out.stdout).as_str(), out.status.code()),
        ("other: FAILED\n", Some(1))
    );

    // A plain SHA-256 digest is not the MAC; a SHA-512-sized line is not a SHA-256 MAC line.
    let digest = palisade(&["hash", "other"], &dir.0, b"");
    let out = hmac(&["-c"], &digest.stdout);
    assert_eq!(text(&out.stdout), "other: FAILED\n");
    let long = format!("{}  other\n", "ab".repeat(64));
    let out = hmac(&["-c", "-w"], long.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "palisade: 'standard input': 1: improperly formatted HMAC-SHA256 checksum line\n\
         palisade: 'standard input': no properly formatted checksum lines found\n"
    );
    // --status prints no verdict (only the unreadable file, as coreutils does).
    let out = hmac(&["-c", "--status", "MACS"], b"");
    assert_eq!((out.stdout.len(), out.status.code()), (0, Some(1)));
    assert_eq!(
        text(&out.stderr),
        "palisade: msg: No such file or directory\n"
    );
}

#[test]
fn shake_length_list_and_bad_arguments() {
    let dir = TempDir::new();
    // FIPS 202 example: SHAKE128("abc"), 128 and 256 bits.
    let out = palisade(&["hash", "-a", "shake_128"], &dir.0, b"abc");
    assert_eq!(text(&out.stdout), "5881092dd818bf5cf8a3ddb793fbcba7  -\n");
    let out = palisade(&["hash", "-a", "SHAKE128", "-l", "256"], &dir.0, b"abc");
    assert_eq!(
        text(&out.stdout),
        "5881092dd818bf5cf8a3ddb793fbcba74097d5c526a6d35f97b83351940f2cc8  -\n"
    );
    let list = palisade(&["hash", "--list"], &dir.0, b"");
    assert_eq!(list.status.code(), Some(0));
    let listing = text(&list.stdout);
    assert!(
        listing.contains("sha3_256              32        136\n"),
        "{listing}"
    );
    assert_eq!(listing.lines().count(), 17);
    let json = palisade(&["hash", "--list", "--format", "json"], &dir.0, b"");
    assert_eq!(json.status.code(), Some(0));
    let text_json = text(&json.stdout);
    assert!(
        text_json.contains("\"name\": \"shake_256\"") && text_json.contains("\"block_size\": 136"),
        "{text_json}"
    );

    for args in [
        &["hash", "-a", "sha257"][..],
        &["hash", "-a", "sha256", "-l", "128"],
        &["hash", "-a", "blake2s", "-l", "512"],
        // Over palisade-digest's MAX_XOF_OUTPUT (1 GiB): refused before hashing anything.
        &["hash", "-a", "shake_128", "-l", "8589934600"],
        &["hash", "-a", "shake_256", "-l", "18446744073709551608"],
        &["hmac", "--key", "zz"],
        &["hmac", "-a", "shake_128", "--key", "00"],
        &["hmac"],
        // --format is for --list only: never silently ignored.
        &["hash", "--format", "json", "x"],
        &["hash", "-j", "0", "x"],
    ] {
        let out = palisade(args, &dir.0, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).starts_with("palisade: "), "{args:?}");
    }
}

#[test]
fn hmac_prints_macs_in_sha256sum_format() {
    let dir = TempDir::new();
    fs::write(dir.0.join("msg"), b"what do ya want for nothing?").unwrap();
    fs::write(dir.0.join("key"), b"Jefe").unwrap();
    // RFC 4231 test case 2.
    let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843  msg\n";
    let out = palisade(&["hmac", "--key", "4a656665", "msg"], &dir.0, b"");
    assert_eq!(
        (text(&out.stdout).as_str(), out.status.code()),
        (expected, Some(0))
    );
    let out = palisade(
        &["hmac", "--key-file", "key", "msg", "missing"],
        &dir.0,
        b"",
    );
    assert_eq!(text(&out.stdout), expected);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "palisade: missing: No such file or directory\n"
    );
    // RFC 2202 test case 2 for HMAC-MD5, from standard input.
    let out = palisade(
        &["hmac", "-a", "md5", "--key", "4a656665"],
        &dir.0,
        b"what do ya want for nothing?",
    );
    assert_eq!(text(&out.stdout), "750c783e6ab0b503eaa86e310a5db738  -\n");
}
