//! After `fork()`, parent and child must draw different bytes: nothing here may keep random
//! state in user space that a child inherits (rand's `ThreadRng` did:
//! https://github.com/rust-random/rand/issues/1362). With the vDSO path the per-thread state
//! *is* in user memory; the kernel wipes it in the child (`MAP_DROPPABLE` implies
//! `VM_WIPEONFORK`) and the vDSO reseeds. This test checks that end to end, on both backends.
#![cfg(unix)]
#![allow(clippy::unwrap_used, unsafe_code)]

use palisade_random::{Backend, fill_with};

#[test]
fn parent_and_child_draw_different_bytes_after_fork() {
    for backend in [Backend::SystemCall, Backend::Vdso] {
        if !backend.is_available() {
            eprintln!("skipped: {} backend not available", backend.name());
            continue;
        }
        for round in 0..4 {
            // Draw once first so that this thread's vDSO state exists and holds a key when the
            // process forks: that is the state a careless design would replay.
            fill_with(backend, &mut [0u8; 32]).unwrap();
            let (child, parent) = draw_in_child_and_parent(backend);
            assert_ne!(
                child,
                parent,
                "{} round {round}: child replayed the parent",
                backend.name()
            );
            assert_ne!(
                child,
                [0u8; 32],
                "{} round {round}: child drew zeros",
                backend.name()
            );
        }
    }
}

/// Forks; the child draws 32 bytes and sends them back through a pipe; the parent draws its
/// own next 32 bytes. Returns (child's, parent's).
fn draw_in_child_and_parent(backend: Backend) -> ([u8; 32], [u8; 32]) {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is a valid array of two file descriptors for `pipe` to fill.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let [read_end, write_end] = fds;
    // SAFETY: the child only calls `fill_with` (which, with this thread's state already in
    // place, takes no lock and allocates nothing), `write` and `_exit`.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let mut buf = [0u8; 32];
        let ok = fill_with(backend, &mut buf).is_ok();
        // SAFETY: writing a valid buffer to our pipe, then leaving without running the test
        // harness's atexit handlers or destructors.
        unsafe {
            if ok {
                libc::write(write_end, buf.as_ptr().cast(), buf.len());
            }
            libc::_exit(0);
        }
    }
    let mut parent = [0u8; 32];
    fill_with(backend, &mut parent).unwrap();
    // SAFETY: closing our copy of the write end, so that `read` sees end of file if the child
    // wrote nothing.
    unsafe { libc::close(write_end) };
    let mut child = [0u8; 32];
    let mut got = 0;
    while got < child.len() {
        // SAFETY: reading into the unfilled tail of a valid buffer.
        let n = unsafe {
            libc::read(
                read_end,
                child[got..].as_mut_ptr().cast(),
                child.len() - got,
            )
        };
        assert!(n > 0, "child sent {got} of 32 bytes");
        got += usize::try_from(n).unwrap();
    }
    let mut status = 0;
    // SAFETY: waiting for our own child; closing our read end.
    unsafe {
        libc::waitpid(pid, &mut status, 0);
        libc::close(read_end);
    }
    (child, parent)
}
