//! `docnorm run` as a library call: walk the inputs, run the pipeline on them in parallel, write
//! the outcomes in input order into the output folder, checkpointing so that a killed run can be
//! resumed.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::document::{Reject, RejectReason};
use crate::error::{Error, Result};
use crate::parallel::map_in_order;
use crate::pipeline::{Outcome, Pipeline, VERSION};
use crate::shard::Shard;
use crate::sinks::journal::chain;
use crate::sinks::jsonl::write_line;
use crate::sinks::output_dir::{OutputDir, OutputNames};
use crate::sinks::record::Record;
use crate::sinks::summary::Summary;
use crate::sources::files::{self, FileEntry};
use crate::sources::stdin;

/// Files handed to a worker at a time (see [`map_in_order`]). Four keeps what is in flight at
/// the 32 files per worker of unbatched hand-overs, so the memory bound (files in flight ×
/// `max_bytes`) is unchanged by batching, for a quarter of the hand-overs.
const FILES_PER_BATCH: usize = 4;

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
    /// Process only this shard of the inputs, into file names that carry the shard.
    pub shard: Option<Shard>,
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
    let shard = options.shard;
    // Each input keeps its position among all inputs, so `docnorm merge` can restore the order.
    let mut entries = options
        .pre_rejects
        .iter()
        .cloned()
        .map(Err)
        .chain(walk)
        .enumerate()
        .filter(move |(_, e)| shard.is_none_or(|s| s.contains(entry_key(e))));
    let fresh = Summary::new(VERSION, &pipeline.info().config_sha256);
    let names = OutputNames::new(shard.filter(|s| s.count > 1));
    let mut out = match resumable(dir, &names, options.resume, &fresh)? {
        Some(out) => {
            skip_done(&mut entries, &out)?;
            out
        }
        None => OutputDir::create(dir, names, fresh)?,
    };
    let resumed_after = out.done();
    let progress = Progress::new(options.progress);
    let input_config = config.settings.input.clone();
    let prefetcher = files::Prefetcher::new(&input_config);
    let items = entries.map(|(index, entry)| {
        let key = entry_key(&entry).to_string();
        let prefetched = entry.as_ref().ok().and_then(|e| prefetcher.prefetch(e));
        (index as u64, key, entry, prefetched)
    });
    let mut last_checkpoint = (out.done(), Instant::now());
    map_in_order(
        items,
        options.jobs,
        FILES_PER_BATCH,
        // Each worker reads its own files: a read that waits on the disk then holds up one
        // worker, not the one thread that feeds them all, and the reads overlap.
        |(index, key, entry, prefetched)| {
            let read = |e: FileEntry| files::read_prefetched(&e, prefetched, &input_config);
            let outcome = match entry.and_then(read) {
                Ok(raw) => pipeline.process(raw),
                Err(reject) => Outcome::Reject { reject, bytes: 0 },
            };
            (index, key, Record::of(outcome))
        },
        |(index, key, record)| {
            let record = record.map_err(|e| Error::io("cannot serialise", &key, e))?;
            out.write(&key, index, &record)?;
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

/// Streaming mode: one input JSON line in, one output line out (a document as in
/// `documents.jsonl`, or a reject marked `"rejected": true`), in input order, flushed as it goes.
/// Blank input lines are skipped. Returns the summary of what went through.
pub fn run_stream(
    config: &Config,
    jobs: usize,
    input: impl BufRead + Send,
    mut output: impl Write,
) -> Result<Summary> {
    let pipeline = Pipeline::new(config)?;
    let mut summary = Summary::new(VERSION, &pipeline.info().config_sha256);
    let input_config = config.settings.input.clone();
    let read_error: Mutex<Option<std::io::Error>> = Mutex::new(None);
    let items = stdin_lines(input, &read_error).map(|(line_no, line)| {
        line.and_then(|text| stdin::parse_line(line_no, &text, &input_config))
    });
    let stdout_error = |e| Error::io("cannot write", "standard output", e);
    map_in_order(
        items,
        jobs,
        1,
        |item| match item {
            Ok(raw) => pipeline.process(raw),
            Err(reject) => Outcome::Reject { reject, bytes: 0 },
        },
        |outcome| {
            match &outcome {
                Outcome::Document(doc) => {
                    summary.add_document(doc);
                    write_line(&mut output, doc.as_ref())
                }
                Outcome::Reject { reject, bytes } => {
                    summary.add_reject(reject, *bytes);
                    write_line(
                        &mut output,
                        &RejectLine {
                            rejected: true,
                            reject,
                        },
                    )
                }
            }
            .and_then(|_| output.flush())
            .map_err(stdout_error)
        },
    )?;
    if let Some(e) = read_error.into_inner().ok().flatten() {
        return Err(Error::io("cannot read", "standard input", e));
    }
    Ok(summary)
}

/// A reject in streaming output: marked, so consumers can tell it from a document.
#[derive(serde::Serialize)]
struct RejectLine<'a> {
    rejected: bool,
    #[serde(flatten)]
    reject: &'a Reject,
}

/// Non-blank lines of `input` with their 1-based numbers; a line that is not UTF-8 becomes a
/// reject. A read error ends the lines and is kept in `error`.
fn stdin_lines<'a>(
    mut input: impl BufRead + Send + 'a,
    error: &'a Mutex<Option<std::io::Error>>,
) -> impl Iterator<Item = (u64, std::result::Result<String, Reject>)> + Send + 'a {
    let mut line_no = 0u64;
    std::iter::from_fn(move || {
        loop {
            let mut buf = Vec::new();
            match input.read_until(b'\n', &mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    *error.lock().expect("not poisoned") = Some(e);
                    return None;
                }
            }
            line_no += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let line = String::from_utf8(buf).map_err(|e| {
                Reject::new(
                    format!("stdin:{line_no}"),
                    RejectReason::Unreadable,
                    format!("line {line_no} is not UTF-8: {e}"),
                )
            });
            return Some((line_no, line));
        }
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
fn resumable(
    dir: &Path,
    names: &OutputNames,
    resume: bool,
    fresh: &Summary,
) -> Result<Option<OutputDir>> {
    if !resume {
        return Ok(None);
    }
    let Some(journal) = OutputDir::journal(dir, names) else {
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
    match OutputDir::resume(dir, names.clone(), journal) {
        Ok(out) => Ok(Some(out)),
        Err(e) => {
            tracing::warn!("cannot resume ({e}): starting from the beginning");
            Ok(None)
        }
    }
}

/// Skips the inputs a resumed run already wrote, checking they are the same inputs.
fn skip_done(
    entries: &mut impl Iterator<Item = (usize, Result<FileEntry, Reject>)>,
    out: &OutputDir,
) -> Result<()> {
    let mut hash = String::new();
    for (_, entry) in entries.by_ref().take(out.done() as usize) {
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
