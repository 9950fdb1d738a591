//! End to end: `docnorm variants suggest` on the user's samples with a dictionary that lacks the
//! typos found in them.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn suggest_lists_near_misses_with_counts_and_examples_most_frequent_first() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pipeline.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("variants.toml"),
        "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Alma-Ata\", \"Almata\"]\nseparators = \"alike\"\n\n\
         [[entry]]\ncanonical = \"Tasmagambetov\"\nvariants = [\"Tasmagambetow\"]\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_docnorm"))
        .args(["variants", "suggest", "--input"])
        .arg(root.join("raw"))
        .arg("--config")
        .arg(dir.path().join("pipeline.toml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    let row = |word: &str| {
        rows.iter()
            .find(|r| r[1] == word)
            .unwrap_or_else(|| panic!("{word} not suggested:\n{stdout}"))
    };
    let ama = row("Ama-Ata");
    assert_eq!(ama[0], "1");
    assert_eq!(&ama[2..4], ["Alma-Ata", "→"]);
    assert!(stdout.contains("001_94918a37a68b0510.txt:"), "{stdout}");
    assert!(stdout.contains("turning against the Ama-Ata"), "{stdout}");
    assert_eq!(row("Tasmagambegov")[0], "1");
    // Words already in the dictionary, and other words, are not suggested.
    for known in [
        "Almaty",
        "Almata",
        "Alma-Ata",
        "Tasmagambetov",
        "Shanyrak",
        "Kazakhstan",
    ] {
        assert!(
            rows.iter().all(|r| r[1] != known),
            "{known} suggested:\n{stdout}"
        );
    }
    let counts: Vec<u64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{stdout}");
}
