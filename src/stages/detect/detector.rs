//! The language detector: whatlang first, the Cyrillic letter rule where whatlang has no model,
//! cue words where whatlang is weak (short Latin-script text).

use std::collections::BTreeSet;

use whatlang::{Detector, Script};

use super::cues::Cues;
use super::cyrillic::{self, Verdict};
use super::iso::{is_script_named, iso639_1, known, script_name, whatlang_lang};
use super::script::main_script;
use crate::error::ConfigError;

/// What the detector says about one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code; `None` for "und" (too short, unreliable, or a language not allowed).
    pub language: Option<&'static str>,
    /// 0..1; meaningful only with a language.
    pub confidence: f64,
    /// Writing system of the text, when it has letters.
    pub script: Option<String>,
}

impl Detection {
    fn und(script: Option<String>) -> Detection {
        Detection {
            language: None,
            confidence: 0.0,
            script,
        }
    }

    /// The ISO 639-1 code, or "und".
    pub fn code(&self) -> &'static str {
        self.language.unwrap_or("und")
    }
}

/// The settings a detector is built from (a subset of `[detect]`).
#[derive(Debug, Clone)]
pub struct DetectorOptions {
    pub languages: Vec<String>,
    pub min_letters: usize,
    pub min_confidence: f64,
    pub short_text_letters: usize,
}

/// Built once, shared by every worker thread.
pub struct LanguageDetector {
    whatlang: Detector,
    /// whatlang among Russian and Bulgarian only, for Cyrillic text whose letters rule out the
    /// rest of the family; `None` when neither is allowed.
    russian_or_bulgarian: Option<Detector>,
    allowed: Option<BTreeSet<&'static str>>,
    cues: Cues,
    options: DetectorOptions,
}

impl LanguageDetector {
    pub fn new(options: DetectorOptions) -> Result<LanguageDetector, ConfigError> {
        let mut allowed = BTreeSet::new();
        for code in &options.languages {
            let Some(code) = known(code) else {
                return Err(ConfigError::new(
                    "[detect] languages",
                    "not an ISO 639-1 code docnorm can detect",
                )
                .entry(code.clone()));
            };
            allowed.insert(code);
        }
        let whatlang = if allowed.is_empty() {
            Detector::new()
        } else {
            Detector::with_allowlist(allowed.iter().filter_map(|c| whatlang_lang(c)).collect())
        };
        let ru_bg: Vec<_> = [whatlang::Lang::Rus, whatlang::Lang::Bul]
            .into_iter()
            .filter(|&l| allowed.is_empty() || allowed.contains(iso639_1(l)))
            .collect();
        Ok(LanguageDetector {
            whatlang,
            russian_or_bulgarian: (!ru_bg.is_empty()).then(|| Detector::with_allowlist(ru_bg)),
            allowed: (!allowed.is_empty()).then_some(allowed),
            cues: Cues::built_in(),
            options,
        })
    }

    /// Detects the language of `text`; "und" when it is too short or the answer is unreliable.
    pub fn detect(&self, text: &str) -> Detection {
        let Some(script) = main_script(text) else {
            return Detection::und(None);
        };
        // Counted only as far as the thresholds below need.
        let enough = self
            .options
            .min_letters
            .max(self.options.short_text_letters);
        let letters = text
            .chars()
            .filter(|c| c.is_alphabetic())
            .take(enough)
            .count();
        let script_label = Some(script_name(script));
        if letters < self.options.min_letters {
            return Detection::und(script_label);
        }
        let guess = match script {
            Script::Cyrillic => self.cyrillic(text),
            Script::Latin if letters < self.options.short_text_letters => self.short_latin(text),
            Script::Latin => self.long_latin(text),
            _ => self.by_whatlang(text),
        };
        match guess {
            Some((code, confidence)) if confidence >= self.options.min_confidence => Detection {
                language: Some(code),
                confidence: round2(confidence),
                script: script_label,
            },
            _ => Detection::und(script_label),
        }
    }

    /// Whether cheap evidence (another script, the Cyrillic letter rule, cue words) says that
    /// `text` is in another language than `main`; never calls whatlang.
    pub fn points_away(&self, text: &str, main: &Detection) -> bool {
        let Some(script) = main_script(text) else {
            return false;
        };
        if !main
            .script
            .as_deref()
            .is_some_and(|name| is_script_named(script, name))
        {
            return true;
        }
        let quick = match script {
            Script::Cyrillic => match cyrillic::classify(text) {
                Verdict::Language(code, _) => Some(code),
                _ => None,
            },
            Script::Latin => {
                return self.cues.decide_elsewhere(
                    text,
                    main.language,
                    |code| self.allows(code),
                    MIN_CUES_TO_OVERRULE,
                );
            }
            _ => None,
        };
        quick.is_some_and(|code| main.language != Some(code))
    }

    fn allows(&self, code: &str) -> bool {
        self.allowed.as_ref().is_none_or(|a| a.contains(code))
    }

    fn by_whatlang(&self, text: &str) -> Option<(&'static str, f64)> {
        self.ask(&self.whatlang, text)
    }

    fn ask(&self, detector: &Detector, text: &str) -> Option<(&'static str, f64)> {
        let info = detector.detect(text)?;
        let code = iso639_1(info.lang());
        self.allows(code).then_some((code, info.confidence()))
    }

    fn cyrillic(&self, text: &str) -> Option<(&'static str, f64)> {
        let verdict = cyrillic::classify(text);
        match verdict {
            // Letters only Kazakh or Ukrainian has are final; ы э (Russian, and Mongolian by э)
            // and ө ү are shared with Kyrgyz and Mongolian, whose cue words are heard first.
            Verdict::Language(code @ ("kk" | "uk"), confidence) if self.allows(code) => {
                return Some((code, confidence));
            }
            Verdict::Unknown => return None,
            _ => {}
        }
        if let Some((code, hits)) = self.unlettered_kyrgyz_or_mongolian(text) {
            return Some((code, cue_confidence(hits)));
        }
        match verdict {
            Verdict::Language(code, confidence) if self.allows(code) => Some((code, confidence)),
            Verdict::RussianOrBulgarian => self.russian_or_bulgarian(text),
            _ => self.by_whatlang(text),
        }
    }

    /// Kyrgyz or Mongolian by their cue words, dense enough not to be a quotation.
    fn unlettered_kyrgyz_or_mongolian(&self, text: &str) -> Option<(&'static str, u32)> {
        self.cues
            .decide_dense(
                text,
                |c| ["ky", "mn"].contains(&c) && self.allows(c),
                MIN_CYRILLIC_CUE_SHARE,
            )
            .filter(|&(_, hits)| hits >= MIN_CUES_TO_OVERRULE)
    }

    /// No Ukrainian, Belarusian, Serbian or Macedonian letters: whatlang's own answer when it is
    /// Russian or Bulgarian or sure enough (a short sentence of those languages may lack their
    /// letters); else whatlang among the two; and when its trigrams cannot tell them apart, a
    /// Bulgarian ъ says Bulgarian, otherwise Russian, far more frequent, with low confidence.
    fn russian_or_bulgarian(&self, text: &str) -> Option<(&'static str, f64)> {
        let Some(detector) = &self.russian_or_bulgarian else {
            return self.by_whatlang(text);
        };
        match self.by_whatlang(text) {
            Some((code, c)) if ["ru", "bg"].contains(&code) && c >= self.options.min_confidence => {
                return Some((code, c));
            }
            Some((code, c)) if c >= SURE_DESPITE_LETTERS => return Some((code, c)),
            _ => {}
        }
        match self.ask(detector, text) {
            Some((code, c)) if c >= self.options.min_confidence => Some((code, c)),
            _ => {
                let code = if text.contains(['ъ', 'Ъ']) {
                    "bg"
                } else {
                    "ru"
                };
                self.allows(code).then_some((code, TIE_BREAK_CONFIDENCE))
            }
        }
    }

    /// Cue words dense enough to decide alone (`[decisive]` in language-cues.toml) spare the
    /// call to whatlang, which compares the text with 37 Latin-script profiles.
    fn long_latin(&self, text: &str) -> Option<(&'static str, f64)> {
        self.cues
            .decisive(text, |code| self.allows(code))
            .or_else(|| self.by_whatlang(text))
    }

    /// whatlang's trigrams need more text than a title or a one-line snippet; there, frequent
    /// function words are the stronger evidence when they point clearly at one language.
    fn short_latin(&self, text: &str) -> Option<(&'static str, f64)> {
        let from_whatlang = self.by_whatlang(text);
        let whatlang_unsure = from_whatlang.is_none_or(|(_, c)| c < self.options.min_confidence);
        match (
            self.cues.decide(text, |code| self.allows(code)),
            from_whatlang,
        ) {
            (Some((code, hits)), Some((w, c))) if w == code => {
                Some((code, c.max(cue_confidence(hits))))
            }
            (Some((code, hits)), _) if hits >= MIN_CUES_TO_OVERRULE || whatlang_unsure => {
                Some((code, cue_confidence(hits)))
            }
            (_, from_whatlang) => from_whatlang,
        }
    }
}

/// whatlang confidence above which its answer stands even where the letters suggest Russian or
/// Bulgarian.
const SURE_DESPITE_LETTERS: f64 = 0.5;

/// Share of the words that Kyrgyz or Mongolian cue words must make up in Cyrillic text.
const MIN_CYRILLIC_CUE_SHARE: f64 = 0.04;

/// Confidence of an answer that breaks a tie by a prior, not by evidence.
const TIE_BREAK_CONFIDENCE: f64 = 0.3;

/// Function words it takes to overrule whatlang on a short text (one may be a name or a loan).
const MIN_CUES_TO_OVERRULE: u32 = 2;

fn cue_confidence(hits: u32) -> f64 {
    (1.0 - 0.5f64.powi(hits.min(30) as i32)).min(0.95)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
