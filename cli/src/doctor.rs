//! `palisade doctor`: a report of what this machine offers a secure program.
//!
//! The report has a `system` section and one section per crate. Each section holds facts
//! (name and value) and checks (name, status, detail). The command exits 1 when any check
//! failed, so `palisade doctor` can gate a deployment.

use std::env;
use std::io::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use palisade::digest::Algorithm;
use serde_json::{Map, Value, json};

use crate::Outcome;
use crate::args::DoctorArgs;
use crate::output::{self, Format, utc};
use crate::report::{Section, Status};

/// Runs `palisade doctor`.
pub(crate) fn run(args: &DoctorArgs) -> anyhow::Result<Outcome> {
    let report = Report::collect();
    let mut out = io::stdout().lock();
    match args.format {
        Format::Json => output::json(&mut out, &report.to_json())?,
        Format::Text => report.write_text(&mut out)?,
    }
    out.flush()?;
    Ok(match report.status() {
        Status::Fail => Outcome::No,
        Status::Info | Status::Pass | Status::Warn => Outcome::Yes,
    })
}

/// The whole report.
#[derive(Debug)]
pub(crate) struct Report {
    sections: Vec<Section>,
}

impl Report {
    /// Gathers every section. Sections never fail as a whole: a problem is a failed check.
    fn collect() -> Self {
        Self {
            sections: vec![
                system_section(),
                crate::roots::doctor_section(crate_title("trust", "palisade-trust")),
                digest_section(),
                crate::random::doctor_section(crate_title("random", "palisade-random")),
                verify_section(),
                crate::connect::doctor_section(crate_title("tls", "palisade")),
            ],
        }
    }

    /// The worst status of any section.
    fn status(&self) -> Status {
        self.sections
            .iter()
            .map(Section::status)
            .max()
            .unwrap_or(Status::Info)
    }

    fn to_json(&self) -> Value {
        let mut sections = Map::new();
        for section in &self.sections {
            sections.insert(section.name().to_owned(), section.to_json());
        }
        json!({
            "palisade": VERSION,
            "status": self.status().as_str(),
            "sections": sections,
        })
    }

    fn write_text(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "palisade doctor {VERSION}")?;
        for section in &self.sections {
            writeln!(out)?;
            section.write_text(out)?;
        }
        let count = |status| self.sections.iter().map(|s| s.count(status)).sum::<usize>();
        writeln!(out)?;
        writeln!(
            out,
            "status: {} ({} passed, {} warnings, {} failed)",
            self.status().as_str(),
            count(Status::Pass),
            count(Status::Warn),
            count(Status::Fail)
        )
    }
}

/// Operating system, architecture and the versions Palisade was built with.
fn system_section() -> Section {
    let mut section = Section::new("system", "system");
    section
        .fact("os", env::consts::OS)
        .fact("family", env::consts::FAMILY)
        .fact("arch", env::consts::ARCH)
        .fact("palisade", VERSION)
        .fact("rustc", RUSTC_VERSION);
    let (status, detail) = clock_check(SystemTime::now(), build_time());
    section.check("system clock", status, detail);
    section
}

/// Certificate validity is judged against the system clock: a clock set before this binary was
/// built (a dead RTC battery, a fresh VM) makes every certificate look "not yet valid".
fn clock_check(now: SystemTime, built: SystemTime) -> (Status, String) {
    // A day of slack for builds on machines whose own clock runs ahead.
    match now.checked_add(Duration::from_secs(86_400)) {
        Some(later) if later >= built => (Status::Pass, format!("{} UTC", utc(now))),
        _ => (
            Status::Fail,
            format!(
                "the clock reads {} UTC, before this binary was built ({} UTC): certificates \
                 will look not yet valid",
                utc(now),
                utc(built)
            ),
        ),
    }
}

fn build_time() -> SystemTime {
    let secs = BUILD_EPOCH.parse().unwrap_or(0);
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// `palisade-verify`: the default policy and a known-answer self-test of the RFC 9525 rules.
fn verify_section() -> Section {
    let mut section = crate_section("verify", "palisade-verify");
    section
        .fact("standard", "RFC 9525 (obsoletes RFC 6125)")
        .fact("cn fallback", "off by default")
        .fact("idna", "IDNA2008, UTS #46 non-transitional");
    let report = palisade::verify::self_test();
    if report.failures.is_empty() {
        section.check(
            "host-name self-test",
            Status::Pass,
            format!("{} known answers", report.passed),
        );
    } else {
        section.check(
            "host-name self-test",
            Status::Fail,
            format!(
                "{} of {} known answers wrong: {}",
                report.failures.len(),
                report.passed + report.failures.len(),
                report.failures.join("; ")
            ),
        );
    }
    // UTS #46 non-transitional processing keeps ß (transitional processing made it "ss").
    let (status, detail) = match palisade::verify::ServerName::try_from("fa\u{df}.de") {
        Ok(name) if name.to_string() == "xn--fa-hia.de" => {
            (Status::Pass, "fa\u{df}.de is xn--fa-hia.de".to_owned())
        }
        Ok(name) => (Status::Fail, format!("fa\u{df}.de became {name}")),
        Err(err) => (Status::Fail, err.to_string()),
    };
    section.check("IDNA mapping", status, detail);
    section
}

/// The title of a member crate's section.
fn crate_title(name: &str, package: &str) -> String {
    format!("{name} ({package} {VERSION})")
}

/// `palisade-digest`: the algorithms on offer and a known-answer self-test of each, of HMAC,
/// PBKDF2 and `compare_digest`.
fn digest_section() -> Section {
    let mut section = crate_section("digest", "palisade-digest");
    let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.name()).collect();
    section.fact("algorithms", names.join(" "));
    for test in palisade::digest::self_test() {
        let status = if test.passed {
            Status::Pass
        } else {
            Status::Fail
        };
        section.check(format!("self-test {}", test.name), status, test.detail);
    }
    section
}

/// The section of one member crate, before that crate contributes checks of its own.
fn crate_section(name: &'static str, package: &str) -> Section {
    let mut section = Section::new(name, crate_title(name, package));
    section.fact("crate", package).fact("version", VERSION);
    section
}

/// Every Palisade crate shares the workspace version.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The compiler that built this binary, recorded by `build.rs`.
const RUSTC_VERSION: &str = env!("PALISADE_RUSTC_VERSION");

/// When this binary was built, in seconds since the Unix epoch, recorded by `build.rs`.
const BUILD_EPOCH: &str = env!("PALISADE_BUILD_EPOCH");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_check_decides_the_status() {
        let mut section = Section::new("x", "x");
        assert_eq!(section.status(), Status::Info);
        section.check("a", Status::Pass, "");
        assert_eq!(section.status(), Status::Pass);
        section.check("b", Status::Fail, "broken");
        section.check("c", Status::Warn, "");
        assert_eq!(section.status(), Status::Fail);
        let report = Report {
            sections: vec![system_section(), section],
        };
        assert_eq!(report.status(), Status::Fail);
        assert_eq!(report.to_json()["status"], "fail");
    }

    #[test]
    fn clock_before_the_build_fails() {
        let built = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(clock_check(built, built).0, Status::Pass);
        let early = built - Duration::from_secs(2 * 86_400);
        let (status, detail) = clock_check(early, built);
        assert_eq!(status, Status::Fail);
        assert!(detail.contains("2023-11-12 22:13:20"), "{detail}");
    }

    #[test]
    fn digest_section_self_tests_every_algorithm() {
        let section = digest_section();
        assert_eq!(section.status(), Status::Pass);
        for alg in Algorithm::ALL {
            let name = format!("self-test {}", alg.name());
            assert!(section.has_check(&name), "{name}");
        }
        assert!(section.has_check("self-test compare_digest"));
    }

    #[test]
    fn utc_formats_known_instants() {
        for (secs, text) in [
            (0, "1970-01-01 00:00:00"),
            (951_782_400, "2000-02-29 00:00:00"),
            (1_700_000_000, "2023-11-14 22:13:20"),
            (4_102_444_799, "2099-12-31 23:59:59"),
        ] {
            assert_eq!(utc(UNIX_EPOCH + Duration::from_secs(secs)), text, "{secs}");
        }
    }

    #[test]
    fn text_report_lists_facts_and_checks() {
        let mut section = Section::new("x", "x title");
        section
            .fact("count", 3)
            .check("self-test", Status::Pass, "ok");
        let mut out = Vec::new();
        section.write_text(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "x title\n  count  3\n  [pass] self-test: ok\n"
        );
    }
}
