//! JSON Lines sinks: `documents.jsonl` (one [`Document`] a line) and `rejects.jsonl`.

use std::io::{self, Write};

use serde::Serialize;

/// Writes one JSON object a line. serde_json escapes every control character, so each line is one
/// complete object whatever the text holds.
///
/// The line is serialised in memory first and written with one call: serde_json writes a token
/// at a time, and a document has thousands (every escape in the text is one).
pub fn write_line<W: Write, T: Serialize>(out: &mut W, value: &T) -> io::Result<()> {
    thread_local! {
        /// The line being written, kept between calls so that its buffer is allocated once.
        static LINE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    LINE.with_borrow_mut(|line| {
        line.clear();
        serde_json::to_writer(&mut *line, value).map_err(io::Error::other)?;
        line.push(b'\n');
        let written = out.write_all(line);
        // A huge document must not pin its buffer for the rest of the run.
        if line.capacity() > 1 << 20 {
            *line = Vec::new();
        }
        written
    })
}

/// One JSON line of `value`, with its newline, as bytes; `capacity` is a guess at its length.
pub fn line_bytes<T: Serialize>(value: &T, capacity: usize) -> io::Result<Vec<u8>> {
    let mut line = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut line, value).map_err(io::Error::other)?;
    line.push(b'\n');
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    #[test]
    fn a_line_is_one_object_whatever_the_text() {
        let doc = Document {
            text: "line\nbreak \u{2028} and \"quotes\"".into(),
            ..Document::default()
        };
        let mut out = Vec::new();
        write_line(&mut out, &doc).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s.matches('\n').count(), 1);
        let back: Document = serde_json::from_str(s.trim_end()).unwrap();
        assert_eq!(back, doc);
    }
}
