//! Throughput of the normalise stage (MB/s of text), with the built-in dictionary and with one of
//! 100,000 generated variants, on the same text: the user's samples repeated to about 1 MB.
//!
//! `cargo bench --bench normalise`

use std::fmt::Write;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use docnorm::config::{DEFAULT_VARIANTS_TOML, RuleSource};
use docnorm::stages::normalise::{Normalise, NormaliseConfig};
use std::hint::black_box;

const TARGET_BYTES: usize = 1 << 20;

fn sample_text() -> String {
    let raw = concat!(env!("CARGO_MANIFEST_DIR"), "/raw");
    let mut paths: Vec<_> = std::fs::read_dir(raw)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let samples: Vec<String> = paths
        .iter()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
        .collect();
    let mut text = String::new();
    while text.len() < TARGET_BYTES {
        for s in &samples {
            text.push_str(s);
            text.push_str("\n\n");
        }
    }
    text
}

/// A dictionary of the built-in entries plus `n` generated variants (10 per canonical form, one
/// in five a compound with separators alike), none of which occurs in the text: the cost measured
/// is the search, which must not grow with the dictionary.
fn generated_dictionary(n: usize) -> String {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut word = |len: usize| {
        let mut w = String::new();
        for i in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let c = (b'a' + (seed % 26) as u8) as char;
            w.push(if i == 0 { c.to_ascii_uppercase() } else { c });
        }
        w
    };
    let mut toml = DEFAULT_VARIANTS_TOML.to_string();
    for e in 0..n / 10 {
        // A unique fixed-width prefix per word: random words could collide, which the checks refuse.
        let canonical = format!("Zc{}{}", letters(e), word(4));
        let variants: Vec<String> = (0..10)
            .map(|v| {
                let tag = letters(e * 10 + v);
                if (e + v) % 5 == 0 {
                    format!("Zq{tag}{}-{}", word(3), word(3))
                } else {
                    format!("Zq{tag}{}", word(2 + v % 6))
                }
            })
            .collect();
        let _ = writeln!(
            toml,
            "\n[[entry]]\ncanonical = \"{canonical}\"\nvariants = {variants:?}\nseparators = \"alike\""
        );
    }
    toml
}

/// `n` written as four base-26 digits a to z (up to 456,975).
fn letters(mut n: usize) -> String {
    let mut s = String::new();
    for _ in 0..4 {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    s
}

fn stage(name: &str, text: String) -> Normalise {
    let rules = RuleSource::named(name, &text);
    Normalise::new(&NormaliseConfig::default(), &rules).unwrap()
}

fn throughput(c: &mut Criterion) {
    let text = sample_text();
    let built_in = stage("built-in", DEFAULT_VARIANTS_TOML.to_string());
    let started = std::time::Instant::now();
    let big = stage("generated", generated_dictionary(100_000));
    eprintln!(
        "built the 100,000-variant stage in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    // Both find the same replacements: the generated entries never occur.
    assert_eq!(built_in.find(&text), big.find(&text));
    let plain = text.replace(['a', 'A', 'а', 'А'], "4");
    for (name, stage, text) in [
        ("built-in dictionary", &built_in, &text),
        ("100,000 generated variants", &big, &text),
        (
            "built-in dictionary, text without matches",
            &built_in,
            &plain,
        ),
    ] {
        if let Some(mb_s) = cpu_time_throughput(stage, text) {
            eprintln!("on-CPU throughput, {name}: {mb_s:.0} MB/s");
        }
    }
    let mut group = c.benchmark_group("normalise");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("built-in dictionary", |b| {
        b.iter(|| built_in.normalise(black_box(&text)))
    });
    group.bench_function("100,000 generated variants", |b| {
        b.iter(|| big.normalise(black_box(&text)))
    });
    group.bench_function("built-in dictionary, text without matches", |b| {
        b.iter(|| built_in.normalise(black_box(&plain)))
    });
    group.bench_function("fold only", |b| {
        b.iter(|| docnorm::stages::normalise::text::fold(black_box(&text)))
    });
    group.finish();
}

/// MB/s of time actually spent on the CPU (Linux `/proc/thread-self/schedstat`), which a busy
/// shared machine does not distort as it does wall-clock time; `None` elsewhere.
fn cpu_time_throughput(stage: &Normalise, text: &str) -> Option<f64> {
    let on_cpu_ns = || -> Option<u64> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        stat.split_whitespace().next()?.parse().ok()
    };
    const ROUNDS: usize = 30;
    let start = on_cpu_ns()?;
    for _ in 0..ROUNDS {
        black_box(stage.normalise(black_box(text)));
    }
    let seconds = (on_cpu_ns()? - start) as f64 / 1e9;
    Some((text.len() * ROUNDS) as f64 / 1e6 / seconds)
}

criterion_group!(benches, throughput);
criterion_main!(benches);
