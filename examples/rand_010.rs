//! The OS CSPRNG behind `rand` 0.10: shuffles a slice and draws numbers in ranges with
//! `palisade::random::SystemRandom`.
//!
//!     cargo run --example rand_010
//!
//! `SystemRandom` implements rand_core 0.10's fallible `TryRng` and `TryCryptoRng` (an OS
//! failure is an `Err`, not a panic). `rand`'s `shuffle` and `random_range` take an infallible
//! `Rng`: `UnwrapErr` makes one of it, and a `CryptoRng` too, panicking on an OS failure. Code
//! that must not panic calls `SystemRandom`'s `try_*` methods, or `palisade::random::shuffle`
//! and `randbelow`, which return the error.
// An example prints its result.
#![allow(clippy::print_stdout)]

use palisade::random::SystemRandom;
use palisade::random::rand_core::{CryptoRng, TryRng, UnwrapErr};
use rand::RngExt as _;
use rand::seq::SliceRandom as _;

/// Where key material is made: any `CryptoRng` will do, `SystemRandom` among them.
fn session_key(rng: &mut impl CryptoRng) -> [u8; 16] {
    let mut key = [0; 16];
    rng.fill_bytes(&mut key);
    key
}

fn main() -> Result<(), palisade::random::Error> {
    let mut rng = UnwrapErr(SystemRandom);

    let mut deck: Vec<u32> = (1..=10).collect();
    deck.shuffle(&mut rng);
    println!("shuffled: {deck:?}");

    let die: u8 = rng.random_range(1..=6);
    println!("die: {die}");
    let fraction: f64 = rng.random_range(0.0..1.0);
    println!("fraction: {fraction:.6}");
    let index = rng.random_range(..deck.len());
    println!("pick: deck[{index}] = {}", deck[index]);

    let key = session_key(&mut rng);
    println!(
        "key: {}",
        key.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );

    // Without the wrapper, every draw is a `Result`.
    let word = SystemRandom.try_next_u64()?;
    println!("u64: {word}");
    Ok(())
}
