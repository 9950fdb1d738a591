//! What an element's tag, class, id and ARIA role say about it: page furniture to drop whole, or
//! a weight for content scoring. The words are data (`config/extract-hints.toml`, compiled in;
//! a user's file replaces it); the patterns are compiled once per run.

use std::borrow::Cow;

use regex::Regex;
use serde::Deserialize;

use crate::config::{DEFAULT_EXTRACT_HINTS_TOML, EXTRACT_HINTS, RuleSource};
use crate::error::ConfigError;
use crate::stages::pattern::{LazyRegex, check_pattern};

use super::dom::Tag;

/// Why a subtree is page furniture. Each kind is one audit entry (`extract/dropped-<kind>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Prune {
    /// `<nav>`, `<aside>`, or an ARIA landmark role of the same meaning.
    Landmark,
    /// `<footer>` or `role=contentinfo`: never the page's content, however much text it holds
    /// (legal small print and link columns can outweigh a short article).
    Footer,
    /// Comment threads.
    Comments,
    /// Customer reviews and ratings: dropped on product pages only (on a review site or a
    /// service page they can be the content).
    Reviews,
    /// What a shop's buyer works or is sold next, not what the product is: prices, colour and
    /// size pickers, quantity, stock, carousels of similar and recently viewed items. Dropped
    /// on pages that sell one product only.
    Purchase,
    /// Share bars, related links, sidebars, widgets, menus, ads, newsletters.
    Furniture,
    /// Cookie and consent banners, modal dialogs: never the page's content, however much text
    /// they hold.
    Overlay,
    /// A box about the writer (bio, photo, their other posts) under or beside an article: not
    /// the article. Dropped on pages that state an article only, after the choice, and never
    /// furniture to the metadata (its byline names the page's author).
    AuthorBox,
    /// The footer of a post or a documentation page inside the main text (`article-footer`,
    /// `entry-footer`: tags, "Last modified …", "Report a problem"), which its content words
    /// kept from the furniture. Dropped after the choice, and never furniture to the metadata
    /// (it can hold the page's byline and dates).
    ArticleFooter,
}

impl Prune {
    /// Kinds dropped on product pages only; elsewhere the element is as if unmarked.
    pub const PRODUCT_ONLY: [Prune; 2] = [Prune::Reviews, Prune::Purchase];

    /// Kinds that sit beside the main text and are dropped from it after the choice only; they
    /// are never furniture to the metadata.
    pub const BESIDE_TEXT: [Prune; 2] = [Prune::AuthorBox, Prune::ArticleFooter];

    pub fn rule(self) -> &'static str {
        match self {
            Prune::Landmark => "extract/dropped-landmark",
            Prune::Footer => "extract/dropped-footer",
            Prune::Comments => "extract/dropped-comments",
            Prune::Reviews => "extract/dropped-reviews",
            Prune::Purchase => "extract/dropped-purchase",
            Prune::Furniture => "extract/dropped-furniture",
            Prune::Overlay => "extract/dropped-overlay",
            Prune::AuthorBox => "extract/dropped-author-box",
            Prune::ArticleFooter => "extract/dropped-article-footer",
        }
    }
}

/// The word lists of `extract-hints.toml`: each entry a pattern for one whole class/id word.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HintWords {
    prune: PruneWords,
    weight: WeightWords,
    metadata: MetadataWords,
    hidden: HiddenWords,
    /// Optional, so that a user's file from before it still reads.
    #[serde(default)]
    lines: LineWords,
}

/// Patterns for a block's text rather than its class (`[lines]`). Each key is optional: a file
/// from before it gets the built-in list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineWords {
    #[serde(default = "built_in_sign_up")]
    sign_up: Vec<String>,
    #[serde(default = "built_in_dateline")]
    dateline: Vec<String>,
    #[serde(default = "built_in_reviews_heading")]
    reviews_heading: Vec<String>,
    #[serde(default = "built_in_related_heading")]
    related_heading: Vec<String>,
    #[serde(default = "built_in_more_stories_heading")]
    more_stories_heading: Vec<String>,
    #[serde(default = "built_in_labelled_value")]
    labelled_value: Vec<String>,
    #[serde(default = "built_in_reaction_count")]
    reaction_count: Vec<String>,
    #[serde(default = "built_in_post_tally")]
    post_tally: Vec<String>,
}

impl Default for LineWords {
    fn default() -> Self {
        built_in_words().lines
    }
}

fn built_in_sign_up() -> Vec<String> {
    built_in_words().lines.sign_up
}

fn built_in_dateline() -> Vec<String> {
    built_in_words().lines.dateline
}

fn built_in_reviews_heading() -> Vec<String> {
    built_in_words().lines.reviews_heading
}

fn built_in_related_heading() -> Vec<String> {
    built_in_words().lines.related_heading
}

fn built_in_more_stories_heading() -> Vec<String> {
    built_in_words().lines.more_stories_heading
}

fn built_in_labelled_value() -> Vec<String> {
    built_in_words().lines.labelled_value
}

fn built_in_reaction_count() -> Vec<String> {
    built_in_words().lines.reaction_count
}

fn built_in_post_tally() -> Vec<String> {
    built_in_words().lines.post_tally
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PruneWords {
    comments: Vec<String>,
    reviews: Vec<String>,
    purchase: Vec<String>,
    furniture: Vec<String>,
    overlay_substrings: Vec<String>,
    overlay: Vec<String>,
    /// Optional, so that a user's file from before it still reads.
    #[serde(default)]
    author_box: Vec<String>,
    #[serde(default)]
    article_footer: Vec<String>,
    #[serde(default)]
    layout: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightWords {
    positive: Vec<String>,
    negative: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetadataWords {
    dates: Vec<String>,
    bylines: Vec<String>,
    /// Literal separators; optional, so that a user's file from before them still reads (with
    /// the built-in ones).
    #[serde(default = "built_in_spaced_separators")]
    title_separators_spaced: Vec<String>,
    #[serde(default = "built_in_separators")]
    title_separators: Vec<String>,
}

/// One pattern for the title separators: the spaced ones with white space on both sides, the
/// others with or without; literals, longest first, so that `::` is not read as `:`.
fn title_separator(words: &MetadataWords) -> Result<Regex, String> {
    let literals = |list: &[String]| -> Result<String, String> {
        if list.iter().any(|s| s.trim().is_empty()) {
            return Err("a title separator must not be empty or white space".into());
        }
        let mut list: Vec<&String> = list.iter().collect();
        list.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let escaped: Vec<String> = list.iter().map(|s| regex::escape(s.trim())).collect();
        Ok(escaped.join("|"))
    };
    let spaced = literals(&words.title_separators_spaced)?;
    let bare = literals(&words.title_separators)?;
    let pattern = match (spaced.is_empty(), bare.is_empty()) {
        (false, false) => format!(r"\s+(?:{spaced})\s+|\s*(?:{bare})\s*"),
        (false, true) => format!(r"\s+(?:{spaced})\s+"),
        (true, false) => format!(r"\s*(?:{bare})\s*"),
        // Nothing separates: a pattern that never matches.
        (true, true) => r"[^\s\S]".to_string(),
    };
    Regex::new(&pattern).map_err(|e| e.to_string())
}

fn built_in_spaced_separators() -> Vec<String> {
    built_in_words().metadata.title_separators_spaced
}

fn built_in_separators() -> Vec<String> {
    built_in_words().metadata.title_separators
}

/// Whether an optional text pattern (`[lines]`) is given and matches `text`.
fn matches(pattern: &Option<LazyRegex>, text: &str) -> bool {
    pattern.as_ref().is_some_and(|r| r.get().is_match(text))
}

/// The compiled-in file's lists (its optional keys are all present, so this does not recurse).
fn built_in_words() -> HintWords {
    toml::from_str(DEFAULT_EXTRACT_HINTS_TOML).expect("the built-in hints are valid")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HiddenWords {
    classes: Vec<String>,
    /// Optional, so that a user's file from before it still reads.
    #[serde(default)]
    disclosed: Vec<String>,
}

pub struct Hints {
    comments: LazyRegex,
    reviews: LazyRegex,
    shop: LazyRegex,
    furniture: LazyRegex,
    overlay: LazyRegex,
    author_box: Option<LazyRegex>,
    article_footer: Option<LazyRegex>,
    layout: Option<LazyRegex>,
    positive: LazyRegex,
    negative: LazyRegex,
    dateish: LazyRegex,
    bylineish: LazyRegex,
    hidden: LazyRegex,
    disclosed: Option<LazyRegex>,
    sign_up: Option<LazyRegex>,
    dateline: Option<LazyRegex>,
    reviews_heading: Option<LazyRegex>,
    related_heading: Option<LazyRegex>,
    more_stories_heading: Option<LazyRegex>,
    labelled_value: Option<LazyRegex>,
    reaction_count: Option<LazyRegex>,
    post_tally: Option<LazyRegex>,
    title_separator: Regex,
}

impl Default for Hints {
    fn default() -> Self {
        Self::new()
    }
}

impl Hints {
    /// The built-in hints (`config/extract-hints.toml` as compiled in).
    pub fn new() -> Hints {
        let built_in = EXTRACT_HINTS.built_in();
        Hints::from_rules(&built_in).expect("the built-in extract hints are valid")
    }

    /// Hints from an `extract-hints.toml`; errors name the file, and the key of a bad pattern.
    pub fn from_rules(source: &RuleSource) -> Result<Hints, ConfigError> {
        let w: HintWords = toml::from_str(&source.text)
            .map_err(|e| ConfigError::from_toml(&source.name, &source.text, &e))?;
        let proven = source.built_in || source.text == DEFAULT_EXTRACT_HINTS_TOML;
        let compile = |key: &str, lists: &[&[String]], pattern: String| {
            // Each entry on its own first, so that an error can name it.
            for entry in lists.iter().flat_map(|l| l.iter()) {
                let bad = |message: String| {
                    ConfigError::new(&source.name, format!("{key}: {message}")).entry(entry)
                };
                if entry.trim().is_empty() {
                    return Err(bad("an empty pattern would match every class".into()));
                }
                check_pattern(&format!("(?:{entry})")).map_err(bad)?;
            }
            // The built-in lists (or a copy of them, as `config/` holds) are checked now and
            // compiled on the first HTML page (a plain-text run never needs them); a user's are
            // compiled now, so that lists too large to compile are a start-up error.
            let pattern = format!("(?i){pattern}");
            let lazy = if proven {
                LazyRegex::new(pattern)
            } else {
                LazyRegex::compiled(pattern)
            };
            lazy.map_err(|e| ConfigError::new(&source.name, format!("{key}: {e}")))
        };
        // Each entry in a group of its own, so that none reaches past its alternative
        // (`a)|(b` is a valid pattern alone).
        let alternatives = |lists: &[&[String]]| -> String {
            let groups: Vec<String> = lists.concat().iter().map(|e| format!("(?:{e})")).collect();
            groups.join("|")
        };
        // Word boundaries: class lists are words joined by spaces, `-` or `_`.
        let word_pattern =
            |lists: &[&[String]]| format!(r"(?:^|[\s_-])(?:{})(?:$|[\s_-])", alternatives(lists));
        let words = |key: &str, lists: &[&[String]]| compile(key, lists, word_pattern(lists));
        let p = &w.prune;
        // An optional list: none when empty (a user's file from before it).
        let optional = |key: &str, list: &[String]| {
            (!list.is_empty()).then(|| words(key, &[list])).transpose()
        };
        // A list of text patterns, as they are: none when empty.
        let lines = |key: &str, list: &[String]| {
            (!list.is_empty())
                .then(|| compile(key, &[list], alternatives(&[list])))
                .transpose()
        };
        Ok(Hints {
            comments: words("prune.comments", &[&p.comments])?,
            reviews: words("prune.reviews", &[&p.reviews])?,
            // One test of both for the many elements that are neither.
            shop: words("prune.purchase", &[&p.reviews, &p.purchase])?,
            furniture: words("prune.furniture", &[&p.furniture])?,
            overlay: compile(
                "prune.overlay",
                &[&p.overlay_substrings, &p.overlay],
                format!(
                    "{}|{}",
                    alternatives(&[&p.overlay_substrings]),
                    word_pattern(&[&p.overlay])
                ),
            )?,
            author_box: optional("prune.author_box", &p.author_box)?,
            article_footer: optional("prune.article_footer", &p.article_footer)?,
            layout: optional("prune.layout", &p.layout)?,
            positive: words("weight.positive", &[&w.weight.positive])?,
            negative: words("weight.negative", &[&w.weight.negative])?,
            dateish: words("metadata.dates", &[&w.metadata.dates])?,
            bylineish: words("metadata.bylines", &[&w.metadata.bylines])?,
            hidden: words("hidden.classes", &[&w.hidden.classes])?,
            disclosed: optional("hidden.disclosed", &w.hidden.disclosed)?,
            sign_up: lines("lines.sign_up", &w.lines.sign_up)?,
            dateline: lines("lines.dateline", &w.lines.dateline)?,
            reviews_heading: lines("lines.reviews_heading", &w.lines.reviews_heading)?,
            related_heading: lines("lines.related_heading", &w.lines.related_heading)?,
            more_stories_heading: lines(
                "lines.more_stories_heading",
                &w.lines.more_stories_heading,
            )?,
            labelled_value: lines("lines.labelled_value", &w.lines.labelled_value)?,
            reaction_count: lines("lines.reaction_count", &w.lines.reaction_count)?,
            post_tally: lines("lines.post_tally", &w.lines.post_tally)?,
            title_separator: title_separator(&w.metadata)
                .map_err(|why| ConfigError::new(&source.name, why).entry("metadata"))?,
        })
    }

    /// Whether a block's text asks the reader to sign up (`[lines] sign_up`).
    pub fn is_sign_up_line(&self, text: &str) -> bool {
        matches(&self.sign_up, text)
    }

    /// Whether a block's text states a date or a byline (`[lines] dateline`).
    pub fn is_dateline(&self, text: &str) -> bool {
        matches(&self.dateline, text)
    }

    /// Whether a heading introduces customer reviews (`[lines] reviews_heading`).
    pub fn is_reviews_heading(&self, text: &str) -> bool {
        matches(&self.reviews_heading, text)
    }

    /// Whether a heading introduces other things to buy (`[lines] related_heading`).
    pub fn is_related_heading(&self, text: &str) -> bool {
        matches(&self.related_heading, text)
    }

    /// Whether a heading introduces other stories (`[lines] more_stories_heading`).
    pub fn is_more_stories_heading(&self, text: &str) -> bool {
        matches(&self.more_stories_heading, text)
    }

    /// Whether a list item is a label and its value ("Storage: 15 GB", `[lines]
    /// labelled_value`).
    pub fn is_labelled_value(&self, text: &str) -> bool {
        matches(&self.labelled_value, text)
    }

    /// Whether a line only counts a post's reactions ("3 Likes", "12 replies · 40 views",
    /// `[lines] reaction_count`).
    pub fn is_reaction_count(&self, text: &str) -> bool {
        matches(&self.reaction_count, text)
    }

    /// Whether a line beside a thread's posts is only a number or a badge ("12", "#3", "1.2K",
    /// "OP", `[lines] post_tally`).
    pub fn is_post_tally(&self, text: &str) -> bool {
        matches(&self.post_tally, text)
    }

    /// What joins a headline to the site's name in a title (`[metadata]` title separators).
    pub fn title_separator(&self) -> &Regex {
        &self.title_separator
    }

    /// Weight and prune decision for a block element, from its tag, its class and id joined
    /// ([`class_and_id`]) and its `role` (empty when absent); `modal`: it has
    /// `aria-modal="true"`.
    pub fn judge(&self, tag: Tag, names: &str, role: &str, modal: bool) -> (i16, Option<Prune>) {
        if tag == Tag::Footer || role == "contentinfo" {
            return (-25, Some(Prune::Footer));
        }
        if matches!(tag, Tag::Nav | Tag::Aside)
            || matches!(
                role,
                "navigation" | "complementary" | "search" | "menu" | "menubar"
            )
        {
            return (-25, Some(Prune::Landmark));
        }
        if matches!(role, "dialog" | "alertdialog") || modal {
            return (-25, Some(Prune::Overlay));
        }
        let names = self.without_layout(names);
        let names = names.as_ref();
        if names.trim().is_empty() || matches!(tag, Tag::Body | Tag::Main | Tag::Article) {
            return (self.weight(names), None);
        }
        let positive = self.positive.get().is_match(names);
        if self.overlay.get().is_match(names) && !positive {
            return (-25, Some(Prune::Overlay));
        }
        if self.comments.get().is_match(names) {
            return (-25, Some(Prune::Comments));
        }
        if self.furniture.get().is_match(names) && !positive {
            return (-25, Some(Prune::Furniture));
        }
        // Weighed as before: off a product page the kind is lifted and the element is as it was.
        if self.shop.get().is_match(names) {
            let kind = if self.reviews.get().is_match(names) {
                Prune::Reviews
            } else {
                Prune::Purchase
            };
            return (self.weight(names), Some(kind));
        }
        let said = |r: &Option<LazyRegex>| r.as_ref().is_some_and(|r| r.get().is_match(names));
        let beside = if said(&self.author_box) {
            Some(Prune::AuthorBox)
        } else if said(&self.article_footer) {
            Some(Prune::ArticleFooter)
        } else {
            None
        };
        (self.weight(names), beside)
    }

    /// `names` without the words that describe the page's layout (`[prune] layout`: "no-sidebar",
    /// "sidebar-first-only"), which a content column carries as often as its sidebar does.
    fn without_layout<'a>(&self, names: &'a str) -> Cow<'a, str> {
        let Some(layout) = self.layout.as_ref().map(LazyRegex::get) else {
            return Cow::Borrowed(names);
        };
        if names.is_empty() || !layout.is_match(names) {
            return Cow::Borrowed(names);
        }
        // Each match takes the separator after it, which the next word needs before it: repeat
        // until nothing changes ("no-sidebar has-sidebar").
        let mut kept = names.to_string();
        loop {
            let next = layout.replace_all(&kept, " ");
            if next == kept {
                return Cow::Owned(kept);
            }
            kept = next.into_owned();
        }
    }

    fn weight(&self, names: &str) -> i16 {
        let mut w = 0;
        if self.positive.get().is_match(names) {
            w += 25;
        }
        if self.negative.get().is_match(names) {
            w -= 25;
        }
        w
    }

    /// `names`: class and id as [`class_and_id`] joins them.
    pub fn is_dateish(&self, names: &str) -> bool {
        !names.is_empty() && self.dateish.get().is_match(names)
    }

    /// Whether a class attribute marks text the page does not show (screen-reader text).
    pub fn is_hidden_class(&self, class: &str) -> bool {
        !class.is_empty() && self.hidden.get().is_match(class)
    }

    /// Whether an element's class and id ([`class_and_id`]) say that it is hidden only until the
    /// reader opens it: an accordion's or a FAQ's answer, a collapsed section (`[hidden]
    /// disclosed`).
    pub fn is_disclosed(&self, names: &str) -> bool {
        !names.is_empty()
            && self
                .disclosed
                .as_ref()
                .is_some_and(|r| r.get().is_match(names))
    }

    /// `names`: class and id as [`class_and_id`] joins them.
    pub fn is_bylineish(&self, names: &str) -> bool {
        !names.is_empty() && self.bylineish.get().is_match(names)
    }
}

/// The class and id of an element joined by a space (camelCase kept: the patterns ignore case).
pub fn class_and_id<'a>(class: &'a str, id: &str) -> Cow<'a, str> {
    if id.is_empty() {
        Cow::Borrowed(class)
    } else {
        Cow::Owned(format!("{class} {id}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_hints(text: &str) -> Result<Hints, ConfigError> {
        Hints::from_rules(&RuleSource::named("mine/extract-hints.toml", text))
    }

    #[test]
    fn built_in_words_match_whole_class_words_only() {
        let h = Hints::new();
        let prune = |names: &str| h.judge(Tag::Div, names, "", false).1;
        assert_eq!(prune("site-nav"), Some(Prune::Furniture));
        // Marked as content too: it stays.
        assert_eq!(prune("site-nav main"), None);
        assert_eq!(prune("canvas"), None);
        assert_eq!(prune("comment-list"), Some(Prune::Comments));
        assert_eq!(prune("bbccookies-prompt"), Some(Prune::Overlay));
        assert_eq!(prune("cookie-notice"), Some(Prune::Overlay));
        assert_eq!(prune("tag-cookiesandcream"), None);
        assert_eq!(prune("user-title"), Some(Prune::Furniture));
        // A poster's signature is the footer of a post; in a compound it names something else.
        assert_eq!(prune("signature"), Some(Prune::ArticleFooter));
        assert_eq!(prune("ipsEntry__signature"), Some(Prune::ArticleFooter));
        assert_eq!(prune("digital-signature-compatible-row"), None);
        assert_eq!(prune("abh_box"), Some(Prune::AuthorBox));
        assert_eq!(prune("post-author_bio"), Some(Prune::AuthorBox));
        assert_eq!(prune("author"), None);
        assert_eq!(prune("coauthor-box"), None);
        assert_eq!(prune("article-footer__inner"), Some(Prune::ArticleFooter));
        assert_eq!(prune("entry-footer"), Some(Prune::ArticleFooter));
        // Not marked as content: plain furniture.
        assert_eq!(prune("doc-footer"), Some(Prune::Furniture));
        assert!(h.is_dateish("entry-date") && !h.is_dateish("update"));
        assert!(h.is_disclosed("cmp-accordion__panel cmp-accordion__panel--hidden"));
        assert!(h.is_disclosed("faq__answer") && h.is_disclosed("chakra-collapse"));
        assert!(!h.is_disclosed("modal"));
        assert!(!h.is_disclosed("") && !h.is_disclosed("drawer"));
    }

    #[test]
    fn words_for_the_layout_are_not_the_sidebar() {
        let h = Hints::new();
        let judge = |names: &str| h.judge(Tag::Div, names, "", false);
        // A content column that says what the layout beside it is.
        assert_eq!(judge("col-sm-9 sidebar-first-only").1, None);
        assert_eq!(judge("o-layout has-sidebar").1, None);
        assert_eq!(judge("no-sidebar has-sidebar").1, None);
        assert_eq!(judge("layout-two-sidebars").1, None);
        // The sidebars themselves still are.
        assert_eq!(judge("sidebar-first").1, Some(Prune::Furniture));
        assert_eq!(judge("has-sidebar sidebar").1, Some(Prune::Furniture));
        assert_eq!(judge("left-sidebar").1, Some(Prune::Furniture));
        // What is left of the names is weighed as before.
        assert_eq!(judge("has-sidebar entry-content").0, 25);
        // A user's file without the list reads the layout words as before.
        let text = DEFAULT_EXTRACT_HINTS_TOML.replace(
            r#""(?:no|has|with|without|one|two|three)-sidebars?", "sidebars?-(?:first|second|left|right)-only","#,
            "",
        );
        assert_ne!(text, DEFAULT_EXTRACT_HINTS_TOML);
        let mine = user_hints(&text).unwrap();
        assert_eq!(
            mine.judge(Tag::Div, "o-layout has-sidebar", "", false).1,
            Some(Prune::Furniture)
        );
    }

    #[test]
    fn a_users_file_adds_a_word_without_touching_the_code() {
        let text = DEFAULT_EXTRACT_HINTS_TOML
            .replace("\"trending\",", "\"trending\", \"member-callout\",");
        assert_ne!(text, DEFAULT_EXTRACT_HINTS_TOML);
        let mine = user_hints(&text).unwrap();
        let names = "box member-callout";
        assert_eq!(
            mine.judge(Tag::Div, names, "", false).1,
            Some(Prune::Furniture)
        );
        assert_eq!(Hints::new().judge(Tag::Div, names, "", false).1, None);
    }

    #[test]
    fn an_entry_stays_within_its_word() {
        // Valid alone, and would reach past the word boundaries if joined as it is.
        let text = DEFAULT_EXTRACT_HINTS_TOML.replace("\"trending\",", "\"zz)|(?:q\",");
        let mine = user_hints(&text).unwrap();
        assert_eq!(
            mine.judge(Tag::Div, "q", "", false).1,
            Some(Prune::Furniture)
        );
        assert_eq!(mine.judge(Tag::Div, "faq", "", false).1, None);
    }

    #[test]
    fn bad_patterns_unknown_keys_and_missing_lists_are_errors_saying_where() {
        let bad = DEFAULT_EXTRACT_HINTS_TOML.replace("\"disqus\",", "\"disq(us\",");
        let err = user_hints(&bad).err().expect("a bad pattern");
        let message = err.to_string();
        assert!(message.starts_with("mine/extract-hints.toml"), "{message}");
        assert!(message.contains("prune.comments"), "{message}");
        assert_eq!(err.entry.as_deref(), Some("disq(us"));

        let empty = DEFAULT_EXTRACT_HINTS_TOML.replace("\"disqus\",", "\" \",");
        let message = user_hints(&empty).err().expect("a blank entry").to_string();
        assert!(message.contains("prune.comments"), "{message}");

        let unknown = format!("{DEFAULT_EXTRACT_HINTS_TOML}\n[prune2]\nx = []\n");
        let err = user_hints(&unknown).err().expect("an unknown section");
        assert!(err.line.is_some(), "{err}");

        // A file missing whole lists names the first one it lacks.
        let message = user_hints("[prune]\ncomments = []\n")
            .err()
            .expect("lists missing")
            .to_string();
        assert!(message.starts_with("mine/extract-hints.toml"), "{message}");
        assert!(message.contains("missing field `reviews`"), "{message}");
    }

    #[test]
    fn the_built_in_lists_compile_and_a_users_too_large_list_is_refused_at_once() {
        // Compiled now as a user's edited copy: what proves the lazily compiled built-ins (and
        // unedited copies) never fail.
        let edited = DEFAULT_EXTRACT_HINTS_TOML.replace("\"disqus\",", "\"disqus\", \"zzq\",");
        let hints = user_hints(&edited).expect("an edited copy reads");
        assert_eq!(
            hints.judge(Tag::Div, "zzq", "", false).1,
            Some(Prune::Comments)
        );
        let huge = format!("\"{}\",", r"\\w{1000}".repeat(20));
        let text = DEFAULT_EXTRACT_HINTS_TOML.replace("\"disqus\",", &huge);
        let message = user_hints(&text).err().expect("too large").to_string();
        assert!(message.contains("prune.comments"), "{message}");
        assert!(message.contains("size limit"), "{message}");
    }

    #[test]
    fn a_users_file_from_before_author_boxes_still_reads() {
        let start = DEFAULT_EXTRACT_HINTS_TOML.find("author_box = [").unwrap();
        let end = start + DEFAULT_EXTRACT_HINTS_TOML[start..].find("\n]").unwrap() + 2;
        let older = format!(
            "{}{}",
            &DEFAULT_EXTRACT_HINTS_TOML[..start],
            &DEFAULT_EXTRACT_HINTS_TOML[end..]
        );
        let mine = user_hints(&older).unwrap();
        assert_eq!(mine.judge(Tag::Div, "author-box", "", false).1, None);
    }

    /// The built-in file with its `[metadata]` separator lines replaced by `lines`.
    fn with_separators(lines: &str) -> String {
        let start = DEFAULT_EXTRACT_HINTS_TOML
            .find("# What joins a headline")
            .unwrap();
        let end = DEFAULT_EXTRACT_HINTS_TOML
            .find("title_separators = [")
            .unwrap();
        let end = end + DEFAULT_EXTRACT_HINTS_TOML[end..].find('\n').unwrap() + 1;
        format!(
            "{}{lines}{}",
            &DEFAULT_EXTRACT_HINTS_TOML[..start],
            &DEFAULT_EXTRACT_HINTS_TOML[end..]
        )
    }

    #[test]
    fn title_separators_are_data_spaced_or_bare_and_a_file_without_them_gets_the_built_in_ones() {
        let split = |h: &Hints, title: &str| -> Vec<String> {
            h.title_separator()
                .split(title)
                .map(str::to_string)
                .collect()
        };
        let built_in = Hints::new();
        assert_eq!(split(&built_in, "Headline - Site"), ["Headline", "Site"]);
        assert_eq!(
            split(&built_in, "Well-known name|Site"),
            ["Well-known name", "Site"]
        );
        assert_eq!(split(&built_in, "A :: B : C"), ["A", "B", "C"]);
        let older = user_hints(&with_separators("")).unwrap();
        assert_eq!(
            split(&older, "Headline | Site - Section"),
            ["Headline", "Site", "Section"]
        );
        let mine = user_hints(&with_separators(
            "title_separators_spaced = [\"at\"]\ntitle_separators = [\"//\"]\n",
        ))
        .unwrap();
        assert_eq!(
            split(&mine, "Headline at Site//Section - Rest"),
            ["Headline", "Site", "Section - Rest"]
        );
        assert_eq!(split(&mine, "Cat nap"), ["Cat nap"]);
        let none = user_hints(&with_separators(
            "title_separators_spaced = []\ntitle_separators = []\n",
        ))
        .unwrap();
        assert_eq!(split(&none, "Headline | Site"), ["Headline | Site"]);
        let blank = user_hints(&with_separators("title_separators = [\" \"]\n"));
        let message = blank
            .err()
            .expect("a blank separator is an error")
            .to_string();
        assert!(message.contains("title separator"), "{message}");
    }

    #[test]
    fn text_patterns_are_data_and_a_file_without_them_gets_the_built_in_ones() {
        let built_in = Hints::new();
        assert!(built_in.is_sign_up_line("Sign up for our newsletter to get the week's stories."));
        assert!(built_in.is_sign_up_line("By signing up, you agree to our Terms of Use."));
        assert!(!built_in.is_sign_up_line("The council's newsletter will print the timetable."));
        assert!(built_in.is_dateline("Published on July 18, 2025"));
        assert!(built_in.is_dateline("By Jane Doe"));
        assert!(!built_in.is_dateline("Save ten percent today."));
        assert!(built_in.is_reviews_heading("Customer Reviews (29)"));
        assert!(built_in.is_related_heading("You may also like"));
        assert!(!built_in.is_related_heading("You may also like our story"));
        assert!(built_in.is_more_stories_heading("Latest News"));
        assert!(built_in.is_more_stories_heading("Related posts:"));
        assert!(built_in.is_more_stories_heading("You might also like"));
        assert!(!built_in.is_more_stories_heading("Latest news on the merger"));
        assert!(built_in.is_labelled_value("Storage: 15 GB available space"));
        assert!(!built_in.is_labelled_value("Phone consultation with a writer"));
        assert!(!built_in.is_labelled_value("A consultation with one of our writers: an hour"));
        assert!(built_in.is_reaction_count("3 Likes"));
        assert!(built_in.is_reaction_count("1,693 views"));
        assert!(built_in.is_reaction_count("12 replies · 1.2k views"));
        assert!(!built_in.is_reaction_count("I have 3 likes on my post"));
        assert!(!built_in.is_reaction_count("Likes"));
        assert!(built_in.is_reaction_count("Posts: 1,204"));
        assert!(built_in.is_reaction_count("Reaction score: 310"));
        assert!(!built_in.is_reaction_count("Posts: see the archive"));
        for tally in ["12", "#3", "-2", "1.2K", "OP", "Author", "Views"] {
            assert!(built_in.is_post_tally(tally), "{tally}");
        }
        assert!(!built_in.is_post_tally("12 monkeys"));
        assert!(!built_in.is_post_tally("Author: Jane Doe"));
        let start = DEFAULT_EXTRACT_HINTS_TOML.find("\n[lines]").unwrap();
        let before_lines = &DEFAULT_EXTRACT_HINTS_TOML[..start];
        let older = user_hints(before_lines).unwrap();
        assert!(older.is_sign_up_line("Sign up for our newsletter"));
        assert!(older.is_reviews_heading("Reviews"));
        let mine = format!("{before_lines}\n[lines]\nsign_up = ['^register now']\ndateline = []\n");
        let mine = user_hints(&mine).unwrap();
        assert!(mine.is_sign_up_line("Register now for free"));
        assert!(!mine.is_sign_up_line("Please register now"));
        assert!(!mine.is_dateline("By Jane Doe"));
        assert!(mine.is_related_heading("Frequently bought together"));
        assert!(mine.is_reaction_count("3 Likes"));
        let bad = format!("{before_lines}\n[lines]\ndateline = ['(']\n");
        let message = user_hints(&bad).err().expect("a bad pattern").to_string();
        assert!(message.contains("lines.dateline"), "{message}");
    }
}
