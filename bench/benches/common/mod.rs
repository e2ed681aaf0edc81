//! What the digest benches share (`mod common;` in `digest.rs` and `digest_ratios.rs`).

/// What generic RustCrypto code does with a MAC type: key it, feed the message, finalize.
pub(crate) fn generic_mac<M: rustcrypto_hmac::Mac + rustcrypto_hmac::KeyInit>(
    key: &[u8],
    msg: &[u8],
) -> rustcrypto_hmac::digest::Output<M> {
    let mut m = <M as rustcrypto_hmac::KeyInit>::new_from_slice(key).unwrap();
    rustcrypto_hmac::Mac::update(&mut m, msg);
    m.finalize().into_bytes()
}
