//! Scale-out contracts: streaming mode (`--input - --output -`), `--shard I/N` and `docnorm merge`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

const OUTPUTS: [&str; 4] = [
    "documents.jsonl",
    "documents.csv",
    "rejects.jsonl",
    "summary.json",
];

fn docnorm() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docnorm"));
    for var in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_COUNT",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_MAX",
        "JOB_COMPLETION_INDEX",
        "DOCNORM_SHARD_COUNT",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{cmd:?}: {stderr}");
    stderr
}

/// The seeds plus a spread of names, folders, an HTML page and rejects.
fn corpus(dir: &Path) {
    let raw = Path::new(env!("CARGO_MANIFEST_DIR")).join("raw");
    for entry in std::fs::read_dir(&raw).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    for i in 0..40 {
        let sub = dir.join(format!("d{}", i % 5));
        std::fs::create_dir_all(&sub).unwrap();
        let text =
            format!("Document number {i} about the rally in Almaty.\n\nIt has two paragraphs.\n");
        std::fs::write(sub.join(format!("n{i}.txt")), text).unwrap();
    }
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    std::fs::write(dir.join("d1/img.txt"), b"\x89PNG\r\n\x1a\n....").unwrap();
    std::fs::write(
        dir.join("d2/page.html"),
        "<html><head><title>A page</title></head><body><p>Some page text here.</p></body></html>",
    )
    .unwrap();
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

#[test]
fn shards_merge_to_exactly_what_one_run_writes() {
    let input = tempfile::tempdir().unwrap();
    corpus(input.path());
    let single = tempfile::tempdir().unwrap();
    ok(docnorm()
        .args(["run", "--input"])
        .arg(input.path())
        .arg("--output")
        .arg(single.path()));
    for n in 1..=4u32 {
        let shards = tempfile::tempdir().unwrap();
        for i in 0..n {
            ok(docnorm()
                .args([
                    "run",
                    "--jobs",
                    "2",
                    "--shard",
                    &format!("{i}/{n}"),
                    "--input",
                ])
                .arg(input.path())
                .arg("--output")
                .arg(shards.path()));
        }
        let merged = tempfile::tempdir().unwrap();
        if n > 1 {
            ok(docnorm()
                .args(["merge", "--input"])
                .arg(shards.path())
                .arg("--output")
                .arg(merged.path()));
        }
        let result = if n > 1 { merged.path() } else { shards.path() };
        for name in OUTPUTS {
            assert!(
                read(result, name) == read(single.path(), name),
                "{name} differs with {n} shards"
            );
        }
    }
}

#[test]
fn shards_come_from_the_scheduler_environment() {
    let input = tempfile::tempdir().unwrap();
    corpus(input.path());
    let out = tempfile::tempdir().unwrap();
    // A Slurm array --array=1-3 numbers its tasks from 1.
    for task in 1..=3 {
        ok(docnorm()
            .env("SLURM_ARRAY_TASK_ID", task.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("SLURM_ARRAY_TASK_MIN", "1")
            .args(["run", "--input"])
            .arg(input.path())
            .arg("--output")
            .arg(out.path()));
    }
    for i in 0..3 {
        assert!(
            out.path()
                .join(format!("documents.shard-{i}-of-3.jsonl"))
                .exists()
        );
    }
    let k8s = tempfile::tempdir().unwrap();
    for index in 0..2 {
        ok(docnorm()
            .env("JOB_COMPLETION_INDEX", index.to_string())
            .env("DOCNORM_SHARD_COUNT", "2")
            .args(["run", "--input"])
            .arg(input.path())
            .arg("--output")
            .arg(k8s.path()));
    }
    ok(docnorm().args(["merge", "--input"]).arg(k8s.path()));
    let docs = String::from_utf8(read(k8s.path(), "documents.jsonl")).unwrap();
    assert_eq!(docs.lines().count(), 5 + 40 + 1);
}

#[test]
fn a_killed_and_rerun_shard_leaves_no_duplicates_and_merge_refuses_gaps() {
    let input = tempfile::tempdir().unwrap();
    corpus(input.path());
    for i in 0..300 {
        std::fs::write(
            input.path().join(format!("bulk{i:03}.txt")),
            format!("Bulk text {i}."),
        )
        .unwrap();
    }
    let single = tempfile::tempdir().unwrap();
    ok(docnorm()
        .args(["run", "--input"])
        .arg(input.path())
        .arg("--output")
        .arg(single.path()));
    let out = tempfile::tempdir().unwrap();
    let shard = |i: u32| {
        let mut c = docnorm();
        c.args([
            "run",
            "--jobs",
            "1",
            "--checkpoint-every",
            "5",
            "--shard",
            &format!("{i}/2"),
            "--input",
        ])
        .arg(input.path())
        .arg("--output")
        .arg(out.path());
        c
    };
    ok(&mut shard(0));
    let merge_early = docnorm()
        .args(["merge", "--input"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(merge_early.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&merge_early.stderr).contains("1/2"));
    // Shard 1 is killed mid-way, then simply run again (no --resume): same outputs, no duplicates.
    let mut child = shard(1).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    child.kill().ok();
    child.wait().unwrap();
    ok(&mut shard(1));
    ok(docnorm().args(["merge", "--input"]).arg(out.path()));
    for name in OUTPUTS {
        assert!(
            read(out.path(), name) == read(single.path(), name),
            "{name}"
        );
    }
}

fn stream(stdin: &[u8]) -> (Vec<Value>, String) {
    let mut child = docnorm()
        .args(["run", "--input", "-", "--output", "-", "--jobs", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    (records, stderr)
}

#[test]
fn stream_mode_gives_one_record_a_line_in_input_order() {
    let seed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("raw/002_d6970df71a13f17a.txt"))
            .unwrap();
    let lines = [
        serde_json::json!({"source": "002_d6970df71a13f17a.txt", "content": String::from_utf8(seed.clone()).unwrap()}).to_string(),
        String::new(),
        "{not json".to_string(),
        serde_json::json!({"id": "k-2", "content_base64": "SGVsbG8sIHdvcmxkIQ==", "content_type": "text/plain"}).to_string(),
        serde_json::json!({"source": "page.html", "url": "https://example.org/a", "content": "<html><body><p>Stream page text.</p></body></html>"}).to_string(),
        serde_json::json!({"source": "both", "content": "x", "content_base64": "eA=="}).to_string(),
        serde_json::json!({"source": "empty.txt", "content": ""}).to_string(),
    ];
    let (records, stderr) = stream((lines.join("\n") + "\n").as_bytes());
    assert_eq!(
        records.len(),
        6,
        "blank lines are skipped, every other line gives a record"
    );
    assert!(stderr.contains("3 rejects"), "{stderr}");
    let rejected: Vec<bool> = records.iter().map(|r| r["rejected"] == true).collect();
    assert_eq!(rejected, [false, true, false, false, true, true]);
    assert_eq!(records[1]["source"], "stdin:3");
    assert_eq!(records[2]["source"], "k-2");
    assert_eq!(records[2]["text"], "Hello, world!");
    assert_eq!(records[4]["source"], "both");
    assert_eq!(records[5]["reason"], "empty");
    assert_eq!(records[3]["url"], "https://example.org/a");
    assert_eq!(records[3]["format"], "html");

    // A streamed document is the same record a file run writes.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("002_d6970df71a13f17a.txt"), &seed).unwrap();
    let out = tempfile::tempdir().unwrap();
    ok(docnorm()
        .args(["run", "--input"])
        .arg(dir.path())
        .arg("--output")
        .arg(out.path()));
    let file_record: Value = serde_json::from_slice(
        read(out.path(), "documents.jsonl")
            .split(|&b| b == b'\n')
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(records[0], file_record);
}

#[test]
fn stream_mode_is_only_stdin_to_stdout() {
    let out = docnorm()
        .args(["run", "--input", "-", "--output", "somewhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--input - --output -"));
}
