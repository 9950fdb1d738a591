//! Throughput of the clean stage alone, in MB/s of text it receives.
//!
//! `cargo bench --bench clean`. The input is the sample corpus (`raw/`), as the decode stage
//! leaves it, repeated to about 4 MB per document batch: long unwrapped paragraphs (most web text),
//! hard-wrapped text, captions and comment sections, all through the built-in rules.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use docnorm::config::{Config, RuleSource};
use docnorm::document::Document;
use docnorm::stages::Stage;
use docnorm::stages::clean::Clean;

fn corpus() -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/raw"))
        .expect("raw/ exists")
        .map(|e| e.expect("readable entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("raw files are UTF-8"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let config = Config::built_in().expect("built-in config");
    let rules: &RuleSource = &config.boilerplate;
    let clean = Clean::new(&config.settings.clean, rules).expect("built-in rules compile");
    let docs = corpus();
    let repeats = (4 << 20) / docs.iter().map(String::len).sum::<usize>() + 1;
    let batch: Vec<Document> = (0..repeats)
        .flat_map(|_| docs.iter())
        .map(|text| Document {
            text: text.clone(),
            ..Document::default()
        })
        .collect();
    let bytes: usize = batch.iter().map(|d| d.text.len()).sum();
    let mut group = c.benchmark_group("clean");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("sample corpus", |b| {
        b.iter_batched(
            || batch.clone(),
            |batch| {
                for doc in batch {
                    std::hint::black_box(clean.apply(doc).expect("clean never rejects"));
                }
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
