//! Hashing a regular file through memory maps, on Linux x86-64: the one module of the crate with
//! `unsafe` code (system calls through `libc`, and a prefetch instruction).
//!
//! # Why
//!
//! `read(2)` copies every byte from the page cache into a buffer before the hash reads it; on
//! the machines we measure that copy is 15-45% of the time `openssl dgst` takes for a cached
//! file (docs/BENCHMARKS.md). A mapped file is hashed where it lies. Mapping alone is not
//! enough: in a virtual machine every new 4 KiB page costs a nested page walk that the hardware
//! prefetcher does not start, so the hash stalls at each page boundary and a plain mapping is
//! *slower* than `read`. A software prefetch of the page eight pages ahead hides it.
//!
//! # When it is safe
//!
//! A mapped page whose file was truncated under it, or whose read from the disk fails, raises
//! `SIGBUS`, which kills the process. So a file is mapped only under these rules, and read with
//! `read(2)` otherwise:
//!
//! - **No truncation while mapped.** The file is mapped only while this process holds a read
//!   lease on it (`fcntl(F_SETLEASE, F_RDLCK)`): the kernel grants it only when no one has the
//!   file open for writing (so no one can `ftruncate` it) and makes any later `open` for
//!   writing, `truncate(2)` or `O_TRUNC` wait until the lease is released or the system's
//!   `lease-break-time` has passed (45 s by default). The lease is checked before each 4 MiB
//!   window; when a writer is waiting, the lease is released at once and the rest of the file is
//!   read with `pread`, as `read(2)` would have seen it. The lease is refused to a process that
//!   does not own the file (without `CAP_LEASE`), on file systems without leases (NFS, FUSE)
//!   and when `lease-break-time` is under one second: those files are read.
//! - **No read error while mapped.** Each window is populated with
//!   `madvise(MADV_POPULATE_READ)` (Linux 5.14) before it is touched; a page that cannot be
//!   read fails that call instead of raising `SIGBUS`, and the window is then read with `pread`,
//!   which returns the error.
//! - **No signal.** A lease break is announced with a signal, by default `SIGIO`, which would
//!   terminate the process. The descriptor's signal is set to `SIGURG` (ignored by default) for
//!   the instant between taking the lease and clearing its owner with `F_SETOWN 0`, after which
//!   a break sends no signal at all and is noticed by polling `F_GETLEASE`. When the process
//!   has a handler for `SIGURG`, nothing is mapped. The descriptor's signal is restored after.
//!
//! What remains: a page evicted from memory between its population and its read (a few
//! milliseconds) whose re-read from the disk then fails, or a process stopped for longer than
//! `lease-break-time` in the middle of one window while another truncates the file.

use std::fs::File;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::OnceLock;

/// Bytes mapped at a time. Small enough that the slowest hash here (SHA3-512, about 300 MB/s)
/// crosses a window in under 15 ms, so a waiting writer is let through quickly; large enough
/// that the `mmap`/`madvise`/`munmap` calls per window cost nothing measurable.
const WINDOW: usize = 4 << 20;

/// Bytes per step between prefetches: one page.
const PAGE: usize = 4096;

/// How far ahead the prefetch reaches, in pages (2 to 8 measured alike here; 32 was slower).
const PREFETCH_PAGES: usize = 8;

/// `F_SETSIG`/`F_GETSIG` (Linux `fcntl.h`; not exported by `libc` for every target).
const F_SETSIG: libc::c_int = 10;
const F_GETSIG: libc::c_int = 11;

/// How a mapped hash ended.
pub(crate) enum Mapped {
    /// The file was not mapped (no lease, no `MADV_POPULATE_READ`): read it from the start.
    Declined,
    /// The first `done` bytes were hashed from the mapping; read the rest from there on.
    Partial { done: u64 },
    /// The whole file, `done` bytes, was hashed.
    Complete { done: u64 },
}

/// Hashes `file` (a regular file of `len` bytes, read from offset 0) through windows of a
/// memory map, calling `feed` with consecutive pieces and `progress` with the bytes done.
pub(crate) fn hash(
    file: &File,
    len: u64,
    feed: &mut dyn FnMut(&[u8]),
    progress: &mut dyn FnMut(u64),
) -> Mapped {
    if !lease_break_time_ok() {
        return Mapped::Declined;
    }
    let Some(lease) = Lease::take(file.as_raw_fd()) else {
        return Mapped::Declined;
    };
    // Under the lease nobody can change the size; read it again in case it changed before.
    let len = match file.metadata() {
        Ok(meta) => meta.len().min(len),
        Err(_) => return Mapped::Declined,
    };
    let mut done = 0u64;
    while done < len {
        if !lease.held() {
            return Mapped::Partial { done };
        }
        let want = usize::try_from(len - done).map_or(WINDOW, |rest| rest.min(WINDOW));
        let Some(window) = Window::map(lease.fd, done, want) else {
            return if done == 0 {
                Mapped::Declined
            } else {
                Mapped::Partial { done }
            };
        };
        window.hash(feed);
        done += want as u64;
        progress(done);
    }
    Mapped::Complete { done }
}

/// Whether the system's `lease-break-time` leaves us time to notice a writer (at least 1 s).
fn lease_break_time_ok() -> bool {
    static OK: OnceLock<bool> = OnceLock::new();
    *OK.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/fs/lease-break-time")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .is_some_and(|seconds| seconds >= 1)
    })
}

/// A read lease on a descriptor, released (and its signal restored) on drop.
struct Lease {
    fd: RawFd,
    old_signal: libc::c_int,
}

impl Lease {
    fn take(fd: RawFd) -> Option<Self> {
        if !sigurg_is_default() {
            return None;
        }
        // SAFETY: `fcntl` with `F_GETSIG` takes no pointer; `fd` is open for the lifetime of
        // the borrowed `File`, and an invalid one only returns -1.
        let old_signal = unsafe { libc::fcntl(fd, F_GETSIG) };
        if old_signal < 0 {
            return None;
        }
        // SAFETY: as above; the argument is an integer signal number.
        if unsafe { libc::fcntl(fd, F_SETSIG, libc::SIGURG) } != 0 {
            return None;
        }
        // SAFETY: as above; `F_RDLCK` is an integer lease type.
        if unsafe { libc::fcntl(fd, libc::F_SETLEASE, libc::F_RDLCK) } != 0 {
            // SAFETY: as above.
            unsafe { libc::fcntl(fd, F_SETSIG, old_signal) };
            return None;
        }
        let lease = Self { fd, old_signal };
        // Owner 0: a lease break sends no signal; `held` notices it instead.
        // SAFETY: as above; 0 is an integer process id meaning "nobody".
        if unsafe { libc::fcntl(fd, libc::F_SETOWN, 0) } != 0 {
            return None; // dropped: released
        }
        Some(lease)
    }

    /// Whether the lease is still ours with no writer waiting (a pending break reads as
    /// `F_UNLCK`).
    fn held(&self) -> bool {
        // SAFETY: `fcntl` with `F_GETLEASE` takes no pointer.
        unsafe { libc::fcntl(self.fd, libc::F_GETLEASE) == libc::F_RDLCK }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        // SAFETY: integer arguments only, on the descriptor the lease was taken on.
        unsafe {
            libc::fcntl(self.fd, libc::F_SETLEASE, libc::F_UNLCK);
            libc::fcntl(self.fd, F_SETSIG, self.old_signal);
        }
    }
}

/// Whether `SIGURG` has its default (ignoring) disposition or is ignored, so that the one
/// signal a lease break might send in the instant before `F_SETOWN 0` goes nowhere.
fn sigurg_is_default() -> bool {
    // SAFETY: an all-zero `sigaction` is a valid value of the plain C struct.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: a null `act` only queries; `old` is a valid, writable `sigaction`.
    if unsafe { libc::sigaction(libc::SIGURG, std::ptr::null(), &raw mut old) } != 0 {
        return false;
    }
    old.sa_sigaction == libc::SIG_DFL || old.sa_sigaction == libc::SIG_IGN
}

/// One read-only, populated window of a file's mapping, unmapped on drop.
struct Window {
    ptr: *mut libc::c_void,
    len: usize,
}

impl Window {
    /// Maps `len` bytes of `fd` from `offset` (a multiple of [`WINDOW`], so of the page size)
    /// and populates them; `None` when either call fails.
    fn map(fd: RawFd, offset: u64, len: usize) -> Option<Self> {
        let offset = libc::off_t::try_from(offset).ok()?;
        // SAFETY: a new private read-only mapping chosen by the kernel (null hint) overlaps no
        // Rust object; the result is checked against MAP_FAILED before use.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                fd,
                offset,
            )
        };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        let window = Self { ptr, len };
        // SAFETY: `ptr..ptr+len` is the mapping just made. MADV_POPULATE_READ faults every
        // page in, and fails (EFAULT, EIO) rather than raise SIGBUS for a page past the end of
        // the file or one that cannot be read; EINVAL before Linux 5.14.
        if unsafe { libc::madvise(ptr, len, libc::MADV_POPULATE_READ) } != 0 {
            return None; // dropped: unmapped
        }
        Some(window)
    }

    /// Feeds the window to `feed` a page at a time, prefetching ahead.
    fn hash(&self, feed: &mut dyn FnMut(&[u8])) {
        // SAFETY: the mapping is `len` readable, populated bytes; it lives until `self` is
        // dropped and nothing writes through it (PROT_READ, MAP_PRIVATE). The file under it
        // cannot shrink while the caller holds its lease (module docs).
        let bytes = unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) };
        for (i, page) in bytes.chunks(PAGE).enumerate() {
            if let Some(ahead) = bytes.get((i + PREFETCH_PAGES) * PAGE) {
                prefetch(ahead);
            }
            feed(page);
        }
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        // SAFETY: `ptr`/`len` are exactly the mapping `map` made, and no slice of it outlives
        // `hash`.
        unsafe { libc::munmap(self.ptr, self.len) };
    }
}

/// Asks the CPU to start loading the cache line holding `byte` (and to walk its page tables).
#[inline(always)]
fn prefetch(byte: &u8) {
    use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
    // SAFETY: a prefetch never faults and changes no memory; the pointer comes from a live
    // reference anyway. SSE is part of the x86-64 baseline.
    unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(byte).cast::<i8>()) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn temp(name: &str, data: &[u8]) -> (std::path::PathBuf, File) {
        let path =
            std::env::temp_dir().join(format!("palisade-mapped-{}-{name}", std::process::id()));
        File::create(&path).unwrap().write_all(data).unwrap();
        let file = File::open(&path).unwrap();
        (path, file)
    }

    fn collect(file: &File, len: u64) -> (Mapped, Vec<u8>, Vec<u64>) {
        let mut seen = Vec::new();
        let mut steps = Vec::new();
        let end = hash(file, len, &mut |b| seen.extend_from_slice(b), &mut |n| {
            steps.push(n);
        });
        (end, seen, steps)
    }

    #[test]
    fn a_mapped_file_is_fed_whole_and_in_order() {
        let data: Vec<u8> = (0..WINDOW * 2 + 12_345)
            .map(|i| (i * 7 % 251).to_le_bytes()[0])
            .collect();
        let (path, file) = temp("whole", &data);
        let (end, seen, steps) = collect(&file, data.len() as u64);
        std::fs::remove_file(&path).unwrap();
        match end {
            Mapped::Complete { done } => {
                assert_eq!(done, data.len() as u64);
                assert!(seen == data, "mapped bytes differ from the file");
                assert_eq!(steps.len(), 3);
                assert_eq!(steps.last().copied(), Some(done));
            }
            // A file system without leases (or a kernel before 5.14) declines: still correct.
            Mapped::Declined => println!("SKIPPED: mapping declined here"),
            Mapped::Partial { .. } => panic!("no writer, yet the lease broke"),
        }
    }

    #[test]
    fn a_writer_waiting_stops_the_mapping_and_releases_the_lease() {
        let data = vec![1u8; WINDOW * 3];
        let (path, file) = temp("writer", &data);
        let mut opened = None;
        let mut seen = 0usize;
        let end = hash(
            &file,
            data.len() as u64,
            &mut |b| seen += b.len(),
            &mut |done| {
                if done == WINDOW as u64 && opened.is_none() {
                    // Another opener for writing blocks on our lease: do it on a thread.
                    let path = path.clone();
                    opened = Some(std::thread::spawn(move || {
                        std::fs::OpenOptions::new().write(true).open(path).map(drop)
                    }));
                    // Give the kernel time to register the break.
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
            },
        );
        let writer = opened.map(|t| t.join().unwrap());
        std::fs::remove_file(&path).unwrap();
        match end {
            Mapped::Partial { done } => {
                assert_eq!(done, WINDOW as u64);
                assert_eq!(seen, WINDOW);
                assert!(writer.unwrap().is_ok(), "the writer got its file");
            }
            Mapped::Declined => println!("SKIPPED: mapping declined here"),
            Mapped::Complete { .. } => panic!("the waiting writer was not noticed"),
        }
    }

    #[test]
    fn a_file_open_for_writing_is_not_mapped() {
        let (path, file) = temp("open-writer", &[5u8; 100_000]);
        let _writer = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        let (end, seen, _) = collect(&file, 100_000);
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(end, Mapped::Declined));
        assert!(seen.is_empty());
    }
}
