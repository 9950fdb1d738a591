//! A guard before parsing: html5ever's tree builder scans its stack of open elements for many
//! tags, so a page of 100,000 nested `<div>`s costs it quadratic time. A light scan counts how
//! deep elements nest; only when that exceeds the cap does it rewrite the page without the
//! excess opening tags (and as many closing tags), which keeps every word of text.

use memchr::memchr;

/// Elements with no content, never on the stack.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];
/// Elements whose content is raw text up to their closing tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];
/// Elements a sibling closes implicitly (`<li>` … `<li>`): counting them would overstate depth.
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb",
    "rt", "rp", "colgroup",
];

/// One tag found by the scan: its byte range, and whether it opens or closes a counted element.
enum Tag {
    Open,
    Close,
    Other,
}

/// The page with nesting above `max_depth` flattened, and how many opening tags were removed;
/// `None` when the page nests no deeper than that (the common case: nothing is copied).
pub fn flatten_excess(html: &str, max_depth: usize) -> Option<(String, usize)> {
    let mut depth = 0usize;
    let mut too_deep = false;
    scan(html, |_, _, tag| {
        match tag {
            Tag::Open => depth += 1,
            Tag::Close => depth = depth.saturating_sub(1),
            Tag::Other => {}
        }
        too_deep |= depth > max_depth;
    });
    if !too_deep {
        return None;
    }
    let mut out = String::with_capacity(html.len());
    let (mut depth, mut suppressed, mut removed, mut copied) = (0usize, 0usize, 0usize, 0usize);
    scan(html, |start, end, tag| {
        let skip = match tag {
            Tag::Open if depth >= max_depth => {
                suppressed += 1;
                removed += 1;
                true
            }
            Tag::Open => {
                depth += 1;
                false
            }
            Tag::Close if suppressed > 0 => {
                suppressed -= 1;
                true
            }
            Tag::Close => {
                depth = depth.saturating_sub(1);
                false
            }
            Tag::Other => false,
        };
        if skip {
            out.push_str(&html[copied..start]);
            copied = end;
        }
    });
    out.push_str(&html[copied..]);
    Some((out, removed))
}

/// Calls `found(start, end, tag)` for every tag, in order, without building anything.
fn scan(html: &str, mut found: impl FnMut(usize, usize, Tag)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        let start = i + off;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + 1 + closing as usize;
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric() && *b != b'-')
            .map_or(bytes.len(), |p| name_start + p);
        if name_end == name_start {
            i = start + 1;
            continue;
        }
        let end = memchr(b'>', &bytes[name_end..]).map_or(bytes.len(), |p| name_end + p + 1);
        let name = html[name_start..name_end].to_ascii_lowercase();
        let self_closed = end >= 2 && bytes[end - 2] == b'/';
        let counted =
            !VOID.contains(&name.as_str()) && !SELF_CLOSING_SIBLINGS.contains(&name.as_str());
        let tag = match (closing, counted) {
            (false, true) if !self_closed => Tag::Open,
            (true, true) => Tag::Close,
            _ => Tag::Other,
        };
        found(start, end, tag);
        i = end;
        if !closing && RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}");
            i = find_ignore_case(bytes, i, close.as_bytes()).unwrap_or(bytes.len());
        }
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ignore_case(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_left_alone() {
        let html = "<html><body><div><p>a<p>b<ul><li>c<li>d</ul><script>if (a<b) {}</script></div>";
        assert_eq!(flatten_excess(html, 4), None);
    }

    #[test]
    fn excess_nesting_is_removed_and_the_text_kept() {
        let html = format!(
            "{}text{}<p>after</p>",
            "<div>".repeat(10),
            "</div>".repeat(10)
        );
        let (out, removed) = flatten_excess(&html, 3).unwrap();
        assert_eq!(removed, 7);
        assert_eq!(
            out,
            format!(
                "{}text{}<p>after</p>",
                "<div>".repeat(3),
                "</div>".repeat(3)
            )
        );
    }
}
