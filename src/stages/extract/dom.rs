//! The page flattened in one streaming pass over its tokens, with no DOM: block-level elements in
//! an arena (preorder, so a parent always comes before its children), the text between block
//! boundaries as [`Block`]s, and the raw metadata met on the way. A stack of open elements stands
//! in for the tree builder where it matters for text: the end tags the HTML standard implies
//! (`<p>`, `<li>`, `<dt>`/`<dd>`, table cells and rows, `<option>`, headings), stray end tags, and
//! one end tag closing several open elements. Nothing here recurses or rescans the stack per
//! level of nesting (scope searches are bounded), and the arena is at most `max_depth` deep:
//! deeper block elements are read as inline, their text kept.

use super::hints::{self, Hints, Prune};
use super::tokens::{self, Attr, Token, Tokenizer};
use super::{Deadline, Overrun};

/// The tags the extractor tells apart; every other element is inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// `<figcaption>`: a picture's caption or credit, which annotators leave out of the text.
    Caption,
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
            "figcaption" => Tag::Caption,
            "address" | "summary" | "caption" | "hgroup" | "legend" | "hr" => Tag::OtherBlock,
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
                | Tag::Caption
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
    /// A hash of its tag and class attribute: the items of a list of similar records (a
    /// product grid's cards, a listing's entries, a thread's posts) share it.
    pub look: u32,
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
    /// The innermost block element around it.
    pub el: u32,
    /// Where it was met: the number of text blocks before it (`page.blocks[at..]` follow it).
    pub at: u32,
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
    /// Whether an element is a schema.org `Product` in microdata (`itemtype`), as shops state
    /// what JSON-LD would.
    pub microdata_product: bool,
    /// Whether an element's microdata `itemtype` is a schema.org `DiscussionForumPosting` or
    /// `QAPage`: a forum thread or a Q&A page that states so without JSON-LD.
    pub microdata_discussion: bool,
}

/// The flattened page.
#[derive(Debug, Default)]
pub struct Page {
    pub els: Vec<El>,
    pub blocks: Vec<Block>,
    pub text: String,
    pub meta: RawMeta,
    /// How many block elements were read as inline for being deeper than the cap.
    pub capped_elements: u32,
}

impl Block {
    /// Mostly link text: more than half its characters (menus, tag lists, "read more").
    pub fn link_dense(&self) -> bool {
        self.link_chars * 2 > self.chars
    }
}

impl Page {
    pub fn block_text(&self, b: &Block) -> &str {
        &self.text[b.start as usize..b.end as usize]
    }
}

/// Most byline and date candidates kept per page, and most characters read of each.
const MAX_CANDIDATES: usize = 40;
const MAX_CANDIDATE_CHARS: usize = 200;
/// Most nodes (tags and texts) read of one candidate, and most candidates open at once.
const MAX_CANDIDATE_NODES: u32 = 300;
const MAX_OPEN_CANDIDATES: usize = 64;
/// Most open elements a scope search looks at before giving up (a hostile page may have 10^5).
const MAX_SCOPE_SEARCH: usize = 512;
/// Tokens between two looks at the clock.
const TOKENS_PER_CHECK: usize = 4096;

/// What the tree-building rules need to know of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    P,
    Li,
    Dd,
    Dt,
    Tr,
    Td,
    Th,
    TableSection,
    Table,
    Caption,
    List,
    Option,
    Optgroup,
    A,
    Heading,
    Button,
    /// `html`, `applet`, `marquee`, `object`: scope boundaries for every search.
    Boundary,
    Template,
    Foreign,
    /// Another element of the standard's "special" category (`div`, `section`, …).
    Special,
    Other,
}

const KINDS: usize = Kind::Other as usize + 1;

impl Kind {
    fn of(name: &str) -> Kind {
        match name {
            "p" => Kind::P,
            "li" => Kind::Li,
            "dd" => Kind::Dd,
            "dt" => Kind::Dt,
            "tr" => Kind::Tr,
            "td" => Kind::Td,
            "th" => Kind::Th,
            "tbody" | "thead" | "tfoot" => Kind::TableSection,
            "table" => Kind::Table,
            "caption" => Kind::Caption,
            "ul" | "ol" => Kind::List,
            "option" => Kind::Option,
            "optgroup" => Kind::Optgroup,
            "a" => Kind::A,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading,
            "button" => Kind::Button,
            "html" | "applet" | "marquee" | "object" => Kind::Boundary,
            "template" => Kind::Template,
            "svg" | "math" => Kind::Foreign,
            "address" | "article" | "aside" | "blockquote" | "body" | "center" | "colgroup"
            | "details" | "dialog" | "dir" | "div" | "dl" | "fieldset" | "figcaption"
            | "figure" | "footer" | "form" | "frameset" | "head" | "header" | "hgroup"
            | "iframe" | "listing" | "main" | "menu" | "nav" | "noembed" | "noframes"
            | "noscript" | "plaintext" | "pre" | "script" | "search" | "section" | "select"
            | "style" | "summary" | "textarea" | "title" | "xmp" => Kind::Special,
            _ => Kind::Other,
        }
    }

    fn is_special(self) -> bool {
        !matches!(self, Kind::A | Kind::Option | Kind::Optgroup | Kind::Other)
    }

    /// A boundary of the standard's default scope (`td`, `th`, `table`, `caption`, `template`,
    /// `html`, …, and foreign elements).
    fn bounds_scope(self) -> bool {
        matches!(
            self,
            Kind::Td
                | Kind::Th
                | Kind::Table
                | Kind::Caption
                | Kind::Boundary
                | Kind::Template
                | Kind::Foreign
        )
    }

    /// Start tags that close an open `<p>` (in button scope).
    fn closes_p(name: &str) -> bool {
        matches!(
            name,
            "address"
                | "article"
                | "aside"
                | "blockquote"
                | "center"
                | "details"
                | "dialog"
                | "dir"
                | "div"
                | "dl"
                | "fieldset"
                | "figcaption"
                | "figure"
                | "footer"
                | "form"
                | "header"
                | "hgroup"
                | "hr"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "li"
                | "dd"
                | "dt"
                | "listing"
                | "main"
                | "menu"
                | "nav"
                | "ol"
                | "p"
                | "plaintext"
                | "pre"
                | "search"
                | "section"
                | "summary"
                | "table"
                | "ul"
                | "xmp"
        )
    }
}

/// Elements with no content: never on the stack.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "image"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "frame"
    )
}

/// HTML start tags that end foreign content (`<svg>`, `<math>`) left open around them.
fn breaks_out_of_foreign(name: &str) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    )
}

/// Elements of `<head>`: they do not open the body.
/// The elements a `<head>` may hold, as the standard lists them (`html`, `head`, `title`,
/// `meta`, `link` and `script` are handled before this is asked, and stay for the list's sake).
fn is_head_element(name: &str) -> bool {
    matches!(
        name,
        "html" | "head" | "title" | "meta" | "link" | "script" | "style" | "base" | "noscript"
    )
}

const LINK: u8 = 1;
const PRE: u8 = 2;
const SKIP: u8 = 4;
/// The outermost element of a subtree skipped as hidden (not `<script>` and the like).
const HIDDEN: u8 = 8;
const NOSCRIPT: u8 = 32;
/// An HTML integration point of foreign content (`<desc>`, `<title>`, `<foreignObject>` in SVG).
const INTEGRATION: u8 = 64;
/// An HTML element inside an integration point.
const HTML_IN_FOREIGN: u8 = 128;

/// One element on the stack of open elements.
struct Open {
    /// Hash of the lower-cased name (end tags are matched on it).
    name: u64,
    kind: Kind,
    flags: u8,
    /// Whether it is an arena element (the top of `arena`).
    in_arena: bool,
}

/// Which kind of metadata a candidate's text is.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    Date,
    Byline,
}

/// An author or date candidate whose text is being read, until its element closes.
struct Capture {
    /// The stack's length while its element is open (0 for the body, never on the stack).
    level: usize,
    want: Want,
    seq: u32,
    owner: u32,
    at: u32,
    text: String,
    nodes: u32,
}

/// State of the single pass over the tokens.
struct Builder<'h> {
    page: Page,
    hints: &'h Hints,
    max_depth: usize,
    stack: Vec<Open>,
    /// How many elements of each kind are open (a search for a kind none of is open is skipped).
    open_kinds: [u32; KINDS],
    /// Open arena elements (the root is not on it).
    arena: Vec<u32>,
    body_open: bool,
    buf: String,
    buf_link_chars: u32,
    link_depth: u32,
    pre_depth: u32,
    skip_depth: u32,
    /// Stack position of the outermost open `<svg>` or `<math>` (while one is open).
    foreign_root: usize,
    /// Whether a link is among the standard's active formatting elements (opened, not yet ended
    /// by `</a>`), with how many table cells were open then.
    link_formatting: Option<u32>,
    /// What the next raw-text token is for.
    raw_use: RawUse,
    captures: Vec<Capture>,
    /// Candidates found: (order of their element, date or byline, text).
    found: Vec<(u32, Want, Found)>,
    seq: u32,
    dates_found: usize,
    bylines_found: usize,
    /// Start tags seen so far: an element's ordinal, the same in every pass over the page.
    starts: u32,
    /// The ordinal of a hidden element to read as shown (see [`flatten`]).
    shown: Option<u32>,
    /// The open outermost hidden element: its ordinal and the characters of text in it so far.
    hidden_open: Option<HiddenText>,
    /// The outermost hidden element with the most text.
    hidden_most: Option<HiddenText>,
}

/// A hidden subtree's ordinal and how many characters of text (white space aside) it holds.
#[derive(Clone, Copy)]
struct HiddenText {
    ordinal: u32,
    chars: u32,
}

#[derive(Clone, Copy, PartialEq)]
enum RawUse {
    Ignore,
    Title,
    JsonLd,
    /// `<xmp>`, `<noembed>`, `<noframes>`, `<plaintext>`: shown as text, markup and all.
    Text,
}

/// Hash of a tag name (FNV-1a), the key end tags are matched on.
fn name_hash(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A hidden element holding more than this share of a page's text hides the page itself, not a
/// part of it: a script shows it once it has run (Next.js and others wrap the whole body in
/// `visibility:hidden` until then, against a flash of unstyled content). Below it are a shop's
/// closed drawers and tabs (a cart, a size guide), which may outweigh the few lines shown.
const PAGE_HIDING_SHARE: f32 = 0.8;

/// The page's blocks, elements and metadata candidates, in one pass over the tokens (two when a
/// hidden element turns out to hold most of the page's text: the second reads it as shown).
pub fn flatten(
    html: &str,
    hints: &Hints,
    max_depth: usize,
    deadline: &Deadline,
) -> Result<Page, Overrun> {
    let (page, hidden) = flatten_once(html, hints, max_depth, deadline, None)?;
    let shown: u64 = page.blocks.iter().map(|b| b.chars as u64).sum();
    match hidden {
        Some(h) if h.chars as f32 > PAGE_HIDING_SHARE * (shown + h.chars as u64) as f32 => {
            Ok(flatten_once(html, hints, max_depth, deadline, Some(h.ordinal))?.0)
        }
        _ => Ok(page),
    }
}

/// One pass; `shown`: the ordinal of a hidden element to read as shown. Also returns the
/// outermost hidden element with the most text.
fn flatten_once(
    html: &str,
    hints: &Hints,
    max_depth: usize,
    deadline: &Deadline,
    shown: Option<u32>,
) -> Result<(Page, Option<HiddenText>), Overrun> {
    let mut b = Builder {
        page: Page::default(),
        hints,
        max_depth: max_depth.max(2),
        stack: Vec::new(),
        open_kinds: [0; KINDS],
        arena: Vec::new(),
        body_open: false,
        buf: String::new(),
        buf_link_chars: 0,
        link_depth: 0,
        pre_depth: 0,
        skip_depth: 0,
        foreign_root: 0,
        link_formatting: None,
        raw_use: RawUse::Ignore,
        captures: Vec::new(),
        found: Vec::new(),
        seq: 0,
        dates_found: 0,
        bylines_found: 0,
        starts: 0,
        shown,
        hidden_open: None,
        hidden_most: None,
    };
    b.page.els.push(El {
        tag: Tag::Root,
        parent: 0,
        weight: 0,
        prune: None,
        look: 0,
    });
    let mut tokenizer = Tokenizer::new(html);
    let mut n = 0usize;
    while let Some(token) = tokenizer.next_token() {
        n += 1;
        if n.is_multiple_of(TOKENS_PER_CHECK) {
            deadline.check("reading the page")?;
        }
        match token {
            Token::Text(t) => b.text(t),
            Token::Raw(t) => b.raw(t),
            Token::Start { name, self_closing } => b.start(&name, tokenizer.attrs(), self_closing),
            Token::End { name } => b.end(&name),
        }
    }
    while !b.stack.is_empty() {
        b.pop();
    }
    for c in &mut b.captures {
        c.level = usize::MAX;
    }
    b.close_captures();
    b.flush();
    b.finish_candidates();
    Ok((b.page, b.hidden_most))
}

impl Builder<'_> {
    fn top(&self) -> u32 {
        self.arena.last().copied().unwrap_or(0)
    }

    fn reading(&self) -> bool {
        self.skip_depth == 0 && self.open_kinds[Kind::Template as usize] == 0
    }

    /// How many `<svg>` and `<math>` elements are open.
    fn foreign_depth(&self) -> u32 {
        self.open_kinds[Kind::Foreign as usize]
    }

    fn push(&mut self, name: &str, kind: Kind, mut flags: u8, in_arena: bool) {
        if self.foreign_depth() > 0 && kind != Kind::Foreign {
            if self.in_foreign_html() {
                flags |= HTML_IN_FOREIGN;
            } else if matches!(name, "desc" | "title" | "foreignobject" | "annotation-xml") {
                flags |= INTEGRATION;
            }
        }
        let name = name_hash(name);
        self.link_depth += (flags & LINK != 0) as u32;
        self.pre_depth += (flags & PRE != 0) as u32;
        self.skip_depth += (flags & SKIP != 0) as u32;
        if kind == Kind::Foreign && self.foreign_depth() == 0 {
            self.foreign_root = self.stack.len();
        }
        self.open_kinds[kind as usize] += 1;
        self.stack.push(Open {
            name,
            kind,
            flags,
            in_arena,
        });
    }

    fn pop(&mut self) {
        let Some(open) = self.stack.pop() else { return };
        self.forget(&open);
        if open.in_arena {
            self.flush();
            self.arena.pop();
        }
        self.close_captures();
    }

    /// Updates the counts for an element leaving the stack.
    fn forget(&mut self, open: &Open) {
        self.open_kinds[open.kind as usize] -= 1;
        let f = open.flags;
        self.link_depth -= (f & LINK != 0) as u32;
        self.pre_depth -= (f & PRE != 0) as u32;
        self.skip_depth -= (f & SKIP != 0) as u32;
        if f & HIDDEN != 0 {
            self.close_hidden();
        }
        // Closing a table cell ends the links opened in it for good.
        if matches!(open.kind, Kind::Td | Kind::Th | Kind::Caption)
            && self
                .link_formatting
                .is_some_and(|cells| cells > self.cells_open())
        {
            self.link_formatting = None;
        }
    }

    /// Whether the current node is an HTML integration point or HTML inside one (where HTML
    /// start tags do not end the foreign content).
    fn in_foreign_html(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|o| o.flags & (INTEGRATION | HTML_IN_FOREIGN) != 0)
    }

    fn cells_open(&self) -> u32 {
        self.open_kinds[Kind::Td as usize]
            + self.open_kinds[Kind::Th as usize]
            + self.open_kinds[Kind::Caption as usize]
    }

    /// Takes the (non-arena) element at stack position `i` off the stack, leaving the elements
    /// above it open: how a formatting element such as `<a>` ends when blocks are open in it.
    fn remove_at(&mut self, i: usize) {
        if i + 1 == self.stack.len() || self.stack[i].in_arena {
            self.pop_to(i);
            return;
        }
        let open = self.stack.remove(i);
        self.forget(&open);
        let mut k = 0;
        while k < self.captures.len() {
            let level = self.captures[k].level;
            if level == i + 1 {
                let c = self.captures.remove(k);
                self.keep_candidate(c);
                continue;
            }
            if level > i + 1 {
                self.captures[k].level -= 1;
            }
            k += 1;
        }
    }

    /// Reopens a link that blocks interrupted (`<a><p>one</p><p>two</a>`: both are link text),
    /// as the standard's list of active formatting elements does.
    fn reopen_link(&mut self) {
        if self.link_formatting == Some(self.cells_open()) && !self.is_open(Kind::A) {
            self.push("a", Kind::A, LINK, false);
        }
    }

    /// Ends the candidates whose element is no longer open.
    fn close_captures(&mut self) {
        while self
            .captures
            .last()
            .is_some_and(|c| c.level > self.stack.len())
        {
            let c = self.captures.pop().expect("a capture");
            self.keep_candidate(c);
        }
    }

    fn keep_candidate(&mut self, c: Capture) {
        if !c.text.is_empty() && c.text.len() < MAX_CANDIDATE_CHARS {
            match c.want {
                Want::Date => self.dates_found += 1,
                Want::Byline => self.bylines_found += 1,
            }
            let found = Found {
                text: c.text,
                el: c.owner,
                at: c.at,
            };
            self.found.push((c.seq, c.want, found));
        }
    }

    /// Pops elements until the one at stack position `i` is closed.
    fn pop_to(&mut self, i: usize) {
        while self.stack.len() > i {
            self.pop();
        }
    }

    fn is_open(&self, kind: Kind) -> bool {
        self.open_kinds[kind as usize] > 0
    }

    /// Position of the nearest open element `wanted` accepts, searching down from the top and
    /// stopping at the first one `stop` rejects (or after [`MAX_SCOPE_SEARCH`]).
    fn find_open(
        &self,
        wanted: impl Fn(&Open) -> bool,
        stop: impl Fn(&Open) -> bool,
    ) -> Option<usize> {
        for (i, open) in self.stack.iter().enumerate().rev().take(MAX_SCOPE_SEARCH) {
            if wanted(open) {
                return Some(i);
            }
            if stop(open) {
                return None;
            }
        }
        None
    }

    /// Closes an open `<p>` in button scope; whether there was one.
    fn close_p(&mut self) -> bool {
        if !self.is_open(Kind::P) {
            return false;
        }
        let found = self.find_open(
            |o| o.kind == Kind::P,
            |o| o.kind.bounds_scope() || o.kind == Kind::Button,
        );
        if let Some(i) = found {
            self.pop_to(i);
        }
        found.is_some()
    }

    /// The end tags a start tag implies, as the tree builder would generate them.
    fn imply_end_tags(&mut self, name: &str, kind: Kind) {
        let current = self.stack.last().map(|o| o.kind);
        match kind {
            Kind::Li if !self.is_open(Kind::Li) => {}
            Kind::Dd | Kind::Dt if !self.is_open(Kind::Dd) && !self.is_open(Kind::Dt) => {}
            Kind::A if !self.is_open(Kind::A) => {}
            Kind::Td | Kind::Th | Kind::Tr | Kind::TableSection | Kind::Caption
                if !self.is_open(Kind::Table) => {}
            Kind::Li | Kind::Dd | Kind::Dt => {
                let same = |o: &Open| match kind {
                    Kind::Li => o.kind == Kind::Li,
                    _ => matches!(o.kind, Kind::Dd | Kind::Dt),
                };
                let stop = |o: &Open| {
                    o.kind.is_special() && !matches!(o.kind, Kind::P) && !is_address_or_div(o)
                };
                if let Some(i) = self.find_open(same, stop) {
                    self.pop_to(i);
                }
            }
            Kind::Option if current == Some(Kind::Option) => self.pop(),
            Kind::Optgroup => {
                if current == Some(Kind::Option) {
                    self.pop();
                }
                if self.stack.last().map(|o| o.kind) == Some(Kind::Optgroup) {
                    self.pop();
                }
            }
            Kind::A => {
                // A link inside a link ends the outer one (the adoption agency, simplified).
                if let Some(i) = self.find_open(|o| o.kind == Kind::A, |o| o.kind.bounds_scope()) {
                    self.remove_at(i);
                }
                self.link_formatting = None;
            }
            Kind::Td | Kind::Th => self.clear_table(
                |k| matches!(k, Kind::Td | Kind::Th),
                |k| matches!(k, Kind::Tr | Kind::TableSection | Kind::Table),
            ),
            Kind::Tr => self.clear_table(
                |k| matches!(k, Kind::Tr | Kind::Td | Kind::Th),
                |k| matches!(k, Kind::TableSection | Kind::Table),
            ),
            Kind::TableSection | Kind::Caption => self.clear_table(
                |k| {
                    matches!(
                        k,
                        Kind::Tr | Kind::Td | Kind::Th | Kind::TableSection | Kind::Caption
                    )
                },
                |k| k == Kind::Table,
            ),
            _ => {}
        }
        if Kind::closes_p(name) {
            self.close_p();
        }
        if kind == Kind::Heading && self.stack.last().map(|o| o.kind) == Some(Kind::Heading) {
            self.pop();
        }
    }

    /// Closes the table parts `cut` accepts that are open above the nearest `boundary` (or
    /// template or html), lowest first.
    fn clear_table(&mut self, cut: impl Fn(Kind) -> bool, boundary: impl Fn(Kind) -> bool) {
        let mut lowest = None;
        for (i, open) in self.stack.iter().enumerate().rev().take(MAX_SCOPE_SEARCH) {
            if boundary(open.kind) || matches!(open.kind, Kind::Template | Kind::Boundary) {
                break;
            }
            if cut(open.kind) {
                lowest = Some(i);
            }
        }
        if let Some(i) = lowest {
            self.pop_to(i);
        }
    }

    /// The `<tbody>` and `<tr>` the tree builder inserts around a row or cell put straight into
    /// a table.
    fn imply_table_parents(&mut self, kind: Kind) {
        let current = self.stack.last().map(|o| o.kind);
        if current == Some(Kind::Table) {
            let in_arena = self.push_arena(Tag::Table, &[], "");
            self.push("tbody", Kind::TableSection, 0, in_arena);
        }
        let current = self.stack.last().map(|o| o.kind);
        if kind != Kind::Tr && current == Some(Kind::TableSection) {
            let in_arena = self.push_arena(Tag::Tr, &[], "");
            self.push("tr", Kind::Tr, 0, in_arena);
        }
    }

    /// Opens the body (once): at `<body>`, or at the first content outside `<head>`.
    fn open_body(&mut self, attrs: &[Attr]) {
        if self.body_open {
            return;
        }
        self.body_open = true;
        // push_arena flushes the text before the body into the root first.
        let names = element_names(attrs);
        self.note_metadata("body", attrs, &names);
        self.push_arena(Tag::Body, attrs, &names);
    }

    /// `names`: the element's class and id as [`hints::class_and_id`] joins them.
    fn push_arena(&mut self, tag: Tag, attrs: &[Attr], names: &str) -> bool {
        if self.arena.len() >= self.max_depth {
            self.page.capped_elements += 1;
            return false;
        }
        self.flush();
        let role = tokens::attr(attrs, "role").unwrap_or_default();
        let modal = tokens::attr(attrs, "aria-modal").is_some_and(|m| m == "true");
        let (weight, prune) = self.hints.judge(tag, names, &role, modal);
        let parent = self.top();
        let look = look_of(tag, &tokens::attr(attrs, "class").unwrap_or_default());
        self.page.els.push(El {
            tag,
            parent,
            weight,
            prune,
            look,
        });
        self.arena.push((self.page.els.len() - 1) as u32);
        true
    }

    /// Whether a hidden element is hidden only until the reader opens it (see
    /// [`Hints::is_disclosed`]).
    fn is_disclosed(&self, attrs: &[Attr], class: &str) -> bool {
        let id = tokens::attr(attrs, "id").unwrap_or_default();
        self.hints.is_disclosed(&hints::class_and_id(class, &id))
    }

    /// Keeps the hidden subtree just closed if it holds the most text so far.
    fn close_hidden(&mut self) {
        let closed = self.hidden_open.take();
        if let Some(h) = closed
            && self.hidden_most.is_none_or(|m| h.chars > m.chars)
        {
            self.hidden_most = Some(h);
        }
    }

    fn start(&mut self, name: &str, attrs: &[Attr], self_closing: bool) {
        self.raw_use = RawUse::Ignore;
        self.starts += 1;
        self.count_candidate_node();
        if name == "html" || name == "head" {
            return;
        }
        if name == "body" {
            if self.reading() {
                self.open_body(attrs);
            }
            return;
        }
        let kind = Kind::of(name);
        let void =
            is_void(name) || (self_closing && (self.foreign_depth() > 0 || kind == Kind::Foreign));
        if self.foreign_depth() > 0 && !self.in_foreign_html() && breaks_out_of_foreign(name) {
            // An HTML element ends the <svg> or <math> left open around it.
            while self.foreign_depth() > 0 {
                self.pop();
            }
        }
        if self.foreign_depth() == 0 {
            self.imply_end_tags(name, kind);
        }
        if !self.reading() {
            // A hidden subtree's text is not the page's, but JSON-LD is never shown anyway: it
            // is read wherever it sits.
            if name == "script" {
                self.note_json_ld(attrs);
            }
            if !void {
                self.push(name, kind, 0, false);
            }
            return;
        }
        match name {
            "title" => {
                if self.page.meta.title.is_none() {
                    self.page.meta.title = Some(String::new());
                    self.raw_use = RawUse::Title;
                }
                self.push(name, kind, SKIP, false);
                return;
            }
            "meta" => {
                let key = tokens::attr(attrs, "property")
                    .or_else(|| tokens::attr(attrs, "name"))
                    .or_else(|| tokens::attr(attrs, "itemprop"));
                if let (Some(k), Some(v)) = (key, tokens::attr(attrs, "content"))
                    && self.page.meta.metas.len() < 500
                {
                    self.page
                        .meta
                        .metas
                        .push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
                return;
            }
            "link" => {
                let canonical =
                    tokens::attr(attrs, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"));
                if canonical && self.page.meta.canonical.is_none() {
                    self.page.meta.canonical =
                        tokens::attr(attrs, "href").map(|h| h.trim().to_string());
                }
                return;
            }
            "script" => {
                self.note_json_ld(attrs);
                self.push(name, kind, SKIP, false);
                return;
            }
            _ => {}
        }
        if !self.body_open && !is_head_element(name) {
            self.open_body(&[]);
        }
        match name {
            "br" => {
                self.push_break();
                return;
            }
            "td" | "th" => self.buf.push(' '),
            _ => {}
        }
        if matches!(name, "xmp" | "noembed" | "noframes" | "plaintext") {
            self.raw_use = RawUse::Text;
        }
        // Read once for the hidden-text check, the metadata candidates and the block's hints.
        let class = tokens::attr(attrs, "class").unwrap_or_default();
        let skipped = SKIPPED.contains(&name);
        // The role is read only for what its attributes hide (most elements are not).
        let hidden = !skipped
            && ((is_hidden(attrs) && !is_accordion_panel(attrs))
                || self.hints.is_hidden_class(&class))
            && self.shown != Some(self.starts)
            && !self.is_disclosed(attrs, &class);
        if skipped || hidden {
            if !void {
                // Only read here, outside any skipped subtree: this is an outermost one.
                if hidden {
                    self.hidden_open = Some(HiddenText {
                        ordinal: self.starts,
                        chars: 0,
                    });
                }
                let flags = if hidden { SKIP | HIDDEN } else { SKIP };
                self.push(name, kind, flags, false);
            }
            return;
        }
        let id = tokens::attr(attrs, "id").unwrap_or_default();
        let names = hints::class_and_id(&class, &id);
        if matches!(kind, Kind::Tr | Kind::Td | Kind::Th) {
            self.imply_table_parents(kind);
        }
        let tag = Tag::of(name);
        if tag.is_none() {
            self.reopen_link();
        }
        // After the implied parents and a reopened link: a candidate ends with its own element.
        if !void {
            self.note_metadata(name, attrs, &names);
        }
        let mut flags = 0;
        match name {
            "a" => {
                flags |= LINK;
                self.link_formatting = Some(self.cells_open());
            }
            "pre" => flags |= PRE,
            "noscript" => flags |= NOSCRIPT,
            _ => {}
        }
        let in_arena = match tag {
            Some(tag) => self.push_arena(tag, attrs, &names),
            None => false,
        };
        if void {
            if in_arena {
                self.flush();
                self.arena.pop();
            }
        } else {
            self.push(name, kind, flags, in_arena);
        }
    }

    fn end(&mut self, name: &str) {
        self.raw_use = RawUse::Ignore;
        match name {
            "html" | "head" | "body" => return,
            "br" => {
                self.start("br", &[], false);
                return;
            }
            _ => {}
        }
        if self.foreign_depth() > 0 {
            // Inside <svg> or <math>: the end tag closes its element there, or else ends the
            // foreign content and is read as HTML.
            let h = name_hash(name);
            let root = self.foreign_root;
            let found = self
                .stack
                .iter()
                .enumerate()
                .skip(root)
                .rev()
                .take(MAX_SCOPE_SEARCH)
                .find(|(_, o)| o.name == h)
                .map(|(i, _)| i);
            if let Some(i) = found {
                self.pop_to(i);
                return;
            }
            self.pop_to(root);
        }
        let kind = Kind::of(name);
        let found = match kind {
            Kind::P => {
                if !self.close_p() && self.reading() {
                    // A stray </p> is an empty paragraph: a block boundary.
                    if !self.body_open {
                        self.open_body(&[]);
                    }
                    if self.push_arena(Tag::P, &[], "") {
                        self.flush();
                        self.arena.pop();
                    }
                }
                return;
            }
            Kind::Li => self.find_open(
                |o| o.kind == Kind::Li,
                |o| o.kind.bounds_scope() || o.kind == Kind::List,
            ),
            Kind::Dd | Kind::Dt => self.find_open(|o| o.kind == kind, |o| o.kind.bounds_scope()),
            Kind::Table | Kind::TableSection | Kind::Tr => {
                let h = name_hash(name);
                self.find_open(
                    |o| o.name == h,
                    |o| matches!(o.kind, Kind::Table | Kind::Template | Kind::Boundary),
                )
            }
            Kind::Heading => self.find_open(|o| o.kind == Kind::Heading, |o| o.kind.bounds_scope()),
            Kind::A => {
                self.link_formatting = None;
                if let Some(i) = self.find_open(|o| o.kind == Kind::A, |o| o.kind.bounds_scope()) {
                    self.remove_at(i);
                }
                return;
            }
            _ => {
                let h = name_hash(name);
                if kind.is_special() {
                    self.find_open(|o| o.name == h, |o| o.kind.bounds_scope())
                } else {
                    // Any other end tag closes up to its element, unless a special one is
                    // nearer (foreign content and templates are read loosely).
                    let loose = self.foreign_depth() > 0;
                    self.find_open(|o| o.name == h, |o| !loose && o.kind.is_special())
                }
            }
        };
        if let Some(i) = found {
            self.pop_to(i);
        }
    }

    /// A JSON-LD `<script>`'s text is kept for the metadata (at most 20 per page).
    fn note_json_ld(&mut self, attrs: &[Attr]) {
        let ld =
            tokens::attr(attrs, "type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"));
        if ld && self.page.meta.json_ld.len() < 20 {
            self.raw_use = RawUse::JsonLd;
        }
    }

    fn raw(&mut self, t: &str) {
        self.count_candidate_node();
        match std::mem::replace(&mut self.raw_use, RawUse::Ignore) {
            RawUse::Title => {
                let t = tokens::decode_text(t);
                let mut title = String::new();
                for word in t.split_whitespace() {
                    if !title.is_empty() {
                        title.push(' ');
                    }
                    title.push_str(word);
                }
                self.page.meta.title = Some(title);
            }
            RawUse::JsonLd => self.page.meta.json_ld.push(t.to_string()),
            RawUse::Text => self.insert_text(t),
            RawUse::Ignore => {}
        }
    }

    /// Appends a text token, collapsing white space outside `<pre>`.
    fn text(&mut self, raw: &str) {
        self.raw_use = RawUse::Ignore;
        if self.open_kinds[Kind::Template as usize] > 0 {
            return;
        }
        let t = tokens::decode_text(raw);
        self.insert_text(&t);
    }

    /// Appends text, collapsing white space outside `<pre>`.
    fn insert_text(&mut self, t: &str) {
        // Candidates skip text right inside <noscript> (it may be markup served as text).
        let in_noscript = self.stack.last().is_some_and(|o| o.flags & NOSCRIPT != 0);
        if !self.captures.is_empty() && !in_noscript {
            self.capture_text(t);
        }
        if self.skip_depth > 0 {
            if let Some(h) = &mut self.hidden_open {
                let chars = t.chars().filter(|c| !c.is_whitespace()).count();
                h.chars = h.chars.saturating_add(chars as u32);
            }
            return;
        }
        if !self.body_open {
            if t.trim().is_empty() {
                return;
            }
            self.open_body(&[]);
        }
        self.reopen_link();
        let before = self.buf.len();
        if self.pre_depth > 0 {
            if t.contains('\r') {
                self.buf
                    .push_str(&t.replace("\r\n", "\n").replace('\r', "\n"));
            } else {
                self.buf.push_str(t);
            }
        } else {
            for c in t.chars() {
                if c.is_whitespace() {
                    if !self.buf.is_empty() && !self.buf.ends_with([' ', '\n']) {
                        self.buf.push(' ');
                    }
                } else if c != '\0' {
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

    /// Keeps author and date candidates met in the body: `datetime` values at once, texts of
    /// date- and author-like elements when the element closes.
    fn note_metadata(&mut self, name: &str, attrs: &[Attr], names: &str) {
        let owner = self.top();
        self.seq += 1;
        let seq = self.seq;
        let itemprop = tokens::attr(attrs, "itemprop").unwrap_or_default();
        if let Some(itemtype) = tokens::attr(attrs, "itemtype") {
            let meta = &mut self.page.meta;
            meta.microdata_product |= is_schema_type(&itemtype, |n| n.contains("Product"));
            meta.microdata_discussion |= is_schema_type(&itemtype, |n| {
                n == "DiscussionForumPosting" || n == "QAPage"
            });
        }
        let datetime = tokens::attr(attrs, "datetime").or_else(|| {
            (itemprop == "datePublished")
                .then(|| tokens::attr(attrs, "content"))
                .flatten()
        });
        // The stack's length once the element is pushed (the body is never on it).
        let level = if name == "body" {
            0
        } else {
            self.stack.len() + 1
        };
        if self.dates_found < MAX_CANDIDATES {
            if let Some(d) = datetime {
                self.dates_found += 1;
                let found = Found {
                    text: d.into_owned(),
                    el: owner,
                    at: self.page.blocks.len() as u32,
                };
                self.found.push((seq, Want::Date, found));
            } else if name == "time" || itemprop == "datePublished" || self.hints.is_dateish(names)
            {
                self.open_capture(level, Want::Date, seq, owner);
            }
        }
        // The count first: the lookups and the pattern are wasted once the list is full.
        let authorish = || {
            itemprop == "author"
                || tokens::attr(attrs, "rel").is_some_and(|r| r.eq_ignore_ascii_case("author"))
                || self.hints.is_bylineish(names)
        };
        if self.bylines_found < MAX_CANDIDATES && authorish() {
            self.open_capture(level, Want::Byline, seq, owner);
        }
    }

    fn open_capture(&mut self, level: usize, want: Want, seq: u32, owner: u32) {
        if self.captures.len() < MAX_OPEN_CANDIDATES {
            let at = self.page.blocks.len() as u32;
            self.captures.push(Capture {
                level,
                want,
                seq,
                owner,
                at,
                text: String::new(),
                nodes: 0,
            });
        }
    }

    fn count_candidate_node(&mut self) {
        for c in &mut self.captures {
            c.nodes = c.nodes.saturating_add(1);
        }
    }

    /// Adds a text to the open candidates, word by word, each up to its bounds.
    fn capture_text(&mut self, t: &str) {
        for c in &mut self.captures {
            c.nodes = c.nodes.saturating_add(1);
            if c.nodes > MAX_CANDIDATE_NODES || c.text.len() >= MAX_CANDIDATE_CHARS {
                continue;
            }
            for word in t.split_whitespace() {
                if !c.text.is_empty() {
                    c.text.push(' ');
                }
                c.text.push_str(word);
            }
        }
    }

    /// The candidates in the order of their elements, at most [`MAX_CANDIDATES`] of each kind.
    fn finish_candidates(&mut self) {
        let mut found = std::mem::take(&mut self.found);
        found.sort_by_key(|(seq, _, _)| *seq);
        for (_, want, f) in found {
            let list = match want {
                Want::Date => &mut self.page.meta.dates,
                Want::Byline => &mut self.page.meta.bylines,
            };
            if list.len() < MAX_CANDIDATES {
                list.push(f);
            }
        }
    }
}

/// Whether one of the schema.org types a microdata `itemtype` lists has a name that `named`
/// holds for ("https://schema.org/Product", "http://schema.org/DiscussionForumPosting").
fn is_schema_type(itemtype: &str, named: impl Fn(&str) -> bool) -> bool {
    itemtype.split_whitespace().any(|t| {
        t.to_ascii_lowercase().contains("schema.org/")
            && t.trim_end_matches('/')
                .rsplit('/')
                .next()
                .is_some_and(&named)
    })
}

fn is_address_or_div(o: &Open) -> bool {
    o.name == name_hash("address") || o.name == name_hash("div")
}

/// [`El::look`]: a hash of the tag and the class attribute.
fn look_of(tag: Tag, class: &str) -> u32 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    tag.hash(&mut h);
    class.trim().hash(&mut h);
    h.finish() as u32
}

/// Whether an element is a closed accordion's panel (`role="region"`, the ARIA pattern's): the
/// reader opens it with a click on its heading, and its text is the page's (a guide's steps, a
/// service's FAQ). Closed tab panels are not read: they are as often a dialog's alternatives (the
/// same steps for each browser) as a product's further tabs.
fn is_accordion_panel(attrs: &[Attr]) -> bool {
    tokens::attr(attrs, "role").is_some_and(|r| r == "region")
}

/// An element's class and id joined as the hints read them ([`hints::class_and_id`]).
fn element_names(attrs: &[Attr]) -> String {
    let class = tokens::attr(attrs, "class").unwrap_or_default();
    let id = tokens::attr(attrs, "id").unwrap_or_default();
    hints::class_and_id(&class, &id).into_owned()
}

/// Content the page does not show: `hidden`, inline `display:none` or `visibility:hidden`.
///
/// React's streamed server rendering sends each finished part of the page as
/// `<div hidden id="S:n">`, which a script moves into place: those are shown, not hidden.
fn is_hidden(attrs: &[Attr]) -> bool {
    if tokens::has_attr(attrs, "hidden")
        && !tokens::attr(attrs, "id").is_some_and(|id| id.starts_with("S:"))
    {
        return true;
    }
    tokens::attr(attrs, "style").is_some_and(|s| {
        let s = s.to_ascii_lowercase().replace(' ', "");
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn page(html: &str) -> Page {
        let deadline = Deadline::new(Duration::from_secs(60));
        flatten(html, &Hints::new(), 256, &deadline).unwrap()
    }

    /// Each text block with the tag of its owner.
    fn blocks(html: &str) -> Vec<(Tag, String)> {
        let p = page(html);
        p.blocks
            .iter()
            .map(|b| (p.els[b.owner as usize].tag, p.block_text(b).to_string()))
            .collect()
    }

    fn texts(html: &str) -> Vec<String> {
        blocks(html).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn unclosed_paragraphs_and_list_items_end_at_their_siblings() {
        assert_eq!(
            blocks("<p>one<p>two<div>three</div><ul><li>a<li>b<p>c</ul>after"),
            vec![
                (Tag::P, "one".into()),
                (Tag::P, "two".into()),
                (Tag::Div, "three".into()),
                (Tag::Li, "a".into()),
                (Tag::Li, "b".into()),
                (Tag::P, "c".into()),
                (Tag::Body, "after".into()),
            ]
        );
        let p = page("<ul><li>a<li>b</ul>");
        let lis: Vec<&El> = p.els.iter().filter(|e| e.tag == Tag::Li).collect();
        // Both items are children of the list, not the second of the first.
        assert!(
            lis.iter()
                .all(|e| p.els[e.parent as usize].tag == Tag::List)
        );
    }

    #[test]
    fn table_cells_rows_and_definitions_close_implicitly() {
        let p = page("<table><tr><td>a<td>b<tr><td>c</table><dl><dt>t<dd>d<dt>u</dl>");
        let tags: Vec<Tag> = p.els.iter().map(|e| e.tag).collect();
        assert_eq!(
            tags.iter().filter(|t| **t == Tag::Tr).count(),
            2,
            "{tags:?}"
        );
        for e in &p.els {
            match e.tag {
                Tag::Div => assert_eq!(p.els[e.parent as usize].tag, Tag::Tr), // the cells
                Tag::Tr => assert_eq!(p.els[e.parent as usize].tag, Tag::Table),
                Tag::Dt | Tag::Dd => assert_eq!(p.els[e.parent as usize].tag, Tag::List),
                _ => {}
            }
        }
        let t = texts("<table><tr><td>a<td>b<tr><td>c</table><dl><dt>t<dd>d<dt>u</dl>");
        assert_eq!(t, vec!["a", "b", "c", "t", "d", "u"]);
    }

    #[test]
    fn stray_end_tags_are_ignored_and_one_end_tag_closes_several() {
        assert_eq!(
            blocks("<div><section><p>in</span></section></div><div>next</div>"),
            vec![(Tag::P, "in".into()), (Tag::Div, "next".into())]
        );
        // </div> closes the open <section> and <p> above it too.
        let p = page("<div><section><p>a</div><p>b");
        let b = p.blocks.last().unwrap();
        assert_eq!(p.els[b.owner as usize].tag, Tag::P);
        assert_eq!(
            p.els[p.els[b.owner as usize].parent as usize].tag,
            Tag::Body
        );
        // A stray </p> is a block boundary, as an empty paragraph.
        assert_eq!(texts("one</p>two"), vec!["one", "two"]);
    }

    #[test]
    fn raw_text_comments_and_templates_hide_their_markup() {
        let html = r#"<!DOCTYPE html><head><title>A &amp; B</title><style>p{}</style>
            <script>document.write("<p>not text</p>")</script></head><body>
            <!-- <p>a comment</p> --><p>shown</p><template><p>template</p></template>
            <textarea>typed</textarea><select><option>one<option>two</select><p>end</p>"#;
        let p = page(html);
        assert_eq!(p.meta.title.as_deref(), Some("A & B"));
        let t: Vec<&str> = p.blocks.iter().map(|b| p.block_text(b)).collect();
        assert_eq!(t, vec!["shown", "end"]);
    }

    #[test]
    fn noscript_is_read_as_markup_and_xmp_as_text() {
        assert_eq!(
            texts("<noscript><p>served <b>here</b></p></noscript><xmp><b>x</b></xmp>"),
            vec!["served here", "<b>x</b>"]
        );
    }

    #[test]
    fn entities_decode_in_text_and_attributes() {
        let p = page(
            r#"<meta name="description" content="Tom &amp; Jerry"><p>caf&eacute; &lt;b&gt; &#8212; &#x41;&nbsp;b</p>"#,
        );
        assert_eq!(p.blocks.len(), 1);
        assert_eq!(p.block_text(&p.blocks[0]), "café <b> — A b");
        assert_eq!(
            p.meta.metas,
            vec![("description".to_string(), "Tom & Jerry".to_string())]
        );
    }

    #[test]
    fn void_elements_and_breaks() {
        let p = page("<p>a<br>b<img src=x>c<hr>d<input value=v>e</p>");
        let t: Vec<&str> = p.blocks.iter().map(|b| p.block_text(b)).collect();
        assert_eq!(t, vec!["a\nbc", "de"]);
    }

    #[test]
    fn link_text_is_counted_and_links_reopen_after_blocks() {
        let p = page(
            "<p>see <a href=/x>this link</a> now</p><a href=/y><p>one</p><p>two</p></a><p>out</p>\
             <p><a href=/z>cut<p>off</a><p>after",
        );
        let counts: Vec<(u32, u32)> = p.blocks.iter().map(|b| (b.chars, b.link_chars)).collect();
        // "see this link now": 9 of 17 characters are link text (the space before the link is not).
        assert_eq!(
            counts,
            vec![(17, 9), (3, 3), (3, 3), (3, 0), (3, 3), (3, 3), (5, 0)]
        );
    }

    #[test]
    fn hidden_and_furniture_elements_are_marked() {
        let p = page(
            r#"<div hidden><p>gone</p></div><div style="DISPLAY: none">gone</div><nav><p>menu</p></nav><p>kept</p>"#,
        );
        let t: Vec<&str> = p.blocks.iter().map(|b| p.block_text(b)).collect();
        assert_eq!(t, vec!["menu", "kept"]);
        let accordion = r#"<h3 id="h1">Week 1</h3><div aria-labelledby="h1" role="region" style="display:none"><p>Gather your bills.</p></div><div role="tabpanel" hidden><p>Safari steps</p></div>"#;
        assert_eq!(texts(accordion), vec!["Week 1", "Gather your bills."]);
        // Hidden until opened, by its class: read. (Not by `aria-labelledby` alone: a shop's
        // closed menus are labelled by their buttons too.)
        let faq = r#"<p>Is it free?</p><div class="faq__answer" style="display: none;"><p>Yes, always.</p></div><div class="menu-panel" aria-labelledby="b" hidden><p>Shoes</p></div>"#;
        assert_eq!(texts(faq), vec!["Is it free?", "Yes, always."]);
        assert!(
            p.els
                .iter()
                .any(|e| e.tag == Tag::Nav && e.prune == Some(Prune::Landmark))
        );
    }

    #[test]
    fn a_hidden_element_holding_nearly_all_the_text_hides_the_page_not_a_part() {
        // Shown by a script once it has run: the page is read with it shown, and what is hidden
        // inside it stays hidden.
        let story = "Machine learning lets computers learn from data. ".repeat(20);
        let html = format!(
            r#"<div id="__next"><div style="visibility:hidden;min-height:100vh"><p>{story}</p><div style="display:none">menu drawer</div></div></div><p>Cookies</p>"#
        );
        assert_eq!(
            texts(&html),
            vec![story.trim().to_string(), "Cookies".into()]
        );
        // A closed drawer that holds less than four fifths of the text stays closed.
        let drawer = "Size guide and returns. ".repeat(10);
        let shown = "A sock made of wool. ".repeat(4);
        let html = format!(r#"<div hidden><p>{drawer}</p></div><p>{shown}</p>"#);
        assert_eq!(texts(&html), vec![shown.trim().to_string()]);
    }

    #[test]
    fn microdata_says_a_product_or_a_discussion() {
        let thread = page(
            r#"<div itemscope itemtype="https://schema.org/DiscussionForumPosting"><p>Hi</p></div>"#,
        );
        assert!(thread.meta.microdata_discussion && !thread.meta.microdata_product);
        let qa = page(r#"<main itemscope itemtype="http://schema.org/QAPage"><p>Q</p></main>"#);
        assert!(qa.meta.microdata_discussion);
        // A FAQ's questions and a blog's comments are no thread of their own.
        let faq = page(
            r#"<div itemscope itemtype="https://schema.org/Question">Q</div><div itemtype="https://schema.org/Comment">c</div>"#,
        );
        assert!(!faq.meta.microdata_discussion);
        let shop = page(r#"<div itemscope itemtype="https://schema.org/Product">Sock</div>"#);
        assert!(shop.meta.microdata_product && !shop.meta.microdata_discussion);
    }

    #[test]
    fn byline_and_date_candidates_capture_their_text_bounded() {
        let long = "word ".repeat(100);
        let html = format!(
            r#"<body class="single-author"><p>x</p><div class="byline">By <a rel=author href=/a>Ann <b>Lee</b></a></div>
            <span class="date">5 March 2024</span><time datetime="2024-03-05">yesterday</time>
            <div class="author">{long}</div><p>text</p></body>"#
        );
        let p = page(&html);
        let bylines: Vec<&str> = p.meta.bylines.iter().map(|f| f.text.as_str()).collect();
        // In document order; the body and the over-long candidate are not bylines.
        assert_eq!(bylines, vec!["By Ann Lee", "Ann Lee"]);
        let dates: Vec<&str> = p.meta.dates.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(dates, vec!["5 March 2024", "2024-03-05"]);
    }

    #[test]
    fn svg_left_open_ends_at_html() {
        assert_eq!(
            texts("<p><a href=/>x<svg><path></a><ul><li>item</ul><svg/><p>after"),
            vec!["x", "item", "after"]
        );
        assert_eq!(
            texts("<div><svg><g><text>drawn</text></g></svg>shown</div>"),
            vec!["shown"]
        );
        // HTML inside an SVG <desc> stays inside the drawing.
        assert_eq!(
            texts("<div><svg><desc><p>tooltip <a href=/>more</a></p></desc></svg><p>shown"),
            vec!["shown"]
        );
    }

    #[test]
    fn json_ld_and_canonical_are_read() {
        let p = page(
            r#"<link rel="Canonical" href=" https://e.com/a "><script type="application/ld+json">{"a":"<b>"}</script><p>x</p>"#,
        );
        assert_eq!(p.meta.canonical.as_deref(), Some("https://e.com/a"));
        assert_eq!(p.meta.json_ld, vec![r#"{"a":"<b>"}"#.to_string()]);
    }

    #[test]
    fn json_ld_in_hidden_subtrees_is_read_but_their_text_is_not() {
        let p = page(
            r#"<div hidden><p>gone</p><script type="application/ld+json">{"b":1}</script></div><p>kept</p>"#,
        );
        assert_eq!(p.meta.json_ld, vec![r#"{"b":1}"#.to_string()]);
        assert_eq!(p.text, "kept");
    }

    #[test]
    fn candidates_record_how_many_blocks_came_before_them() {
        let p = page(r#"<p>first</p><p>second</p><span class="byline">Ann Lee</span><p>third</p>"#);
        assert_eq!(p.meta.bylines.len(), 1);
        assert_eq!(p.meta.bylines[0].text, "Ann Lee");
        assert_eq!(p.meta.bylines[0].at, 2);
    }

    proptest::proptest! {
        #[test]
        fn tag_soup_never_panics_and_blocks_are_text(
            html in r#"(<[/!?]?[a-zA-Z]{0,4}( [a-z]{0,3}(=["']?[a-zé&;# ]{0,4}["']?)?){0,2}/?>?|[a-zé€ &;#<>!-]{0,6}|<(p|li|td|tr|table|a|svg|desc|script|title|template|select|pre|div)>|</(p|li|td|tr|table|a|svg|body|div)>)*"#
        ) {
            let p = page(&html);
            for b in &p.blocks {
                let t = p.block_text(b);
                proptest::prop_assert!(!t.is_empty());
                proptest::prop_assert_eq!(t.trim(), t);
                proptest::prop_assert!((b.owner as usize) < p.els.len());
            }
            for (i, e) in p.els.iter().enumerate().skip(1) {
                proptest::prop_assert!((e.parent as usize) < i);
            }
        }
    }

    #[test]
    fn hostile_nesting_stays_linear() {
        // 100,000 unclosed inline elements, then block starts and stray end tags that must not
        // rescan the whole stack each.
        let html = format!(
            "<div>{}{}{}",
            "<span>".repeat(100_000),
            "<p>x</p><div>y</div>".repeat(20_000),
            "</div></b>".repeat(20_000)
        );
        let deadline = Deadline::new(Duration::from_secs(30));
        let p = flatten(&html, &Hints::new(), 256, &deadline).unwrap();
        assert_eq!(p.blocks.len(), 40_000);
        let deep = format!(
            "{}deep{}",
            "<table><tr><td>".repeat(50_000),
            "</td></tr></table>".repeat(50_000)
        );
        let p = flatten(&deep, &Hints::new(), 256, &deadline).unwrap();
        assert!(p.capped_elements > 0);
        assert_eq!(p.text, "deep");
    }
}
