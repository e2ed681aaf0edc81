//! `palisade random`: random bytes or unbiased integers from the OS CSPRNG, and the `random`
//! section of `palisade doctor`.

use std::io::{self, Write};
use std::time::Instant;

use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use palisade::random;

use crate::Outcome;
use crate::args::{RandomArgs, RandomEncoding};
use crate::report::{Section, Status};

/// Runs `palisade random`.
pub(crate) fn run(args: &RandomArgs) -> anyhow::Result<Outcome> {
    let mut out = io::BufWriter::with_capacity(CHUNK * 2, io::stdout().lock());
    match args.below {
        Some(n) => {
            for _ in 0..args.count {
                let x = random::randbelow(n).with_context(|| format!("--below {n}"))?;
                writeln!(out, "{x}")?;
            }
        }
        None => write_bytes(&mut out, args.bytes, args.encoding())?,
    }
    out.flush()?;
    Ok(Outcome::Yes)
}

/// Writes `n` random bytes in `encoding`, a chunk at a time so that any `n` fits in memory.
fn write_bytes(out: &mut impl Write, mut n: u64, encoding: RandomEncoding) -> anyhow::Result<()> {
    while n > 0 {
        // A multiple of 3, so that base64 chunks concatenate without inner padding.
        let len = usize::try_from(n.min(CHUNK as u64)).unwrap_or(CHUNK);
        n -= len as u64;
        match encoding {
            RandomEncoding::Hex => out.write_all(random::token_hex(len)?.as_bytes())?,
            RandomEncoding::Urlsafe => out.write_all(random::token_urlsafe(len)?.as_bytes())?,
            RandomEncoding::Base64 => {
                out.write_all(STANDARD.encode(random::urandom(len)?).as_bytes())?
            }
            RandomEncoding::Raw => out.write_all(&random::urandom(len)?)?,
        }
    }
    if encoding != RandomEncoding::Raw {
        writeln!(out)?;
    }
    Ok(())
}

/// The `random` section of `palisade doctor`: the path in use, a health check, and the time
/// of a 32-byte draw on each path.
pub(crate) fn doctor_section(title: String) -> Section {
    let mut section = Section::new("random", title);
    let backend = random::backend();
    section.fact("backend", backend.name());
    section.fact(
        "bulk",
        match random::preference() {
            random::Preference::Fastest => {
                "requests of 256 bytes or more: ChaCha20 keystream of a fresh kernel key"
            }
            _ => "system call only (PALISADE_RANDOM_BACKEND=syscall)",
        },
    );
    match random::vdso_details() {
        Some(vdso) => section.fact(
            "vdso",
            format!(
                "{} ({}), {} bytes of state per thread, mmap prot {:#x} flags {:#x}",
                vdso.symbol, vdso.version, vdso.state_size, vdso.mmap_prot, vdso.mmap_flags
            ),
        ),
        None => section.fact(
            "vdso",
            "not offered by this kernel (Linux 6.11+ x86-64, 6.12+ arm64)",
        ),
    };
    for path in [random::Backend::Vdso, random::Backend::SystemCall] {
        if let Some(ns) = nanoseconds_per_draw(path) {
            let name = match path {
                random::Backend::Vdso => "time_32_bytes_vdso",
                _ => "time_32_bytes_syscall",
            };
            section.fact(name, format!("{ns:.0} ns"));
        }
    }
    match random::health_check() {
        Ok(report) if report.passed() => section.check(
            "health",
            Status::Pass,
            format!(
                "{} draws of 32 bytes, none repeated; {} ones in {} bits, and {} in {} bits of \
                 one bulk draw (each within {} of half)",
                report.draws,
                report.ones,
                report.bits,
                report.bulk_ones,
                report.bulk_bits,
                report.max_deviation
            ),
        ),
        Ok(report) => section.check(
            "health",
            Status::Fail,
            format!(
                "{} of {} draws repeated; {} ones in {} bits, {} in {} bits of one bulk draw \
                 (allowed: within {} of half)",
                report.repeated_draws,
                report.draws,
                report.ones,
                report.bits,
                report.bulk_ones,
                report.bulk_bits,
                report.max_deviation
            ),
        ),
        Err(err) => section.check("health", Status::Fail, err.to_string()),
    };
    section
}

/// The mean time of a 32-byte draw through `backend`, over 2000 draws, if it is available.
fn nanoseconds_per_draw(backend: random::Backend) -> Option<f64> {
    const DRAWS: u32 = 2000;
    let mut buf = [0u8; 32];
    // The first call may set up this thread's vDSO state: keep it out of the timing.
    random::fill_with(backend, &mut buf).ok()?;
    let start = Instant::now();
    for _ in 0..DRAWS {
        random::fill_with(backend, &mut buf).ok()?;
    }
    Some(start.elapsed().as_secs_f64() * 1e9 / f64::from(DRAWS))
}

/// Bytes generated per chunk: 48 KiB, a multiple of 3.
const CHUNK: usize = 48 * 1024;
