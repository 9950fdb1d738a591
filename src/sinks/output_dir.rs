//! The output folder of a run: `documents.jsonl`, `documents.csv`, `rejects.jsonl` and
//! `summary.json`, written under temporary names with a progress journal, and renamed into place
//! together when the run completes. Outputs of an earlier run stay untouched until then.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::pipeline::Outcome;
use crate::sinks::csv::CsvWriter;
use crate::sinks::journal::{Journal, chain};
use crate::sinks::jsonl::write_line;
use crate::sinks::summary::Summary;
use crate::sinks::{AtomicFile, PendingRename};

/// The output file names of a run: a contract with users' scripts.
pub const DOCUMENTS_JSONL: &str = "documents.jsonl";
pub const DOCUMENTS_CSV: &str = "documents.csv";
pub const REJECTS_JSONL: &str = "rejects.jsonl";
pub const SUMMARY_JSON: &str = "summary.json";

pub struct OutputDir {
    dir: PathBuf,
    documents: AtomicFile,
    csv: CsvWriter<AtomicFile>,
    rejects: AtomicFile,
    /// The journal as of the last write: what a checkpoint saves.
    progress: Journal,
}

impl OutputDir {
    /// Starts fresh temporary outputs in `dir`, dropping any an interrupted run left.
    pub fn create(dir: &Path, summary: Summary) -> Result<OutputDir> {
        let open = |name: &str| {
            let path = dir.join(name);
            AtomicFile::create(&path).map_err(|e| Error::output("cannot write", path, e))
        };
        Journal::remove(dir).map_err(|e| Error::output("cannot remove", Journal::path(dir), e))?;
        let csv = CsvWriter::new(open(DOCUMENTS_CSV)?)
            .map_err(|e| Error::output("cannot write", dir.join(DOCUMENTS_CSV), e))?;
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            documents: open(DOCUMENTS_JSONL)?,
            csv,
            rejects: open(REJECTS_JSONL)?,
            progress: Journal {
                docnorm_version: summary.docnorm_version.clone(),
                config_sha256: summary.config_sha256.clone(),
                done: 0,
                inputs_sha256: String::new(),
                lengths: Vec::new(),
                summary,
            },
        })
    }

    /// Reopens the temporary outputs described by `journal`, cut back to its checkpoint.
    pub fn resume(dir: &Path, journal: Journal) -> std::io::Result<OutputDir> {
        let len = |name: &str| {
            journal
                .lengths
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, l)| *l)
                .ok_or_else(|| std::io::Error::other(format!("the journal lacks {name}")))
        };
        let open = |name: &str| AtomicFile::resume(&dir.join(name), len(name)?);
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            documents: open(DOCUMENTS_JSONL)?,
            csv: CsvWriter::append(open(DOCUMENTS_CSV)?),
            rejects: open(REJECTS_JSONL)?,
            progress: journal,
        })
    }

    pub fn summary(&self) -> &Summary {
        &self.progress.summary
    }

    /// Inputs written so far (including those an interrupted run wrote).
    pub fn done(&self) -> u64 {
        self.progress.done
    }

    /// The chained hash of the sources written so far.
    pub fn inputs_sha256(&self) -> &str {
        &self.progress.inputs_sha256
    }

    /// Writes the outcome of the next input, whose walk-order key is `key`.
    pub fn write(&mut self, key: &str, outcome: &Outcome) -> Result<()> {
        let summary = &mut self.progress.summary;
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
        result.map_err(|(name, e)| Error::output("cannot write", self.dir.join(name), e))?;
        self.progress.done += 1;
        self.progress.inputs_sha256 = chain(&self.progress.inputs_sha256, key);
        Ok(())
    }

    /// Flushes every output and records how far they go, so a killed run can resume from here.
    pub fn checkpoint(&mut self) -> Result<()> {
        let flushed = self
            .documents
            .flush()
            .and_then(|_| self.csv.flush())
            .and_then(|_| self.rejects.flush());
        flushed.map_err(|e| Error::output("cannot write", &self.dir, e))?;
        self.progress.lengths = vec![
            (DOCUMENTS_JSONL.to_string(), self.documents.written()),
            (DOCUMENTS_CSV.to_string(), self.csv.get_ref().written()),
            (REJECTS_JSONL.to_string(), self.rejects.written()),
        ];
        self.progress
            .save(&self.dir)
            .map_err(|e| Error::output("cannot write", Journal::path(&self.dir), e))
    }

    /// Finishes every file, renames them all into place (the summary last) and drops the journal.
    pub fn commit(self) -> Result<Summary> {
        let dir = self.dir;
        let io = |name: &str| {
            let path = dir.join(name);
            move |e| Error::output("cannot write", path, e)
        };
        let summary = self.progress.summary;
        let mut summary_file =
            AtomicFile::create(&dir.join(SUMMARY_JSON)).map_err(io(SUMMARY_JSON))?;
        serde_json::to_writer_pretty(&mut summary_file, &summary)
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
        Journal::remove(&dir).map_err(io(crate::sinks::journal::JOURNAL_FILE))?;
        Ok(summary)
    }
}
