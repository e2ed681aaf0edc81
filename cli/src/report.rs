//! The parts of a `palisade doctor` report: a [`Section`] of facts and checks, each check with
//! a [`Status`]. Below `doctor.rs` and the subcommands that contribute a section (`roots`,
//! `random`, `connect`), so neither imports the other.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

/// One part of the report: facts about the machine and checks that pass or fail.
#[derive(Debug)]
pub(crate) struct Section {
    name: &'static str,
    title: String,
    facts: Vec<(&'static str, Value)>,
    checks: Vec<Check>,
}

impl Section {
    pub(crate) fn new(name: &'static str, title: impl Into<String>) -> Self {
        Self {
            name,
            title: title.into(),
            facts: Vec::new(),
            checks: Vec::new(),
        }
    }

    /// Adds a fact: a name and a JSON value (strings print bare in text output).
    pub(crate) fn fact(&mut self, name: &'static str, value: impl Into<Value>) -> &mut Self {
        self.facts.push((name, value.into()));
        self
    }

    /// Adds a check with its outcome and a one-line detail.
    pub(crate) fn check(
        &mut self,
        name: impl Into<String>,
        status: Status,
        detail: impl Into<String>,
    ) -> &mut Self {
        self.checks.push(Check {
            name: name.into(),
            status,
            detail: detail.into(),
        });
        self
    }

    /// The section's key in JSON output (`trust`, `digest`, ...).
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    /// How many of its checks have `status`.
    pub(crate) fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }

    /// Whether it has a check of this name.
    #[cfg(test)]
    pub(crate) fn has_check(&self, name: &str) -> bool {
        self.checks.iter().any(|c| c.name == name)
    }

    /// The worst status of its checks.
    pub(crate) fn status(&self) -> Status {
        self.checks
            .iter()
            .map(|c| c.status)
            .max()
            .unwrap_or(Status::Info)
    }

    pub(crate) fn to_json(&self) -> Value {
        let facts: Map<String, Value> = self
            .facts
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let checks: Vec<Value> = self
            .checks
            .iter()
            .map(|c| json!({"name": c.name, "status": c.status.as_str(), "detail": c.detail}))
            .collect();
        json!({
            "title": self.title,
            "status": self.status().as_str(),
            "facts": facts,
            "checks": checks,
        })
    }

    pub(crate) fn write_text(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "{}", self.title)?;
        let width = self.facts.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (name, value) in &self.facts {
            let value = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            writeln!(out, "  {name:<width$}  {value}")?;
        }
        for check in &self.checks {
            let detail = if check.detail.is_empty() {
                String::new()
            } else {
                format!(": {}", check.detail)
            };
            writeln!(out, "  [{}] {}{detail}", check.status.as_str(), check.name)?;
        }
        Ok(())
    }
}

/// A check and its outcome.
#[derive(Debug)]
struct Check {
    name: String,
    status: Status,
    detail: String,
}

/// The outcome of a check, ordered from best to worst.
#[derive(Clone, Copy, Debug, Eq, Ord, PartialEq, PartialOrd)]
pub(crate) enum Status {
    /// Nothing to judge: a fact only.
    Info,
    /// The check passed.
    Pass,
    /// Works, but something deserves attention.
    Warn,
    /// The check failed.
    Fail,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Pass => "pass",
            Self::Warn => "warn",
            Self::Fail => "fail",
        }
    }
}
