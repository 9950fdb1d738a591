//! Cue words for short Latin-script text: rules as data in `config/language-cues.toml`.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::iso::known;
use crate::error::{ConfigError, line_of};

pub const BUILT_IN_CUES_TOML: &str = include_str!("../../../config/language-cues.toml");
const BUILT_IN_NAME: &str = "built-in language-cues.toml";

/// Most words of a text looked up.
const MAX_WORDS: usize = 80;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuesFile {
    words: BTreeMap<String, Vec<String>>,
}

/// Each cue word and the one language it points at (words listed for two languages are dropped).
#[derive(Debug)]
pub struct Cues {
    language_of: HashMap<String, &'static str>,
}

impl Cues {
    pub fn built_in() -> Cues {
        Cues::parse(BUILT_IN_NAME, BUILT_IN_CUES_TOML).expect("built-in cue words are valid")
    }

    pub fn parse(name: &str, text: &str) -> Result<Cues, ConfigError> {
        let file: CuesFile =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(name, text, &e))?;
        let mut owners: HashMap<String, Vec<&'static str>> = HashMap::new();
        for (code, words) in &file.words {
            let line = text
                .find(&format!("\n{code} ="))
                .map(|at| line_of(text, at + 1));
            let Some(code) = known(code) else {
                return Err(
                    ConfigError::new(name, "not an ISO 639-1 code docnorm can detect")
                        .at_line(line)
                        .entry(code.clone()),
                );
            };
            for word in words {
                if word.is_empty() || word.chars().any(|c| !c.is_alphabetic() || c.is_uppercase()) {
                    return Err(ConfigError::new(name, "a cue word is one lower-case word")
                        .at_line(line)
                        .entry(format!("{code}: {word:?}")));
                }
                let list = owners.entry(word.clone()).or_default();
                if !list.contains(&code) {
                    list.push(code);
                }
            }
        }
        let language_of = owners
            .into_iter()
            .filter(|(_, langs)| langs.len() == 1)
            .map(|(word, langs)| (word, langs[0]))
            .collect();
        Ok(Cues { language_of })
    }

    /// The allowed language most cue words of `text` point at, with how many, when it leads the
    /// runner-up by two to one.
    pub fn decide(
        &self,
        text: &str,
        allowed: impl Fn(&str) -> bool,
    ) -> Option<(&'static str, u32)> {
        self.count(text, allowed).0
    }

    /// As [`Cues::decide`], and only when at least `min_share` of the words looked at are cues:
    /// a quoted phrase in a long text of another language is not enough.
    pub fn decide_dense(
        &self,
        text: &str,
        allowed: impl Fn(&str) -> bool,
        min_share: f64,
    ) -> Option<(&'static str, u32)> {
        let (decision, words) = self.count(text, allowed);
        decision.filter(|&(_, hits)| hits as f64 >= min_share * words as f64)
    }

    /// The decision, and how many words were looked at.
    fn count(
        &self,
        text: &str,
        allowed: impl Fn(&str) -> bool,
    ) -> (Option<(&'static str, u32)>, usize) {
        let mut hits: HashMap<&'static str, u32> = HashMap::new();
        let mut looked_at = 0;
        let words = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty());
        // A paragraph's first words say as much as all of them, at a bounded cost.
        for word in words.take(MAX_WORDS) {
            looked_at += 1;
            let lower = word.to_lowercase();
            if let Some(&code) = self.language_of.get(&lower)
                && allowed(code)
            {
                *hits.entry(code).or_default() += 1;
            }
        }
        let mut ranked: Vec<(&'static str, u32)> = hits.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let Some(&(best, n)) = ranked.first() else {
            return (None, looked_at);
        };
        let runner_up = ranked.get(1).map_or(0, |r| r.1);
        let clear = n >= 2 * runner_up.max(1) || runner_up == 0;
        (clear.then_some((best, n)), looked_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_cues_parse_and_point_at_one_language() {
        let cues = Cues::built_in();
        assert_eq!(
            cues.decide("The cat and the dog", |_| true),
            Some(("en", 3))
        );
        assert_eq!(
            cues.decide("Der Hund und die Katze", |_| true).map(|d| d.0),
            Some("de")
        );
        assert_eq!(
            cues.decide("Bu ev için bir kapı", |_| true).map(|d| d.0),
            Some("tr")
        );
        assert_eq!(cues.decide("Almaty Astana Shymkent", |_| true), None);
        let kyrgyz = "Ар бир адам эркин жана бирдей болуп төрөлөт деп айтылат";
        assert_eq!(
            cues.decide_dense(kyrgyz, |_| true, 0.04).map(|d| d.0),
            Some("ky")
        );
        let quoted = format!(
            "{} жана деп",
            "Это длинный русский текст о погоде. ".repeat(10)
        );
        assert_eq!(cues.decide_dense(&quoted, |_| true, 0.04), None);
    }

    #[test]
    fn a_word_in_two_lists_counts_for_neither() {
        let cues =
            Cues::parse("c.toml", "[words]\nen = [\"on\", \"the\"]\nfr = [\"on\"]\n").unwrap();
        assert_eq!(cues.decide("on on on", |_| true), None);
        assert_eq!(cues.decide("on the", |_| true), Some(("en", 1)));
    }

    #[test]
    fn bad_entries_are_errors_naming_file_line_and_entry() {
        let err = Cues::parse("c.toml", "[words]\nen = [\"the\"]\nxx = [\"a\"]\n").unwrap_err();
        assert_eq!(
            (err.line, err.entry.as_deref()),
            (Some(3), Some("xx")),
            "{err}"
        );
        let err = Cues::parse("c.toml", "[words]\nen = [\"two words\"]\n").unwrap_err();
        assert!(err.to_string().starts_with("c.toml:2 "), "{err}");
        assert!(Cues::parse("c.toml", "[word]\n").is_err());
    }
}
