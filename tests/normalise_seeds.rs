//! End to end: the real binary on the user's samples in `raw/`, checking the normalise stage's
//! share of what a right run gives (spelling variants gone, names that must stay kept, every
//! change recorded where it was made and counted in the summary).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `docnorm run` on `input` with the repository's config; returns the records and summary.
fn run(input: &Path) -> (Vec<Value>, Value) {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_docnorm"))
        .arg("run")
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(out.path())
        .arg("--config")
        .arg(root().join("config/pipeline.toml"))
        .arg("--no-progress")
        .status()
        .unwrap();
    assert!(status.success());
    let jsonl = std::fs::read_to_string(out.path().join("documents.jsonl")).unwrap();
    let docs = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = std::fs::read_to_string(out.path().join("summary.json")).unwrap();
    (docs, serde_json::from_str(&summary).unwrap())
}

fn by_stem<'a>(docs: &'a [Value], stem: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["source"].as_str().unwrap().starts_with(stem))
        .unwrap_or_else(|| panic!("no record for {stem}"))
}

fn text(doc: &Value) -> &str {
    doc["text"].as_str().unwrap()
}

fn normalise_changes(doc: &Value) -> Vec<&Value> {
    doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["stage"] == "normalise")
        .collect()
}

#[test]
fn the_samples_variants_are_gone_and_protected_names_stay() {
    let (docs, summary) = run(&root().join("raw"));
    assert_eq!(docs.len(), 5);
    for doc in &docs {
        let whole = format!("{}\n{}", doc["title"].as_str().unwrap_or(""), text(doc));
        for variant in [
            "Alma-Ata",
            "Ama-Ata",
            "Almata",
            "Nazabayev",
            "Tasmagambegov",
            "Kazak Shantytown",
        ] {
            assert!(
                !whole.contains(variant),
                "{} still has {variant}",
                doc["source"]
            );
        }
    }
    let s001 = text(by_stem(&docs, "001_"));
    assert!(s001.contains("Nazarbayev regime"));
    assert!(s001.contains("against the Almaty"));
    let s003 = text(by_stem(&docs, "003_"));
    assert!(
        s003.contains("appointed by Almaty’s Akimat"),
        "the possessive is kept"
    );
    assert!(s003.contains("Imangali Tasmagambetov, who"));
    assert!(s003.contains("Kazak Memleketi"), "a protected phrase stays");
    assert!(s003.contains("ethnic Kazakhs"), "Kazakhs is another word");
    let s000 = by_stem(&docs, "000_");
    assert!(text(s000).contains("the Kazakh government"));
    // The source URL stays as published, wherever the clean stage puts it.
    assert!(
        s000.to_string()
            .contains("police-pick-troublemakers-kazak-shantytown")
    );
    let s004 = text(by_stem(&docs, "004_"));
    assert!(
        s004.contains("Pervyy Kanal Kazahstana"),
        "a Russian genitive in a name stays"
    );

    // Every entry is counted in the summary under normalise/<rule>.
    let mut almaty = 0;
    for doc in &docs {
        almaty += normalise_changes(doc)
            .iter()
            .filter(|c| c["rule"] == "Almaty")
            .count() as u64;
    }
    assert!(almaty >= 15, "{almaty}");
    assert_eq!(summary["changes_by_rule"]["normalise/Almaty"], almaty);
    assert_eq!(summary["changes_by_rule"]["normalise/Nazarbayev"], 1);
    assert_eq!(summary["changes_by_rule"]["normalise/Tasmagambetov"], 1);
}

#[test]
fn every_text_change_can_be_located_and_undone() {
    let (docs, _) = run(&root().join("raw"));
    for doc in &docs {
        // Detect runs after normalise and edits nothing, so the final text is normalise's output:
        // undo the changes, last first, and each `before` must land at its recorded offset.
        let mut undone = text(doc).to_string();
        let changes: Vec<&Value> = normalise_changes(doc)
            .into_iter()
            .filter(|c| c.get("field").is_none())
            .collect();
        let mut shift: i64 = 0;
        let mut located = Vec::new();
        for c in &changes {
            let at = c["at"].as_u64().unwrap() as i64 + shift;
            let (before, after) = (c["before"].as_str().unwrap(), c["after"].as_str().unwrap());
            assert_eq!(
                &undone[at as usize..at as usize + after.len()],
                after,
                "{c}"
            );
            located.push((at as usize, before, after));
            shift += after.len() as i64 - before.len() as i64;
        }
        for (at, before, after) in located.into_iter().rev() {
            undone.replace_range(at..at + after.len(), before);
        }
        for c in &changes {
            let at = c["at"].as_u64().unwrap() as usize;
            let before = c["before"].as_str().unwrap();
            assert_eq!(&undone[at..at + before.len()], before, "{c}");
        }
    }
}

#[test]
fn the_title_is_normalised_and_audited_as_a_title_edit() {
    let (docs, _) = run(&root().join("tests/fixtures/normalise/almata-title.html"));
    let doc = &docs[0];
    assert_eq!(doc["title"], "May 21, Almaty: Mass Arrests in ALMATY");
    let title_changes: Vec<&Value> = normalise_changes(doc)
        .into_iter()
        .filter(|c| c["field"] == "title")
        .collect();
    assert_eq!(title_changes.len(), 2);
    assert_eq!(title_changes[0]["before"], "Almata");
    assert_eq!(title_changes[0]["at"], 8);
    assert_eq!(title_changes[1]["after"], "ALMATY");
    let body = text(doc);
    assert!(body.contains("rally in Almaty,"), "{body}");
    assert!(body.contains("Kazak Memleketi"), "{body}");
    assert!(body.contains("https://example.org/almata"), "{body}");
    assert!(body.contains("#Almata"), "{body}");
}

#[test]
fn a_bad_dictionary_stops_the_run_naming_file_line_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pipeline.toml"), "").unwrap();
    let variants = dir.path().join("variants.toml");
    let cases = [
        (
            "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Almata\"]\n\n[[entry]]\ncanonical = \"Alma\"\nvariants = [\"Almata\"]\n",
            ":7 (entry \"Almata\"): variant listed under two canonical forms",
        ),
        (
            "[[entry]]\ncanonical = \"Kazakh\"\nvariants = [\"Kazak\"]\n\n[[protected]]\nphrase = \"Kazak\"\n",
            ":5 (entry \"Kazak\"): protected phrase is also a variant",
        ),
        (
            "[[entry]]\ncanonical = \"Almaty\"\nvariants = []\n",
            ":3 (entry \"Almaty\"): no variants listed",
        ),
        (
            "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Almata\"\n",
            ":3 (entry \"Almaty\"): ",
        ),
    ];
    for (text, expected) in cases {
        std::fs::write(&variants, text).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_docnorm"))
            .args(["run", "--no-progress", "--input"])
            .arg(root().join("raw"))
            .arg("--output")
            .arg(dir.path().join("out"))
            .arg("--config")
            .arg(dir.path().join("pipeline.toml"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{text}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let named = format!("{}{expected}", variants.display());
        assert!(stderr.contains(&named), "{stderr}\nwanted: {named}");
        assert!(!dir.path().join("out/documents.jsonl").exists());
    }
}
