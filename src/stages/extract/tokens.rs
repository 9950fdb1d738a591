//! A streaming HTML tokenizer over the page's text: tags with their attributes, text runs and the
//! raw content of `<script>`-like elements, all borrowed from the input (nothing is copied, and
//! entities are decoded only where the reader asks for a value). It follows the tokenizer states
//! of the HTML standard that matter for reading text (tag open, tag name, attribute name and
//! value, comments, bogus comments, doctype, raw text and RCDATA) and scans with `memchr`
//! between them. Tree building (implied end tags, scopes) is left to [`super::dom`].

use std::borrow::Cow;

use memchr::{memchr, memmem};

/// One token. Names are lower-cased; text is as in the page (see [`decode_text`]).
#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    /// A start tag; its attributes are [`Tokenizer::attrs`] until the next token.
    Start {
        name: Cow<'a, str>,
        self_closing: bool,
    },
    End {
        name: Cow<'a, str>,
    },
    /// Text between tags, entities not yet decoded.
    Text(&'a str),
    /// The content of a raw-text (`script`, `style`, …) or RCDATA (`title`, `textarea`) element.
    Raw(&'a str),
}

/// One attribute as written: the value's entities are not yet decoded.
#[derive(Debug, Clone, Copy)]
pub struct Attr<'a> {
    pub name: &'a str,
    pub value: &'a str,
}

/// Attributes stored per tag; the rest are read past (a hostile tag may have millions).
const MAX_ATTRS: usize = 128;

pub struct Tokenizer<'a> {
    html: &'a str,
    pos: usize,
    attrs: Vec<Attr<'a>>,
    /// After the start tag of a raw-text element: its (lower-case) name.
    raw: Option<&'static str>,
    /// How many `<noscript>` elements are open (start tags less end tags).
    noscript_depth: u32,
}

/// Elements whose content is text up to their end tag (scripting off: `<noscript>` is markup).
const RAW_TEXT: &[&str] = &[
    "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
];

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

impl<'a> Tokenizer<'a> {
    pub fn new(html: &'a str) -> Tokenizer<'a> {
        Tokenizer {
            html,
            pos: 0,
            attrs: Vec::new(),
            raw: None,
            noscript_depth: 0,
        }
    }

    /// The attributes of the last start tag.
    pub fn attrs(&self) -> &[Attr<'a>] {
        &self.attrs
    }

    fn bytes(&self) -> &'a [u8] {
        self.html.as_bytes()
    }

    pub fn next_token(&mut self) -> Option<Token<'a>> {
        if let Some(name) = self.raw.take() {
            let start = self.pos;
            // Only here are pages read as with scripting on, where a <noscript>'s content is
            // text up to its end tag (elsewhere it is markup, as with scripting off): a raw-text
            // element inside one (a tracker's `<iframe ... />`, never
            // closed) ends there at the latest instead of swallowing the rest of the page.
            // Searched for only within the raw text, so that an unclosed <noscript> before many
            // scripts does not cost a scan to the page's end for each of them.
            let mut end = self.find_end_tag(name, self.bytes().len());
            if self.noscript_depth > 0 && !name.is_empty() {
                end = self.find_end_tag("noscript", end);
            }
            self.pos = end;
            if end > start {
                return Some(Token::Raw(&self.html[start..end]));
            }
        }
        loop {
            let bytes = self.bytes();
            if self.pos >= bytes.len() {
                return None;
            }
            let start = self.pos;
            // Text up to the next '<' that opens markup.
            let mut i = start;
            loop {
                match memchr(b'<', &bytes[i..]) {
                    None => {
                        i = bytes.len();
                        break;
                    }
                    Some(off) => {
                        let lt = i + off;
                        if self.opens_markup(lt) {
                            i = lt;
                            break;
                        }
                        i = lt + 1;
                    }
                }
            }
            if i > start {
                self.pos = i;
                return Some(Token::Text(&self.html[start..i]));
            }
            if let Some(token) = self.markup() {
                return Some(token);
            }
        }
    }

    /// Whether the '<' at `lt` starts a tag, end tag, comment, doctype or bogus comment.
    fn opens_markup(&self, lt: usize) -> bool {
        let bytes = self.bytes();
        match bytes.get(lt + 1) {
            Some(b) if b.is_ascii_alphabetic() => true,
            Some(b'!' | b'?' | b'/') => true,
            _ => false,
        }
    }

    /// Reads the markup at `self.pos` (a '<' that opens markup); `None` when it yields no token.
    fn markup(&mut self) -> Option<Token<'a>> {
        let bytes = self.bytes();
        let lt = self.pos;
        match bytes[lt + 1] {
            b'!' => {
                if bytes[lt + 2..].starts_with(b"--") {
                    // A comment: up to "-->" ("<!-->" and "<!--->" are empty comments).
                    let body = lt + 4;
                    let end = if bytes[body..].starts_with(b">") {
                        body + 1
                    } else if bytes[body..].starts_with(b"->") {
                        body + 2
                    } else {
                        memmem::find(&bytes[body..], b"-->").map_or(bytes.len(), |p| body + p + 3)
                    };
                    self.pos = end;
                } else {
                    // Doctype, CDATA outside foreign content, or a bogus comment: up to '>'.
                    self.skip_past(b'>', lt + 2);
                }
                None
            }
            b'?' => {
                self.skip_past(b'>', lt + 2);
                None
            }
            b'/' => match bytes.get(lt + 2) {
                Some(b) if b.is_ascii_alphabetic() => {
                    let (name, after) = self.tag_name(lt + 2);
                    // End tags may carry attributes (an error); read past them.
                    let end = self
                        .attributes(after, false)
                        .map_or(bytes.len(), |(end, _)| end);
                    self.pos = end;
                    if name == "noscript" {
                        self.noscript_depth = self.noscript_depth.saturating_sub(1);
                    }
                    Some(Token::End { name })
                }
                Some(b'>') => {
                    self.pos = lt + 3;
                    None
                }
                _ => {
                    self.skip_past(b'>', lt + 2);
                    None
                }
            },
            _ => {
                let (name, after) = self.tag_name(lt + 1);
                self.attrs.clear();
                let Some((end, self_closing)) = self.attributes(after, true) else {
                    // A tag cut off by the end of the page is dropped, as the standard says.
                    self.pos = bytes.len();
                    return None;
                };
                self.pos = end;
                if let Some(raw) = RAW_TEXT.iter().find(|r| **r == name) {
                    self.raw = Some(raw);
                } else if name == "plaintext" {
                    self.raw = Some("");
                } else if name == "noscript" {
                    self.noscript_depth += 1;
                }
                Some(Token::Start { name, self_closing })
            }
        }
    }

    fn skip_past(&mut self, byte: u8, from: usize) {
        let bytes = self.bytes();
        self.pos =
            memchr(byte, &bytes[from.min(bytes.len())..]).map_or(bytes.len(), |p| from + p + 1);
    }

    /// The tag name from `start` (a letter), lower-cased, and where it ends.
    fn tag_name(&self, start: usize) -> (Cow<'a, str>, usize) {
        let bytes = self.bytes();
        let mut end = start;
        let mut upper = false;
        while end < bytes.len() && !is_space(bytes[end]) && bytes[end] != b'/' && bytes[end] != b'>'
        {
            upper |= bytes[end].is_ascii_uppercase();
            end += 1;
        }
        let name = &self.html[start..end];
        let name = if upper {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        (name, end)
    }

    /// Reads attributes from `i` to the tag's closing '>': where the tag ends, and whether it was
    /// written self-closing (`/>`); `None` when the page ends first (inside a quoted value too,
    /// whatever its last byte is). Attributes are stored when `keep`.
    fn attributes(&mut self, mut i: usize, keep: bool) -> Option<(usize, bool)> {
        let bytes = self.bytes();
        let n = bytes.len();
        loop {
            while i < n && is_space(bytes[i]) {
                i += 1;
            }
            if i >= n {
                return None;
            }
            match bytes[i] {
                b'>' => return Some((i + 1, false)),
                b'/' => {
                    if bytes.get(i + 1) == Some(&b'>') {
                        return Some((i + 2, true));
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // Attribute name: the first character may be '='.
            let name_start = i;
            i += 1;
            while i < n && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let name = &self.html[name_start..i];
            while i < n && is_space(bytes[i]) {
                i += 1;
            }
            let mut value = "";
            if i < n && bytes[i] == b'=' {
                i += 1;
                while i < n && is_space(bytes[i]) {
                    i += 1;
                }
                if i < n && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let quote = bytes[i];
                    let v = i + 1;
                    let end = memchr(quote, &bytes[v..]).map_or(n, |p| v + p);
                    value = &self.html[v..end];
                    i = (end + 1).min(n);
                } else {
                    let v = i;
                    while i < n && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = &self.html[v..i];
                }
            }
            if keep && self.attrs.len() < MAX_ATTRS {
                self.attrs.push(Attr { name, value });
            }
        }
    }

    /// Where the raw text of `name` ends: at its end tag `</name` followed by white space, '/' or
    /// '>' (any case) that starts before `limit`, else at `limit` (always, for `plaintext`).
    fn find_end_tag(&self, name: &str, limit: usize) -> usize {
        let bytes = self.bytes();
        if name.is_empty() {
            return limit;
        }
        let mut i = self.pos;
        while let Some(off) = memchr(b'<', &bytes[i..limit]) {
            let lt = i + off;
            let after = lt + 2 + name.len();
            if bytes.get(lt + 1) == Some(&b'/')
                && bytes.len() >= after
                && bytes[lt + 2..after].eq_ignore_ascii_case(name.as_bytes())
                && bytes
                    .get(after)
                    .is_none_or(|b| is_space(*b) || matches!(b, b'/' | b'>'))
            {
                return lt;
            }
            i = lt + 1;
        }
        limit
    }
}

/// The first value of the attribute `name` (lower case), entities decoded.
pub fn attr<'a>(attrs: &[Attr<'a>], name: &str) -> Option<Cow<'a, str>> {
    attrs
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
        .map(|a| decode_attr(a.value))
}

/// Whether the attribute `name` is present.
pub fn has_attr(attrs: &[Attr], name: &str) -> bool {
    attrs.iter().any(|a| a.name.eq_ignore_ascii_case(name))
}

/// Text with its character references (`&amp;`, `&nbsp;`, `&#8217;`, …) decoded.
pub fn decode_text(text: &str) -> Cow<'_, str> {
    if memchr(b'&', text.as_bytes()).is_some() {
        htmlize::unescape(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// An attribute value with its character references decoded (the attribute rules: `&copy=` in
/// a URL stays as written).
pub fn decode_attr(value: &str) -> Cow<'_, str> {
    if memchr(b'&', value.as_bytes()).is_some() {
        htmlize::unescape_attribute(value)
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(html: &str) -> Vec<String> {
        let mut t = Tokenizer::new(html);
        let mut out = Vec::new();
        while let Some(token) = t.next_token() {
            out.push(match token {
                Token::Start { name, self_closing } => {
                    let attrs: Vec<String> = t
                        .attrs()
                        .iter()
                        .map(|a| format!("{}={}", a.name, decode_attr(a.value)))
                        .collect();
                    format!(
                        "<{name}{}{}>",
                        if attrs.is_empty() {
                            String::new()
                        } else {
                            format!(" {}", attrs.join(" "))
                        },
                        if self_closing { "/" } else { "" }
                    )
                }
                Token::End { name } => format!("</{name}>"),
                Token::Text(s) => format!("text:{}", decode_text(s)),
                Token::Raw(s) => format!("raw:{s}"),
            });
        }
        out
    }

    #[test]
    fn tags_attributes_and_text() {
        assert_eq!(
            tokens(r#"<P Class="a b" id=x data-v='1>2' hidden>Tom &amp; Jerry&nbsp;&#8217;s</p>"#),
            vec![
                "<p Class=a b id=x data-v=1>2 hidden=>",
                "text:Tom & Jerry\u{a0}\u{2019}s",
                "</p>"
            ]
        );
        assert_eq!(
            tokens("<br/><img src=a.png />"),
            vec!["<br/>", "<img src=a.png/>"]
        );
    }

    #[test]
    fn comments_doctype_cdata_and_stray_angles() {
        assert_eq!(
            tokens("<!DOCTYPE html><!-- <p>no</p> -->a < b <!--->c<![CDATA[x]]>d<?php ?>e</ >f</>"),
            vec!["text:a < b ", "text:c", "text:d", "text:e", "text:f"]
        );
    }

    #[test]
    fn raw_text_elements_hide_their_markup() {
        assert_eq!(
            tokens("<script>if (a<b) { x('</div>') }</SCRIPT ><title>A &amp; B</title>"),
            vec![
                "<script>",
                "raw:if (a<b) { x('</div>') }",
                "</script>",
                "<title>",
                "raw:A &amp; B",
                "</title>"
            ]
        );
        assert_eq!(tokens("<style>p{}"), vec!["<style>", "raw:p{}"]);
        assert_eq!(tokens("<noscript><p>x</p></noscript>").len(), 5);
    }

    #[test]
    fn a_raw_text_element_left_open_inside_noscript_ends_with_it() {
        // A tag manager's `<iframe ... />`: `/>` does not close an iframe, and its text would
        // run to the end of the page.
        assert_eq!(
            tokens(r#"<noscript><iframe src="t" /></noscript><p>page</p>"#),
            vec![
                "<noscript>",
                "<iframe src=t/>",
                "</noscript>",
                "<p>",
                "text:page",
                "</p>"
            ]
        );
        // Outside <noscript>, an iframe's text runs to its end tag as before.
        assert_eq!(
            tokens("<iframe></noscript><p>x</iframe>"),
            vec!["<iframe>", "raw:</noscript><p>x", "</iframe>"]
        );
    }

    #[test]
    fn a_tag_cut_off_at_the_end_is_dropped() {
        assert_eq!(tokens("text<div class=\"a"), vec!["text:text"]);
        // Cut off inside a quoted value that happens to end in '>': still not closed.
        assert_eq!(tokens("text<div class=\"a>"), vec!["text:text"]);
        assert_eq!(tokens("text<!-- open"), vec!["text:text"]);
        // Closed on the page's last byte: a tag.
        assert_eq!(
            tokens("text<div class=\"a\">"),
            vec!["text:text", "<div class=a>"]
        );
    }

    #[test]
    fn odd_character_references_decode_without_panic() {
        for s in [
            "&#xD800;",
            "&#0;",
            "&#x110000;",
            "&#99999999999;",
            "&",
            "&;",
            "&amp",
        ] {
            let _ = decode_text(s);
            let _ = decode_attr(s);
        }
        assert_eq!(decode_text("&lt;&gt;&quot;&#x41;&#66;"), "<>\"AB");
    }
}
