//! `docnorm variants suggest`: helps a curator grow `config/variants.toml` by listing capitalised
//! words and compounds of a corpus that are a small edit away from a dictionary form (a canonical
//! form or a known variant) but not in the dictionary yet, with counts and an example line.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use regex::Regex;

use crate::cli::ExitCode;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::sources::files;
use crate::stages::normalise::dictionary::Dictionary;
use crate::stages::normalise::text::{fold, is_separator};

#[derive(Debug, Args)]
pub struct VariantsArgs {
    #[command(subcommand)]
    pub command: VariantsCommand,
}

#[derive(Debug, Subcommand)]
pub enum VariantsCommand {
    /// List capitalised words near a dictionary form but not in it, most frequent first.
    Suggest(SuggestArgs),
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// A file or folder to read (folders recursively); repeat for more.
    #[arg(long = "input", value_name = "PATH", default_value = "raw")]
    pub inputs: Vec<PathBuf>,
    /// Settings file, whose variants.toml is the dictionary [default: config/pipeline.toml when
    /// it exists, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Largest edit distance to report [default: 1 up to 6 letters, 2 up to 12, else 3].
    #[arg(long, value_name = "N")]
    pub max_distance: Option<usize>,
    /// Report only words seen at least this many times.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
}

pub fn execute(args: VariantsArgs) -> Result<ExitCode> {
    match args.command {
        VariantsCommand::Suggest(args) => suggest(args),
    }
}

fn suggest(args: SuggestArgs) -> Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    let dictionary = Dictionary::parse(&config.variants)?;
    let pipeline = Pipeline::new(&config)?;
    let mut corpus = Corpus::new();
    let mut skipped = 0usize;
    for entry in files::walk(&args.inputs, &config.settings.input, None)? {
        // The text as the normalise stage receives it: decoded, extracted, cleaned.
        let doc = entry
            .and_then(|e| files::read(&e, &config.settings.input))
            .and_then(|raw| pipeline.process_until(&raw, "clean"));
        match doc {
            Ok(doc) => {
                if let Some(title) = &doc.title {
                    corpus.add(&doc.source, 0, title);
                }
                for (n, line) in doc.text.lines().enumerate() {
                    corpus.add(&doc.source, n + 1, line);
                }
            }
            Err(_) => skipped += 1,
        }
    }
    let suggestions =
        Suggester::new(&dictionary, args.max_distance).suggest(corpus, args.min_count);
    print_table(&suggestions).map_err(|e| Error::io("cannot write", "stdout", e))?;
    if skipped > 0 {
        eprintln!("docnorm: {skipped} inputs yielded no text (see `docnorm run` for why)");
    }
    Ok(0)
}

/// A word seen in the corpus: how often, and where first.
#[derive(Debug, Clone)]
struct Seen {
    count: u64,
    example: String,
}

/// Capitalised words and compounds of a corpus, counted.
struct Corpus {
    pattern: Regex,
    words: HashMap<String, Seen>,
}

/// Most parts of a compound taken as one candidate (`Alma-Ata`, `Alma Ata`, `Ust-Kamenogorsk`).
const MAX_PARTS: usize = 3;

impl Corpus {
    fn new() -> Self {
        // Runs of words joined by one hyphen, en dash or space; each run is split into candidates.
        let pattern =
            Regex::new(r"[\p{L}\p{M}\d]+(?:[-\u{2010}\u{2011}\u{2013} \u{a0}][\p{L}\p{M}\d]+)*")
                .expect("static pattern");
        Corpus {
            pattern,
            words: HashMap::new(),
        }
    }

    fn add(&mut self, source: &str, line_number: usize, line: &str) {
        for run in self.pattern.find_iter(line) {
            let parts = split_parts(run.as_str());
            for first in 0..parts.len() {
                if !starts_capitalised(parts[first].1) {
                    continue;
                }
                for last in first..parts.len().min(first + MAX_PARTS) {
                    // Words joined by a space are one name only when each is capitalised.
                    let spaced = run.as_str()[..parts[last].0].ends_with([' ', '\u{a0}']);
                    if last > first && spaced && !starts_capitalised(parts[last].1) {
                        break;
                    }
                    let start = parts[first].0;
                    let end = parts[last].0 + parts[last].1.len();
                    let word = &run.as_str()[start..end];
                    let seen = self.words.entry(word.to_string()).or_insert_with(|| Seen {
                        count: 0,
                        example: format!(
                            "{source}:{line_number}: {}",
                            excerpt(line, run.start() + start)
                        ),
                    });
                    seen.count += 1;
                }
            }
        }
    }
}

/// The words of a run with their offsets, separators dropped.
fn split_parts(run: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in run.char_indices() {
        if is_separator(c) {
            parts.push((start, &run[start..i]));
            start = i + c.len_utf8();
        }
    }
    parts.push((start, &run[start..]));
    parts
}

fn starts_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Up to 100 characters of `line` around `at`.
fn excerpt(line: &str, at: usize) -> String {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let pos = chars.partition_point(|&(i, _)| i < at);
    let from = pos.saturating_sub(40);
    let to = (from + 100).min(chars.len());
    let mut s: String = chars[from..to].iter().map(|&(_, c)| c).collect();
    if from > 0 {
        s.insert(0, '…');
    }
    if to < chars.len() {
        s.push('…');
    }
    s
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub word: String,
    pub count: u64,
    /// The dictionary form it is near, and that form's canonical form.
    pub near: String,
    pub canonical: String,
    pub distance: usize,
    pub example: String,
}

/// The dictionary's forms in a BK-tree, so a word is compared with a few forms, not all of them.
struct Suggester {
    tree: BkTree,
    /// Separator-blind folded forms already in the dictionary (variants, canonicals, protected).
    known: std::collections::HashSet<String>,
    max_distance: Option<usize>,
}

impl Suggester {
    fn new(dictionary: &Dictionary, max_distance: Option<usize>) -> Self {
        let mut tree = BkTree::default();
        let mut known = std::collections::HashSet::new();
        for entry in &dictionary.entries {
            for form in std::iter::once(&entry.canonical).chain(&entry.variants) {
                known.insert(key(form));
                tree.insert(key(form), (form.clone(), entry.canonical.clone()));
            }
        }
        for p in &dictionary.protected {
            known.insert(key(&p.phrase));
        }
        Suggester {
            tree,
            known,
            max_distance,
        }
    }

    fn suggest(&self, corpus: Corpus, min_count: u64) -> Vec<Suggestion> {
        let mut out: Vec<Suggestion> = corpus
            .words
            .into_iter()
            .filter(|(_, seen)| seen.count >= min_count)
            .filter_map(|(word, seen)| {
                let k = key(&word);
                // Known, or a known word with a neighbour (`As Kazakhstan`): nothing new.
                if self.known.contains(&k)
                    || (k.contains('-') && k.split('-').any(|p| self.known.contains(p)))
                {
                    return None;
                }
                let limit = self
                    .max_distance
                    .unwrap_or_else(|| default_distance(k.chars().count()));
                let (distance, (near, canonical)) = self.tree.nearest(&k, limit)?;
                Some(Suggestion {
                    word,
                    count: seen.count,
                    near,
                    canonical,
                    distance,
                    example: seen.example,
                })
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
        out
    }
}

fn default_distance(chars: usize) -> usize {
    match chars {
        0..=6 => 1,
        7..=12 => 2,
        _ => 3,
    }
}

/// Folded, every separator a hyphen: the spelling a distance is measured on.
fn key(s: &str) -> String {
    fold(s)
        .chars()
        .map(|c| if is_separator(c) { '-' } else { c })
        .collect()
}

/// A Burkhard-Keller tree under Levenshtein distance: a query of radius r visits only subtrees
/// whose edge distance is within r of the query's distance to their parent.
#[derive(Default)]
struct BkTree {
    nodes: Vec<BkNode>,
}

struct BkNode {
    key: String,
    value: (String, String),
    children: Vec<(usize, usize)>,
}

impl BkTree {
    fn insert(&mut self, key: String, value: (String, String)) {
        let new = self.nodes.len();
        if new == 0 {
            self.nodes.push(BkNode {
                key,
                value,
                children: Vec::new(),
            });
            return;
        }
        let mut at = 0;
        loop {
            let d = strsim::levenshtein(&self.nodes[at].key, &key);
            if d == 0 {
                return;
            }
            match self.nodes[at].children.iter().find(|&&(cd, _)| cd == d) {
                Some(&(_, child)) => at = child,
                None => {
                    self.nodes[at].children.push((d, new));
                    self.nodes.push(BkNode {
                        key,
                        value,
                        children: Vec::new(),
                    });
                    return;
                }
            }
        }
    }

    /// The closest form within `radius` (ties: the first inserted), with its distance.
    fn nearest(&self, key: &str, radius: usize) -> Option<(usize, (String, String))> {
        let mut best: Option<(usize, usize)> = None;
        let mut stack = if self.nodes.is_empty() {
            vec![]
        } else {
            vec![0]
        };
        while let Some(at) = stack.pop() {
            let node = &self.nodes[at];
            let d = strsim::levenshtein(&node.key, key);
            if d <= radius && best.is_none_or(|(bd, bi)| (d, at) < (bd, bi)) {
                best = Some((d, at));
            }
            for &(cd, child) in &node.children {
                if cd.abs_diff(d) <= radius {
                    stack.push(child);
                }
            }
        }
        best.map(|(d, at)| (d, self.nodes[at].value.clone()))
    }
}

fn print_table(suggestions: &[Suggestion]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let width = |f: fn(&Suggestion) -> usize, min: usize| {
        suggestions.iter().map(f).max().unwrap_or(0).max(min)
    };
    let w_word = width(|s| s.word.chars().count(), 4);
    let w_near = width(
        |s| s.near.chars().count() + s.canonical.chars().count() + 4,
        4,
    );
    writeln!(
        out,
        "{:>5}  {:w_word$}  {:w_near$}  {:>4}  example",
        "count", "word", "near", "dist"
    )?;
    for s in suggestions {
        let near = if s.near == s.canonical {
            s.near.clone()
        } else {
            format!("{} → {}", s.near, s.canonical)
        };
        writeln!(
            out,
            "{:>5}  {:w_word$}  {:w_near$}  {:>4}  {}",
            s.count, s.word, near, s.distance, s.example
        )?;
    }
    if suggestions.is_empty() {
        writeln!(
            out,
            "(no capitalised word is near a dictionary form without being in it)"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RuleSource;

    fn dictionary(text: &str) -> Dictionary {
        Dictionary::parse(&RuleSource::named("v.toml", text)).unwrap()
    }

    #[test]
    fn near_misses_are_suggested_and_known_forms_are_not() {
        let d = dictionary(
            "[[entry]]\ncanonical = \"Almaty\"\nvariants = [\"Alma-Ata\"]\n\
             [[entry]]\ncanonical = \"Tasmagambetov\"\nvariants = [\"Tasmagambetow\"]\n",
        );
        let mut corpus = Corpus::new();
        corpus.add(
            "a.txt",
            1,
            "the Ama-Ata city authorities and Imangali Tasmagambegov",
        );
        corpus.add(
            "a.txt",
            2,
            "Almaty, ALMA-ATA, Alma Ata and the Ama-Ata mayor Tasmagambetov",
        );
        let s = Suggester::new(&d, None).suggest(corpus, 1);
        let words: Vec<(&str, u64, &str)> = s
            .iter()
            .map(|s| (s.word.as_str(), s.count, s.canonical.as_str()))
            .collect();
        assert_eq!(
            words,
            [
                ("Ama-Ata", 2, "Almaty"),
                ("Tasmagambegov", 1, "Tasmagambetov")
            ]
        );
        assert_eq!(s[0].near, "Alma-Ata");
        assert_eq!(s[0].distance, 1);
        assert!(
            s[0].example.starts_with("a.txt:1: the Ama-Ata city"),
            "{}",
            s[0].example
        );
    }

    #[test]
    fn the_bk_tree_finds_what_a_full_scan_finds() {
        let mut tree = BkTree::default();
        let words: Vec<String> = (0..500)
            .map(|i| format!("w{}x{}", i * 7919 % 1000, i % 13))
            .collect();
        for w in &words {
            tree.insert(w.clone(), (w.clone(), w.clone()));
        }
        for q in ["w12x3", "w999x0", "zzz", "w5x5"] {
            let scan = words
                .iter()
                .map(|w| strsim::levenshtein(w, q))
                .filter(|&d| d <= 2)
                .min();
            assert_eq!(tree.nearest(q, 2).map(|(d, _)| d), scan, "{q}");
        }
    }
}
