//! Where the time of a plain-text run goes, stage by stage, on one core.
//!
//! `cargo bench --bench text_stages -- DIR [ROUNDS]` reads every file under DIR into memory (for
//! instance a corpus from `bench/gen_text_corpus.py`), then times, in this one thread, each stage
//! on what the stage before it produced (decode, extract, clean, normalise, detect), then
//! `Document::finish`, the JSON Lines and CSV records (as `docnorm run`'s workers make them), and the whole
//! `Pipeline::process`. Each figure is the best of ROUNDS (default 3) and is given as MB/s of
//! raw input bytes of this thread's time on the CPU, so the stages' times add up to the pipeline's.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use docnorm::config::Config;
use docnorm::document::{Document, RawInput};
use docnorm::pipeline::{Outcome, Pipeline};
use docnorm::sinks::csv::row_bytes;
use docnorm::sinks::jsonl::document_line;
use docnorm::stages::Stage;
use docnorm::stages::clean::Clean;
use docnorm::stages::decode::Decode;
use docnorm::stages::detect::Detect;
use docnorm::stages::extract::Extract;
use docnorm::stages::normalise::Normalise;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Seconds this thread has spent on the CPU (Linux `/proc/thread-self/schedstat`, which a busy
/// shared machine distorts less than wall-clock time), else wall-clock seconds.
fn clock() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let on_cpu = std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok());
    match on_cpu {
        Some(ns) => ns as f64 / 1e9,
        None => START.get_or_init(Instant::now).elapsed().as_secs_f64(),
    }
}

/// Best time of `rounds` runs of `f`, in seconds (see [`clock`]).
fn best(rounds: usize, mut f: impl FnMut()) -> f64 {
    (0..rounds)
        .map(|_| {
            let t = clock();
            f();
            clock() - t
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench --bench text_stages -- DIR [ROUNDS]");
        return;
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut paths = Vec::new();
    files(Path::new(dir), &mut paths);
    let raw: Vec<RawInput> = paths
        .iter()
        .map(|p| RawInput {
            source: p.display().to_string(),
            extension: p.extension().map(|e| e.to_string_lossy().to_lowercase()),
            bytes: std::fs::read(p).expect("readable file"),
            ..RawInput::default()
        })
        .collect();
    let mb = raw.iter().map(|r| r.bytes.len()).sum::<usize>() as f64 / 1e6;
    println!("{} files, {mb:.1} MB, best of {rounds}", raw.len());

    let config = Config::built_in().expect("built-in config");
    let s = &config.settings;
    let decode = Decode::new(&s.decode);
    let stages: Vec<(&str, Box<dyn Stage>)> = vec![
        ("extract", Box::new(Extract::new(&s.extract))),
        (
            "clean",
            Box::new(Clean::new(&s.clean, &config.boilerplate).expect("built-in rules")),
        ),
        (
            "normalise",
            Box::new(Normalise::new(&s.normalise, &config.variants).expect("built-in variants")),
        ),
        (
            "detect",
            Box::new(Detect::new(&s.detect).expect("defaults")),
        ),
    ];
    let mut total = 0.0;
    let mut report = |name: &str, secs: f64| {
        total += secs;
        if secs < 5e-4 {
            // A stage that passes plain text through (extract) costs nothing worth a rate.
            println!("{name:<12} {:>7.3} s        - MB/s", secs.max(0.0));
        } else {
            println!("{name:<12} {secs:>7.3} s {:>8.1} MB/s", mb / secs);
        }
    };

    let secs = best(rounds, || {
        for r in &raw {
            let _ = black_box(decode.apply(r));
        }
    });
    report("decode", secs);
    let mut docs: Vec<Document> = raw.iter().filter_map(|r| decode.apply(r).ok()).collect();
    for (name, stage) in &stages {
        let secs = best(rounds, || {
            for d in docs.iter().cloned() {
                let _ = black_box(stage.apply(d));
            }
        }) - best(rounds, || {
            for d in docs.iter().cloned() {
                black_box(d);
            }
        });
        report(name, secs);
        docs = docs
            .into_iter()
            .filter_map(|d| stage.apply(d).ok())
            .collect();
    }
    let secs = best(rounds, || {
        for d in docs.iter_mut() {
            d.finish();
        }
    });
    report("finish", secs);
    let text_bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let secs = best(rounds, || {
        let mut jsonl = Vec::with_capacity(text_bytes * 2);
        for doc in docs.iter_mut() {
            jsonl.extend_from_slice(&document_line(doc).expect("in memory"));
        }
        black_box(jsonl);
    });
    report("jsonl", secs);
    let secs = best(rounds, || {
        let mut csv = Vec::with_capacity(text_bytes * 2);
        for doc in &docs {
            csv.extend_from_slice(&row_bytes(doc, &doc.counts_by_rule()).expect("in memory"));
        }
        black_box(csv);
    });
    report("csv", secs);
    println!("{:<12} {total:>7.3} s {:>8.1} MB/s", "sum", mb / total);

    let pipeline = Pipeline::new(&config).expect("built-in config");
    let secs = best(rounds, || {
        for r in raw.iter().cloned() {
            if let Outcome::Document(d) = pipeline.process(r) {
                black_box(d);
            }
        }
    });
    println!(
        "{:<12} {secs:>7.3} s {:>8.1} MB/s (Pipeline::process, includes the copies of the raw input)",
        "pipeline",
        mb / secs
    );
}
