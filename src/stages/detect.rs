//! Detect stage: the document's language and script.
//!
//! Foundation version: whatlang alone. The detector that knows Kazakh replaces it (issue 5).

use serde::{Deserialize, Serialize};

use crate::document::{Document, Reject};
use crate::error::ConfigError;
use crate::stages::Stage;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct DetectConfig {}

pub struct Detect {}

impl Detect {
    pub fn new(_config: &DetectConfig) -> Result<Self, ConfigError> {
        Ok(Detect {})
    }
}

impl Stage for Detect {
    fn name(&self) -> &'static str {
        "detect"
    }

    fn apply(&self, mut doc: Document) -> Result<Document, Reject> {
        if let Some(info) = whatlang::detect(&doc.text) {
            doc.script = Some(format!("{:?}", info.script()));
            if info.is_reliable() {
                doc.language = iso639_1(info.lang()).to_string();
                doc.language_confidence = Some(info.confidence());
            }
        }
        Ok(doc)
    }
}

fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Rus => "ru",
        Ukr => "uk",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Tur => "tr",
        _ => "und",
    }
}
