//! Random bytes from the kernel: `fill`, `urandom`, and which path they take.

use std::sync::atomic::{AtomicU8, Ordering};

use chacha20::ChaCha20;
use chacha20::cipher::{KeyIvInit as _, StreamCipher as _};
use zeroize::Zeroizing;

use crate::{Error, vdso};

/// Fills `dest` with random bytes from the operating system's CSPRNG.
///
/// Equivalent to Python's `os.urandom`, writing into a buffer. How the bytes are made, with the
/// default [`Preference::Fastest`]:
///
/// | request | path |
/// |---|---|
/// | under 256 bytes | the kernel's generator through the vDSO `getrandom` (Linux 6.11+ x86-64, 6.12+ arm64), several times faster than a system call; elsewhere, or whenever the vDSO cannot be used, the `getrandom` system call or the platform's equivalent (the [`getrandom`] crate) |
/// | 256 bytes or more | 32 bytes from the kernel as above, used once as a ChaCha20 key (RFC 8439, zero nonce) whose keystream fills the buffer, 1 MiB per key; the key and cipher state are erased before returning |
///
/// The second row is the kernel's own construction (its generator expands a ChaCha20 key, and
/// the vDSO does so in user space), done with the SIMD ChaCha20 of RustCrypto's `chacha20`,
/// which is about three times faster on bulk requests than the kernel's code here. Nothing
/// survives the call: there is no generator state a `fork()`ed child could replay.
/// [`Preference::SystemCall`] turns both the vDSO and the expansion off.
///
/// # Errors
///
/// [`Error::Os`] when the operating system's generator fails. No weaker source is ever used
/// instead.
///
/// # Platform-specific behavior
///
/// Before the kernel's pool is initialised (early boot), Linux blocks until it is, on every
/// path, and never returns unseeded bytes; other systems behave as the [`getrandom`] crate
/// documents.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let mut key = [0u8; 32];
/// palisade_random::fill(&mut key)?;
/// # Ok(())
/// # }
/// ```
#[inline]
pub fn fill(dest: &mut [u8]) -> Result<(), Error> {
    if dest.is_empty() {
        return Ok(());
    }
    match preference() {
        Preference::Fastest if dest.len() >= EXPAND_FROM => expand(dest),
        Preference::Fastest => fill_kernel(dest),
        Preference::SystemCall => Ok(getrandom::fill(dest)?),
    }
}

/// Returns `n` random bytes from the operating system's CSPRNG.
///
/// Equivalent to Python's `os.urandom(n)`; see [`fill`].
///
/// # Errors
///
/// [`Error::TooLarge`] when `n` is over [`MAX_REQUEST`] (1 GiB) or `n` bytes cannot be
/// allocated (both checked before anything is allocated, so an absurd size is an error rather
/// than an abort), and [`Error::Os`] as for [`fill`].
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// let nonce = palisade_random::urandom(12)?;
/// assert_eq!(nonce.len(), 12);
/// # Ok(())
/// # }
/// ```
pub fn urandom(n: usize) -> Result<Vec<u8>, Error> {
    let mut out = allocate("urandom", n)?;
    fill(&mut out)?;
    Ok(out)
}

/// The path random bytes take from the kernel.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub enum Backend {
    /// The `getrandom` system call, or the platform's equivalent, through the [`getrandom`]
    /// crate.
    SystemCall,
    /// The Linux vDSO `getrandom` (Linux 6.11+ on x86-64, 6.12+ on arm64): the same kernel
    /// generator, without entering the kernel for each call.
    Vdso,
}

impl Backend {
    /// A short name for reports: `"system call"` or `"vDSO"`.
    ///
    /// # Examples
    ///
    /// ```
    /// println!("random bytes come from the {}", palisade_random::backend().name());
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Self::SystemCall => "system call",
            Self::Vdso => "vDSO",
        }
    }

    /// Whether this machine offers this backend.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_random::Backend;
    ///
    /// assert!(Backend::SystemCall.is_available());
    /// ```
    pub fn is_available(self) -> bool {
        match self {
            Self::SystemCall => true,
            Self::Vdso => vdso::details().is_some(),
        }
    }
}

/// Which backend [`fill`] may use: a process-wide switch, see [`set_preference`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub enum Preference {
    /// The fastest available path: the vDSO where the kernel offers it (the default).
    Fastest,
    /// Always the system call, e.g. to rule the fast path out when debugging.
    SystemCall,
}

/// Sets, for the whole process, which backend [`fill`] and everything built on it may use.
///
/// The initial value is [`Preference::Fastest`], or [`Preference::SystemCall`] when the
/// environment variable `PALISADE_RANDOM_BACKEND` is `syscall` when the first random byte is
/// drawn.
///
/// | `PALISADE_RANDOM_BACKEND` | initial preference |
/// |---|---|
/// | unset, or any other value | [`Preference::Fastest`] |
/// | `syscall` | [`Preference::SystemCall`] |
///
/// # Examples
///
/// ```
/// use palisade_random::{Backend, Preference};
///
/// palisade_random::set_preference(Preference::SystemCall);
/// assert_eq!(palisade_random::backend(), Backend::SystemCall);
/// palisade_random::set_preference(Preference::Fastest);
/// ```
pub fn set_preference(preference: Preference) {
    let value = match preference {
        Preference::Fastest => FASTEST,
        Preference::SystemCall => SYSTEM_CALL,
    };
    PREFERENCE.store(value, Ordering::Relaxed);
}

/// The current process-wide [`Preference`].
///
/// # Examples
///
/// ```
/// let preference = palisade_random::preference();
/// ```
#[inline]
pub fn preference() -> Preference {
    match PREFERENCE.load(Ordering::Relaxed) {
        FASTEST => Preference::Fastest,
        SYSTEM_CALL => Preference::SystemCall,
        _ => preference_from_environment(),
    }
}

/// The backend [`fill`] uses now, given the [`Preference`] and what this machine offers.
///
/// # Examples
///
/// ```
/// use palisade_random::Backend;
///
/// match palisade_random::backend() {
///     Backend::Vdso => println!("fast path: the kernel's vDSO"),
///     other => println!("{}", other.name()),
/// }
/// ```
pub fn backend() -> Backend {
    match preference() {
        Preference::Fastest if Backend::Vdso.is_available() => Backend::Vdso,
        Preference::Fastest | Preference::SystemCall => Backend::SystemCall,
    }
}

/// Fills `dest` through the given backend, whatever the [`Preference`]: for tests and
/// benchmarks that compare the two paths.
///
/// With [`Backend::Vdso`], bytes the vDSO cannot fill at that moment (for example on a thread's
/// first call while another thread holds the state pool) come from the system call.
///
/// # Errors
///
/// [`Error::BackendUnavailable`] when the backend is not available on this machine, and
/// [`Error::Os`] as for [`fill`].
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), palisade_random::Error> {
/// use palisade_random::Backend;
///
/// let mut buf = [0u8; 32];
/// palisade_random::fill_with(Backend::SystemCall, &mut buf)?;
/// # Ok(())
/// # }
/// ```
pub fn fill_with(backend: Backend, dest: &mut [u8]) -> Result<(), Error> {
    match backend {
        Backend::SystemCall => Ok(getrandom::fill(dest)?),
        Backend::Vdso if !backend.is_available() => Err(Error::BackendUnavailable(backend)),
        Backend::Vdso => fill_kernel(dest),
    }
}

/// What the kernel reports about its vDSO `getrandom`, for diagnostics.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct VdsoDetails {
    /// The exported symbol, e.g. `__vdso_getrandom`.
    pub symbol: &'static str,
    /// The symbol's version, e.g. `LINUX_2.6`.
    pub version: &'static str,
    /// Bytes of opaque generator state per thread, which the kernel wipes on `fork()`.
    pub state_size: usize,
    /// The `mmap` protection the kernel asks for those states.
    pub mmap_prot: u32,
    /// The `mmap` flags the kernel asks for those states (`MAP_DROPPABLE | MAP_ANONYMOUS`).
    pub mmap_flags: u32,
}

/// The kernel's vDSO `getrandom`, if this machine offers it.
///
/// # Examples
///
/// ```
/// if let Some(vdso) = palisade_random::vdso_details() {
///     println!("{} ({}), {} bytes of state per thread", vdso.symbol, vdso.version, vdso.state_size);
/// }
/// ```
pub fn vdso_details() -> Option<VdsoDetails> {
    vdso::details().map(|d| VdsoDetails {
        symbol: d.symbol,
        version: d.version,
        state_size: d.state_size,
        mmap_prot: d.mmap_prot,
        mmap_flags: d.mmap_flags,
    })
}

/// The largest request, in random bytes, that [`urandom`] and the token functions accept: 1 GiB.
///
/// A larger request is almost certainly a bug (a length read from untrusted input, an
/// underflow), and honouring it could exhaust memory on a system that overcommits; it is an
/// [`Error::TooLarge`] before anything is allocated. [`fill`] has no limit: the caller owns the
/// buffer.
///
/// # Examples
///
/// ```
/// use palisade_random::{Error, MAX_REQUEST};
///
/// assert!(matches!(palisade_random::urandom(MAX_REQUEST + 1), Err(Error::TooLarge { .. })));
/// ```
pub const MAX_REQUEST: usize = 1 << 30;

/// A zeroed buffer of `n` bytes, or [`Error::TooLarge`] naming `what` if `n` is over
/// [`MAX_REQUEST`] or cannot be allocated.
pub(crate) fn allocate(what: &'static str, n: usize) -> Result<Vec<u8>, Error> {
    allocate_for(what, n, n)
}

/// A zeroed buffer of `len` bytes for a request of `n` random bytes (`len` may be larger, for
/// the text of a token), or [`Error::TooLarge`] naming `what` and `n`.
pub(crate) fn allocate_for(what: &'static str, n: usize, len: usize) -> Result<Vec<u8>, Error> {
    let too_large = Error::TooLarge { what, requested: n };
    if n > MAX_REQUEST {
        return Err(too_large);
    }
    let mut out = Vec::new();
    out.try_reserve_exact(len).map_err(|_| too_large)?;
    out.resize(len, 0);
    Ok(out)
}

/// Fills `dest` from the kernel: the vDSO where it works, the system call for the rest.
#[inline]
fn fill_kernel(dest: &mut [u8]) -> Result<(), Error> {
    match vdso::fill(dest) {
        Ok(()) => Ok(()),
        Err(filled) => Ok(getrandom::fill(&mut dest[filled..])?),
    }
}

/// Fills `dest` with the ChaCha20 keystream of fresh kernel keys, one key per [`EXPAND_CHUNK`].
fn expand(dest: &mut [u8]) -> Result<(), Error> {
    for chunk in dest.chunks_mut(EXPAND_CHUNK) {
        let mut key = Zeroizing::new([0u8; 32]);
        fill_kernel(&mut key[..])?;
        keystream(&key, chunk);
    }
    Ok(())
}

/// Writes the ChaCha20 (RFC 8439) keystream of `key`, nonce 0, counter 0, over `out`.
/// `out` is at most [`EXPAND_CHUNK`] bytes, far below the 256 GiB one nonce allows.
fn keystream(key: &[u8; 32], out: &mut [u8]) {
    out.fill(0);
    // The `zeroize` feature of `chacha20` erases the cipher state when it is dropped.
    let mut cipher = ChaCha20::new(key.into(), &[0u8; 12].into());
    cipher.apply_keystream(out);
}

/// One random `u64`.
#[inline]
pub(crate) fn u64() -> Result<u64, Error> {
    let mut buf = [0u8; 8];
    fill(&mut buf)?;
    Ok(u64::from_ne_bytes(buf))
}

#[cold]
fn preference_from_environment() -> Preference {
    let value = match std::env::var_os("PALISADE_RANDOM_BACKEND") {
        Some(v) if v == "syscall" => SYSTEM_CALL,
        _ => FASTEST,
    };
    // Only the first reader decides; `set_preference` may already have run.
    let _ = PREFERENCE.compare_exchange(UNSET, value, Ordering::Relaxed, Ordering::Relaxed);
    preference()
}

static PREFERENCE: AtomicU8 = AtomicU8::new(UNSET);

/// Requests of at least this many bytes are filled by [`expand`]: below it the vDSO is faster,
/// above it ChaCha20 with SIMD is (measured in docs/BENCHMARKS.md).
const EXPAND_FROM: usize = 256;
/// Bytes of keystream per kernel key.
const EXPAND_CHUNK: usize = 1 << 20;

const UNSET: u8 = 0;
const FASTEST: u8 = 1;
const SYSTEM_CALL: u8 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_fill_every_length() {
        for backend in [Backend::SystemCall, Backend::Vdso] {
            if !backend.is_available() {
                eprintln!("skipped: {} not available", backend.name());
                continue;
            }
            for len in [0, 1, 7, 8, 31, 32, 33, 1000, 1 << 16] {
                let mut a = vec![0u8; len];
                let mut b = vec![0u8; len];
                fill_with(backend, &mut a).unwrap();
                fill_with(backend, &mut b).unwrap();
                if len >= 16 {
                    assert_ne!(a, b, "{}: two draws of {len} bytes agree", backend.name());
                }
            }
        }
    }

    #[test]
    fn the_expansion_is_rfc_8439_chacha20() {
        // RFC 8439 appendix A.1, test vector #1: all-zero key and nonce, block counter 0.
        const BLOCK_0: &str = "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7\
                               da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586";
        let mut out = [0xffu8; 64];
        keystream(&[0u8; 32], &mut out);
        let hex: String = out.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, BLOCK_0);
    }

    #[test]
    fn every_size_around_the_expansion_threshold_is_filled() {
        for len in [
            EXPAND_FROM - 1,
            EXPAND_FROM,
            EXPAND_FROM + 1,
            EXPAND_CHUNK + 64,
        ] {
            let mut a = vec![0u8; len];
            let mut b = vec![0u8; len];
            fill(&mut a).unwrap();
            fill(&mut b).unwrap();
            assert_ne!(a, b, "two draws of {len} bytes agree");
            // Every 32-byte block is non-zero, including a last, partial one and the first
            // block of the second key (probability of a false failure 2^-256 per block).
            for (i, block) in a.chunks(32).enumerate() {
                assert!(
                    block.iter().any(|&x| x != 0),
                    "length {len}: block {i} is zero"
                );
            }
            // The two keys of a request longer than one chunk give different keystreams.
            if len > EXPAND_CHUNK {
                assert_ne!(a[..64], a[EXPAND_CHUNK..]);
            }
        }
    }

    #[test]
    fn absurd_sizes_are_errors_not_aborts() {
        for n in [
            usize::MAX,
            isize::MAX as usize + 1,
            1 << 62,
            MAX_REQUEST + 1,
        ] {
            assert_eq!(
                urandom(n),
                Err(Error::TooLarge {
                    what: "urandom",
                    requested: n
                })
            );
        }
    }

    #[test]
    fn the_vdso_backend_reports_itself_unavailable_rather_than_failing() {
        if !Backend::Vdso.is_available() {
            let mut buf = [0u8; 4];
            assert_eq!(
                fill_with(Backend::Vdso, &mut buf),
                Err(Error::BackendUnavailable(Backend::Vdso))
            );
        }
    }
}
