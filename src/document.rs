//! The values that flow through the pipeline: what a source yields ([`RawInput`]), what the stages
//! refine ([`Document`]), what they record ([`Change`]) and what a failed input becomes ([`Reject`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bytes exactly as a source found them, plus what the source knows about them.
#[derive(Debug, Clone, Default)]
pub struct RawInput {
    /// Path relative to the input root it came from, or the URL.
    pub source: String,
    /// Where the bytes were published, when a source knows it (a fetched page's final URL).
    pub url: Option<String>,
    /// The URL that was asked for, when it differs from `url` (redirects).
    pub requested_url: Option<String>,
    /// A transport's declared media type and charset (HTTP `Content-Type`), when there is one.
    pub content_type: Option<String>,
    /// The file name's extension, lower-cased, used only as a hint for HTML.
    pub extension: Option<String>,
    pub bytes: Vec<u8>,
}

/// Whether a document's text is markup to extract from or already text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Text,
    Html,
}

impl Format {
    /// The name in the outputs (`format` in JSON Lines and CSV, the summary's keys).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
        }
    }
}

/// One edit a stage made, so that an archivist can see it and undo it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The stage that made the edit: `decode`, `extract`, `clean`, `normalise`. Borrowed from
    /// the stage's name (a document records dozens of changes; each string is an allocation).
    pub stage: Cow<'static, str>,
    /// The id of the rule that fired (it names an entry in `config/` where the rule is data);
    /// borrowed when the rule's id is a name in the code.
    pub rule: Cow<'static, str>,
    /// The text that was there. Most edits are a few bytes (a line break, a quote, a word), which
    /// a `CompactString` holds without an allocation; it serialises as a string.
    pub before: CompactString,
    /// The text that replaced it (empty for a removal).
    pub after: CompactString,
    /// Byte offset of `before` in the text as the stage received it.
    pub at: usize,
    /// How many identical edits this entry stands for (omitted when 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: u32,
    /// The record field edited when it is not `text` (`title`, `author`, …); omitted for `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

impl Change {
    pub fn new(
        stage: &'static str,
        rule: impl Into<Cow<'static, str>>,
        before: impl Into<CompactString>,
        after: impl Into<CompactString>,
        at: usize,
    ) -> Self {
        Change {
            stage: Cow::Borrowed(stage),
            rule: rule.into(),
            before: before.into(),
            after: after.into(),
            at,
            count: 1,
            field: None,
        }
    }

    /// The same change, made in another field than `text`.
    pub fn in_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }

    /// Writes `stage/rule`, the key the CSV and the summary count changes by, into `key`
    /// (a buffer reused across changes).
    pub fn rule_key_into(&self, key: &mut String) {
        key.clear();
        key.push_str(&self.stage);
        key.push('/');
        key.push_str(&self.rule);
    }
}

/// Collects a stage's changes, folding each rule's entries beyond a cap into its last entry's
/// count, so that a pathological input cannot make the audit larger than the document.
#[derive(Debug)]
pub struct ChangeLog {
    stage: &'static str,
    max_per_rule: usize,
    changes: Vec<Change>,
    /// Per rule that fired, its entries so far: the cap is checked without going over every change.
    tallies: Vec<RuleTally>,
}

/// How many entries a rule has in a [`ChangeLog`], and where its last one is.
#[derive(Debug)]
struct RuleTally {
    entries: usize,
    last: usize,
}

impl ChangeLog {
    pub fn new(stage: &'static str, max_per_rule: usize) -> Self {
        ChangeLog {
            stage,
            max_per_rule: max_per_rule.max(1),
            changes: Vec::new(),
            tallies: Vec::new(),
        }
    }

    pub fn add(&mut self, rule: &str, before: &str, after: &str, at: usize) {
        self.push(rule, || Cow::Owned(rule.to_string()), before, after, at);
    }

    /// The byte ranges of the received text that the text changes so far replaced.
    pub fn text_ranges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.changes
            .iter()
            .filter(|c| c.field.is_none())
            .map(|c| (c.at, c.at + c.before.len()))
    }

    /// [`ChangeLog::add`] for a rule named in the code: the name is borrowed, not copied.
    pub fn add_fixed(&mut self, rule: &'static str, before: &str, after: &str, at: usize) {
        self.push(rule, || Cow::Borrowed(rule), before, after, at);
    }

    /// Records a change of `rule` (its id made by `id` only for a new entry), or counts it into
    /// the rule's last entry once the rule has reached its cap.
    fn push(
        &mut self,
        rule: &str,
        id: impl FnOnce() -> Cow<'static, str>,
        before: &str,
        after: &str,
        at: usize,
    ) {
        let changes = &mut self.changes;
        let tally = self
            .tallies
            .iter_mut()
            .find(|t| changes[t.last].rule == rule);
        match tally {
            Some(t) if t.entries >= self.max_per_rule => changes[t.last].count += 1,
            Some(t) => {
                t.entries += 1;
                t.last = changes.len();
                changes.push(Change::new(self.stage, id(), before, after, at));
            }
            None => {
                self.tallies.push(RuleTally {
                    entries: 1,
                    last: changes.len(),
                });
                changes.push(Change::new(self.stage, id(), before, after, at));
            }
        }
    }

    /// Like [`ChangeLog::add`], but an edit right after the previous edit of the same rule
    /// extends it: a run of NULs is one edit, and so is a run of repaired characters.
    pub fn add_merging_adjacent(&mut self, rule: &str, before: &str, after: &str, at: usize) {
        if let Some(last) = self.changes.last_mut()
            && last.rule == rule
            && last.count == 1
            && last.at + last.before.len() == at
        {
            last.before.push_str(before);
            last.after.push_str(after);
            return;
        }
        self.add(rule, before, after, at);
    }

    pub fn into_changes(self) -> Vec<Change> {
        self.changes
    }
}

/// What chose the charset a document's raw bytes were decoded from, in the decode stage's order
/// of evidence: the record's `encoding_source`, so that an archivist can see why a page was read
/// as, say, windows-1251.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EncodingSource {
    /// A byte-order mark.
    #[serde(rename = "bom")]
    Bom,
    /// The charset of the HTTP `Content-Type` header a fetched page came with.
    #[serde(rename = "content-type")]
    ContentType,
    /// The document's own `<meta charset>`, `http-equiv` or XML declaration.
    #[serde(rename = "declared")]
    Declared,
    /// A legacy charset was declared, but the bytes are valid UTF-8 with multi-byte sequences,
    /// which legacy text almost never is: the label is stale, and UTF-8 was used.
    #[serde(rename = "valid-utf-8-over-label")]
    Utf8OverLabel,
    /// Nothing declared; the pattern of zero bytes of UTF-16 without a byte-order mark.
    #[serde(rename = "utf-16-pattern")]
    Utf16Pattern,
    /// Nothing declared; the bytes are (all but a few) valid UTF-8.
    #[serde(rename = "valid-utf-8")]
    Utf8,
    /// Nothing declared and not UTF-8: chardetng's guess from the bytes.
    #[serde(rename = "guess")]
    Guess,
}

/// Provenance of the software and settings that produced a record.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq)]
pub struct PipelineInfo {
    pub version: String,
    pub config_sha256: String,
}

/// A document as it moves through the stages; serialised as one line of `documents.jsonl`.
///
/// Field order here is the order of keys in the JSON record. Unknown values stay `None` (null).
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Document {
    pub id: String,
    pub source: String,
    pub url: Option<String>,
    pub requested_url: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub site_name: Option<String>,
    pub description: Option<String>,
    pub language: String,
    pub language_confidence: Option<f64>,
    /// Share of each language when paragraphs disagree (mixed-language documents).
    pub languages: Option<BTreeMap<String, f64>>,
    pub script: Option<String>,
    pub format: Format,
    pub encoding: String,
    /// What chose `encoding` (null only on a record built outside the decode stage).
    pub encoding_source: Option<EncodingSource>,
    pub raw_sha256: String,
    pub raw_bytes: u64,
    pub chars: u64,
    pub words: u64,
    pub text: String,
    pub changes: Vec<Change>,
    pub pipeline: PipelineInfo,
}

impl Document {
    /// How often each rule (`stage/rule`) fired, in name order: the CSV's and the summary's count.
    pub fn counts_by_rule(&self) -> Vec<(String, u64)> {
        // A document has a handful of rules: a short list, each key built once.
        let mut counts: Vec<(String, u64)> = Vec::new();
        let mut key = String::new();
        for c in &self.changes {
            c.rule_key_into(&mut key);
            match counts.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += c.count as u64,
                None => counts.push((key.clone(), c.count as u64)),
            }
        }
        counts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        counts
    }

    /// Fills the fields derived from the final text.
    pub fn finish(&mut self) {
        self.chars = self.text.chars().count() as u64;
        self.words = count_words(&self.text);
    }
}

/// The number of UAX #29 words in `text`: exactly `text.unicode_words().count()`, faster.
///
/// ASCII white space always ends a word segment, and one begins after it unless what follows
/// extends the white space itself (WB4: combining marks, format characters). So the text is cut
/// at ASCII white space into tokens: an ASCII token is counted by the rules of
/// unicode-segmentation's own ASCII path (letters, digits and `_` join; `.` `'` `:` between
/// letters and `.` `,` `;` `'` between digits join too; a segment counts when it has a letter or
/// digit). A token whose only other characters are the typographic quotes and dashes of English
/// prose is counted the same way, each stand-in for an ASCII character of its word-break class
/// (‘ ’ break like `.`, “ ” – — like `!`). Any other token is handed to `unicode_words`, together
/// with the white space character before it, so that a leading combining mark segments as it does
/// in the whole text.
pub fn count_words(text: &str) -> u64 {
    use unicode_segmentation::UnicodeSegmentation;
    let b = text.as_bytes();
    let mut words = 0u64;
    let mut stand_in = Vec::new();
    let mut i = 0;
    // Stretches of ASCII up to the token holding the next non-ASCII character are counted whole
    // (their white space breaks words as any other non-word character does), then that token.
    while let Some(at) = crate::stages::ascii::next_non_ascii(b, i) {
        let start = b[i..at]
            .iter()
            .rposition(|&c| is_ascii_space(c))
            .map_or(i, |p| i + p + 1);
        let end = b[at..]
            .iter()
            .position(|&c| is_ascii_space(c))
            .map_or(b.len(), |p| at + p);
        words += ascii_words(&b[i..start]);
        words += match prose_token_words(&text[start..end], &mut stand_in) {
            Some(n) => n,
            None => text[start.saturating_sub(1)..end].unicode_words().count() as u64,
        };
        i = end;
    }
    words + ascii_words(&b[i..])
}

/// The ASCII characters that always end a word segment: space, tab, and the line breaks.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// UAX #29 words in a token of ASCII and typographic punctuation, by the ASCII rules with a
/// stand-in of the same word-break class for each punctuation mark; `None` for other tokens.
fn prose_token_words(token: &str, stand_in: &mut Vec<u8>) -> Option<u64> {
    stand_in.clear();
    for c in token.chars() {
        let b = match c {
            c if c.is_ascii() => c as u8,
            // MidNumLet, like `.`: joins letters to letters and digits to digits.
            '\u{2018}' | '\u{2019}' => b'.',
            // Word_Break Other, like `!`.
            '\u{201C}' | '\u{201D}' | '\u{2013}' | '\u{2014}' => b'!',
            _ => return None,
        };
        stand_in.push(b);
    }
    Some(ascii_words(stand_in))
}

/// UAX #29 words in ASCII text.
///
/// Without `_`, a word starts at each letter or digit that neither follows one nor is joined to
/// the one before the mark it follows (see [`starts_word`]), so the count is a sum over the bytes
/// that vectorises, 32 bytes at a time. A segment of `_` alone is no word: text with `_` (rare in
/// prose) is walked segment by segment instead.
fn ascii_words(t: &[u8]) -> u64 {
    if memchr::memchr(b'_', t).is_some() {
        return ascii_words_by_segment(t);
    }
    // The first two bytes, as if two spaces stood before the text.
    let mut words = match *t {
        [] => 0,
        [first] => starts_word(b' ', b' ', first) as u64,
        [first, second, ..] => {
            starts_word(b' ', b' ', first) as u64 + starts_word(b' ', first, second) as u64
        }
    };
    let mut i = 0;
    // Byte i + 2 of the text, with the two before it.
    while i + 2 + WORD_BLOCK <= t.len() {
        words += block_word_starts(&t[i..i + 2 + WORD_BLOCK]);
        i += WORD_BLOCK;
    }
    if i + 2 < t.len() {
        // The rest as one more block, padded with spaces, which start no word: text between
        // curly quotes comes in short stretches, and a byte-by-byte tail cost more than a block.
        let mut padded = [b' '; WORD_BLOCK + 2];
        padded[..t.len() - i].copy_from_slice(&t[i..]);
        words += block_word_starts(&padded);
    }
    words
}

/// Bytes whose word starts [`block_word_starts`] counts at once.
const WORD_BLOCK: usize = 32;

/// How many words start at bytes 2.. of `t`, `WORD_BLOCK + 2` bytes long, each after the two
/// before it.
#[inline(always)]
fn block_word_starts(t: &[u8]) -> u64 {
    let before2: &[u8; WORD_BLOCK] = t[..WORD_BLOCK].try_into().expect("a block");
    let before1: &[u8; WORD_BLOCK] = t[1..1 + WORD_BLOCK].try_into().expect("a block");
    let here: &[u8; WORD_BLOCK] = t[2..2 + WORD_BLOCK].try_into().expect("a block");
    let mut starts = 0u8;
    for j in 0..WORD_BLOCK {
        starts += starts_word(before2[j], before1[j], here[j]) as u8;
    }
    starts as u64
}

/// Whether a word of ASCII text without `_` starts at `here`, after `before1` after `before2`:
/// `here` is a letter or digit, `before1` is not, and `before1` is not a mark that joins
/// `before2` to `here` (`.` `,` `;` `'` between digits, `'` `.` `:` between letters). Written
/// without branches so that it vectorises.
#[inline(always)]
fn starts_word(before2: u8, before1: u8, here: u8) -> bool {
    let letter = crate::stages::ascii::is_letter;
    let digit = |b: u8| b.wrapping_sub(b'0') < 10;
    let mid_num = (before1 == b'.') | (before1 == b',') | (before1 == b';') | (before1 == b'\'');
    let mid_letter = (before1 == b'\'') | (before1 == b'.') | (before1 == b':');
    let joined =
        (mid_num & digit(before2) & digit(here)) | (mid_letter & letter(before2) & letter(here));
    (letter(here) | digit(here)) & !(letter(before1) | digit(before1)) & !joined
}

/// UAX #29 words in ASCII text, segment by segment: the reference [`ascii_words`] keeps to, and
/// its way with `_`.
fn ascii_words_by_segment(t: &[u8]) -> u64 {
    let core = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let infix = |b: u8, prev: u8, next: u8| match b {
        b'.' | b',' | b';' | b'\'' if prev.is_ascii_digit() && next.is_ascii_digit() => true,
        b'\'' | b'.' | b':' if prev.is_ascii_alphabetic() && next.is_ascii_alphabetic() => true,
        _ => false,
    };
    let n = t.len();
    let mut words = 0;
    let mut i = 0;
    while i < n {
        if !core(t[i]) {
            i += 1;
            continue;
        }
        let mut alnum = t[i] != b'_';
        i += 1;
        while i < n {
            let c = t[i];
            if core(c) {
                alnum |= c != b'_';
            } else if !(i + 1 < n && infix(c, t[i - 1], t[i + 1])) {
                break;
            }
            i += 1;
        }
        words += alnum as u64;
    }
    words
}

/// A stable id for a document: the source and the raw bytes' hash, hashed together.
pub fn document_id(source: &str, raw_sha256: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(source.as_bytes());
    hasher.update([0u8]);
    hasher.update(raw_sha256.as_bytes());
    hex::encode(&hasher.finalize()[..16])
}

/// SHA-256 of bytes, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Why an input yields no document. The strings are a documented contract (README, "Rejects").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RejectReason {
    Empty,
    WhitespaceOnly,
    Binary,
    NotText,
    TooLarge,
    Unreadable,
    Undecodable,
    ExtractionTimeout,
    InternalError,
    // Fetch reasons.
    Robots,
    Timeout,
    Dns,
    Connection,
    RedirectLoop,
    TooManyRedirects,
    InvalidUrl,
    Http(u16),
}

impl RejectReason {
    pub fn as_str(&self) -> String {
        let s = match self {
            RejectReason::Empty => "empty",
            RejectReason::WhitespaceOnly => "whitespace-only",
            RejectReason::Binary => "binary",
            RejectReason::NotText => "not text",
            RejectReason::TooLarge => "too large",
            RejectReason::Unreadable => "unreadable",
            RejectReason::Undecodable => "undecodable",
            RejectReason::ExtractionTimeout => "extraction timeout",
            RejectReason::InternalError => "internal error",
            RejectReason::Robots => "robots",
            RejectReason::Timeout => "timeout",
            RejectReason::Dns => "dns",
            RejectReason::Connection => "connection",
            RejectReason::RedirectLoop => "redirect loop",
            RejectReason::TooManyRedirects => "too many redirects",
            RejectReason::InvalidUrl => "invalid url",
            RejectReason::Http(code) => return format!("http {code}"),
        };
        s.to_string()
    }

    /// Parses the documented string form back (used when reading rejects, e.g. to merge shards).
    pub fn parse(s: &str) -> Option<RejectReason> {
        use RejectReason::*;
        let all = [
            Empty,
            WhitespaceOnly,
            Binary,
            NotText,
            TooLarge,
            Unreadable,
            Undecodable,
            ExtractionTimeout,
            InternalError,
            Robots,
            Timeout,
            Dns,
            Connection,
            RedirectLoop,
            TooManyRedirects,
            InvalidUrl,
        ];
        if let Some(code) = s.strip_prefix("http ") {
            return code.parse().ok().map(Http);
        }
        all.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

impl Serialize for RejectReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_str())
    }
}

impl<'de> Deserialize<'de> for RejectReason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RejectReason::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown reject reason {s:?}")))
    }
}

/// An input that yields no document, with the reason and a human detail; one line of `rejects.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    pub source: String,
    pub reason: RejectReason,
    pub detail: String,
}

impl Reject {
    pub fn new(source: impl Into<String>, reason: RejectReason, detail: impl Into<String>) -> Self {
        Reject {
            source: source.into(),
            reason,
            detail: detail.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reject_reasons_round_trip_through_their_strings() {
        for r in [
            RejectReason::Empty,
            RejectReason::WhitespaceOnly,
            RejectReason::NotText,
            RejectReason::InternalError,
            RejectReason::Http(404),
        ] {
            assert_eq!(RejectReason::parse(&r.as_str()), Some(r));
        }
        assert_eq!(RejectReason::Http(503).as_str(), "http 503");
        assert_eq!(RejectReason::parse("nonsense"), None);
    }

    #[test]
    fn ids_depend_on_source_and_bytes() {
        let a = document_id("a.txt", &sha256_hex(b"x"));
        assert_eq!(a.len(), 32);
        assert_eq!(a, document_id("a.txt", &sha256_hex(b"x")));
        assert_ne!(a, document_id("b.txt", &sha256_hex(b"x")));
        assert_ne!(a, document_id("a.txt", &sha256_hex(b"y")));
    }

    fn unicode_words(s: &str) -> u64 {
        use unicode_segmentation::UnicodeSegmentation;
        s.unicode_words().count() as u64
    }

    #[test]
    fn words_are_counted_as_unicode_words_counts_them() {
        for s in [
            "",
            " ",
            "Hello, world!",
            "e.g. 3.14 1,000 don't rock'n'roll S:t _ __ a_b _a a_ a._b 1.a a.1 a..b",
            "don’t “quoted” — Алматы’s 2016-05-22 naïve café",
            " \u{345}abc \t\u{301}x\n\u{200D}y \u{0903}",
            "\r\n\r\nword\u{000B}word\u{000C}word\u{0085}word",
            "日本語のテキスト カタカナ 中文 한국어 👍🏽 🇰🇿🇰🇿",
            "a\u{2003}b c\u{00A0}d",
            "don’t ‘quote’ “Almaty’s” 1’000 a’1 ’a a’’b — – a—b",
        ] {
            assert_eq!(count_words(s), unicode_words(s), "{s:?}");
        }
    }

    #[test]
    fn the_fixtures_and_seeds_have_as_many_words_as_unicode_words_finds() {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    files(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        files(&root.join("tests/fixtures"), &mut paths);
        files(&root.join("raw"), &mut paths);
        files(&root.join("bench/data"), &mut paths);
        assert!(paths.len() > 30, "{paths:?}");
        for path in paths {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert_eq!(
                count_words(&text),
                unicode_words(&text),
                "{}",
                path.display()
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn random_text_has_as_many_words_as_unicode_words_finds(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-zA-Z0-9_.,;:'\" \t\n\r-]{0,12}",
                    "[a-z’‘“”«» .,\u{00A0}\u{2003}\u{0301}\u{0345}\u{200D}\u{FE0F}]{0,8}",
                    "[a-zA-Z0-9_.,;:'’‘“”–—!-]{0,16}",
                    "[а-яА-ЯқғұңөүһәіЁ0-9 ]{0,10}",
                    "[\u{0590}-\u{05FF}\u{3040}-\u{30FF}\u{1F1E6}-\u{1F1FF}\u{1F600}-\u{1F64F}\u{0900}-\u{097F} ]{0,6}",
                    proptest::prelude::any::<String>(),
                ],
                0..10,
            )
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(count_words(&text), unicode_words(&text));
        }

        #[test]
        fn ascii_text_has_as_many_words_as_unicode_words_finds(text in "[a-c0-2_.,;:' !-]{0,40}") {
            proptest::prop_assert_eq!(ascii_words(text.as_bytes()), unicode_words(&text));
        }

        #[test]
        fn ascii_text_without_underscores_is_counted_as_segment_by_segment(
            text in "[a-cA0-2.,;:' !\n-]{0,120}"
        ) {
            let t = text.as_bytes();
            proptest::prop_assert_eq!(ascii_words(t), ascii_words_by_segment(t));
            proptest::prop_assert_eq!(ascii_words(t), unicode_words(&text));
        }
    }

    #[test]
    fn change_count_is_omitted_when_one() {
        let c = Change::new("clean", "r", "a", "", 3);
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("count"), "{json}");
    }
}
