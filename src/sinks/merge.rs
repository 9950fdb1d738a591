//! `docnorm merge`: joins the outputs of `docnorm run --shard I/N` (all N of them) into the files a
//! single run over the same inputs writes, byte for byte: records are interleaved by their position
//! among all inputs (each shard's `index.shard-I-of-N.tsv`), lines and CSV rows copied unchanged,
//! summaries added up.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::shard::Shard;
use crate::sinks::csv::{COLUMNS, CsvWriter};
use crate::sinks::output_dir::{
    DOCUMENTS_CSV, DOCUMENTS_JSONL, INDEX_TSV, OutputNames, REJECTS_JSONL, SUMMARY_JSON, publish,
};
use crate::sinks::summary::Summary;
use crate::sinks::{AtomicFile, PendingRename};

/// One shard's outputs, read in step.
struct ShardFiles {
    name: String,
    index: std::io::Lines<BufReader<File>>,
    documents: BufReader<File>,
    rejects: BufReader<File>,
    csv: ::csv::Reader<BufReader<File>>,
    summary: Summary,
}

/// The shard count of the shard outputs in `dir`, checking every shard 0..N is there.
fn shard_count(dir: &Path) -> Result<u32> {
    let read = std::fs::read_dir(dir).map_err(|e| Error::io("cannot read", dir, e))?;
    let mut found: Vec<Shard> = Vec::new();
    for entry in read {
        let name = entry
            .map_err(|e| Error::io("cannot read", dir, e))?
            .file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name
            .strip_prefix("index.shard-")
            .and_then(|r| r.strip_suffix(".tsv"))
        else {
            continue;
        };
        if let Some((i, n)) = rest.split_once("-of-")
            && let Ok(shard) = Shard::parse(&format!("{i}/{n}"))
        {
            found.push(shard);
        }
    }
    let Some(count) = found.first().map(|s| s.count) else {
        return Err(Error::Usage(format!(
            "no shard outputs (index.shard-I-of-N.tsv) in {}; run `docnorm run --shard I/N` first",
            dir.display()
        )));
    };
    if let Some(other) = found.iter().find(|s| s.count != count) {
        return Err(Error::Usage(format!(
            "{} holds shards of {count} and of {}; keep one sharding per folder",
            dir.display(),
            other.count
        )));
    }
    let missing: Vec<String> = (0..count)
        .filter(|i| !found.iter().any(|s| s.index == *i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "shards {} are missing in {}; run them before merging",
            missing.join(", "),
            dir.display()
        )));
    }
    Ok(count)
}

fn open_shard(dir: &Path, shard: Shard) -> Result<ShardFiles> {
    let names = OutputNames::new(Some(shard));
    let open = |name: &str| {
        let path = dir.join(name);
        File::open(&path)
            .map(BufReader::new)
            .map_err(|e| Error::io("cannot read", path, e))
    };
    let summary_path = dir.join(&names.summary);
    let summary: Summary = std::fs::read_to_string(&summary_path)
        .map_err(|e| Error::io("cannot read", &summary_path, e))
        .and_then(|t| {
            serde_json::from_str(&t).map_err(|e| {
                Error::Usage(format!("{} is not a summary: {e}", summary_path.display()))
            })
        })?;
    let csv = ::csv::ReaderBuilder::new().from_reader(open(&names.csv)?);
    Ok(ShardFiles {
        name: format!("shard {}/{}", shard.index, shard.count),
        index: open(&shard.file_name(INDEX_TSV))?.lines(),
        documents: open(&names.documents)?,
        rejects: open(&names.rejects)?,
        csv,
        summary,
    })
}

impl ShardFiles {
    /// The next record's position among all inputs and whether it is a document.
    fn next_entry(&mut self) -> Result<Option<(u64, bool)>> {
        let Some(line) = self.index.next() else {
            return Ok(None);
        };
        let line = line.map_err(|e| Error::io("cannot read", &self.name, e))?;
        let parsed = line
            .split_once('\t')
            .and_then(|(i, k)| Some((i.parse().ok()?, k)));
        match parsed {
            Some((i, "d")) => Ok(Some((i, true))),
            Some((i, "r")) => Ok(Some((i, false))),
            _ => Err(self.corrupt(&format!("index line {line:?}"))),
        }
    }

    fn corrupt(&self, what: &str) -> Error {
        Error::Usage(format!(
            "{}: {what} does not match its other files; re-run that shard",
            self.name
        ))
    }
}

fn copy_line(from: &mut BufReader<File>, to: &mut AtomicFile, what: &str) -> Result<bool> {
    let mut line = Vec::new();
    let n = from
        .read_until(b'\n', &mut line)
        .map_err(|e| Error::io("cannot read", what, e))?;
    to.write_all(&line)
        .map_err(|e| Error::output("cannot write", what, e))?;
    Ok(n > 0 && line.ends_with(b"\n"))
}

/// Merges the shard outputs in `input` into plain outputs in `output`. Returns the summary.
pub fn merge(input: &Path, output: &Path) -> Result<Summary> {
    let count = shard_count(input)?;
    let mut shards: Vec<ShardFiles> = (0..count)
        .map(|index| open_shard(input, Shard { index, count }))
        .collect::<Result<_>>()?;
    let first = shards[0].summary.clone();
    let mut summary = Summary::new(&first.docnorm_version, &first.config_sha256);
    for s in shards.iter_mut() {
        if s.summary.config_sha256 != first.config_sha256
            || s.summary.docnorm_version != first.docnorm_version
        {
            return Err(Error::Usage(format!(
                "{} was made with another configuration or docnorm version than shard 0/{count}",
                s.name
            )));
        }
        let header = s.csv.byte_headers().ok().cloned();
        if header
            .as_ref()
            .map(|h| h.iter().eq(COLUMNS.iter().map(|c| c.as_bytes())))
            != Some(true)
        {
            return Err(s.corrupt("the CSV header"));
        }
        summary.merge(&s.summary);
    }
    std::fs::create_dir_all(output)
        .map_err(|e| Error::output("cannot create output folder", output, e))?;
    let create = |name: &str| {
        let path = output.join(name);
        AtomicFile::create(&path).map_err(|e| Error::output("cannot write", path, e))
    };
    let mut documents = create(DOCUMENTS_JSONL)?;
    let mut rejects = create(REJECTS_JSONL)?;
    let mut csv = CsvWriter::new(create(DOCUMENTS_CSV)?)
        .map_err(|e| Error::output("cannot write", output.join(DOCUMENTS_CSV), e))?;

    let mut heap = BinaryHeap::new();
    for (i, s) in shards.iter_mut().enumerate() {
        if let Some((pos, is_doc)) = s.next_entry()? {
            heap.push(Reverse((pos, i, is_doc)));
        }
    }
    let mut last: Option<u64> = None;
    while let Some(Reverse((pos, i, is_doc))) = heap.pop() {
        if last == Some(pos) {
            return Err(Error::Usage(format!(
                "input {pos} appears in two shards; were the shards run over the same inputs?"
            )));
        }
        last = Some(pos);
        let s = &mut shards[i];
        let complete = if is_doc {
            let mut row = ::csv::ByteRecord::new();
            let has_row = s.csv.read_byte_record(&mut row).unwrap_or(false);
            if !has_row {
                return Err(s.corrupt("documents.csv"));
            }
            csv.write_raw(&row)
                .map_err(|e| Error::output("cannot write", output.join(DOCUMENTS_CSV), e))?;
            copy_line(&mut s.documents, &mut documents, DOCUMENTS_JSONL)?
        } else {
            copy_line(&mut s.rejects, &mut rejects, REJECTS_JSONL)?
        };
        if !complete {
            return Err(s.corrupt(if is_doc {
                DOCUMENTS_JSONL
            } else {
                REJECTS_JSONL
            }));
        }
        if let Some((pos, is_doc)) = s.next_entry()? {
            heap.push(Reverse((pos, i, is_doc)));
        }
    }
    let io = |name: &str| {
        let path = output.join(name);
        move |e| Error::output("cannot write", path, e)
    };
    let finished: Vec<PendingRename> = vec![
        documents.finish().map_err(io(DOCUMENTS_JSONL))?,
        csv.into_inner()
            .and_then(AtomicFile::finish)
            .map_err(io(DOCUMENTS_CSV))?,
        rejects.finish().map_err(io(REJECTS_JSONL))?,
    ];
    publish(output, SUMMARY_JSON, &summary, finished)?;
    Ok(summary)
}
