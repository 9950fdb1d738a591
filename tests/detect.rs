//! End-to-end tests of the detect stage: the real binary on the seeds, on documents in other
//! languages, and `docnorm detect-language` on stdin.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_docnorm");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/detect");

/// Runs `docnorm run` on `input` and returns the documents, keyed by source file stem.
fn run(input: &Path) -> Vec<(String, Value)> {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(BIN)
        .args(["run", "--no-progress", "--input"])
        .arg(input)
        .arg("--output")
        .arg(out.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success());
    let jsonl = std::fs::read_to_string(out.path().join("documents.jsonl")).unwrap();
    jsonl
        .lines()
        .map(|l| {
            let doc: Value = serde_json::from_str(l).unwrap();
            let stem = doc["source"]
                .as_str()
                .unwrap()
                .trim_end_matches(".txt")
                .to_string();
            (stem, doc)
        })
        .collect()
}

#[test]
fn the_seeds_are_english_in_latin_script() {
    let docs = run(&Path::new(env!("CARGO_MANIFEST_DIR")).join("raw"));
    assert_eq!(docs.len(), 5);
    for (source, doc) in docs {
        assert_eq!(doc["language"], "en", "{source}");
        assert_eq!(doc["script"], "Latin", "{source}");
        assert!(
            doc["language_confidence"].as_f64().unwrap() > 0.5,
            "{source}"
        );
        assert!(doc["languages"].is_null(), "{source}");
    }
}

#[test]
fn documents_in_other_languages_get_their_language_and_script() {
    let docs = run(&Path::new(FIXTURES).join("docs"));
    assert_eq!(docs.len(), 8);
    for (stem, doc) in &docs {
        let expected = stem.split('-').next_back().unwrap();
        if stem.starts_with("mixed") {
            continue;
        }
        assert_eq!(doc["language"], expected, "{stem}: {}", doc["language"]);
        let script = if ["ru", "kk", "uk", "ky"].contains(&expected) {
            "Cyrillic"
        } else {
            "Latin"
        };
        assert_eq!(doc["script"], script, "{stem}");
        let confidence = doc["language_confidence"].as_f64().unwrap();
        assert!((0.5..=1.0).contains(&confidence), "{stem}: {confidence}");
    }
}

#[test]
fn a_mixed_document_records_each_language_share() {
    let docs = run(&Path::new(FIXTURES).join("docs"));
    let (_, mixed) = docs.iter().find(|(s, _)| s == "mixed-en-kk").unwrap();
    assert_eq!(mixed["language"], "en");
    let shares = mixed["languages"]
        .as_object()
        .expect("shares of a mixed document");
    assert_eq!(shares.keys().collect::<Vec<_>>(), ["en", "kk"]);
    let kk = shares["kk"].as_f64().unwrap();
    assert!((0.15..0.4).contains(&kk), "{kk}");
}

fn detect_language(args: &[&str], input: &str) -> String {
    let mut child = Command::new(BIN)
        .arg("detect-language")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn detect_language_prints_one_code_per_line_in_order() {
    let tsv = std::fs::read_to_string(Path::new(FIXTURES).join("sentences.tsv")).unwrap();
    let (expected, sentences): (Vec<&str>, Vec<&str>) =
        tsv.lines().filter_map(|l| l.split_once('\t')).unzip();
    let mut input = sentences.join("\n");
    input.push_str("\n\n12:30\n");
    let output = detect_language(&[], &input);
    let got: Vec<&str> = output.lines().collect();
    assert_eq!(got.len(), expected.len() + 2);
    assert_eq!(&got[expected.len()..], ["und", "und"]);
    let wrong: Vec<String> = expected
        .iter()
        .zip(&got)
        .zip(&sentences)
        .filter(|((e, g), _)| e != g)
        .map(|((e, g), s)| format!("{e} read as {g}: {s}"))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn detect_language_streams_an_answer_per_line_before_stdin_ends() {
    let mut child = Command::new(BIN)
        .arg("detect-language")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    for (text, code) in [
        ("Қала әкімдігі жаңа мектеп салуға уәде берді.", "kk"),
        ("Der Zug ist heute pünktlich angekommen.", "de"),
    ] {
        writeln!(stdin, "{text}").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim_end(), code);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn detect_language_can_be_restricted_and_rejects_unknown_codes() {
    let german = "Die Regierung versprach, in der Region neue Schulen zu bauen.\n";
    assert_eq!(detect_language(&["--languages", "de,en"], german), "de\n");
    assert_ne!(
        detect_language(&["--languages", "en,ru,kk"], german),
        "de\n"
    );
    let out = Command::new(BIN)
        .args(["detect-language", "--languages", "klingon"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("klingon"));
}
