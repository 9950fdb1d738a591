//! The boilerplate rule file (`config/boilerplate.toml`): its schema, and the rules compiled once
//! into one [`RegexSet`] so that each line is tested against every rule in a single pass.

use regex::{Regex, RegexSet, RegexSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::config::RuleSource;
use crate::error::{ConfigError, line_of};
use crate::stages::pattern::{LazyRegex, SIZE_LIMIT, has_capture, last_bytes};

/// What a rule does with the line it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The whole line equals `pattern` (a literal; runs of spaces match any white space).
    Line,
    /// The line starts with `pattern` (a literal), even glued to what follows: the line goes.
    Prefix,
    /// The line matches the regular expression `pattern`, anchored at the line's start.
    Regex,
    /// The line matches `pattern` (regex, anchored at the start): it and everything after it go.
    Block,
    /// The line is metadata: `pattern` (regex) captures `value` into `field`; the line goes.
    Meta,
    /// `pattern` (regex) glued at the start of a line is cut off; the rest of the line stays.
    CutPrefix,
    /// `pattern` (regex) glued at the end of a line is cut off; the rest of the line stays.
    CutSuffix,
}

/// Where in the document a rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    #[default]
    Anywhere,
    /// Among the first `head_lines` non-blank lines.
    Head,
    /// Among the last `tail_lines` non-blank lines.
    Tail,
}

/// A record field a `meta` rule fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Author,
    Url,
    Published,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Author => "author",
            Field::Url => "url",
            Field::Published => "published",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<Spanned<RuleEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    id: String,
    kind: Kind,
    pattern: String,
    #[serde(default)]
    scope: Scope,
    /// Only when the previous or next non-blank line is boilerplate too.
    #[serde(default)]
    needs_neighbour: bool,
    #[serde(default)]
    case_sensitive: bool,
    field: Option<Field>,
    #[serde(default)]
    #[allow(dead_code)] // documentation for people, kept so that the key is allowed
    comment: String,
}

/// One compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub kind: Kind,
    pub scope: Scope,
    pub needs_neighbour: bool,
    pub field: Option<Field>,
    /// The rule's own regex, for captures (`meta`) and match bounds (cut kinds); compiled when
    /// first needed, as whole-line rules never need it.
    regex: LazyRegex,
}

impl Rule {
    pub fn regex(&self) -> &Regex {
        self.regex.get()
    }
}

/// Every rule of a file, compiled: the line-start rules also in one set, tested in one pass.
#[derive(Debug)]
pub struct RuleBook {
    pub rules: Vec<Rule>,
    /// Rules tested from the line's start, indices into `rules` by position in `start_ids`.
    start_set: RegexSet,
    start_ids: Vec<usize>,
    suffix_ids: Vec<usize>,
    /// Per cut-suffix rule (as in `suffix_ids`), the bytes its match can end with, when known:
    /// the line's last byte rules most rules out without running their regex.
    suffix_last_bytes: Vec<Option<Box<[bool; 256]>>>,
}

impl RuleBook {
    pub fn parse(source: &RuleSource) -> Result<RuleBook, ConfigError> {
        let file: RuleFile = toml::from_str(&source.text)
            .map_err(|e| ConfigError::from_toml(&source.name, &source.text, &e))?;
        let mut rules = Vec::with_capacity(file.rule.len());
        let mut start_patterns = Vec::new();
        let mut start_ids = Vec::new();
        let mut suffix_ids = Vec::new();
        let mut suffix_last_bytes = Vec::new();
        for entry in &file.rule {
            let line = line_of(&source.text, entry.span().start);
            let fail = |msg: String| {
                ConfigError::new(&source.name, msg)
                    .at_line(Some(line))
                    .entry(entry.get_ref().id.clone())
            };
            let e = entry.get_ref();
            check_entry(e, &rules).map_err(fail)?;
            let pattern = anchored_pattern(e);
            // A cut-suffix rule is not in the start set, whose compiling proves the others fit
            // the size limit, and every line is tested against it anyway: compiled now.
            let regex = if e.kind == Kind::CutSuffix {
                LazyRegex::compiled(pattern.clone())
            } else {
                LazyRegex::new(pattern.clone())
            }
            .map_err(|err| fail(format!("bad pattern: {err}")))?;
            if e.kind == Kind::Meta && !has_capture(&pattern, "value") {
                return Err(fail(
                    "a meta rule's pattern needs a (?P<value>...) group".into(),
                ));
            }
            if e.kind == Kind::CutSuffix {
                suffix_ids.push(rules.len());
                suffix_last_bytes.push(last_bytes(&pattern));
            } else {
                start_patterns.push(pattern);
                start_ids.push(rules.len());
            }
            rules.push(Rule {
                id: e.id.clone(),
                kind: e.kind,
                scope: e.scope,
                needs_neighbour: e.needs_neighbour,
                field: e.field,
                regex,
            });
        }
        let start_set = RegexSetBuilder::new(&start_patterns)
            .size_limit(SIZE_LIMIT)
            .build()
            .map_err(|e| ConfigError::new(&source.name, format!("rules too large: {e}")))?;
        Ok(RuleBook {
            start_set,
            rules,
            start_ids,
            suffix_ids,
            suffix_last_bytes,
        })
    }

    /// Indices (into `rules`, in file order) of the start-anchored rules matching a trimmed line.
    pub fn start_matches(&self, line: &str) -> Vec<usize> {
        // Most lines match nothing, and a yes/no answer stops at the first byte that rules all out.
        if !self.start_set.is_match(line) {
            return Vec::new();
        }
        self.start_set
            .matches(line)
            .into_iter()
            .map(|i| self.start_ids[i])
            .collect()
    }

    /// The first `cut-suffix` rule (in file order) whose scope admits the line and that matches
    /// its end, with the match's start. Each is end-anchored, so the regex engine searches
    /// backwards from the line's end and reads only the suffix.
    pub fn suffix_match(
        &self,
        line: &str,
        admits: impl Fn(Scope) -> bool,
    ) -> Option<(usize, usize)> {
        let last = line.as_bytes().last();
        let ids = self.suffix_ids.iter().zip(&self.suffix_last_bytes);
        ids.into_iter().find_map(|(&r, ends)| {
            let rule = &self.rules[r];
            // A match ends at the line's end (a match that may be empty is looked for anyway).
            let may_end = ends
                .as_ref()
                .is_none_or(|ends| last.is_some_and(|&b| ends[b as usize]));
            if !may_end || !admits(rule.scope) {
                return None;
            }
            rule.regex().find(line).map(|m| (r, m.start()))
        })
    }
}

fn check_entry(e: &RuleEntry, earlier: &[Rule]) -> Result<(), String> {
    if e.id.trim().is_empty() {
        return Err("a rule needs a non-empty id".into());
    }
    if earlier.iter().any(|r| r.id == e.id) {
        return Err("duplicate rule id".into());
    }
    if e.pattern.trim().is_empty() {
        return Err("empty pattern".into());
    }
    // A pending line is later removed whole: only kinds that remove their line can wait for it.
    if e.needs_neighbour && !matches!(e.kind, Kind::Line | Kind::Prefix | Kind::Regex) {
        return Err("needs_neighbour is for line, prefix and regex rules only".into());
    }
    match (e.kind, e.field) {
        (Kind::Meta, None) => {
            Err("a meta rule needs a field (title, author, url, published)".into())
        }
        (Kind::Meta, Some(_)) | (_, None) => Ok(()),
        (_, Some(_)) => Err("only meta rules take a field".into()),
    }
}

/// The regex a rule compiles to: literals escaped (white space flexible), anchored where its kind
/// says, case-insensitive unless asked otherwise.
fn anchored_pattern(e: &RuleEntry) -> String {
    let body = match e.kind {
        Kind::Line | Kind::Prefix => e
            .pattern
            .split_whitespace()
            .map(regex::escape)
            .collect::<Vec<_>>()
            .join(r"\s+"),
        _ => e.pattern.clone(),
    };
    let flags = if e.case_sensitive { "" } else { "(?i)" };
    match e.kind {
        Kind::Line => format!(r"{flags}^(?:{body})$"),
        Kind::CutSuffix => format!(r"{flags}(?:{body})$"),
        _ => format!(r"{flags}^(?:{body})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(text: &str) -> Result<RuleBook, ConfigError> {
        RuleBook::parse(&RuleSource::named("b.toml", text))
    }

    #[test]
    fn the_built_in_rules_compile() {
        let b = book(crate::config::DEFAULT_BOILERPLATE_TOML).unwrap();
        assert!(b.rules.len() > 50, "{}", b.rules.len());
    }

    #[test]
    fn a_bad_regex_names_file_line_and_rule() {
        let err = book("[[rule]]\nid = \"ok\"\nkind = \"line\"\npattern = \"x\"\n\n[[rule]]\nid = \"broken\"\nkind = \"regex\"\npattern = \"(unclosed\"\n")
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("b.toml:6"), "{msg}");
        assert!(msg.contains("\"broken\""), "{msg}");
        assert!(msg.contains("bad pattern"), "{msg}");
    }

    #[test]
    fn a_cut_suffix_too_large_to_compile_is_an_error_naming_its_rule() {
        // Not in the start set, so only compiling it alone shows it is too large.
        let huge = r"\\w{1000}".repeat(20);
        let text =
            format!("[[rule]]\nid = \"huge\"\nkind = \"cut-suffix\"\npattern = \"{huge}\"\n");
        let msg = book(&text).unwrap_err().to_string();
        assert!(
            msg.contains("\"huge\"") && msg.contains("size limit"),
            "{msg}"
        );
    }

    #[test]
    fn unknown_keys_and_kinds_are_errors_with_a_line() {
        let err = book("[[rule]]\nid = \"a\"\nkind = \"line\"\npattern = \"x\"\nscop = \"tail\"\n")
            .unwrap_err();
        assert_eq!(err.line, Some(5), "{err}");
        let err = book("[[rule]]\nid = \"a\"\nkind = \"sentence\"\npattern = \"x\"\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
    }

    #[test]
    fn meta_rules_need_a_field_and_a_value_group() {
        let err = book(
            "[[rule]]\nid = \"m\"\nkind = \"meta\"\npattern = \"By (.+)\"\nfield = \"author\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("value"), "{err}");
        let err = book("[[rule]]\nid = \"m\"\nkind = \"meta\"\npattern = \"By (?P<value>.+)\"\n")
            .unwrap_err();
        assert!(err.to_string().contains("field"), "{err}");
    }

    #[test]
    fn only_rules_that_remove_their_line_may_wait_for_a_neighbour() {
        let rule = |kind: &str| {
            format!(
                "[[rule]]\nid = \"n\"\nkind = \"{kind}\"\npattern = \"AD: \"\nneeds_neighbour = true\n"
            )
        };
        for kind in ["line", "prefix", "regex"] {
            assert!(book(&rule(kind)).is_ok(), "{kind}");
        }
        for kind in ["cut-prefix", "cut-suffix", "block"] {
            let err = book(&rule(kind)).unwrap_err();
            assert!(err.to_string().contains("needs_neighbour"), "{kind}: {err}");
        }
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let rule = "[[rule]]\nid = \"a\"\nkind = \"line\"\npattern = \"x\"\n";
        let err = book(&format!("{rule}{rule}")).unwrap_err();
        assert_eq!(err.line, Some(5), "{err}");
        assert!(err.to_string().contains("duplicate"), "{err}");
    }

    #[test]
    fn literal_kinds_are_escaped_anchored_and_case_insensitive() {
        let b = book("[[rule]]\nid = \"l\"\nkind = \"line\"\npattern = \"Like  Loading...\"\n\n[[rule]]\nid = \"p\"\nkind = \"prefix\"\npattern = \"Previous article\"\n").unwrap();
        assert_eq!(b.start_matches("like loading..."), [0]);
        assert!(b.start_matches("Like Loadingxxx").is_empty());
        assert!(b.start_matches("Like Loading... more").is_empty());
        assert_eq!(b.start_matches("Previous article9/11"), [1]);
        assert!(b.start_matches("The Previous article").is_empty());
    }
}
