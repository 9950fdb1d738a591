//! Configuration: `config/pipeline.toml` (settings) plus the rule files it names
//! (`boilerplate.toml`, `variants.toml`, `extract-hints.toml`). Every file's default is compiled in, so the binary works
//! with no config at all; a user's file replaces the built-in one as a whole.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ConfigError;
use crate::sources::fetch::FetchConfig;
use crate::stages::{
    clean::CleanConfig, decode::DecodeConfig, detect::DetectConfig, extract::ExtractConfig,
    normalise::NormaliseConfig,
};

pub const DEFAULT_PIPELINE_TOML: &str = include_str!("../config/pipeline.toml");
pub const DEFAULT_BOILERPLATE_TOML: &str = include_str!("../config/boilerplate.toml");
pub const DEFAULT_VARIANTS_TOML: &str = include_str!("../config/variants.toml");
pub const DEFAULT_EXTRACT_HINTS_TOML: &str = include_str!("../config/extract-hints.toml");

/// A rule file docnorm knows: its usual name beside `pipeline.toml` and its compiled-in default.
#[derive(Debug, Clone, Copy)]
pub struct RuleFile {
    pub file_name: &'static str,
    pub default_text: &'static str,
}

pub const BOILERPLATE: RuleFile = RuleFile {
    file_name: "boilerplate.toml",
    default_text: DEFAULT_BOILERPLATE_TOML,
};
pub const VARIANTS: RuleFile = RuleFile {
    file_name: "variants.toml",
    default_text: DEFAULT_VARIANTS_TOML,
};
pub const EXTRACT_HINTS: RuleFile = RuleFile {
    file_name: "extract-hints.toml",
    default_text: DEFAULT_EXTRACT_HINTS_TOML,
};

impl RuleFile {
    /// The compiled-in default.
    pub fn built_in(self) -> RuleSource {
        RuleSource::built_in(self.file_name, self.default_text)
    }

    /// The file named in the settings (must exist), else the one beside them in `dir`, else the
    /// built-in one.
    fn load(self, dir: &Path, named: Option<&Path>) -> Result<RuleSource, ConfigError> {
        let path = match named {
            Some(p) => dir.join(p),
            None => {
                let beside = dir.join(self.file_name);
                if !beside.is_file() {
                    return Ok(self.built_in());
                }
                beside
            }
        };
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| ConfigError::new(&name, format!("cannot read rule file: {e}")))?;
        Ok(RuleSource {
            name,
            text,
            built_in: false,
        })
    }
}

/// Where `docnorm run` looks for settings when `--config` is not given.
pub const DEFAULT_CONFIG_PATH: &str = "config/pipeline.toml";

/// The text of a rule file and the name to use for it in error messages.
#[derive(Debug, Clone)]
pub struct RuleSource {
    /// The file's path, or `built-in <name>` for a compiled-in default.
    pub name: String,
    pub text: String,
    /// A compiled-in default, which tests prove valid; a user's file is not.
    pub built_in: bool,
}

impl RuleSource {
    /// A rule file's text under the name its errors will give (tests and callers with text in hand).
    pub fn named(name: &str, text: &str) -> Self {
        RuleSource {
            name: name.to_string(),
            text: text.to_string(),
            built_in: false,
        }
    }

    pub fn built_in(file_name: &str, text: &str) -> Self {
        RuleSource {
            name: format!("built-in {file_name}"),
            text: text.to_string(),
            built_in: true,
        }
    }
}

/// Limits for reading inputs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct InputConfig {
    /// Inputs larger than this many bytes are rejected as `too large` without being read.
    pub max_bytes: u64,
    /// Files whose names start with a dot are skipped when walking folders.
    pub skip_hidden: bool,
}

impl Default for InputConfig {
    fn default() -> Self {
        InputConfig {
            max_bytes: 64 * 1024 * 1024,
            skip_hidden: true,
        }
    }
}

/// Paths of the rule files, relative to the folder of `pipeline.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct RuleFiles {
    /// Boilerplate rules; when unset, `boilerplate.toml` beside `pipeline.toml` if it exists, else built in.
    pub boilerplate: Option<PathBuf>,
    /// Variant dictionary; when unset, `variants.toml` beside `pipeline.toml` if it exists, else built in.
    pub variants: Option<PathBuf>,
    /// Extract hints (class and id words); when unset, `extract-hints.toml` beside `pipeline.toml`
    /// if it exists, else built in.
    pub extract_hints: Option<PathBuf>,
}

/// The settings of `pipeline.toml`, one section per stage.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub input: InputConfig,
    pub rules: RuleFiles,
    pub decode: DecodeConfig,
    pub extract: ExtractConfig,
    pub clean: CleanConfig,
    pub normalise: NormaliseConfig,
    pub detect: DetectConfig,
    pub fetch: FetchConfig,
}

/// The effective configuration of a run: settings and the rule files' texts.
#[derive(Debug, Clone)]
pub struct Config {
    pub settings: Settings,
    pub boilerplate: RuleSource,
    pub variants: RuleSource,
    pub extract_hints: RuleSource,
    /// Where the settings came from, for messages (`built-in pipeline.toml` or a path).
    pub origin: String,
}

impl Config {
    /// The built-in defaults, compiled into the binary.
    pub fn built_in() -> Result<Config, ConfigError> {
        let settings = parse_settings("built-in pipeline.toml", DEFAULT_PIPELINE_TOML)?;
        Ok(Config {
            settings,
            boilerplate: BOILERPLATE.built_in(),
            variants: VARIANTS.built_in(),
            extract_hints: EXTRACT_HINTS.built_in(),
            origin: "built-in pipeline.toml".to_string(),
        })
    }

    /// Loads `path`, or, when `path` is `None`, [`DEFAULT_CONFIG_PATH`] if it exists, else the defaults.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        match path {
            Some(p) => Config::from_file(p),
            None if Path::new(DEFAULT_CONFIG_PATH).is_file() => {
                Config::from_file(Path::new(DEFAULT_CONFIG_PATH))
            }
            None => Config::built_in(),
        }
    }

    /// Loads a `pipeline.toml` and the rule files it names or that sit beside it.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::new(&name, format!("cannot read config file: {e}")))?;
        let settings = parse_settings(&name, &text)?;
        settings.detect.validate(&name)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let rules = &settings.rules;
        let boilerplate = BOILERPLATE.load(dir, rules.boilerplate.as_deref())?;
        let variants = VARIANTS.load(dir, rules.variants.as_deref())?;
        let extract_hints = EXTRACT_HINTS.load(dir, rules.extract_hints.as_deref())?;
        Ok(Config {
            settings,
            boilerplate,
            variants,
            extract_hints,
            origin: name,
        })
    }

    /// SHA-256 of the effective configuration: the settings after defaults and the rule files.
    pub fn sha256(&self) -> String {
        let mut h = Sha256::new();
        let settings = serde_json::to_string(&self.settings).expect("settings serialise");
        for part in [
            settings.as_str(),
            &self.boilerplate.text,
            &self.variants.text,
            &self.extract_hints.text,
        ] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

fn parse_settings(name: &str, text: &str) -> Result<Settings, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::from_toml(name, text, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_config_parses_and_matches_the_struct_defaults() {
        let c = Config::built_in().unwrap();
        assert_eq!(c.settings, Settings::default());
        assert_eq!(c.sha256().len(), 64);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let err = parse_settings("p.toml", "[input]\nmax_bytes = 5\nbogus = 1\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.to_string().starts_with("p.toml:3:"), "{err}");
    }

    #[test]
    fn rule_files_beside_the_settings_are_used() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pipeline.toml"), "").unwrap();
        std::fs::write(dir.path().join("variants.toml"), "# mine\n").unwrap();
        let c = Config::from_file(&dir.path().join("pipeline.toml")).unwrap();
        assert_eq!(c.variants.text, "# mine\n");
        assert!(c.boilerplate.name.starts_with("built-in"));
    }

    #[test]
    fn a_named_rule_file_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pipeline.toml"),
            "[rules]\nvariants = \"nope.toml\"\n",
        )
        .unwrap();
        let err = Config::from_file(&dir.path().join("pipeline.toml")).unwrap_err();
        assert!(err.to_string().contains("nope.toml"), "{err}");
    }

    #[test]
    fn a_bad_detect_setting_names_the_file_and_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipeline.toml");
        std::fs::write(&path, "[detect]\nmixed_min_share = 0.9\n").unwrap();
        let err = Config::from_file(&path).unwrap_err();
        assert_eq!(err.file, path.display().to_string());
        assert_eq!(err.entry.as_deref(), Some("detect.mixed_min_share"));
    }
}
