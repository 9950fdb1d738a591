//! The parsed page flattened in one iterative pass: block-level elements in an arena (preorder, so
//! a parent always comes before its children), the text between block boundaries as [`Block`]s,
//! and the raw metadata met on the way. Nothing here recurses per level of nesting, and the arena
//! is at most `max_depth` deep: deeper block elements are read as inline, their text kept.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

use super::hints::{Hints, Prune};
use super::{Deadline, Overrun};

/// The tags the extractor tells apart; every other element is inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Root,
    Body,
    Article,
    Main,
    Section,
    Div,
    P,
    Heading(u8),
    Li,
    List,
    Dt,
    Dd,
    Table,
    Tr,
    Blockquote,
    Pre,
    Header,
    Footer,
    Nav,
    Aside,
    Form,
    Figure,
    OtherBlock,
}

impl Tag {
    fn of(name: &str) -> Option<Tag> {
        Some(match name {
            "body" => Tag::Body,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "section" => Tag::Section,
            "div" | "center" | "td" | "th" | "details" => Tag::Div,
            "p" => Tag::P,
            "h1" => Tag::Heading(1),
            "h2" => Tag::Heading(2),
            "h3" => Tag::Heading(3),
            "h4" => Tag::Heading(4),
            "h5" => Tag::Heading(5),
            "h6" => Tag::Heading(6),
            "li" => Tag::Li,
            "ul" | "ol" | "dl" | "menu" => Tag::List,
            "dt" => Tag::Dt,
            "dd" => Tag::Dd,
            "table" | "tbody" | "thead" | "tfoot" => Tag::Table,
            "tr" => Tag::Tr,
            "blockquote" => Tag::Blockquote,
            "pre" => Tag::Pre,
            "header" => Tag::Header,
            "footer" => Tag::Footer,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "form" | "fieldset" => Tag::Form,
            "figure" => Tag::Figure,
            "figcaption" | "address" | "summary" | "caption" | "hgroup" | "legend" | "hr" => {
                Tag::OtherBlock
            }
            _ => return None,
        })
    }

    /// A paragraph-like element: its text is one unit and its parent is the container scored.
    pub fn is_paragraph(self) -> bool {
        matches!(
            self,
            Tag::P
                | Tag::Heading(_)
                | Tag::Li
                | Tag::Dt
                | Tag::Dd
                | Tag::Blockquote
                | Tag::Pre
                | Tag::Tr
                | Tag::OtherBlock
        )
    }
}

/// Elements whose content is never text of the page.
const SKIPPED: &[&str] = &[
    "script", "style", "template", "svg", "math", "iframe", "object", "embed", "canvas", "select",
    "option", "button", "input", "textarea", "video", "audio", "map", "dialog",
];

/// One block-level element of the arena.
#[derive(Debug, Clone)]
pub struct El {
    pub tag: Tag,
    /// Index of the parent in the arena (the root is its own parent).
    pub parent: u32,
    /// Class/id/role hint for scoring: positive for content, negative for furniture.
    pub weight: i16,
    /// Why this element and everything in it is page furniture, if it is.
    pub prune: Option<Prune>,
}

/// A run of text between two block boundaries.
#[derive(Debug, Clone)]
pub struct Block {
    pub start: u32,
    pub end: u32,
    /// Characters in the block, and how many of them are link text.
    pub chars: u32,
    pub link_chars: u32,
    /// The innermost arena element holding the text.
    pub owner: u32,
}

/// A piece of metadata found in the body, with the arena element it sits in.
#[derive(Debug, Clone)]
pub struct Found {
    /// The text as found.
    pub text: String,
    /// The innermost block element around it (kept for ranking candidates by position).
    #[allow(dead_code)]
    pub el: u32,
}

/// Metadata as the page states it, before any interpretation.
#[derive(Debug, Default)]
pub struct RawMeta {
    /// `<meta>` tags: (name, property or itemprop, lower-cased) → content.
    pub metas: Vec<(String, String)>,
    pub title: Option<String>,
    pub canonical: Option<String>,
    pub json_ld: Vec<String>,
    /// `datetime` attributes, `itemprop=datePublished` values and short texts of date-like elements.
    pub dates: Vec<Found>,
    /// Texts of author-like elements: `rel=author`, `itemprop=author`, class/id `author`, `byline`.
    pub bylines: Vec<Found>,
}

/// The flattened page.
#[derive(Debug, Default)]
pub struct Page {
    pub els: Vec<El>,
    pub blocks: Vec<Block>,
    pub text: String,
    pub meta: RawMeta,
    /// Whether block elements deeper than the cap were read as inline.
    pub depth_capped: bool,
}

impl Page {
    pub fn block_text(&self, b: &Block) -> &str {
        &self.text[b.start as usize..b.end as usize]
    }
}

/// Most byline and date candidates kept per page, and most characters read of each.
const MAX_CANDIDATES: usize = 40;
const MAX_CANDIDATE_CHARS: usize = 200;

/// State of the single pass over the tree.
struct Builder<'a> {
    page: Page,
    hints: &'a Hints,
    max_depth: usize,
    /// Open arena elements: (node id, arena index).
    stack: Vec<(ego_tree::NodeId, u32)>,
    buf: String,
    buf_link_chars: u32,
    link_depth: u32,
    pre_depth: u32,
}

pub fn flatten(
    html: &Html,
    hints: &Hints,
    max_depth: usize,
    deadline: &Deadline,
) -> Result<Page, Overrun> {
    let mut b = Builder {
        page: Page::default(),
        hints,
        max_depth: max_depth.max(2),
        stack: Vec::new(),
        buf: String::new(),
        buf_link_chars: 0,
        link_depth: 0,
        pre_depth: 0,
    };
    b.page.els.push(El {
        tag: Tag::Root,
        parent: 0,
        weight: 0,
        prune: None,
    });
    let mut skip_until: Option<ego_tree::NodeId> = None;
    for (n, edge) in html.tree.root().traverse().enumerate() {
        if n % 4096 == 4095 {
            deadline.check("reading the page")?;
        }
        match edge {
            Edge::Open(node) => {
                if skip_until.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => b.text(t),
                    Node::Element(_) => {
                        let el = ElementRef::wrap(node).expect("an element node");
                        if !b.open(el) {
                            skip_until = Some(node.id());
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skip_until == Some(node.id()) {
                    skip_until = None;
                    continue;
                }
                if skip_until.is_none() && node.value().is_element() {
                    b.close(
                        node.id(),
                        node.value().as_element().map_or("", |e| e.name()),
                    );
                }
            }
        }
    }
    b.flush();
    Ok(b.page)
}

impl Builder<'_> {
    fn top(&self) -> u32 {
        self.stack.last().map_or(0, |&(_, i)| i)
    }

    /// Handles an opening tag; false when its whole subtree is to be skipped.
    fn open(&mut self, el: ElementRef) -> bool {
        let e = el.value();
        let name = e.name();
        match name {
            "title" => {
                if self.page.meta.title.is_none() {
                    self.page.meta.title = Some(short_text(el, 1000));
                }
                return false;
            }
            "meta" => {
                let key = e
                    .attr("property")
                    .or_else(|| e.attr("name"))
                    .or_else(|| e.attr("itemprop"));
                if let (Some(k), Some(v)) = (key, e.attr("content"))
                    && self.page.meta.metas.len() < 500
                {
                    self.page
                        .meta
                        .metas
                        .push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
                return false;
            }
            "link" => {
                let canonical = e
                    .attr("rel")
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical"));
                if canonical && self.page.meta.canonical.is_none() {
                    self.page.meta.canonical = e.attr("href").map(|h| h.trim().to_string());
                }
                return false;
            }
            "script" => {
                let ld = e
                    .attr("type")
                    .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"));
                if ld && self.page.meta.json_ld.len() < 20 {
                    self.page.meta.json_ld.push(el.text().collect());
                }
                return false;
            }
            "br" => {
                self.push_break();
                return true;
            }
            "td" | "th" => self.buf.push(' '),
            _ => {}
        }
        if name == "head" {
            // <head> holds no text, but its <title>, <meta> and <script> are wanted.
            return true;
        }
        if SKIPPED.contains(&name)
            || is_hidden(e)
            || self.hints.is_hidden_class(e.attr("class").unwrap_or(""))
        {
            return false;
        }
        self.note_metadata(el);
        if name == "a" {
            self.link_depth += 1;
        }
        if name == "pre" {
            self.pre_depth += 1;
        }
        let Some(tag) = Tag::of(name) else {
            return true;
        };
        if self.stack.len() >= self.max_depth {
            self.page.depth_capped = true;
            return true;
        }
        self.flush();
        let (weight, prune) = self.hints.judge(tag, e);
        let parent = self.top();
        self.page.els.push(El {
            tag,
            parent,
            weight,
            prune,
        });
        let index = (self.page.els.len() - 1) as u32;
        self.stack.push((el.id(), index));
        true
    }

    fn close(&mut self, id: ego_tree::NodeId, name: &str) {
        match name {
            "a" => self.link_depth = self.link_depth.saturating_sub(1),
            "pre" => self.pre_depth = self.pre_depth.saturating_sub(1),
            _ => {}
        }
        if self.stack.last().is_some_and(|&(top, _)| top == id) {
            self.flush();
            self.stack.pop();
        }
    }

    /// Appends a text node, collapsing white space outside `<pre>`.
    fn text(&mut self, t: &str) {
        let before = self.buf.len();
        if self.pre_depth > 0 {
            self.buf.push_str(t);
        } else {
            for c in t.chars() {
                if c.is_whitespace() {
                    if !self.buf.is_empty() && !self.buf.ends_with([' ', '\n']) {
                        self.buf.push(' ');
                    }
                } else {
                    self.buf.push(c);
                }
            }
        }
        if self.link_depth > 0 {
            self.buf_link_chars += self.buf[before..].chars().count() as u32;
        }
    }

    fn push_break(&mut self) {
        while self.buf.ends_with(' ') {
            self.buf.pop();
        }
        if !self.buf.is_empty() && !self.buf.ends_with('\n') {
            self.buf.push('\n');
        }
    }

    /// Ends the current block at a block boundary.
    fn flush(&mut self) {
        let text = self.buf.trim();
        if !text.is_empty() {
            let start = self.page.text.len() as u32;
            self.page.text.push_str(text);
            let chars = text.chars().count() as u32;
            self.page.blocks.push(Block {
                start,
                end: self.page.text.len() as u32,
                chars,
                link_chars: self.buf_link_chars.min(chars),
                owner: self.top(),
            });
        }
        self.buf.clear();
        self.buf_link_chars = 0;
    }

    /// Keeps author and date candidates met in the body.
    fn note_metadata(&mut self, el: ElementRef) {
        let e = el.value();
        let owner = self.top();
        let meta = &mut self.page.meta;
        let itemprop = e.attr("itemprop").unwrap_or("");
        let datetime = e.attr("datetime").or_else(|| {
            (itemprop == "datePublished")
                .then(|| e.attr("content"))
                .flatten()
        });
        if meta.dates.len() < MAX_CANDIDATES {
            if let Some(d) = datetime {
                meta.dates.push(Found {
                    text: d.to_string(),
                    el: owner,
                });
            } else if e.name() == "time" || itemprop == "datePublished" || self.hints.is_dateish(e)
            {
                let text = short_text(el, MAX_CANDIDATE_CHARS);
                if !text.is_empty() && text.len() < MAX_CANDIDATE_CHARS {
                    meta.dates.push(Found { text, el: owner });
                }
            }
        }
        let authorish = itemprop == "author"
            || e.attr("rel")
                .is_some_and(|r| r.eq_ignore_ascii_case("author"))
            || self.hints.is_bylineish(e);
        if authorish && meta.bylines.len() < MAX_CANDIDATES {
            let text = short_text(el, MAX_CANDIDATE_CHARS);
            if !text.is_empty() && text.len() < MAX_CANDIDATE_CHARS {
                meta.bylines.push(Found { text, el: owner });
            }
        }
    }
}

/// The element's text with white space collapsed, reading at most a few hundred nodes.
fn short_text(el: ElementRef, max_chars: usize) -> String {
    let mut out = String::new();
    for node in el.descendants().take(300) {
        let in_code = node
            .parent()
            .and_then(|p| p.value().as_element())
            .is_some_and(|e| matches!(e.name(), "style" | "script" | "noscript" | "template"));
        if in_code {
            continue;
        }
        if let Node::Text(t) = node.value() {
            for word in t.split_whitespace() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
            }
            if out.len() >= max_chars {
                break;
            }
        }
    }
    out
}

/// Content the page does not show: `hidden`, `aria-hidden`, inline `display:none`.
///
/// React's streamed server rendering sends each finished part of the page as
/// `<div hidden id="S:n">`, which a script moves into place: those are shown, not hidden.
fn is_hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() && !e.attr("id").is_some_and(|id| id.starts_with("S:")) {
        return true;
    }
    e.attr("style").is_some_and(|s| {
        let s = s.to_ascii_lowercase().replace(' ', "");
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}
