//! A bounded sample of a text, spread over its paragraphs, so a long document costs no more to
//! detect than `budget` bytes and a language that only starts on page two is still seen.

use crate::stages::ascii::{ascii_run_letters, is_alphabetic};

/// The paragraphs of `text`: `text.split("\n\n")`, with a vectorised search.
pub fn paragraphs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for at in memchr::memmem::find_iter(text.as_bytes(), b"\n\n") {
        // Matches do not overlap: "\n\n\n\n" is two separators, as for `split`.
        if at < start {
            continue;
        }
        out.push(&text[start..at]);
        start = at + 2;
    }
    out.push(&text[start..]);
    out
}

/// Pieces of `text` (whole paragraphs where they fit) totalling at most `budget` bytes, taken at
/// even strides through its `paragraphs`; the whole text when it fits.
pub fn spread<'a>(text: &'a str, paragraphs: &[&'a str], budget: usize) -> Vec<&'a str> {
    if text.len() <= budget {
        return vec![text];
    }
    let paragraphs: Vec<&str> = paragraphs
        .iter()
        .copied()
        .filter(|p| !p.trim().is_empty())
        .collect();
    let stride = text.len().div_ceil(budget).max(1);
    let mut left = budget;
    let mut pieces = Vec::new();
    // Several passes with shifted starts, so budget left by short paragraphs is still used.
    for start in 0..stride {
        for paragraph in paragraphs.iter().skip(start).step_by(stride) {
            if left == 0 {
                return pieces;
            }
            let piece = prefix(paragraph, left);
            left -= piece.len();
            if !piece.is_empty() {
                pieces.push(piece);
            }
        }
    }
    pieces
}

/// The `paragraphs` with at least `min_letters` letters, at most `max` of them: all of them in
/// order when there are no more, else `max` taken at even strides from beginning to end.
pub fn long_paragraphs<'a>(paragraphs: &[&'a str], min_letters: usize, max: usize) -> Vec<&'a str> {
    let long: Vec<&str> = paragraphs
        .iter()
        .copied()
        .filter(|p| has_letters(p, min_letters))
        .collect();
    if long.len() <= max {
        return long;
    }
    // The i-th of `max` picks is paragraph ⌊i·n/max⌋: the first is first, the spacing even.
    (0..max).map(|i| long[i * long.len() / max]).collect()
}

/// Whether `s` has at least `n` letters (alphabetic characters), reading no further than needed.
fn has_letters(s: &str, n: usize) -> bool {
    if s.len() < n {
        return false;
    }
    let bytes = s.as_bytes();
    let mut letters = 0;
    let mut i = 0;
    while letters < n && i < bytes.len() {
        // ASCII 16 bytes at a time, its letters counted from a mask, up to the next wide byte.
        if let Some(block) = bytes.get(i..i + 16) {
            let (ascii_letters, run) = ascii_run_letters(block.try_into().expect("16 bytes"));
            letters += ascii_letters as usize;
            i += run;
            if run == 16 {
                continue;
            }
        }
        let c = s[i..].chars().next().expect("a character starts here");
        letters += is_alphabetic(c) as usize;
        i += c.len_utf8();
    }
    letters >= n
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn has_letters_is_counting_the_alphabetic_characters(
            s in "([a-zA-Z0-9 ,.]{0,20}[éжқ日’\u{300}]?){0,8}", n in 0usize..60
        ) {
            let expected = s.chars().filter(|c| c.is_alphabetic()).count() >= n;
            proptest::prop_assert_eq!(has_letters(&s, n), expected);
        }
    }

    #[test]
    fn a_short_text_is_its_own_sample() {
        assert_eq!(spread("a\n\nb", &paragraphs("a\n\nb"), 100), vec!["a\n\nb"]);
    }

    #[test]
    fn a_long_text_is_sampled_from_beginning_to_end_within_budget() {
        let paragraphs: Vec<String> = (0..100)
            .map(|i| format!("paragraph {i:03} ").repeat(5))
            .collect();
        let text = paragraphs.join("\n\n");
        let pieces = spread(&text, &super::paragraphs(&text), 2000);
        let total: usize = pieces.iter().map(|p| p.len()).sum();
        assert!(total <= 2000 && total > 1500, "{total}");
        assert!(pieces[0].starts_with("paragraph 000"));
        assert!(
            pieces.iter().any(|p| p.starts_with("paragraph 09")),
            "{pieces:?}"
        );
    }

    #[test]
    fn long_paragraphs_are_all_taken_in_order_or_spread_over_the_text() {
        let text = "short\n\nthe first long one\n\n12345 6789 0\n\nanother long one";
        assert_eq!(
            long_paragraphs(&paragraphs(text), 10, 32),
            ["the first long one", "another long one"]
        );
        let many: Vec<String> = (0..100).map(|i| format!("paragraph {i:03}")).collect();
        let text = many.join("\n\n");
        let picked = long_paragraphs(&paragraphs(&text), 9, 4);
        assert_eq!(
            picked,
            [
                "paragraph 000",
                "paragraph 025",
                "paragraph 050",
                "paragraph 075"
            ]
        );
    }

    #[test]
    fn paragraphs_are_what_split_gives() {
        for text in [
            "",
            "a",
            "\n\n",
            "a\n\nb",
            "a\n\n\nb",
            "a\n\n\n\nb\n\n",
            "\n\n\n",
            "x\ny\n\n\n\n\nz",
        ] {
            assert_eq!(
                paragraphs(text),
                text.split("\n\n").collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        let text = "қазақ ".repeat(1000);
        let pieces = spread(&text, &paragraphs(&text), 101);
        assert!(pieces.iter().map(|p| p.len()).sum::<usize>() <= 101);
    }
}
