//! The run summary: `summary.json` (deterministic: counts only, no timings) and the line printed
//! on stderr (with timings).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::{Document, Reject};

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
        self.inputs += 1;
        self.documents += 1;
        self.bytes_read += doc.raw_bytes;
        self.chars += doc.chars;
        self.words += doc.words;
        *self.languages.entry(doc.language.clone()).or_default() += 1;
        *self.encodings.entry(doc.encoding.clone()).or_default() += 1;
        let format = format!("{:?}", doc.format).to_lowercase();
        *self.formats.entry(format).or_default() += 1;
        for c in &doc.changes {
            let key = format!("{}/{}", c.stage, c.rule);
            *self.changes_by_rule.entry(key).or_default() += c.count as u64;
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
