//! The clean stage's share of `../shared/corpus/seeds-expected.json`, checked by running the real
//! binary on the user's sample documents in `raw/` (boilerplate, title, author, url, layout).
//! Spelling variants and language are other stages' checks; titles are compared with either
//! spelling so that this test holds before and after the normalise stage.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn run_on_raw() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_docnorm"))
        .current_dir(root)
        .args([
            "run",
            "--no-progress",
            "--jobs",
            "2",
            "--input",
            "raw",
            "--output",
        ])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read_to_string(out.path().join("documents.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn seed<'a>(docs: &'a [Value], stem: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["source"].as_str().unwrap().starts_with(stem))
        .unwrap_or_else(|| panic!("no record for {stem}"))
}

fn text(doc: &Value) -> &str {
    doc["text"].as_str().unwrap()
}

fn assert_contains(doc: &Value, needles: &[&str]) {
    for n in needles {
        assert!(text(doc).contains(n), "{} lacks {n:?}", doc["source"]);
    }
}

fn assert_gone(doc: &Value, needles: &[&str]) {
    let whole = format!("{}\n{}", doc["title"].as_str().unwrap_or(""), text(doc));
    for n in needles {
        assert!(!whole.contains(n), "{} still contains {n:?}", doc["source"]);
    }
}

fn assert_title_is_one_of(doc: &Value, spellings: &[&str]) {
    let title = doc["title"].as_str().unwrap_or_default();
    assert!(spellings.contains(&title), "title {title:?}");
}

fn clean_rules(doc: &Value) -> Vec<&str> {
    doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["stage"] == "clean")
        .map(|c| c["rule"].as_str().unwrap())
        .collect()
}

#[test]
fn seeds_meet_the_clean_expectations() {
    let docs = run_on_raw();
    assert_eq!(docs.len(), 5);

    let d = seed(&docs, "000_");
    assert_title_is_one_of(
        d,
        &[
            "Police Pick up Troublemakers in Kazakh Shantytown",
            "Police Pick up Troublemakers in Kazak Shantytown",
        ],
    );
    assert_eq!(d["author"], "Gaziza Baituova");
    assert_eq!(
        d["url"],
        "https://iwpr.net/global-voices/police-pick-troublemakers-kazak-shantytown"
    );
    assert_contains(
        d,
        &[
            "A conflict over a land clearance programme in Kazakhstan's second city Almaty",
            "a turning point has been reached in the minds of large numbers of these suburban residents, and that the conflict will intensify",
            "Almaty city mayor Imangali Tasmagambetov",
            "Gaziza Baituova is an IWPR contributor in Taraz.",
        ],
    );
    assert_gone(d, &["Author:", "](#)", "Source URL:", "<https://"]);

    let d = seed(&docs, "001_");
    assert_contains(
        d,
        &[
            "backed up by ‘rapid response’ riot police, the KNB (former KGB) agents, the City Procurer, firefighters and bailiffs, turned up at the Shanyrak district of",
            "Public opinion in Kazakhstan is turning against the",
            "The Shanyrak struggle reveals the real, brutal nature of the Nazarbayev regime",
        ],
    );

    let d = seed(&docs, "002_");
    assert_eq!(
        d["title"],
        "Kazakhstan: Bakai shanty residents clash with police"
    );
    assert_contains(
        d,
        &[
            "On 12 May, a clash took place between residents and riot police in the",
            "It was just like the Gaza Strip!",
            "The authorities set a fire that may not be easy to extinguish.",
        ],
    );
    assert_gone(
        d,
        &[
            "Liked this article?",
            "Become a patron",
            "Patreon",
            "Be the first to comment",
            "Leave a Reply",
            "Your email address will not be published",
        ],
    );
    assert!(text(d).ends_with("The authorities set a fire that may not be easy to extinguish."));

    let d = seed(&docs, "003_");
    assert_contains(
        d,
        &[
            "has over the past few months been shaken",
            "Akimat (mayor), Imangali",
            "The campaign continues",
            "Tel: +7 327 271 6557",
        ],
    );
    assert_gone(d, &["Previous article", "Next article"]);

    let d = seed(&docs, "004_");
    assert_title_is_one_of(
        d,
        &[
            "May 21, Almaty: Mass Arrests at a Rally against the Sale of Land",
            "May 21, Almata: Mass Arrests at a Rally against the Sale of Land",
        ],
    );
    assert_eq!(d["published"], "2016-05-22");
    assert!(text(d).starts_with("During a peaceful rally in"));
    assert_contains(
        d,
        &[
            "for more than 4 hours instead of three as per regulations?",
            "Now we should pose this question:",
        ],
    );
    assert_gone(
        d,
        &[
            "kazakhstan land reforms",
            "This entry was posted in",
            "Bookmark the permalink",
            "Responses to May 21",
            "Pingback",
            "Leave a Reply",
            "Fill in your details below",
            "You are commenting using",
            "Log Out",
            "Twitter picture",
            "Facebook photo",
            "Connecting to %s",
        ],
    );
    let rules = clean_rules(d);
    assert_eq!(rules.iter().filter(|r| **r == "caption-residue").count(), 7);
    assert!(rules.contains(&"comments-count-block"), "{rules:?}");
}

#[test]
fn seed_texts_are_paragraphs_separated_by_one_blank_line() {
    for d in run_on_raw() {
        let t = text(&d);
        assert_eq!(t, t.trim(), "{}", d["source"]);
        assert!(!t.contains("\n\n\n"), "{}", d["source"]);
        assert!(
            t.split('\n').all(|l| l == l.trim_end()),
            "{}: trailing white space",
            d["source"]
        );
    }
}
