//! The pipeline: stages wired in order, and the streaming, parallel run that feeds them.
//!
//! One reader thread walks and reads the inputs; `jobs` worker threads run the stages; the calling
//! thread puts outcomes back in input order and hands them to the sinks. A ticket scheme bounds the
//! number of inputs between the reader and the writer, so memory is bounded by that window times
//! the largest document, never by the corpus.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, unbounded};

use crate::config::Config;
use crate::document::{Document, PipelineInfo, RawInput, Reject, RejectReason};
use crate::error::{ConfigError, Error, Result};
use crate::sinks::csv::CsvWriter;
use crate::sinks::jsonl::write_line;
use crate::sinks::summary::Summary;
use crate::sinks::{AtomicFile, PendingRename};
use crate::sources::files;
use crate::stages::Stage;
use crate::stages::{
    clean::Clean, decode::Decode, detect::Detect, extract::Extract, normalise::Normalise,
};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The output file names of a run, a contract with users' scripts.
pub const DOCUMENTS_JSONL: &str = "documents.jsonl";
pub const DOCUMENTS_CSV: &str = "documents.csv";
pub const REJECTS_JSONL: &str = "rejects.jsonl";
pub const SUMMARY_JSON: &str = "summary.json";

/// The stages, compiled once from a config, applied to many documents from many threads.
pub struct Pipeline {
    decode: Decode,
    stages: Vec<Box<dyn Stage>>,
    info: PipelineInfo,
}

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    Document(Box<Document>),
    Reject { reject: Reject, bytes: u64 },
}

impl Pipeline {
    pub fn new(config: &Config) -> Result<Pipeline, ConfigError> {
        let s = &config.settings;
        let stages: Vec<Box<dyn Stage>> = vec![
            Box::new(Extract::new(&s.extract)),
            Box::new(Clean::new(&s.clean, &config.boilerplate)?),
            Box::new(Normalise::new(&s.normalise, &config.variants)?),
            Box::new(Detect::new(&s.detect)?),
        ];
        Ok(Pipeline {
            decode: Decode::new(&s.decode),
            stages,
            info: PipelineInfo {
                version: VERSION.to_string(),
                config_sha256: config.sha256(),
            },
        })
    }

    /// Runs every stage on one input. A panic inside a stage becomes an `internal error` reject.
    pub fn process(&self, raw: RawInput) -> Outcome {
        let bytes = raw.bytes.len() as u64;
        let source = raw.source.clone();
        let result = catch_unwind(AssertUnwindSafe(|| self.run_stages(&raw)));
        let result = result.unwrap_or_else(|panic| {
            Err(Reject::new(
                source,
                RejectReason::InternalError,
                panic_message(panic.as_ref()),
            ))
        });
        match result {
            Ok(doc) => Outcome::Document(Box::new(doc)),
            Err(reject) => Outcome::Reject { reject, bytes },
        }
    }

    fn run_stages(&self, raw: &RawInput) -> Result<Document, Reject> {
        let mut doc = self.decode.apply(raw)?;
        for stage in &self.stages {
            doc = stage.apply(doc)?;
        }
        doc.finish();
        doc.pipeline = self.info.clone();
        Ok(doc)
    }

    /// Runs the stages up to and including `last` (by name), for tools such as `docnorm extract`.
    pub fn process_until(&self, raw: &RawInput, last: &str) -> Result<Document, Reject> {
        let mut doc = self.decode.apply(raw)?;
        for stage in &self.stages {
            doc = stage.apply(doc)?;
            if stage.name() == last {
                break;
            }
        }
        doc.finish();
        doc.pipeline = self.info.clone();
        Ok(doc)
    }

    pub fn info(&self) -> &PipelineInfo {
        &self.info
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        format!("panic: {s}")
    } else if let Some(s) = panic.downcast_ref::<String>() {
        format!("panic: {s}")
    } else {
        "panic with a non-text payload".to_string()
    }
}

/// What `docnorm run` was asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub jobs: usize,
    /// Show a progress bar (only honoured when stderr is a terminal).
    pub progress: bool,
    /// Inputs that failed before the run (URLs the fetcher could not get), written to
    /// `rejects.jsonl` first, in this order, and counted in the summary.
    pub pre_rejects: Vec<Reject>,
}

/// How a run went: the summary that was written, and how long it took.
#[derive(Debug)]
pub struct RunReport {
    pub summary: Summary,
    pub elapsed: Duration,
}

/// Runs the pipeline over files and folders, writing the four outputs into `options.output`.
pub fn run(config: &Config, options: &RunOptions) -> Result<RunReport> {
    let started = Instant::now();
    let pipeline = Pipeline::new(config)?;
    let jobs = options.jobs.max(1);
    std::fs::create_dir_all(&options.output)
        .map_err(|e| Error::io("cannot create output folder", &options.output, e))?;
    let entries = files::walk(
        &options.inputs,
        &config.settings.input,
        Some(options.output.clone()),
    )?;
    let mut sinks = FileSinks::create(&options.output)?;
    let mut summary = Summary::new(VERSION, &pipeline.info.config_sha256);
    let progress = Progress::new(options.progress);
    for reject in &options.pre_rejects {
        let outcome = Outcome::Reject {
            reject: reject.clone(),
            bytes: 0,
        };
        sinks.write(&outcome, &mut summary)?;
    }

    let window = jobs * 8;
    let (ticket_tx, ticket_rx) = bounded::<()>(window);
    for _ in 0..window {
        ticket_tx.send(()).expect("ticket channel has room");
    }
    let (work_tx, work_rx) = bounded::<(u64, Result<RawInput, Reject>)>(jobs * 2);
    let (done_tx, done_rx) = unbounded::<(u64, Outcome)>();
    let input_config = config.settings.input.clone();

    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            for (index, entry) in entries.enumerate() {
                if ticket_rx.recv().is_err() {
                    return;
                }
                let item = entry.and_then(|e| files::read(&e, &input_config));
                if work_tx.send((index as u64, item)).is_err() {
                    return;
                }
            }
        });
        for _ in 0..jobs {
            let work_rx = work_rx.clone();
            let done_tx = done_tx.clone();
            let pipeline = &pipeline;
            scope.spawn(move || {
                for (index, item) in work_rx {
                    let outcome = match item {
                        Ok(raw) => pipeline.process(raw),
                        Err(reject) => Outcome::Reject { reject, bytes: 0 },
                    };
                    if done_tx.send((index, outcome)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut pending: BTreeMap<u64, Outcome> = BTreeMap::new();
        let mut next = 0u64;
        for (index, outcome) in done_rx {
            pending.insert(index, outcome);
            while let Some(outcome) = pending.remove(&next) {
                sinks.write(&outcome, &mut summary)?;
                progress.update(&summary);
                next += 1;
                // The reader may have finished; a closed ticket channel is fine.
                let _ = ticket_tx.send(());
            }
        }
        Ok(())
    })?;
    progress.finish();
    sinks.commit(&summary)?;
    Ok(RunReport {
        summary,
        elapsed: started.elapsed(),
    })
}

/// The four output files of a run, written under temporary names until the run completes.
struct FileSinks {
    dir: PathBuf,
    documents: AtomicFile,
    csv: CsvWriter<AtomicFile>,
    rejects: AtomicFile,
}

impl FileSinks {
    fn create(dir: &Path) -> Result<FileSinks> {
        let open = |name: &str| {
            let path = dir.join(name);
            AtomicFile::create(&path).map_err(|e| Error::io("cannot write", path, e))
        };
        let csv = CsvWriter::new(open(DOCUMENTS_CSV)?)
            .map_err(|e| Error::io("cannot write", dir.join(DOCUMENTS_CSV), e))?;
        Ok(FileSinks {
            dir: dir.to_path_buf(),
            documents: open(DOCUMENTS_JSONL)?,
            csv,
            rejects: open(REJECTS_JSONL)?,
        })
    }

    fn write(&mut self, outcome: &Outcome, summary: &mut Summary) -> Result<()> {
        let result = match outcome {
            Outcome::Document(doc) => {
                summary.add_document(doc);
                write_line(&mut self.documents, doc.as_ref())
                    .and_then(|_| self.csv.write(doc))
                    .map_err(|e| (DOCUMENTS_JSONL, e))
            }
            Outcome::Reject { reject, bytes } => {
                summary.add_reject(reject, *bytes);
                write_line(&mut self.rejects, reject).map_err(|e| (REJECTS_JSONL, e))
            }
        };
        result.map_err(|(name, e)| Error::io("cannot write", self.dir.join(name), e))
    }

    /// Finishes every file, then renames them all into place, the summary last.
    fn commit(self, summary: &Summary) -> Result<()> {
        let dir = self.dir;
        let io = |name: &str| {
            let path = dir.join(name);
            move |e| Error::io("cannot write", path, e)
        };
        let mut summary_file =
            AtomicFile::create(&dir.join(SUMMARY_JSON)).map_err(io(SUMMARY_JSON))?;
        serde_json::to_writer_pretty(&mut summary_file, summary)
            .map_err(std::io::Error::other)
            .and_then(|_| summary_file.write_all(b"\n"))
            .map_err(io(SUMMARY_JSON))?;
        let pending: Vec<PendingRename> = vec![
            self.documents.finish().map_err(io(DOCUMENTS_JSONL))?,
            self.csv
                .into_inner()
                .and_then(AtomicFile::finish)
                .map_err(io(DOCUMENTS_CSV))?,
            self.rejects.finish().map_err(io(REJECTS_JSONL))?,
            summary_file.finish().map_err(io(SUMMARY_JSON))?,
        ];
        for p in pending {
            p.commit().map_err(io("outputs"))?;
        }
        Ok(())
    }
}

/// A progress bar on stderr, shown only when stderr is a terminal.
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
