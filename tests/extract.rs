//! End-to-end tests of the extract stage through the real binary: `docnorm extract` on a sample of
//! real pages (tests/fixtures/extract, CC-BY-4.0, from WCXB) scored against their human-annotated
//! main text and metadata, and `docnorm run` on hostile HTML.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use unicode_segmentation::UnicodeSegmentation;

const BIN: &str = env!("CARGO_BIN_EXE_docnorm");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract")
}

fn expected() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Runs `docnorm extract --metadata` (from a folder with no config, so built-in defaults apply).
fn extract(page: &Path) -> (Value, String) {
    let out = Command::new(BIN)
        .args(["extract", "--metadata"])
        .arg(page)
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let (meta, text) = stdout.split_once('\n').unwrap();
    (serde_json::from_str(meta).unwrap(), text.to_string())
}

fn bag(text: &str) -> HashMap<String, u32> {
    let mut words = HashMap::new();
    for w in text.unicode_words() {
        *words.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    words
}

/// Bag-of-words F1 of a prediction against the annotated text.
fn token_f1(predicted: &str, truth: &str) -> f64 {
    let (p, t) = (bag(predicted), bag(truth));
    let common: u32 = p
        .iter()
        .map(|(w, n)| (*n).min(*t.get(w).unwrap_or(&0)))
        .sum();
    let (np, nt): (u32, u32) = (p.values().sum(), t.values().sum());
    if common == 0 {
        return 0.0;
    }
    let (precision, recall) = (common as f64 / np as f64, common as f64 / nt as f64);
    2.0 * precision * recall / (precision + recall)
}

/// As the WCXB metadata scorer counts it: one name contains the other, or two name words agree.
fn same_person(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> { s.unicode_words().map(str::to_lowercase).collect() };
    let (wa, wb) = (words(a), words(b));
    let (ja, jb) = (wa.join(" "), wb.join(" "));
    if ja.contains(&jb) || jb.contains(&ja) {
        return true;
    }
    wa.iter().filter(|w| w.len() > 1 && wb.contains(w)).count() >= 2
}

fn normalised(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace(['’', '‘'], "'")
}

#[test]
fn main_text_of_real_pages_matches_the_annotation() {
    let mut scores = Vec::new();
    for (id, truth) in expected() {
        let (_, text) = extract(&fixtures().join(format!("{id}.html")));
        let f1 = token_f1(&text, truth["text"].as_str().unwrap());
        let kind = truth["page_type"].as_str().unwrap().to_string();
        eprintln!("{id} {kind:<13} F1 {f1:.3}");
        scores.push((id, kind, f1));
    }
    let mean = scores.iter().map(|s| s.2).sum::<f64>() / scores.len() as f64;
    eprintln!("mean F1 {mean:.3}");
    assert!(
        mean >= MIN_MEAN_F1,
        "mean token F1 {mean:.3} < {MIN_MEAN_F1}"
    );
    for (id, kind, f1) in &scores {
        let floor = if kind == "article" {
            MIN_ARTICLE_F1
        } else {
            MIN_PAGE_F1
        };
        assert!(*f1 >= floor, "{id} ({kind}): token F1 {f1:.3} < {floor}");
    }
}

/// Floors a little under what the extractor reaches today, so a regression fails the test.
const MIN_MEAN_F1: f64 = 0.80;
const MIN_ARTICLE_F1: f64 = 0.85;
const MIN_PAGE_F1: f64 = 0.40;

#[test]
fn metadata_of_real_pages_matches_the_annotation() {
    let (mut titles, mut authors, mut dates) = ((0, 0), (0, 0), (0, 0));
    for (id, truth) in expected() {
        let (meta, _) = extract(&fixtures().join(format!("{id}.html")));
        let got = |k: &str| meta[k].as_str().map(normalised);
        if let Some(t) = truth["title"].as_str() {
            titles.1 += 1;
            titles.0 += (got("title") == Some(normalised(t))) as u32;
        }
        if let Some(a) = truth["author"].as_str() {
            authors.1 += 1;
            authors.0 += got("author").is_some_and(|g| same_person(&g, &normalised(a))) as u32;
        }
        if let Some(d) = truth["publish_date"].as_str() {
            dates.1 += 1;
            dates.0 +=
                got("published").is_some_and(|g| g.starts_with(&d[..10.min(d.len())])) as u32;
        }
        // Never a copyright line or a sign-in link for an author, never a bare year for a date.
        if let Some(a) = got("author") {
            assert!(
                !a.contains('©') && !a.contains("sign in"),
                "{id}: author {a:?}"
            );
        }
        if let Some(d) = got("published") {
            assert!(d.len() >= 10 && d.as_bytes()[4] == b'-', "{id}: date {d:?}");
        }
        eprintln!("{id}: {meta}");
    }
    eprintln!("titles {titles:?} authors {authors:?} dates {dates:?}");
    assert!(titles.0 * 10 >= titles.1 * 7, "titles {titles:?}");
    assert!(authors.0 * 10 >= authors.1 * 4, "authors {authors:?}");
    assert!(dates.0 * 10 >= dates.1 * 6, "dates {dates:?}");
}

fn run(dir: &Path, config: Option<&Path>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(["run", "--no-progress", "--jobs", "2", "--input"])
        .arg(dir.join("in"))
        .arg("--output")
        .arg(dir.join("out"))
        .current_dir(dir);
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    cmd.output().unwrap()
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn hostile_pages_do_not_hurt_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let depth = 100_000;
    let nested = format!(
        "<html><body>{}deep text{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    std::fs::write(input.join("a-nested.html"), nested).unwrap();
    let huge = format!(
        "<html><body>{}</body></html>",
        "<p>filler text</p>\n".repeat(3_000_000)
    );
    assert!(huge.len() > 50_000_000);
    std::fs::write(input.join("b-huge.html"), huge).unwrap();
    std::fs::write(
        input.join("c-truncated.html"),
        "<html><head><title>Cut</title></head><body><article><p>The first paragraph of a page that was cut off <b>in the mid",
    )
    .unwrap();
    // Deterministic junk: bytes of a simple generator, all values.
    let junk: Vec<u8> = (0u32..200_000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(input.join("d-junk.html"), junk).unwrap();
    std::fs::copy(fixtures().join("0488.html"), input.join("e-good.html")).unwrap();

    // A generous budget: this test is about recursion, size and junk, not time (an unoptimised
    // test build is slow), and the budget has its own test below.
    let config = dir.path().join("pipeline.toml");
    std::fs::write(&config, "[extract]\ntime_budget_ms = 120000\n").unwrap();
    let out = run(dir.path(), Some(&config));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = lines(&dir.path().join("out/documents.jsonl"));
    let rejects = lines(&dir.path().join("out/rejects.jsonl"));
    assert_eq!(docs.len() + rejects.len(), 5);
    let doc = |name: &str| docs.iter().find(|d| d["source"] == name);
    let nested =
        doc("a-nested.html").unwrap_or_else(|| panic!("nested page rejected: {rejects:?}"));
    assert_eq!(nested["text"], "deep text");
    assert!(
        doc("c-truncated.html").unwrap()["text"]
            .as_str()
            .unwrap()
            .contains("cut off in the mid")
    );
    assert!(doc("e-good.html").is_some());
    let huge = rejects
        .iter()
        .find(|r| r["source"] == "b-huge.html")
        .unwrap();
    assert_eq!(huge["reason"], "too large");
    for r in &rejects {
        assert_ne!(r["reason"], "internal error", "{r}");
    }
}

#[test]
fn a_page_over_the_time_budget_becomes_a_reject() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::copy(
        fixtures().join("0488.html"),
        dir.path().join("in/page.html"),
    )
    .unwrap();
    let config = dir.path().join("pipeline.toml");
    std::fs::write(&config, "[extract]\ntime_budget_ms = 0\n").unwrap();
    let out = run(dir.path(), Some(&config));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rejects = lines(&dir.path().join("out/rejects.jsonl"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["reason"], "extraction timeout");
}

#[test]
fn unknown_extract_settings_are_errors_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    let config = dir.path().join("pipeline.toml");
    std::fs::write(&config, "[extract]\nmax_dept = 3\n").unwrap();
    let out = run(dir.path(), Some(&config));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("max_dept") && err.contains("pipeline.toml"),
        "{err}"
    );
}
