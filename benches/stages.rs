//! Per-stage micro-benchmarks, one criterion group per stage (decode, extract, clean, normalise,
//! detect, write), so a regression shows by the stage's name: `cargo bench --bench stages`.
//!
//! Inputs are the sample corpus (`raw/`) and the HTML regression fixtures
//! (`tests/fixtures/extract/`, CC-BY-4.0 WCXB pages), each stage fed what the stage before it
//! produces, through the built-in configuration.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use docnorm::config::Config;
use docnorm::document::{Document, RawInput};
use docnorm::sinks::csv::CsvWriter;
use docnorm::sinks::jsonl::write_line;
use docnorm::stages::Stage;
use docnorm::stages::clean::Clean;
use docnorm::stages::decode::Decode;
use docnorm::stages::detect::Detect;
use docnorm::stages::extract::Extract;
use docnorm::stages::normalise::Normalise;

fn files(dir: &str, ext: &str) -> Vec<RawInput> {
    let dir = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| RawInput {
            source: p.file_name().unwrap().to_string_lossy().into_owned(),
            extension: Some(ext.to_string()),
            bytes: std::fs::read(p).expect("readable fixture"),
            ..RawInput::default()
        })
        .collect()
}

struct Stages {
    decode: Decode,
    extract: Extract,
    clean: Clean,
    normalise: Normalise,
    detect: Detect,
}

fn stages() -> Stages {
    let config = Config::built_in().expect("built-in config");
    let s = &config.settings;
    Stages {
        decode: Decode::new(&s.decode),
        extract: Extract::new(&s.extract),
        clean: Clean::new(&s.clean, &config.boilerplate).expect("built-in rules"),
        normalise: Normalise::new(&s.normalise, &config.variants).expect("built-in variants"),
        detect: Detect::new(&s.detect).expect("built-in detect settings"),
    }
}

/// Runs `stage` over every document of `docs` (cloned per iteration, outside the timing).
fn bench_stage(c: &mut Criterion, name: &str, stage: &dyn Stage, docs: &[Document]) {
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("corpus", |b| {
        b.iter_batched(
            || docs.to_vec(),
            |docs| {
                for doc in docs {
                    let _ = black_box(stage.apply(doc));
                }
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn apply_all(stage: &dyn Stage, docs: &[Document]) -> Vec<Document> {
    docs.iter()
        .filter_map(|d| stage.apply(d.clone()).ok())
        .collect()
}

fn bench(c: &mut Criterion) {
    let s = stages();
    let mut raw = files("raw", "txt");
    raw.extend(files("tests/fixtures/extract", "html"));
    let raw_bytes: usize = raw.iter().map(|r| r.bytes.len()).sum();

    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(raw_bytes as u64));
    group.bench_function("corpus", |b| {
        b.iter(|| {
            for r in &raw {
                let _ = black_box(s.decode.apply(r));
            }
        })
    });
    group.finish();

    let decoded: Vec<Document> = raw.iter().filter_map(|r| s.decode.apply(r).ok()).collect();
    let html: Vec<Document> = decoded
        .iter()
        .filter(|d| d.format == docnorm::Format::Html)
        .cloned()
        .collect();
    bench_stage(c, "extract", &s.extract, &html);
    let extracted = apply_all(&s.extract, &decoded);
    bench_stage(c, "clean", &s.clean, &extracted);
    let cleaned = apply_all(&s.clean, &extracted);
    bench_stage(c, "normalise", &s.normalise, &cleaned);
    let normalised = apply_all(&s.normalise, &cleaned);
    bench_stage(c, "detect", &s.detect, &normalised);
    let mut finished = apply_all(&s.detect, &normalised);
    finished.iter_mut().for_each(Document::finish);

    let bytes: usize = finished.iter().map(|d| d.text.len()).sum();
    let mut group = c.benchmark_group("write");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("jsonl+csv", |b| {
        b.iter(|| {
            let mut jsonl = Vec::with_capacity(bytes * 2);
            let mut csv = CsvWriter::new(Vec::with_capacity(bytes * 2)).expect("in memory");
            for doc in &finished {
                write_line(&mut jsonl, doc).expect("in memory");
                csv.write(doc).expect("in memory");
            }
            black_box((jsonl, csv.into_inner().expect("in memory")))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
