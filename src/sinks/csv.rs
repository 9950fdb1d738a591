//! The CSV sink: `documents.csv`, RFC 4180 through the csv crate, one row per document with the
//! scalar fields as columns and the changes summarised.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::document::Document;

pub const COLUMNS: &[&str] = &[
    "id",
    "source",
    "url",
    "title",
    "author",
    "published",
    "language",
    "language_confidence",
    "script",
    "format",
    "encoding",
    "raw_sha256",
    "raw_bytes",
    "chars",
    "words",
    "changes",
    "change_rules",
    "text",
];

pub struct CsvWriter<W: Write> {
    writer: ::csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    /// A new CSV file: writes the header row.
    pub fn new(out: W) -> io::Result<Self> {
        let mut csv = CsvWriter::append(out);
        csv.writer.write_record(COLUMNS).map_err(io::Error::other)?;
        Ok(csv)
    }

    /// Continues a CSV file that already has its header (a resumed run).
    pub fn append(out: W) -> Self {
        CsvWriter {
            writer: builder().from_writer(out),
        }
    }

    /// Writes a row read back from another docnorm CSV (merging shards), unchanged.
    pub fn write_raw(&mut self, row: &::csv::ByteRecord) -> io::Result<()> {
        self.writer.write_byte_record(row).map_err(io::Error::other)
    }

    pub fn write(&mut self, doc: &Document) -> io::Result<()> {
        self.write_counted(doc, &doc.counts_by_rule())
    }

    /// [`CsvWriter::write`] with the document's [`Document::counts_by_rule`] already in hand.
    pub fn write_counted(&mut self, doc: &Document, by_rule: &[(String, u64)]) -> io::Result<()> {
        // Borrowed where the cell is the field as it is: the text is not copied.
        fn opt(v: &Option<String>) -> Cow<'_, str> {
            v.as_deref().map(neutralised).unwrap_or_default()
        }
        let rules = rule_counts(by_rule);
        let row: [Cow<str>; 18] = [
            Cow::Borrowed(&doc.id),
            neutralised(&doc.source),
            opt(&doc.url),
            opt(&doc.title),
            opt(&doc.author),
            opt(&doc.published),
            neutralised(&doc.language),
            doc.language_confidence
                .map(|c| Cow::Owned(format!("{c:.4}")))
                .unwrap_or_default(),
            opt(&doc.script),
            Cow::Borrowed(doc.format.as_str()),
            neutralised(&doc.encoding),
            Cow::Borrowed(&doc.raw_sha256),
            number(doc.raw_bytes),
            number(doc.chars),
            number(doc.words),
            number(doc.changes.len()),
            neutralised(&rules),
            neutralised(&doc.text),
        ];
        self.writer
            .write_record(row.iter().map(|cell| cell.as_bytes()))
            .map_err(io::Error::other)
    }

    pub fn into_inner(self) -> io::Result<W> {
        self.writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))
    }
}

/// The csv crate's settings for `documents.csv`: RFC 4180 line ends.
fn builder() -> ::csv::WriterBuilder {
    let mut builder = ::csv::WriterBuilder::new();
    builder.terminator(::csv::Terminator::CRLF);
    builder
}

/// A count as a cell.
fn number(n: impl itoa::Integer) -> Cow<'static, str> {
    Cow::Owned(itoa::Buffer::new().format(n).to_owned())
}

/// Bytes of the csv crate's staging buffer in [`row_bytes`].
const ROW_STAGING_BYTES: usize = 512;

/// The header row of `documents.csv`, as bytes.
pub fn header_bytes() -> io::Result<Vec<u8>> {
    CsvWriter::new(Vec::new())?.into_inner()
}

/// One document's row of `documents.csv`, as bytes: what [`CsvWriter::write`] writes for it;
/// `by_rule`: its [`Document::counts_by_rule`].
pub fn row_bytes(doc: &Document, by_rule: &[(String, u64)]) -> io::Result<Vec<u8>> {
    // The text and the record's other cells, plus room for quotes doubled.
    let estimate = doc.text.len() + doc.text.len() / 16 + 1024;
    // The csv crate's own buffer only stages cells on their way into the Vec: a small one, as
    // its default of 8 KiB is allocated and zeroed for every row.
    let writer = builder()
        .buffer_capacity(ROW_STAGING_BYTES)
        .from_writer(Vec::with_capacity(estimate));
    let mut csv = CsvWriter { writer };
    csv.write_counted(doc, by_rule)?;
    csv.into_inner()
}

/// `stage/rule:count` for each rule that fired, `;`-separated, in name order.
fn rule_counts(by_rule: &[(String, u64)]) -> String {
    let mut out = String::new();
    for (i, (rule, n)) in by_rule.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(rule);
        out.push(':');
        out.push_str(itoa::Buffer::new().format(*n));
    }
    out
}

/// A cell a spreadsheet would execute as a formula gets a leading apostrophe (OWASP, CSV injection).
pub fn neutralise(cell: &str) -> String {
    neutralised(cell).into_owned()
}

/// [`neutralise`], borrowing the cell when it needs no apostrophe.
fn neutralised(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_not() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for bad in ["+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("Almaty"), "Almaty");
    }

    #[test]
    fn rows_round_trip_through_a_csv_reader() {
        let doc = Document {
            id: "abc".into(),
            title: Some("=cmd".into()),
            text: "para one, \"quoted\"\n\npara two".into(),
            ..Document::default()
        };
        let mut w = CsvWriter::new(Vec::new()).unwrap();
        w.write(&doc).unwrap();
        let bytes = w.into_inner().unwrap();
        let mut r = ::csv::Reader::from_reader(bytes.as_slice());
        let headers = r.headers().unwrap().clone();
        assert_eq!(headers.len(), COLUMNS.len());
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[3], "'=cmd");
        assert_eq!(&row[COLUMNS.len() - 1], doc.text);
    }
}
