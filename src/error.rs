//! Typed errors of the library. Per-document problems are never errors: they are [`crate::Reject`]s.
//! These are the few things that stop a whole run, reported once by the binary.

use std::path::PathBuf;

/// A configuration or rule file that cannot be used. `file` and `line` say where, `entry` which rule.
#[derive(Debug, thiserror::Error)]
#[error("{file}{}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default(), entry.as_ref().map(|e| format!(" (entry {e:?})")).unwrap_or_default())]
pub struct ConfigError {
    pub file: String,
    pub line: Option<usize>,
    pub entry: Option<String>,
    pub message: String,
}

impl ConfigError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            file: file.into(),
            line: None,
            entry: None,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    pub fn entry(mut self, entry: impl Into<String>) -> Self {
        self.entry = Some(entry.into());
        self
    }

    /// Wraps a TOML parse error, keeping the line it points at.
    pub fn from_toml(file: &str, text: &str, err: &toml::de::Error) -> Self {
        let line = err.span().map(|s| line_of(text, s.start));
        ConfigError::new(file, err.message().trim().to_string()).at_line(line)
    }
}

/// 1-based line number of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Anything that stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("bad configuration: {0}")]
    Config(#[from] ConfigError),
    #[error("{action} {}: {source}; pass --output with a folder you can write to", path.display())]
    Output {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

impl Error {
    /// An error writing the run's outputs.
    pub fn output(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Output {
            action,
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
