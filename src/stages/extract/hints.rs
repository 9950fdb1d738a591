//! What an element's tag, class, id and ARIA role say about it: page furniture to drop whole, or
//! a weight for content scoring. The patterns are compiled once per run.

use std::borrow::Cow;

use regex::Regex;

use super::dom::Tag;

/// Why a subtree is page furniture. Each kind is one audit entry (`extract/dropped-<kind>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Prune {
    /// `<nav>`, `<aside>`, `<footer>`, or an ARIA landmark role of the same meaning.
    Landmark,
    /// Comment threads.
    Comments,
    /// Share bars, related links, sidebars, widgets, menus, ads, cookie banners, newsletters.
    Furniture,
}

impl Prune {
    pub fn rule(self) -> &'static str {
        match self {
            Prune::Landmark => "extract/dropped-landmark",
            Prune::Comments => "extract/dropped-comments",
            Prune::Furniture => "extract/dropped-furniture",
        }
    }
}

pub struct Hints {
    comments: Regex,
    furniture: Regex,
    positive: Regex,
    negative: Regex,
    dateish: Regex,
    bylineish: Regex,
}

impl Default for Hints {
    fn default() -> Self {
        Self::new()
    }
}

impl Hints {
    pub fn new() -> Hints {
        // Word boundaries: class lists are words joined by spaces, `-` or `_`.
        let words = |alternatives: &str| {
            Regex::new(&format!(r"(?i)(?:^|[\s_-])(?:{alternatives})(?:$|[\s_-])"))
                .expect("static pattern")
        };
        Hints {
            comments: words(r"comments?|comment-list|commentlist|disqus|respond|replies"),
            furniture: words(
                "share|sharing|social|sharedaddy|related|sidebar|widget|widgets|navbar|nav|navigation|menu|breadcrumbs?|\
                 cookie|cookies|consent|gdpr|newsletter|subscribe|subscription|signup|promo|advert|advertisement|ads|ad|\
                 sponsored|popup|modal|pagination|pager|sr-only|screen-reader-text|visually-hidden|skip-link|\
                 site-footer|footer|site-header|masthead|toolbar|outbrain|taboola|recommended|more-stories|trending",
            ),
            positive: words(
                "article|articles|content|entry|entry-content|main|post|post-content|post-body|body|text|story|prose|blog|\
                 hentry|instapaper_body|markdown|thread|question|answer|product|description|docs|documentation",
            ),
            negative: words(
                "header|meta|byline|author|date|tags|tag|caption|credit|hidden|banner|combx|contact|foot|\
                 masthead|media|outbrain|shoutbox|sponsor|shopping|tool|card|teaser|aside|extra|legal|copyright",
            ),
            dateish: words(
                "date|dates|published|pubdate|post-date|entry-date|publish-date|posted-on|posted|timestamp|time|dateline|article-date",
            ),
            bylineish: words(
                "author|authors|byline|by-line|author-name|byline-name|writer|contributor|post-author|entry-author",
            ),
        }
    }

    /// Weight and prune decision for a block element, from its tag and its `class`, `id` and
    /// `role` attributes (empty when absent).
    pub fn judge(&self, tag: Tag, class: &str, id: &str, role: &str) -> (i16, Option<Prune>) {
        if matches!(tag, Tag::Nav | Tag::Aside | Tag::Footer)
            || matches!(
                role,
                "navigation" | "complementary" | "contentinfo" | "search" | "menu" | "menubar"
            )
        {
            return (-25, Some(Prune::Landmark));
        }
        let names = class_and_id(class, id);
        if names.is_empty() || matches!(tag, Tag::Body | Tag::Main | Tag::Article) {
            return (self.weight(&names), None);
        }
        let positive = self.positive.is_match(&names);
        if self.comments.is_match(&names) {
            return (-25, Some(Prune::Comments));
        }
        if self.furniture.is_match(&names) && !positive {
            return (-25, Some(Prune::Furniture));
        }
        (self.weight(&names), None)
    }

    fn weight(&self, names: &str) -> i16 {
        let mut w = 0;
        if self.positive.is_match(names) {
            w += 25;
        }
        if self.negative.is_match(names) {
            w -= 25;
        }
        w
    }

    pub fn is_dateish(&self, class: &str, id: &str) -> bool {
        let names = class_and_id(class, id);
        !names.is_empty() && self.dateish.is_match(&names)
    }

    pub fn is_bylineish(&self, class: &str, id: &str) -> bool {
        let names = class_and_id(class, id);
        !names.is_empty() && self.bylineish.is_match(&names)
    }
}

/// The class and id of an element joined by a space (camelCase kept: the patterns ignore case).
fn class_and_id<'a>(class: &'a str, id: &str) -> Cow<'a, str> {
    if id.is_empty() {
        Cow::Borrowed(class)
    } else {
        Cow::Owned(format!("{class} {id}"))
    }
}
