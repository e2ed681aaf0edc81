//! Distinguished names as text: `C=US, O=DigiCert\, Inc., CN=DigiCert Global Root G2`.
//!
//! The RDNs come in the order the certificate encodes them, as `openssl x509 -subject` prints
//! them (most roots encode `C=` first, some `CN=` first), so that a name reads the same here as
//! in OpenSSL's output; RFC 4514 would reverse them. Values are escaped as RFC 4514 says (a
//! comma inside `DigiCert, Inc.` is `\,`), so the text cannot be read as another name.

use x509_parser::der_parser::asn1_rs::{Tag, ToDer as _};
use x509_parser::objects::{oid_registry, oid2abbrev};
use x509_parser::prelude::FromDer as _;
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

/// The text of a DER-encoded X.509 `Name` (a subject or issuer), as
/// [`TrustAnchor::subject`](crate::TrustAnchor::subject) writes it: the RDNs in the order the
/// certificate encodes them (as `openssl x509 -subject` prints them), OpenSSL's attribute names,
/// values escaped as RFC 4514 says; `(unparsable name)` when the bytes are not a `Name`.
///
/// # Examples
///
/// ```
/// // SEQUENCE { SET { SEQUENCE { OID 2.5.4.10 (O), UTF8String "DigiCert, Inc." } } }
/// let mut name = vec![0x30, 0x19, 0x31, 0x17, 0x30, 0x15, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x0e];
/// name.extend_from_slice(b"DigiCert, Inc.");
/// assert_eq!(palisade_trust::distinguished_name(&name), r"O=DigiCert\, Inc.");
/// assert_eq!(palisade_trust::distinguished_name(b"junk"), "(unparsable name)");
/// ```
pub fn distinguished_name(name: &[u8]) -> String {
    let Ok((_, name)) = X509Name::from_der(name) else {
        return String::from("(unparsable name)");
    };
    let mut out = String::with_capacity(64);
    for (i, rdn) in name.iter_rdn().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, attr) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            push_attribute(&mut out, attr);
        }
    }
    out
}

/// OpenSSL's names (`crypto/objects/objects.txt`) for the attribute types in CA names that
/// x509-parser names otherwise or not at all.
const OPENSSL_NAMES: &[(&str, &str)] = &[
    ("1.2.840.113549.1.9.1", "emailAddress"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.9", "street"),
    ("2.5.4.15", "businessCategory"),
    ("2.5.4.17", "postalCode"),
    ("2.5.4.97", "organizationIdentifier"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL"),
    ("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST"),
    ("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"),
];

/// `type=value`: the short name of a known type (`CN`, `O`, ...) else its dotted OID; a string
/// value escaped, any other value as `#` and the hex of its DER (RFC 4514, section 2.4).
fn push_attribute(out: &mut String, attr: &AttributeTypeAndValue<'_>) {
    let oid = attr.attr_type();
    let dotted = oid.to_id_string();
    match OPENSSL_NAMES.iter().find(|(id, _)| *id == dotted) {
        Some((_, name)) => out.push_str(name),
        None => match oid2abbrev(oid, oid_registry()) {
            Ok(name) => out.push_str(name),
            Err(_) => out.push_str(&dotted),
        },
    }
    out.push('=');
    let value = attr.attr_value();
    match string_value(value.tag(), value.data) {
        Some(text) => push_escaped(out, &text),
        None => {
            out.push('#');
            // Re-encoding what was just parsed cannot fail; the content alone if it did.
            let der = value.to_der_vec().unwrap_or_else(|_| value.data.to_vec());
            out.push_str(&base16ct::lower::encode_string(&der));
        }
    }
}

/// The text of a directory string; `None` for any other type or a malformed encoding.
fn string_value(tag: Tag, data: &[u8]) -> Option<String> {
    match tag {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::NumericString
        | Tag::VisibleString
        // T.61 in practice holds Latin-1 or UTF-8; UTF-8 is taken, anything else is hex.
        | Tag::T61String => std::str::from_utf8(data).ok().map(str::to_owned),
        Tag::BmpString => {
            if !data.len().is_multiple_of(2) {
                return None;
            }
            let units = data.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
            char::decode_utf16(units).collect::<Result<_, _>>().ok()
        }
        Tag::UniversalString => {
            if !data.len().is_multiple_of(4) {
                return None;
            }
            data.chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                .collect()
        }
        _ => None,
    }
}

/// Appends `value` escaped as RFC 4514 (section 2.4) asks: `"+,;<>\` always, `#` and a space
/// at the start, a space at the end, and control characters as `\XX`.
fn push_escaped(out: &mut String, value: &str) {
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '\0'..='\x1f' | '\x7f' => out.push_str(&format!("\\{:02x}", u32::from(c))),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER TLV (short lengths: the test names are small).
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag, u8::try_from(content.len()).unwrap()];
        out.extend_from_slice(content);
        out
    }

    /// One attribute: OID content octets, value tag, value.
    type Attribute<'a> = (&'a [u8], u8, &'a [u8]);

    /// A `Name` of RDNs, each a set of attributes.
    fn name(rdns: &[&[Attribute<'_>]]) -> Vec<u8> {
        let mut seq = Vec::new();
        for rdn in rdns {
            let mut set = Vec::new();
            for (oid, tag, value) in *rdn {
                let mut ava = tlv(0x06, oid);
                ava.extend(tlv(*tag, value));
                set.extend(tlv(0x30, &ava));
            }
            seq.extend(tlv(0x31, &set));
        }
        tlv(0x30, &seq)
    }

    const C: &[u8] = &[0x55, 0x04, 0x06];
    const O: &[u8] = &[0x55, 0x04, 0x0a];
    const CN: &[u8] = &[0x55, 0x04, 0x03];
    const OU: &[u8] = &[0x55, 0x04, 0x0b];
    const ORG_ID: &[u8] = &[0x55, 0x04, 0x61];
    const PRINTABLE: u8 = 0x13;
    const UTF8: u8 = 0x0c;
    const BMP: u8 = 0x1e;

    #[test]
    fn encoding_order_and_escapes() {
        let der = name(&[
            &[(C, PRINTABLE, b"US")],
            &[(O, UTF8, b"DigiCert, Inc.")],
            &[(CN, UTF8, b"Root \"G2\" <x>")],
        ]);
        assert_eq!(
            distinguished_name(&der),
            r#"C=US, O=DigiCert\, Inc., CN=Root \"G2\" \<x\>"#
        );
        let reversed = name(&[&[(CN, UTF8, b"ACCVRAIZ1")], &[(C, PRINTABLE, b"ES")]]);
        assert_eq!(distinguished_name(&reversed), "CN=ACCVRAIZ1, C=ES");
    }

    #[test]
    fn leading_and_trailing_characters_multi_valued_and_other_types() {
        let der = name(&[
            &[(OU, UTF8, b"#1 "), (CN, UTF8, b" a+b;c\\")],
            &[(ORG_ID, UTF8, b"VATES-Q2826004J")],
            &[(CN, BMP, &[0x00, 0x52, 0x00, 0xe9, 0x00, 0x0a])],
            &[(&[0x2a, 0x03], 0x04, &[0xde, 0xad])],
        ]);
        assert_eq!(
            distinguished_name(&der),
            "OU=\\#1\\ +CN=\\ a\\+b\\;c\\\\, organizationIdentifier=VATES-Q2826004J, CN=R\u{e9}\\0a, \
             1.2.3=#0402dead"
        );
    }

    #[test]
    fn malformed_values_are_hex_and_malformed_names_say_so() {
        // An odd-length BMPString and invalid UTF-8 are shown as their DER, not guessed at.
        let der = name(&[&[(CN, BMP, &[0x00, 0x41, 0x00])], &[(CN, UTF8, &[0xff])]]);
        assert_eq!(distinguished_name(&der), "CN=#1e03004100, CN=#0c01ff");
        assert_eq!(distinguished_name(&[0x30, 0x05, 0x31]), "(unparsable name)");
        assert_eq!(distinguished_name(&[]), "(unparsable name)");
        assert_eq!(distinguished_name(&[0x30, 0x00]), "");
    }
}
