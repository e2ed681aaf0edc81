//! PEM and DER: `CERTIFICATE`, `TRUSTED CERTIFICATE` (with OpenSSL's trust and reject lists)
//! and `PUBLIC KEY` blocks, and the public PEM/DER conversion helpers.
//!
//! The PEM scanner is our own, not rustls-pki-types' `PemObject`
//! (`CertificateDer::pem_slice_iter`). On well-formed `CERTIFICATE` blocks the two give the
//! same certificates in the same order (tests/pem_differential.rs: the fixtures, generated
//! bundles, the system bundle). They part where this file earns its place:
//!
//! - Per-block errors. `PemObject`'s errors carry no block number, line or span, and a block
//!   without its END line takes the next one with it (its base64 is glued to the next block's).
//!   Here a bad block costs only itself and is reported with its number, line and kind
//!   (`MalformedPemHeader`, `UnterminatedPem`, `InvalidBase64`, ...), which `explain`, the
//!   store's errors and `palisade roots` show.
//! - OpenSSL's `TRUSTED CERTIFICATE` (the certificate followed by its `X509_CERT_AUX` trust
//!   and reject lists, parsed below) and the old `X509 CERTIFICATE` label, which `PemObject`
//!   skips as unknown sections; and BEGIN/END lines indented with blanks, which it reads as
//!   prose.
//! - Speed. Decoding the `CERTIFICATE` blocks with `PemObject` inside this scanner (so keeping
//!   the errors above) made `TrustStore::system()` 20 to 25% slower (docs/BENCHMARKS.md, "PEM"):
//!   its base64 decoder works a byte at a time, in constant time, which certificates, being
//!   public, do not need. It also takes base64 without its `=` padding, which this refuses.
//!
//! DER elements are read with asn1-rs (the copy x509-parser builds): see `read_tlv`.

use asn1_rs::{Any, FromDer as _};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use memchr::memmem;

use crate::error::{Error, ErrorKind, Position};
use crate::purpose::Purposes;

/// Converts one DER certificate to PEM text, 64 base64 characters a line.
///
/// Equivalent to Python's `ssl.DER_cert_to_PEM_cert`.
///
/// # Examples
///
/// ```
/// let pem = palisade_trust::der_to_pem(&[0x30, 0x00]);
/// assert_eq!(pem, "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n");
/// ```
pub fn der_to_pem(der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = String::with_capacity(body.len() + body.len() / 64 + 60);
    out.push_str("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// The DER bytes of the first `CERTIFICATE` (or `TRUSTED CERTIFICATE`) block in PEM text.
///
/// Equivalent to Python's `ssl.PEM_cert_to_DER_cert`. For a `TRUSTED CERTIFICATE`, only the
/// certificate is returned, without OpenSSL's trust settings.
///
/// # Errors
///
/// The first bad block's error (unterminated, not base64), or
/// [`ErrorKind::NoCertificate`] when there is no certificate block at all.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_trust::Error> {
/// let pem = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
/// assert_eq!(palisade_trust::pem_to_der(pem)?, [0x30, 0x00]);
/// # Ok(())
/// # }
/// ```
pub fn pem_to_der(pem: &str) -> Result<Vec<u8>, Error> {
    let mut blocks = Vec::new();
    let mut errors = Vec::new();
    parse_pem(pem.as_bytes(), &mut blocks, &mut errors);
    let cert = blocks.into_iter().find_map(|b| match b.kind {
        BlockKind::Certificate { der, .. } => Some(der),
        BlockKind::PublicKey(_) => None,
    });
    match (cert, errors.into_iter().next()) {
        (Some(der), _) => Ok(der),
        (None, Some(err)) => Err(err),
        (None, None) => Err(Error::new(ErrorKind::NoCertificate)),
    }
}

/// One useful block of a PEM file (or a whole DER file).
#[derive(Debug)]
pub(crate) struct Block {
    pub(crate) position: Position,
    /// Where the block's text is in the file: from its `BEGIN` line to the end of its `END`
    /// line (the whole file for DER).
    pub(crate) span: (usize, usize),
    pub(crate) kind: BlockKind,
}

#[derive(Debug)]
pub(crate) enum BlockKind {
    /// A certificate, with OpenSSL trust settings when it came as `TRUSTED CERTIFICATE`.
    Certificate { der: Vec<u8>, aux: Option<Aux> },
    /// A `PUBLIC KEY` (SubjectPublicKeyInfo), as p11-kit blocklists may hold.
    PublicKey(Vec<u8>),
}

/// OpenSSL's `X509_CERT_AUX`: the trust settings `openssl x509 -trustout` appends.
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub(crate) struct Aux {
    /// The purposes explicitly trusted, if a trust list is present.
    pub(crate) trust: Option<Purposes>,
    /// The purposes explicitly rejected.
    pub(crate) reject: Purposes,
    /// The friendly name (`-setalias`).
    pub(crate) alias: Option<String>,
}

/// Parses the contents of one file: PEM when it has a `-----BEGIN ` line, else one DER
/// certificate. Good blocks go to `blocks`, bad ones to `errors` (without a path).
pub(crate) fn parse_file(bytes: &[u8], blocks: &mut Vec<Block>, errors: &mut Vec<Error>) {
    if memmem::find(bytes, b"-----BEGIN ").is_some() {
        parse_pem(bytes, blocks, errors);
    } else if bytes.iter().all(|&b| is_whitespace(b)) {
        // An empty file holds no certificate, and that is not an error.
    } else if bytes.first() == Some(&0x30) {
        let position = Position { block: 0, line: 1 };
        match split_tlv(bytes) {
            Some((cert, [])) => blocks.push(Block {
                position,
                span: (0, bytes.len()),
                kind: BlockKind::Certificate {
                    der: cert.to_vec(),
                    aux: None,
                },
            }),
            _ => errors.push(
                Error::new(ErrorKind::InvalidCertificate {
                    reason: "truncated or trailing bytes after the DER certificate".into(),
                })
                .with_position(position),
            ),
        }
    } else {
        errors.push(Error::new(ErrorKind::NoCertificate));
    }
}

/// Parses PEM text block by block. A bad block costs only itself.
pub(crate) fn parse_pem(bytes: &[u8], blocks: &mut Vec<Block>, errors: &mut Vec<Error>) {
    let begin = memmem::Finder::new(b"-----BEGIN ");
    let mut block = 0;
    let mut line = 1;
    let mut counted = 0;
    let mut at = 0;
    let mut body = Vec::new();
    while let Some(found) = begin.find(&bytes[at..]) {
        let start = at + found;
        line += memchr::memchr_iter(b'\n', &bytes[counted..start]).count();
        counted = start;
        let header_end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        at = header_end;
        let Some(label) = begin_label(&bytes[start..header_end]) else {
            // A line that starts like a BEGIN line but is not one (bytes after the closing
            // dashes, a damaged label) would otherwise take its block with it silently; the
            // same text in the middle of a line is prose and is skipped.
            if at_line_start(bytes, start) {
                block += 1;
                errors.push(
                    Error::new(ErrorKind::MalformedPemHeader)
                        .with_position(Position { block, line }),
                );
            }
            continue;
        };
        block += 1;
        let position = Position { block, line };
        let label_text = String::from_utf8_lossy(label).into_owned();
        // The block ends at the first END line; a BEGIN before it means this one has none.
        let rest = &bytes[header_end..];
        let end = memmem::find(rest, b"-----END ");
        let next_begin = begin.find(rest);
        let end = match (end, next_begin) {
            (Some(e), Some(b)) if b < e => None,
            (e, _) => e,
        };
        let Some(end) = end else {
            errors.push(
                Error::new(ErrorKind::UnterminatedPem { label: label_text })
                    .with_position(position),
            );
            continue;
        };
        let footer_start = header_end + end;
        let footer_end =
            memchr::memchr(b'\n', &bytes[footer_start..]).map_or(bytes.len(), |i| footer_start + i);
        at = footer_end;
        let footer = trim(&bytes[footer_start..footer_end]);
        if footer
            .strip_prefix(b"-----END ")
            .and_then(|f| f.strip_suffix(b"-----"))
            != Some(label)
        {
            errors.push(
                Error::new(ErrorKind::UnterminatedPem { label: label_text })
                    .with_position(position),
            );
            continue;
        }
        let kind = match label {
            b"CERTIFICATE" | b"X509 CERTIFICATE" | b"TRUSTED CERTIFICATE" | b"PUBLIC KEY" => {
                body.clear();
                let text = &bytes[header_end..footer_start];
                let mut line_start = 0;
                for newline in memchr::memchr_iter(b'\n', text) {
                    body.extend_from_slice(trim(&text[line_start..newline]));
                    line_start = newline + 1;
                }
                body.extend_from_slice(trim(&text[line_start..]));
                // RFC 7468 section 2: parsers should ignore whitespace inside the base64 text.
                // The ends of each line are trimmed above; whitespace within a line is rare,
                // so it is looked for only when the text does not decode as it is.
                let decoded = STANDARD.decode(&body).or_else(|_| {
                    body.retain(|&b| !is_whitespace(b));
                    STANDARD.decode(&body)
                });
                match decoded {
                    Ok(der) => classify(label, der),
                    Err(_) => Err(ErrorKind::InvalidBase64 { label: label_text }),
                }
            }
            // Other blocks (keys, parameters, CRLs) are not ours to judge.
            _ => continue,
        };
        match kind {
            Ok(kind) => blocks.push(Block {
                position,
                span: (start, footer_end),
                kind,
            }),
            Err(kind) => errors.push(Error::new(kind).with_position(position)),
        }
    }
}

/// Splits a decoded block into what it holds.
fn classify(label: &[u8], der: Vec<u8>) -> Result<BlockKind, ErrorKind> {
    if label == b"PUBLIC KEY" {
        return Ok(BlockKind::PublicKey(der));
    }
    let Some((cert, rest)) = split_tlv(&der) else {
        return Err(ErrorKind::InvalidCertificate {
            reason: "truncated DER".into(),
        });
    };
    if label != b"TRUSTED CERTIFICATE" {
        if !rest.is_empty() {
            return Err(ErrorKind::InvalidCertificate {
                reason: "trailing bytes after the certificate".into(),
            });
        }
        return Ok(BlockKind::Certificate { der, aux: None });
    }
    let aux = if rest.is_empty() {
        None
    } else {
        Some(parse_aux(rest).map_err(|reason| ErrorKind::InvalidTrustSettings { reason })?)
    };
    let cert = cert.to_vec();
    Ok(BlockKind::Certificate { der: cert, aux })
}

/// Parses OpenSSL's `X509_CERT_AUX` (crypto/x509/x_x509a.c):
///
/// ```text
/// X509_CERT_AUX ::= SEQUENCE {
///     trust   SEQUENCE OF OBJECT IDENTIFIER OPTIONAL,
///     reject  [0] IMPLICIT SEQUENCE OF OBJECT IDENTIFIER OPTIONAL,
///     alias   UTF8String OPTIONAL,
///     keyid   OCTET STRING OPTIONAL,
///     other   [1] IMPLICIT SEQUENCE OF AlgorithmIdentifier OPTIONAL }
/// ```
pub(crate) fn parse_aux(bytes: &[u8]) -> Result<Aux, &'static str> {
    let (tag, content, rest) = read_tlv(bytes).ok_or("truncated")?;
    if tag != 0x30 {
        return Err("not a SEQUENCE");
    }
    if !rest.is_empty() {
        return Err("trailing bytes");
    }
    let mut aux = Aux::default();
    let mut input = content;
    while !input.is_empty() {
        let (tag, value, rest) = read_tlv(input).ok_or("truncated field")?;
        input = rest;
        match tag {
            0x30 => aux.trust = Some(oid_list(value)?),
            0xa0 => aux.reject = oid_list(value)?,
            0x0c => aux.alias = Some(String::from_utf8_lossy(value).into_owned()),
            0x04 | 0xa1 => {}
            _ => return Err("unexpected field"),
        }
    }
    Ok(aux)
}

/// The purposes named by a list of DER object identifiers; unknown ones are ignored.
///
/// The tag is matched here, not by asn1-rs' `Oid::from_der`, which takes any primitive
/// element (a NULL in a trust list would pass as an empty object identifier).
pub(crate) fn oid_list(mut input: &[u8]) -> Result<Purposes, &'static str> {
    let mut purposes = Purposes::NONE;
    while !input.is_empty() {
        let (tag, oid, rest) = read_tlv(input).ok_or("truncated object identifier")?;
        if tag != 0x06 {
            return Err("expected an object identifier");
        }
        purposes |= Purposes::from_oid(oid).unwrap_or(Purposes::NONE);
        input = rest;
    }
    Ok(purposes)
}

/// Splits the first DER element (tag, length and content) off `input`.
pub(crate) fn split_tlv(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (_, _, rest) = read_tlv(input)?;
    Some(input.split_at(input.len() - rest.len()))
}

/// Reads one DER element with a single-byte tag and a definite length: (tag, content, rest).
/// asn1-rs reads the header and checks the length against the input; the identifier byte is
/// handed back whole (class, constructed bit and number), as the callers match on it.
pub(crate) fn read_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (rest, any) = Any::from_der(input).ok()?;
    match any.header.raw_tag()? {
        // The high-tag-number form (several identifier bytes) is used by no structure read here.
        &[tag] => Some((tag, any.data, rest)),
        _ => None,
    }
}

/// The label of a `-----BEGIN <label>-----` line.
fn begin_label(line: &[u8]) -> Option<&[u8]> {
    trim(line)
        .strip_prefix(b"-----BEGIN ")?
        .strip_suffix(b"-----")
}

/// Whether only spaces and tabs come between the previous line break (or the start) and `at`.
fn at_line_start(bytes: &[u8], at: usize) -> bool {
    bytes[..at]
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n')
        .all(|&b| b == b' ' || b == b'\t')
}

/// `line` without RFC 7468 whitespace at either end.
fn trim(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|&b| !is_whitespace(b))
        .unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|&b| !is_whitespace(b))
        .map_or(start, |i| i + 1);
    &line[start..end]
}

/// RFC 7468 section 3 (lax ABNF): `W = WSP / CR / LF / %x0B / %x0C ; whitespace`. This is
/// `u8::is_ascii_whitespace` and the vertical tab, which Rust's definition leaves out.
fn is_whitespace(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0b
}

#[cfg(test)]
mod tests {
    use super::*;

    type Tlv<'a> = Option<(u8, &'a [u8], &'a [u8])>;

    const TLV: &[(&[u8], Tlv<'_>)] = &[
        (&[0x30, 0x00], Some((0x30, &[], &[]))),
        (&[0x04, 0x01, 0xaa, 0xbb], Some((0x04, &[0xaa], &[0xbb]))),
        (&[0x04, 0x81, 0x01, 0xaa], Some((0x04, &[0xaa], &[]))),
        // Truncated content, missing length, indefinite length, high-tag-number form
        (&[0x30, 0x02, 0x00], None),
        (&[0x30], None),
        (&[0x30, 0x80, 0x00, 0x00], None),
        (&[0x1f, 0x01, 0x00], None),
        (&[0x30, 0x85, 1, 1, 1, 1, 1], None),
        (
            &[0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            None,
        ),
        (&[0x30, 0xff, 0x00], None),
        (&[], None),
        // Context-specific and constructed bits come back in the tag byte.
        (&[0xa0, 0x01, 0x05, 0xee], Some((0xa0, &[0x05], &[0xee]))),
    ];

    #[test]
    fn tlv_reader() {
        for &(input, expected) in TLV {
            assert_eq!(read_tlv(input), expected, "{input:02x?}");
        }
    }

    #[test]
    fn aux_trust_and_reject() {
        // trust: serverAuth; reject [0]: emailProtection; alias "x"
        let aux = [
            0x30, 0x1b, 0x30, 0x0a, 0x06, 0x08, 0x2b, 6, 1, 5, 5, 7, 3, 1, 0xa0, 0x0a, 0x06, 0x08,
            0x2b, 6, 1, 5, 5, 7, 3, 4, 0x0c, 0x01, b'x',
        ];
        let parsed = parse_aux(&aux).unwrap();
        assert_eq!(parsed.trust, Some(Purposes::SERVER_AUTH));
        assert_eq!(parsed.reject, Purposes::EMAIL_PROTECTION);
        assert_eq!(parsed.alias.as_deref(), Some("x"));
        assert_eq!(parse_aux(&aux[..10]), Err("truncated"));
        assert_eq!(parse_aux(&[0x31, 0x00]), Err("not a SEQUENCE"));
        assert_eq!(
            parse_aux(&[0x30, 0x02, 0x05, 0x00]),
            Err("unexpected field")
        );
        // A trust list that holds something other than object identifiers, or a cut one.
        assert_eq!(
            parse_aux(&[0x30, 0x04, 0x30, 0x02, 0x05, 0x00]),
            Err("expected an object identifier")
        );
        assert_eq!(
            oid_list(&[0x06, 0x03, 0x2b, 0x06]),
            Err("truncated object identifier")
        );
        assert_eq!(oid_list(&[]), Ok(Purposes::NONE));
    }

    #[test]
    fn whitespace_inside_base64_lines_is_ignored() {
        // RFC 7468 section 2: whitespace anywhere in the base64 text is ignored, not only at
        // the ends of lines; other stray bytes are still an error.
        const BODIES: &[(&[u8], bool)] = &[
            (b"MAA=", true),
            (b"MA A=", true),
            (b"M\tA\x0bA =", true),
            (b"  MA\r\n\tA=  ", true),
            (b"MA\nA=", true),
            (b"MA.A=", false),
            (b"MA A", false),
        ];
        for &(body, decodes) in BODIES {
            let mut text = b"-----BEGIN CERTIFICATE-----\n".to_vec();
            text.extend_from_slice(body);
            text.extend_from_slice(b"\n-----END CERTIFICATE-----\n");
            let (mut blocks, mut errors) = (Vec::new(), Vec::new());
            parse_file(&text, &mut blocks, &mut errors);
            assert_eq!(blocks.len(), usize::from(decodes), "{body:?}: {errors:?}");
            assert_eq!(errors.len(), usize::from(!decodes), "{body:?}");
        }
    }

    #[test]
    fn pem_blocks_survive_bad_neighbours() {
        let text = b"junk\n-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n\
            -----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n\
            -----BEGIN CERTIFICATE-----\nMAA=\n\
            -----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n\
            -----BEGIN X509 CERTIFICATE-----\r\nMA\r\n A=\r\n-----END X509 CERTIFICATE-----\r\n";
        let (mut blocks, mut errors) = (Vec::new(), Vec::new());
        parse_file(text, &mut blocks, &mut errors);
        let positions: Vec<_> = blocks
            .iter()
            .map(|b| (b.position.block, b.position.line))
            .collect();
        assert_eq!(positions, [(1, 2), (5, 13)]);
        let bad: Vec<_> = errors
            .iter()
            .map(|e| (e.position().unwrap().block, e.to_string()))
            .collect();
        assert_eq!(
            bad,
            [
                (
                    2,
                    "line 5 (block 2): PEM block \"CERTIFICATE\" is not valid base64".to_owned()
                ),
                (
                    3,
                    "line 8 (block 3): PEM block \"CERTIFICATE\" has no END line".to_owned()
                ),
            ]
        );
    }

    /// Found by the property test `good_certificates_survive_damage_to_one_block`
    /// (trust/tests/properties.rs): a NUL after the closing dashes of a `TRUSTED CERTIFICATE`
    /// BEGIN line made the whole block vanish without an error.
    #[test]
    fn a_malformed_begin_line_is_reported_not_skipped() {
        let cases: &[(&[u8], usize)] = &[
            (
                b"-----BEGIN TRUSTED CERTIFICATE-----\0\nMAA=\n-----END TRUSTED CERTIFICATE-----\n",
                1,
            ),
            (
                b"  -----BEGIN CERTIFICATE----x\nMAA=\n-----END CERTIFICATE-----\n",
                1,
            ),
            (
                b"-----BEGIN CERTIFICATE\nMAA=\n-----END CERTIFICATE-----\n",
                1,
            ),
            // Prose that mentions a BEGIN line is not a block.
            (b"# see -----BEGIN CERTIFICATE----- below\n", 0),
        ];
        for &(text, expected) in cases {
            let (mut blocks, mut errors) = (Vec::new(), Vec::new());
            parse_pem(text, &mut blocks, &mut errors);
            assert!(blocks.is_empty(), "{:?}", String::from_utf8_lossy(text));
            assert_eq!(
                errors.len(),
                expected,
                "{:?}",
                String::from_utf8_lossy(text)
            );
            for err in &errors {
                assert!(matches!(err.kind(), ErrorKind::MalformedPemHeader));
                assert_eq!(
                    err.to_string(),
                    "line 1 (block 1): malformed PEM BEGIN line"
                );
            }
        }
        // A good block after a malformed one keeps its own number.
        let text = b"-----BEGIN CERTIFICATE-----x\n-----BEGIN CERTIFICATE-----\nMAA=\n\
            -----END CERTIFICATE-----\n";
        let (mut blocks, mut errors) = (Vec::new(), Vec::new());
        parse_pem(text, &mut blocks, &mut errors);
        assert_eq!((blocks.len(), errors.len()), (1, 1));
        assert_eq!(blocks[0].position, Position { block: 2, line: 2 });
    }

    #[test]
    fn der_files() {
        let (mut blocks, mut errors) = (Vec::new(), Vec::new());
        parse_file(&[0x30, 0x01, 0x00], &mut blocks, &mut errors);
        parse_file(&[0x30, 0x05, 0x00], &mut blocks, &mut errors);
        parse_file(b"hello", &mut blocks, &mut errors);
        parse_file(b"\n \n", &mut blocks, &mut errors);
        assert_eq!(blocks.len(), 1);
        assert_eq!(errors.len(), 2);
        assert!(matches!(errors[1].kind(), ErrorKind::NoCertificate));
    }

    #[test]
    fn pem_der_round_trip() {
        let mut der = vec![0x30, 0x82, 0x01, 0x00];
        der.extend(0..=255u8);
        let pem = der_to_pem(&der);
        assert!(pem.lines().all(|l| l.len() <= 64));
        assert_eq!(pem_to_der(&pem).unwrap(), der);
        assert!(matches!(
            pem_to_der("nothing").unwrap_err().kind(),
            ErrorKind::NoCertificate
        ));
    }
}
