//! The command line: one file per subcommand. `main.rs` only parses and reports errors.

pub mod extract;
pub mod run;

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
    /// Print the cleaned main text of one file (HTML or text) on stdout.
    Extract(extract::ExtractArgs),
}

/// Exit status of a completed command (errors that stop a run are mapped in `main`).
pub type ExitCode = u8;

pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Run(args) => run::execute(args),
        Command::Extract(args) => extract::execute(args),
    }
}
