//! JSON Lines sinks: `documents.jsonl` (one [`Document`] a line) and `rejects.jsonl`.

use std::io::{self, Write};

use serde::Serialize;

use crate::document::{Change, Document};
use crate::stages::ascii::{json_escape_mask, padded_block};

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

/// The line of `documents.jsonl` for `doc`, with its newline: exactly what [`write_line`] writes.
///
/// serde_json escapes a string a byte at a time, and the text and the changes' texts are most of
/// a line: they are written here instead, escaped 32 bytes at a time, into the line serde_json
/// makes of the rest of the document. They are taken out of `doc` meanwhile, and put back.
pub fn document_line(doc: &mut Document) -> io::Result<Vec<u8>> {
    // With them empty, the two fields are `"text":"","changes":[]`, once: inside a JSON string
    // every `"` is escaped, and `text` is no other key of a record (pipeline, language codes).
    const EMPTY: &[u8] = br#""text":"","changes":[]"#;
    let text = std::mem::take(&mut doc.text);
    let changes = std::mem::take(&mut doc.changes);
    let rest = serde_json::to_vec(&*doc).map_err(io::Error::other);
    doc.text = text;
    doc.changes = changes;
    let rest = rest?;
    let at = memchr::memmem::find(&rest, EMPTY)
        .ok_or_else(|| io::Error::other("a document record has no text and changes keys"))?;
    let changes_bytes: usize = doc
        .changes
        .iter()
        .map(|c| c.before.len() + c.after.len() + 64)
        .sum();
    let mut line =
        Vec::with_capacity(rest.len() + doc.text.len() + doc.text.len() / 8 + changes_bytes);
    line.extend_from_slice(&rest[..at]);
    line.extend_from_slice(br#""text":""#);
    push_escaped(&mut line, &doc.text);
    line.extend_from_slice(br#"","changes":["#);
    for (i, change) in doc.changes.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        push_change(&mut line, change);
    }
    line.push(b']');
    line.extend_from_slice(&rest[at + EMPTY.len()..]);
    line.push(b'\n');
    Ok(line)
}

/// A [`Change`] as serde_json writes it: `count` only when not 1, `field` only when set.
fn push_change(out: &mut Vec<u8>, c: &Change) {
    let string = |out: &mut Vec<u8>, key: &[u8], value: &str| {
        out.extend_from_slice(key);
        push_escaped(out, value);
        out.push(b'"');
    };
    string(out, br#"{"stage":""#, &c.stage);
    string(out, br#","rule":""#, &c.rule);
    string(out, br#","before":""#, &c.before);
    string(out, br#","after":""#, &c.after);
    let mut number = itoa::Buffer::new();
    out.extend_from_slice(br#","at":"#);
    out.extend_from_slice(number.format(c.at).as_bytes());
    if c.count != 1 {
        out.extend_from_slice(br#","count":"#);
        out.extend_from_slice(number.format(c.count).as_bytes());
    }
    if let Some(field) = &c.field {
        string(out, br#","field":""#, field);
    }
    out.push(b'}');
}

/// Appends `text` escaped as the inside of a JSON string, as serde_json escapes it: `"` `\\` and
/// the C0 controls (`\b` `\t` `\n` `\f` `\r`, the others `\u00xx`); everything else as it is.
fn push_escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    let mut push = |out: &mut Vec<u8>, at: usize| {
        out.extend_from_slice(&bytes[plain_from..at]);
        push_escape(out, bytes[at]);
        plain_from = at + 1;
    };
    // 16 bytes at a time from a mask of the bytes to escape: most of a text has none.
    let blocks = bytes.len() / 16;
    for n in 0..blocks {
        let block = bytes[n * 16..n * 16 + 16].try_into().expect("16 bytes");
        let mut mask = json_escape_mask(block);
        while mask != 0 {
            push(out, n * 16 + mask.trailing_zeros() as usize);
            mask &= mask - 1;
        }
    }
    // The last bytes as one more block, padded with letters, which are not escaped: most of the
    // changes' strings are shorter than a block, and a byte-by-byte tail cost more.
    let tail = blocks * 16;
    if tail < bytes.len() {
        let mut mask = json_escape_mask(&padded_block(&bytes[tail..], b'a'));
        while mask != 0 {
            push(out, tail + mask.trailing_zeros() as usize);
            mask &= mask - 1;
        }
    }
    out.extend_from_slice(&bytes[plain_from..]);
}

/// The escape of one byte that JSON does not allow as it is in a string.
fn push_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        b'\t' => b't',
        b'\n' => b'n',
        0x0C => b'f',
        b'\r' => b'r',
        _ => {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xF) as usize],
            ]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn a_full_document() -> Document {
        let mut doc: Document = serde_json::from_str(
            r#"{"id":"i","source":"s","url":"u","requested_url":"r","title":"t","author":"a",
            "published":"p","site_name":"n","description":"d","language":"en",
            "language_confidence":0.96,"languages":{"en":0.8,"kk":0.2},"script":"Latin",
            "format":"text","encoding":"UTF-8","encoding_source":"valid-utf-8-over-label","raw_sha256":"h","raw_bytes":3,"chars":2,
            "words":1,"text":"","changes":[{"stage":"clean","rule":"text","before":"\"text\":\"\"",
            "after":"","at":0,"count":2,"field":"text"},
            {"stage":"decode","rule":"r","before":"\\u0001\\n","after":"é","at":7}],"pipeline":{"version":"v","config_sha256":"c"}}"#,
        )
        .unwrap();
        doc.text =
            "line\nbreak \u{2028} \"quotes\" back\\slash \u{0}\u{1f}\u{7f}\t\r\u{8}\u{c} é 日本"
                .into();
        doc
    }

    #[test]
    fn a_document_line_is_what_serde_json_writes() {
        for mut doc in [a_full_document(), Document::default()] {
            let mut expected = Vec::new();
            write_line(&mut expected, &doc).unwrap();
            let before = doc.clone();
            assert_eq!(
                String::from_utf8(document_line(&mut doc).unwrap()).unwrap(),
                String::from_utf8(expected).unwrap()
            );
            assert_eq!(doc, before);
        }
    }

    proptest::proptest! {
        #[test]
        fn text_is_escaped_as_serde_json_escapes_it(text in "(?s).{0,200}", ascii in "[ -~\t\n\r\x00-\x1f\\\\\"]{0,100}") {
            for text in [text, ascii] {
                let mut out = b"\"".to_vec();
                push_escaped(&mut out, &text);
                out.push(b'"');
                proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&text).unwrap());
            }
        }
    }
}
