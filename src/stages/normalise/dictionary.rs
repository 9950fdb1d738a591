//! The variant dictionary (`config/variants.toml`): its schema, and the checks that turn a bad
//! entry into a [`ConfigError`] naming the file, the line and the entry.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use super::text::{fold, is_separator, is_word_char};
use crate::config::RuleSource;
use crate::error::ConfigError;

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DictionaryFile {
    #[serde(default)]
    entry: Vec<Spanned<EntrySpec>>,
    #[serde(default)]
    protected: Vec<Spanned<ProtectedSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntrySpec {
    canonical: Spanned<String>,
    #[serde(default)]
    id: Option<String>,
    variants: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    case: CaseMode,
    #[serde(default)]
    lowercase: bool,
    #[serde(default)]
    separators: SeparatorMode,
    #[serde(default)]
    script: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)] // a curator's comment, kept in the file only
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtectedSpec {
    phrase: Spanned<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// Whether a variant matches in any case (the replacement then follows the original's case) or
/// only exactly as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseMode {
    #[default]
    Insensitive,
    Exact,
}

/// Whether the separators of a compound variant must be as written, or any of hyphen, non-breaking
/// hyphen, en dash, space and no-break space matches any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeparatorMode {
    #[default]
    Exact,
    Alike,
}

/// One canonical form and the spellings that become it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The rule id in `changes` and `summary.json`: `id` if given, else the canonical form.
    pub id: String,
    pub canonical: String,
    pub variants: Vec<String>,
    pub case: CaseMode,
    /// Whether an all-lower-case occurrence is replaced (by the lower-cased canonical form).
    pub lowercase: bool,
    pub separators: SeparatorMode,
    /// The script a paragraph must be written in for the entry to fire; `None` fires in any.
    pub script: Option<whatlang::Script>,
}

/// A phrase that is never changed, even where a variant lies inside it.
#[derive(Debug, Clone)]
pub struct Protected {
    pub phrase: String,
}

#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    pub entries: Vec<Entry>,
    pub protected: Vec<Protected>,
}

/// Most separators in one variant whose spellings are expanded (`separators = "alike"`).
pub const MAX_ALIKE_SEPARATORS: usize = 6;

impl Dictionary {
    /// Parses and checks a dictionary; the first problem found is the error.
    pub fn parse(source: &RuleSource) -> Result<Dictionary, ConfigError> {
        let file: DictionaryFile = toml::from_str(&source.text).map_err(|e| {
            let err = ConfigError::from_toml(&source.name, &source.text, &e);
            match err.line.and_then(|l| enclosing_entry(&source.text, l)) {
                Some(entry) => err.entry(entry),
                None => err,
            }
        })?;
        Checker::new(source).check(file)
    }
}

/// Turns spans into line numbers and remembers what was seen, for duplicate checks.
struct Checker<'a> {
    source: &'a RuleSource,
    /// Folded, separator-blind variant → (canonical form, line).
    variants: HashMap<String, (String, usize)>,
    ids: HashMap<String, usize>,
    /// Byte offsets of the file's newlines, so a span's line is a binary search, not a scan.
    newlines: Vec<usize>,
}

impl<'a> Checker<'a> {
    fn new(source: &'a RuleSource) -> Self {
        Checker {
            source,
            variants: HashMap::new(),
            ids: HashMap::new(),
            newlines: source.text.match_indices('\n').map(|(i, _)| i).collect(),
        }
    }

    /// 1-based line of a span's start (as [`crate::error::line_of`] gives, in O(log n)).
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        self.newlines.partition_point(|&nl| nl < span.start) + 1
    }

    fn error(&self, line: usize, entry: &str, message: String) -> ConfigError {
        ConfigError::new(&self.source.name, message)
            .at_line(Some(line))
            .entry(entry)
    }

    fn check(mut self, file: DictionaryFile) -> Result<Dictionary, ConfigError> {
        let mut dictionary = Dictionary::default();
        for spec in file.entry {
            let entry = self.entry(spec)?;
            dictionary.entries.push(entry);
        }
        self.canonicals_are_not_variants(&dictionary)?;
        for spec in file.protected {
            dictionary.protected.push(self.protected(spec)?);
        }
        Ok(dictionary)
    }

    fn entry(&mut self, spec: Spanned<EntrySpec>) -> Result<Entry, ConfigError> {
        let entry_line = self.line(spec.span());
        let spec = spec.into_inner();
        let canonical_line = self.line(spec.canonical.span());
        let canonical = spec.canonical.into_inner().trim().to_string();
        if canonical.is_empty() {
            return Err(self.error(canonical_line, "", "empty canonical form".into()));
        }
        self.well_formed(&canonical, canonical_line, &canonical, "canonical form")?;
        let id = spec.id.unwrap_or_else(|| canonical.clone());
        if let Some(first) = self.ids.insert(id.clone(), entry_line) {
            return Err(self.error(
                entry_line,
                &id,
                format!(
                    "rule id {id:?} is already used by the entry at line {first}; give one an `id`"
                ),
            ));
        }
        let variants_line = self.line(spec.variants.span());
        let listed = spec.variants.into_inner();
        if listed.is_empty() {
            return Err(self.error(variants_line, &canonical, "no variants listed".into()));
        }
        let mut variants: Vec<String> = Vec::new();
        for variant in listed {
            let line = self.line(variant.span());
            let variant = variant.into_inner().trim().to_string();
            if variant.is_empty() {
                return Err(self.error(line, &canonical, "empty variant".into()));
            }
            self.well_formed(&variant, line, &canonical, "variant")?;
            if fold(&variant) == fold(&canonical) && spec.case == CaseMode::Insensitive {
                return Err(self.error(
                    line,
                    &variant,
                    format!("variant of {canonical:?} differs from it only in case or separators; with case = \"insensitive\" it would replace itself"),
                ));
            }
            self.unique_variant(&variant, &canonical, line)?;
            let separators = variant.chars().filter(|&c| is_separator(c)).count();
            if spec.separators == SeparatorMode::Alike && separators > MAX_ALIKE_SEPARATORS {
                return Err(self.error(
                    line,
                    &variant,
                    format!("{separators} separators; separators = \"alike\" allows at most {MAX_ALIKE_SEPARATORS}"),
                ));
            }
            variants.push(variant);
        }
        let script = match spec.script {
            Some(s) => self.script(s, &canonical)?,
            None => whatlang::detect_script(&canonical),
        };
        Ok(Entry {
            id,
            canonical,
            variants,
            case: spec.case,
            lowercase: spec.lowercase,
            separators: spec.separators,
            script,
        })
    }

    /// Variants and canonical forms must start and end with a word character, or whole-word
    /// matching (and therefore idempotence) could not be guaranteed.
    fn well_formed(
        &self,
        s: &str,
        line: usize,
        entry: &str,
        what: &str,
    ) -> Result<(), ConfigError> {
        let first = s.chars().next().is_some_and(is_word_char);
        let last = s.chars().next_back().is_some_and(is_word_char);
        if !(first && last) || s.contains('\n') {
            return Err(self.error(
                line,
                entry,
                format!(
                    "{what} {s:?} must start and end with a letter or digit and be on one line"
                ),
            ));
        }
        Ok(())
    }

    fn unique_variant(
        &mut self,
        variant: &str,
        canonical: &str,
        line: usize,
    ) -> Result<(), ConfigError> {
        let key = separator_blind(variant);
        match self.variants.get(&key) {
            Some((other, first)) if other != canonical => Err(self.error(
                line,
                variant,
                format!("variant listed under two canonical forms: {other:?} (line {first}) and {canonical:?}"),
            )),
            Some((_, first)) => Err(self.error(
                line,
                variant,
                format!("variant of {canonical:?} listed twice (first at line {first}, spellings that differ only in case or separators count as one)"),
            )),
            None => {
                self.variants.insert(key, (canonical.to_string(), line));
                Ok(())
            }
        }
    }

    /// A canonical form that is also a variant would be replaced again on a second run.
    fn canonicals_are_not_variants(&self, dictionary: &Dictionary) -> Result<(), ConfigError> {
        for entry in &dictionary.entries {
            if let Some((other, line)) = self.variants.get(&separator_blind(&entry.canonical)) {
                return Err(self.error(
                    *line,
                    &entry.canonical,
                    format!(
                        "{:?} is a canonical form and also a variant of {other:?}",
                        entry.canonical
                    ),
                ));
            }
        }
        Ok(())
    }

    fn script(
        &self,
        s: Spanned<String>,
        canonical: &str,
    ) -> Result<Option<whatlang::Script>, ConfigError> {
        let line = self.line(s.span());
        let name = s.into_inner();
        if name.eq_ignore_ascii_case("any") {
            return Ok(None);
        }
        whatlang::Script::all()
            .iter()
            .find(|sc| sc.name().eq_ignore_ascii_case(&name))
            .map(|sc| Some(*sc))
            .ok_or_else(|| {
                let known: Vec<&str> = whatlang::Script::all().iter().map(|s| s.name()).collect();
                self.error(
                    line,
                    canonical,
                    format!(
                        "unknown script {name:?}; use \"any\" or one of {}",
                        known.join(", ")
                    ),
                )
            })
    }

    fn protected(&self, spec: Spanned<ProtectedSpec>) -> Result<Protected, ConfigError> {
        let line = self.line(spec.span());
        let phrase = spec.into_inner().phrase.into_inner().trim().to_string();
        if phrase.is_empty() {
            return Err(self.error(line, "", "empty protected phrase".into()));
        }
        if let Some((canonical, first)) = self.variants.get(&separator_blind(&phrase)) {
            return Err(self.error(
                line,
                &phrase,
                format!(
                    "protected phrase is also a variant of {canonical:?} (line {first}); remove one"
                ),
            ));
        }
        Ok(Protected { phrase })
    }
}

/// The key under which spellings count as the same variant: folded, all separators alike.
fn separator_blind(s: &str) -> String {
    fold(s)
        .chars()
        .map(|c| if is_separator(c) { '-' } else { c })
        .collect()
}

/// For a TOML error at `line`, the `[[entry]]` or `[[protected]]` around it, named by its
/// canonical form or phrase when that can be read, so a curator finds it in a long file.
fn enclosing_entry(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let upto = line.min(lines.len());
    let header = (0..upto)
        .rev()
        .find(|&i| lines[i].trim_start().starts_with("[["))?;
    let name = lines[header..]
        .iter()
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .find_map(|l| {
            let (key, value) = l.split_once('=')?;
            matches!(key.trim(), "canonical" | "phrase")
                .then(|| value.trim().trim_matches('"').to_string())
        });
    Some(name.unwrap_or_else(|| format!("{} at line {}", lines[header].trim(), header + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Dictionary, ConfigError> {
        Dictionary::parse(&RuleSource::named("v.toml", text))
    }

    #[test]
    fn the_built_in_dictionary_parses() {
        let d = parse(crate::config::DEFAULT_VARIANTS_TOML).unwrap();
        let almaty = d.entries.iter().find(|e| e.canonical == "Almaty").unwrap();
        assert_eq!(almaty.script, Some(whatlang::Script::Latin));
        let cyrillic = d.entries.iter().find(|e| e.canonical == "Алматы").unwrap();
        assert_eq!(cyrillic.script, Some(whatlang::Script::Cyrillic));
        assert!(d.protected.iter().any(|p| p.phrase == "Kazak Memleketi"));
    }

    #[test]
    fn a_variant_under_two_canonical_forms_is_an_error() {
        let err = parse(
            "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Almata\"]\n\n\
             [[entry]]\ncanonical = \"Almatyx\"\nvariants = [\"ALMATA\"]\n",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(7), "{err}");
        assert_eq!(err.entry.as_deref(), Some("ALMATA"));
        assert!(
            err.to_string().starts_with("v.toml:7 (entry \"ALMATA\"): "),
            "{err}"
        );
        assert!(err.message.contains("two canonical forms"), "{err}");
        assert!(err.message.contains("line 3"), "{err}");
    }

    #[test]
    fn compounds_differing_only_in_separators_are_the_same_variant() {
        let err = parse(
            "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Alma-Ata\"]\n\
             [[entry]]\ncanonical = \"Alma\"\nvariants = [\"Alma Ata\"]\n",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(6), "{err}");
    }

    #[test]
    fn a_protected_phrase_that_is_a_variant_is_an_error() {
        let err = parse(
            "[[entry]]\ncanonical = \"Kazakh\"\nvariants = [\"Kazak\"]\n\n\
             [[protected]]\nphrase = \"kazak\"\n",
        )
        .unwrap_err();
        assert_eq!(
            (err.line, err.entry.as_deref()),
            (Some(5), Some("kazak")),
            "{err}"
        );
        assert!(
            err.message.contains("also a variant of \"Kazakh\""),
            "{err}"
        );
    }

    #[test]
    fn empty_entries_are_errors() {
        let cases = [
            (
                "[[entry]]\ncanonical = \"\"\nvariants = [\"x\"]\n",
                2,
                "empty canonical",
            ),
            (
                "[[entry]]\ncanonical = \"A\"\nvariants = []\n",
                3,
                "no variants",
            ),
            (
                "[[entry]]\ncanonical = \"A\"\nvariants = [\n  \"B\",\n  \" \",\n]\n",
                5,
                "empty variant",
            ),
            ("[[protected]]\nphrase = \"  \"\n", 1, "empty protected"),
        ];
        for (text, line, what) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, Some(line), "{text}: {err}");
            assert!(err.message.contains(what), "{text}: {err}");
            assert!(err.entry.is_some(), "{err}");
        }
    }

    #[test]
    fn invalid_toml_and_unknown_keys_name_the_line_and_entry() {
        let err = parse("[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Almata\"\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
        let err = parse(
            "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Almata\"]\nlower_case = true\n",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert_eq!(err.entry.as_deref(), Some("Almaty"), "{err}");
        assert!(err.message.contains("lower_case"), "{err}");
    }

    #[test]
    fn other_mistakes_are_caught() {
        for (text, what) in [
            (
                "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"ALMATY\"]\n",
                "only in case",
            ),
            (
                "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Almata\", \"almata\"]\n",
                "listed twice",
            ),
            (
                "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"-Almata\"]\n",
                "must start and end",
            ),
            (
                "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Almata\"]\nscript = \"Klingon\"\n",
                "unknown script",
            ),
            (
                "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Almata\"]\n\
                 [[entry]]\ncanonical = \"Almata\"\nvariants = [\"Almatta\"]\n",
                "also a variant",
            ),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.message.contains(what), "{text}: {err}");
            assert!(err.line.is_some() && err.entry.is_some(), "{err}");
        }
    }
}
