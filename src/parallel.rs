//! Ordered parallel processing: items from one producer thread, `jobs` workers, results handed
//! back in input order. A window of tickets bounds how far the producer may run ahead of the
//! consumer, so memory is bounded by the window times the largest item, whatever a slow item does.

use std::collections::BTreeMap;

use crossbeam_channel::{bounded, unbounded};

/// How many items may be between the producer and the consumer, per worker.
const WINDOW_PER_JOB: usize = 8;

/// Workers get a large stack: a stack overflow aborts the whole process (it cannot be caught like
/// a panic), and parsers of hostile input are where deep recursion hides. Stages must still bound
/// their depth; this is the second line of defence. Untouched stack pages cost no memory.
const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Applies `work` to every item of `items` on `jobs` threads and calls `consume` with the results
/// in the order of `items`. `items` is iterated on its own thread (so reading files happens there).
/// Stops early, returning the error, when `consume` fails.
pub fn map_in_order<T, R, E>(
    items: impl Iterator<Item = T> + Send,
    jobs: usize,
    work: impl Fn(T) -> R + Sync,
    consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let jobs = jobs.max(1);
    let window = jobs * WINDOW_PER_JOB;
    let (ticket_tx, ticket_rx) = bounded::<()>(window);
    for _ in 0..window {
        ticket_tx.send(()).expect("ticket channel has room");
    }
    let (work_tx, work_rx) = bounded::<(u64, T)>(jobs * 2);
    let (done_tx, done_rx) = unbounded::<(u64, R)>();
    let work = &work;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for (index, item) in items.enumerate() {
                // Both fail only when the consumer has stopped: then stop producing.
                if ticket_rx.recv().is_err() || work_tx.send((index as u64, item)).is_err() {
                    return;
                }
            }
        });
        for _ in 0..jobs {
            let work_rx = work_rx.clone();
            let done_tx = done_tx.clone();
            std::thread::Builder::new()
                .name("docnorm-worker".into())
                .stack_size(WORKER_STACK_BYTES)
                .spawn_scoped(scope, move || {
                    for (index, item) in work_rx {
                        if done_tx.send((index, work(item))).is_err() {
                            return;
                        }
                    }
                })
                .expect("the OS can start a worker thread");
        }
        drop(done_tx);
        drop(work_rx);
        reorder(done_rx, ticket_tx, consume)
    })
}

/// Hands results to `consume` in index order, returning a ticket for each. Owning both channel
/// ends matters: when it returns, early or not, they drop, which stops the producer and workers.
fn reorder<R, E>(
    done_rx: crossbeam_channel::Receiver<(u64, R)>,
    ticket_tx: crossbeam_channel::Sender<()>,
    mut consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let mut pending: BTreeMap<u64, R> = BTreeMap::new();
    let mut next = 0u64;
    for (index, result) in done_rx {
        pending.insert(index, result);
        while let Some(result) = pending.remove(&next) {
            consume(result)?;
            next += 1;
            let _ = ticket_tx.send(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_whatever_the_timing() {
        let mut seen = Vec::new();
        let slow_first = |i: u64| {
            std::thread::sleep(std::time::Duration::from_millis(if i.is_multiple_of(7) {
                5
            } else {
                0
            }));
            i * 2
        };
        map_in_order(0..200u64, 4, slow_first, |r| {
            seen.push(r);
            Ok::<_, ()>(())
        })
        .unwrap();
        assert_eq!(seen, (0..200).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn the_producer_never_runs_more_than_the_window_ahead() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let produced = AtomicU64::new(0);
        let items = (0..1000u64).inspect(|_| {
            produced.fetch_add(1, Ordering::SeqCst);
        });
        let mut consumed = 0u64;
        map_in_order(
            items,
            2,
            |i| i,
            |_| {
                consumed += 1;
                let ahead = produced.load(Ordering::SeqCst) - consumed;
                assert!(ahead <= (2 * WINDOW_PER_JOB) as u64 + 1, "{ahead} ahead");
                Ok::<_, ()>(())
            },
        )
        .unwrap();
        assert_eq!(consumed, 1000);
    }

    #[test]
    fn a_consumer_error_stops_the_run() {
        let mut n = 0;
        let r = map_in_order(
            0..100_000u64,
            2,
            |i| i,
            |_| {
                n += 1;
                if n == 10 { Err("stop") } else { Ok(()) }
            },
        );
        assert_eq!(r, Err("stop"));
    }
}
