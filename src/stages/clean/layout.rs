//! Layout repair: the kept lines become paragraphs separated by exactly one blank line.
//! Hard-wrapped lines are joined; a paragraph broken mid-sentence is rejoined to the next one;
//! mojibake is repaired line by line. Every edit to the text's white space is recorded.

use std::borrow::Cow;

use super::{CleanConfig, Line, State, mojibake};
use crate::document::ChangeLog;

const UNWRAP: &str = "layout-unwrap";
const REJOIN: &str = "layout-rejoin";
const BLANK_LINES: &str = "layout-blank-lines";
const TRIM: &str = "layout-trim";
const MOJIBAKE: &str = "mojibake-cp1252";

/// `unwrap`: join hard-wrapped lines (plain text only: in extracted HTML a line break is structure).
pub fn assemble(
    src: &str,
    lines: &[Line],
    config: &CleanConfig,
    unwrap: bool,
    log: &mut ChangeLog,
) -> String {
    let paragraphs = paragraphs(lines);
    // Every mojibake lead (Â..ô) is 0xC3 0x82..0xB4 in UTF-8: one scan of the text rules most out
    // (memchr's vectorised scan; a slice's `contains` reads a word at a time).
    let repair = config.repair_mojibake && memchr::memchr(0xC3, src.as_bytes()).is_some();
    let mut out = String::with_capacity(src.len());
    let mut prev_end: Option<(usize, usize)> = None; // (last line index, its end offset)
    for (k, para) in paragraphs.iter().enumerate() {
        let first = &lines[para.0];
        if let Some((prev_line, end)) = prev_end {
            let (at, gap, clean_gap) = white_gap(src, end, first.start);
            let clean_gap = clean_gap && all_blank(lines, prev_line + 1, para.0);
            let tail = lines[prev_line].text(src);
            if is_broken_sentence(tail, first.text(src)) {
                // Across a removed line only the break is this rule's: the line has its own change.
                log.add_fixed(REJOIN, gap, " ", at);
                out.push(' ');
            } else {
                if clean_gap && gap != "\n\n" {
                    log.add_fixed(BLANK_LINES, gap, "\n\n", at);
                }
                out.push_str("\n\n");
            }
        } else if first.start > 0
            && all_blank(lines, 0, para.0)
            && src[..first.start].trim().is_empty()
        {
            log.add_fixed(TRIM, &src[..first.start], "", 0);
        }
        push_paragraph(src, lines, *para, (config, unwrap, repair), log, &mut out);
        prev_end = Some((para.1, lines[para.1].end));
        if k + 1 == paragraphs.len() && all_blank(lines, para.1 + 1, lines.len()) {
            let rest = &src[lines[para.1].end..];
            if !rest.is_empty() && rest.trim().is_empty() {
                log.add_fixed(TRIM, rest, "", lines[para.1].end);
            }
        }
    }
    out
}

/// Runs of kept lines with nothing (no blank, no removed line) between them: (first, last) index.
fn paragraphs(lines: &[Line]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        match (line.is_kept(), open) {
            (true, None) => open = Some(i),
            (false, Some(first)) => {
                out.push((first, i - 1));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(first) = open {
        out.push((first, lines.len() - 1));
    }
    out
}

/// The white space between two kept lines: its offset, its text and whether that is the whole
/// gap. When a cut caption sits in the gap (its removal recorded already), just the line break.
fn white_gap(src: &str, from: usize, to: usize) -> (usize, &str, bool) {
    let gap = &src[from..to];
    if gap.trim().is_empty() {
        return (from, gap, true);
    }
    // Two source lines are always apart by a line break; without one there is no white to keep.
    match gap.find('\n') {
        Some(newline) => (from + newline, &gap[newline..=newline], false),
        None => (from, "", false),
    }
}

fn all_blank(lines: &[Line], from: usize, to: usize) -> bool {
    lines[from..to].iter().all(|l| l.state == State::Blank)
}

fn push_paragraph(
    src: &str,
    lines: &[Line],
    (first, last): (usize, usize),
    (config, unwrap, repair): (&CleanConfig, bool, bool),
    log: &mut ChangeLog,
    out: &mut String,
) {
    let width = if unwrap && last > first {
        lines[first..=last]
            .iter()
            .map(|l| l.text(src).chars().count())
            .max()
            .unwrap_or(0)
    } else {
        0
    };
    for i in first..=last {
        if i > first {
            let (a, b) = (&lines[i - 1], &lines[i]);
            let (at, gap, clean_gap) = white_gap(src, a.end, b.start);
            if is_wrapped(a.text(src), b.text(src), width, config.wrap_min_width) {
                log.add_fixed(UNWRAP, gap, " ", at);
                out.push(' ');
            } else {
                if clean_gap && gap != "\n" {
                    log.add_fixed(TRIM, gap, "\n", at);
                }
                out.push('\n');
            }
        }
        let text = lines[i].text(src);
        if repair {
            out.push_str(&repaired(text, lines[i].start, log));
        } else {
            out.push_str(text);
        }
    }
}

fn repaired<'a>(text: &'a str, at: usize, log: &mut ChangeLog) -> Cow<'a, str> {
    match mojibake::repair(text) {
        Some((fixed, repairs)) => {
            for r in repairs {
                log.add_fixed(MOJIBAKE, &r.before, &r.after, at + r.at);
            }
            Cow::Owned(fixed)
        }
        None => Cow::Borrowed(text),
    }
}

/// Line `a` was broken by a hard wrap: it fills most of the paragraph's width, or the next line's
/// first word would not have fitted on it. Short lines (headings, addresses), lines ending in ':'
/// and list items or "Label:" lines are intentional breaks.
fn is_wrapped(a: &str, b: &str, width: usize, min_width: usize) -> bool {
    if width < min_width || a.ends_with(':') || starts_item(b) {
        return false;
    }
    let len = a.chars().count();
    let next_word = b.split_whitespace().next().map_or(0, |w| w.chars().count());
    // Text edited after it was wrapped (a word respelled) leaves lines a little short: 80% is full.
    len * 5 >= width * 4 || len + 1 + next_word > width
}

/// A list item, or a short "Label:" line such as "Tel: +7 327 …".
fn starts_item(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    let bullet = matches!(first, "-" | "*" | "•" | "–" | "—" | "·" | ">");
    let numbered = first.len() <= 4
        && first.ends_with(['.', ')'])
        && first[..first.len() - 1].chars().all(|c| c.is_ascii_digit())
        && first.len() > 1;
    let label = first.ends_with(':') && first.chars().count() <= 15;
    bullet || numbered || label
}

/// A paragraph that stops mid-sentence (no end punctuation) before one that starts in lower case.
fn is_broken_sentence(tail: &str, next: &str) -> bool {
    let ends_open = tail
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == ',');
    let continues = next.chars().next().is_some_and(char::is_lowercase);
    ends_open && continues && tail.split_whitespace().count() >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_are_those_whose_next_word_would_not_fit() {
        assert!(is_wrapped(
            "AT 10.30am on 5 April, a battalion of police, backed up by ‘rapid",
            "response’ riot",
            70,
            40
        ));
        assert!(is_wrapped(
            "Surrounding several quarters, and with bulldozers, the police",
            "attempted to",
            71,
            40
        ));
        assert!(!is_wrapped(
            "Protesters flood to Shanyrak",
            "WHEN THE bulldozers",
            70,
            40
        ));
        assert!(!is_wrapped(
            "The Office of the Mayor of Almata, Imangali Tasmagambetov",
            "Tel: +7 327 271 6557",
            57,
            40
        ));
        assert!(!is_wrapped("Tel: +7 327", "Fax: +7", 20, 40));
        assert!(!is_wrapped("should be sent to:", "The Office", 18, 10));
        assert!(!is_wrapped(
            "These are the items we need for the trip",
            "- boots",
            40,
            40
        ));
    }

    #[test]
    fn broken_sentences_need_an_open_end_and_a_lower_case_start() {
        assert!(is_broken_sentence(
            "large numbers of these suburban",
            "residents, and that"
        ));
        assert!(!is_broken_sentence("The campaign continues.", "and more"));
        assert!(!is_broken_sentence(
            "The campaign continues",
            "Protests against"
        ));
        assert!(!is_broken_sentence("Short", "lower"));
    }
}
