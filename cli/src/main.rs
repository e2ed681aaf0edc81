//! The `palisade` command: what this machine offers a secure program, from the shell.
//!
//! `main` is thin: it parses the arguments, runs one subcommand and maps the outcome to the
//! exit-code convention every subcommand follows:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | a well-formed "no": a mismatch, not trusted, a check that failed |
//! | 2 | an error: bad arguments, an unreadable file, ... (message on stderr, prefixed `palisade:`) |
//!
//! A closed stdout (`palisade roots | head`) ends the program quietly with status 0.

#[cfg(not(any(feature = "rustls", feature = "openssl")))]
compile_error!("palisade-cli needs a TLS backend: the `rustls` feature (default) or `openssl`");

use std::io;
use std::process::ExitCode;

mod args;
mod check;
mod connect;
mod diag;
mod docs;
mod doctor;
mod hash;
mod hmac;
mod match_host;
mod output;
mod pool;
mod progress;
mod random;
mod report;
mod roots;
mod sums;
mod verify;

use args::Command;

fn main() -> ExitCode {
    let cli = match args::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let result = match cli.command {
        Command::Connect(args) => connect::run(&args),
        Command::Doctor(args) => doctor::run(&args),
        Command::Hash(args) => hash::run(&args),
        Command::Hmac(args) => hmac::run(&args),
        Command::MatchHost(args) => match_host::run(&args),
        Command::Random(args) => random::run(&args),
        Command::Roots(args) => roots::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Completions(args) => docs::completions(&args),
        Command::Man(args) => docs::man(&args),
    };
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            output::error(&err);
            ExitCode::from(2)
        }
    }
}

/// What a subcommand concluded, when it ran without error.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Outcome {
    /// A well-formed "no": exit status 1.
    No,
    /// Success: exit status 0.
    Yes,
}

impl Outcome {
    fn exit_code(self) -> ExitCode {
        match self {
            Self::No => ExitCode::from(1),
            Self::Yes => ExitCode::SUCCESS,
        }
    }
}

/// Whether the error, or anything in its chain, is a write to a closed pipe.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
