//! Checks whether a certificate (PEM or DER) is valid for a host, and says why not.
//!
//!     cargo run --example check_name -- verify/tests/data/certs/dns_wildcard.pem www.example.com
// An example prints its result.
#![allow(clippy::print_stdout)]

use std::error::Error;
use std::{env, fs};

use palisade::verify::{Certificate, Policy, ServerName, verify_hostname};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = env::args().skip(1);
    let (Some(path), Some(host)) = (args.next(), args.next()) else {
        return Err("usage: check_name CERT HOST".into());
    };
    let cert = Certificate::from_pem_or_der(&fs::read(&path)?)?;
    let host = ServerName::try_from(host.as_str())?;
    match verify_hostname(&cert, &host, &Policy::default()) {
        Ok(()) => println!("{path} is valid for {host}"),
        Err(mismatch) => {
            println!("{path} is not valid for {host}:");
            for rejected in &mismatch.presented {
                println!("  {rejected}");
            }
        }
    }
    Ok(())
}
