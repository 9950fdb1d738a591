//! Cue words for short Latin-script text: rules as data in `config/language-cues.toml`.

use std::collections::{BTreeMap, HashMap};

// A fast hash for short words: the map is built from the compiled-in list, not from input, so a
// hash-flooding attack has nothing to aim at.
use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::iso::known;
use crate::error::{ConfigError, line_of};
use crate::stages::ascii::{is_alphabetic, is_letter, letter_masks};

pub const BUILT_IN_CUES_TOML: &str = include_str!("../../../config/language-cues.toml");
const BUILT_IN_NAME: &str = "built-in language-cues.toml";

/// Most words of a text looked up.
const MAX_WORDS: usize = 80;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuesFile {
    #[serde(default)]
    decisive: BTreeMap<String, f64>,
    words: BTreeMap<String, Vec<String>>,
}

/// Each cue word and the one language it points at (words listed for two languages are dropped).
/// A language is its index into `codes`, which are in alphabetical order: the tally counts hits in
/// an array, and a lower index wins a tie as the earlier code did.
#[derive(Debug)]
pub struct Cues {
    codes: Vec<&'static str>,
    /// Keyed by the word's UTF-8 bytes: a word lower-cased into a byte buffer is looked up as it
    /// is, without checking it is UTF-8 again.
    language_of: FxHashMap<Box<[u8]>, u8>,
    /// The cue words of up to 8 ASCII letters again, keyed by [`ascii_key`]: most words of a
    /// Latin-script text are looked up there, without building a string.
    short_ascii: FxHashMap<u64, u8>,
    /// One bit per [`filter_bit`] of the keys of `short_ascii`: a word whose bit is clear is no cue
    /// word, told from 4 KB that stay in the CPU's cache. Most words of a text are not cue words,
    /// and the map's slots for them are scattered over more memory than that cache holds.
    short_ascii_filter: Box<[u64; FILTER_WORDS]>,
    /// Bytes of the longest cue word.
    longest: usize,
    /// Languages whose cue words decide a long text alone, with the share of its words they need.
    decisive: Vec<(&'static str, f64)>,
}

/// A runner-up with more than this share of the winner's cue words keeps a decision from being
/// decisive.
const DECISIVE_RUNNER_UP: f64 = 0.25;

impl Cues {
    pub fn built_in() -> Cues {
        Cues::parse(BUILT_IN_NAME, BUILT_IN_CUES_TOML).expect("built-in cue words are valid")
    }

    pub fn parse(name: &str, text: &str) -> Result<Cues, ConfigError> {
        let file: CuesFile =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(name, text, &e))?;
        let mut owners: HashMap<String, Vec<&'static str>> = HashMap::new();
        for (code, words) in &file.words {
            let line = entry_line(text, "[words]", code);
            let Some(code) = known(code) else {
                return Err(
                    ConfigError::new(name, "not an ISO 639-1 code docnorm can detect")
                        .at_line(line)
                        .entry(code.clone()),
                );
            };
            for word in words {
                if word.is_empty() || word.chars().any(|c| !c.is_alphabetic() || c.is_uppercase()) {
                    return Err(ConfigError::new(name, "a cue word is one lower-case word")
                        .at_line(line)
                        .entry(format!("{code}: {word:?}")));
                }
                let list = owners.entry(word.clone()).or_default();
                if !list.contains(&code) {
                    list.push(code);
                }
            }
        }
        let decisive = decisive_shares(name, text, &file)?;
        let mut codes: Vec<&'static str> = owners.values().flatten().copied().collect();
        codes.sort_unstable();
        codes.dedup();
        // Every code is one `known` accepts, and there are fewer of those.
        assert!(codes.len() <= MAX_LANGUAGES, "{} languages", codes.len());
        let index = |code: &str| codes.iter().position(|c| *c == code).expect("listed") as u8;
        let language_of: FxHashMap<_, _> = owners
            .into_iter()
            .filter(|(_, langs)| langs.len() == 1)
            .map(|(word, langs)| (word.into_bytes().into_boxed_slice(), index(langs[0])))
            .collect();
        let longest = language_of.keys().map(|word| word.len()).max().unwrap_or(0);
        let short_ascii = language_of
            .iter()
            .filter(|(word, _)| word.len() <= 8 && word.is_ascii())
            .map(|(word, &code)| (ascii_key(word), code))
            .collect::<FxHashMap<_, _>>();
        let mut short_ascii_filter = Box::new([0u64; FILTER_WORDS]);
        for &key in short_ascii.keys() {
            let bit = filter_bit(key);
            short_ascii_filter[bit / 64] |= 1 << (bit % 64);
        }
        Ok(Cues {
            codes,
            language_of,
            short_ascii,
            short_ascii_filter,
            longest,
            decisive,
        })
    }

    /// The language the cue words of `text` point at when they decide on their own: a language of
    /// `[decisive]`, its cue words at least its share of the words looked at, and no runner-up
    /// with more than [`DECISIVE_RUNNER_UP`] of its count. The confidence is how far it leads:
    /// 1 minus the runner-up's count over its own.
    pub fn decisive(
        &self,
        text: &str,
        allowed: impl Fn(&str) -> bool,
    ) -> Option<(&'static str, f64)> {
        if self.decisive.is_empty() {
            return None;
        }
        let (hits, looked_at) = self.tally_all(text, allowed);
        let (best, n, runner_up) = hits.leader()?;
        let &(_, share) = self.decisive.iter().find(|(code, _)| *code == best)?;
        let dense = n as f64 >= share * looked_at as f64;
        let alone = runner_up as f64 <= DECISIVE_RUNNER_UP * n as f64;
        (dense && alone).then(|| (best, 1.0 - runner_up as f64 / n as f64))
    }

    /// The allowed language most cue words of `text` point at, with how many, when it leads the
    /// runner-up by two to one.
    pub fn decide(
        &self,
        text: &str,
        allowed: impl Fn(&str) -> bool,
    ) -> Option<(&'static str, u32)> {
        self.count(text, allowed).0
    }

    /// As [`Cues::decide`], and only when at least `min_share` of the words looked at are cues:
    /// a quoted phrase in a long text of another language is not enough.
    pub fn decide_dense(
        &self,
        text: &str,
        allowed: impl Fn(&str) -> bool,
        min_share: f64,
    ) -> Option<(&'static str, u32)> {
        let (decision, words) = self.count(text, allowed);
        decision.filter(|&(_, hits)| hits as f64 >= min_share * words as f64)
    }

    /// Whether the cue words of `text` decide, as [`Cues::decide`] does, on an allowed language
    /// other than `main` with at least `min_hits` words: exactly
    /// `decide(text, allowed).is_some_and(|(code, n)| n >= min_hits && Some(code) != main)`.
    ///
    /// It stops reading as soon as the words left could no longer make another language the
    /// clear winner: that language would need at least `min_hits`, and twice what `main` has.
    pub fn decide_elsewhere(
        &self,
        text: &str,
        main: Option<&str>,
        allowed: impl Fn(&str) -> bool,
        min_hits: u32,
    ) -> bool {
        let main = main.and_then(|main| self.codes.iter().position(|c| *c == main));
        let mut main_hits = 0u32;
        let mut best_other = 0u32;
        let hits = self.tally(text, allowed, |language, n, looked_at| {
            if main == Some(language as usize) {
                main_hits = n;
            } else {
                best_other = best_other.max(n);
            }
            let left = (MAX_WORDS - looked_at) as u32;
            best_other + left >= min_hits.max(2 * main_hits)
        });
        let Some((hits, _)) = hits else {
            return false;
        };
        let main = main.map(|i| self.codes[i]);
        hits.decision()
            .is_some_and(|(code, n)| n >= min_hits && Some(code) != main)
    }

    /// The decision, and how many words were looked at.
    fn count(
        &self,
        text: &str,
        allowed: impl Fn(&str) -> bool,
    ) -> (Option<(&'static str, u32)>, usize) {
        let (hits, looked_at) = self.tally_all(text, allowed);
        (hits.decision(), looked_at)
    }

    /// [`Cues::tally`] to the end: the hits of each allowed language and the words looked at.
    fn tally_all(&self, text: &str, allowed: impl Fn(&str) -> bool) -> (Hits<'_>, usize) {
        self.tally(text, allowed, |_, _, _| true)
            .expect("never stopped early")
    }

    /// Whether the [`ascii_key`] `key` may be a short cue word's: `false` is sure, from the filter.
    #[inline]
    fn may_be_short_cue(&self, key: u64) -> bool {
        let bit = filter_bit(key);
        self.short_ascii_filter[bit / 64] >> (bit % 64) & 1 == 1
    }

    /// The language of a cue word `word` (`ascii` when it is), looked up lower-cased; an ASCII
    /// word is lower-cased on the stack.
    fn language_of_word(&self, word: &str, ascii: bool) -> Option<u8> {
        let mut buffer = [0u8; 64];
        if ascii && let Some(lower) = buffer.get_mut(..word.len()) {
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return self.language_of.get(&*lower).copied();
        }
        // str's own lower-casing: a final Σ is ς, as in `str::to_lowercase`.
        let lower = if ascii {
            word.to_ascii_lowercase()
        } else {
            word.to_lowercase()
        };
        self.language_of.get(lower.as_bytes()).copied()
    }

    /// The hits of each allowed language among the first [`MAX_WORDS`] words, and how many words
    /// were looked at. After each hit, `go_on(language, its hits, words looked at)` may stop the
    /// count: then `None`.
    fn tally(
        &self,
        text: &str,
        allowed: impl Fn(&str) -> bool,
        mut go_on: impl FnMut(u8, u32, usize) -> bool,
    ) -> Option<(Hits<'_>, usize)> {
        let mut hits = Hits {
            counts: [0; MAX_LANGUAGES],
            codes: &self.codes,
        };
        let mut looked_at = 0;
        let words = AlphabeticRuns { text, at: 0 };
        // A paragraph's first words say as much as all of them, at a bounded cost.
        for Run {
            start,
            end,
            ascii,
            key,
        } in words.take(MAX_WORDS)
        {
            looked_at += 1;
            let found = if let Some(key) = key {
                self.may_be_short_cue(key)
                    .then(|| self.short_ascii.get(&key).copied())
                    .flatten()
            } else if ascii && end - start > self.longest {
                // Longer than every cue word (in bytes, lower-cased): cannot be one.
                None
            } else {
                self.language_of_word(&text[start..end], ascii)
            };
            if let Some(language) = found
                && allowed(self.codes[language as usize])
            {
                let n = &mut hits.counts[language as usize];
                *n += 1;
                if !go_on(language, *n, looked_at) {
                    return None;
                }
            }
        }
        Some((hits, looked_at))
    }
}

/// The line of `code`'s entry in `section` of the file's `text`, for error messages.
fn entry_line(text: &str, section: &str, code: &str) -> Option<usize> {
    let start = match text.starts_with(section) {
        true => 0,
        false => text.find(&format!("\n{section}"))?,
    };
    let at = text[start..].find(&format!("\n{code} ="))? + start;
    Some(line_of(text, at + 1))
}

/// The `[decisive]` table, checked: known codes with cue words, shares in (0, 1].
fn decisive_shares(
    name: &str,
    text: &str,
    file: &CuesFile,
) -> Result<Vec<(&'static str, f64)>, ConfigError> {
    let mut out = Vec::new();
    for (code, &share) in &file.decisive {
        let line = entry_line(text, "[decisive]", code);
        let bad = |why: &str| {
            ConfigError::new(name, why)
                .at_line(line)
                .entry(format!("decisive {code}"))
        };
        let Some(known_code) = known(code).filter(|_| file.words.contains_key(code)) else {
            return Err(bad("not a language with cue words"));
        };
        if !(share > 0.0 && share <= 1.0) {
            return Err(bad("a share above 0 and at most 1"));
        }
        out.push((known_code, share));
    }
    Ok(out)
}

/// Most languages cue words can name: more than `known` accepts.
const MAX_LANGUAGES: usize = 128;

/// The cue words counted for each language of [`Cues::codes`], by index.
struct Hits<'a> {
    counts: [u32; MAX_LANGUAGES],
    codes: &'a [&'static str],
}

impl Hits<'_> {
    /// The language most cue words point at, with how many, when it leads the runner-up by two
    /// to one (ties go to the first code in alphabetical order, which then rarely leads clearly).
    fn decision(&self) -> Option<(&'static str, u32)> {
        let (best, n, runner_up) = self.leader()?;
        let clear = n >= 2 * runner_up.max(1) || runner_up == 0;
        clear.then_some((best, n))
    }

    /// The language with most hits, its hits and the runner-up's (0 when none); ties go to the
    /// first code in alphabetical order, the lowest index.
    fn leader(&self) -> Option<(&'static str, u32, u32)> {
        let counts = &self.counts[..self.codes.len()];
        let (best, &n) = counts
            .iter()
            .enumerate()
            .rev()
            .max_by_key(|&(_, n)| n)
            .filter(|&(_, &n)| n > 0)?;
        let runner_up = counts
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != best)
            .map(|(_, &n)| n)
            .max()
            .unwrap_or(0);
        Some((self.codes[best], n, runner_up))
    }
}

/// 64-bit words of [`Cues::short_ascii_filter`]: 32,768 bits, about ten for each cue word.
const FILTER_WORDS: usize = 512;

/// The filter bit of an [`ascii_key`]: the top 15 bits of a multiplicative hash.
#[inline]
fn filter_bit(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 49) as usize
}

/// An ASCII word of at most 8 letters, lower-cased, as one number (little-endian, zero-padded):
/// two words have the same key exactly when they are the same word but for case.
#[inline]
fn ascii_key(letters: &[u8]) -> u64 {
    debug_assert!(letters.len() <= 8);
    // ASCII letters differ from their lower case in the 0x20 bit only; padding stays zero.
    letters
        .iter()
        .enumerate()
        .fold(0, |key, (i, &b)| key | (((b | 0x20) as u64) << (8 * i)))
}

/// [`ascii_key`] of `bytes[start..end]`, ASCII letters, at most 8: one 8-byte load where the
/// bytes go on that far, the bytes after the word masked off.
#[inline]
fn ascii_key_at(bytes: &[u8], start: usize, end: usize) -> u64 {
    let Some(eight) = bytes.get(start..start + 8) else {
        return ascii_key(&bytes[start..end]);
    };
    let word = u64::from_le_bytes(eight.try_into().expect("8 bytes"));
    let mask = u64::MAX >> (64 - 8 * (end - start));
    (word | 0x2020_2020_2020_2020) & mask
}

/// The maximal runs of alphabetic characters of a text: `text.split(|c: char|
/// !c.is_alphabetic())` without the empty pieces, with ASCII read byte by byte.
struct AlphabeticRuns<'a> {
    text: &'a str,
    at: usize,
}

/// One run of [`AlphabeticRuns`], with what the lookup needs, worked out while reading it.
struct Run {
    /// The word's byte range in the text (sliced only when looked up as a string).
    start: usize,
    end: usize,
    ascii: bool,
    /// [`ascii_key`] of the word when it is ASCII of at most 8 letters.
    key: Option<u64>,
}

impl<'a> AlphabeticRuns<'a> {
    /// The character at byte `i` (not ASCII) and whether it is alphabetic.
    #[inline]
    fn wide_char(&self, i: usize) -> (bool, usize) {
        let c = self.text[i..]
            .chars()
            .next()
            .expect("a character starts here");
        (is_alphabetic(c), c.len_utf8())
    }
}

impl Iterator for AlphabeticRuns<'_> {
    type Item = Run;

    // Inlined into the tally, so that a run's parts stay in registers: measured 15 % fewer
    // instructions in the cue scan.
    #[inline(always)]
    fn next(&mut self) -> Option<Run> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        // 16 bytes at a time from their masks: blocks without a letter are skipped, and an ASCII
        // word that ends inside its block is read off them. Anything else (a non-ASCII byte, a
        // word reaching the block's end, the last bytes) goes on byte by byte below.
        while let Some(block) = bytes.get(i..i + 16) {
            let (letters, wide) = letter_masks(block.try_into().expect("16 bytes"));
            let stops = letters | wide;
            if stops == 0 {
                i += 16;
                continue;
            }
            let skip = stops.trailing_zeros() as usize;
            i += skip;
            let len = (!(letters >> skip)).trailing_zeros() as usize;
            let end = skip + len;
            if len == 0 || end == 16 || wide >> end & 1 == 1 {
                break;
            }
            self.at = i + len;
            return Some(Run {
                start: i,
                end: i + len,
                ascii: true,
                key: (len <= 8).then(|| ascii_key_at(bytes, i, i + len)),
            });
        }
        // Up to the next letter.
        loop {
            let Some(&b) = bytes.get(i) else {
                self.at = i;
                return None;
            };
            if b < 0x80 {
                if is_letter(b) {
                    break;
                }
                i += 1;
            } else {
                let (alphabetic, len) = self.wide_char(i);
                if alphabetic {
                    break;
                }
                i += len;
            }
        }
        // The letters.
        let start = i;
        let mut ascii = true;
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if !is_letter(b) {
                    break;
                }
                i += 1;
            } else {
                let (alphabetic, len) = self.wide_char(i);
                if !alphabetic {
                    break;
                }
                ascii = false;
                i += len;
            }
        }
        self.at = i;
        let short = ascii && i - start <= 8;
        Some(Run {
            start,
            end: i,
            ascii,
            key: short.then(|| ascii_key_at(bytes, start, i)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_cues_parse_and_point_at_one_language() {
        let cues = Cues::built_in();
        assert_eq!(
            cues.decide("The cat and the dog", |_| true),
            Some(("en", 3))
        );
        assert_eq!(
            cues.decide("Der Hund und die Katze", |_| true).map(|d| d.0),
            Some("de")
        );
        assert_eq!(
            cues.decide("Bu ev için bir kapı", |_| true).map(|d| d.0),
            Some("tr")
        );
        assert_eq!(cues.decide("Almaty Astana Shymkent", |_| true), None);
        let kyrgyz = "Ар бир адам эркин жана бирдей болуп төрөлөт деп айтылат";
        assert_eq!(
            cues.decide_dense(kyrgyz, |_| true, 0.04).map(|d| d.0),
            Some("ky")
        );
        let quoted = format!(
            "{} жана деп",
            "Это длинный русский текст о погоде. ".repeat(10)
        );
        assert_eq!(cues.decide_dense(&quoted, |_| true, 0.04), None);
    }

    proptest::proptest! {
        #[test]
        fn deciding_elsewhere_is_deciding_then_comparing(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "the", "and", "of", "der", "und", "die", "le", "la", "et", "el", "y", "los",
                    "ve", "bir", "bu", "Almaty", "city", "Stadt", "ville", "on", "in", "a",
                ]),
                0..120,
            ),
            main in proptest::sample::select(vec![None, Some("en"), Some("de"), Some("fr"), Some("es"), Some("tr")]),
            min_hits in 1u32..4,
        ) {
            let cues = Cues::built_in();
            let text = words.join(" ");
            let expected = cues
                .decide(&text, |_| true)
                .is_some_and(|(code, n)| n >= min_hits && Some(code) != main);
            proptest::prop_assert_eq!(cues.decide_elsewhere(&text, main, |_| true, min_hits), expected);
            let no_german = |c: &str| c != "de";
            let expected = cues
                .decide(&text, no_german)
                .is_some_and(|(code, n)| n >= min_hits && Some(code) != main);
            proptest::prop_assert_eq!(cues.decide_elsewhere(&text, main, no_german, min_hits), expected);
        }

        #[test]
        fn alphabetic_runs_are_the_non_empty_pieces_between_other_characters(
            s in "([a-zA-Z]{1,10}[ ,.1é]?){0,8}|([a-zA-Z]{1,20}[ ,.1\\-éßα\u{300}\n]{0,3}){0,12}|.{0,40}"
        ) {
            let expected: Vec<&str> = s.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).collect();
            let runs: Vec<Run> = AlphabeticRuns { text: &s, at: 0 }.collect();
            let words: Vec<&str> = runs.iter().map(|r| &s[r.start..r.end]).collect();
            proptest::prop_assert_eq!(&words, &expected);
            for (run, word) in runs.iter().zip(words) {
                proptest::prop_assert_eq!(run.ascii, word.is_ascii());
                let short = run.ascii && word.len() <= 8;
                proptest::prop_assert_eq!(run.key, short.then(|| ascii_key(word.as_bytes())));
            }
        }
    }

    const ENGLISH: &str = "The court said that the families who have lived in the district for \
        years would be moved to new flats, but many of them told reporters that they were not \
        asked and that the offer was not what they had been promised by the city.";

    #[test]
    fn every_code_docnorm_can_detect_has_a_place_in_the_tally() {
        // What the assertion in `Cues::parse` relies on: each listed code is one `known` accepts.
        let known = super::super::iso::EXTRA_LANGUAGES.len() + whatlang::Lang::all().len();
        assert!(known <= MAX_LANGUAGES, "{known}");
    }

    #[test]
    fn the_filter_passes_every_short_cue_word_and_few_others() {
        let cues = Cues::built_in();
        let passes = |key: u64| cues.may_be_short_cue(key);
        assert!(cues.short_ascii.keys().all(|&key| passes(key)));
        let others: Vec<u64> = ENGLISH
            .split(|c: char| !c.is_ascii_alphabetic())
            .chain([
                "almaty", "astana", "shymkent", "court", "families", "district",
            ])
            .filter(|w| !w.is_empty() && w.len() <= 8)
            .map(|w| ascii_key(w.as_bytes()))
            .filter(|key| !cues.short_ascii.contains_key(key))
            .collect();
        assert!(others.len() >= 15, "{}", others.len());
        assert!(others.iter().filter(|&&key| passes(key)).count() <= 1);
    }

    #[test]
    fn dense_cue_words_of_a_decisive_language_decide_alone() {
        let cues = Cues::built_in();
        let (code, confidence) = cues.decisive(ENGLISH, |_| true).expect("decisive");
        assert_eq!(code, "en");
        assert!(confidence > 0.9, "{confidence}");
        // English not allowed: nothing decides.
        assert_eq!(cues.decisive(ENGLISH, |c| c != "en"), None);
    }

    #[test]
    fn sparse_or_contested_cue_words_leave_the_text_to_whatlang() {
        let cues = Cues::built_in();
        // Danish shares a few words with English ("i", "at", "on"), far below English density.
        let danish = "Det er vigtigt at alle mennesker har ret til liv og frihed, og at ingen \
            må holdes i slaveri eller trældom i nogen form, siger rapporten fra udvalget i dag.";
        assert_eq!(cues.decisive(danish, |_| true), None);
        // French is not in [decisive]: even dense French cue words do not decide.
        let french = "Le tribunal a dit que les familles qui vivent dans le quartier depuis des \
            années seront relogées dans des appartements neufs, mais elles ne sont pas d'accord.";
        assert_eq!(cues.decisive(french, |_| true), None);
        // Half English, half German: the runner-up is too close.
        let mixed = "The court said that the families were not asked und die Familien sagen, \
            dass sie nicht gefragt wurden und dass das Angebot nicht das ist, was man versprach, \
            and that the offer was not what they had been promised by the city.";
        assert_eq!(cues.decisive(mixed, |_| true), None);
    }

    #[test]
    fn decisive_entries_are_checked() {
        let words = "[words]\nen = [\"the\"]\n";
        let ok = Cues::parse("c.toml", &format!("[decisive]\nen = 0.2\n\n{words}")).unwrap();
        assert_eq!(ok.decisive, vec![("en", 0.2)]);
        let err = Cues::parse("c.toml", &format!("[decisive]\nde = 0.2\n\n{words}")).unwrap_err();
        assert_eq!(
            (err.line, err.entry.as_deref()),
            (Some(2), Some("decisive de"))
        );
        let err = Cues::parse("c.toml", &format!("[decisive]\nen = 0.0\n\n{words}")).unwrap_err();
        assert!(err.to_string().contains("share"), "{err}");
        // The words' line numbers still point into [words], not at the [decisive] entry.
        let err =
            Cues::parse("c.toml", "[decisive]\nen = 0.2\n[words]\nen = [\"Two\"]\n").unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
    }

    #[test]
    fn a_word_in_two_lists_counts_for_neither() {
        let cues =
            Cues::parse("c.toml", "[words]\nen = [\"on\", \"the\"]\nfr = [\"on\"]\n").unwrap();
        assert_eq!(cues.decide("on on on", |_| true), None);
        assert_eq!(cues.decide("on the", |_| true), Some(("en", 1)));
    }

    #[test]
    fn bad_entries_are_errors_naming_file_line_and_entry() {
        let err = Cues::parse("c.toml", "[words]\nen = [\"the\"]\nxx = [\"a\"]\n").unwrap_err();
        assert_eq!(
            (err.line, err.entry.as_deref()),
            (Some(3), Some("xx")),
            "{err}"
        );
        let err = Cues::parse("c.toml", "[words]\nen = [\"two words\"]\n").unwrap_err();
        assert!(err.to_string().starts_with("c.toml:2 "), "{err}");
        assert!(Cues::parse("c.toml", "[word]\n").is_err());
    }
}
