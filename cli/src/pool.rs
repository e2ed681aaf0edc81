//! A small bounded pool for `palisade hash FILE...` and `--check`: one input per worker, the
//! results handed on in the order of the inputs.

use std::collections::BTreeMap;
use std::io;
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;

/// The default number of workers: one per core the process may use, at most 8 (more only
/// queue on the same disk and memory bus).
pub(crate) fn default_workers() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Runs `work` over `jobs` on `workers` threads and gives each result to `sink` in the order of
/// the jobs, as soon as it and all before it are done. At most four results per worker wait
/// for an earlier one, so a slow first input holds back a bounded amount. With one worker
/// everything runs on the calling thread. The first error from `sink` stops the pool (the jobs
/// already started finish; no more start) and is returned.
pub(crate) fn ordered<J, R>(
    workers: usize,
    jobs: impl IntoIterator<Item = J>,
    work: impl Fn(J) -> R + Sync,
    mut sink: impl FnMut(R) -> io::Result<()>,
) -> io::Result<()>
where
    J: Send,
    R: Send,
{
    if workers <= 1 {
        for job in jobs {
            sink(work(job))?;
        }
        return Ok(());
    }
    let limit = workers * 4;
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, J)>(workers);
    let job_rx = Mutex::new(job_rx);
    let (result_tx, result_rx) = mpsc::channel::<(usize, R)>();
    thread::scope(|scope| {
        // Owned here, so that any return (an error from `sink` included) closes the queue and
        // the workers end before the scope waits for them.
        let job_tx = job_tx;
        for _ in 0..workers {
            let (job_rx, result_tx, work) = (&job_rx, result_tx.clone(), &work);
            scope.spawn(move || {
                loop {
                    // The lock is held only to take the next job, never while working.
                    let next = job_rx.lock().map_or(None, |rx| rx.recv().ok());
                    let Some((index, job)) = next else { return };
                    if result_tx.send((index, work(job))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(result_tx);
        // Takes the results that are in (first waiting for one when `block`), and hands on
        // those whose turn has come. `Ok(false)`: no worker is left to wait for.
        let mut pump = |block: bool,
                        waiting: &mut BTreeMap<usize, R>,
                        handed: &mut usize|
         -> io::Result<bool> {
            if block {
                let Ok((index, result)) = result_rx.recv() else {
                    return Ok(false);
                };
                waiting.insert(index, result);
            }
            while let Ok((index, result)) = result_rx.try_recv() {
                waiting.insert(index, result);
            }
            while let Some(result) = waiting.remove(handed) {
                *handed += 1;
                sink(result)?;
            }
            Ok(true)
        };
        let mut waiting = BTreeMap::new();
        let (mut sent, mut handed) = (0, 0);
        for job in jobs {
            while sent - handed >= limit && pump(true, &mut waiting, &mut handed)? {}
            if job_tx.send((sent, job)).is_err() {
                break;
            }
            sent += 1;
            pump(false, &mut waiting, &mut handed)?;
        }
        drop(job_tx);
        while handed < sent && pump(true, &mut waiting, &mut handed)? {}
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn results_come_in_job_order_whatever_finishes_first() {
        for workers in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            ordered(
                workers,
                0..50u64,
                |i| {
                    // Early jobs take longest, so later ones finish first.
                    thread::sleep(Duration::from_micros((50 - i) * 100));
                    i * i
                },
                |r| {
                    seen.push(r);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(
                seen,
                (0..50).map(|i| i * i).collect::<Vec<_>>(),
                "{workers}"
            );
        }
    }

    #[test]
    fn a_sink_error_stops_the_pool() {
        let started = std::sync::atomic::AtomicUsize::new(0);
        let mut handed = 0;
        let err = ordered(
            2,
            0..10_000,
            |i| {
                started.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                i
            },
            |i| {
                handed += 1;
                if i == 3 {
                    Err(io::Error::other("stdout closed"))
                } else {
                    Ok(())
                }
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "stdout closed");
        assert_eq!(handed, 4);
        // Bounded: the pool did not run the whole list after the error.
        assert!(started.into_inner() < 100);
    }
}
