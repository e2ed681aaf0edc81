//! `palisade hash -c` against `sha256sum -c` (GNU coreutils) as a differential: a table of
//! digest lists, hostile ones included, each run through both with each option; stdout,
//! stderr (program name aside) and the exit status must be equal. Then the hash-mode options
//! (`-b`, `-t`, `-z`) and many files in parallel, in order.
//!
//! Unix only, like `hash.rs`: the reference is GNU coreutils.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]
#![allow(clippy::print_stdout)] // a skipped comparison says so

mod util;

use std::fs;

use util::{TempDir, assert_same, coreutils, palisade};

const A: &str = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"; // "hello\n"
const B: &str = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"; // "x"
const ZERO: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The lists, by name: (file name, content).
fn lists() -> Vec<(&'static str, Vec<u8>)> {
    let line = |hex: &str, name: &str| format!("{hex}  {name}\n").into_bytes();
    let cat = |parts: &[Vec<u8>]| parts.concat();
    let overlong = {
        // 100 KiB: beyond palisade_digest::MAX_CHECKSUM_LINE (64 KiB).
        let mut v = vec![b'g'; 100 * 1024];
        v.push(b'\n');
        v
    };
    vec![
        ("good.sum", cat(&[line(A, "a"), line(B, "b")])),
        ("bad.sum", cat(&[line(ZERO, "a"), line(B, "b")])),
        ("missing.sum", cat(&[line(A, "a"), line(A, "missing")])),
        ("only-missing.sum", line(A, "missing")),
        (
            "malformed.sum",
            cat(&[line(A, "a"), b"garbage\n".to_vec(), line(B, "b")]),
        ),
        (
            "overlong.sum",
            cat(&[line(A, "a"), overlong.clone(), line(B, "b")]),
        ),
        (
            "overlong-at-end.sum",
            cat(&[line(A, "a"), vec![b'h'; 70 * 1024]]),
        ),
        ("crlf.sum", format!("{A}  a\r\n{B}  b\r\n").into_bytes()),
        (
            "tag.sum",
            format!("SHA256 (a) = {A}\nSHA256 (b) = {ZERO}\n").into_bytes(),
        ),
        (
            "escaped.sum",
            format!("\\{B}  back\\\\slash\n\\{A}  new\\nline\n").into_bytes(),
        ),
        ("empty.sum", Vec::new()),
        (
            "blank-lines.sum",
            cat(&[b"\n\n".to_vec(), line(A, "a"), b"\n".to_vec()]),
        ),
        (
            "separators.sum",
            format!("{A} a\n{A}\ta\n{B} *b\n{B}  *b\n").into_bytes(),
        ),
        (
            "all-kinds.sum",
            cat(&[
                line(A, "a"),
                line(ZERO, "b"),
                line(A, "missing"),
                b"not a line\n".to_vec(),
                overlong,
                format!("{A}  dir\n").into_bytes(),
            ]),
        ),
        ("no-newline.sum", format!("{A}  a").into_bytes()),
    ]
}

const OPTIONS: &[&[&str]] = &[
    &[],
    &["--quiet"],
    &["--status"],
    &["-w"],
    &["--warn"],
    &["--strict"],
    &["--ignore-missing"],
    &["--strict", "-w"],
    &["--ignore-missing", "--strict"],
    &["--ignore-missing", "--quiet"],
    &["-w", "--status"],
    &["--status", "-w"],
    &["--quiet", "-w"],
];

fn fixture() -> TempDir {
    let dir = TempDir::new();
    fs::write(dir.0.join("a"), b"hello\n").unwrap();
    fs::write(dir.0.join("b"), b"x").unwrap();
    fs::write(dir.0.join("back\\slash"), b"x").unwrap();
    fs::write(dir.0.join("new\nline"), b"hello\n").unwrap();
    fs::create_dir(dir.0.join("dir")).unwrap();
    for (name, content) in lists() {
        fs::write(dir.0.join(name), content).unwrap();
    }
    dir
}

#[test]
fn check_matches_sha256sum_on_every_list_and_option() {
    let dir = fixture();
    let mut compared = 0;
    for (list, content) in lists() {
        for options in OPTIONS {
            let mut args = vec!["-c"];
            args.extend_from_slice(options);
            args.push(list);
            let Some(expected) = coreutils("sha256sum", &args, &dir.0, b"") else {
                return;
            };
            for jobs in ["1", "3"] {
                let mut ours = vec!["hash", "-j", jobs];
                ours.extend_from_slice(&args);
                let actual = palisade(&ours, &dir.0, b"");
                assert_same(&format!("{args:?} -j {jobs}"), &expected, &actual);
                compared += 1;
            }
        }
        // The same list on standard input.
        let expected = coreutils("sha256sum", &["-c", "-w"], &dir.0, &content).unwrap();
        let actual = palisade(&["hash", "-c", "-w"], &dir.0, &content);
        assert_same(&format!("{list} on stdin"), &expected, &actual);
    }
    assert!(compared > 300, "{compared}");
}

#[test]
fn options_meaningless_when_checking_are_refused() {
    let dir = fixture();
    for option in ["-b", "-t", "-z", "--tag"] {
        let out = palisade(&["hash", "-c", option, "good.sum"], &dir.0, b"");
        assert_eq!(out.status.code(), Some(2), "{option}");
        assert!(out.stdout.is_empty(), "{option}");
    }
}

#[test]
fn hash_mode_options_match_sha256sum() {
    let dir = TempDir::new();
    let names = dir.with_odd_files();
    for options in [
        &["-b"][..],
        &["-t"],
        &["-z"],
        &["-z", "--tag"],
        &["-b", "--tag"],
        &["-z", "-b"],
    ] {
        let mut args: Vec<&str> = options.to_vec();
        args.push("--");
        args.extend(names.iter().map(String::as_str));
        args.push("missing");
        let Some(expected) = coreutils("sha256sum", &args, &dir.0, b"") else {
            return;
        };
        let mut ours = vec!["hash"];
        ours.extend_from_slice(&args);
        assert_same(
            &format!("{options:?}"),
            &expected,
            &palisade(&ours, &dir.0, b""),
        );
    }
}

#[test]
fn many_files_in_parallel_keep_argument_order() {
    let dir = TempDir::new();
    let mut names = Vec::new();
    for i in 0..40 {
        // Big files first, so that later ones finish first on other workers.
        let size = if i < 4 { 3 << 20 } else { i * 1000 };
        let name = format!("f{i:02}");
        fs::write(dir.0.join(&name), vec![u8::try_from(i).unwrap(); size]).unwrap();
        names.push(name);
    }
    names.insert(10, "missing".to_owned());
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let Some(expected) = coreutils("sha256sum", &names, &dir.0, b"") else {
        return;
    };
    for jobs in ["1", "2", "8"] {
        let mut args = vec!["hash", "-j", jobs];
        args.extend_from_slice(&names);
        assert_same(
            &format!("-j {jobs}"),
            &expected,
            &palisade(&args, &dir.0, b""),
        );
    }
    // And the list they make checks in parallel the same way.
    let mut args = vec!["hash"];
    args.extend_from_slice(&names);
    let sums = palisade(&args, &dir.0, b"");
    fs::write(dir.0.join("SUMS"), &sums.stdout).unwrap();
    let expected = coreutils("sha256sum", &["-c", "SUMS"], &dir.0, b"").unwrap();
    for jobs in ["1", "4"] {
        let actual = palisade(&["hash", "-c", "-j", jobs, "SUMS"], &dir.0, b"");
        assert_same(&format!("-c -j {jobs}"), &expected, &actual);
    }
}
