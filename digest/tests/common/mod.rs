//! Reading the `name = value` vector files of `tests/data/`.
#![allow(dead_code)]

use std::fmt;

/// One vector: its `name = value` lines in order.
pub(crate) struct Record(Vec<(String, String)>);

impl Record {
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self, name: &str) -> &str {
        self.get(name)
            .unwrap_or_else(|| panic!("vector has no {name}: {self:?}"))
    }

    pub(crate) fn bytes(&self, name: &str) -> Vec<u8> {
        unhex(self.text(name))
    }

    pub(crate) fn number<T: std::str::FromStr>(&self, name: &str) -> T {
        self.text(name)
            .parse()
            .unwrap_or_else(|_| panic!("{name} is not a number: {self:?}"))
    }
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, v) in &self.0 {
            let v = if v.len() > 200 {
                format!("{}... ({} hex digits)", &v[..200], v.len())
            } else {
                v.clone()
            };
            write!(f, "\n  {k} = {v}")?;
        }
        Ok(())
    }
}

/// The records of a file: blocks of `name = value` lines separated by blank lines; `#` lines
/// are comments.
pub(crate) fn records(text: &str) -> Vec<Record> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !current.is_empty() {
                out.push(Record(std::mem::take(&mut current)));
            }
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("not a `name = value` line: {line:?}"));
        current.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    if !current.is_empty() {
        out.push(Record(current));
    }
    out
}

pub(crate) fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd-length hex: {s:?}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or_else(|_| panic!("bad hex {s:?}")))
        .collect()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Deterministic test bytes (xorshift64*), so a failure replays.
pub(crate) fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x.wrapping_mul(0x2545_f491_4f6c_dd1d).to_be_bytes()[0]
        })
        .collect()
}
