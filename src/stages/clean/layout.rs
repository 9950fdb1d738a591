//! Layout repair: the kept lines become paragraphs separated by exactly one blank line.
//! Hard-wrapped lines are joined; a paragraph broken mid-sentence is rejoined to the next one;
//! mojibake is repaired line by line. Every edit to the text's white space is recorded.

use std::borrow::Cow;

use super::{CleanConfig, Line, mojibake};
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
    let recorded = recorded_ranges(log);
    let ctx = Context {
        config,
        unwrap,
        repair,
        recorded: &recorded,
    };
    let mut out = String::with_capacity(src.len());
    let mut prev: Option<usize> = None; // the last line of the previous paragraph
    for &para in &paragraphs {
        let first = &lines[para.0];
        let (from, rule, sep) = match prev {
            Some(p) if is_broken_sentence(lines[p].text(src), first.text(src)) => {
                (lines[p].end, REJOIN, " ")
            }
            Some(p) => (lines[p].end, BLANK_LINES, "\n\n"),
            None => (0, TRIM, ""),
        };
        account_gap(src, (from, first.start), &recorded, (rule, sep), log);
        out.push_str(sep);
        push_paragraph(src, lines, para, &ctx, log, &mut out);
        prev = Some(para.1);
    }
    let end = prev.map_or(0, |p| lines[p].end);
    account_gap(src, (end, src.len()), &recorded, (TRIM, ""), log);
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

/// What the rules before layout removed and recorded, as sorted, merged byte ranges: the gaps
/// between kept lines are those ranges and the white space around them.
fn recorded_ranges(log: &ChangeLog) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = log.text_ranges().collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Records how `src[from..to]`, the text between two kept pieces, became `sep`. Recorded ranges
/// (removed lines, cuts) have their own changes. Of the white space left, a piece equal to `sep`
/// stays (else the first becomes `sep`) and the others go, so that the audit accounts for every
/// byte. What is left and is not white space is a removal past its rule's cap, counted there.
fn account_gap(
    src: &str,
    (from, to): (usize, usize),
    recorded: &[(usize, usize)],
    (rule, sep): (&'static str, &str),
    log: &mut ChangeLog,
) {
    let recorded = &recorded[recorded.partition_point(|&(_, end)| end <= from)..];
    // Most gaps hold no removal and are already `sep`, a line break between two lines.
    if recorded.first().is_none_or(|&(start, _)| start >= to) && &src[from..to] == sep {
        return;
    }
    let white =
        || unrecorded(src, (from, to), recorded).filter(|(_, piece)| piece.trim().is_empty());
    let keep = white().position(|(_, piece)| piece == sep).unwrap_or(0);
    let mut any_white = false;
    for (k, (at, piece)) in white().enumerate() {
        any_white = true;
        let after = if k == keep { sep } else { "" };
        if piece != after {
            log.add_fixed(rule, piece, after, at);
        }
    }
    // No white space outside the recorded ranges: the separator is new, unless what is left is
    // a removal past its rule's cap, whose count already stands for it.
    if !any_white && !sep.is_empty() && unrecorded(src, (from, to), recorded).next().is_none() {
        log.add_fixed(rule, "", sep, to);
    }
}

/// The pieces of `src[from..to]` outside the recorded ranges (none of which ends before `from`),
/// with their offsets.
fn unrecorded<'a>(
    src: &'a str,
    (from, to): (usize, usize),
    recorded: &'a [(usize, usize)],
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let mut ranges = recorded.iter();
    let mut cursor = from;
    std::iter::from_fn(move || {
        while cursor < to {
            let (start, end) = match ranges.next() {
                Some(&(start, end)) if start < to => (start.max(cursor), end),
                _ => (to, to),
            };
            let piece = (cursor, &src[cursor..start]);
            cursor = end;
            if !piece.1.is_empty() {
                return Some(piece);
            }
        }
        None
    })
}

/// What every paragraph of one document is assembled under.
struct Context<'a> {
    config: &'a CleanConfig,
    unwrap: bool,
    repair: bool,
    recorded: &'a [(usize, usize)],
}

fn push_paragraph(
    src: &str,
    lines: &[Line],
    (first, last): (usize, usize),
    ctx: &Context,
    log: &mut ChangeLog,
    out: &mut String,
) {
    let width = if ctx.unwrap && last > first {
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
            let wrapped = is_wrapped(a.text(src), b.text(src), width, ctx.config.wrap_min_width);
            let (rule, sep) = if wrapped { (UNWRAP, " ") } else { (TRIM, "\n") };
            account_gap(src, (a.end, b.start), ctx.recorded, (rule, sep), log);
            out.push_str(sep);
        }
        let text = lines[i].text(src);
        if ctx.repair {
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
