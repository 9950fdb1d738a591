//! Character-level helpers of the normaliser: case folding that keeps byte offsets, word
//! boundaries, the case shape of a match, and the contexts where nothing is ever replaced.

/// Characters that join the parts of a compound (`Alma-Ata`, `Alma Ata`, `Alma–Ata`).
pub const SEPARATORS: [char; 6] = ['-', '\u{2010}', '\u{2011}', '\u{2013}', ' ', '\u{a0}'];

/// One representative per UTF-8 length of the separators, after folding: `-` (1 byte, also
/// standing for a space), U+2010 (3 bytes: hyphen, non-breaking hyphen, en dash), NBSP (2 bytes).
pub const FOLDED_SEPARATORS: [char; 3] = ['-', '\u{2010}', '\u{a0}'];

pub fn is_separator(c: char) -> bool {
    SEPARATORS.contains(&c)
}

/// Folds one character for matching: lower case when that keeps the UTF-8 length, and separators
/// of one length to one representative. Keeping every length lets offsets in the folded text be
/// offsets in the original.
pub fn fold_char(c: char) -> char {
    match c {
        ' ' | '-' => '-',
        '\u{2010}' | '\u{2011}' | '\u{2013}' => '\u{2010}',
        c if c.is_ascii() => c.to_ascii_lowercase(),
        c => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        }
    }
}

/// `text` folded with [`fold_char`]; the result has the same length and char boundaries.
pub fn fold(text: &str) -> String {
    String::from_utf8(fold_bytes(text)).expect("folding keeps UTF-8 valid")
}

/// [`fold`] as bytes, for the matcher, which needs no `str` (nor the check that makes one).
pub fn fold_bytes(text: &str) -> Vec<u8> {
    // ASCII in one byte-wise pass (vectorised by the compiler); char-wise only where a
    // multi-byte character starts. Every fold keeps the UTF-8 length, so it is written in place.
    let mut bytes: Vec<u8> = text
        .as_bytes()
        .iter()
        .map(|&b| match b {
            b' ' => b'-',
            b'A'..=b'Z' => b | 0x20,
            _ => b,
        })
        .collect();
    let mut i = 0;
    while let Some(at) = crate::stages::ascii::next_non_ascii(text.as_bytes(), i) {
        let c = text[at..].chars().next().expect("a char starts here");
        let folded = fold_char(c);
        if folded != c {
            folded.encode_utf8(&mut bytes[at..at + c.len_utf8()]);
        }
        i = at + c.len_utf8();
    }
    bytes
}

/// A letter, digit, `_` or combining mark: what a whole-word match must not touch on either side.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || unicode_normalization::char::is_combining_mark(c)
}

/// Whether `text[start..end]` stands as whole words: no word character just before or after.
/// Apostrophes and hyphens are boundaries, so `Almata’s` and `Alma-Ata-based` match.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// How a matched word is capitalised, which decides how the canonical form is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseShape {
    /// Every letter upper case, at least two letters: `ALMA-ATA`.
    Upper,
    /// Every letter lower case: `alma-ata`.
    Lower,
    /// Anything else: `Alma-Ata`, `Alma-ata`.
    Mixed,
}

pub fn case_shape(word: &str) -> CaseShape {
    let letters = word.chars().filter(|c| c.is_alphabetic());
    let (mut upper, mut lower, mut total) = (0usize, 0usize, 0usize);
    for c in letters {
        total += 1;
        upper += usize::from(c.is_uppercase());
        lower += usize::from(c.is_lowercase());
    }
    if total >= 2 && upper == total {
        CaseShape::Upper
    } else if lower == total {
        CaseShape::Lower
    } else {
        CaseShape::Mixed
    }
}

/// How far to look for the token around a match; URLs longer than this are not seen whole, and a
/// text without spaces cannot make every match scan the whole text.
const TOKEN_REACH: usize = 512;

/// Whether `text[start..end]` sits inside a URL, an e-mail address, a hashtag or a mention, where a
/// replacement would break a link or a tag.
pub fn in_protected_context(text: &str, start: usize, end: usize) -> bool {
    let before = &text[floor_boundary(text, start.saturating_sub(TOKEN_REACH))..start];
    let after = &text[end..ceil_boundary(text, end + TOKEN_REACH)];
    let token_start = before.rfind(char::is_whitespace).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let token_end = after.find(char::is_whitespace).unwrap_or(after.len());
    let head = &before[token_start..];
    let tail = &after[..token_end];
    if head.ends_with(['#', '@']) {
        return true;
    }
    let token = [head, &text[start..end], tail].concat();
    if token.contains("://") || token.to_ascii_lowercase().contains("www.") || token.contains('@') {
        return true;
    }
    // A host name: the match glued by a dot to more letters (`almata.kz`, `news.almata`), or a
    // dotted name before a slash (`iwpr.net/…/kazak-shantytown`).
    let dotted_after = tail.strip_prefix('.').and_then(|t| t.chars().next());
    let dotted_before = head.strip_suffix('.').and_then(|h| h.chars().next_back());
    if dotted_after.is_some_and(char::is_alphanumeric)
        || dotted_before.is_some_and(char::is_alphanumeric)
    {
        return true;
    }
    token
        .find('/')
        .is_some_and(|slash| has_inner_dot(&token[..slash]))
}

/// A dot between two alphanumeric characters, as in a host name.
fn has_inner_dot(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars
        .windows(3)
        .any(|w| w[1] == '.' && w[0].is_alphanumeric() && w[2].is_alphanumeric())
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_length_and_boundaries() {
        for s in [
            "ALMA-ATA",
            "Алма-Ата",
            "Alma–Ata’s",
            "İstanbul KELVIN \u{212a}",
            "ẞ straße",
        ] {
            let f = fold(s);
            assert_eq!(f.len(), s.len(), "{s}");
            for (i, _) in s.char_indices() {
                assert!(f.is_char_boundary(i), "{s} at {i}");
            }
        }
        assert_eq!(fold("ALMA ATA"), "alma-ata");
        assert_eq!(fold("АЛМА–АТА"), "алма\u{2010}ата");
    }

    #[test]
    fn whole_words_allow_possessives_and_hyphens_but_not_letters() {
        let t = "Almata’s Almata-based Almatinka Kazakhs";
        assert!(is_whole_word(t, 0, 6));
        assert!(is_whole_word(t, 11, 17));
        assert!(!is_whole_word(t, 28, 33), "{}", &t[28..33]);
        let k = t.find("Kazakhs").unwrap();
        assert!(!is_whole_word(t, k, k + 5));
    }

    #[test]
    fn case_shapes() {
        assert_eq!(case_shape("ALMA-ATA"), CaseShape::Upper);
        assert_eq!(case_shape("alma-ata"), CaseShape::Lower);
        assert_eq!(case_shape("Alma-Ata"), CaseShape::Mixed);
        assert_eq!(case_shape("АЛМА-АТА"), CaseShape::Upper);
    }

    #[test]
    fn links_mails_and_tags_are_protected_contexts() {
        let at = |t: &str, w: &str| {
            let s = t.find(w).unwrap();
            in_protected_context(t, s, s + w.len())
        };
        assert!(at(
            "see <https://iwpr.net/police-kazak-shantytown> now",
            "kazak"
        ));
        assert!(at("see iwpr.net/police-kazak-shantytown now", "kazak"));
        assert!(at("write to almata@mail.kz", "almata"));
        assert!(at("tag #Almata today", "Almata"));
        assert!(at("follow @Almata", "Almata"));
        assert!(at("visit almata.kz", "almata"));
        assert!(at("visit www.Almata-news.com", "Almata"));
        assert!(!at("the city of Almata, and Almaty/Almata.", "Almata"));
        assert!(!at("Almaty/Almata.", "Almata"));
        assert!(!at("(Almata’s mayor)", "Almata"));
    }
}
