//! Decode stage: raw bytes → UTF-8 text, plus the hygiene every later stage relies on.
//!
//! Order of evidence for the charset: byte-order mark, then a declared charset (the transport's
//! `Content-Type`, then an HTML `<meta>` or XML declaration), then near-valid UTF-8, then a
//! chardetng guess. Inputs that are not text at all (known binary formats, control-character soup)
//! become rejects. Hygiene: line endings to `\n`, control characters other than `\n` and `\t`
//! removed, Unicode NFC; each repair is recorded as a change.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::document::{
    Change, ChangeLog, Document, EncodingSource, Format, RawInput, Reject, RejectReason,
    document_id, sha256_hex,
};

const STAGE: &str = "decode";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DecodeConfig {
    /// Share of control characters (other than tab, newline and carriage return: a form feed
    /// counts) above which an input is rejected as `binary`; fewer are removed and recorded.
    pub max_control_share: f64,
    /// Share of undecodable sequences (U+FFFD after decoding) above which an input is rejected
    /// as `undecodable`; fewer are kept as U+FFFD and recorded.
    pub max_replacement_share: f64,
    /// How many leading bytes are searched for an HTML `<meta>` charset declaration.
    pub sniff_bytes: usize,
    /// Most changes of one rule recorded per document; the rest are folded into the last entry.
    pub max_changes_per_rule: usize,
    /// Longest line, in bytes of decoded UTF-8, a plain-text input may have; a longer one makes it
    /// a `too large` reject (later stages work line by line). HTML is exempt: a minified page is
    /// one line, and the extract stage bounds pages by size and depth.
    pub max_line_bytes: usize,
}

impl Default for DecodeConfig {
    fn default() -> Self {
        DecodeConfig {
            max_control_share: 0.05,
            max_replacement_share: 0.1,
            sniff_bytes: 4096,
            max_changes_per_rule: 100,
            max_line_bytes: 1024 * 1024,
        }
    }
}

pub struct Decode {
    config: DecodeConfig,
}

impl Decode {
    pub fn new(config: &DecodeConfig) -> Self {
        Decode {
            config: config.clone(),
        }
    }

    /// Turns raw bytes into a document with UTF-8 text, or a reject saying why it cannot.
    pub fn apply(&self, raw: &RawInput) -> Result<Document, Reject> {
        let reject = |reason, detail: String| Reject::new(&raw.source, reason, detail);
        let bytes = raw.bytes.as_slice();
        if bytes.is_empty() {
            return Err(reject(RejectReason::Empty, "the input has 0 bytes".into()));
        }
        if let Some(kind) = binary_format(bytes) {
            return Err(reject(
                RejectReason::NotText,
                format!("the bytes are a {kind}, not text"),
            ));
        }
        let (encoding, encoding_source) = self.choose_encoding(raw);
        let (decoded, bom_len) = decode_bytes(encoding, bytes);
        let replacements = memchr::memmem::find_iter(decoded.as_bytes(), "\u{FFFD}").count();
        let total_chars = || decoded.chars().count().max(1);
        // The characters are counted only when there is a share to work out (most texts have no
        // U+FFFD and no control characters); none of any count is a share of 0.
        let share = match replacements {
            0 => 0.0,
            n => n as f64 / total_chars() as f64,
        };
        if share > self.config.max_replacement_share {
            let total_chars = total_chars();
            return Err(reject(
                RejectReason::Undecodable,
                format!(
                    "{replacements} of {total_chars} characters are not valid {}",
                    encoding.name()
                ),
            ));
        }
        // C1 controls that are windows-1252 punctuation read as Latin-1 are repaired, not binary.
        let Controls {
            all,
            meaningless: controls,
        } = count_controls(&decoded);
        // A few stray controls in a short text are damage to repair, not a sign of binary data.
        if controls > 2 && controls as f64 / total_chars() as f64 > self.config.max_control_share {
            return Err(reject(
                RejectReason::Binary,
                format!(
                    "{controls} of {} characters are control characters",
                    total_chars()
                ),
            ));
        }
        if decoded.trim().is_empty() {
            return Err(reject(
                RejectReason::WhitespaceOnly,
                format!("{} bytes of white space only", bytes.len()),
            ));
        }
        let format = detect_format(raw, &decoded);
        if format == Format::Text
            && let Some((at, len)) = line_over(&decoded, self.config.max_line_bytes)
        {
            return Err(reject(
                RejectReason::TooLarge,
                format!(
                    "a line of {len} bytes at byte {at}; the limit is {} (decode.max_line_bytes)",
                    self.config.max_line_bytes
                ),
            ));
        }
        let raw_sha256 = sha256_hex(bytes);
        let mut doc = Document {
            id: document_id(&raw.source, &raw_sha256),
            source: raw.source.clone(),
            url: raw.url.clone(),
            requested_url: raw.requested_url.clone(),
            language: "und".to_string(),
            format,
            encoding: encoding.name().to_string(),
            encoding_source: Some(encoding_source),
            raw_sha256,
            raw_bytes: bytes.len() as u64,
            ..Document::default()
        };
        let mut changes = Vec::new();
        if bom_len > 0 {
            changes.push(Change::new(STAGE, "byte-order-mark", "\u{FEFF}", "", 0));
        }
        if replacements > 0 {
            let first = decoded.find('\u{FFFD}').unwrap_or(0);
            let mut c = Change::new(STAGE, "invalid-sequence", "", "\u{FFFD}", first);
            c.count = replacements as u32;
            changes.push(c);
        }
        doc.text = self.hygiene(decoded, all > 0, &mut changes);
        doc.changes = changes;
        Ok(doc)
    }

    fn choose_encoding(&self, raw: &RawInput) -> (&'static Encoding, EncodingSource) {
        let bytes = raw.bytes.as_slice();
        if let Some((enc, _)) = Encoding::for_bom(bytes) {
            return (enc, EncodingSource::Bom);
        }
        let transport = raw
            .content_type
            .as_deref()
            .and_then(charset_of_content_type)
            .map(|enc| (enc, EncodingSource::ContentType));
        let head = &bytes[..bytes.len().min(self.config.sniff_bytes)];
        let declared =
            transport.or_else(|| declared_charset(head).map(|e| (e, EncodingSource::Declared)));
        if let Some((enc, evidence)) = declared {
            // A page declared in a legacy charset whose bytes are valid UTF-8 with multi-byte
            // sequences is UTF-8 mislabelled (a CMS template's stale <meta>): legacy text almost
            // never forms valid UTF-8 by chance, and honouring the label would garble every
            // non-ASCII character.
            if enc != UTF_8 && enc.is_ascii_compatible() && is_utf8_with_multibyte(bytes) {
                return (UTF_8, EncodingSource::Utf8OverLabel);
            }
            return (enc, evidence);
        }
        if let Some(enc) = utf16_pattern(bytes) {
            return (enc, EncodingSource::Utf16Pattern);
        }
        if mostly_utf8(bytes) {
            return (UTF_8, EncodingSource::Utf8);
        }
        (guess_encoding(bytes), EncodingSource::Guess)
    }

    /// Line endings, control characters and NFC; records what it changed.
    fn hygiene(&self, text: String, has_controls: bool, changes: &mut Vec<Change>) -> String {
        let mut log = ChangeLog::new(STAGE, self.config.max_changes_per_rule);
        // Line endings are one entry per kind (with a count): a Windows file is not N edits worth reading.
        let mut endings: Vec<Change> = Vec::new();
        // Where the text was edited before NFC: NFC's offsets are mapped back through these.
        // Kept only for a text NFC may change (a Windows file would hold one per line).
        let mut shifts = Shifts::new(!is_nfc_quick_yes(&text));
        let text = if has_controls {
            let mut out = String::with_capacity(text.len());
            let mut chars = text.char_indices().peekable();
            while let Some((at, c)) = chars.next() {
                if c == '\r' {
                    let crlf = chars.peek().is_some_and(|&(_, n)| n == '\n');
                    if crlf {
                        chars.next();
                    }
                    count_line_ending(&mut endings, crlf, at);
                    out.push('\n');
                    shifts.edited(out.len(), at + 1 + crlf as usize);
                } else if let Some((fixed, used)) = latin1_mojibake(c, chars.clone()) {
                    let end = chars
                        .nth(used - 2)
                        .map_or(text.len(), |(i, n)| i + n.len_utf8());
                    log.add_merging_adjacent(
                        "mojibake-latin1",
                        &text[at..end],
                        fixed.encode_utf8(&mut [0; 4]),
                        at,
                    );
                    out.push(fixed);
                    shifts.edited(out.len(), end);
                } else if let Some(fixed) = c1_as_cp1252(c) {
                    log.add_merging_adjacent(
                        "c1-cp1252",
                        c.encode_utf8(&mut [0; 4]),
                        fixed.encode_utf8(&mut [0; 4]),
                        at,
                    );
                    out.push(fixed);
                    shifts.edited(out.len(), at + c.len_utf8());
                } else if is_removed_control(c) {
                    log.add_merging_adjacent(
                        "control-character",
                        c.encode_utf8(&mut [0; 4]),
                        "",
                        at,
                    );
                    shifts.edited(out.len(), at + c.len_utf8());
                } else {
                    out.push(c);
                }
            }
            out
        } else if memchr::memchr(b'\r', text.as_bytes()).is_some() {
            // Without a control character the loop would change the line endings alone.
            line_endings_to_lf(&text, &mut endings, &mut shifts)
        } else {
            text
        };
        let text = nfc_by_line(text, &shifts, &mut log);
        changes.extend(endings);
        changes.extend(log.into_changes());
        text
    }
}

/// `text` with each `\r\n` and each lone `\r` made `\n`, counted into `endings`: what the
/// character loop of [`Decode::hygiene`] does to a text without control characters (no C1
/// control for a mojibake repair either), from memchr's jumps between the `\r`s.
fn line_endings_to_lf(text: &str, endings: &mut Vec<Change>, shifts: &mut Shifts) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for at in memchr::memchr_iter(b'\r', bytes) {
        out.push_str(&text[copied..at]);
        let crlf = bytes.get(at + 1) == Some(&b'\n');
        count_line_ending(endings, crlf, at);
        out.push('\n');
        copied = at + 1 + crlf as usize;
        shifts.edited(out.len(), copied);
    }
    out.push_str(&text[copied..]);
    out
}

/// Points where an edit of the text ended: (byte offset in the edited text, in the original),
/// in order. Between two of them the texts are the same bytes. Recorded only when `on`.
struct Shifts {
    on: bool,
    points: Vec<(usize, usize)>,
}

impl Shifts {
    fn new(on: bool) -> Shifts {
        Shifts {
            on,
            points: Vec::new(),
        }
    }

    fn edited(&mut self, out: usize, original: usize) {
        if self.on {
            self.points.push((out, original));
        }
    }

    /// The offset in the original text of byte `at` of the edited one (`at` not inside an edit;
    /// `at` itself when nothing was recorded: a text that passed NFC's quick check before its
    /// edits and failed it after, which only a control between two combining marks can do).
    fn original(&self, at: usize) -> usize {
        match self.points.partition_point(|&(out, _)| out <= at) {
            0 => at,
            i => {
                let (out, original) = self.points[i - 1];
                original + (at - out)
            }
        }
    }
}

/// One line ending of a kind (`\r\n` or a lone `\r`) at byte `at`: an entry for the first of
/// its kind, a count for the others.
fn count_line_ending(endings: &mut Vec<Change>, crlf: bool, at: usize) {
    let before = if crlf { "\r\n" } else { "\r" };
    match endings.iter_mut().find(|e| e.before == before) {
        Some(e) => e.count += 1,
        None => endings.push(Change::new(STAGE, "line-endings", before, "\n", at)),
    }
}

/// chardetng's guess for `bytes`, fed only the words that hold a byte it scores.
fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&scored_words(bytes), true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// The whitespace-delimited words of `bytes` that hold a non-ASCII byte or an escape, each with
/// the whitespace byte before and after it, in order (overlapping ones once): what chardetng
/// scores. It never scores a pair of ASCII bytes, and a whitespace byte returns each of its
/// candidates to the same state whatever ASCII came before, so the ASCII-only words between
/// make no difference to its guess, only to its time (a property test holds the two guesses
/// equal). Plain ASCII words are most of a Latin-script legacy text.
fn scored_words(bytes: &[u8]) -> Cow<'_, [u8]> {
    let scored = |b: &u8| *b >= 0x80 || *b == 0x1B;
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C');
    let mut kept = Vec::new();
    let mut end = 0;
    while let Some(hit) = bytes[end..].iter().position(scored) {
        let hit = end + hit;
        let start = bytes[end..hit]
            .iter()
            .rposition(is_space)
            .map_or(end, |s| end + s);
        let after = bytes[hit..]
            .iter()
            .position(is_space)
            .map_or(bytes.len(), |s| hit + s + 1);
        kept.extend_from_slice(&bytes[start..after]);
        end = after;
    }
    if kept.len() == bytes.len() {
        Cow::Borrowed(bytes)
    } else {
        Cow::Owned(kept)
    }
}

/// The first line longer than `limit` bytes, as its byte offset and length. `\r` ends a line too,
/// so old Mac files are not one long line.
fn line_over(text: &str, limit: usize) -> Option<(usize, usize)> {
    if text.len() <= limit {
        return None;
    }
    let mut start = 0;
    let ends = memchr::memchr2_iter(b'\n', b'\r', text.as_bytes());
    for end in ends.chain(std::iter::once(text.len())) {
        if end - start > limit {
            return Some((start, end - start));
        }
        start = end + 1;
    }
    None
}

/// Decodes with the BOM removed when it matches; returns the text and the BOM's length.
fn decode_bytes(encoding: &'static Encoding, bytes: &[u8]) -> (String, usize) {
    let bom_len = match Encoding::for_bom(bytes) {
        Some((enc, len)) if enc == encoding => len,
        _ => 0,
    };
    let (text, _had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
    (text.into_owned(), bom_len)
}

/// UTF-8 that was read as Latin-1 somewhere upstream and written out again: the character it
/// stands for, when `lead` and the characters after it (`rest`) are the reading of one complete
/// UTF-8 sequence holding a C1 control, and how many characters that is ("â" U+0080 U+0099 →
/// "’"). Latin-1 reads bytes 0x80..0x9F as C1 controls, which would otherwise be removed as such
/// and leave the lead ("â") behind. windows-1252 reads most of them as punctuation ("€"), which
/// may be mixed in, but leaves five undefined, read as their C1 controls too ("â€" U+009D →
/// "”"). Mojibake without a C1 control is the clean stage's to repair.
fn latin1_mojibake(lead: char, rest: impl Iterator<Item = (usize, char)>) -> Option<(char, usize)> {
    let continuations = match lead {
        '\u{C2}'..='\u{DF}' => 1,
        '\u{E0}'..='\u{EF}' => 2,
        '\u{F0}'..='\u{F4}' => 3,
        _ => return None,
    };
    let mut bytes = [lead as u8, 0, 0, 0];
    let mut has_c1 = false;
    for (slot, (_, c)) in bytes[1..=continuations].iter_mut().zip(rest) {
        let b = read_as_byte(c).filter(|b| (0x80..=0xBF).contains(b))?;
        has_c1 |= ('\u{80}'..='\u{9F}').contains(&c);
        *slot = b;
    }
    if !has_c1 || bytes[continuations] == 0 {
        return None;
    }
    let fixed = std::str::from_utf8(&bytes[..=continuations])
        .ok()?
        .chars()
        .next()?;
    (!fixed.is_control()).then_some((fixed, continuations + 1))
}

/// The byte 0x80..0xFF a character was read from, by Latin-1 or windows-1252.
fn read_as_byte(c: char) -> Option<u8> {
    match c {
        '\0'..='\u{7F}' => return None,
        '\u{80}'..='\u{FF}' => return Some(c as u8),
        _ => {}
    }
    let mut utf8 = [0; 4];
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut utf8));
    match *bytes {
        [b] if !unmappable && b >= 0x80 => Some(b),
        _ => None,
    }
}

/// The windows-1252 character of a C1 control (U+0080..U+009F): the byte it is, read as Latin-1
/// where windows-1252 was meant ("it\u{92}s" → "it’s"). `None` for other characters and for the
/// five bytes windows-1252 leaves undefined, which stay controls.
fn c1_as_cp1252(c: char) -> Option<char> {
    if !('\u{80}'..='\u{9F}').contains(&c) {
        return None;
    }
    let byte = [c as u8];
    let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
    decoded.chars().next().filter(|d| !d.is_control())
}

/// Control characters the text must not carry: all of Unicode's Cc except `\t` and `\n`
/// (`\r` is handled as a line ending).
fn is_removed_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t' && c != '\r'
}

/// The control characters of a text, counted on the bytes: the C0 controls and DEL are single
/// bytes, the C1 controls (U+0080..U+009F) are `C2 80`..`C2 9F` in UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Controls {
    /// What [`is_removed_control`] holds for; hygiene repairs or removes every one.
    all: usize,
    /// Those that are not windows-1252 bytes read as Latin-1 ([`c1_as_cp1252`] has no character
    /// for them): the C0 controls, DEL and the five C1 controls windows-1252 leaves undefined. A share of these says binary data;
    /// the other C1 controls are punctuation that lost its code page.
    meaningless: usize,
}

fn count_controls(text: &str) -> Controls {
    let bytes = text.as_bytes();
    // Non-short-circuit tests summed in u8 per chunk of 255: the loop vectorises (a `matches!`
    // or `&&` here compiles to a branch per byte, 2.5 % of a plain-text run).
    let is_c0 = |b: u8| ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7F);
    let c0: usize = bytes
        .chunks(255)
        .map(|chunk| chunk.iter().fold(0u8, |n, &b| n + is_c0(b) as u8) as usize)
        .sum();
    let (mut c1, mut c1_undefined) = (0, 0);
    for i in memchr::memchr_iter(0xC2, bytes) {
        if let Some(&b) = bytes.get(i + 1).filter(|b| (0x80..=0x9F).contains(*b)) {
            c1 += 1;
            c1_undefined += c1_as_cp1252(char::from(b)).is_none() as usize;
        }
    }
    Controls {
        all: c0 + c1,
        meaningless: c0 + c1_undefined,
    }
}

/// `is_nfc_quick` of the whole text, looking only at its non-ASCII stretches: an ASCII character
/// is always allowed and resets the check's state, so each stretch can be checked on its own.
fn is_nfc_quick_yes(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(start) = crate::stages::ascii::next_non_ascii(bytes, i) {
        let end = bytes[start..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |p| start + p);
        if is_nfc_quick(text[start..end].chars()) != IsNormalized::Yes {
            return false;
        }
        i = end;
    }
    true
}

/// NFC, line by line, so that a change records the line it touched rather than the whole text.
/// `shifts`: the edits made before, so that each change's offset is in the text the stage received.
fn nfc_by_line(text: String, shifts: &Shifts, log: &mut ChangeLog) -> String {
    if is_nfc_quick_yes(&text) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if is_nfc_quick(line.chars()) == IsNormalized::Yes {
            out.push_str(line);
        } else {
            let normal: String = line.nfc().collect();
            if normal != line {
                log.add_fixed("unicode-nfc", line, &normal, shifts.original(at));
            }
            out.push_str(&normal);
        }
        at += line.len();
    }
    out
}

/// The `charset` parameter of a media type such as `text/html; charset=windows-1251`.
pub fn charset_of_content_type(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let label = value.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label(label.as_bytes())
    })
}

/// A charset declared in the first bytes of a page: `<meta charset>`, `<meta http-equiv
/// content-type>` or an XML declaration. A declared UTF-16 means UTF-8, as the HTML standard says
/// (a page that really is UTF-16 has a BOM or the UTF-16 byte pattern).
pub fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    // Both declarations are tags: without one there is nothing to read (a plain text's `<` is
    // most often a URL's), and the head is not lower-cased for nothing.
    if !may_declare(head) {
        return None;
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let found = meta_charset(&lower).or_else(|| xml_encoding(&lower))?;
    let enc = Encoding::for_label(found)?;
    Some(if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else {
        enc
    })
}

/// Whether `head` holds a `<meta` tag or opens with `<?xml`, in any case: where
/// [`meta_charset`] and [`xml_encoding`] look, in the lower-cased head.
fn may_declare(head: &[u8]) -> bool {
    let is = |at: usize, word: &[u8]| {
        head.get(at..at + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    is(0, b"<?xml") || memchr::memchr_iter(b'<', head).any(|at| is(at, b"<meta"))
}

fn meta_charset(lower: &[u8]) -> Option<&[u8]> {
    let mut rest = lower;
    while let Some(pos) = find(rest, b"<meta") {
        let tag_end = find(&rest[pos..], b">").map_or(rest.len(), |e| pos + e);
        let tag = &rest[pos..tag_end];
        if let Some(i) = find(tag, b"charset") {
            let after = &tag[i + b"charset".len()..];
            let after = trim_start(after);
            if let Some(after) = after.strip_prefix(b"=") {
                let value = trim_start(after);
                let value = value
                    .strip_prefix(b"\"")
                    .or_else(|| value.strip_prefix(b"'"))
                    .unwrap_or(value);
                let end = value
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(value.len());
                if end > 0 {
                    return Some(&value[..end]);
                }
            }
        }
        rest = &rest[tag_end.min(rest.len())..];
        if rest.is_empty() {
            break;
        }
    }
    None
}

fn xml_encoding(lower: &[u8]) -> Option<&[u8]> {
    let decl = lower.strip_prefix(b"<?xml")?;
    let end = find(decl, b"?>")?;
    let decl = &decl[..end];
    let i = find(decl, b"encoding")?;
    let value = trim_start(trim_start(&decl[i + 8..]).strip_prefix(b"=")?);
    let quote = *value.first()?;
    let value = &value[1..];
    let end = value.iter().position(|&b| b == quote)?;
    Some(&value[..end])
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// UTF-16 without a BOM: text in Latin or Cyrillic puts a high byte of 0x00 (Latin, digits,
/// spaces) or 0x04 (Cyrillic) in every other position, and almost no NUL in the others.
/// Requires the pattern over the first 4 KiB to be overwhelming.
fn utf16_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 8 {
        return None;
    }
    // Both patterns hold NULs (the spaces at least).
    memchr::memchr(0, head)?;
    let pairs = head.len() / 2;
    let count = |skip: usize, high: fn(u8) -> bool| {
        head.iter()
            .skip(skip)
            .step_by(2)
            .filter(|&&b| high(b))
            .count()
    };
    let small_high: fn(u8) -> bool = |b| b == 0 || b == 4;
    let nul: fn(u8) -> bool = |b| b == 0;
    if count(1, small_high) * 10 >= pairs * 6 && count(0, nul) * 20 <= pairs {
        Some(UTF_16LE)
    } else if count(0, small_high) * 10 >= pairs * 6 && count(1, nul) * 20 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Strictly valid UTF-8 that holds at least one multi-byte sequence.
fn is_utf8_with_multibyte(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// Valid UTF-8, or UTF-8 with a few broken sequences among many good multi-byte ones (a damaged
/// file, which is repaired rather than re-read as a legacy encoding and garbled throughout).
fn mostly_utf8(bytes: &[u8]) -> bool {
    if std::str::from_utf8(bytes).is_ok() {
        return true;
    }
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let good = &rest[..e.valid_up_to()];
                // SAFETY-free: from_utf8 said this prefix is valid.
                multibyte += std::str::from_utf8(good)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                invalid += 1;
                let skip = e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = &rest[e.valid_up_to() + skip..];
            }
        }
    }
    invalid == 0 || (multibyte >= 4 && invalid * 20 <= multibyte)
}

/// Recognises common binary formats by their magic numbers.
fn binary_format(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive (or an Office document)"),
        (b"PK\x05\x06", "ZIP archive"),
        (b"\x1f\x8b", "gzip stream"),
        (b"\xfd7zXZ\x00", "xz stream"),
        (b"(\xb5/\xfd", "zstd stream"),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
        (b"Rar!\x1a\x07", "RAR archive"),
        (b"\x7fELF", "ELF executable"),
        (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
        (b"\xca\xfe\xba\xbe", "Java class or Mach-O universal binary"),
        (b"\x00asm", "WebAssembly module"),
        (b"SQLite format 3\x00", "SQLite database"),
        (b"OggS", "Ogg media"),
        (b"fLaC", "FLAC audio"),
        (b"ID3", "MP3 audio"),
        (b"wOFF", "WOFF font"),
        (b"wOF2", "WOFF2 font"),
        (b"II*\x00", "TIFF image"),
        (b"MM\x00*", "TIFF image"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "OLE document (old Office format)",
        ),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(kind);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") {
        return Some(match &bytes[8..12] {
            b"WEBP" => "WebP image",
            b"WAVE" => "WAV audio",
            b"AVI " => "AVI video",
            _ => "RIFF media file",
        });
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("MP4/QuickTime media file");
    }
    if bytes.starts_with(b"BZh")
        && bytes.len() >= 10
        && bytes[3].is_ascii_digit()
        && &bytes[4..10] == b"\x31\x41\x59\x26\x53\x59"
    {
        return Some("bzip2 stream");
    }
    None
}

/// HTML when the transport says so, else when the file name says so, else when the text opens
/// like a page.
fn detect_format(raw: &RawInput, text: &str) -> Format {
    if let Some(ct) = raw.content_type.as_deref() {
        let media = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            "text/html" | "application/xhtml+xml" => return Format::Html,
            "text/plain" => return Format::Text,
            _ => {}
        }
    }
    if let Some(ext) = raw.extension.as_deref()
        && matches!(
            ext,
            "html" | "htm" | "xhtml" | "shtml" | "php" | "asp" | "aspx"
        )
    {
        return Format::Html;
    }
    let trimmed = text.trim_start();
    // The head below is at most 1024 characters, so within the first 4096 bytes: no `<` there
    // means no tag in it.
    if memchr::memchr(b'<', &trimmed.as_bytes()[..trimmed.len().min(4096)]).is_none() {
        return Format::Text;
    }
    let head: String = trimmed
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    let opens_like_html = head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with("<?xml") && head.contains("<html"));
    let has_page_tags =
        head.contains("<html") && (head.contains("<head") || head.contains("<body"));
    if opens_like_html || has_page_tags {
        Format::Html
    } else {
        Format::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn byte_level_checks_agree_with_the_char_level_ones(
            s in "([a-z \t\r\n\u{0}-\u{1F}\u{7F}-\u{A0}é\u{0301}\u{0327}\u{1E0B}\u{0323}ё]|\\PC){0,40}"
        ) {
            let meaningless = |c: char| is_removed_control(c) && c1_as_cp1252(c).is_none();
            proptest::prop_assert_eq!(
                count_controls(&s),
                Controls {
                    all: s.chars().filter(|&c| is_removed_control(c)).count(),
                    meaningless: s.chars().filter(|&c| meaningless(c)).count(),
                }
            );
            proptest::prop_assert_eq!(
                is_nfc_quick_yes(&s),
                is_nfc_quick(s.chars()) == IsNormalized::Yes
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn a_head_without_a_declaration_tag_declares_nothing(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<", "<meta", "<MeTa", "<me", "ta", "<?xml", "<?XML", " encoding='koi8-r'?>",
                    " charset=koi8-r>", "<https://x.kz>", "text ", ">", "é",
                ]),
                0..12,
            )
        ) {
            let head = parts.concat();
            let lower = head.to_ascii_lowercase();
            let found = meta_charset(lower.as_bytes()).or_else(|| xml_encoding(lower.as_bytes()));
            if !may_declare(head.as_bytes()) {
                proptest::prop_assert_eq!(found, None);
            }
        }

        #[test]
        fn line_endings_alone_come_out_as_the_character_loop_makes_them(
            s in "([a-z \t\r\n\u{A0}-\u{FF}é\u{0301}’ё]|\r\n|\r\r|\\PC){0,60}"
        ) {
            proptest::prop_assume!(count_controls(&s).all == 0);
            let decode = Decode::new(&DecodeConfig::default());
            let (mut looped, mut fast) = (Vec::new(), Vec::new());
            // Told there are controls, hygiene takes the character loop.
            let by_loop = decode.hygiene(s.clone(), true, &mut looped);
            let by_memchr = decode.hygiene(s.clone(), false, &mut fast);
            proptest::prop_assert_eq!(by_memchr, by_loop);
            proptest::prop_assert_eq!(fast, looped);
        }
    }

    /// chardetng fed every byte, as before [`scored_words`].
    fn guess_from_all(bytes: &[u8]) -> &'static Encoding {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(None, chardetng::Utf8Detection::Allow)
    }

    const LEGACY: [&Encoding; 14] = [
        encoding_rs::WINDOWS_1250,
        encoding_rs::WINDOWS_1251,
        encoding_rs::WINDOWS_1252,
        encoding_rs::WINDOWS_1253,
        encoding_rs::WINDOWS_1254,
        encoding_rs::WINDOWS_1255,
        encoding_rs::WINDOWS_1256,
        encoding_rs::WINDOWS_1257,
        encoding_rs::WINDOWS_1258,
        encoding_rs::KOI8_U,
        encoding_rs::ISO_8859_2,
        encoding_rs::SHIFT_JIS,
        encoding_rs::GBK,
        encoding_rs::EUC_KR,
    ];

    /// Words of many scripts and cases, ASCII ones among them, with the punctuation, digits and
    /// signs chardetng gives scores next to letters.
    const WORDS: &str = "the The THE of a I I’ 3º Nº1 n.º1 Mª © ® « » “quoted” l’été Été ÉTÉ \
        straße STRASSE Łódź ŁÓDŹ żółć Češka příliš Ελλάδα ΕΛΛΆΔΑ αλφα Türkçe İstanbul ığdır \
        Жители АЛМАТЫ протестуют Шанырак. ёлка ҚАЗАҚ әлем שלום עולם. مرحبا بالعالم، Tiếng Việt \
        日本語 テキスト です。 中文 汉字 繁體 한국어 텍스트 £5 €10 — – … x1 (é) é, é. 1990–2000";

    proptest::proptest! {
        #[test]
        fn chardetng_guesses_from_the_scored_words_what_it_guesses_from_all(
            picks in proptest::collection::vec((0usize..1000, 0usize..8), 0..120),
            encoding in 0usize..LEGACY.len(),
        ) {
            let words: Vec<&str> = WORDS.split_whitespace().collect();
            let spaces = [" ", " ", " ", "\n", "\t", "  ", "\r\n", ""];
            let mut text = String::new();
            for (word, space) in picks {
                text.push_str(words[word % words.len()]);
                text.push_str(spaces[space]);
            }
            let (bytes, _, _) = LEGACY[encoding].encode(&text);
            proptest::prop_assert_eq!(
                guess_encoding(&bytes).name(),
                guess_from_all(&bytes).name()
            );
        }

        #[test]
        fn chardetng_guesses_the_same_from_the_scored_words_of_any_bytes(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::sample::select(b"aZ .\n\t09'-".to_vec()),
                    1 => proptest::num::u8::ANY,
                ],
                0..400,
            )
        ) {
            proptest::prop_assert_eq!(
                guess_encoding(&bytes).name(),
                guess_from_all(&bytes).name()
            );
        }
    }

    #[test]
    fn only_words_with_a_scored_byte_are_kept_with_their_spaces() {
        let kept = scored_words(b"plain words caf\xE9 and more\nna\xEFve end");
        assert_eq!(&kept[..], b" caf\xE9 \nna\xEFve ");
        assert_eq!(&scored_words(b"all ascii")[..], b"");
        assert!(matches!(scored_words(b"\xE9\xE9 \xE9"), Cow::Borrowed(_)));
    }

    fn raw(bytes: &[u8]) -> RawInput {
        RawInput {
            source: "t.txt".into(),
            bytes: bytes.to_vec(),
            ..RawInput::default()
        }
    }

    fn decode(bytes: &[u8]) -> Result<Document, Reject> {
        Decode::new(&DecodeConfig::default()).apply(&raw(bytes))
    }

    const RU: &str = "Жители Алматы протестуют против сноса домов в микрорайоне Шанырак. Полиция задержала активистов.";

    #[test]
    fn legacy_cyrillic_encodings_are_guessed() {
        for enc in [encoding_rs::WINDOWS_1251, encoding_rs::KOI8_R] {
            let (bytes, _, _) = enc.encode(RU);
            let doc = decode(&bytes).unwrap();
            assert_eq!(doc.text, RU, "{}", enc.name());
            assert_eq!(doc.encoding_source, Some(EncodingSource::Guess));
            // chardetng names KOI8-U for Russian KOI8 text: a superset that decodes it identically.
            assert!(
                enc.name().starts_with(&doc.encoding[..5]),
                "{}",
                doc.encoding
            );
        }
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let mut le = vec![0xff, 0xfe];
        le.extend(RU.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let doc = decode(&le).unwrap();
        assert_eq!((doc.text.as_str(), doc.encoding.as_str()), (RU, "UTF-16LE"));
        assert_eq!(doc.encoding_source, Some(EncodingSource::Bom));
        let en = "Plain English text in UTF-16 big endian without a BOM.";
        let be: Vec<u8> = en.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let doc = decode(&be).unwrap();
        assert_eq!((doc.text.as_str(), doc.encoding.as_str()), (en, "UTF-16BE"));
        assert_eq!(doc.encoding_source, Some(EncodingSource::Utf16Pattern));
    }

    #[test]
    fn declared_charset_wins_over_guessing_and_transport_wins_over_both() {
        let page = "<html><head><meta charset=\"windows-1251\"></head><body>Привет</body></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(page);
        let doc = decode(&bytes).unwrap();
        assert_eq!(doc.encoding, "windows-1251");
        assert_eq!(doc.encoding_source, Some(EncodingSource::Declared));
        assert_eq!(doc.format, Format::Html);
        assert!(doc.text.contains("Привет"));
        let (koi, _, _) = encoding_rs::KOI8_R.encode("Привет, мир");
        let mut r = raw(&koi);
        r.content_type = Some("text/plain; charset=\"KOI8-R\"".into());
        let doc = Decode::new(&DecodeConfig::default()).apply(&r).unwrap();
        assert_eq!(
            (doc.text.as_str(), doc.format),
            ("Привет, мир", Format::Text)
        );
        assert_eq!(doc.encoding_source, Some(EncodingSource::ContentType));
        // The header names the charset even when the page declares another.
        let mut r = raw(&bytes);
        r.content_type = Some("text/html; charset=koi8-r".into());
        let doc = Decode::new(&DecodeConfig::default()).apply(&r).unwrap();
        assert_eq!(
            (doc.encoding.as_str(), doc.encoding_source),
            ("KOI8-R", Some(EncodingSource::ContentType))
        );
        // Plain UTF-8 with nothing declared.
        let doc = decode("Алматы, not Alma-Ata.".as_bytes()).unwrap();
        assert_eq!(
            (doc.encoding.as_str(), doc.encoding_source),
            ("UTF-8", Some(EncodingSource::Utf8))
        );
    }

    #[test]
    fn valid_utf8_wins_over_a_stale_legacy_declaration() {
        let page = "<html><head><meta charset=\"iso-8859-1\"></head><body>Almaty’s café — “quoted”</body></html>";
        let doc = decode(page.as_bytes()).unwrap();
        assert_eq!(doc.encoding, "UTF-8");
        assert_eq!(doc.encoding_source, Some(EncodingSource::Utf8OverLabel));
        assert!(doc.text.contains("Almaty’s café — “quoted”"));
        let mut r = raw(page.as_bytes());
        r.content_type = Some("text/html; charset=windows-1252".into());
        let doc = Decode::new(&DecodeConfig::default()).apply(&r).unwrap();
        assert_eq!(doc.encoding, "UTF-8");
    }

    #[test]
    fn http_equiv_and_xml_declarations_are_read() {
        let head = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=KOI8-R\">";
        assert_eq!(declared_charset(head), Some(encoding_rs::KOI8_R));
        let xml = b"<?xml version=\"1.0\" encoding='ISO-8859-1'?><html>";
        assert_eq!(declared_charset(xml), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(declared_charset(b"<meta charset=utf-16>"), Some(UTF_8));
    }

    #[test]
    fn windows_1252_and_utf8_bom() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Café crème — naïve façade, déjà vu.");
        let doc = decode(&bytes).unwrap();
        assert_eq!(doc.text, "Café crème — naïve façade, déjà vu.");
        assert_eq!(doc.encoding, "windows-1252");
        let doc = decode("\u{FEFF}Hello".as_bytes()).unwrap();
        assert_eq!(
            (doc.text.as_str(), doc.encoding.as_str()),
            ("Hello", "UTF-8")
        );
        assert_eq!(doc.changes[0].rule, "byte-order-mark");
    }

    #[test]
    fn a_broken_byte_in_utf8_text_is_repaired_not_a_reason_to_guess_again() {
        let mut bytes = "Алматы — город. ".repeat(5).into_bytes();
        bytes.insert(10, 0xff);
        let doc = decode(&bytes).unwrap();
        assert_eq!(doc.encoding, "UTF-8");
        assert_eq!(doc.text.matches('\u{FFFD}').count(), 1);
        assert!(doc.changes.iter().any(|c| c.rule == "invalid-sequence"));
    }

    #[test]
    fn cyrillic_utf16_without_a_bom_is_read() {
        let text = "Жители пригорода Алматы протестуют против сноса домов, 2024 год.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
            let doc = decode(&bytes).unwrap();
            assert_eq!((doc.text.as_str(), doc.encoding.as_str()), (text, name));
        }
    }

    #[test]
    fn hygiene_records_line_endings_controls_and_nfc() {
        let doc = decode("a\r\nb\rc\u{0}\u{0}d e\u{301}\r\n".as_bytes()).unwrap();
        assert_eq!(doc.text, "a\nb\ncd é\n");
        let rules: Vec<_> = doc.changes.iter().map(|c| c.rule.as_ref()).collect();
        assert_eq!(
            rules,
            [
                "line-endings",
                "line-endings",
                "control-character",
                "unicode-nfc"
            ]
        );
        assert_eq!(
            (doc.changes[0].before.as_str(), doc.changes[0].count),
            ("\r\n", 2)
        );
        assert_eq!(
            (doc.changes[2].before.as_str(), doc.changes[2].at),
            ("\u{0}\u{0}", 6)
        );
        // NFC's line ("cd e\u{301}") starts at byte 4 of the edited text, 5 of the received one.
        assert_eq!(doc.changes[3].at, 5);
    }

    #[test]
    fn nfc_offsets_are_in_the_received_text_after_line_ending_edits() {
        for (input, at) in [
            ("a\r\nb\r\ne\u{301}", 6),      // line endings only
            ("a\r\nb\u{0}\r\ne\u{301}", 7), // a control too
            ("x\u{0}y\ne\u{301}", 4),       // a control, no carriage return
        ] {
            let doc = decode(input.as_bytes()).unwrap();
            let nfc = doc
                .changes
                .iter()
                .find(|c| c.rule == "unicode-nfc")
                .unwrap();
            assert_eq!(nfc.at, at, "{input:?}");
            assert!(input[nfc.at..].starts_with("e\u{301}"), "{input:?}");
        }
    }

    /// The text and its decode changes as (rule, before, after, at).
    fn repaired(text: &str) -> (String, Vec<(String, String, String, usize)>) {
        let doc = decode(text.as_bytes()).unwrap();
        let changes = doc
            .changes
            .iter()
            .map(|c| {
                (
                    c.rule.to_string(),
                    c.before.to_string(),
                    c.after.to_string(),
                    c.at,
                )
            })
            .collect();
        (doc.text, changes)
    }

    #[test]
    fn utf8_read_as_latin1_is_decoded_where_its_c1_controls_would_be_removed() {
        let change = |rule: &str, before: &str, after: &str, at| {
            (rule.to_string(), before.to_string(), after.to_string(), at)
        };
        // ’ (E2 80 99) read as Latin-1 is â U+0080 U+0099; é (C3 A9) is Ã©, É (C3 89) Ã U+0089.
        let (text, changes) = repaired("Investor\u{e2}\u{80}\u{99}s \u{c3}\u{89}t\u{e9}");
        assert_eq!(text, "Investor’s Été");
        assert_eq!(
            changes,
            [
                change("mojibake-latin1", "\u{e2}\u{80}\u{99}", "’", 8),
                change("mojibake-latin1", "\u{c3}\u{89}", "É", 16)
            ]
        );
        // windows-1252 punctuation mixed with a byte it leaves undefined: ” is E2 80 9D.
        let (text, changes) = repaired("Better.\u{e2}\u{20ac}\u{9d} And");
        assert_eq!(text, "Better.” And");
        assert_eq!(
            changes,
            [change("mojibake-latin1", "\u{e2}\u{20ac}\u{9d}", "”", 7)]
        );
        // Adjacent repairs are one entry; a 4-byte character too (😀 F0 9F 98 80).
        let (text, changes) =
            repaired("\u{e2}\u{80}\u{9c}\u{f0}\u{9f}\u{98}\u{80}\u{e2}\u{80}\u{9d}");
        assert_eq!(text, "“😀”");
        assert_eq!(changes.len(), 1);
    }

    #[test]
    fn mojibake_without_c1_controls_or_not_a_whole_sequence_is_not_decodes_to_repair() {
        // Printable windows-1252 mojibake is the clean stage's; decode leaves it.
        assert_eq!(
            repaired("it\u{e2}\u{20ac}\u{2122}s").0,
            "it\u{e2}\u{20ac}\u{2122}s"
        );
        assert_eq!(repaired("caf\u{c3}\u{a9}").0, "caf\u{c3}\u{a9}");
        // A lead without all its continuations, or with one that is not: each C1 control alone.
        let (text, changes) = repaired("\u{e2}\u{80} and \u{e2}\u{80}x");
        assert_eq!(text, "\u{e2}€ and \u{e2}€x");
        assert!(changes.iter().all(|c| c.0 == "c1-cp1252"), "{changes:?}");
    }

    #[test]
    fn a_lone_c1_control_is_its_windows_1252_character_and_an_undefined_one_goes() {
        let (text, changes) = repaired("it\u{92}s \u{95} one\u{85} \u{9d}two");
        assert_eq!(text, "it’s • one… two");
        let rules: Vec<&str> = changes.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(
            rules,
            ["c1-cp1252", "c1-cp1252", "c1-cp1252", "control-character"]
        );
        assert_eq!(
            (changes[0].1.as_str(), changes[0].2.as_str()),
            ("\u{92}", "’")
        );
    }

    #[test]
    fn rejects_name_their_reason() {
        let reason = |b: &[u8]| decode(b).unwrap_err().reason;
        assert_eq!(reason(b""), RejectReason::Empty);
        assert_eq!(reason(b" \n\t\r\n "), RejectReason::WhitespaceOnly);
        assert_eq!(reason(b"\x89PNG\r\n\x1a\nrest"), RejectReason::NotText);
        assert_eq!(reason(b"PK\x03\x04zip"), RejectReason::NotText);
        let soup: Vec<u8> = (0..2000u32).map(|i| (i % 7) as u8 + 1).collect();
        assert_eq!(reason(&soup), RejectReason::Binary);
    }

    #[test]
    fn a_text_line_over_the_limit_is_too_large_but_html_is_exempt() {
        let config = DecodeConfig {
            max_line_bytes: 10,
            ..DecodeConfig::default()
        };
        let decode = Decode::new(&config);
        let ok = decode.apply(&raw(b"short\r\nlines\rhere\n0123456789"));
        assert!(ok.is_ok(), "{ok:?}");
        let reject = decode.apply(&raw(b"short\n0123456789AB\nend")).unwrap_err();
        assert_eq!(reject.reason, RejectReason::TooLarge);
        assert_eq!(
            reject.detail,
            "a line of 12 bytes at byte 6; the limit is 10 (decode.max_line_bytes)"
        );
        let mut page = raw(b"<p>one long minified line of markup</p>");
        page.extension = Some("html".into());
        assert_eq!(decode.apply(&page).unwrap().format, Format::Html);
    }

    #[test]
    fn html_is_recognised_by_extension_or_content() {
        let doc = decode(b"<!DOCTYPE html><p>x</p>").unwrap();
        assert_eq!(doc.format, Format::Html);
        let doc = decode(b"Text that mentions <html> once.").unwrap();
        assert_eq!(doc.format, Format::Text);
        let mut r = raw(b"<p>fragment</p>");
        r.extension = Some("html".into());
        let doc = Decode::new(&DecodeConfig::default()).apply(&r).unwrap();
        assert_eq!(doc.format, Format::Html);
    }
}
