//! Property tests of bundle loading: the good certificates of a bundle survive any damage to
//! one of its blocks, arbitrary bytes never panic the loader, and PEM conversion round-trips.
//! Case counts are bounded so that `cargo test` stays fast; `fuzz/` explores further.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod util;

use std::path::Path;

use palisade_trust::{der_to_pem, pem_to_der};
use proptest::prelude::*;
use util::load_bundle;

/// Distinct certificates, some with `TRUSTED CERTIFICATE` trust settings.
const BLOCKS: &[&str] = &[
    include_str!("data/root_a.pem"),
    include_str!("data/root_b.pem"),
    include_str!("data/root_c_rejected.pem"),
    include_str!("data/root_email_trusted.pem"),
    include_str!("data/root_expired.pem"),
    include_str!("data/leaf_a.pem"),
    include_str!("data/snakeoil.pem"),
];

/// What happens to the one damaged block.
#[derive(Clone, Debug)]
enum Damage {
    /// Cut after this many bytes (so it loses its END line, at least).
    Truncate(usize),
    /// One byte replaced, anywhere in the block, its BEGIN and END lines included.
    Replace(usize, u8),
    /// Bytes inserted somewhere in the block.
    Insert(usize, Vec<u8>),
    /// The block is replaced by arbitrary bytes (without a `-----BEGIN `, so that they do not
    /// start a block of their own that swallows the next one).
    Garbage(Vec<u8>),
    /// Its END line removed.
    NoEnd,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<usize>().prop_map(Damage::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Damage::Replace(at, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..40))
            .prop_map(|(at, bytes)| Damage::Insert(at, bytes)),
        prop::collection::vec(any::<u8>(), 0..200).prop_map(Damage::Garbage),
        Just(Damage::NoEnd),
    ]
}

fn apply(block: &str, damage: &Damage) -> Vec<u8> {
    let mut bytes = block.as_bytes().to_vec();
    // The block's last line break separates it from the next block: it is not part of the
    // block's damage (a block glued to the END line of the previous one is still found).
    let body_len = bytes.len() - 1;
    match damage {
        Damage::Truncate(at) => bytes.truncate(at % body_len),
        Damage::Replace(at, b) => bytes[at % body_len] = *b,
        Damage::Insert(at, extra) => {
            let at = at % body_len;
            bytes.splice(at..at, extra.iter().copied());
        }
        Damage::Garbage(garbage) => bytes = garbage.clone(),
        Damage::NoEnd => {
            let end = block.find("-----END").unwrap();
            bytes.truncate(end);
        }
    }
    // A damaged block may not smuggle in a second BEGIN: that is a new block, not damage.
    while let Some(at) = bytes.windows(11).skip(1).position(|w| w == b"-----BEGIN ") {
        bytes[at + 1] = b'#';
    }
    bytes.push(b'\n');
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn good_certificates_survive_damage_to_one_block(
        order in Just((0..BLOCKS.len()).collect::<Vec<_>>()).prop_shuffle(),
        count in 2..=BLOCKS.len(),
        victim in any::<prop::sample::Index>(),
        damage in damage(),
    ) {
        let order = &order[..count];
        let victim = victim.index(count);
        let mut bundle = Vec::new();
        for (i, &block) in order.iter().enumerate() {
            if i == victim {
                bundle.extend_from_slice(&apply(BLOCKS[block], &damage));
            } else {
                bundle.extend_from_slice(BLOCKS[block].as_bytes());
            }
        }
        let store = load_bundle(&bundle);
        // What the other blocks give on their own: the same anchors and the same distrust
        // (root_c_rejected.pem rejects serverAuth, so it is distrusted rather than an anchor).
        let mut others = Vec::new();
        for (i, &block) in order.iter().enumerate() {
            if i != victim {
                others.extend_from_slice(BLOCKS[block].as_bytes());
            }
        }
        let undamaged = load_bundle(&others);
        for anchor in undamaged.anchors() {
            prop_assert!(
                store.find(anchor.der()).is_some(),
                "{} lost; errors: {:?}",
                anchor.subject(),
                store.errors()
            );
        }
        for entry in undamaged.distrusted() {
            prop_assert!(
                store.distrust_for(&entry.spki).next().is_some(),
                "distrust of {:?} lost",
                entry
            );
        }
        // A damaged block whose BEGIN line is intact is either still good or reported: never
        // silently dropped. (Without its BEGIN line it is text between blocks, which PEM
        // allows and ignores.)
        let damaged = apply(BLOCKS[order[victim]], &damage);
        let first_line = BLOCKS[order[victim]].lines().next().unwrap();
        if damaged.starts_with(first_line.as_bytes()) {
            let alone = load_bundle(&damaged);
            prop_assert!(
                !alone.errors().is_empty() || !alone.anchors().is_empty()
                    || !alone.distrusted().is_empty(),
                "silently dropped: {:?}",
                String::from_utf8_lossy(&damaged)
            );
        }
        for err in store.errors() {
            prop_assert!(err.path() == Some(Path::new("/etc/ssl/cert.pem")), "{err}");
        }
    }

    #[test]
    fn arbitrary_bytes_load_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let store = load_bundle(&bytes);
        let blocks = bytes.windows(11).filter(|w| w == b"-----BEGIN ").count();
        prop_assert!(store.anchors().len() <= blocks.max(1));
        for err in store.errors() {
            prop_assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn pem_conversion_round_trips(content in prop::collection::vec(any::<u8>(), 0..3000)) {
        // Any DER SEQUENCE (pem_to_der checks the outer TLV, not what is inside).
        let mut der = vec![0x30];
        let len = u16::try_from(content.len()).unwrap().to_be_bytes();
        match content.len() {
            0..=0x7f => der.push(len[1]),
            0x80..=0xff => der.extend_from_slice(&[0x81, len[1]]),
            _ => der.extend_from_slice(&[0x82, len[0], len[1]]),
        }
        der.extend_from_slice(&content);
        prop_assert_eq!(pem_to_der(&der_to_pem(&der)).unwrap(), der);
    }
}
