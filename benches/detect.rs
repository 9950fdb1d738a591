//! Accuracy and speed of the detect stage against whatlang alone.
//!
//! `cargo bench --bench detect -- bench/data/udhr-sentences.tsv [more.tsv ...]`
//!
//! Each input is `LANG<TAB>SENTENCE` lines. Single sentences are detected one by one; documents
//! are built per language from sentences spread over the file (paragraphs of five sentences, at
//! least 300 words, 600 characters for Chinese). Prints a Markdown table: accuracy per language on
//! sentences and on documents for whatlang alone, docnorm's detector with all languages, and
//! docnorm restricted to the ten goal languages; then MB/s on documents on one core.

use std::collections::BTreeMap;
use std::time::Instant;

use docnorm::stages::detect::{Detect, DetectConfig, iso::iso639_1};

const GOAL: [&str; 10] = ["en", "ru", "kk", "uk", "tr", "de", "fr", "es", "ar", "zh"];
const ORDER: [&str; 16] = [
    "en", "ru", "kk", "uk", "tr", "de", "fr", "es", "ar", "zh", "be", "bg", "mk", "sr", "mn", "ky",
];

type Labeler<'a> = Box<dyn Fn(&str) -> String + 'a>;

fn main() {
    let files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if files.is_empty() {
        eprintln!("usage: cargo bench --bench detect -- FILE.tsv...");
        std::process::exit(2);
    }
    let mut sentences: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable TSV");
        for (lang, sentence) in text.lines().filter_map(|l| l.split_once('\t')) {
            sentences
                .entry(lang.to_string())
                .or_default()
                .push(sentence.to_string());
        }
    }
    let documents: BTreeMap<String, Vec<String>> = sentences
        .iter()
        .map(|(lang, s)| (lang.clone(), build_documents(lang, s)))
        .collect();

    let all = Detect::new(&DetectConfig::default()).expect("default config");
    let goal = Detect::new(&DetectConfig {
        languages: GOAL.iter().map(|s| s.to_string()).collect(),
        ..DetectConfig::default()
    })
    .expect("goal config");
    let systems: Vec<(&str, Labeler)> = vec![
        ("whatlang", Box::new(whatlang_label)),
        (
            "docnorm",
            Box::new(|t: &str| all.detect_text(t).0.code().to_string()),
        ),
        (
            "docnorm 10",
            Box::new(|t: &str| goal.detect_text(t).0.code().to_string()),
        ),
    ];

    println!("Inputs: {}", files.join(", "));
    println!();
    println!(
        "| lang | n sent | n docs | sentences: whatlang | docnorm | docnorm 10 | documents: whatlang | docnorm | docnorm 10 |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut confusions: BTreeMap<(&str, String), BTreeMap<String, usize>> = BTreeMap::new();
    for lang in ORDER.iter().filter(|l| sentences.contains_key(**l)) {
        let s = &sentences[*lang];
        let d = &documents[*lang];
        let mut cells = Vec::new();
        for set in [s, d] {
            for (name, label) in &systems {
                if !GOAL.contains(lang) && *name == "docnorm 10" {
                    cells.push("–".to_string());
                    continue;
                }
                let mut ok = 0;
                for text in set {
                    let got = label(text);
                    if got == *lang {
                        ok += 1;
                    } else if *name != "whatlang" {
                        *confusions
                            .entry((name, lang.to_string()))
                            .or_default()
                            .entry(got)
                            .or_default() += 1;
                    }
                }
                cells.push(format!("{:.1}", 100.0 * ok as f64 / set.len() as f64));
            }
        }
        println!(
            "| {lang} | {} | {} | {} |",
            s.len(),
            d.len(),
            cells.join(" | ")
        );
    }
    println!();
    for ((name, lang), wrong) in &confusions {
        println!("{name} on {lang}: wrong answers {wrong:?}");
    }
    println!();
    let flagged: Vec<String> = ORDER
        .iter()
        .filter_map(|l| documents.get(*l).map(|d| (l, d)))
        .map(|(l, docs)| {
            let n = docs
                .iter()
                .filter(|d| all.detect_text(d).1.is_some())
                .count();
            format!("{l} {n}/{}", docs.len())
        })
        .collect();
    println!(
        "Single-language documents wrongly flagged as mixed by docnorm: {}",
        flagged.join(", ")
    );
    println!();
    let goal_docs: Vec<&String> = GOAL
        .iter()
        .filter_map(|l| documents.get(*l))
        .flatten()
        .collect();
    let bytes: usize = goal_docs.iter().map(|d| d.len()).sum();
    println!(
        "Speed on the {} documents of the goal languages ({:.2} MB), one core:",
        goal_docs.len(),
        bytes as f64 / 1e6
    );
    println!(
        "(MB/s of wall time, and of the thread's own CPU time, which a busy machine disturbs less)"
    );
    for (name, label) in &systems {
        let rounds = 5;
        let started = Instant::now();
        let cpu_started = thread_cpu_ns();
        for _ in 0..rounds {
            for d in &goal_docs {
                std::hint::black_box(label(d));
            }
        }
        let secs = started.elapsed().as_secs_f64();
        let mb = (bytes * rounds) as f64 / 1e6;
        let cpu = match (cpu_started, thread_cpu_ns()) {
            (Some(a), Some(b)) => format!("{:.1} MB/s of CPU time", mb / ((b - a) as f64 / 1e9)),
            _ => "CPU time not available".to_string(),
        };
        println!("- {name}: {:.1} MB/s of wall time, {cpu}", mb / secs);
    }
}

/// Nanoseconds this thread has run on a CPU (Linux `schedstat`), when the system tells.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn whatlang_label(text: &str) -> String {
    whatlang::detect(text).map_or_else(|| "und".to_string(), |i| iso639_1(i.lang()).to_string())
}

/// One document per sentence: sentences i, i+7, i+14, … (wrapping) until the length target.
fn build_documents(lang: &str, sentences: &[String]) -> Vec<String> {
    let long_enough = |words: usize, chars: usize| {
        if lang == "zh" {
            chars >= 600
        } else {
            words >= 300
        }
    };
    (0..sentences.len())
        .map(|start| {
            let mut paragraphs = Vec::new();
            let mut paragraph: Vec<&str> = Vec::new();
            let (mut words, mut chars, mut k) = (0, 0, 0);
            while !long_enough(words, chars) && k < 10 * sentences.len() {
                let s = &sentences[(start + k * 7) % sentences.len()];
                words += s.split_whitespace().count();
                chars += s.chars().count();
                paragraph.push(s);
                if paragraph.len() == 5 {
                    paragraphs.push(paragraph.join(" "));
                    paragraph.clear();
                }
                k += 1;
            }
            if !paragraph.is_empty() {
                paragraphs.push(paragraph.join(" "));
            }
            paragraphs.join("\n\n")
        })
        .collect()
}
