//! `docnorm run`: the batch job.

use std::path::PathBuf;

use clap::Args;

use crate::cli::fetch::fetch_urls;
use crate::cli::{EXIT_INTERNAL_ERRORS, ExitCode};
use crate::config::Config;
use crate::document::RejectReason;
use crate::error::{Error, Result};
use crate::runner::{RunOptions, run, run_stream};
use crate::shard::Shard;
use crate::sinks::summary::Summary;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A file or folder to read (folders recursively); repeat for more.
    #[arg(long = "input", value_name = "PATH", default_value = "raw")]
    pub inputs: Vec<PathBuf>,
    /// Folder for documents.jsonl, documents.csv, rejects.jsonl and summary.json.
    #[arg(long, value_name = "DIR", default_value = "normalized")]
    pub output: PathBuf,
    /// Settings file [default: config/pipeline.toml when it exists, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Worker threads [default: the number of cores].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Never show a progress bar, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
    /// Continue a run that was interrupted (killed) in the same --output folder, from its last
    /// checkpoint, instead of starting again.
    #[arg(long)]
    pub resume: bool,
    /// Save the resume journal after this many inputs (it is also saved every 500 ms).
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub checkpoint_every: u64,
    /// Fetch the URLs in FILE first (see `docnorm fetch`) and process what was fetched.
    #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
    pub urls: Option<PathBuf>,
    /// With --urls: folder the fetched bodies and their sidecars are stored in.
    #[arg(long, value_name = "DIR", default_value = "raw", requires = "urls")]
    pub raw: PathBuf,
    /// Process only shard I of N (0-based), by a hash of each input's source; outputs carry the
    /// shard in their names (`documents.shard-I-of-N.jsonl`) for `docnorm merge`. When absent,
    /// read from SLURM_ARRAY_TASK_ID/_COUNT/_MIN or JOB_COMPLETION_INDEX + DOCNORM_SHARD_COUNT.
    #[arg(long, value_name = "I/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
}

pub fn execute(args: RunArgs) -> Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    let jobs = match args.jobs {
        Some(0) => return Err(Error::Usage("--jobs must be at least 1".into())),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let streaming = args.inputs.iter().any(|p| p.as_os_str() == "-");
    if streaming || args.output.as_os_str() == "-" {
        return stream(&config, jobs, &args);
    }
    let shard = match args.shard {
        Some(s) => Some(s),
        None => Shard::from_env(|k| std::env::var(k).ok()).map_err(Error::Usage)?,
    };
    let (inputs, pre_rejects) = match &args.urls {
        Some(urls) => {
            let report = fetch_urls(&config, urls, &args.raw, !args.no_progress)?;
            eprintln!("docnorm fetch: {}", report.summary_line());
            (report.bodies(), report.rejects())
        }
        None => (args.inputs, Vec::new()),
    };
    let options = RunOptions {
        inputs,
        output: args.output,
        jobs,
        progress: !args.no_progress,
        resume: args.resume,
        checkpoint_every: args.checkpoint_every,
        pre_rejects,
        shard,
    };
    if let Some(s) = shard {
        eprintln!("docnorm: shard {}/{}", s.index, s.count);
    }
    let report = run(&config, &options)?;
    if report.resumed_after > 0 {
        eprintln!(
            "docnorm: resumed after {} inputs already done",
            report.resumed_after
        );
    }
    eprintln!(
        "docnorm: {} → {}",
        report.summary.report(report.elapsed.as_secs_f64()),
        options.output.display()
    );
    Ok(exit_code(&report.summary, "rejects.jsonl"))
}

/// 0, or [`EXIT_INTERNAL_ERRORS`] (said once on stderr) when inputs hit an internal error;
/// `where_rejects`: where their reject records went.
fn exit_code(summary: &Summary, where_rejects: &str) -> ExitCode {
    let internal = summary
        .rejects_by_reason
        .get(&RejectReason::InternalError.as_str())
        .copied()
        .unwrap_or(0);
    if internal > 0 {
        eprintln!(
            "docnorm: {internal} inputs hit an internal error (reason \"internal error\" in {where_rejects}); please report them"
        );
        return EXIT_INTERNAL_ERRORS;
    }
    0
}

/// `--input - --output -`: JSON Lines in on stdin, one record a line out on stdout.
fn stream(config: &Config, jobs: usize, args: &RunArgs) -> Result<ExitCode> {
    let only_stdin = args.inputs.len() == 1 && args.inputs[0].as_os_str() == "-";
    if !only_stdin || args.output.as_os_str() != "-" || args.urls.is_some() || args.resume {
        return Err(Error::Usage(
            "streaming mode is `docnorm run --input - --output -` on its own (no other inputs, \
             --urls or --resume)"
                .into(),
        ));
    }
    let started = std::time::Instant::now();
    let stdin = std::io::BufReader::with_capacity(1 << 16, std::io::stdin());
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let summary = run_stream(config, jobs, stdin, stdout)?;
    eprintln!(
        "docnorm: {} → standard output",
        summary.report(started.elapsed().as_secs_f64())
    );
    Ok(exit_code(&summary, "the reject records"))
}
