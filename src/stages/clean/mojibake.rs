//! Repair of UTF-8 that was decoded as windows-1252 somewhere upstream ("Almatyâ€™s" → "Almaty’s").
//!
//! Conservative: a run is repaired only when its characters map back to windows-1252 bytes that form
//! one complete, valid UTF-8 sequence of a printable character. Anything else is left as it is.

/// The windows-1252 byte a character came from, for the characters mojibake is made of.
fn cp1252_byte(c: char) -> Option<u8> {
    let b = match c {
        '\u{A0}'..='\u{FF}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        // Bytes windows-1252 leaves undefined decode to the C1 controls of the same value.
        '\u{81}' | '\u{8D}' | '\u{8F}' | '\u{90}' | '\u{9D}' => c as u32 as u8,
        _ => return None,
    };
    Some(b)
}

/// How many continuation bytes a UTF-8 lead byte announces (only leads of 2-4 byte sequences).
fn continuation_count(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(1),
        0xE0..=0xEF => Some(2),
        0xF0..=0xF4 => Some(3),
        _ => None,
    }
}

/// One repair: `before` at byte `at` of the input became `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub at: usize,
    pub before: String,
    pub after: String,
}

/// The repaired text and its repairs (adjacent ones merged), or `None` when nothing needed repair.
pub fn repair(text: &str) -> Option<(String, Vec<Repair>)> {
    // Look for a sequence that decodes before building anything: most text has none, and text
    // with accented letters has their 0xC3 bytes too (é is C3 A9).
    if !could_repair(text) {
        return None;
    }
    repair_all(text)
}

/// [`repair`] without its quick checks: the walk over every character.
fn repair_all(text: &str) -> Option<(String, Vec<Repair>)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    let mut repairs: Vec<Repair> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        match decode_sequence(&chars[i..]) {
            Some((fixed, used)) => {
                let end = chars.get(i + used).map_or(text.len(), |&(e, _)| e);
                let before = &text[at..end];
                match repairs.last_mut() {
                    Some(last) if last.at + last.before.len() == at => {
                        last.before.push_str(before);
                        last.after.push(fixed);
                    }
                    _ => repairs.push(Repair {
                        at,
                        before: before.to_string(),
                        after: fixed.to_string(),
                    }),
                }
                out.push(fixed);
                i += used;
            }
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    (!repairs.is_empty()).then_some((out, repairs))
}

/// Whether a mojibake sequence starts anywhere in `text`: exactly when [`repair`] repairs
/// something, since its walk either reaches such a start or repairs a sequence covering it. A
/// sequence's lead is U+00C2..U+00F4, in UTF-8 `C3 82`..`C3 B4`.
fn could_repair(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xC3, bytes).any(|i| {
        bytes.get(i + 1).is_some_and(|b| (0x82..=0xB4).contains(b))
            && decode_chars(text[i..].chars()).is_some()
    })
}

/// The character a mojibake sequence at the start of `chars` stands for, and how many chars it spans.
fn decode_sequence(chars: &[(usize, char)]) -> Option<(char, usize)> {
    decode_chars(chars.iter().map(|&(_, c)| c))
}

/// As [`decode_sequence`], reading the chars from an iterator.
fn decode_chars(mut chars: impl Iterator<Item = char>) -> Option<(char, usize)> {
    let lead = cp1252_byte(chars.next()?)?;
    let n = continuation_count(lead)?;
    let mut bytes = [lead, 0, 0, 0];
    for slot in bytes[1..=n].iter_mut() {
        let b = cp1252_byte(chars.next()?)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        *slot = b;
    }
    let decoded = std::str::from_utf8(&bytes[..=n]).ok()?;
    let c = decoded.chars().next()?;
    (!c.is_control()).then_some((c, n + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_curly_quotes_and_records_where() {
        let (fixed, repairs) = repair("Almatyâ€™s mayor said â€œnoâ€\u{9D}").unwrap();
        assert_eq!(fixed, "Almaty’s mayor said “no”");
        assert_eq!(repairs[0].at, 6);
        assert_eq!(repairs[0].before, "â€™");
        assert_eq!(repairs[0].after, "’");
        assert_eq!(repairs.len(), 3);
    }

    #[test]
    fn repairs_latin_and_cyrillic() {
        assert_eq!(repair("cafÃ©").unwrap().0, "café");
        assert_eq!(repair("ÐŸÑ€Ð¸Ð²ÐµÑ‚").unwrap().0, "Привет");
        let (fixed, repairs) = repair("ÐŸÑ€Ð¸").unwrap();
        assert_eq!(fixed, "При");
        assert_eq!(repairs.len(), 1, "adjacent repairs are one entry");
    }

    proptest::proptest! {
        #[test]
        fn the_quick_check_says_yes_exactly_when_something_is_repaired(
            s in "([a-z é’“”€âÃÂ©™ŸÐÑ\u{9D}\u{81}‰]|\\PC){0,24}"
        ) {
            proptest::prop_assert_eq!(could_repair(&s), repair_all(&s).is_some());
        }
    }

    #[test]
    fn leaves_real_text_alone() {
        for ok in [
            "Almaty’s mayor",
            "café crème à la façon",
            "Ärger über Öl",
            "Ã alone at the end Ã",
            "São Paulo — “quoted”",
            "Привет, мир",
            "ÃŸ‰", // 0xC3 0x9F is ß, but ‰ makes it a longer run: only the pair is decoded
        ] {
            if ok == "ÃŸ‰" {
                assert_eq!(repair(ok).unwrap().0, "ß‰");
                continue;
            }
            assert_eq!(repair(ok), None, "{ok}");
        }
    }
}
