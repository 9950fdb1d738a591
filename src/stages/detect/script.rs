//! The main script of a text, exactly as `whatlang::detect_script` decides it, in one cheap pass.
//!
//! whatlang tests every character against up to 25 scripts' ranges, even the ASCII letters that
//! make most of a Latin text, and allocates for its answer; the detect stage asks for the script
//! of every paragraph it checks. Here ASCII is a table lookup and other characters fall into the
//! same ranges (copied from whatlang 0.18's `scripts/chars.rs`, MIT). When whatlang's answer would
//! depend on the order it tests scripts in (two scripts tied for the most characters, or a
//! character that lies in two scripts' ranges), whatlang itself is asked, so the answer is always
//! its answer.

use whatlang::Script;

use crate::stages::ascii::{ascii_run_letters, is_letter};

/// The scripts whatlang counts, in the order it starts testing them.
const SCRIPTS: [Script; 25] = [
    Script::Latin,
    Script::Cyrillic,
    Script::Arabic,
    Script::Mandarin,
    Script::Devanagari,
    Script::Hebrew,
    Script::Ethiopic,
    Script::Georgian,
    Script::Bengali,
    Script::Hangul,
    Script::Hiragana,
    Script::Katakana,
    Script::Greek,
    Script::Kannada,
    Script::Tamil,
    Script::Thai,
    Script::Gujarati,
    Script::Gurmukhi,
    Script::Telugu,
    Script::Malayalam,
    Script::Oriya,
    Script::Myanmar,
    Script::Sinhala,
    Script::Khmer,
    Script::Armenian,
];

const LATIN: usize = 0;

/// What a character counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// No script (spaces, punctuation, digits, symbols outside every range).
    None,
    /// The script at this index of [`SCRIPTS`].
    Script(usize),
    /// In two scripts' ranges: whatlang counts it for whichever it tests first at that moment.
    Ambiguous,
}

/// The main script of `text` as `whatlang::detect_script(text)` gives it.
pub fn main_script(text: &str) -> Option<Script> {
    let mut counts = [0u32; SCRIPTS.len()];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII 16 bytes at a time, its letters counted from a mask, up to the next wide byte.
        while let Some(block) = bytes.get(i..i + 16) {
            let (letters, run) = ascii_run_letters(block.try_into().expect("16 bytes"));
            counts[LATIN] += letters;
            i += run;
            if run < 16 {
                break;
            }
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if b < 0x80 {
            counts[LATIN] += is_letter(b) as u32;
            i += 1;
            continue;
        }
        let ch = text[i..].chars().next().expect("a character starts here");
        i += ch.len_utf8();
        match class(ch) {
            Class::None => {}
            Class::Script(s) => counts[s] += 1,
            Class::Ambiguous => return whatlang::detect_script(text),
        }
    }
    let max = *counts.iter().max().expect("not empty");
    if max == 0 {
        return None;
    }
    let mut at_max = counts.iter().enumerate().filter(|&(_, &n)| n == max);
    let (best, _) = at_max.next().expect("the maximum is somewhere");
    if at_max.next().is_some() {
        // A tie: whatlang's order of scripts by then decides; ask it.
        return whatlang::detect_script(text);
    }
    Some(SCRIPTS[best])
}

/// The script of one non-ASCII character, by whatlang's ranges.
fn class(ch: char) -> Class {
    let c = ch as u32;
    let script = match c {
        // Latin (0x80..=0x24F and more below); U+1D2B and U+1D78 are Cyrillic too.
        0x1D2B | 0x1D78 => return Class::Ambiguous,
        0x0080..=0x02AF
        | 0x1D00..=0x1DBF
        | 0x1E00..=0x1EFF
        | 0x2100..=0x214F
        | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF
        | 0xAB30..=0xAB6F => Script::Latin,
        0x0400..=0x0484 | 0x0487..=0x052F | 0x2DE0..=0x2DFF | 0xA640..=0xA69D | 0xA69F => {
            Script::Cyrillic
        }
        0x0600..=0x06FF
        | 0x0750..=0x07FF
        | 0x08A0..=0x08FF
        | 0xFB50..=0xFDFF
        | 0xFE70..=0xFEFF
        | 0x10E60..=0x10E7F
        | 0x1EE00..=0x1EEFF => Script::Arabic,
        0x2E80..=0x2E99
        | 0x2E9B..=0x2EF3
        | 0x2F00..=0x2FD5
        | 0x3005
        | 0x3007
        | 0x3021..=0x3029
        | 0x3038..=0x303B
        | 0x3400..=0x4DB5
        | 0x4E00..=0x9FCC
        | 0xF900..=0xFA6D
        | 0xFA70..=0xFAD9 => Script::Mandarin,
        0x0900..=0x097F | 0xA8E0..=0xA8FF | 0x1CD0..=0x1CFF => Script::Devanagari,
        0x0590..=0x05FF => Script::Hebrew,
        0x1200..=0x139F | 0x2D80..=0x2DDF | 0xAB00..=0xAB2F => Script::Ethiopic,
        0x10A0..=0x10FF => Script::Georgian,
        0x0980..=0x09FF => Script::Bengali,
        0xAC00..=0xD7AF
        | 0x1100..=0x11FF
        | 0x3130..=0x318F
        | 0x3200..=0x32FF
        | 0xA960..=0xA97F
        | 0xD7B0..=0xD7FF
        | 0xFF00..=0xFFEF => Script::Hangul,
        0x3040..=0x309F => Script::Hiragana,
        0x30A0..=0x30FF => Script::Katakana,
        0x0370..=0x03FF => Script::Greek,
        0x0C80..=0x0CFF => Script::Kannada,
        0x0B80..=0x0BFF => Script::Tamil,
        0x0E00..=0x0E7F => Script::Thai,
        0x0A80..=0x0AFF => Script::Gujarati,
        0x0A00..=0x0A7F => Script::Gurmukhi,
        0x0C00..=0x0C7F => Script::Telugu,
        0x0D00..=0x0D7F => Script::Malayalam,
        0x0B00..=0x0B7F => Script::Oriya,
        0x1000..=0x109F => Script::Myanmar,
        0x0D80..=0x0DFF => Script::Sinhala,
        0x1780..=0x17FF | 0x19E0..=0x19FF => Script::Khmer,
        0x0530..=0x058F | 0xFB13..=0xFB17 => Script::Armenian,
        _ => return Class::None,
    };
    Class::Script(
        SCRIPTS
            .iter()
            .position(|&s| s == script)
            .expect("every script is listed"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_character_alone_gets_whatlangs_script() {
        for ch in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = ch.to_string();
            assert_eq!(
                main_script(&s),
                whatlang::detect_script(&s),
                "U+{:04X}",
                ch as u32
            );
        }
    }

    #[test]
    fn mixed_texts_get_whatlangs_script() {
        for text in [
            "",
            "123 !?",
            "Almaty is the largest city",
            "Алматы — крупнейший город",
            "Almaty Алматы",
            "ab аб",
            "Қала әкімдігі жаңа мектеп салуға уәде берді.",
            "ᴫ and ᵸ with Cyrillic жж and Latin ab",
            "水 and カタカナ and ひらがな",
            "The name Алма-Ата was used in Soviet times.",
        ] {
            assert_eq!(main_script(text), whatlang::detect_script(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn random_texts_get_whatlangs_script(
            parts in proptest::collection::vec(
                prop_oneof![
                    "[a-zA-Z ,.]{0,12}",
                    "[а-яА-ЯёқғұңөүһәіЁ ]{0,12}",
                    "[\\u{0080}-\\u{03FF}]{0,6}",
                    "[\\u{0590}-\\u{0700}\\u{3000}-\\u{3100}\\u{AC00}-\\u{AC10}]{0,6}",
                    any::<String>(),
                ],
                0..8,
            )
        ) {
            let text: String = parts.concat();
            prop_assert_eq!(main_script(&text), whatlang::detect_script(&text));
        }
    }
}
