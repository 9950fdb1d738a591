//! A run killed with SIGKILL at any moment, then `docnorm run --resume`, gives outputs byte-identical
//! to an uninterrupted run, without redoing what the journal says was done.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const OUTPUTS: [&str; 4] = [
    "documents.jsonl",
    "documents.csv",
    "rejects.jsonl",
    "summary.json",
];

fn docnorm_run(input: &Path, output: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docnorm"));
    cmd.args([
        "run",
        "--no-progress",
        "--jobs",
        "2",
        "--checkpoint-every",
        "25",
    ])
    .arg("--input")
    .arg(input)
    .arg("--output")
    .arg(output)
    .args(extra)
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    cmd
}

fn corpus(dir: &Path, n: usize) {
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/raw"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    for i in 0..n {
        let name = dir.join(format!("{:02}/{i:05}.txt", i % 13));
        std::fs::create_dir_all(name.parent().unwrap()).unwrap();
        let body: &[u8] = if i.is_multiple_of(97) {
            b""
        } else {
            &seeds[i % seeds.len()]
        };
        std::fs::write(name, body).unwrap();
    }
}

fn read_outputs(dir: &Path) -> Vec<Vec<u8>> {
    OUTPUTS
        .iter()
        .map(|n| std::fs::read(dir.join(n)).unwrap())
        .collect()
}

/// Starts a run, kills it once `ready` says so (or the run ends), and returns whether it was killed.
fn kill_when(mut cmd: Command, ready: impl Fn() -> bool) -> bool {
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready() && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let killed = child.try_wait().unwrap().is_none();
    child.kill().ok(); // SIGKILL on Unix
    child.wait().unwrap();
    killed
}

#[test]
fn a_killed_run_resumes_to_byte_identical_outputs() {
    let input = tempfile::tempdir().unwrap();
    corpus(input.path(), 1500);
    let reference = tempfile::tempdir().unwrap();
    let status = docnorm_run(input.path(), reference.path(), &[])
        .status()
        .unwrap();
    assert!(status.success());
    let expected = read_outputs(reference.path());

    // Killed right away, after the first checkpoint, and after several.
    for checkpoints_before_kill in [0u64, 1, 20] {
        let out = tempfile::tempdir().unwrap();
        let journal = out.path().join(".docnorm-journal.json");
        let done_in_journal = || {
            std::fs::read_to_string(&journal)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|j| j["done"].as_u64())
                .unwrap_or(0)
        };
        let killed = kill_when(docnorm_run(input.path(), out.path(), &[]), || {
            done_in_journal() >= checkpoints_before_kill * 25
        });
        let done_before = done_in_journal();
        let resumed = docnorm_run(input.path(), out.path(), &["--resume"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&resumed.stderr);
        assert!(resumed.status.success(), "{stderr}");
        if killed && done_before > 0 {
            assert!(
                stderr.contains(&format!("resumed after {done_before} inputs")),
                "a resumed run skips what the journal says is done: {stderr}"
            );
        }
        let got = read_outputs(out.path());
        for (name, (g, e)) in OUTPUTS.iter().zip(got.iter().zip(&expected)) {
            assert!(
                g == e,
                "{name} differs after kill at {checkpoints_before_kill} checkpoints"
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

/// A run over a new corpus killed once its journal exists, the corpus growing until a run is
/// caught before it ends (a fast machine may finish 1,500 inputs between two looks); `prepare`
/// sets up the output folder first. Returns the input and output folders.
fn killed_after_first_checkpoint(
    prepare: impl Fn(&Path),
) -> (tempfile::TempDir, tempfile::TempDir) {
    for n in [1500, 6000, 24000] {
        let input = tempfile::tempdir().unwrap();
        corpus(input.path(), n);
        let out = tempfile::tempdir().unwrap();
        prepare(out.path());
        let journal = out.path().join(".docnorm-journal.json");
        if kill_when(docnorm_run(input.path(), out.path(), &[]), || {
            journal.exists()
        }) {
            return (input, out);
        }
    }
    panic!("every run finished before it could be killed");
}

#[test]
fn resume_refuses_when_the_inputs_changed() {
    let (input, out) = killed_after_first_checkpoint(|_| {});
    std::fs::remove_dir_all(input.path().join("00")).unwrap();
    let resumed = docnorm_run(input.path(), out.path(), &["--resume"])
        .output()
        .unwrap();
    assert_eq!(resumed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&resumed.stderr).contains("inputs changed"));
}

#[test]
fn a_second_run_replaces_old_outputs_only_at_the_end() {
    let (_input, out) = killed_after_first_checkpoint(|out| {
        std::fs::write(out.join("documents.jsonl"), "old\n").unwrap();
    });
    assert_eq!(
        std::fs::read_to_string(out.path().join("documents.jsonl")).unwrap(),
        "old\n",
        "a killed run leaves the previous outputs as they were"
    );
}
