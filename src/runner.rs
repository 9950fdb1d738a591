//! `docnorm run` as a library call: walk the inputs, run the pipeline on them in parallel, write
//! the outcomes in input order into the output folder, checkpointing so that a killed run can be
//! resumed.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::document::Reject;
use crate::error::{Error, Result};
use crate::parallel::map_in_order;
use crate::pipeline::{Outcome, Pipeline, VERSION};
use crate::sinks::journal::{Journal, chain};
use crate::sinks::output_dir::OutputDir;
use crate::sinks::summary::Summary;
use crate::sources::files::{self, FileEntry};

/// Checkpoint at least this often (and every `checkpoint_every` inputs).
const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(500);

/// What `docnorm run` was asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub jobs: usize,
    /// Show a progress bar (only honoured when stderr is a terminal).
    pub progress: bool,
    /// Continue an interrupted run from its journal instead of starting again.
    pub resume: bool,
    /// Checkpoint the journal after this many inputs (and at least every 500 ms).
    pub checkpoint_every: u64,
    /// Inputs that failed before the run (URLs the fetcher could not get), written to
    /// `rejects.jsonl` first, in this order, and counted in the summary.
    pub pre_rejects: Vec<Reject>,
}

/// How a run went.
#[derive(Debug)]
pub struct RunReport {
    pub summary: Summary,
    pub elapsed: Duration,
    /// Inputs a resumed run found already done.
    pub resumed_after: u64,
}

/// Runs the pipeline over files and folders, writing the four outputs into `options.output`.
pub fn run(config: &Config, options: &RunOptions) -> Result<RunReport> {
    let started = Instant::now();
    let pipeline = Pipeline::new(config)?;
    let dir = &options.output;
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::output("cannot create output folder", dir, e))?;
    refuse_inputs_inside(dir, &options.inputs)?;
    let walk = files::walk(&options.inputs, &config.settings.input, Some(dir.clone()))?;
    let mut entries = options.pre_rejects.iter().cloned().map(Err).chain(walk);
    let fresh = Summary::new(VERSION, &pipeline.info().config_sha256);
    let mut out = match resumable(dir, options.resume, &fresh)? {
        Some(out) => {
            skip_done(&mut entries, &out)?;
            out
        }
        None => OutputDir::create(dir, fresh)?,
    };
    let resumed_after = out.done();
    let progress = Progress::new(options.progress);
    let input_config = config.settings.input.clone();
    let items = entries.map(|entry| {
        let key = entry_key(&entry).to_string();
        (key, entry.and_then(|e| files::read(&e, &input_config)))
    });
    let mut last_checkpoint = (out.done(), Instant::now());
    map_in_order(
        items,
        options.jobs,
        |(key, item)| {
            let outcome = match item {
                Ok(raw) => pipeline.process(raw),
                Err(reject) => Outcome::Reject { reject, bytes: 0 },
            };
            (key, outcome)
        },
        |(key, outcome)| {
            out.write(&key, &outcome)?;
            progress.update(out.summary());
            if out.done() - last_checkpoint.0 >= options.checkpoint_every.max(1)
                || last_checkpoint.1.elapsed() >= CHECKPOINT_INTERVAL
            {
                out.checkpoint()?;
                last_checkpoint = (out.done(), Instant::now());
            }
            Ok::<_, Error>(())
        },
    )?;
    progress.finish();
    let summary = out.commit()?;
    Ok(RunReport {
        summary,
        elapsed: started.elapsed(),
        resumed_after,
    })
}

/// The walk-order key of an input, chained into the journal to detect changed inputs on resume.
fn entry_key(entry: &Result<FileEntry, Reject>) -> &str {
    match entry {
        Ok(e) => &e.source,
        Err(r) => &r.source,
    }
}

/// The outputs of an interrupted run to continue, when `--resume` asks for it and they are usable.
fn resumable(dir: &Path, resume: bool, fresh: &Summary) -> Result<Option<OutputDir>> {
    if !resume {
        return Ok(None);
    }
    let Some(journal) = Journal::load(dir) else {
        tracing::info!(
            "no journal in {}: starting from the beginning",
            dir.display()
        );
        return Ok(None);
    };
    if journal.config_sha256 != fresh.config_sha256 || journal.docnorm_version != VERSION {
        return Err(Error::Usage(format!(
            "cannot resume in {}: the configuration or docnorm version changed since the \
             interrupted run; run again without --resume",
            dir.display()
        )));
    }
    match OutputDir::resume(dir, journal) {
        Ok(out) => Ok(Some(out)),
        Err(e) => {
            tracing::warn!("cannot resume ({e}): starting from the beginning");
            Ok(None)
        }
    }
}

/// Skips the inputs a resumed run already wrote, checking they are the same inputs.
fn skip_done(
    entries: &mut impl Iterator<Item = Result<FileEntry, Reject>>,
    out: &OutputDir,
) -> Result<()> {
    let mut hash = String::new();
    for entry in entries.by_ref().take(out.done() as usize) {
        hash = chain(&hash, entry_key(&entry));
    }
    if hash != out.inputs_sha256() {
        return Err(Error::Usage(
            "cannot resume: the inputs changed since the interrupted run; run again without --resume"
                .into(),
        ));
    }
    Ok(())
}

/// An input inside the output folder (a file, or a folder that is or lies within it) could be
/// overwritten by the run, or silently skipped as output: refuse it. The output folder inside an
/// input folder is fine: the walk leaves it out.
fn refuse_inputs_inside(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(output) = output.canonicalize() else {
        return Ok(());
    };
    for input in inputs {
        let Ok(path) = input.canonicalize() else {
            continue;
        };
        if path.starts_with(&output) {
            return Err(Error::Usage(format!(
                "input {} is inside the output folder {}; choose another --output",
                input.display(),
                output.display()
            )));
        }
    }
    Ok(())
}

/// A progress spinner on stderr, shown only when stderr is a terminal.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(wanted: bool) -> Progress {
        if !wanted || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .expect("static template"),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress(Some(bar))
    }

    fn update(&self, s: &Summary) {
        if let Some(bar) = &self.0 {
            bar.set_message(format!(
                "{} documents, {} rejects, {:.1} MB",
                s.documents,
                s.rejects,
                s.bytes_read as f64 / 1e6
            ));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
