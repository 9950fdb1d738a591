//! JSON Lines sinks: `documents.jsonl` (one [`Document`] a line) and `rejects.jsonl`.

use std::io::{self, Write};

use serde::Serialize;

/// Writes one JSON object a line. serde_json escapes every control character, so each line is one
/// complete object whatever the text holds.
pub fn write_line<W: Write, T: Serialize>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::other)?;
    out.write_all(b"\n")
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
