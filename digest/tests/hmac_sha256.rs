//! `HmacSha256` as a `digest` 0.11 `Mac`: RFC 4231 and Wycheproof vectors, RustCrypto's
//! `hmac` 0.13 over `sha2` 0.11 on keys and messages of every length around the block size,
//! and `pbkdf2` 0.13's generic `pbkdf2::<HmacSha256>` against its own `pbkdf2_hmac::<Sha256>`.
//! Run with `--features digest`.
#![cfg(feature = "digest")]
#![allow(clippy::unwrap_used)]

mod common;

use common::bytes;

use digest::{FixedOutputReset, KeyInit, Mac, Reset, Update};
use palisade_digest::{Algorithm, HmacSha256, pbkdf2_hmac};
use rustcrypto_sha2::Sha256;

type Theirs = rustcrypto_hmac::Hmac<Sha256>;

fn tag(key: &[u8], msg: &[u8]) -> [u8; 32] {
    HmacSha256::new_from_slice(key)
        .unwrap()
        .chain_update(msg)
        .finalize()
        .into_bytes()
        .into()
}

#[test]
fn rfc4231_vectors() {
    let records = common::records(include_str!("data/hmac_sha256_rfc4231.txt"));
    assert_eq!(records.len(), 6);
    for record in records {
        let (key, msg, mac) = (
            record.bytes("key"),
            record.bytes("msg"),
            record.bytes("mac"),
        );
        assert_eq!(tag(&key, &msg)[..], mac[..], "{record:?}");
        let m = HmacSha256::new_from_slice(&key).unwrap().chain_update(&msg);
        assert!(m.verify_slice(&mac).is_ok(), "{record:?}");
    }
}

/// Wycheproof's valid and invalid tags, whole and truncated (128-bit tags are the left half).
#[test]
fn wycheproof_vectors() {
    let records = common::records(include_str!("data/hmac_sha256_wycheproof.txt"));
    assert!(records.len() > 100);
    for record in records {
        let (key, msg, mac) = (
            record.bytes("key"),
            record.bytes("msg"),
            record.bytes("mac"),
        );
        let valid = record.text("result") == "valid";
        let m = HmacSha256::new_from_slice(&key).unwrap().chain_update(&msg);
        let verdict = if mac.len() == 32 {
            m.verify_slice(&mac)
        } else {
            m.verify_truncated_left(&mac)
        };
        assert_eq!(verdict.is_ok(), valid, "{record:?}");
    }
}

/// Every key length from 0 to 2 blocks and a half (hashed past 64 bytes), every message
/// length up to 3 blocks and a half, in one update and in uneven pieces, against RustCrypto.
#[test]
fn matches_rustcrypto_hmac_at_every_length() {
    for key_len in 0..=160 {
        let key = bytes(key_len, key_len as u64);
        let ours = HmacSha256::new_from_slice(&key).unwrap();
        let theirs = Theirs::new_from_slice(&key).unwrap();
        for msg_len in (0..=224).filter(|n| key_len % 16 == 0 || n % 7 == key_len % 7) {
            let msg = bytes(msg_len, 1000 + msg_len as u64);
            let expected = theirs.clone().chain_update(&msg).finalize().into_bytes();
            let whole = ours.clone().chain_update(&msg).finalize().into_bytes();
            assert_eq!(whole, expected, "key {key_len} B, message {msg_len} B");
            let mut pieces = ours.clone();
            for piece in msg.chunks(1 + (key_len + msg_len) % 67) {
                Mac::update(&mut pieces, piece);
            }
            assert_eq!(pieces.finalize().into_bytes(), expected, "in pieces");
        }
    }
}

/// `finalize_reset` and `reset` keep the key; a clone runs on its own.
#[test]
fn reset_keeps_the_key() {
    for key_len in [0, 1, 32, 63, 64, 65, 200] {
        let key = bytes(key_len, 7);
        let mut m = HmacSha256::new_from_slice(&key).unwrap();
        for (i, len) in [0, 1, 55, 56, 64, 65, 1000].into_iter().enumerate() {
            let msg = bytes(len, i as u64);
            Update::update(&mut m, &msg);
            let copy = m.clone();
            assert_eq!(
                m.finalize_reset().into_bytes(),
                tag(&key, &msg),
                "{key_len}/{len}"
            );
            assert_eq!(
                copy.finalize().into_bytes(),
                tag(&key, &msg),
                "clone {key_len}/{len}"
            );
        }
        Update::update(&mut m, b"dropped");
        Reset::reset(&mut m);
        Update::update(&mut m, b"kept");
        let mut out = Default::default();
        m.finalize_into_reset(&mut out);
        assert_eq!(out, tag(&key, b"kept"));
        // After the reset above the state is fresh: the MAC of nothing.
        assert_eq!(m.finalize().into_bytes(), tag(&key, b""));
    }
}

/// `KeyInit::new`, the fixed-size (block-size) key, is `new_from_slice` of the same bytes.
#[test]
fn fixed_size_key() {
    let key = bytes(64, 3);
    let m = HmacSha256::new(key.as_slice().try_into().unwrap());
    assert_eq!(
        m.chain_update(b"msg").finalize().into_bytes(),
        tag(&key, b"msg")
    );
}

/// A generic RustCrypto consumer: `pbkdf2::pbkdf2::<HmacSha256>` gives what `pbkdf2` gives
/// with RustCrypto's own HMAC-SHA256, and what this crate's `pbkdf2_hmac` gives.
#[test]
fn pbkdf2_takes_it() {
    for (password_len, salt_len, rounds, out_len) in [
        (0, 0, 1, 32),
        (8, 16, 2, 20),
        (64, 8, 10, 64),
        (65, 32, 100, 33),
        (200, 4, 7, 100),
    ] {
        let (password, salt) = (bytes(password_len, 11), bytes(salt_len, 12));
        let mut ours = vec![0; out_len];
        rustcrypto_pbkdf2::pbkdf2::<HmacSha256>(&password, &salt, rounds, &mut ours).unwrap();
        let mut theirs = vec![0; out_len];
        rustcrypto_pbkdf2::pbkdf2_hmac::<Sha256>(&password, &salt, rounds, &mut theirs);
        assert_eq!(ours, theirs, "password {password_len} B, {rounds} rounds");
        let native = pbkdf2_hmac(Algorithm::Sha256, &password, &salt, rounds, out_len).unwrap();
        assert_eq!(ours, native, "password {password_len} B, {rounds} rounds");
    }
}
