//! A folder of hostile inputs through the real binary: every input is accounted for exactly once,
//! with the documented reason, damaged text is repaired and recorded, and every output line is
//! safe to read (one complete JSON object, valid UTF-8; no CSV cell a spreadsheet would execute).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use unicode_normalization::is_nfc;

const CYRILLIC_NAME: &str = "file with spaces и кириллица.txt";

/// What each input must become: a document, a reject with one of these reasons, or either.
enum Expect {
    Document,
    Reject(&'static [&'static str]),
    Either,
}

/// Writes the hostile inputs into `dir` and says what each must become, by source name.
fn hostile_inputs(dir: &Path) -> BTreeMap<String, Expect> {
    let mut expect = BTreeMap::new();
    let mut put = |name: &str, bytes: &[u8], outcome: Expect| {
        std::fs::write(dir.join(name), bytes).unwrap();
        expect.insert(name.to_string(), outcome);
    };
    put("empty.txt", b"", Expect::Reject(&["empty"]));
    put(
        "blank.txt",
        b" \n\t  \r\n\x0c \n",
        Expect::Reject(&["whitespace-only"]),
    );
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend((0..600u32).map(|i| (i * 37 % 251) as u8));
    put("image.txt", &png, Expect::Reject(&["not text"]));
    let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    zip.extend(b"hello.txt and some deflated bytes \x01\x02\xff\xfe");
    put("archive.txt", &zip, Expect::Reject(&["not text"]));
    put(
        "nul.txt",
        b"Good text before the damage.\x00\x00 Good text after it, still a document.\n",
        Expect::Document,
    );
    let mut invalid = "Жители Алматы вышли на площадь. ".repeat(4).into_bytes();
    invalid.insert(12, 0xff);
    put("invalid-byte.txt", &invalid, Expect::Document);
    let mut long_line = b"word ".repeat(8 * 1024 * 1024 / 5);
    long_line.truncate(8 * 1024 * 1024);
    put("long-line.txt", &long_line, Expect::Reject(&["too large"]));
    // The placeholder extractor recurses per element: this is also a stack test.
    let nested = format!(
        "{}deep text{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    put("nested.html", nested.as_bytes(), Expect::Either);
    put(
        "truncated.html",
        b"<html><head><title>Cut short</title></head><body><p>The first paragraph survived.</p><p>The second was cut <a href=\"http://exa",
        Expect::Document,
    );
    let junk: Vec<u8> = lcg_bytes(4096, 7);
    put(
        "junk.html",
        &junk,
        Expect::Reject(&["binary", "undecodable", "not text"]),
    );
    put(
        CYRILLIC_NAME,
        "Обычный текст в файле с пробелами и кириллицей в имени.\n".as_bytes(),
        Expect::Document,
    );
    put(
        "formula-title.html",
        b"<html><head><title>=HYPERLINK(\"http://evil.example\",\"x\")</title></head><body><p>=1+2 starts this paragraph, then plain words follow.</p></body></html>",
        Expect::Document,
    );
    put(
        "formula-first-line.txt",
        b"=cmd|' /C calc'!A0\n\n+Plus, -minus and @at open these lines.\n",
        Expect::Document,
    );
    expect
}

/// Deterministic pseudo-random bytes (no dependency, same junk on every run).
fn lcg_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

/// Reads a JSONL output, asserting it is valid UTF-8 and every line is one complete object.
fn jsonl_objects(path: &Path) -> Vec<Value> {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8(bytes).expect("JSONL output is valid UTF-8");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "last line complete"
    );
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not one complete JSON object ({e}): {line:.200}"));
            assert!(v.is_object(), "{line:.200}");
            v
        })
        .collect()
}

fn by_source(records: &[Value]) -> BTreeMap<String, &Value> {
    let mut map = BTreeMap::new();
    for r in records {
        let source = r["source"].as_str().unwrap().to_string();
        assert!(
            map.insert(source.clone(), r).is_none(),
            "{source} twice in one output"
        );
    }
    map
}

#[test]
fn hostile_inputs_are_each_accounted_for_repaired_or_rejected_with_their_reason() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in");
    let output = work.path().join("out");
    std::fs::create_dir_all(&input).unwrap();
    let expect = hostile_inputs(&input);
    let outside = work.path().join("outside-secret.txt");
    std::fs::write(&outside, "outside the input folder\n").unwrap();
    // walkdir does not follow links: a symlink is not an input, wherever it points.
    std::os::unix::fs::symlink(&outside, input.join("link-outside.txt")).unwrap();
    std::os::unix::fs::symlink(work.path(), input.join("link-to-parent")).unwrap();

    let run = Command::new(env!("CARGO_BIN_EXE_docnorm"))
        .args(["run", "--no-progress", "--jobs", "2", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");

    let docs = jsonl_objects(&output.join("documents.jsonl"));
    let rejects = jsonl_objects(&output.join("rejects.jsonl"));
    let (doc_by, reject_by) = (by_source(&docs), by_source(&rejects));
    // Accounting: every input exactly once across both outputs; symlinks are not inputs.
    for name in doc_by.keys() {
        assert!(!reject_by.contains_key(name), "{name} is in both outputs");
    }
    let mut seen: Vec<&String> = doc_by.keys().chain(reject_by.keys()).collect();
    seen.sort();
    assert_eq!(seen, expect.keys().collect::<Vec<_>>());
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        "outside the input folder\n"
    );

    for (name, outcome) in &expect {
        match outcome {
            Expect::Document => assert!(
                doc_by.contains_key(name),
                "{name} should be a document; rejected: {:?}",
                reject_by.get(name)
            ),
            Expect::Reject(reasons) => {
                let r = reject_by
                    .get(name)
                    .unwrap_or_else(|| panic!("{name} should be rejected"));
                let reason = r["reason"].as_str().unwrap();
                assert!(reasons.contains(&reason), "{name}: {r}");
                assert!(!r["detail"].as_str().unwrap().is_empty(), "{name}: {r}");
            }
            Expect::Either => {}
        }
    }
    let long = reject_by["long-line.txt"]["detail"].as_str().unwrap();
    assert!(long.contains("decode.max_line_bytes"), "{long}");

    assert_repaired(&doc_by);
    assert_titles_kept(&doc_by);
    for doc in &docs {
        assert_clean_text(doc);
    }
    assert_csv_safe(&output.join("documents.csv"), docs.len());
}

/// The NUL run is removed and recorded; the invalid byte becomes U+FFFD and is recorded.
fn assert_repaired(doc_by: &BTreeMap<String, &Value>) {
    let nul = doc_by["nul.txt"];
    let text = nul["text"].as_str().unwrap();
    assert!(text.contains("damage. Good text after"), "{text}");
    let removal = nul["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "control-character")
        .expect("the NULs are recorded");
    assert_eq!(
        (removal["stage"].as_str(), removal["before"].as_str()),
        (Some("decode"), Some("\u{0}\u{0}"))
    );
    assert_eq!(removal["after"], "");
    assert_eq!(removal["at"], 28, "byte offset of the NULs");

    let invalid = doc_by["invalid-byte.txt"];
    assert_eq!(
        invalid["encoding"], "UTF-8",
        "not re-guessed as a legacy charset"
    );
    let text = invalid["text"].as_str().unwrap();
    assert_eq!(text.matches('\u{FFFD}').count(), 1, "{text}");
    assert!(text.contains("Алматы"), "{text}");
    let repair = invalid["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "invalid-sequence")
        .expect("the invalid byte is recorded");
    assert_eq!(repair["after"], "\u{FFFD}");
    assert_eq!(repair["at"], 12);

    let cyr = doc_by[CYRILLIC_NAME];
    assert!(cyr["text"].as_str().unwrap().contains("кириллицей"));
}

/// A title that starts with `=` is kept verbatim in JSON (only the CSV neutralises it).
fn assert_titles_kept(doc_by: &BTreeMap<String, &Value>) {
    let page = doc_by["formula-title.html"];
    assert_eq!(page["title"], "=HYPERLINK(\"http://evil.example\",\"x\")");
    let text = doc_by["formula-first-line.txt"]["text"].as_str().unwrap();
    assert!(text.starts_with("=cmd|"), "{text}");
}

/// Document text carries no control characters but `\n` and `\t`, and is NFC.
fn assert_clean_text(doc: &Value) {
    let text = doc["text"].as_str().unwrap();
    let bad = text
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t');
    assert_eq!(bad, None, "{}: control character in text", doc["source"]);
    assert!(is_nfc(text), "{}: text is not NFC", doc["source"]);
}

/// No CSV cell starts with a character a spreadsheet would execute, unless prefixed with `'`.
fn assert_csv_safe(path: &Path, rows_expected: usize) {
    let bytes = std::fs::read(path).unwrap();
    assert!(std::str::from_utf8(&bytes).is_ok(), "CSV is valid UTF-8");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = reader.headers().unwrap().clone();
    let title = headers.iter().position(|h| h == "title").unwrap();
    let text = headers.iter().position(|h| h == "text").unwrap();
    let mut rows = 0;
    let mut neutralised = Vec::new();
    for record in reader.records() {
        let record = record.expect("every CSV row parses");
        assert_eq!(record.len(), headers.len());
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "dangerous CSV cell: {cell:.80}"
            );
        }
        for i in [title, text] {
            if record[i].starts_with("'=") {
                neutralised.push(record[i].to_string());
            }
        }
        rows += 1;
    }
    assert_eq!(rows, rows_expected);
    assert!(
        neutralised
            .iter()
            .any(|c| c == "'=HYPERLINK(\"http://evil.example\",\"x\")"),
        "the =title is kept, prefixed: {neutralised:?}"
    );
    assert!(
        neutralised.iter().any(|c| c.starts_with("'=cmd|")),
        "the =first line is kept, prefixed: {neutralised:?}"
    );
}
