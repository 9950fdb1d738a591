//! Normalise stage: spelling variants to their canonical form, from `config/variants.toml`.
//!
//! One matcher over every variant and protected phrase (case- and separator-folded) is built once
//! per run ([`matcher`]: a prefix search or an Aho-Corasick automaton); each text is folded once
//! and searched once, so the cost per MB barely depends on the dictionary's size. Candidates are then filtered (whole words, not in a URL,
//! e-mail or hashtag, not overlapping a protected phrase, the paragraph in the entry's script,
//! the case allowed) and the leftmost-longest of the survivors win.

pub mod dictionary;
mod matcher;
pub mod text;

use std::cmp::Reverse;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::config::RuleSource;
use crate::document::{Change, Document, Reject};
use crate::error::ConfigError;
use crate::stages::Stage;
use dictionary::{CaseMode, Dictionary, Entry, MAX_ALIKE_SEPARATORS, SeparatorMode};
use matcher::{Found, Matcher};
use text::{CaseShape, FOLDED_SEPARATORS, case_shape, fold, fold_bytes, fold_char, is_separator};

const STAGE: &str = "normalise";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct NormaliseConfig {
    /// Normalise the `title` field too (its changes carry `field: "title"`).
    pub title: bool,
}

impl Default for NormaliseConfig {
    fn default() -> Self {
        NormaliseConfig { title: true }
    }
}

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone, Copy)]
enum Target {
    Variant {
        entry: usize,
        variant: usize,
    },
    Protected,
    /// A canonical form: never replaced, found only so that its letters, like a variant's, do
    /// not count towards a paragraph's script (a replacement must not change that decision).
    Canonical,
}

/// A variant found at a whole-word position, before the other checks.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: usize,
    end: usize,
    entry: usize,
    variant: usize,
}

/// One accepted replacement of `text[start..end]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub start: usize,
    pub end: usize,
    pub rule: String,
    pub after: String,
}

pub struct Normalise {
    config: NormaliseConfig,
    dictionary: Dictionary,
    matcher: Matcher,
    targets: Vec<Target>,
}

impl Normalise {
    pub fn new(config: &NormaliseConfig, rules: &RuleSource) -> Result<Self, ConfigError> {
        let dictionary = Dictionary::parse(rules)?;
        let mut patterns = Patterns::default();
        for (e, entry) in dictionary.entries.iter().enumerate() {
            let alike = entry.separators == SeparatorMode::Alike;
            for (v, variant) in entry.variants.iter().enumerate() {
                patterns.add(
                    variant,
                    alike,
                    Target::Variant {
                        entry: e,
                        variant: v,
                    },
                );
            }
        }
        for protected in &dictionary.protected {
            let few = protected
                .phrase
                .chars()
                .filter(|&c| is_separator(c))
                .count()
                <= MAX_ALIKE_SEPARATORS;
            patterns.add(&protected.phrase, few, Target::Protected);
        }
        // Last, so that a canonical form that is also a protected phrase stays protected.
        for entry in &dictionary.entries {
            patterns.add(&entry.canonical, false, Target::Canonical);
        }
        // Every occurrence, overlapping ones too: a protected phrase must win over any variant it
        // overlaps, and a longest match that fails a check must not hide a shorter one that passes.
        let matcher = Matcher::new(&patterns.folded)
            .map_err(|e| ConfigError::new(&rules.name, format!("cannot build the matcher: {e}")))?;
        Ok(Normalise {
            config: config.clone(),
            dictionary,
            matcher,
            targets: patterns.targets,
        })
    }

    pub fn dictionary(&self) -> &Dictionary {
        &self.dictionary
    }

    /// The replacements to make in `text`, in order, none overlapping.
    pub fn find(&self, text: &str) -> Vec<Replacement> {
        let folded = fold_bytes(text);
        let mut protected: Vec<(usize, usize)> = Vec::new();
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut dictionary_words: Vec<(usize, usize)> = Vec::new();
        self.matcher.for_each(
            &folded,
            |Found {
                 start,
                 end,
                 pattern,
             }| {
                dictionary_words.push((start, end));
                match self.targets[pattern] {
                    Target::Canonical => {}
                    Target::Protected => protected.push((start, end)),
                    Target::Variant { entry, variant } => {
                        if text::is_whole_word(text, start, end) {
                            candidates.push(Candidate {
                                start,
                                end,
                                entry,
                                variant,
                            });
                        }
                    }
                }
            },
        );
        if candidates.is_empty() {
            return Vec::new();
        }
        candidates.sort_by_key(|c| (c.start, Reverse(c.end)));
        let protected = ProtectedSpans::new(protected);
        let mut scripts = ParagraphScripts::new(text, dictionary_words);
        let mut accepted: Vec<Replacement> = Vec::new();
        let mut free_from = 0;
        for c in candidates {
            if c.start < free_from || protected.overlaps(c.start, c.end) {
                continue;
            }
            if let Some(after) = self.replacement(text, c, &mut scripts) {
                free_from = c.end;
                accepted.push(Replacement {
                    start: c.start,
                    end: c.end,
                    rule: self.dictionary.entries[c.entry].id.clone(),
                    after,
                });
            }
        }
        accepted
    }

    /// `text` normalised, and the changes made (offsets in `text`).
    pub fn normalise(&self, text: &str) -> (String, Vec<Change>) {
        self.normalised(text)
            .unwrap_or_else(|| (text.to_string(), Vec::new()))
    }

    /// Normalises `text` in place; returns the changes made.
    pub fn normalise_in_place(&self, text: &mut String) -> Vec<Change> {
        match self.normalised(text) {
            Some((out, changes)) => {
                *text = out;
                changes
            }
            None => Vec::new(),
        }
    }

    /// `text` normalised and the changes, or `None` when nothing is to change.
    fn normalised(&self, text: &str) -> Option<(String, Vec<Change>)> {
        let replacements = self.find(text);
        if replacements.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut changes = Vec::with_capacity(replacements.len());
        let mut copied = 0;
        for r in replacements {
            out.push_str(&text[copied..r.start]);
            out.push_str(&r.after);
            let before = &text[r.start..r.end];
            changes.push(Change::new(STAGE, r.rule, before, r.after, r.start));
            copied = r.end;
        }
        out.push_str(&text[copied..]);
        Some((out, changes))
    }

    /// What replaces a candidate, or `None` when one of the checks says to leave it.
    fn replacement(
        &self,
        text: &str,
        c: Candidate,
        scripts: &mut ParagraphScripts,
    ) -> Option<String> {
        let entry = &self.dictionary.entries[c.entry];
        let original = &text[c.start..c.end];
        if !written_as_listed(original, &entry.variants[c.variant], entry) {
            return None;
        }
        if text::in_protected_context(text, c.start, c.end) {
            return None;
        }
        if let Some(script) = entry.script
            && !scripts.allows(c.start, script)
        {
            return None;
        }
        let after = match (entry.case, case_shape(original)) {
            (CaseMode::Exact, _) | (CaseMode::Insensitive, CaseShape::Mixed) => {
                entry.canonical.clone()
            }
            (CaseMode::Insensitive, CaseShape::Upper) => entry.canonical.to_uppercase(),
            (CaseMode::Insensitive, CaseShape::Lower) if entry.lowercase => {
                entry.canonical.to_lowercase()
            }
            (CaseMode::Insensitive, CaseShape::Lower) => return None,
        };
        (after != original).then_some(after)
    }
}

/// Whether a match found in folded text is written as the entry requires: exactly as listed
/// where `case` or `separators` is `exact`. (Folding keeps one char per char, so they pair up.)
fn written_as_listed(original: &str, variant: &str, entry: &Entry) -> bool {
    let exact_case = entry.case == CaseMode::Exact;
    let exact_separators = entry.separators == SeparatorMode::Exact;
    original.chars().zip(variant.chars()).all(|(o, v)| {
        if is_separator(v) {
            if exact_separators {
                o == v
            } else {
                is_separator(o)
            }
        } else if exact_case {
            o == v
        } else {
            fold_char(o) == fold_char(v)
        }
    })
}

/// The automaton's patterns, folded, each with what it stands for.
#[derive(Default)]
struct Patterns {
    folded: Vec<String>,
    targets: Vec<Target>,
    seen: HashSet<String>,
}

impl Patterns {
    /// Adds `phrase` folded; with `alike`, once per spelling of each separator.
    fn add(&mut self, phrase: &str, alike: bool, target: Target) {
        let mut spellings = vec![String::new()];
        for c in fold(phrase).chars() {
            let options: &[char] = if alike && is_separator(c) {
                &FOLDED_SEPARATORS
            } else {
                &[c]
            };
            spellings = spellings
                .into_iter()
                .flat_map(|s| options.iter().map(move |&o| format!("{s}{o}")))
                .collect();
        }
        for spelling in spellings {
            if self.seen.insert(spelling.clone()) {
                self.folded.push(spelling);
                self.targets.push(target);
            }
        }
    }
}

/// Protected phrase occurrences, sorted, with the furthest end so far, for overlap queries.
struct ProtectedSpans {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl ProtectedSpans {
    fn new(mut spans: Vec<(usize, usize)>) -> Self {
        spans.sort_unstable();
        let mut furthest = 0;
        let max_end = spans
            .iter()
            .map(|&(_, end)| {
                furthest = furthest.max(end);
                furthest
            })
            .collect();
        ProtectedSpans {
            starts: spans.iter().map(|s| s.0).collect(),
            max_end,
        }
    }

    fn overlaps(&self, start: usize, end: usize) -> bool {
        let before_end = self.starts.partition_point(|&s| s < end);
        before_end > 0 && self.max_end[before_end - 1] > start
    }
}

/// The script of the paragraph (text between blank lines) around an offset, from its letters
/// outside dictionary words (variants, canonical forms, protected phrases): replacing a variant by
/// its canonical form then cannot change the decision, which keeps normalising idempotent.
/// Computed once per paragraph, and only for paragraphs where a scoped entry matched.
struct ParagraphScripts<'a> {
    text: &'a str,
    /// Sorted by start.
    dictionary_words: Vec<(usize, usize)>,
    cached: Option<(usize, usize, ParagraphScript)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParagraphScript {
    /// No letters outside dictionary words: nothing speaks against any entry.
    Unknown,
    Known(whatlang::Script),
}

impl<'a> ParagraphScripts<'a> {
    fn new(text: &'a str, mut dictionary_words: Vec<(usize, usize)>) -> Self {
        dictionary_words.sort_unstable();
        ParagraphScripts {
            text,
            dictionary_words,
            cached: None,
        }
    }

    /// Whether an entry scoped to `script` may fire at `offset`.
    fn allows(&mut self, offset: usize, script: whatlang::Script) -> bool {
        match self.at(offset) {
            ParagraphScript::Unknown => true,
            ParagraphScript::Known(s) => s == script,
        }
    }

    fn at(&mut self, offset: usize) -> ParagraphScript {
        if let Some((start, end, script)) = self.cached
            && (start..=end).contains(&offset)
        {
            return script;
        }
        let bytes = self.text.as_bytes();
        let start = memchr::memmem::rfind(&bytes[..offset], b"\n\n").map_or(0, |i| i + 2);
        let end =
            memchr::memmem::find(&bytes[offset..], b"\n\n").map_or(bytes.len(), |i| offset + i);
        let outside = self.outside_dictionary_words(start, end);
        let script = crate::stages::detect::script::main_script(&outside)
            .map_or(ParagraphScript::Unknown, ParagraphScript::Known);
        self.cached = Some((start, end, script));
        script
    }

    /// `text[start..end]` without the dictionary words in it.
    fn outside_dictionary_words(&self, start: usize, end: usize) -> String {
        let first = self.dictionary_words.partition_point(|&(s, _)| s < start);
        let mut out = String::with_capacity(end - start);
        let mut copied = start;
        for &(s, e) in &self.dictionary_words[first..] {
            if s >= end {
                break;
            }
            if s > copied {
                out.push_str(&self.text[copied..s]);
                out.push(' ');
            }
            copied = copied.max(e.min(end));
        }
        if copied < end {
            out.push_str(&self.text[copied..end]);
        }
        out
    }
}

impl Stage for Normalise {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn apply(&self, mut doc: Document) -> Result<Document, Reject> {
        let changes = self.normalise_in_place(&mut doc.text);
        doc.changes.extend(changes);
        if self.config.title
            && let Some(title) = doc.title.as_mut()
        {
            let changes = self.normalise_in_place(title);
            doc.changes
                .extend(changes.into_iter().map(|c| c.in_field("title")));
        }
        Ok(doc)
    }
}

#[cfg(test)]
mod tests;
