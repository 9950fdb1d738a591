//! The stdin source for streaming mode (`docnorm run --input - --output -`): one input document a
//! JSON line, `{"id"?, "source"?, "url"?, "content" | "content_base64", "content_type"?}`.

use base64::Engine;
use serde::Deserialize;

use crate::config::InputConfig;
use crate::document::{RawInput, Reject, RejectReason};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InputLine {
    id: Option<String>,
    source: Option<String>,
    url: Option<String>,
    content: Option<String>,
    content_base64: Option<String>,
    content_type: Option<String>,
}

/// The name a line's input goes by: its `source`, else its `id`, else `stdin:LINE`.
fn source_of(line: &InputLine, line_no: u64) -> String {
    line.source
        .clone()
        .or_else(|| line.id.clone())
        .unwrap_or_else(|| format!("stdin:{line_no}"))
}

/// Turns one input line (1-based `line_no`) into raw bytes, or a reject saying what is wrong.
pub fn parse_line(line_no: u64, text: &str, config: &InputConfig) -> Result<RawInput, Reject> {
    let fallback = format!("stdin:{line_no}");
    let line: InputLine = serde_json::from_str(text).map_err(|e| {
        Reject::new(
            &fallback,
            RejectReason::Unreadable,
            format!("line {line_no} is not an input object: {e}"),
        )
    })?;
    let source = source_of(&line, line_no);
    let reject = |reason, detail: String| Reject::new(&source, reason, detail);
    let bytes = match (&line.content, &line.content_base64) {
        (Some(c), None) => c.as_bytes().to_vec(),
        (None, Some(b)) => base64::engine::general_purpose::STANDARD
            .decode(b.trim())
            .map_err(|e| {
                reject(
                    RejectReason::Unreadable,
                    format!("line {line_no}: content_base64 is not base64: {e}"),
                )
            })?,
        _ => {
            return Err(reject(
                RejectReason::Unreadable,
                format!("line {line_no} needs exactly one of content and content_base64"),
            ));
        }
    };
    if bytes.len() as u64 > config.max_bytes {
        return Err(reject(
            RejectReason::TooLarge,
            format!(
                "{} bytes; the limit is {} (input.max_bytes)",
                bytes.len(),
                config.max_bytes
            ),
        ));
    }
    let extension = std::path::Path::new(&source)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    Ok(RawInput {
        url: line.url.clone(),
        content_type: line.content_type.clone(),
        extension,
        bytes,
        source,
        ..RawInput::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<RawInput, Reject> {
        parse_line(7, text, &InputConfig::default())
    }

    #[test]
    fn content_and_base64_content_are_read() {
        let raw =
            parse(r#"{"source":"a/b.html","content":"<p>x</p>","url":"https://e.org/"}"#).unwrap();
        assert_eq!(raw.bytes, b"<p>x</p>");
        assert_eq!(raw.extension.as_deref(), Some("html"));
        assert_eq!(raw.url.as_deref(), Some("https://e.org/"));
        let raw =
            parse(r#"{"id":"k1","content_base64":"/w==","content_type":"text/plain"}"#).unwrap();
        assert_eq!(
            (raw.source.as_str(), raw.bytes.as_slice()),
            ("k1", &[0xffu8][..])
        );
    }

    #[test]
    fn bad_lines_are_rejects_that_say_why() {
        let r = parse("not json").unwrap_err();
        assert_eq!(
            (r.source.as_str(), r.reason),
            ("stdin:7", RejectReason::Unreadable)
        );
        let r = parse(r#"{"source":"s"}"#).unwrap_err();
        assert!(r.detail.contains("exactly one"), "{}", r.detail);
        let r = parse(r#"{"source":"s","content_base64":"@@"}"#).unwrap_err();
        assert!(r.detail.contains("base64"), "{}", r.detail);
        let r = parse(r#"{"source":"s","content":"x","bogus":1}"#).unwrap_err();
        assert!(r.detail.contains("bogus"), "{}", r.detail);
    }
}
