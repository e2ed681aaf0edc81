//! Prints a URL-safe token: N random bytes (default 32) from the OS CSPRNG, base64url without
//! padding, like Python's `secrets.token_urlsafe`.
//!
//!     cargo run --example make_token -- 16
// An example prints its result.
#![allow(clippy::print_stdout)]

use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let n = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 32,
    };
    println!("{}", palisade::random::token_urlsafe(n)?);
    Ok(())
}
