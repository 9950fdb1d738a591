//! The command line: one file per subcommand. `main.rs` only parses and reports errors.

pub mod detect_language;
pub mod extract;
pub mod fetch;
pub mod merge;
pub mod run;
pub mod variants;

use clap::{Parser, Subcommand};

use crate::error::Result;

/// docnorm: turns raw web texts into clean, normalised documents with an audit of every change.
#[derive(Debug, Parser)]
#[command(name = "docnorm", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Normalise files and folders into documents.jsonl, documents.csv, rejects.jsonl, summary.json.
    Run(run::RunArgs),
    /// Download a list of URLs into the raw folder, with a sidecar (JSON) beside each body.
    Fetch(fetch::FetchArgs),
    /// Join the outputs of `docnorm run --shard I/N` into the files one run would have written.
    Merge(merge::MergeArgs),
    /// Reads one text a line on stdin, prints one ISO 639-1 code a line (`und` when unsure).
    DetectLanguage(detect_language::DetectLanguageArgs),
    /// Tools for curating the variant dictionary (config/variants.toml).
    Variants(variants::VariantsArgs),
    /// Print the cleaned main text of one file (HTML or text) on stdout.
    Extract(extract::ExtractArgs),
}

/// Exit status of a completed command (errors that stop a run are mapped in `main`).
pub type ExitCode = u8;

/// The run completed, but some inputs hit a bug (a panic, turned into an `internal error` reject).
pub const EXIT_INTERNAL_ERRORS: ExitCode = 3;

pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Run(args) => run::execute(args),
        Command::Fetch(args) => fetch::execute(args),
        Command::Merge(args) => merge::execute(args),
        Command::DetectLanguage(args) => detect_language::execute(args),
        Command::Variants(args) => variants::execute(args),
        Command::Extract(args) => extract::execute(args),
    }
}
