//! An outcome serialised for the output folder by the worker that produced it: the JSON line, the
//! CSV row and the summary's counts. The one thread that writes the outputs in input order then
//! only appends bytes, and each document is dropped on the thread that built it.

use std::io;

use crate::document::Reject;
use crate::pipeline::Outcome;
use crate::sinks::csv::row_bytes;
use crate::sinks::jsonl::{document_line, line_bytes};
use crate::sinks::summary::DocumentCounts;

#[derive(Debug)]
pub enum Record {
    Document {
        /// The line of `documents.jsonl`, with its newline.
        line: Vec<u8>,
        /// The row of `documents.csv`, with its line ending.
        row: Vec<u8>,
        counts: DocumentCounts,
    },
    Reject {
        /// The line of `rejects.jsonl`, with its newline.
        line: Vec<u8>,
        reject: Reject,
        bytes: u64,
    },
}

impl Record {
    pub fn of(outcome: Outcome) -> io::Result<Record> {
        Ok(match outcome {
            Outcome::Document(mut doc) => {
                // The rule counts once, for the CSV row and the summary alike.
                let counts = DocumentCounts::of(&doc);
                Record::Document {
                    line: document_line(&mut doc)?,
                    row: row_bytes(&doc, &counts.changes_by_rule)?,
                    counts,
                }
            }
            Outcome::Reject { reject, bytes } => Record::Reject {
                line: line_bytes(&reject, 256)?,
                reject,
                bytes,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Change, Document, RejectReason};
    use crate::sinks::csv::CsvWriter;
    use crate::sinks::jsonl::write_line;

    #[test]
    fn a_record_holds_the_bytes_the_writers_write() {
        let mut doc = Document {
            id: "abc".into(),
            title: Some("=cmd".into()),
            text: "para one, \"quoted\"\n\npara two\t\u{1}".into(),
            ..Document::default()
        };
        doc.changes = vec![Change::new("clean", "r", "a", "", 3); 2];
        let mut line = Vec::new();
        write_line(&mut line, &doc).unwrap();
        let mut csv = CsvWriter::append(Vec::new());
        csv.write(&doc).unwrap();
        let counts = DocumentCounts::of(&doc);
        let Record::Document {
            line: l,
            row: r,
            counts: c,
        } = Record::of(Outcome::Document(Box::new(doc))).unwrap()
        else {
            panic!("a document");
        };
        assert_eq!((l, r, c), (line, csv.into_inner().unwrap(), counts));
        let reject = Reject::new("x", RejectReason::Empty, "0 bytes");
        let mut line = Vec::new();
        write_line(&mut line, &reject).unwrap();
        let record = Record::of(Outcome::Reject { reject, bytes: 0 }).unwrap();
        assert!(matches!(record, Record::Reject { line: l, .. } if l == line));
    }
}
