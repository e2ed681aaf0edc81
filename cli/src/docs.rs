//! `palisade completions` and `palisade man`: generated from the parser's own definitions
//! (clap_complete, clap_mangen), so they cannot drift from what the command accepts.

use std::io::{self, Write};

use anyhow::{Context as _, bail};

use crate::Outcome;
use crate::args::{self, CompletionsArgs, ManArgs};

/// Writes the completion script for one shell to stdout.
pub(crate) fn completions(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut command = args::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, "palisade", &mut out);
    out.flush()?;
    Ok(Outcome::Yes)
}

/// Writes the manual page of `palisade` (or of one subcommand, as `palisade-NAME(1)`).
pub(crate) fn man(args: &ManArgs) -> anyhow::Result<Outcome> {
    let command = args::command();
    let page = match &args.subcommand {
        None => command,
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let names: Vec<&str> = command
                    .get_subcommands()
                    .map(clap::Command::get_name)
                    .collect();
                bail!("no subcommand {name:?} (known: {})", names.join(", "));
            };
            // clap_mangen names the page after the command: `palisade-hash`.
            sub.clone()
                .name(&*format!("palisade-{name}").leak()) // once per process
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut buf)
        .context("rendering the manual page")?;
    let mut out = io::stdout().lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(Outcome::Yes)
}
