//! The clean stage through the real binary on documents written for it (`tests/fixtures/clean/`),
//! and a user's own rule file.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn docnorm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docnorm"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn run(input: &Path, config: Option<&Path>) -> Vec<Value> {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec![
        "run".to_string(),
        "--no-progress".into(),
        "--input".into(),
        input.display().to_string(),
        "--output".into(),
        out.path().display().to_string(),
    ];
    if let Some(c) = config {
        args.extend(["--config".into(), c.display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = docnorm(out.path(), &args);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    std::fs::read_to_string(out.path().join("documents.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/clean")
        .join(name);
    run(&path, None).remove(0)
}

#[test]
fn substack_post() {
    let d = fixture("substack_post.txt");
    assert_eq!(d["title"], "Who Owns the Steppe?");
    assert_eq!(d["author"], "Aigerim Sadykova");
    assert_eq!(
        d["text"],
        "Residents of Bakai say the land under their houses was promised to them twice, once in 1998 and once in 2004, and that the akimat declined to comment when they asked which promise it meant to keep.\n\nMany residents subscribe to the view that the land is theirs by right of use. Share prices of the developer fell after the clashes."
    );
}

#[test]
fn russian_news_page() {
    let d = fixture("russian_news.txt");
    assert_eq!(d["title"], "Жители Шанырака против сноса");
    assert_eq!(d["author"], "Айгерим Садыкова");
    assert_eq!(d["published"], "2016-05-22");
    assert_eq!(
        d["text"],
        "Жители Шанырака вышли на улицу, чтобы остановить снос домов. Акимат отказался комментировать события.\n\nПоделиться своим мнением с журналистами решились немногие."
    );
}

#[test]
fn joomla_page() {
    let d = fixture("joomla_page.txt");
    assert_eq!(d["author"], "Aigerim Sadykova");
    assert_eq!(
        d["text"],
        "A patron of the youth club, the mayor visited Shanyrak on Tuesday. Related to this, the court postponed the evictions.\n\nThe meeting ended without an agreement."
    );
}

#[test]
fn a_user_adds_a_rule_in_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pipeline.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("boilerplate.toml"),
        "[[rule]]\nid = \"steppe-promo\"\nkind = \"prefix\"\npattern = \"Steppe News is free\"\ncomment = \"our site's own appeal\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("page.txt"),
        "The court postponed the evictions.\n\nSteppe News is free, but it costs money to make.\n",
    )
    .unwrap();
    let d = run(
        &dir.path().join("page.txt"),
        Some(&dir.path().join("pipeline.toml")),
    )
    .remove(0);
    assert_eq!(d["text"], "The court postponed the evictions.");
    let changes = d["changes"].as_array().unwrap();
    let (layout, rules): (Vec<&Value>, Vec<&Value>) = changes
        .iter()
        .partition(|c| c["rule"].as_str().unwrap().starts_with("layout-"));
    assert_eq!(rules.len(), 1, "{changes:?}");
    assert_eq!(rules[0]["rule"], "steppe-promo");
    // The blank line before the promo and the final line break went with it.
    let white: Vec<&str> = layout
        .iter()
        .map(|c| c["before"].as_str().unwrap())
        .collect();
    assert_eq!(white, ["\n\n", "\n"], "{changes:?}");
}

#[test]
fn a_bad_rule_stops_the_run_naming_file_line_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pipeline.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("boilerplate.toml"),
        "# mine\n\n[[rule]]\nid = \"broken-share\"\nkind = \"regex\"\npattern = \"Share (this\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("page.txt"), "Text.\n").unwrap();
    let out = docnorm(
        dir.path(),
        &[
            "run",
            "--no-progress",
            "--input",
            "page.txt",
            "--config",
            "pipeline.toml",
            "--output",
            "out",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("boilerplate.toml:3"), "{err}");
    assert!(err.contains("broken-share"), "{err}");
}
