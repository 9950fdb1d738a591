//! The output folder of a run: `documents.jsonl`, `documents.csv`, `rejects.jsonl` and
//! `summary.json`, written under temporary names with a progress journal, and renamed into place
//! together when the run completes. Outputs of an earlier run stay untouched until then.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::shard::Shard;
use crate::sinks::csv::header_bytes;
use crate::sinks::journal::{JOURNAL_FILE, Journal, chain};
use crate::sinks::record::Record;
use crate::sinks::summary::Summary;
use crate::sinks::{AtomicFile, PendingRename};

/// The output file names of a run: a contract with users' scripts.
pub const DOCUMENTS_JSONL: &str = "documents.jsonl";
pub const DOCUMENTS_CSV: &str = "documents.csv";
pub const REJECTS_JSONL: &str = "rejects.jsonl";
pub const SUMMARY_JSON: &str = "summary.json";
/// A shard's record of which global input index each of its records had, for `docnorm merge`.
pub const INDEX_TSV: &str = "index.tsv";

/// The file names of one run's outputs: plain, or with the shard in them.
#[derive(Debug, Clone)]
pub struct OutputNames {
    pub documents: String,
    pub csv: String,
    pub rejects: String,
    pub summary: String,
    /// Only for a shard: one line `INDEX\td|r` per record, in the order written.
    pub index: Option<String>,
    pub journal: String,
}

impl OutputNames {
    pub fn new(shard: Option<Shard>) -> OutputNames {
        let name = |base: &str| match shard {
            Some(s) => s.file_name(base),
            None => base.to_string(),
        };
        OutputNames {
            documents: name(DOCUMENTS_JSONL),
            csv: name(DOCUMENTS_CSV),
            rejects: name(REJECTS_JSONL),
            summary: name(SUMMARY_JSON),
            index: shard.map(|s| s.file_name(INDEX_TSV)),
            journal: name(JOURNAL_FILE),
        }
    }
}

pub struct OutputDir {
    dir: PathBuf,
    names: OutputNames,
    documents: AtomicFile,
    csv: AtomicFile,
    rejects: AtomicFile,
    index: Option<AtomicFile>,
    /// The journal as of the last write: what a checkpoint saves.
    progress: Journal,
}

impl OutputDir {
    /// Starts fresh temporary outputs in `dir`, dropping any an interrupted run left.
    pub fn create(dir: &Path, names: OutputNames, summary: Summary) -> Result<OutputDir> {
        let open = |name: &str| {
            let path = dir.join(name);
            AtomicFile::create(&path).map_err(|e| Error::output("cannot write", path, e))
        };
        let journal = dir.join(&names.journal);
        Journal::remove(&journal).map_err(|e| Error::output("cannot remove", journal, e))?;
        let mut csv = open(&names.csv)?;
        header_bytes()
            .and_then(|header| csv.write_all(&header))
            .map_err(|e| Error::output("cannot write", dir.join(&names.csv), e))?;
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            documents: open(&names.documents)?,
            csv,
            rejects: open(&names.rejects)?,
            index: names.index.as_deref().map(open).transpose()?,
            names,
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

    /// The journal an interrupted run with these names left in `dir`.
    pub fn journal(dir: &Path, names: &OutputNames) -> Option<Journal> {
        Journal::load(&dir.join(&names.journal))
    }

    /// Reopens the temporary outputs described by `journal`, cut back to its checkpoint.
    pub fn resume(dir: &Path, names: OutputNames, journal: Journal) -> std::io::Result<OutputDir> {
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
            documents: open(&names.documents)?,
            csv: open(&names.csv)?,
            rejects: open(&names.rejects)?,
            index: names.index.as_deref().map(open).transpose()?,
            names,
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

    /// Writes the record of the next input, whose walk-order key is `key` and whose position
    /// among all inputs (before sharding) is `index`.
    pub fn write(&mut self, key: &str, index: u64, record: &Record) -> Result<()> {
        let summary = &mut self.progress.summary;
        let names = &self.names;
        let (result, kind) = match record {
            Record::Document { line, row, counts } => {
                summary.add_counts(counts);
                let written = (self
                    .documents
                    .write_all(line)
                    .map_err(|e| (&names.documents, e)))
                .and_then(|_| self.csv.write_all(row).map_err(|e| (&names.csv, e)));
                (written, 'd')
            }
            Record::Reject {
                line,
                reject,
                bytes,
            } => {
                summary.add_reject(reject, *bytes);
                let written = self
                    .rejects
                    .write_all(line)
                    .map_err(|e| (&names.rejects, e));
                (written, 'r')
            }
        };
        let result = result.and_then(|_| match (&mut self.index, &names.index) {
            (Some(file), Some(name)) => writeln!(file, "{index}\t{kind}").map_err(|e| (name, e)),
            _ => Ok(()),
        });
        result.map_err(|(name, e)| Error::output("cannot write", self.dir.join(name), e))?;
        self.progress.done += 1;
        self.progress.inputs_sha256 = chain(&self.progress.inputs_sha256, key);
        Ok(())
    }

    /// Flushes every output (and has it written to disk in the background) and records how far
    /// they go, so a killed run can resume from here.
    pub fn checkpoint(&mut self) -> Result<()> {
        let flushed = self
            .documents
            .write_back()
            .and_then(|_| self.csv.write_back())
            .and_then(|_| self.rejects.write_back())
            .and_then(|_| self.index.as_mut().map_or(Ok(()), |f| f.write_back()));
        flushed.map_err(|e| Error::output("cannot write", &self.dir, e))?;
        let names = &self.names;
        self.progress.lengths = vec![
            (names.documents.clone(), self.documents.written()),
            (names.csv.clone(), self.csv.written()),
            (names.rejects.clone(), self.rejects.written()),
        ];
        if let (Some(file), Some(name)) = (&self.index, &names.index) {
            self.progress.lengths.push((name.clone(), file.written()));
        }
        let journal = self.dir.join(&names.journal);
        self.progress
            .save(&journal)
            .map_err(|e| Error::output("cannot write", journal, e))
    }

    /// Finishes every file, renames them all into place (the summary last) and drops the journal.
    pub fn commit(self) -> Result<Summary> {
        let dir = self.dir;
        let names = self.names;
        let io = |name: &str| {
            let path = dir.join(name);
            move |e| Error::output("cannot write", path, e)
        };
        let summary = self.progress.summary;
        let mut finished: Vec<PendingRename> = vec![
            self.documents.finish().map_err(io(&names.documents))?,
            self.csv.finish().map_err(io(&names.csv))?,
            self.rejects.finish().map_err(io(&names.rejects))?,
        ];
        if let (Some(index), Some(name)) = (self.index, &names.index) {
            finished.push(index.finish().map_err(io(name))?);
        }
        publish(&dir, &names.summary, &summary, finished)?;
        Journal::remove(&dir.join(&names.journal)).map_err(io(&names.journal))?;
        Ok(summary)
    }
}

/// Writes `summary` as `dir/summary_name`, then renames the `finished` outputs into place, the
/// summary last, so a complete summary always stands beside complete outputs.
pub fn publish(
    dir: &Path,
    summary_name: &str,
    summary: &Summary,
    finished: Vec<PendingRename>,
) -> Result<()> {
    let io = |name: &str| {
        let path = dir.join(name);
        move |e| Error::output("cannot write", path, e)
    };
    let mut file = AtomicFile::create(&dir.join(summary_name)).map_err(io(summary_name))?;
    serde_json::to_writer_pretty(&mut file, summary)
        .map_err(std::io::Error::other)
        .and_then(|_| file.write_all(b"\n"))
        .map_err(io(summary_name))?;
    let summary_done = file.finish().map_err(io(summary_name))?;
    for p in finished.into_iter().chain([summary_done]) {
        p.commit().map_err(io("outputs"))?;
    }
    Ok(())
}
