//! The Linux vDSO `getrandom` fast path (Linux 6.11+ on x86-64, 6.12+ on arm64).
//!
//! This is the only module of the crate with `unsafe` code. It does four things, each in its
//! own small `unsafe` block:
//!
//! 1. views the vDSO image the kernel mapped at `getauxval(AT_SYSINFO_EHDR)` as a byte slice;
//!    every ELF structure is then parsed from that slice with bounds checks, in safe code;
//! 2. turns the address of the exported `getrandom` symbol into a function pointer;
//! 3. calls it, once to ask for `struct vgetrandom_opaque_params` and then to fill buffers;
//! 4. maps the per-thread opaque states with the protection and flags the kernel asked for.
//!
//! The design follows the kernel's reference user, `tools/testing/selftests/vDSO/
//! vdso_test_getrandom.c`, and glibc 2.41's `sysdeps/unix/sysv/linux/getrandom.c`:
//! <https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/lib/vdso/getrandom.c>
//!
//! Every thread gets its own opaque state, taken from a process-wide free list on first use and
//! given back when the thread exits. The states live in pages mapped with the kernel's
//! `mmap_flags` (`MAP_DROPPABLE`): the kernel wipes them in a `fork()` child and may drop them
//! under memory pressure, and the vDSO code then reseeds from the kernel. So no random bytes can
//! repeat across `fork()`, without any help from us.
//!
//! Whenever anything is missing or fails (no vDSO, no symbol, an older kernel that does not
//! answer the parameter query, `mmap` failing, a contended free list, a re-entrant call from a
//! signal handler, an error from the vDSO), the caller falls back to the `getrandom` system
//! call for the bytes not yet filled.

use std::cell::Cell;
use std::ffi::{c_uint, c_void};
use std::ptr;
use std::sync::{Mutex, OnceLock, TryLockError};

/// What the kernel told us about its vDSO `getrandom`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Details {
    /// The exported symbol, e.g. `__vdso_getrandom`.
    pub(crate) symbol: &'static str,
    /// The symbol's version, e.g. `LINUX_2.6`.
    pub(crate) version: &'static str,
    /// `vgetrandom_opaque_params.size_of_opaque_state`: bytes of state per thread.
    pub(crate) state_size: usize,
    /// `vgetrandom_opaque_params.mmap_prot`.
    pub(crate) mmap_prot: u32,
    /// `vgetrandom_opaque_params.mmap_flags`.
    pub(crate) mmap_flags: u32,
}

/// The vDSO `getrandom` of this process, if the kernel offers it. Looked up once.
pub(crate) fn details() -> Option<Details> {
    vdso().map(|v| v.details)
}

/// Fills `dest` through the vDSO.
///
/// Returns `Err(filled)` when the vDSO cannot be used (now or at all), where `filled` is how
/// many leading bytes of `dest` were already filled: the caller fills the rest another way.
#[inline]
pub(crate) fn fill(dest: &mut [u8]) -> Result<(), usize> {
    let Some(vdso) = vdso() else {
        return Err(0);
    };
    // `try_with` fails only while this thread's locals are being destroyed.
    STATE
        .try_with(|state| state.fill(vdso, dest))
        .unwrap_or(Err(0))
}

/// The vDSO function and the parameters of its opaque state.
struct Vdso {
    function: GetrandomFn,
    page_size: usize,
    details: Details,
}

/// `ssize_t getrandom(void *buffer, size_t len, unsigned int flags, void *opaque_state,
/// size_t opaque_len)`, from `include/vdso/getrandom.h`.
type GetrandomFn = unsafe extern "C" fn(*mut c_void, usize, c_uint, *mut c_void, usize) -> isize;

/// `struct vgetrandom_opaque_params` from `include/uapi/linux/random.h`.
#[repr(C)]
#[derive(Default)]
struct OpaqueParams {
    size_of_opaque_state: u32,
    mmap_prot: u32,
    mmap_flags: u32,
    reserved: [u32; 13],
}

fn vdso() -> Option<&'static Vdso> {
    static VDSO: OnceLock<Option<Vdso>> = OnceLock::new();
    VDSO.get_or_init(find).as_ref()
}

/// Finds the vDSO `getrandom` and asks it for its state parameters.
fn find() -> Option<Vdso> {
    let base = auxval(libc::AT_SYSINFO_EHDR);
    let page_size = auxval(libc::AT_PAGESZ);
    if base == 0 || !page_size.is_power_of_two() {
        return None;
    }
    // The ELF header and program headers are in the vDSO's first page (checked in `image_len`),
    // which the kernel maps whole, readable, for the life of the process.
    // SAFETY: `base` is the start of the vDSO mapping, which is at least one page long and is
    // never unmapped or written while the process runs.
    let first_page = unsafe { std::slice::from_raw_parts(base as *const u8, page_size) };
    let len = elf::image_len(first_page)?;
    // SAFETY: `image_len` returned the end of the last `PT_LOAD` segment: the kernel maps the
    // whole vDSO image (`vdso_image.size`, which covers every loadable segment), read-only and
    // for the life of the process, at `base`.
    let image = unsafe { std::slice::from_raw_parts(base as *const u8, len) };
    let offset = elf::find_symbol(image, SYMBOL, VERSION)?;
    // SAFETY: `find_symbol` checked that `offset` is inside the image and that the symbol is a
    // defined, global function with the name and version under which the kernel exports
    // `getrandom`, whose C prototype `GetrandomFn` transcribes.
    let function: GetrandomFn =
        unsafe { std::mem::transmute::<*const u8, GetrandomFn>(image.as_ptr().add(offset)) };

    // "If `opaque_len` is ~0UL, ... `opaque_state` points to a `struct
    // vgetrandom_opaque_params` which is filled in", and 0 is returned (lib/vdso/getrandom.c).
    let mut params = OpaqueParams::default();
    // SAFETY: the documented parameter query: a null buffer of length 0, and a valid, writable
    // `vgetrandom_opaque_params`.
    let ret = unsafe {
        function(
            ptr::null_mut(),
            0,
            0,
            ptr::from_mut(&mut params).cast::<c_void>(),
            usize::MAX,
        )
    };
    let state_size = params.size_of_opaque_state as usize;
    if ret != 0 || state_size == 0 || state_size > page_size {
        return None;
    }
    Some(Vdso {
        function,
        page_size,
        details: Details {
            symbol: SYMBOL_NAME,
            version: VERSION_NAME,
            state_size,
            mmap_prot: params.mmap_prot,
            mmap_flags: params.mmap_flags,
        },
    })
}

/// An entry of the auxiliary vector, 0 when absent (or, impossibly, wider than `usize`).
fn auxval(key: libc::c_ulong) -> usize {
    // SAFETY: `getauxval` only reads the auxiliary vector the kernel gave this process.
    usize::try_from(unsafe { libc::getauxval(key) }).unwrap_or(0)
}

thread_local! {
    static STATE: ThreadState = const {
        ThreadState { state: Cell::new(ptr::null_mut()), busy: Cell::new(false) }
    };
}

/// This thread's opaque vDSO state, taken from [`POOL`] on first use.
struct ThreadState {
    state: Cell<*mut c_void>,
    /// Set while a call is in progress, so that a signal handler interrupting it does not
    /// use the same state concurrently (the vDSO code is not re-entrant on one state).
    busy: Cell<bool>,
}

impl ThreadState {
    #[inline]
    fn fill(&self, vdso: &Vdso, dest: &mut [u8]) -> Result<(), usize> {
        if self.busy.replace(true) {
            return Err(0);
        }
        let result = self.fill_unguarded(vdso, dest);
        self.busy.set(false);
        result
    }

    #[inline]
    fn fill_unguarded(&self, vdso: &Vdso, dest: &mut [u8]) -> Result<(), usize> {
        let mut state = self.state.get();
        if state.is_null() {
            state = take_state(vdso).ok_or(0usize)?;
            self.state.set(state);
        }
        let mut filled = 0;
        while filled < dest.len() {
            let rest = &mut dest[filled..];
            // SAFETY: `rest` is valid for writes of `rest.len()` bytes; `state` is an opaque
            // state of exactly `state_size` bytes inside a mapping made with the kernel's
            // `mmap_prot`/`mmap_flags`, not crossing a page boundary, used by this thread only
            // (the `busy` flag excludes re-entrant use from a signal handler).
            let ret = unsafe {
                (vdso.function)(
                    rest.as_mut_ptr().cast::<c_void>(),
                    rest.len(),
                    0,
                    state,
                    vdso.details.state_size,
                )
            };
            match usize::try_from(ret) {
                Ok(0) => return Err(filled),
                Ok(n) => filled += n.min(rest.len()),
                // Interrupted while the kernel's pool was still being initialised.
                Err(_) if ret == -(libc::EINTR as isize) => {}
                Err(_) => return Err(filled),
            }
        }
        Ok(())
    }
}

impl Drop for ThreadState {
    fn drop(&mut self) {
        let state = self.state.get();
        if !state.is_null() {
            give_back(state);
        }
    }
}

/// Opaque states not in use by any thread, as addresses.
static POOL: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// Takes a free state, mapping a new page of them when there is none.
///
/// Never blocks: if another thread holds the pool (or held it at `fork()`), this call gives up
/// and the caller uses the system call this time.
fn take_state(vdso: &Vdso) -> Option<*mut c_void> {
    let mut pool = match POOL.try_lock() {
        Ok(pool) => pool,
        Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(TryLockError::WouldBlock) => return None,
    };
    if pool.is_empty() {
        let page = map_page(vdso)?;
        // "Each opaque state must not cross a page boundary" (vdso_test_getrandom.c): states
        // are laid out from the page start, as many as fit whole.
        let per_page = vdso.page_size / vdso.details.state_size;
        pool.extend(
            (0..per_page)
                .rev()
                .map(|i| page + i * vdso.details.state_size),
        );
    }
    pool.pop().map(|address| address as *mut c_void)
}

/// Returns a thread's state to the pool when the thread exits. A state that cannot be
/// returned at once (the pool is contended) is left unused: a few hundred bytes, never reused.
fn give_back(state: *mut c_void) {
    for _ in 0..64 {
        match POOL.try_lock() {
            Ok(mut pool) => return pool.push(state as usize),
            Err(TryLockError::Poisoned(poisoned)) => {
                return poisoned.into_inner().push(state as usize);
            }
            Err(TryLockError::WouldBlock) => std::thread::yield_now(),
        }
    }
}

/// Maps one page for opaque states, with the protection and flags the kernel asked for.
fn map_page(vdso: &Vdso) -> Option<usize> {
    let prot = i32::try_from(vdso.details.mmap_prot).ok()?;
    let flags = i32::try_from(vdso.details.mmap_flags).ok()?;
    // SAFETY: an anonymous mapping at an address of the kernel's choosing (no fixed address, no
    // file), so it cannot alias any existing memory. It is never unmapped: states are reused.
    let page = unsafe { libc::mmap(ptr::null_mut(), vdso.page_size, prot, flags, -1, 0) };
    if page == libc::MAP_FAILED || page.is_null() {
        return None;
    }
    Some(page as usize)
}

#[cfg(target_arch = "x86_64")]
mod names {
    // arch/x86/entry/vdso/vdso.lds.S: `LINUX_2.6 { global: ... __vdso_getrandom; }`
    pub(super) const SYMBOL_NAME: &str = "__vdso_getrandom";
    pub(super) const VERSION_NAME: &str = "LINUX_2.6";
}

#[cfg(target_arch = "aarch64")]
mod names {
    // arch/arm64/kernel/vdso/vdso.lds.S: `LINUX_2.6.39 { global: ... __kernel_getrandom; }`
    pub(super) const SYMBOL_NAME: &str = "__kernel_getrandom";
    pub(super) const VERSION_NAME: &str = "LINUX_2.6.39";
}

use names::{SYMBOL_NAME, VERSION_NAME};

const SYMBOL: &[u8] = SYMBOL_NAME.as_bytes();
const VERSION: &[u8] = VERSION_NAME.as_bytes();

// Bounds-checked, safe parsing of the vDSO image (`vdso/elf.rs`).
mod elf;

/// A copy of this process's vDSO image, for tests that parse it as untrusted bytes.
#[cfg(test)]
fn copy_of_vdso() -> Option<Vec<u8>> {
    let base = auxval(libc::AT_SYSINFO_EHDR);
    let page_size = auxval(libc::AT_PAGESZ);
    if base == 0 {
        return None;
    }
    // SAFETY: as in `find`.
    let first_page = unsafe { std::slice::from_raw_parts(base as *const u8, page_size) };
    let len = elf::image_len(first_page)?;
    // SAFETY: as in `find`.
    Some(unsafe { std::slice::from_raw_parts(base as *const u8, len) }.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_kernel_offers_the_fast_path_or_the_reason_is_known() {
        // Linux 6.11+ on x86-64 and 6.12+ on arm64 export the symbol (the kernel selects
        // VDSO_GETRANDOM there), so on such a kernel finding nothing is a bug in `find`, not
        // a property of the machine; older kernels must give `None`, not a crash.
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        let since = if cfg!(target_arch = "aarch64") {
            (6, 12)
        } else {
            (6, 11)
        };
        let expected = kernel_version(&release).is_some_and(|v| v >= since);
        match details() {
            Some(d) => {
                eprintln!("vDSO getrandom: {d:?}");
                assert!(d.state_size > 0 && d.state_size <= 65536);
            }
            None => assert!(
                !expected,
                "no vDSO getrandom found on Linux {}",
                release.trim()
            ),
        }
    }

    /// `(major, minor)` of a kernel release string such as `6.18.44-fc-v1045`.
    fn kernel_version(release: &str) -> Option<(u32, u32)> {
        let mut parts = release.trim().split(['.', '-']);
        Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
    }

    #[test]
    fn kernel_versions_parse() {
        const CASES: &[(&str, Option<(u32, u32)>)] = &[
            ("6.18.44-fc-v1045\n", Some((6, 18))),
            ("6.11.0", Some((6, 11))),
            ("5.15.0-91-generic", Some((5, 15))),
            ("6.1-rc3", Some((6, 1))),
            ("", None),
            ("six", None),
        ];
        for &(release, expected) in CASES {
            assert_eq!(kernel_version(release), expected, "{release:?}");
        }
    }

    #[test]
    fn fills_every_length_and_leaves_nothing_behind() {
        if vdso().is_none() {
            eprintln!("skipped: no vDSO getrandom");
            return;
        }
        for len in [0, 1, 2, 31, 32, 33, 255, 256, 257, 4096, 65536, 1 << 20] {
            let mut buf = vec![0u8; len + 16];
            let (head, guard) = buf.split_at_mut(len);
            assert_eq!(fill(head), Ok(()), "length {len}");
            assert!(
                guard.iter().all(|&b| b == 0),
                "wrote past the end at length {len}"
            );
            if len >= 32 {
                assert!(head.iter().any(|&b| b != 0), "length {len} left all zeros");
            }
        }
    }

    #[test]
    fn threads_get_distinct_states_and_give_them_back() {
        if vdso().is_none() {
            eprintln!("skipped: no vDSO getrandom");
            return;
        }
        let outputs: Vec<[u8; 32]> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..32)
                .map(|_| {
                    scope.spawn(|| {
                        let mut buf = [0u8; 32];
                        while fill(&mut buf).is_err() {}
                        buf
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut sorted = outputs.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            outputs.len(),
            "two threads drew the same 32 bytes"
        );
        // Every exited thread gave its state back (or, rarely, dropped it under contention).
        assert!(!POOL.lock().unwrap().is_empty());
    }
}
