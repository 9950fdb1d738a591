//! Properties of the normalise stage with the built-in dictionary, over texts mixed from variants,
//! canonical forms, protected phrases, look-alikes, URLs and punctuation in any case.

use docnorm::config::{DEFAULT_VARIANTS_TOML, RuleSource};
use docnorm::stages::normalise::text::fold;
use docnorm::stages::normalise::{Normalise, NormaliseConfig};
use proptest::prelude::*;
use std::sync::OnceLock;

fn stage() -> &'static Normalise {
    static STAGE: OnceLock<Normalise> = OnceLock::new();
    STAGE.get_or_init(|| {
        let rules = RuleSource::built_in("variants.toml", DEFAULT_VARIANTS_TOML);
        Normalise::new(&NormaliseConfig::default(), &rules).unwrap()
    })
}

const VARIANTS: &[&str] = &[
    "Almata",
    "Alma-Ata",
    "Alma Ata",
    "Alma–Ata",
    "Ama-Ata",
    "Kazak",
    "Kazaks",
    "Nazabayev",
    "Tasmagambegov",
    "Kazakstan",
    "Алма-Ата",
    "Алма-Аты",
    "Алмата",
    // Halves of variants: glued by a separator they make one.
    "Alma",
    "Ata",
    "Алма",
    "Ата",
];

const OTHERS: &[&str] = &[
    "Almaty",
    "Kazakh",
    "Kazakhs",
    "Kazakhstan",
    "Nazarbayev",
    "Tasmagambetov",
    "Алматы",
    "Kazak Memleketi",
    "Alma-Ata Declaration",
    "Declaration of Alma-Ata",
    "Almatinka",
    "Meken",
    "city",
    "the",
    "mayor",
    "город",
    "столица",
    "https://iwpr.net/kazak-almata",
    "info@almata.kz",
    "#Almata",
    "@Kazak",
    "’s",
    "'s",
    "-based",
    ".",
    ",",
    "(",
    ")",
    "1991",
];

const GLUE: &[&str] = &[" ", " ", " ", "", "-", "–", "\n", "\n\n", "\u{a0}"];

fn recase(word: &str, how: u8) -> String {
    match how % 4 {
        0 => word.to_string(),
        1 => word.to_uppercase(),
        2 => word.to_lowercase(),
        _ => {
            let mut c = word.chars();
            c.next()
                .map(|f| {
                    f.to_uppercase()
                        .chain(c.flat_map(char::to_lowercase))
                        .collect()
                })
                .unwrap_or_default()
        }
    }
}

fn mixed_text(with_variants: bool) -> impl Strategy<Value = String> {
    let words: Vec<&'static str> = if with_variants {
        VARIANTS.iter().chain(OTHERS).copied().collect()
    } else {
        OTHERS.to_vec()
    };
    prop::collection::vec(
        (
            prop::sample::select(words),
            any::<u8>(),
            prop::sample::select(GLUE.to_vec()),
        ),
        0..40,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(w, case, glue)| format!("{}{glue}", recase(w, case)))
            .collect()
    })
}

/// Byte ranges of every occurrence of a protected phrase, in any case, separators as folded.
fn protected_ranges(text: &str) -> Vec<(usize, usize)> {
    let folded = fold(text);
    let mut ranges = Vec::new();
    for phrase in &stage().dictionary().protected {
        let needle = fold(&phrase.phrase);
        ranges.extend(folded.match_indices(&needle).map(|(i, m)| (i, i + m.len())));
    }
    ranges
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalising_twice_is_normalising_once(text in mixed_text(true)) {
        let (once, _) = stage().normalise(&text);
        let (twice, changes) = stage().normalise(&once);
        prop_assert_eq!(&twice, &once);
        prop_assert!(changes.is_empty(), "{:?}", changes);
    }

    #[test]
    fn changes_say_exactly_what_was_replaced_where(text in mixed_text(true)) {
        let (out, changes) = stage().normalise(&text);
        let mut rebuilt = String::new();
        let mut copied = 0;
        for c in &changes {
            prop_assert_eq!(&text[c.at..c.at + c.before.len()], c.before.as_str());
            prop_assert!(c.at >= copied);
            rebuilt.push_str(&text[copied..c.at]);
            rebuilt.push_str(&c.after);
            copied = c.at + c.before.len();
        }
        rebuilt.push_str(&text[copied..]);
        prop_assert_eq!(rebuilt, out);
    }

    #[test]
    fn protected_phrases_never_change(text in mixed_text(true)) {
        let (_, changes) = stage().normalise(&text);
        for (start, end) in protected_ranges(&text) {
            for c in &changes {
                let overlaps = c.at < end && c.at + c.before.len() > start;
                prop_assert!(!overlaps, "{:?} touches protected {:?}", c, &text[start..end]);
            }
        }
    }

    #[test]
    fn text_without_variants_is_returned_unchanged(text in mixed_text(false)) {
        let (out, changes) = stage().normalise(&text);
        prop_assert!(changes.is_empty(), "{:?}", changes);
        prop_assert_eq!(out, text);
    }

    #[test]
    fn arbitrary_text_never_panics_and_rarely_changes(text in "\\PC{0,200}") {
        let (out, changes) = stage().normalise(&text);
        prop_assert_eq!(changes.is_empty(), out == text);
    }
}
