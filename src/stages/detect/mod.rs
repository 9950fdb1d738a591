//! Detect stage: the document's language, confidence, script, and the languages of a mixed
//! document.
//!
//! whatlang is the primary detector. It has no Kazakh (it calls Kazakh Belarusian), Kyrgyz or
//! Mongolian, so Cyrillic text first goes through a letter rule ([`cyrillic`]) that knows them;
//! and on short Latin-script text, frequent function words ([`cues`]) overrule whatlang's
//! trigrams when they point clearly at one language. Long documents are detected on a bounded
//! sample of paragraphs spread over the text, so the cost per document is bounded too.

pub mod cues;
pub mod cyrillic;
pub mod detector;
pub mod iso;
mod sample;
pub mod script;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::{Document, Reject};
use crate::error::ConfigError;
use crate::stages::Stage;
pub use detector::{Detection, DetectorOptions, LanguageDetector};

/// The `[detect]` section of `pipeline.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DetectConfig {
    /// Candidate languages (ISO 639-1); empty for every language docnorm knows.
    pub languages: Vec<String>,
    /// Bytes of text detected on, taken from paragraphs spread over the document.
    pub sample_bytes: usize,
    /// Fewer letters than this: "und".
    pub min_letters: usize,
    /// Below this confidence: "und".
    pub min_confidence: f64,
    /// Latin-script text with fewer letters than this is "short": cue words may overrule whatlang.
    pub short_text_letters: usize,
    /// Paragraphs with at least this many letters are checked for another language (mixed
    /// documents), and detected one by one when one points away.
    pub paragraph_min_letters: usize,
    /// Most paragraphs checked, spread over the document when it has more.
    pub max_paragraphs: usize,
    /// Share of those paragraphs' letters a second language needs to make the document mixed.
    pub mixed_min_share: f64,
}

impl Default for DetectConfig {
    fn default() -> Self {
        DetectConfig {
            languages: Vec::new(),
            sample_bytes: 1024,
            min_letters: 10,
            min_confidence: 0.1,
            short_text_letters: 200,
            paragraph_min_letters: 150,
            max_paragraphs: 32,
            mixed_min_share: 0.15,
        }
    }
}

impl DetectConfig {
    /// Checks the settings; an error names `file` and the key (`detect.mixed_min_share`).
    pub fn validate(&self, file: &str) -> Result<(), ConfigError> {
        let bad =
            |key: &str, why: &str| Err(ConfigError::new(file, why).entry(format!("detect.{key}")));
        if self.sample_bytes < 64 {
            return bad("sample_bytes", "must be at least 64");
        }
        if !(0.0..=1.0).contains(&self.min_confidence) {
            return bad("min_confidence", "must be between 0 and 1");
        }
        if !(0.0..=0.5).contains(&self.mixed_min_share) || self.mixed_min_share == 0.0 {
            return bad("mixed_min_share", "must be above 0 and at most 0.5");
        }
        Ok(())
    }
}

pub struct Detect {
    detector: LanguageDetector,
    config: DetectConfig,
}

impl Detect {
    pub fn new(config: &DetectConfig) -> Result<Self, ConfigError> {
        config.validate("[detect]")?;
        let detector = LanguageDetector::new(DetectorOptions {
            languages: config.languages.clone(),
            min_letters: config.min_letters,
            min_confidence: config.min_confidence,
            short_text_letters: config.short_text_letters,
        })?;
        Ok(Detect {
            detector,
            config: config.clone(),
        })
    }

    /// Language of a whole text, detected on a bounded sample, plus the shares of a mixed text.
    ///
    /// The sample, a few paragraphs spread over the text within `sample_bytes`, is detected as
    /// one text: whatlang's cost grows with the text it reads, and a kilobyte or two of prose is
    /// all it needs. The long paragraphs of the whole text (at most `max_paragraphs`, spread over
    /// it) are then checked cheaply (script, Cyrillic letters, cue words); only when one of them
    /// points away from the main language is each detected on its own to measure the shares.
    pub fn detect_text(&self, text: &str) -> (Detection, Option<BTreeMap<String, f64>>) {
        let paragraphs = sample::paragraphs(text);
        let pieces = sample::spread(text, &paragraphs, self.config.sample_bytes);
        let detection = if pieces.len() == 1 {
            self.detector.detect(pieces[0])
        } else {
            self.detector.detect(&pieces.join("\n\n"))
        };
        let long = sample::long_paragraphs(
            &paragraphs,
            self.config.paragraph_min_letters,
            self.config.max_paragraphs,
        );
        let mixed = long.len() >= 2
            && long
                .iter()
                .any(|p| self.detector.points_away(p, &detection));
        let shares = if mixed {
            self.mixed_shares(&self.vote(&long))
        } else {
            None
        };
        (detection, shares)
    }

    fn vote(&self, paragraphs: &[&str]) -> Votes {
        let mut votes = Votes::default();
        for &paragraph in paragraphs {
            let n = letters(paragraph);
            let detection = self.detector.detect(paragraph);
            if let Some(code) = detection.language {
                *votes.by_language.entry(code).or_default() += n;
            }
        }
        votes
    }

    /// Shares of each language over the voting paragraphs, when a second language holds at least
    /// `mixed_min_share` of their letters.
    fn mixed_shares(&self, votes: &Votes) -> Option<BTreeMap<String, f64>> {
        let total: usize = votes.by_language.values().sum();
        let mut counts: Vec<usize> = votes.by_language.values().copied().collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let second = *counts.get(1)?;
        if (second as f64) < self.config.mixed_min_share * total as f64 {
            return None;
        }
        let share = |n: usize| (n as f64 / total as f64 * 100.0).round() / 100.0;
        Some(
            votes
                .by_language
                .iter()
                .map(|(code, &n)| (code.to_string(), share(n)))
                .collect(),
        )
    }
}

/// Paragraph votes: per language, the letters of the paragraphs detected as it.
#[derive(Default)]
struct Votes {
    by_language: BTreeMap<&'static str, usize>,
}

fn letters(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphabetic()).count()
}

impl Stage for Detect {
    fn name(&self) -> &'static str {
        "detect"
    }

    fn apply(&self, mut doc: Document) -> Result<Document, Reject> {
        let (detection, shares) = self.detect_text(&doc.text);
        doc.language = detection.code().to_string();
        doc.language_confidence = detection.language.map(|_| detection.confidence);
        doc.script = detection.script;
        doc.languages = shares;
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage() -> Detect {
        Detect::new(&DetectConfig::default()).unwrap()
    }

    const EN: &str = "The city administration announced on Monday that the demolition of houses \
        in the suburb would be postponed until the courts have heard the residents' appeals. \
        Many families have lived there for more than twenty years and say they have nowhere else to go.";
    const KK: &str = "Қала әкімдігі дүйсенбі күні қала маңындағы үйлерді бұзу жұмыстары \
        тұрғындардың шағымдарын сот қарағанша кейінге қалдырылатынын хабарлады. Көптеген \
        отбасылар онда жиырма жылдан астам уақыт тұрып келеді және барар жері жоқ екенін айтады.";

    #[test]
    fn a_document_gets_language_confidence_and_script() {
        let mut doc = Document {
            text: EN.to_string(),
            ..Document::default()
        };
        doc = stage().apply(doc).unwrap();
        assert_eq!(doc.language, "en");
        assert!(doc.language_confidence.unwrap() > 0.5);
        assert_eq!(doc.script.as_deref(), Some("Latin"));
        assert_eq!(doc.languages, None);
    }

    #[test]
    fn too_little_text_is_und_without_confidence() {
        let doc = Document {
            text: "12 34 ok".to_string(),
            ..Document::default()
        };
        let doc = stage().apply(doc).unwrap();
        assert_eq!(
            (doc.language.as_str(), doc.language_confidence),
            ("und", None)
        );
    }

    #[test]
    fn a_mixed_document_records_the_share_of_each_language() {
        let text = format!("{EN}\n\n{EN}\n\n{EN}\n\n{KK}");
        let (detection, shares) = stage().detect_text(&text);
        assert_eq!(detection.code(), "en");
        let shares = shares.expect("mixed");
        assert_eq!(shares.keys().collect::<Vec<_>>(), ["en", "kk"]);
        assert!(shares["kk"] > 0.15 && shares["en"] > 0.6, "{shares:?}");
    }

    #[test]
    fn a_second_language_under_mixed_min_share_does_not_make_a_document_mixed() {
        // One Kazakh paragraph beside ten English ones is under 15% of the letters.
        let text = format!("{}\n\n{KK}", [EN; 10].join("\n\n"));
        let (detection, shares) = stage().detect_text(&text);
        assert_eq!(detection.code(), "en");
        assert_eq!(shares, None);
    }

    #[test]
    fn kyrgyz_without_its_letters_is_told_by_cue_words_and_never_called_kazakh() {
        let detect = stage();
        let kyrgyz = "Алар жана биз бир шаарда жашайбыз деп айтты.";
        assert_eq!(detect.detect_text(kyrgyz).0.code(), "ky");
        let kyrgyz = "Биз бүгүн Бишкекте жаңы мектептин ачылышына катыштык.";
        assert_eq!(detect.detect_text(kyrgyz).0.code(), "ky");
        let russian = "Мы живём в одном городе, сказал он журналистам в пятницу.";
        assert_eq!(detect.detect_text(russian).0.code(), "ru");
    }

    #[test]
    fn restricting_languages_keeps_answers_inside_the_list() {
        let config = DetectConfig {
            languages: vec!["en".into(), "kk".into()],
            ..DetectConfig::default()
        };
        let detect = Detect::new(&config).unwrap();
        assert_eq!(detect.detect_text(KK).0.code(), "kk");
        let german =
            "Die Stadtverwaltung hat am Montag angekündigt, dass der Abriss verschoben wird.";
        assert_ne!(detect.detect_text(german).0.code(), "de");
    }

    #[test]
    fn bad_settings_are_errors_naming_the_entry() {
        let config = DetectConfig {
            languages: vec!["english".into()],
            ..DetectConfig::default()
        };
        let err = Detect::new(&config).err().expect("error");
        assert_eq!(err.entry.as_deref(), Some("english"));
        let config = DetectConfig {
            mixed_min_share: 0.9,
            ..DetectConfig::default()
        };
        assert!(Detect::new(&config).is_err());
    }
}
