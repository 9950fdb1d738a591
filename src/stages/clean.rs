//! Clean stage: web boilerplate out, metadata lines into fields, layout repaired.
//!
//! Foundation version: collapses runs of blank lines and trims trailing spaces. The rule-driven
//! cleaner (`config/boilerplate.toml`) replaces it (issue 3).

use serde::{Deserialize, Serialize};

use crate::config::RuleSource;
use crate::document::{Document, Reject};
use crate::error::ConfigError;
use crate::stages::Stage;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct CleanConfig {}

pub struct Clean {}

impl Clean {
    pub fn new(_config: &CleanConfig, rules: &RuleSource) -> Result<Self, ConfigError> {
        toml::from_str::<toml::Table>(&rules.text)
            .map_err(|e| ConfigError::from_toml(&rules.name, &rules.text, &e))?;
        Ok(Clean {})
    }
}

impl Stage for Clean {
    fn name(&self) -> &'static str {
        "clean"
    }

    fn apply(&self, mut doc: Document) -> Result<Document, Reject> {
        let paragraphs: Vec<String> = doc
            .text
            .split("\n\n")
            .map(|p| {
                p.lines()
                    .map(str::trim_end)
                    .collect::<Vec<_>>()
                    .join("\n")
                    .trim()
                    .to_string()
            })
            .filter(|p| !p.is_empty())
            .collect();
        doc.text = paragraphs.join("\n\n");
        Ok(doc)
    }
}
