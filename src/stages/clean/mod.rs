//! Clean stage: web boilerplate out, metadata lines into fields, mojibake repaired, layout rebuilt.
//!
//! The document is handled as lines that keep their byte range in the text the stage received, so
//! every removal, cut and join is recorded with its exact offset there. Rules come from
//! `config/boilerplate.toml` ([`rules`]); captions, the headline and the layout are detected here.

mod captions;
mod dates;
mod layout;
mod mojibake;
mod rules;

use serde::{Deserialize, Serialize};

use crate::config::RuleSource;
use crate::document::{Change, ChangeLog, Document, Format, Reject};
use crate::error::ConfigError;
use crate::stages::Stage;

use captions::Captions;
use rules::{Field, Kind, Rule, RuleBook, Scope};

const STAGE: &str = "clean";

/// The `[clean]` section of `pipeline.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CleanConfig {
    /// Rules scoped `head` apply to the first this many non-blank lines.
    pub head_lines: usize,
    /// Rules scoped `tail` apply to the last this many non-blank lines.
    pub tail_lines: usize,
    /// A plain-text document's first line is its title only when at most this many characters.
    pub title_max_chars: usize,
    /// A short phrase with a number is an image caption when it recurs with this many numbers.
    pub caption_min_repeats: usize,
    /// Fewest and most words in a caption phrase ("kazakhstan land reforms" is 3).
    pub caption_min_words: usize,
    pub caption_max_words: usize,
    /// Lines are joined as hard-wrapped only in paragraphs at least this wide (in characters).
    pub wrap_min_width: usize,
    /// Repair UTF-8 that was decoded as windows-1252 upstream ("â€™" → "’").
    pub repair_mojibake: bool,
    /// Most changes of one rule recorded per document; the rest are counted in the last entry.
    pub max_changes_per_rule: usize,
}

impl Default for CleanConfig {
    fn default() -> Self {
        CleanConfig {
            head_lines: 10,
            tail_lines: 40,
            title_max_chars: 200,
            caption_min_repeats: 3,
            caption_min_words: 2,
            caption_max_words: 6,
            wrap_min_width: 40,
            repair_mojibake: true,
            max_changes_per_rule: 100,
        }
    }
}

pub struct Clean {
    config: CleanConfig,
    rules: RuleBook,
    captions: Captions,
}

impl Clean {
    pub fn new(config: &CleanConfig, rules: &RuleSource) -> Result<Self, ConfigError> {
        Ok(Clean {
            config: config.clone(),
            rules: RuleBook::parse(rules)?,
            captions: Captions::new(config),
        })
    }
}

impl Stage for Clean {
    fn name(&self) -> &'static str {
        "clean"
    }

    fn apply(&self, mut doc: Document) -> Result<Document, Reject> {
        let src = std::mem::take(&mut doc.text);
        let mut lines = split_lines(&src);
        let mut log = ChangeLog::new(STAGE, self.config.max_changes_per_rule);
        let mut fields = Vec::new();
        let span = Span::of(&lines, &self.config);
        self.apply_rules(&src, &mut lines, span, &mut doc, &mut log, &mut fields);
        self.captions.remove(&src, &mut lines, &mut log);
        self.lift_title(&src, &mut lines, span, &mut doc, &mut log, &mut fields);
        let unwrap = doc.format == Format::Text;
        doc.text = layout::assemble(&src, &lines, &self.config, unwrap, &mut log);
        let mut changes = log.into_changes();
        changes.extend(fields);
        changes.sort_by_key(|c| c.at);
        doc.changes.extend(changes);
        Ok(doc)
    }
}

/// A line of the received text: the byte range of its content (white space at both ends excluded)
/// and what the stage decided about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Blank,
    Kept,
    Removed,
}

impl Line {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }

    pub fn is_kept(&self) -> bool {
        self.state == State::Kept
    }
}

fn split_lines(src: &str) -> Vec<Line> {
    let mut lines = Vec::with_capacity(src.len() / 64 + 1);
    let mut offset = 0;
    // `src.split('\n')`, with memchr's vectorised search rather than `str`'s generic one.
    let ends = memchr::memchr_iter(b'\n', src.as_bytes()).chain(std::iter::once(src.len()));
    for newline in ends {
        let raw = &src[offset..newline];
        let trimmed_start = raw.trim_start();
        let start = offset + (raw.len() - trimmed_start.len());
        let end = start + trimmed_start.trim_end().len();
        let state = if start == end {
            State::Blank
        } else {
            State::Kept
        };
        lines.push(Line { start, end, state });
        offset = newline + 1;
    }
    lines
}

/// Which line indices count as the head and the tail of a document: the head is the lines before
/// `head_end`, the tail those from `tail_start` on (0 lines of either: none).
#[derive(Debug, Clone, Copy)]
struct Span {
    head_end: usize,
    tail_start: usize,
}

impl Span {
    fn of(lines: &[Line], config: &CleanConfig) -> Span {
        let non_blank = || lines.iter().enumerate().filter(|(_, l)| l.is_kept());
        let head_end = match config.head_lines {
            0 => 0,
            n => non_blank().nth(n - 1).map_or(lines.len(), |(i, _)| i + 1),
        };
        let tail_start = match config.tail_lines {
            0 => lines.len(),
            n => non_blank().rev().nth(n - 1).map_or(0, |(i, _)| i),
        };
        Span {
            head_end,
            tail_start,
        }
    }

    fn admits(&self, scope: Scope, i: usize) -> bool {
        match scope {
            Scope::Anywhere => true,
            Scope::Head => i < self.head_end,
            Scope::Tail => i >= self.tail_start,
        }
    }
}

impl Clean {
    /// Runs the rule book over every line: removals, blocks, cuts and metadata.
    fn apply_rules(
        &self,
        src: &str,
        lines: &mut [Line],
        span: Span,
        doc: &mut Document,
        log: &mut ChangeLog,
        fields: &mut Vec<Change>,
    ) {
        let mut pending = Vec::new();
        for i in 0..lines.len() {
            if !lines[i].is_kept() {
                continue;
            }
            let text = strip_bullet(lines[i].text(src));
            let hit = self
                .rules
                .start_matches(text)
                .into_iter()
                .find(|&r| span.admits(self.rules.rules[r].scope, i));
            if let Some(r) = hit {
                let rule = &self.rules.rules[r];
                if rule.needs_neighbour {
                    pending.push((i, r));
                    continue;
                }
                match rule.kind {
                    Kind::Block => {
                        remove_block(src, &mut lines[i..], &rule.id, log);
                        break;
                    }
                    Kind::Meta => {
                        let repair = self.config.repair_mojibake;
                        lift_meta(src, &mut lines[i], rule, doc, log, fields, repair)
                    }
                    Kind::CutPrefix => cut_prefix(src, &mut lines[i], rule, log),
                    _ => remove_line(src, &mut lines[i], &rule.id, log),
                }
            }
            if lines[i].is_kept() {
                self.cut_suffixes(src, &mut lines[i], span, i, log);
            }
        }
        self.resolve_pending(src, lines, &pending, log);
    }

    /// A `needs_neighbour` line goes when the line before or after it (blank lines aside) is
    /// boilerplate too, removed or pending. One pass decides all: a pending line counts as
    /// boilerplate to its neighbours whether or not it goes itself.
    fn resolve_pending(
        &self,
        src: &str,
        lines: &mut [Line],
        pending: &[(usize, usize)],
        log: &mut ChangeLog,
    ) {
        let is_pending = |i: usize| pending.iter().any(|&(p, _)| p == i);
        let boilerplate = |lines: &[Line], i: Option<usize>| {
            i.is_some_and(|i| lines[i].state == State::Removed || is_pending(i))
        };
        for &(i, r) in pending {
            let prev = (0..i).rev().find(|&j| lines[j].state != State::Blank);
            let next = (i + 1..lines.len()).find(|&j| lines[j].state != State::Blank);
            if boilerplate(lines, prev) || boilerplate(lines, next) {
                remove_line(src, &mut lines[i], &self.rules.rules[r].id, log);
            }
        }
    }

    fn cut_suffixes(&self, src: &str, line: &mut Line, span: Span, i: usize, log: &mut ChangeLog) {
        let text = line.text(src);
        let Some((r, at)) = self.rules.suffix_match(text, |scope| span.admits(scope, i)) else {
            return;
        };
        let rule = &self.rules.rules[r];
        let keep = text[..at].trim_end();
        if keep.is_empty() {
            remove_line(src, line, &rule.id, log);
            return;
        }
        let cut_at = line.start + keep.len();
        log.add(&rule.id, &src[cut_at..line.end], "", cut_at);
        line.end = cut_at;
    }

    /// A plain-text document's headline becomes its title; repeated headline lines go.
    fn lift_title(
        &self,
        src: &str,
        lines: &mut [Line],
        span: Span,
        doc: &mut Document,
        log: &mut ChangeLog,
        fields: &mut Vec<Change>,
    ) {
        let Some(first) = lines.iter().position(Line::is_kept) else {
            return;
        };
        let has_more = lines[first + 1..].iter().any(Line::is_kept);
        let mut dedupe_from = first;
        if doc.format == Format::Text && doc.title.is_none() && has_more {
            let text = lines[first].text(src);
            if looks_like_headline(text, self.config.title_max_chars) {
                let title = tidy_field(text, self.config.repair_mojibake);
                remove_line(src, &mut lines[first], "title-headline", log);
                fields.push(field_change(
                    "title-headline",
                    &title,
                    "title",
                    lines[first].start,
                ));
                doc.title = Some(title);
                dedupe_from = first + 1;
            }
        }
        let Some(title) = doc.title.as_deref() else {
            return;
        };
        let key: String = headline_key(title).collect();
        // In HTML the first copy of the headline is the extractor's to keep; later copies go.
        let mut seen = doc.format == Format::Text;
        for i in dedupe_from..span.head_end.min(lines.len()) {
            let text = lines[i].text(src);
            // A repeat is about as long as the title: longer lines are never lower-cased.
            let near = text.len() <= title.len() * 2 + 16;
            // Compared as they are produced: most lines differ from the first letter on.
            if lines[i].is_kept() && near && headline_key(text).eq(key.chars()) {
                if seen {
                    remove_line(src, &mut lines[i], "title-duplicate", log);
                }
                seen = true;
            }
        }
    }
}

/// A list bullet before a widget ("* Click to share on …") does not hide it from the rules.
fn strip_bullet(text: &str) -> &str {
    match text.strip_prefix(['*', '-', '•', '·']) {
        Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim_start(),
        _ => text,
    }
}

fn remove_line(src: &str, line: &mut Line, rule: &str, log: &mut ChangeLog) {
    log.add(rule, line.text(src), "", line.start);
    line.state = State::Removed;
}

/// Removes `lines[0]` and everything after it as one change.
fn remove_block(src: &str, lines: &mut [Line], rule: &str, log: &mut ChangeLog) {
    let start = lines[0].start;
    let end = lines
        .iter()
        .rev()
        .find(|l| l.state != State::Blank)
        .map_or(lines[0].end, |l| l.end);
    log.add(rule, &src[start..end], "", start);
    for line in lines.iter_mut().filter(|l| l.state == State::Kept) {
        line.state = State::Removed;
    }
}

fn cut_prefix(src: &str, line: &mut Line, rule: &Rule, log: &mut ChangeLog) {
    let text = strip_bullet(line.text(src));
    let Some(m) = rule.regex().find(text) else {
        return;
    };
    let rest = text[m.end()..].trim_start();
    if rest.is_empty() {
        remove_line(src, line, &rule.id, log);
        return;
    }
    let new_start = line.end - rest.len();
    log.add(&rule.id, &src[line.start..new_start], "", line.start);
    line.start = new_start;
}

/// A metadata line goes; its value fills the field when the field is still unknown (mojibake in
/// it repaired when `repair`).
fn lift_meta(
    src: &str,
    line: &mut Line,
    rule: &Rule,
    doc: &mut Document,
    log: &mut ChangeLog,
    fields: &mut Vec<Change>,
    repair: bool,
) {
    let text = strip_bullet(line.text(src));
    let Some(value) = rule
        .regex()
        .captures(text)
        .and_then(|c| c.name("value"))
        .map(|m| m.as_str().trim())
    else {
        return;
    };
    let field = rule
        .field
        .expect("meta rules have a field (checked when parsed)");
    let value = match field {
        Field::Published => dates::to_iso(value),
        _ => Some(tidy_field(value, repair)).filter(|v| !v.is_empty()),
    };
    let at = line.start;
    remove_line(src, line, &rule.id, log);
    let slot = match field {
        Field::Title => &mut doc.title,
        Field::Author => &mut doc.author,
        Field::Url => &mut doc.url,
        Field::Published => &mut doc.published,
    };
    if let (None, Some(value)) = (slot.as_ref(), value) {
        fields.push(field_change(&rule.id, &value, field.name(), at));
        *slot = Some(value);
    }
}

fn field_change(rule: &str, value: &str, field: &str, at: usize) -> Change {
    Change::new(STAGE, rule.to_string(), "", value, at).in_field(field)
}

/// A field value: mojibake repaired (when `repair`), any white space (NBSP too) one plain space.
fn tidy_field(value: &str, repair: bool) -> String {
    let repaired = repair
        .then(|| mojibake::repair(value))
        .flatten()
        .map(|(s, _)| s);
    let value = repaired.as_deref().unwrap_or(value);
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Short, starts like a heading, no sentence punctuation at the end (a question of three words or
/// more is a headline too: "Who Owns the Steppe?").
fn looks_like_headline(line: &str, max_chars: usize) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    let words = line.split_whitespace().count();
    let starts_well = first.is_uppercase() || first.is_numeric() || "\"“«‘'".contains(first);
    let question = line.ends_with('?') && words >= 3;
    let ends_open = !line.ends_with(['.', ',', ';', ':', '!', '?', '…', '-', '—']) || question;
    starts_well && ends_open && line.chars().count() <= max_chars && words <= 30
}

/// Two headlines are the same when their letters and digits are, ignoring case.
fn headline_key(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
}

#[cfg(test)]
mod tests;
