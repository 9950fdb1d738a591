//! End-to-end tests of `docnorm run`: the real binary on the sample corpus in `raw/` and on files
//! generated in each supported encoding.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn docnorm() -> Command {
    Command::new(env!("CARGO_BIN_EXE_docnorm"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `docnorm run` with `args` from `cwd` and returns its output, asserting exit status 0.
fn run_ok(cwd: &Path, args: &[&str]) -> Output {
    let out = docnorm()
        .current_dir(cwd)
        .arg("run")
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "docnorm run {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is one JSON object"))
        .collect()
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

fn column<'a>(headers: &[String], row: &'a [String], name: &str) -> &'a str {
    let i = headers.iter().position(|h| h == name).unwrap();
    &row[i]
}

#[test]
fn the_sample_corpus_runs_with_built_in_defaults_from_any_folder() {
    let out_dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let raw = repo().join("raw");
    let out = run_ok(
        elsewhere.path(),
        &[
            "--input",
            raw.to_str().unwrap(),
            "--output",
            out_dir.path().to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("5 documents, 0 rejects"), "{stderr}");
    assert!(stderr.contains("MB/s"), "{stderr}");

    let docs = jsonl(&out_dir.path().join("documents.jsonl"));
    assert_eq!(docs.len(), 5);
    let mut seen_ids = std::collections::HashSet::new();
    for (doc, name) in docs.iter().zip(sorted_names(&raw)) {
        assert_eq!(doc["source"], name.as_str(), "input order is kept");
        let bytes = std::fs::read(raw.join(&name)).unwrap();
        assert_eq!(doc["raw_sha256"], sha256(&bytes));
        assert_eq!(doc["raw_bytes"], bytes.len());
        assert_eq!(doc["encoding"], "UTF-8");
        assert_eq!(doc["format"], "text");
        assert_eq!(doc["pipeline"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(doc["pipeline"]["config_sha256"].as_str().unwrap().len(), 64);
        assert!(seen_ids.insert(doc["id"].as_str().unwrap().to_string()));
        let text = doc["text"].as_str().unwrap();
        assert!(
            !text.contains("\n\n\n"),
            "paragraphs are separated by one blank line"
        );
        assert!(!text.contains('\r'));
        assert_eq!(doc["chars"], text.chars().count());
        for key in [
            "url",
            "title",
            "author",
            "published",
            "language",
            "language_confidence",
            "changes",
        ] {
            assert!(doc.get(key).is_some(), "field {key} is always present");
        }
    }

    let (headers, rows) = csv_rows(&out_dir.path().join("documents.csv"));
    assert_eq!(rows.len(), 5);
    for (row, doc) in rows.iter().zip(&docs) {
        assert_eq!(column(&headers, row, "id"), doc["id"]);
        assert_eq!(column(&headers, row, "text"), doc["text"]);
    }
    assert_eq!(
        std::fs::read_to_string(out_dir.path().join("rejects.jsonl")).unwrap(),
        ""
    );
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.path().join("summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["documents"], 5);
    assert_eq!(summary["rejects"], 0);
    let leftovers: Vec<_> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files remain: {leftovers:?}"
    );
}

fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn sha256(bytes: &[u8]) -> String {
    docnorm::document::sha256_hex(bytes)
}

const RUSSIAN: &str = "Жители микрорайона Шанырак вышли на улицы, чтобы защитить свои дома от сноса.\n\nПолиция задержала несколько активистов, но люди не разошлись.\n";
const FRENCH: &str = "Les habitants du quartier ont refusé de quitter leurs maisons. « Nous resterons ici », a déclaré une retraitée, déçue par l’attitude des autorités.\n";

/// Every supported encoding, written as bytes, must come out as the same text.
fn encoded_corpus(dir: &Path) -> Vec<(&'static str, &'static str, &'static str)> {
    let files: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("utf8.txt", RUSSIAN.as_bytes().to_vec(), "UTF-8", RUSSIAN),
        (
            "utf16le-bom.txt",
            [0xFF, 0xFE]
                .into_iter()
                .chain(RUSSIAN.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
            "UTF-16LE",
            RUSSIAN,
        ),
        (
            "utf16be-bom.txt",
            [0xFE, 0xFF]
                .into_iter()
                .chain(FRENCH.encode_utf16().flat_map(u16::to_be_bytes))
                .collect(),
            "UTF-16BE",
            FRENCH,
        ),
        (
            "windows-1251.txt",
            encoding_rs::WINDOWS_1251.encode(RUSSIAN).0.into_owned(),
            "windows-1251",
            RUSSIAN,
        ),
        (
            "koi8-r.txt",
            encoding_rs::KOI8_R.encode(RUSSIAN).0.into_owned(),
            "KOI8",
            RUSSIAN,
        ),
        (
            "windows-1252.txt",
            encoding_rs::WINDOWS_1252.encode(FRENCH).0.into_owned(),
            "windows-1252",
            FRENCH,
        ),
        // UTF-8 read as Latin-1 and written out as UTF-8 again: ’ has become â and two C1
        // controls (repaired by decode), é "Ã©" (repaired by clean).
        (
            "utf8-read-as-latin1.txt",
            FRENCH
                .bytes()
                .map(char::from)
                .collect::<String>()
                .into_bytes(),
            "UTF-8",
            FRENCH,
        ),
    ];
    files
        .into_iter()
        .map(|(name, bytes, enc, text)| {
            std::fs::write(dir.join(name), bytes).unwrap();
            (name, enc, text)
        })
        .collect()
}

#[test]
fn every_supported_encoding_decodes_to_the_same_text() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    let expected = encoded_corpus(input.path());
    run_ok(
        input.path(),
        &["--input", ".", "--output", output.path().to_str().unwrap()],
    );
    let docs = jsonl(&output.path().join("documents.jsonl"));
    assert_eq!(docs.len(), expected.len());
    for (name, encoding, text) in expected {
        let doc = docs.iter().find(|d| d["source"] == name).unwrap();
        assert!(
            doc["encoding"].as_str().unwrap().starts_with(encoding),
            "{name}: {}",
            doc["encoding"]
        );
        // What chose it: a byte-order mark, valid UTF-8, or else chardetng.
        let source = match (name.contains("-bom"), encoding) {
            (true, _) => "bom",
            (false, "UTF-8") => "valid-utf-8",
            _ => "guess",
        };
        assert_eq!(doc["encoding_source"], source, "{name}");
        let want: Vec<&str> = text.split("\n\n").map(str::trim).collect();
        let got: Vec<&str> = doc["text"].as_str().unwrap().split("\n\n").collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn outputs_are_byte_identical_whatever_the_number_of_jobs() {
    let input = tempfile::tempdir().unwrap();
    encoded_corpus(input.path());
    for f in sorted_names(&repo().join("raw")) {
        std::fs::copy(repo().join("raw").join(&f), input.path().join(&f)).unwrap();
    }
    std::fs::write(input.path().join("empty.txt"), b"").unwrap();
    std::fs::create_dir(input.path().join("sub")).unwrap();
    std::fs::write(
        input.path().join("sub/page.html"),
        b"<html><head><title>T</title></head><body><p>Hello there, world.</p></body></html>",
    )
    .unwrap();
    let mut outputs = Vec::new();
    for jobs in ["1", "2", "7"] {
        let out = tempfile::tempdir().unwrap();
        run_ok(
            input.path(),
            &[
                "--input",
                ".",
                "--output",
                out.path().to_str().unwrap(),
                "--jobs",
                jobs,
            ],
        );
        outputs.push(out);
    }
    for name in [
        "documents.jsonl",
        "documents.csv",
        "rejects.jsonl",
        "summary.json",
    ] {
        let first = std::fs::read(outputs[0].path().join(name)).unwrap();
        for other in &outputs[1..] {
            assert!(
                first == std::fs::read(other.path().join(name)).unwrap(),
                "{name} differs between --jobs values"
            );
        }
    }
    let rejects = jsonl(&outputs[0].path().join("rejects.jsonl"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["source"], "empty.txt");
    assert_eq!(rejects[0]["reason"], "empty");
    let docs = jsonl(&outputs[0].path().join("documents.jsonl"));
    assert!(
        docs.iter()
            .any(|d| d["source"] == "sub/page.html" && d["format"] == "html")
    );
}

#[test]
fn every_input_is_accounted_for_once_and_rejects_say_why() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    let p = input.path();
    std::fs::write(p.join("a-empty.txt"), b"").unwrap();
    std::fs::write(p.join("b-blank.txt"), b"  \r\n\t\n").unwrap();
    std::fs::write(p.join("c-image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(p.join("d-good.txt"), "A good sentence about Almaty.\n").unwrap();
    std::fs::write(p.join("e-zip.txt"), b"PK\x03\x04\x14\0\0\0\x08\0").unwrap();
    run_ok(
        p,
        &["--input", ".", "--output", output.path().to_str().unwrap()],
    );
    let docs = jsonl(&output.path().join("documents.jsonl"));
    let rejects = jsonl(&output.path().join("rejects.jsonl"));
    assert_eq!(docs.len(), 1);
    let reasons: Vec<(&str, &str)> = rejects
        .iter()
        .map(|r| (r["source"].as_str().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("a-empty.txt", "empty"),
            ("b-blank.txt", "whitespace-only"),
            ("c-image.txt", "not text"),
            ("e-zip.txt", "not text"),
        ]
    );
    assert!(
        rejects
            .iter()
            .all(|r| !r["detail"].as_str().unwrap().is_empty())
    );
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(output.path().join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["inputs"], 5);
    assert_eq!(summary["rejects_by_reason"]["not text"], 2);
}

/// The walker keeps files open for the workers it runs ahead of; under a small limit of open
/// files (macOS's default is 256) it must leave room for the folders and the workers' own opens.
#[cfg(unix)]
#[test]
fn a_low_limit_of_open_files_still_reads_every_input() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    for folder in ["a", "b/c", "d"] {
        let dir = input.path().join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..200 {
            let text = format!("Document {i} of {folder}, about the markets of Almaty.\n");
            std::fs::write(dir.join(format!("{i:03}.txt")), text).unwrap();
        }
    }
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -n 48 && exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_docnorm"))
        .args(["run", "--jobs", "16", "--input"])
        .arg(input.path())
        .arg("--output")
        .arg(output.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(jsonl(&output.path().join("documents.jsonl")).len(), 600);
    let rejects = std::fs::read_to_string(output.path().join("rejects.jsonl")).unwrap();
    assert_eq!(rejects, "", "no input may be lost to the limit");
}

#[test]
fn csv_cells_that_a_spreadsheet_would_execute_are_neutralised() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    std::fs::write(
        input.path().join("=cmd.html"),
        "<html><head><title>=HYPERLINK(\"http://x\",\"y\")</title></head><body><p>-2+3 is what the text says, with a \"quote\", and a comma.</p></body></html>",
    )
    .unwrap();
    run_ok(
        input.path(),
        &["--input", ".", "--output", output.path().to_str().unwrap()],
    );
    let (headers, rows) = csv_rows(&output.path().join("documents.csv"));
    assert_eq!(rows.len(), 1);
    assert_eq!(column(&headers, &rows[0], "source"), "'=cmd.html");
    assert!(column(&headers, &rows[0], "title").starts_with("'="));
    assert!(column(&headers, &rows[0], "text").starts_with("'-2+3"));
    // The JSON keeps the true values: neutralising is for spreadsheets only.
    let docs = jsonl(&output.path().join("documents.jsonl"));
    assert_eq!(docs[0]["source"], "=cmd.html");
}

#[test]
fn a_bad_config_stops_the_run_with_one_line_that_says_where() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pipeline.toml"), "[input]\nmax_bytez = 3\n").unwrap();
    let out = docnorm()
        .current_dir(dir.path())
        .args(["run", "--config", "pipeline.toml", "--input", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("pipeline.toml:2"), "{stderr}");
    assert!(stderr.contains("max_bytez"), "{stderr}");
}

#[test]
fn a_missing_input_or_unwritable_output_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = docnorm()
        .current_dir(dir.path())
        .args(["run", "--input", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere"));

    std::fs::write(dir.path().join("a.txt"), "Some text.").unwrap();
    std::fs::write(dir.path().join("file"), "not a folder").unwrap();
    let out = docnorm()
        .current_dir(dir.path())
        .args(["run", "--input", "a.txt", "--output", "file/out"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("file/out"), "{stderr}");
}

#[test]
fn the_default_input_is_raw_and_the_default_output_normalized() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("raw")).unwrap();
    std::fs::write(dir.path().join("raw/one.txt"), "One short document.").unwrap();
    run_ok(dir.path(), &[]);
    let docs = jsonl(&dir.path().join("normalized/documents.jsonl"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["source"], "one.txt");
}

/// An article page with a members' box inside it that no built-in hint names.
const PAGE_WITH_A_CALLOUT: &str = "<html><head><title>Rents rise</title></head><body><article>\
    <h1>Rents rise again</h1>\
    <p>Rents in the city rose for the sixth month in a row, the housing office said on Monday, \
    and tenants' groups asked the council to cap increases for the coming year.</p>\
    <div class=\"member-callout\"><p>Members read every story first and get the weekly digest \
    in their inbox before anyone else does.</p></div>\
    <p>The office said the average rent of a two-room flat is now a fifth higher than two years \
    ago, and that the rise is fastest in the districts near the new metro line.</p>\
    </article></body></html>";

#[test]
fn an_extract_hints_file_beside_the_settings_adds_a_furniture_word() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("page.html"), PAGE_WITH_A_CALLOUT).unwrap();
    let conf = dir.path().join("conf");
    std::fs::create_dir(&conf).unwrap();
    std::fs::write(conf.join("pipeline.toml"), "").unwrap();
    let text_of = |out: &str| {
        let docs = jsonl(&dir.path().join(out).join("documents.jsonl"));
        assert_eq!(docs.len(), 1);
        docs[0].clone()
    };

    let args = [
        "--input",
        "in",
        "--config",
        "conf/pipeline.toml",
        "--no-progress",
    ];
    run_ok(dir.path(), &[&args[..], &["--output", "built-in"]].concat());
    let built_in = text_of("built-in");
    assert!(
        built_in["text"]
            .as_str()
            .unwrap()
            .contains("Members read every story")
    );

    let mine = std::fs::read_to_string(repo().join("config/extract-hints.toml"))
        .unwrap()
        .replace("\"trending\",", "\"trending\", \"member-callout\",");
    std::fs::write(conf.join("extract-hints.toml"), mine).unwrap();
    run_ok(dir.path(), &[&args[..], &["--output", "mine"]].concat());
    let doc = text_of("mine");
    let text = doc["text"].as_str().unwrap();
    assert!(!text.contains("Members read every story"), "{text}");
    assert!(text.contains("fastest in the districts"), "{text}");
    let rules: Vec<&str> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["rule"].as_str())
        .collect();
    assert!(rules.contains(&"extract/dropped-furniture"), "{rules:?}");
    assert_ne!(
        doc["pipeline"]["config_sha256"],
        built_in["pipeline"]["config_sha256"]
    );

    std::fs::write(
        conf.join("extract-hints.toml"),
        "[prune]\ncomments = [\"disq(us\"]\n",
    )
    .unwrap();
    let out = docnorm()
        .current_dir(dir.path())
        .args([
            "run",
            "--input",
            "in",
            "--config",
            "conf/pipeline.toml",
            "--output",
            "bad",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("extract-hints.toml"), "{stderr}");
}
