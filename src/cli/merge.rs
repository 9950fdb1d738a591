//! `docnorm merge`: joins shard outputs into the files a single run gives.

use std::path::PathBuf;

use clap::Args;

use crate::cli::ExitCode;
use crate::error::Result;
use crate::sinks::merge::merge;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Folder holding the outputs of every `docnorm run --shard I/N`.
    #[arg(long, value_name = "DIR", default_value = "normalized")]
    pub input: PathBuf,
    /// Folder for the merged documents.jsonl, documents.csv, rejects.jsonl, summary.json
    /// [default: the --input folder].
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

pub fn execute(args: MergeArgs) -> Result<ExitCode> {
    let output = args.output.unwrap_or_else(|| args.input.clone());
    let started = std::time::Instant::now();
    let summary = merge(&args.input, &output)?;
    eprintln!(
        "docnorm merge: {} → {}",
        summary.report(started.elapsed().as_secs_f64()),
        output.display()
    );
    Ok(0)
}
