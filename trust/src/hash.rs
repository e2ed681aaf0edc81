//! OpenSSL's subject-name hash (`X509_NAME_hash`, `openssl x509 -hash`), which names the files
//! of a hashed certificate directory (`HHHHHHHH.N`).

use sha1::{Digest as _, Sha1};

use crate::pem::read_tlv;

/// OpenSSL's `X509_NAME_hash` of a DER-encoded `Name`: the first four bytes, little-endian,
/// of the SHA-1 of the name's canonical encoding. `None` if the name is not well-formed.
///
/// A hashed directory (`openssl rehash`, `openssl verify -CApath`) names each certificate
/// `format!("{:08x}.{n}", hash)`.
///
/// # Examples
///
/// ```
/// // The empty name, as `openssl x509 -hash` prints it for a certificate with one.
/// assert_eq!(palisade_trust::openssl_name_hash(&[0x30, 0x00]), Some(0xda39a3ee_u32.swap_bytes()));
/// ```
pub fn openssl_name_hash(name: &[u8]) -> Option<u32> {
    let canon = canonical_name(name)?;
    let digest = Sha1::digest(&canon);
    Some(u32::from_le_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

/// OpenSSL's canonical encoding of a name (crypto/x509/x_name.c, `x509_name_canon`): each RDN
/// as a DER SET of its attributes, concatenated without the outer SEQUENCE, with every string
/// value converted to a UTF8String, trimmed, inner whitespace runs collapsed to one space and
/// ASCII letters lowercased.
fn canonical_name(name: &[u8]) -> Option<Vec<u8>> {
    let (0x30, mut rdns, []) = read_tlv(name)? else {
        return None;
    };
    let mut out = Vec::with_capacity(name.len());
    while !rdns.is_empty() {
        let (0x31, mut attrs, rest) = read_tlv(rdns)? else {
            return None;
        };
        rdns = rest;
        let mut encoded: Vec<Vec<u8>> = Vec::new();
        while !attrs.is_empty() {
            let (0x30, ava, rest) = read_tlv(attrs)? else {
                return None;
            };
            attrs = rest;
            let (0x06, _, value) = read_tlv(ava)? else {
                return None;
            };
            let oid = &ava[..ava.len() - value.len()];
            let (tag, content, []) = read_tlv(value)? else {
                return None;
            };
            let mut inner = oid.to_vec();
            match canonical_string(tag, content) {
                Some(text) => push_tlv(&mut inner, UTF8_STRING, text.as_bytes()),
                None => inner.extend_from_slice(value),
            }
            let mut ava = Vec::with_capacity(inner.len() + 4);
            push_tlv(&mut ava, 0x30, &inner);
            encoded.push(ava);
        }
        // DER: the elements of a SET OF are sorted by their encodings.
        encoded.sort();
        push_tlv(&mut out, 0x31, &encoded.concat());
    }
    Some(out)
}

/// The canonical text of a string value, or `None` for a type OpenSSL copies unchanged.
fn canonical_string(tag: u8, content: &[u8]) -> Option<String> {
    let text: String = match tag {
        UTF8_STRING => String::from_utf8_lossy(content).into_owned(),
        // PrintableString, IA5String, VisibleString; T61String is read as Latin-1, as OpenSSL's
        // ASN1_STRING_to_UTF8 does (one byte per character).
        0x13 | 0x14 | 0x16 | 0x1a => content.iter().map(|&b| char::from(b)).collect(),
        // BMPString: UCS-2, big-endian.
        0x1e => content
            .chunks(2)
            .map(|c| {
                let unit = u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]);
                char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)
            })
            .collect(),
        // UniversalString: UCS-4, big-endian.
        0x1c => content
            .chunks(4)
            .map(|c| {
                let mut b = [0u8; 4];
                b[..c.len()].copy_from_slice(c);
                char::from_u32(u32::from_be_bytes(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
            })
            .collect(),
        _ => return None,
    };
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.trim_matches(is_openssl_space).chars() {
        if is_openssl_space(c) {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c.to_ascii_lowercase());
    }
    Some(out)
}

/// `ossl_isspace`: space, tab, newline, vertical tab, form feed, carriage return.
fn is_openssl_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

fn push_tlv(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    match u8::try_from(content.len()) {
        Ok(short) if short < 0x80 => out.push(short),
        _ => {
            let bytes = content.len().to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            // At most size_of::<usize>() length bytes, so the count fits in the low bits.
            out.push(0x80 | u8::try_from(bytes.len() - skip).unwrap_or(0x7f));
            out.extend_from_slice(&bytes[skip..]);
        }
    }
    out.extend_from_slice(content);
}

const UTF8_STRING: u8 = 0x0c;

#[cfg(test)]
mod tests {
    use super::*;

    const CANONICAL: &[(u8, &[u8], Option<&str>)] = &[
        (0x13, b"  Foo   Bar  ", Some("foo bar")),
        (0x0c, "\tÉcole\r\nX".as_bytes(), Some("École x")),
        (0x14, &[0x45, 0xe9], Some("eé")),
        (
            0x1e,
            &[0x00, 0x41, 0x00, 0x20, 0x00, 0x20, 0x00, 0x42],
            Some("a b"),
        ),
        (0x16, b"", Some("")),
        // Not a string type: copied unchanged
        (0x04, b"AB", None),
    ];

    #[test]
    fn canonical_strings() {
        for &(tag, content, expected) in CANONICAL {
            assert_eq!(
                canonical_string(tag, content).as_deref(),
                expected,
                "{tag:#x} {content:?}"
            );
        }
    }

    #[test]
    fn malformed_names_have_no_hash() {
        for name in [
            &[][..],
            &[0x31, 0x00],
            &[0x30, 0x02, 0x31, 0x01],
            &[0x30, 0x02, 0x30, 0x00],
        ] {
            assert_eq!(openssl_name_hash(name), None, "{name:02x?}");
        }
    }
}
