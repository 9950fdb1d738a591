//! Ordered parallel processing: items from one producer thread, `jobs` workers, results handed
//! back in input order. A window of tickets bounds how far the producer may run ahead of the
//! consumer, so memory is bounded by the window times the largest item, whatever a slow item does.

use std::collections::BTreeMap;

use crossbeam_channel::{bounded, unbounded};

/// How many items may be between the producer and the consumer, per worker. With 8, two
/// workers slept 8-15% of a plain-text run waiting while the writer caught up; with 32, 1-4%.
const WINDOW_PER_JOB: usize = 32;

/// Workers get a large stack: a stack overflow aborts the whole process (it cannot be caught like
/// a panic), and parsers of hostile input are where deep recursion hides. Stages must still bound
/// their depth; this is the second line of defence. Untouched stack pages cost no memory.
const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Applies `work` to every item of `items` on `jobs` threads and calls `consume` with the results
/// in the order of `items`. `items` is iterated on its own thread, so whatever the iterator does
/// is serial: anything slow (reading files) belongs in `work`.
/// Items travel in batches of up to `batch`: one hand-over between threads per batch rather than
/// per item. A batch waits for its last item, so a stream that must answer each line as it comes
/// asks for batches of 1. Stops early, returning the error, when `consume` fails.
pub fn map_in_order<T, R, E>(
    items: impl Iterator<Item = T> + Send,
    jobs: usize,
    batch: usize,
    work: impl Fn(T) -> R + Sync,
    mut consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let jobs = jobs.max(1);
    let batch = batch.max(1);
    let window = window_batches(jobs, batch);
    let (ticket_tx, ticket_rx) = bounded::<()>(window);
    for _ in 0..window {
        ticket_tx.send(()).expect("ticket channel has room");
    }
    let (work_tx, work_rx) = bounded::<(u64, Vec<T>)>(jobs * 2);
    let (done_tx, done_rx) = unbounded::<(u64, Vec<R>)>();
    let work = &work;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut items = items.peekable();
            let mut index = 0u64;
            while items.peek().is_some() {
                // Both fail only when the consumer has stopped: then stop producing.
                if ticket_rx.recv().is_err() {
                    return;
                }
                let chunk: Vec<T> = items.by_ref().take(batch).collect();
                if work_tx.send((index, chunk)).is_err() {
                    return;
                }
                index += 1;
            }
        });
        for _ in 0..jobs {
            let work_rx = work_rx.clone();
            let done_tx = done_tx.clone();
            std::thread::Builder::new()
                .name("docnorm-worker".into())
                .stack_size(WORKER_STACK_BYTES)
                .spawn_scoped(scope, move || {
                    for (index, chunk) in work_rx {
                        let results = chunk.into_iter().map(work).collect();
                        if done_tx.send((index, results)).is_err() {
                            return;
                        }
                    }
                })
                .expect("the OS can start a worker thread");
        }
        drop(done_tx);
        drop(work_rx);
        reorder(done_rx, ticket_tx, |results: Vec<R>| {
            results.into_iter().try_for_each(&mut consume)
        })
    })
}

/// How many batches may be between the producer and the consumer: as many items as with batches
/// of 1, but at least two batches per worker, so that none waits while the consumer catches up.
fn window_batches(jobs: usize, batch: usize) -> usize {
    (jobs * WINDOW_PER_JOB).div_ceil(batch).max(2 * jobs)
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
        map_in_order(0..200u64, 4, 3, slow_first, |r| {
            seen.push(r);
            Ok::<_, ()>(())
        })
        .unwrap();
        assert_eq!(seen, (0..200).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn the_producer_never_runs_more_than_the_window_ahead() {
        use std::sync::atomic::{AtomicU64, Ordering};
        for batch in [1, 3, 8, 64] {
            let produced = AtomicU64::new(0);
            let items = (0..1000u64).inspect(|_| {
                produced.fetch_add(1, Ordering::SeqCst);
            });
            let mut consumed = 0u64;
            let mut most_ahead = 0;
            // The window's batches, each full, and the item the producer peeks at.
            let bound = (window_batches(2, batch) * batch) as u64 + 1;
            map_in_order(
                items,
                2,
                batch,
                |i| i,
                |_| {
                    consumed += 1;
                    let ahead = produced.load(Ordering::SeqCst) - consumed;
                    assert!(ahead <= bound, "batch {batch}: {ahead} ahead");
                    most_ahead = most_ahead.max(ahead);
                    Ok::<_, ()>(())
                },
            )
            .unwrap();
            assert_eq!(consumed, 1000);
            assert!(
                most_ahead >= batch as u64,
                "batch {batch}: {most_ahead} ahead"
            );
        }
        assert_eq!(window_batches(2, 1), 2 * WINDOW_PER_JOB);
    }

    #[test]
    fn a_batch_of_one_hands_each_item_on_before_the_next_is_read() {
        use std::sync::atomic::{AtomicU64, Ordering};
        // A stream answers each line before it reads the next one (stdin may be a person).
        let consumed = AtomicU64::new(0);
        let items = (0..50u64).inspect(|&i| {
            if i > 0 {
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
                while consumed.load(Ordering::SeqCst) < i && std::time::Instant::now() < deadline {
                    std::thread::yield_now();
                }
                assert_eq!(
                    consumed.load(Ordering::SeqCst),
                    i,
                    "item {} held back until {i} was read",
                    i - 1
                );
            }
        });
        map_in_order(
            items,
            2,
            1,
            |i| i,
            |_| {
                consumed.fetch_add(1, Ordering::SeqCst);
                Ok::<_, ()>(())
            },
        )
        .unwrap();
        assert_eq!(consumed.load(Ordering::SeqCst), 50);
    }

    #[test]
    fn a_consumer_error_stops_the_run() {
        let mut n = 0;
        let r = map_in_order(
            0..100_000u64,
            2,
            4,
            |i| i,
            |_| {
                n += 1;
                if n == 10 { Err("stop") } else { Ok(()) }
            },
        );
        assert_eq!(r, Err("stop"));
    }
}
