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
