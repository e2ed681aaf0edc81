//! The certificate blocks of the bundles, by their exact text, so that a directory file that
//! repeats one of them (Debian's `/etc/ssl/certs/<hash>.0` links hold the very text
//! `update-ca-certificates` copied into the bundle) is recognised without decoding and
//! hashing it again.
//!
//! A match is exact: the file holds one PEM block, and that block's text, from its `BEGIN`
//! line to the end of its `END` line, equals byte for byte a bundle block that became an
//! anchor without trust settings. Parsing the file would give that same block (text outside
//! blocks is ignored), so taking it as one more sighting of that anchor is what parsing
//! would have done.

use std::collections::HashMap;

use memchr::memmem;

/// A plain certificate block (no trust settings) of a bundle: its span in the file, and the
/// anchor it became.
pub(crate) type PlainBlock = ((usize, usize), usize);

/// Bundle blocks by text.
#[derive(Debug, Default)]
pub(crate) struct KnownBlocks {
    /// The bundles' bytes, kept for the comparison while the load runs.
    files: Vec<Vec<u8>>,
    /// Candidates by a short key; the full text decides.
    by_key: HashMap<Key, Vec<Known>>,
}

#[derive(Debug)]
struct Known {
    file: usize,
    span: (usize, usize),
    anchor: usize,
}

/// The text's length and its 64 bytes ending 32 before its end: inside the base64 of the
/// signature, which differs from certificate to certificate.
type Key = (usize, [u8; 64]);

impl KnownBlocks {
    /// Remembers the blocks of one bundle: each a span of `bytes` and the anchor it became.
    pub(crate) fn remember(&mut self, bytes: Vec<u8>, blocks: &[PlainBlock]) {
        let file = self.files.len();
        let mut any = false;
        for &(span, anchor) in blocks {
            if let Some(key) = key(&bytes[span.0..span.1]) {
                any = true;
                self.by_key
                    .entry(key)
                    .or_default()
                    .push(Known { file, span, anchor });
            }
        }
        if any {
            self.files.push(bytes);
        }
    }

    /// The anchor a file's only block is a copy of, if it is one.
    pub(crate) fn find(&self, bytes: &[u8]) -> Option<usize> {
        if self.by_key.is_empty() {
            return None;
        }
        let text = only_block(bytes)?;
        self.by_key
            .get(&key(text)?)?
            .iter()
            .find(|k| &self.files[k.file][k.span.0..k.span.1] == text)
            .map(|k| k.anchor)
    }
}

/// The text of the one PEM block in `bytes`, from `-----BEGIN ` to the end of the line that
/// holds the first `-----END ` after it; `None` if there is not exactly one `BEGIN`.
fn only_block(bytes: &[u8]) -> Option<&[u8]> {
    let begin = memmem::find(bytes, b"-----BEGIN ")?;
    let rest = &bytes[begin + 1..];
    if memmem::find(rest, b"-----BEGIN ").is_some() {
        return None;
    }
    let footer = begin + 1 + memmem::find(rest, b"-----END ")?;
    let end = memchr::memchr(b'\n', &bytes[footer..]).map_or(bytes.len(), |i| footer + i);
    Some(&bytes[begin..end])
}

fn key(text: &[u8]) -> Option<Key> {
    let end = text.len().checked_sub(32)?;
    let window = text.get(end.checked_sub(64)?..end)?;
    Some((text.len(), window.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT_A: &[u8] = include_bytes!("../tests/data/root_a.pem");
    const ROOT_B: &[u8] = include_bytes!("../tests/data/root_b.pem");

    fn bundle() -> (Vec<u8>, Vec<PlainBlock>) {
        let mut bytes = b"# a comment\n".to_vec();
        let a = bytes.len();
        bytes.extend_from_slice(ROOT_A);
        let b = bytes.len();
        bytes.extend_from_slice(ROOT_B);
        let blocks = vec![
            ((a, a + only_block(ROOT_A).unwrap().len()), 0),
            ((b, b + only_block(ROOT_B).unwrap().len()), 1),
        ];
        (bytes, blocks)
    }

    #[test]
    fn a_copy_is_found_and_nothing_else() {
        let mut known = KnownBlocks::default();
        let (bytes, blocks) = bundle();
        known.remember(bytes, &blocks);
        assert_eq!(known.find(ROOT_A), Some(0));
        assert_eq!(known.find(ROOT_B), Some(1));
        // Text around the block does not matter, as it does not to the parser.
        let mut commented = b"Subject: Root B\n".to_vec();
        commented.extend_from_slice(ROOT_B);
        commented.extend_from_slice(b"trailing prose\n");
        assert_eq!(known.find(&commented), Some(1));
        // Two blocks, a changed byte, a truncation: parsed as usual instead.
        let two = [ROOT_A, ROOT_B].concat();
        assert_eq!(known.find(&two), None);
        let text = only_block(ROOT_A).unwrap();
        for i in 0..text.len() {
            let mut changed = ROOT_A.to_vec();
            changed[i] ^= 0x01;
            assert_eq!(known.find(&changed), None, "byte {i}");
        }
        for len in 0..ROOT_A.len() - 1 {
            assert_ne!(known.find(&ROOT_A[..len]), Some(0), "length {len}");
        }
    }
}
