//! Normalise stage: spelling variants to their canonical form, from `config/variants.toml`.
//!
//! Foundation version: validates the dictionary's TOML and changes nothing. The Aho-Corasick
//! normaliser replaces it (issue 4).

use serde::{Deserialize, Serialize};

use crate::config::RuleSource;
use crate::document::{Document, Reject};
use crate::error::ConfigError;
use crate::stages::Stage;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct NormaliseConfig {}

pub struct Normalise {}

impl Normalise {
    pub fn new(_config: &NormaliseConfig, rules: &RuleSource) -> Result<Self, ConfigError> {
        toml::from_str::<toml::Table>(&rules.text)
            .map_err(|e| ConfigError::from_toml(&rules.name, &rules.text, &e))?;
        Ok(Normalise {})
    }
}

impl Stage for Normalise {
    fn name(&self) -> &'static str {
        "normalise"
    }

    fn apply(&self, doc: Document) -> Result<Document, Reject> {
        Ok(doc)
    }
}
