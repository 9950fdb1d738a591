//! The run summary: `summary.json` (deterministic: counts only, no timings) and the line printed
//! on stderr (with timings).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::{Document, Format, Reject};

/// Adds `n` to `key`'s count, allocating the key only the first time it is seen.
fn bump(counts: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match counts.get_mut(key) {
        Some(count) => *count += n,
        None => {
            counts.insert(key.to_string(), n);
        }
    }
}

/// What the summary counts of one document: small, so a worker can take it and drop the document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentCounts {
    pub raw_bytes: u64,
    pub chars: u64,
    pub words: u64,
    pub language: String,
    pub encoding: String,
    pub format: Format,
    /// `stage/rule` and how often it fired.
    pub changes_by_rule: Vec<(String, u64)>,
}

impl DocumentCounts {
    pub fn of(doc: &Document) -> DocumentCounts {
        DocumentCounts {
            raw_bytes: doc.raw_bytes,
            chars: doc.chars,
            words: doc.words,
            language: doc.language.clone(),
            encoding: doc.encoding.clone(),
            format: doc.format,
            changes_by_rule: doc.counts_by_rule(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub docnorm_version: String,
    pub config_sha256: String,
    pub inputs: u64,
    pub documents: u64,
    pub rejects: u64,
    pub rejects_by_reason: BTreeMap<String, u64>,
    pub bytes_read: u64,
    pub chars: u64,
    pub words: u64,
    pub languages: BTreeMap<String, u64>,
    pub encodings: BTreeMap<String, u64>,
    pub formats: BTreeMap<String, u64>,
    /// How often each rule fired, keyed `stage/rule`.
    pub changes_by_rule: BTreeMap<String, u64>,
}

impl Summary {
    pub fn new(version: &str, config_sha256: &str) -> Self {
        Summary {
            docnorm_version: version.to_string(),
            config_sha256: config_sha256.to_string(),
            ..Summary::default()
        }
    }

    pub fn add_document(&mut self, doc: &Document) {
        self.add_counts(&DocumentCounts::of(doc));
    }

    /// Adds a document by its counts (taken where it was made, see [`DocumentCounts`]).
    pub fn add_counts(&mut self, doc: &DocumentCounts) {
        self.inputs += 1;
        self.documents += 1;
        self.bytes_read += doc.raw_bytes;
        self.chars += doc.chars;
        self.words += doc.words;
        bump(&mut self.languages, &doc.language, 1);
        bump(&mut self.encodings, &doc.encoding, 1);
        bump(&mut self.formats, doc.format.as_str(), 1);
        for (rule, n) in &doc.changes_by_rule {
            bump(&mut self.changes_by_rule, rule, *n);
        }
    }

    pub fn add_reject(&mut self, reject: &Reject, bytes: u64) {
        self.inputs += 1;
        self.rejects += 1;
        self.bytes_read += bytes;
        *self
            .rejects_by_reason
            .entry(reject.reason.as_str())
            .or_default() += 1;
    }

    /// Adds another run's counts (a shard's) to these.
    pub fn merge(&mut self, other: &Summary) {
        let add = |a: &mut BTreeMap<String, u64>, b: &BTreeMap<String, u64>| {
            for (k, v) in b {
                *a.entry(k.clone()).or_default() += v;
            }
        };
        self.inputs += other.inputs;
        self.documents += other.documents;
        self.rejects += other.rejects;
        self.bytes_read += other.bytes_read;
        self.chars += other.chars;
        self.words += other.words;
        add(&mut self.rejects_by_reason, &other.rejects_by_reason);
        add(&mut self.languages, &other.languages);
        add(&mut self.encodings, &other.encodings);
        add(&mut self.formats, &other.formats);
        add(&mut self.changes_by_rule, &other.changes_by_rule);
    }

    /// The one-line report for stderr.
    pub fn report(&self, seconds: f64) -> String {
        let mb = self.bytes_read as f64 / 1e6;
        let rejects = if self.rejects_by_reason.is_empty() {
            String::new()
        } else {
            let by: Vec<String> = self
                .rejects_by_reason
                .iter()
                .map(|(r, n)| format!("{r}: {n}"))
                .collect();
            format!(" ({})", by.join(", "))
        };
        format!(
            "{} documents, {} rejects{rejects}, {mb:.2} MB read in {seconds:.2} s ({:.1} MB/s)",
            self.documents,
            self.rejects,
            mb / seconds.max(1e-9)
        )
    }
}
