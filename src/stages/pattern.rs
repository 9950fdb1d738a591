//! Regex patterns from rule files: checked when a file is read, compiled when first used.
//!
//! Compiling a pattern costs far more than checking it, and most rules of a file never need their
//! own compiled regex (a set of all of them answers which rule a line matches), so a run that
//! starts with a hundred rules pays only for the few it uses.

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};

/// The size limit each lazily compiled pattern gets: that of the clean stage's rule set, which
/// holds every start rule and compiled already, so such a rule always compiles alone; a list of
/// extract hints would need thousands of times the built-in words to come near it.
pub const SIZE_LIMIT: usize = 64 << 20;

/// Whether `pattern` is a valid regex, as [`Regex::new`] would say, without compiling it; the
/// error is the one `Regex::new` would give.
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    regex_syntax::Parser::new()
        .parse(pattern)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Whether the valid `pattern` has a capture group called `name`, without compiling it.
pub fn has_capture(pattern: &str, name: &str) -> bool {
    use regex_syntax::hir::{Hir, HirKind};
    fn walk(hir: &Hir, name: &str) -> bool {
        match hir.kind() {
            HirKind::Capture(c) => c.name.as_deref() == Some(name) || walk(&c.sub, name),
            HirKind::Repetition(r) => walk(&r.sub, name),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                subs.iter().any(|sub| walk(sub, name))
            }
            _ => false,
        }
    }
    regex_syntax::Parser::new()
        .parse(pattern)
        .is_ok_and(|hir| walk(&hir, name))
}

/// The bytes a match of `pattern` can end with, one flag per byte value; `None` when the pattern
/// can match the empty string (or does not parse). For an end-anchored rule, a line whose last
/// byte is not flagged has no match, and the regex need not be asked.
pub fn last_bytes(pattern: &str) -> Option<Box<[bool; 256]>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut set = Box::new([false; 256]);
    let nullable = add_last_bytes(&hir, &mut set);
    (!nullable).then_some(set)
}

/// Flags in `set` the bytes a match of `hir` can end with; returns whether it can be empty.
fn add_last_bytes(hir: &regex_syntax::hir::Hir, set: &mut [bool; 256]) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(literal) => {
            // A literal has at least one byte.
            literal.0.last().is_none_or(|&b| {
                set[b as usize] = true;
                false
            })
        }
        HirKind::Class(Class::Bytes(class)) => {
            for range in class.ranges() {
                set[range.start() as usize..=range.end() as usize].fill(true);
            }
            false
        }
        HirKind::Class(Class::Unicode(class)) => {
            for range in class.ranges() {
                add_last_utf8_bytes(range.start(), range.end(), set);
            }
            false
        }
        HirKind::Repetition(repetition) => {
            add_last_bytes(&repetition.sub, set) || repetition.min == 0
        }
        HirKind::Capture(capture) => add_last_bytes(&capture.sub, set),
        // The last part's last bytes, and the part's before it while those can be empty.
        HirKind::Concat(parts) => parts.iter().rev().all(|part| add_last_bytes(part, set)),
        HirKind::Alternation(branches) => branches.iter().fold(false, |nullable, branch| {
            add_last_bytes(branch, set) | nullable
        }),
    }
}

/// Flags the last UTF-8 byte of each character from `start` to `end`: each one's for a short
/// range, else every continuation byte.
fn add_last_utf8_bytes(start: char, end: char, set: &mut [bool; 256]) {
    let (start, end) = (start as u32, end as u32);
    for b in start..=end.min(0x7F) {
        set[b as usize] = true;
    }
    let wide = start.max(0x80);
    if wide > end {
        return;
    }
    if end - wide >= 256 {
        set[0x80..=0xBF].fill(true);
        return;
    }
    for c in (wide..=end).filter_map(char::from_u32) {
        let mut utf8 = [0; 4];
        let last = *c.encode_utf8(&mut utf8).as_bytes().last().expect("a byte");
        set[last as usize] = true;
    }
}

/// A checked pattern and its regex, compiled on first use (from any thread).
#[derive(Debug)]
pub struct LazyRegex {
    pattern: String,
    compiled: OnceLock<Regex>,
}

impl LazyRegex {
    /// `pattern` checked now, compiled later.
    pub fn new(pattern: String) -> Result<LazyRegex, String> {
        check_pattern(&pattern)?;
        Ok(LazyRegex {
            pattern,
            compiled: OnceLock::new(),
        })
    }

    /// `pattern` checked and compiled now: for a pattern nothing else proves to compile within
    /// [`SIZE_LIMIT`] (a user's file), so that one too large is an error at start-up, not a
    /// panic on the first document that needs it.
    pub fn compiled(pattern: String) -> Result<LazyRegex, String> {
        let lazy = LazyRegex::new(pattern)?;
        let regex = build(&lazy.pattern).map_err(|e| e.to_string())?;
        lazy.compiled.set(regex).expect("a new cell is empty");
        Ok(lazy)
    }

    pub fn get(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            build(&self.pattern).expect("a checked pattern within the size limit compiles")
        })
    }
}

fn build(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern).size_limit(SIZE_LIMIT).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// End-anchored patterns of many shapes: literals in any case, classes, optional and repeated
    /// tails, alternations with an empty branch, looks, bytes.
    const ENDINGS: &[&str] = &[
        r"(?i)(?:Continue reading|Read more|Читать далее)\s*(?:»|→|\.\.\.|…)$",
        r"(?i)(?:Share|Tweet|Email)$",
        r"(?:\d+ min read|--(?:\s*\d+)?)$",
        r"(?i)(?:Comments? \(\d+\)|Labels: .+)\s*:?$",
        r"(?:[а-яё]+|\p{Greek}{2,})$",
        r"(?:x|)$",
        r"(?i)(?:ab(?-u:\b))$",
        r"(?:[\x{80}-\x{10FFFF}])$",
        r"(?-u:[\x00-\x7F])$",
    ];

    proptest::proptest! {
        #[test]
        fn a_line_a_pattern_matches_ends_with_one_of_its_last_bytes(
            line in "(Read more|READ MORE|Share|share|Email|12 min read|-- 3|Labels: x|Comments (2)|лес|αβγ|x|AB|é|日|[ a-z.:»→…\u{80}-\u{FF}]){0,4}"
        ) {
            for pattern in ENDINGS {
                let regex = Regex::new(pattern).unwrap();
                if let Some(ends) = last_bytes(pattern)
                    && regex.is_match(&line)
                {
                    let last = *line.as_bytes().last().expect("a non-empty match");
                    proptest::prop_assert!(ends[last as usize], "{pattern} {line:?}");
                }
            }
        }
    }

    #[test]
    fn last_bytes_are_unknown_only_for_patterns_that_may_match_nothing() {
        assert!(last_bytes(r"(?:x|)$").is_none());
        assert!(last_bytes(r"(?:a*)$").is_none());
        let ends = last_bytes(ENDINGS[0]).unwrap();
        let flagged: Vec<usize> = (0..256).filter(|&b| ends[b]).collect();
        // `.`, and the last bytes of `»` (C2 BB), `→` (E2 86 92), `…` (E2 80 A6).
        assert_eq!(flagged, [0x2E, 0x92, 0xA6, 0xBB]);
    }

    #[test]
    fn the_check_gives_the_error_compiling_would() {
        for bad in [
            "(a",
            "a)",
            "[z-a]",
            r"\p{NoSuchClass}",
            "a{3,1}",
            r"(?-u)\xFF",
        ] {
            let compiled = Regex::new(bad).unwrap_err().to_string();
            assert_eq!(check_pattern(bad).unwrap_err(), compiled, "{bad}");
        }
        for good in [r"(?i)^read more\s*…$", r"\p{L}+", "(?P<value>.+?)$"] {
            assert!(check_pattern(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn capture_names_are_found_without_compiling() {
        for (pattern, expected) in [
            (r"(?i)^by (?P<value>\w+)$", true),
            (r"^(?:a|(?:b(?<value>c))+)$", true),
            (r"^(?P<other>x)(value)$", false),
            ("(unclosed", false),
        ] {
            assert_eq!(has_capture(pattern, "value"), expected, "{pattern}");
            if let Ok(regex) = Regex::new(pattern) {
                assert_eq!(regex.capture_names().any(|n| n == Some("value")), expected);
            }
        }
    }

    #[test]
    fn a_lazy_regex_matches_as_the_regex_does() {
        let lazy = LazyRegex::new(r"(?i)^by (?P<value>\w+)$".into()).unwrap();
        let caps = lazy.get().captures("By Aigerim").unwrap();
        assert_eq!(&caps["value"], "Aigerim");
        assert!(LazyRegex::new("(unclosed".into()).is_err());
    }

    #[test]
    fn a_pattern_compiled_now_is_refused_when_too_large() {
        let eager = LazyRegex::compiled(r"(?i)^by (?P<value>\w+)$".into()).unwrap();
        assert!(eager.get().is_match("by Aigerim"));
        // Valid syntax, but far past the size limit once compiled: an error now, no panic later.
        let huge = r"\w{1000}".repeat(20);
        assert!(check_pattern(&huge).is_ok());
        let err = LazyRegex::compiled(huge).unwrap_err();
        assert!(err.contains("size limit"), "{err}");
    }
}
