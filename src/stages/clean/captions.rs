//! Image-caption residue: a short phrase with a number that recurs through a document
//! ("kazakhstan land reforms 1" … "7"), alone on a line or glued to the start or end of a sentence.
//!
//! A phrase is a caption only when it recurs with `caption_min_repeats` different numbers, so a
//! heading such as "World War 2" or a sentence that happens to start with a number stays.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;

use super::{CleanConfig, Line, State};
use crate::document::ChangeLog;
use crate::stages::ascii::{is_letter, letter_masks, padded_block};

pub const RULE: &str = "caption-residue";

pub struct Captions {
    /// A phrase of letters-only words, then a number, at a line's start.
    lead: Regex,
    /// Most runs of white space before a lead's number: one after each of its words.
    max_gaps: usize,
    min_repeats: usize,
}

/// Where a caption sits in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Whole,
    Start,
    End,
}

struct Hit {
    line: usize,
    place: Place,
    /// Byte range of the caption in the source.
    start: usize,
    end: usize,
}

impl Captions {
    pub fn new(config: &CleanConfig) -> Captions {
        let more = config.caption_min_words.max(1) - 1;
        let most = config
            .caption_max_words
            .max(config.caption_min_words)
            .max(1)
            - 1;
        let word = r"\p{L}[\p{L}\p{M}'’-]*";
        let pattern = format!(
            r"^(?P<phrase>{word}(?:[ \u{{A0}}]+{word}){{{more},{most}}})[ \u{{A0}}]+(?P<num>\d{{1,3}})"
        );
        Captions {
            lead: Regex::new(&pattern).expect("caption pattern is valid"),
            max_gaps: most + 1,
            min_repeats: config.caption_min_repeats.max(2),
        }
    }

    pub fn remove(&self, src: &str, lines: &mut [Line], log: &mut ChangeLog) {
        let mut numbers: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        let mut hits: Vec<(String, Hit)> = Vec::new();
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.is_kept()) {
            if let Some((phrase, num, hit)) = self.at_start(src, line, i) {
                numbers.entry(phrase.clone()).or_default().insert(num);
                hits.push((phrase, hit));
            }
        }
        if numbers.is_empty() {
            return;
        }
        // Glued to a line's end ("regulations?kazakhstan land reforms 5"): only phrases already seen.
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.is_kept()) {
            if let Some((phrase, num, hit)) = at_end(src, line, i, &numbers) {
                numbers.entry(phrase.clone()).or_default().insert(num);
                hits.push((phrase, hit));
            }
        }
        hits.retain(|(phrase, _)| numbers[phrase].len() >= self.min_repeats);
        hits.sort_by_key(|(_, h)| h.start);
        for (_, hit) in hits {
            let line = &mut lines[hit.line];
            // A caption at both ends of one short line: the second cut may overlap the first.
            if !line.is_kept() || hit.start < line.start || hit.end > line.end {
                continue;
            }
            log.add_fixed(RULE, &src[hit.start..hit.end], "", hit.start);
            match hit.place {
                Place::Whole => line.state = State::Removed,
                Place::Start => line.start = hit.end,
                Place::End => line.end = hit.start,
            }
            if line.start >= line.end {
                line.state = State::Removed;
            }
        }
    }

    /// A caption filling the line, or glued to a capitalised word at its start ("… 1During").
    fn at_start(&self, src: &str, line: &Line, i: usize) -> Option<(String, u32, Hit)> {
        let text = line.text(src);
        // A yes/no answer runs on the fast engine and stops soonest; the match's parts are then
        // read off it, not captured (captures may need a slower engine): the number is what
        // follows its last space, the phrase what precedes that run of spaces.
        if !may_lead(text, self.max_gaps) || !self.lead.is_match(text) {
            return None;
        }
        let end = self.lead.find(text)?.end();
        let (phrase, num) = split_lead(&text[..end]);
        let rest = &text[end..];
        let place = if rest.is_empty() {
            Place::Whole
        } else if rest.chars().next().is_some_and(char::is_uppercase) {
            Place::Start
        } else {
            return None;
        };
        let num = num.parse().ok()?;
        let hit = Hit {
            line: i,
            place,
            start: line.start,
            end: line.start + end,
        };
        Some((phrase_key(phrase), num, hit))
    }
}

/// Whether the lead pattern may match `text`, told from its first words: `false` is sure. Most
/// lines are prose, ruled out at their first comma or full stop or seventh word without calling
/// the regex (whose set-up per call costs more than the bytes it reads).
///
/// Before its number's first digit (`\d`: an ASCII digit, or a character that is not ASCII), a
/// match holds only letters, marks, `'` `’` `-`, spaces and no-break spaces, in at most
/// `max_gaps` runs of white space, and it starts with a letter; the ASCII ones among them are
/// `A-Z` `a-z` `'` `-` and the space. So a line that starts with another ASCII byte, or that
/// reaches one (or its end, or one run of spaces too many) before any digit or non-ASCII byte,
/// has no match.
fn may_lead(text: &str, max_gaps: usize) -> bool {
    let bytes = text.as_bytes();
    if bytes.first().is_none_or(|&b| b.is_ascii() && !is_letter(b)) {
        return false;
    }
    let mut gaps = 0;
    let mut last_space: Option<usize> = None;
    let mut at = 0;
    // Letters are skipped 16 at a time, from their mask; the other bytes are looked at one by one.
    while at < bytes.len() {
        let (mut others, len) = non_letters(&bytes[at..]);
        while others != 0 {
            let i = at + others.trailing_zeros() as usize;
            others &= others - 1;
            match bytes[i] {
                b' ' => {
                    if last_space.is_none_or(|s| s + 1 != i) {
                        gaps += 1;
                        if gaps > max_gaps {
                            return false;
                        }
                    }
                    last_space = Some(i);
                }
                b'\'' | b'-' => {}
                b => return !b.is_ascii() || b.is_ascii_digit(),
            }
        }
        at += len;
    }
    false
}

/// Which of the first (up to) 16 bytes of `bytes` are not ASCII letters, one bit per byte, and
/// how many bytes that mask covers (a short tail is padded with letters, which set no bit).
fn non_letters(bytes: &[u8]) -> (u32, usize) {
    let (letters, _) = letter_masks(&padded_block(bytes, b'a'));
    (!letters & 0xFFFF, bytes.len().min(16))
}

/// A match of the lead pattern as its phrase and its number.
fn split_lead(lead: &str) -> (&str, &str) {
    let separator = |c| c == ' ' || c == '\u{A0}';
    let (phrase, num) = lead.rsplit_once(separator).unwrap_or(("", lead));
    (phrase.trim_end_matches(separator), num)
}

/// A known phrase and number at the end of a line, after a non-letter ("?", ".", a space).
fn at_end(
    src: &str,
    line: &Line,
    i: usize,
    known: &BTreeMap<String, BTreeSet<u32>>,
) -> Option<(String, u32, Hit)> {
    let text = line.text(src);
    let digits = text.len() - text.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let num = text[text.len() - digits..].parse().ok()?;
    let before_num = &text[..text.len() - digits];
    let phrase_end = before_num.trim_end_matches([' ', '\u{A0}']);
    if phrase_end.len() == before_num.len() {
        return None;
    }
    for phrase in known.keys() {
        let words = phrase.split(' ').count();
        let Some(phrase_start) = start_of_last_words(phrase_end, words) else {
            continue;
        };
        if phrase_key(&phrase_end[phrase_start..]) != *phrase || phrase_start == 0 {
            continue;
        }
        let glued_after = phrase_end[..phrase_start].chars().next_back();
        if glued_after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        // The cut takes the white space before the caption with it.
        let keep = phrase_end[..phrase_start].trim_end();
        let hit = Hit {
            line: i,
            place: Place::End,
            start: line.start + keep.len(),
            end: line.end,
        };
        return Some((phrase.clone(), num, hit));
    }
    None
}

/// Byte offset where the last `n` space-separated words of `s` begin.
fn start_of_last_words(s: &str, n: usize) -> Option<usize> {
    let mut seen = 0;
    let mut in_word = false;
    for (at, c) in s.char_indices().rev() {
        let space = c == ' ' || c == '\u{A0}';
        if !space && !in_word {
            in_word = true;
        } else if space && in_word {
            in_word = false;
            seen += 1;
            if seen == n {
                return Some(at + c.len_utf8());
            }
        }
        if !(space || c.is_alphabetic() || matches!(c, '\'' | '’' | '-')) {
            // Words of a caption are letters only: the phrase starts after this character.
            return (seen + 1 == n).then_some(at + c.len_utf8());
        }
    }
    (in_word && seen + 1 == n).then_some(0)
}

fn phrase_key(phrase: &str) -> String {
    phrase
        .split([' ', '\u{A0}'])
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_ruled_out_and_captions_are_not() {
        let gaps = Captions::new(&CleanConfig::default()).max_gaps;
        for caption in [
            "kazakhstan land reforms 3",
            "Kazakhstan  land reforms 12During the",
            "land reform’s sake 4",
            "land\u{A0}reforms 5",
            "земельная реформа 6",
        ] {
            assert!(may_lead(caption, gaps), "{caption}");
        }
        for prose in [
            "WHEN THE bulldozers moved in to Shanyrak, the press",
            "At the end, 5 more",
            "10 things",
            "one two three four five six seven eight 9",
            "no number at all",
            "",
        ] {
            assert!(!may_lead(prose, gaps), "{prose}");
        }
    }

    proptest::proptest! {
        #[test]
        fn a_line_the_lead_matches_may_lead(
            s in "[a-zA-Zé’' \u{A0}\u{300}-]{0,14}[ \u{A0}][0-9٣]{1,4}[ a-zA-Z.,]{0,3}|[a-zA-Z0-9 ,.’'\u{A0}-]{0,20}|.{0,20}"
        ) {
            let captions = Captions::new(&CleanConfig::default());
            if captions.lead.is_match(&s) {
                proptest::prop_assert!(may_lead(&s, captions.max_gaps), "{:?}", s);
            }
        }

        #[test]
        fn a_lead_splits_as_its_captures_do(
            s in "[a-zé’ \u{A0}-]{0,12}[ \u{A0}][0-9]{1,4}[ a-zA-Z]{0,3}"
        ) {
            let captions = Captions::new(&CleanConfig::default());
            if let Some(caps) = captions.lead.captures(&s) {
                let m = captions.lead.find(&s).unwrap();
                proptest::prop_assert_eq!(m.end(), caps.get(0).unwrap().end());
                proptest::prop_assert_eq!(split_lead(m.as_str()), (&caps["phrase"], &caps["num"]));
            }
        }
    }
}
