//! The output folder never destroys anything it should not: no input is overwritten, no symlink
//! planted in the folder redirects a write outside it, and the outputs of an earlier run are
//! replaced only when the new run has completed.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const OUTPUTS: [&str; 4] = [
    "documents.jsonl",
    "documents.csv",
    "rejects.jsonl",
    "summary.json",
];

fn docnorm_run(input: &Path, output: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docnorm"));
    cmd.args(["run", "--no-progress", "--jobs", "1", "--input"])
        .arg(input)
        .arg("--output")
        .arg(output)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn run(input: &Path, output: &Path) -> Output {
    docnorm_run(input, output).output().unwrap()
}

fn small_corpus(dir: &Path, n: usize, word: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let text = format!("{word} number {i}: a short document with a few plain words.\n");
        std::fs::write(dir.join(format!("{i:05}.txt")), text).unwrap();
    }
}

#[test]
fn an_input_inside_the_output_folder_is_refused_and_left_alone() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    small_corpus(&out, 1, "inside");
    // A user's file that has an output's name is an input too.
    std::fs::write(out.join("documents.jsonl"), "mine\n").unwrap();
    let before: Vec<_> = ["00000.txt", "documents.jsonl"]
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    for input in [
        out.join("00000.txt"),
        out.join("documents.jsonl"),
        out.clone(),
    ] {
        let result = run(&input, &out);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(
            result.status.code(),
            Some(2),
            "{}: {stderr}",
            input.display()
        );
        assert!(stderr.contains("inside the output folder"), "{stderr}");
    }
    let after: Vec<_> = ["00000.txt", "documents.jsonl"]
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    assert_eq!(before, after);
    assert!(!out.join("summary.json").exists(), "nothing was written");
}

#[test]
fn the_output_folder_may_sit_inside_an_input_folder_and_is_not_read() {
    let work = tempfile::tempdir().unwrap();
    small_corpus(work.path(), 3, "plain");
    let out = work.path().join("out");
    for _ in 0..2 {
        let result = run(work.path(), &out);
        assert!(result.status.success(), "{result:?}");
        let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
        assert!(summary.contains("\"inputs\": 3"), "{summary}");
    }
}

#[test]
fn symlinks_planted_in_the_output_folder_never_redirect_writes_outside_it() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in");
    small_corpus(&input, 3, "plain");
    let out = work.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victims: Vec<_> = (0..5)
        .map(|i| {
            let victim = work.path().join(format!("victim-{i}.txt"));
            std::fs::write(&victim, format!("precious {i}\n")).unwrap();
            victim
        })
        .collect();
    let link = |name: &str, victim: &Path| std::os::unix::fs::symlink(victim, out.join(name));
    link(".documents.jsonl.partial", &victims[0]).unwrap();
    link("documents.csv", &victims[1]).unwrap();
    link(".docnorm-journal.json.tmp", &victims[2]).unwrap();
    link("summary.json", &victims[3]).unwrap();
    link("documents.jsonl", &victims[4]).unwrap();

    // Checkpoint after every input, so the journal's temporary file is written too.
    let result = docnorm_run(&input, &out)
        .args(["--checkpoint-every", "1"])
        .output()
        .unwrap();
    assert!(result.status.success(), "{result:?}");
    for (i, victim) in victims.iter().enumerate() {
        assert_eq!(
            std::fs::read_to_string(victim).unwrap(),
            format!("precious {i}\n"),
            "{} was written through a symlink",
            victim.display()
        );
    }
    for name in OUTPUTS {
        let meta = out.join(name).symlink_metadata().unwrap();
        assert!(meta.file_type().is_file(), "{name} is a regular file now");
    }
    let docs = std::fs::read_to_string(out.join("documents.jsonl")).unwrap();
    assert_eq!(docs.lines().count(), 3);
}

#[test]
fn a_second_run_replaces_the_old_outputs_only_when_it_completes() {
    let work = tempfile::tempdir().unwrap();
    let (first, second) = (work.path().join("first"), work.path().join("second"));
    small_corpus(&first, 2, "first");
    small_corpus(&second, 3000, "second");
    let out = work.path().join("out");
    assert!(run(&first, &out).status.success());
    let old: Vec<Vec<u8>> = OUTPUTS
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    let unchanged = || {
        OUTPUTS
            .iter()
            .zip(&old)
            .all(|(n, bytes)| std::fs::read(out.join(n)).unwrap() == *bytes)
    };

    // While the second run is under way, the first run's outputs stay as they were; a kill leaves
    // them so too.
    let partial = out.join(".documents.jsonl.partial");
    let mut child = docnorm_run(&second, &out).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen_partial = false;
    while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        if partial.exists() {
            seen_partial = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(seen_partial, "the second run was seen writing its outputs");
    assert!(unchanged(), "old outputs changed while the second run ran");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        unchanged(),
        "a killed run left the old outputs as they were"
    );

    assert!(run(&second, &out).status.success());
    let docs = std::fs::read_to_string(out.join("documents.jsonl")).unwrap();
    assert_eq!(docs.lines().count(), 3000);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
