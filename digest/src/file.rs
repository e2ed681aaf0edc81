//! Feeding files and streams into a [`Hash`]: the read strategy, chosen by measurement
//! (docs/BENCHMARKS.md, "palisade hash as a whole process").
//!
//! - A regular file of at least [`MAP_AT_LEAST`] bytes (256 KiB), on Linux x86-64, is hashed from a
//!   memory map where that is safe (`mapped.rs` says when), which saves the copy `read(2)`
//!   makes: 0.86x the wall time of `openssl dgst -sha256` on a cached 256 MiB file, against
//!   0.97x for the best `read` size.
//! - Everything else (pipes, terminals, sockets, small files, other systems, files the mapping
//!   declines) is read [`READ_BUFFER`] bytes at a time into one heap buffer.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::algorithm::Algorithm;
use crate::error::Error;
use crate::hash::Hash;
use crate::output::Output;

/// Bytes per `read(2)`. On the Intel Xeon here every size from 8 KiB to 1 MiB costs the same
/// (within 2%); on the AMD EPYC the project also runs on, reads of 256 KiB and more fall off a
/// cliff (three times the system time: the copy no longer stays in the L2 cache), while 8 to
/// 128 KiB do not. 128 KiB is the largest size that is fast on both.
const READ_BUFFER: usize = 128 << 10;

/// Files smaller than this are read. Measured with `palisade hash -j 1` over 200-300 cached
/// files of one size (SHA-256, Intel Xeon): mapped against read, 0.93x at 1 MiB, 0.97x at
/// 256 KiB, 1.05x at 64 KiB, where the calls of a mapping and its lease cost more than the
/// copy they save.
#[cfg_attr(
    not(all(target_os = "linux", target_arch = "x86_64")),
    allow(dead_code)
)]
const MAP_AT_LEAST: u64 = 256 << 10;

impl Hash {
    /// Feeds everything `reader` yields, in 128 KiB reads, and returns the number of bytes.
    /// Reads interrupted by a signal are retried.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when a read fails; the bytes before it stay absorbed.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, Hash, digest};
    /// # fn main() -> Result<(), palisade_digest::Error> {
    /// let mut h = Hash::new(Algorithm::Sha256);
    /// assert_eq!(h.update_reader(&b"abc"[..])?, 3);
    /// assert_eq!(h.digest(), digest(Algorithm::Sha256, b"abc"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn update_reader(&mut self, reader: impl Read) -> Result<u64, Error> {
        self.update_reader_with_progress(reader, |_| {})
    }

    /// [`update_reader`](Self::update_reader), calling `progress` with the total number of
    /// bytes absorbed so far after each read (for a progress bar).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when a read fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, Hash};
    /// # fn main() -> Result<(), palisade_digest::Error> {
    /// let mut h = Hash::new(Algorithm::Md5);
    /// let mut last = 0;
    /// h.update_reader_with_progress(&[0u8; 300_000][..], |done| last = done)?;
    /// assert_eq!(last, 300_000);
    /// # Ok(())
    /// # }
    /// ```
    pub fn update_reader_with_progress(
        &mut self,
        reader: impl Read,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, Error> {
        read_all(self, reader, 0, &mut progress)
    }

    /// Feeds a file from its current position to its end, by the fastest way that is safe
    /// for it (the module notes above), and returns the number of bytes. The file's position
    /// is left at the end, as if it had been read.
    ///
    /// Prefer this to [`update_reader`](Self::update_reader) for a [`File`]: on Linux x86-64 a
    /// large regular file is hashed from a memory map, without the copy `read(2)` makes, and
    /// never at the risk of `SIGBUS`: a file that another process could truncate meanwhile is
    /// read instead. While it is mapped, a process that opens the file for writing waits
    /// until the current 4 MiB window is hashed (a few milliseconds); the rest is then read.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read; the bytes before it stay absorbed.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, Hash, digest};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let path = std::env::temp_dir().join(format!("update-file-doc-{}", std::process::id()));
    /// std::fs::write(&path, b"hello")?;
    /// let mut h = Hash::new(Algorithm::Sha256);
    /// h.update_file(&std::fs::File::open(&path)?)?;
    /// assert_eq!(h.digest(), digest(Algorithm::Sha256, b"hello"));
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn update_file(&mut self, file: &File) -> Result<u64, Error> {
        self.update_file_with_progress(file, |_| {})
    }

    /// [`update_file`](Self::update_file), calling `progress` with the total number of bytes
    /// absorbed so far, at least every 4 MiB.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read.
    ///
    /// # Examples
    ///
    /// ```
    /// use palisade_digest::{Algorithm, Hash};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let path = std::env::temp_dir().join(format!("update-file-p-doc-{}", std::process::id()));
    /// std::fs::write(&path, vec![0u8; 5_000_000])?;
    /// let mut h = Hash::new(Algorithm::Blake2b);
    /// let mut calls = 0;
    /// let n = h.update_file_with_progress(&std::fs::File::open(&path)?, |_| calls += 1)?;
    /// assert_eq!(n, 5_000_000);
    /// assert!(calls >= 2);
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn update_file_with_progress(
        &mut self,
        file: &File,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, Error> {
        #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
        if let Some(done) = self.try_mapped(file, &mut progress)? {
            return Ok(done);
        }
        read_all(self, file, 0, &mut progress)
    }

    /// The mapped path: `Some(bytes)` when the mapping hashed the file (the rest read after
    /// a lease break), `None` when it declined before hashing anything.
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    fn try_mapped(
        &mut self,
        mut file: &File,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Option<u64>, Error> {
        use crate::mapped::{self, Mapped};
        use std::io::{Seek as _, SeekFrom};
        let meta = file.metadata()?;
        if !meta.is_file() || meta.len() < MAP_AT_LEAST || file.stream_position()? != 0 {
            return Ok(None);
        }
        match mapped::hash(file, meta.len(), &mut |piece| self.update(piece), progress) {
            Mapped::Declined => Ok(None),
            // After a lease break the rest is read; after the whole file too, in case it grew
            // since its size was taken.
            Mapped::Complete { done } | Mapped::Partial { done } => {
                file.seek(SeekFrom::Start(done))?;
                read_all(self, file, done, progress).map(Some)
            }
        }
    }
}

/// Reads `reader` to its end into `h`; `done` bytes were absorbed before.
fn read_all(
    h: &mut Hash,
    mut reader: impl Read,
    mut done: u64,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, Error> {
    let mut buf = vec![0; READ_BUFFER];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(done),
            Ok(n) => {
                h.update(&buf[..n]);
                done += n as u64;
                progress(done);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(source) => return Err(Error::Io { source }),
        }
    }
}

/// Hashes everything `reader` yields, Python's `hashlib.file_digest`.
///
/// Reads 128 KiB at a time (the size measured fastest on both CPUs we run on) into one heap
/// buffer, and retries reads interrupted by a signal. For a [`File`], [`digest_file`] is
/// faster: it can hash a large file without copying it.
///
/// # Errors
///
/// [`Error::Io`] when a read fails.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, digest, file_digest};
/// # fn main() -> Result<(), palisade_digest::Error> {
/// let data = vec![7u8; 1_000_000];
/// let out = file_digest(Algorithm::Sha512, &data[..])?;
/// assert_eq!(out, digest(Algorithm::Sha512, &data));
/// # Ok(())
/// # }
/// ```
pub fn file_digest(algorithm: Algorithm, reader: impl Read) -> Result<Output, Error> {
    let mut h = Hash::new(algorithm);
    h.update_reader(reader)?;
    Ok(h.finalize())
}

/// Hashes an open file from its position to its end with [`Hash::update_file`]'s strategy.
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be read.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, digest, digest_file};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let path = std::env::temp_dir().join(format!("digest-file-doc-{}", std::process::id()));
/// std::fs::write(&path, b"abc")?;
/// let out = digest_file(Algorithm::Sha3_256, &std::fs::File::open(&path)?)?;
/// assert_eq!(out, digest(Algorithm::Sha3_256, b"abc"));
/// # std::fs::remove_file(&path)?;
/// # Ok(())
/// # }
/// ```
pub fn digest_file(algorithm: Algorithm, file: &File) -> Result<Output, Error> {
    let mut h = Hash::new(algorithm);
    h.update_file(file)?;
    Ok(h.finalize())
}

/// Opens and hashes the file at `path` with [`Hash::update_file`]'s strategy.
///
/// # Errors
///
/// [`Error::File`], naming the path, when it cannot be opened or read.
///
/// # Examples
///
/// ```
/// use palisade_digest::{Algorithm, Error, digest_path};
/// let err = digest_path(Algorithm::Sha256, "/no/such/file").unwrap_err();
/// assert!(matches!(err, Error::File { .. }));
/// assert!(err.to_string().starts_with("cannot read /no/such/file: "));
/// ```
pub fn digest_path(algorithm: Algorithm, path: impl AsRef<Path>) -> Result<Output, Error> {
    let path = path.as_ref();
    let named = |source| Error::File {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(named)?;
    digest_file(algorithm, &file).map_err(|err| match err {
        Error::Io { source } => named(source),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::digest;
    use std::io::{Seek as _, SeekFrom, Write as _};

    fn temp(name: &str, data: &[u8]) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("palisade-file-{}-{name}", std::process::id()));
        File::create(&path).unwrap().write_all(data).unwrap();
        path
    }

    fn data(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| (i.wrapping_mul(131) >> 3).to_le_bytes()[0])
            .collect()
    }

    #[test]
    fn every_size_around_the_thresholds_hashes_like_one_call() {
        for len in [
            0,
            1,
            READ_BUFFER - 1,
            READ_BUFFER + 1,
            usize::try_from(MAP_AT_LEAST).unwrap() - 1,
            usize::try_from(MAP_AT_LEAST).unwrap(),
            (4 << 20) + 4095,
            (9 << 20) + 1,
        ] {
            let bytes = data(len);
            let path = temp(&format!("size-{len}"), &bytes);
            let expected = digest(Algorithm::Sha256, &bytes);
            assert_eq!(
                digest_path(Algorithm::Sha256, &path).unwrap(),
                expected,
                "{len}"
            );
            let mut file = File::open(&path).unwrap();
            let mut last = 0;
            let mut h = Hash::new(Algorithm::Sha256);
            let n = h
                .update_file_with_progress(&file, |done| last = done)
                .unwrap();
            assert_eq!((n, h.digest()), (len as u64, expected), "{len}");
            if len > 0 {
                assert_eq!(last, len as u64);
            }
            // The position is at the end, as after reading.
            assert_eq!(file.stream_position().unwrap(), len as u64);
            assert_eq!(
                file_digest(Algorithm::Sha256, &bytes[..]).unwrap(),
                expected
            );
            std::fs::remove_file(&path).unwrap();
        }
    }

    #[test]
    fn a_file_is_hashed_from_its_position() {
        let bytes = data(3 << 20);
        let path = temp("position", &bytes);
        let mut file = File::open(&path).unwrap();
        file.seek(SeekFrom::Start(1000)).unwrap();
        let out = digest_file(Algorithm::Sha512, &file).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(out, digest(Algorithm::Sha512, &bytes[1000..]));
    }

    #[test]
    fn a_file_being_appended_to_is_read_whole() {
        // Open for writing elsewhere: the mapping declines, the read sees every byte.
        let bytes = data(2 << 20);
        let path = temp("appended", &bytes);
        let mut writer = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        writer.write_all(b"tail").unwrap();
        let out = digest_path(Algorithm::Md5, &path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let mut all = bytes;
        all.extend_from_slice(b"tail");
        assert_eq!(out, digest(Algorithm::Md5, &all));
    }

    #[test]
    fn unreadable_inputs_are_errors_naming_them() {
        let dir = std::env::temp_dir();
        let err = digest_path(Algorithm::Sha256, &dir).unwrap_err();
        assert!(matches!(err, Error::File { .. }), "{err:?}");
        assert!(err.to_string().contains(&*dir.to_string_lossy()), "{err}");
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk on fire"))
            }
        }
        let err = file_digest(Algorithm::Sha1, Broken).unwrap_err();
        assert!(err.to_string().contains("disk on fire"), "{err}");
    }
}
