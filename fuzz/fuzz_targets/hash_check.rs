//! The checksum-list parser of `palisade hash --check`: any list splits into lines and every
//! line parses or is refused, never a panic; a parsed line is consistent (hex of the stated
//! length, a non-empty name) and, written back as a GNU line, parses to the same thing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_digest::{Algorithm, parse_checksum_line, read_checksum_line};

fuzz_target!(|data: &[u8]| {
    let mut list = data;
    let mut line = Vec::new();
    while let Ok(true) = read_checksum_line(&mut list, &mut line) {
        for (algorithm, len) in [
            (Algorithm::Sha256, 32),
            (Algorithm::Blake2b, 64),
            (Algorithm::Shake128, 16),
        ] {
            let Some(parsed) = parse_checksum_line(algorithm, len, &line) else {
                continue;
            };
            assert_eq!(parsed.hex.len(), 2 * parsed.len);
            assert!(parsed.hex.bytes().all(|b| b.is_ascii_hexdigit()));
            assert!(!parsed.name.is_empty());
            // Written back as coreutils writes it, the line means the same.
            let mut gnu = Vec::new();
            let escape = parsed
                .name
                .iter()
                .any(|b| matches!(b, b'\\' | b'\n' | b'\r'));
            if escape {
                gnu.push(b'\\');
            }
            gnu.extend_from_slice(parsed.hex.as_bytes());
            gnu.extend_from_slice(b"  ");
            for &b in &parsed.name {
                match b {
                    b'\\' if escape => gnu.extend_from_slice(b"\\\\"),
                    b'\n' => gnu.extend_from_slice(b"\\n"),
                    b'\r' => gnu.extend_from_slice(b"\\r"),
                    _ => gnu.push(b),
                }
            }
            let again = parse_checksum_line(parsed.algorithm, parsed.len, &gnu)
                .expect("a parsed line written back parses");
            assert_eq!(again, parsed, "{:?}", String::from_utf8_lossy(&gnu));
        }
    }
});
