//! Which blocks are the main content: furniture subtrees are dropped, paragraphs score the
//! containers above them (text length, commas, link density, class hints), the best container
//! and its strong siblings are kept, and link-heavy blocks inside it are dropped.

use super::dom::{Block, Page, Tag};
use super::hints::{Hints, Prune};

/// Why a block was left out of the main text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drop {
    Pruned(Prune),
    /// Outside the container chosen as the main content.
    OutsideMain,
    /// Mostly link text (menus, tag lists, "read more" links).
    LinkDense,
    /// The same text as a block already kept (a carousel's clones, a price shown twice).
    Duplicate,
    /// The headline at the start of the main text, kept in the `title` field instead.
    TitleMoved,
    /// A figure's caption (what a picture shows, its credit): not part of the running text.
    Caption,
    /// A form of short labels: filters, a sign-up box, a shipping calculator.
    Form,
    /// An article's line asking the reader to sign up for a newsletter or emails.
    SignUp,
    /// A line that only counts a post's reactions, replies or views.
    ReactionCount,
}

impl Drop {
    pub fn rule(self) -> &'static str {
        match self {
            Drop::Pruned(p) => p.rule(),
            Drop::OutsideMain => "extract/dropped-outside-main",
            Drop::LinkDense => "extract/dropped-link-dense",
            Drop::Duplicate => "extract/dropped-duplicate",
            Drop::TitleMoved => "extract/title-moved",
            Drop::Caption => "extract/dropped-caption",
            Drop::Form => "extract/dropped-form",
            Drop::SignUp => "extract/dropped-sign-up",
            Drop::ReactionCount => "extract/dropped-reaction-count",
        }
    }
}

/// A block shorter than this many characters neither scores its container nor is judged alone.
const MIN_PARAGRAPH_CHARS: u32 = 25;

/// A block that is mostly link text is dropped unless it has this many words: menus, tag lists
/// and "read more" links are short, the linked titles of a listing's items are not.
const LINK_TITLE_WORDS: usize = 6;

/// On a page whose main container was widened for its links ([`widen_links_too`]: nearly all
/// its text is linked titles), a link-dense block is a title from this many words ("Pork
/// Chops", "Sheet Pan Dinners"): the page is a listing, and its short titles are its items.
const LISTING_LINK_WORDS: usize = 2;

/// On a page that states neither an article, a product nor a discussion, a block that is all
/// link and holds no digit, inside one of a grid's records ([`GRID_RECORDS`]: the tiles of a
/// category, the rows of a listing), is an item's name from this many words ("Trail Running
/// Shoes", "Mens Oversized Hoodie"): annotators keep a grid's short linked names. A linked
/// price, date or post number ("Feb 25, 2024", "#2 · Aug 5", "1 hr ago") is the record's
/// furniture, and a partly linked line ("Code: Select all") is not a name.
const RECORD_LINK_WORDS: usize = 3;

/// A grid is at least this many children of one element that share a look
/// ([`super::dom::El::look`]: tag and class) and hold two unpruned blocks or more each (a
/// tile's name and price): a menu's items are one link each. A page that states a discussion
/// has no grid: its posts' short links are permalinks and quote buttons.
const GRID_RECORDS: u32 = 8;

/// On a page that states it is an article, a block at least this share link text is a pointer
/// to other pages (a related story, a "Read more: …" line) unless it has
/// [`ARTICLE_LINK_MAX_WORDS`] words or more: the article's own links sit inside its sentences.
const ARTICLE_LINK_SHARE: f32 = 0.8;
const ARTICLE_LINK_MAX_WORDS: usize = 20;

/// A kept block of at least this many characters whose exact text was already kept is dropped
/// (carousel clones, a product's name and price shown twice); shorter repeats (table cells,
/// "Yes", prices in a comparison) stay.
const DUPLICATE_MIN_CHARS: u32 = 30;

/// If one prune kind would drop more than this share of the page's text, the page is made of it
/// (a forum thread is its comments), so that kind is not applied.
const MAX_PRUNED_SHARE: f32 = 0.5;

/// On a page that states it is an article and not a discussion, its comments are kept out
/// however many, as long as this many characters of unpruned text stay besides them: a long
/// thread under a story is not the story. (A forum may call itself an article too; its
/// opening post alone is then short, and the replies are its content.)
const STORY_MIN_CHARS: u32 = 2000;

/// The fate of every block of the page: `None` to keep it. `product_page`: the page states it
/// sells one product (its customer reviews, prices and pickers are not its content).
pub fn select(page: &Page, product_page: bool, hints: &Hints) -> Vec<Option<Drop>> {
    let n = page.els.len();
    let total_chars: u32 = page.blocks.iter().map(|b| b.chars).sum();
    let discussion = super::states_a_discussion(page);
    let set_aside = set_aside_before_choice(product_page, discussion);
    // Read once: the page's JSON-LD is searched for it.
    let article = super::states_an_article(page);
    let story = article && !discussion;
    let pruned = pruned_ancestors(page, total_chars, &set_aside, story);

    // Per-element totals of kept text and link text.
    let kept = |i: usize| pruned[i].is_none();
    let chars = subtree_sums(page, |i, b| if kept(i) { b.chars } else { 0 });
    let links = subtree_sums(page, |i, b| if kept(i) { b.link_chars } else { 0 });
    let mut score = vec![0f32; n];

    // Paragraphs score the containers above them, less and less with distance.
    for (b, p) in page.blocks.iter().zip(&pruned) {
        if p.is_some() || b.chars < MIN_PARAGRAPH_CHARS {
            continue;
        }
        let text = page.block_text(b);
        let link_share = b.link_chars as f32 / b.chars as f32;
        let commas = text.matches([',', '，', '、', '،']).count() as f32;
        let value = (1.0 + commas + (b.chars as f32 / 100.0).min(3.0)) * (1.0 - link_share);
        let mut el = b.owner as usize;
        if page.els[el].tag.is_paragraph() {
            el = page.els[el].parent as usize;
        }
        for level in 0..5 {
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[el] += value / divider;
            if el == 0 {
                break;
            }
            el = page.els[el].parent as usize;
        }
    }

    let candidate: Vec<bool> = page
        .els
        .iter()
        .map(|e| e.prune.is_none_or(|p| set_aside.contains(&p)))
        .collect();
    let totals = Totals {
        chars: &chars,
        links: &links,
        candidate: &candidate,
    };
    let best = best_container(page, &score, totals);
    let widened = widen(page, best, &pruned);
    let best = widen_links_too(page, widened, &chars);
    // Widened for its links: the page is a listing of them ([`LISTING_LINK_WORDS`]).
    let listing = best != widened;
    let mut chosen = vec![false; n];
    chosen[best] = true;
    add_siblings(page, best, &score, totals, &mut chosen);
    if story {
        add_lead(page, best, totals, &mut chosen);
    }
    if !product_page && !article {
        add_main_sections(page, best, totals, &mut chosen);
        add_records(page, &pruned, totals, &mut chosen);
    }

    let inside = within(page, |i| chosen[i]);
    let lead = if product_page || article {
        vec![false; page.blocks.len()]
    } else {
        headline_lead(page, &pruned, &inside, discussion, hints)
    };
    let caption = within(page, |i| page.els[i].tag == Tag::Caption);
    let buying = if product_page {
        let prose = holds_prose(page);
        within(page, |i| {
            page.els[i].prune == Some(Prune::Purchase) && !prose[i]
        })
    } else {
        vec![false; n]
    };
    let headed = if product_page {
        headed_away(page, |_, text| {
            if hints.is_reviews_heading(text) {
                Some(Prune::Reviews)
            } else if hints.is_related_heading(text) {
                Some(Prune::Purchase)
            } else {
                None
            }
        })
    } else if story {
        // A heading inside furniture already dropped ("Popular posts:" in a sidebar) heads
        // nothing of the story's.
        headed_away(page, |k, text| {
            (pruned[k].is_none() && hints.is_more_stories_heading(text)).then_some(Prune::Furniture)
        })
    } else {
        vec![None; n]
    };
    let record = if product_page || article || discussion {
        vec![false; n]
    } else {
        in_grid(page, &pruned)
    };
    let mut seen = std::collections::HashSet::new();
    let mut fates: Vec<Option<Drop>> = page
        .blocks
        .iter()
        .zip(pruned)
        .enumerate()
        .map(|(k, (b, p))| {
            if let Some(p) = p {
                return Some(Drop::Pruned(p));
            }
            if !inside[b.owner as usize] && !lead[k] {
                return Some(Drop::OutsideMain);
            }
            if caption[b.owner as usize] {
                return Some(Drop::Caption);
            }
            if let Some(kind) = headed[b.owner as usize] {
                return Some(Drop::Pruned(kind));
            }
            if buying[b.owner as usize] {
                return Some(Drop::Pruned(Prune::Purchase));
            }
            let heading = matches!(page.els[b.owner as usize].tag, Tag::Heading(_));
            if !heading
                && b.link_dense()
                && links_away(
                    page,
                    b,
                    article,
                    listing,
                    record[b.owner as usize] && names_an_item(page, b),
                )
            {
                return Some(Drop::LinkDense);
            }
            if b.chars >= DUPLICATE_MIN_CHARS && !seen.insert(page.block_text(b)) {
                return Some(Drop::Duplicate);
            }
            if story && signs_up(page, b, hints) {
                return Some(Drop::SignUp);
            }
            if !heading && counts_reactions(page, b, hints, discussion) {
                return Some(Drop::ReactionCount);
            }
            None
        })
        .collect();
    keep_list_repeats(page, &mut fates, hints);
    if article {
        drop_beside(page, &mut fates, Prune::AuthorBox);
    }
    drop_beside(page, &mut fates, Prune::ArticleFooter);
    drop_label_forms(page, &mut fates);
    fates
}

/// A list item repeating one already kept is part of its own list when that list holds items
/// of its own too: each plan of a pricing table or each option of a comparison lists "24/7
/// support", and annotators keep every one. A list all of repeats is a copy (a carousel's
/// clone, a menu shown twice) and stays dropped; so does a repeated label and value (`[lines]
/// labelled_value` of the hints: "Storage: 15 GB", the same spec shown in a second tab).
fn keep_list_repeats(page: &Page, fates: &mut [Option<Drop>], hints: &Hints) {
    let list_of = |b: &Block| {
        let owner = b.owner as usize;
        (page.els[owner].tag == Tag::Li).then(|| page.els[owner].parent as usize)
    };
    let mut own_items = vec![false; page.els.len()];
    for (b, f) in page.blocks.iter().zip(fates.iter()) {
        if let (Some(list), None) = (list_of(b), f) {
            own_items[list] = true;
        }
    }
    for (b, f) in page.blocks.iter().zip(fates.iter_mut()) {
        if *f == Some(Drop::Duplicate)
            && list_of(b).is_some_and(|list| own_items[list])
            && !hints.is_labelled_value(page.block_text(b))
        {
            *f = None;
        }
    }
}

/// Most characters of the lead ([`headline_lead`]) that join: more is not a page's hero but
/// other content between a promotion's headline and the main text.
const LEAD_MAX_CHARS: u32 = 2000;

/// A dateline (`[lines] dateline` of the hints: "By Jane Doe", "July 18, 2025") is at most
/// this long.
const DATELINE_MAX_CHARS: u32 = 80;

/// Per block, whether it is in the lead of a page that is not a story: the page's `<h1>` and
/// what follows it up to the main text, when the main container starts after the headline (a
/// landing page's hero, a category's intro, a thread's title: the best container is the body
/// under them). Link-dense and other blocks are judged as inside the main text; datelines stay
/// out. An `<h1>`, a dateline and a main text holding prose ([`SECTION_MAX_BLOCK_CHARS`]) are
/// an article's header, which annotators leave out, unless the page states a discussion.
fn headline_lead(
    page: &Page,
    pruned: &[Option<Prune>],
    inside: &[bool],
    discussion: bool,
    hints: &Hints,
) -> Vec<bool> {
    let mut lead = vec![false; page.blocks.len()];
    let is_in = |k: usize| pruned[k].is_none() && inside[page.blocks[k].owner as usize];
    let Some(first) = (0..page.blocks.len()).find(|&k| is_in(k)) else {
        return lead;
    };
    let Some(h1) = (0..first).find(|&k| {
        pruned[k].is_none() && page.els[page.blocks[k].owner as usize].tag == Tag::Heading(1)
    }) else {
        return lead;
    };
    if !names_the_page(page, page.block_text(&page.blocks[h1])) {
        return lead;
    }
    let span: Vec<usize> = (h1..first).filter(|&k| pruned[k].is_none()).collect();
    let held: u32 = span.iter().map(|&k| page.blocks[k].chars).sum();
    let dateline: Vec<bool> = span
        .iter()
        .map(|&k| {
            let b = &page.blocks[k];
            b.chars < DATELINE_MAX_CHARS && hints.is_dateline(page.block_text(b))
        })
        .collect();
    let prose = (first..page.blocks.len())
        .any(|k| is_in(k) && page.blocks[k].chars >= SECTION_MAX_BLOCK_CHARS);
    let story = prose && !discussion && dateline.contains(&true);
    if held > LEAD_MAX_CHARS || story {
        return lead;
    }
    for (&k, &date) in span.iter().zip(&dateline) {
        lead[k] = !date;
    }
    lead
}

/// Whether `heading` shares as many of its words with the page's `<title>` or og:title as the
/// metadata's headline test asks of an `<h1>`: a site's or a forum's name in an `<h1>` atop
/// every page does not.
fn names_the_page(page: &Page, heading: &str) -> bool {
    use super::metadata::{H1_MIN_SHARED, shared_words};
    let og = page.meta.metas.iter().filter(|(k, _)| k == "og:title");
    page.meta
        .title
        .iter()
        .chain(og.map(|(_, v)| v))
        .any(|t| shared_words(heading, t) >= H1_MIN_SHARED)
}

/// A form holding a block this long holds prose (a post being edited, a thread's comments in
/// forms), not labels ([`drop_label_forms`]).
const LABEL_FORM_MAX_BLOCK: u32 = 200;

/// Most characters a form's kept blocks average to be a form of labels.
const LABEL_FORM_MAX_AVERAGE: u32 = 40;

/// A form of labels holding at least this share of the kept text wraps the page, and stays.
const LABEL_FORM_MAX_SHARE: f32 = 0.2;

/// A `<form>` or `<fieldset>` in the main text whose kept blocks are all short labels
/// (under [`LABEL_FORM_MAX_AVERAGE`] characters on average, none of
/// [`LABEL_FORM_MAX_BLOCK`]) and that holds under [`LABEL_FORM_MAX_SHARE`] of the kept text is
/// dropped: a category's filters, a sign-up box, a shipping calculator, "Country", "Postal
/// code". Annotators leave them out; a page wrapped in one form (ASP.NET) or a thread whose
/// posts are forms keeps them.
fn drop_label_forms(page: &Page, fates: &mut [Option<Drop>]) {
    if !page.els.iter().any(|e| e.tag == Tag::Form) {
        return;
    }
    let kept = |i: usize| fates[i].is_none();
    let held = subtree_sums(page, |i, b| if kept(i) { b.chars } else { 0 });
    let count = subtree_sums(page, |i, _| kept(i) as u32);
    let long = subtree_sums(page, |i, b| {
        (kept(i) && b.chars >= LABEL_FORM_MAX_BLOCK) as u32
    });
    let in_form = within(page, |i| page.els[i].tag == Tag::Form);
    let most = LABEL_FORM_MAX_SHARE * held[0] as f32;
    let labels = within(page, |i| {
        let e = &page.els[i];
        let outermost = e.tag == Tag::Form && (i == 0 || !in_form[e.parent as usize]);
        outermost
            && count[i] > 0
            && long[i] == 0
            && held[i] < LABEL_FORM_MAX_AVERAGE * count[i]
            && (held[i] as f32) < most
    });
    for (b, f) in page.blocks.iter().zip(fates.iter_mut()) {
        if f.is_none() && labels[b.owner as usize] {
            *f = Some(Drop::Form);
        }
    }
}

/// An author box or a post's footer holding at least this share of the kept text is not a box
/// beside the text but wraps it (a byline class on the post itself), and stays.
const BESIDE_MAX_SHARE: f32 = 0.2;

/// Drops the kept blocks of the boxes of `kind` ([`Prune::BESIDE_TEXT`]: author boxes, a post's
/// footer) that hold under [`BESIDE_MAX_SHARE`] of the kept text: annotators leave them out.
fn drop_beside(page: &Page, fates: &mut [Option<Drop>], kind: Prune) {
    if !page.els.iter().any(|e| e.prune == Some(kind)) {
        return;
    }
    let held = subtree_sums(page, |i, b| if fates[i].is_none() { b.chars } else { 0 });
    let most = BESIDE_MAX_SHARE * held[0] as f32;
    let boxed = within(page, |i| {
        page.els[i].prune == Some(kind) && (held[i] as f32) < most
    });
    for (b, f) in page.blocks.iter().zip(fates.iter_mut()) {
        if f.is_none() && boxed[b.owner as usize] {
            *f = Some(Drop::Pruned(kind));
        }
    }
}

/// Most characters of a sign-up line ([`signs_up`]): a paragraph that mentions a newsletter
/// is longer.
const SIGN_UP_MAX_CHARS: u32 = 300;

/// Whether a block of an article is a one-line call to sign up (`[lines] sign_up` of the
/// hints). Annotators leave such lines out.
fn signs_up(page: &Page, b: &Block, hints: &Hints) -> bool {
    one_line(page, b, SIGN_UP_MAX_CHARS).is_some_and(|text| hints.is_sign_up_line(text))
}

/// A block's text when it is one line shorter than `max_chars`.
fn one_line<'p>(page: &'p Page, b: &Block, max_chars: u32) -> Option<&'p str> {
    if b.chars >= max_chars {
        return None;
    }
    let text = page.block_text(b).trim();
    (!text.contains('\n')).then_some(text)
}

/// Most characters of a reaction-count line ([`counts_reactions`]).
const REACTION_COUNT_MAX_CHARS: u32 = 80;

/// Whether a block is one line that only tallies a post's reactions, replies or views
/// (`[lines] reaction_count` of the hints): "3 Likes", "12 replies · 40 views". On a page that
/// states a `discussion`, also a line that is only a number or a badge beside a post (`[lines]
/// post_tally`): its votes ("12"), its place in the thread ("#3"), "OP"; elsewhere a lone number
/// is a table's cell or a step.
fn counts_reactions(page: &Page, b: &Block, hints: &Hints, discussion: bool) -> bool {
    one_line(page, b, REACTION_COUNT_MAX_CHARS).is_some_and(|text| {
        hints.is_reaction_count(text) || discussion && hints.is_post_tally(text)
    })
}

/// Whether a link-dense block points away rather than titling an item: it is short (on a
/// listing, or inside one of a grid's records, shorter still: [`LISTING_LINK_WORDS`],
/// [`RECORD_LINK_WORDS`]), or, on an article, nearly all link and shorter than a paragraph.
fn links_away(page: &Page, b: &Block, article: bool, listing: bool, record: bool) -> bool {
    let words = page.block_text(b).split_whitespace().count();
    if listing {
        return words < LISTING_LINK_WORDS;
    }
    if record {
        return words < RECORD_LINK_WORDS;
    }
    words < LINK_TITLE_WORDS
        || (article
            && words < ARTICLE_LINK_MAX_WORDS
            && b.link_chars as f32 >= ARTICLE_LINK_SHARE * b.chars as f32)
}

/// Whether a block could be a record's linked name ([`RECORD_LINK_WORDS`]): all link, no digit.
fn names_an_item(page: &Page, b: &Block) -> bool {
    b.link_chars == b.chars && !page.block_text(b).contains(|c: char| c.is_ascii_digit())
}

/// Per element, whether it is inside one of a grid's records ([`GRID_RECORDS`]).
fn in_grid(page: &Page, pruned: &[Option<Prune>]) -> Vec<bool> {
    let blocks = unpruned_blocks(page, pruned);
    // (parent, look) → children that hold two blocks or more.
    let mut count: std::collections::HashMap<(u32, u32), u32> = Default::default();
    for (i, e) in page.els.iter().enumerate().skip(1) {
        if blocks[i] >= 2 {
            *count.entry((e.parent, e.look)).or_default() += 1;
        }
    }
    within(page, |i| {
        let e = &page.els[i];
        i > 0 && blocks[i] >= 2 && count[&(e.parent, e.look)] >= GRID_RECORDS
    })
}

/// A block this long is prose: prices and pickers are labels, so an element named for them
/// that holds one wraps the description too.
const PROSE_CHARS: u32 = 200;

/// Per element, whether a block of [`PROSE_CHARS`] or more is in it.
fn holds_prose(page: &Page) -> Vec<bool> {
    let mut prose = vec![false; page.els.len()];
    for b in page.blocks.iter().filter(|b| b.chars >= PROSE_CHARS) {
        prose[b.owner as usize] = true;
    }
    for i in (1..page.els.len()).rev() {
        if prose[i] {
            prose[page.els[i].parent as usize] = true;
        }
    }
    prose
}

/// Per element, whether it or an ancestor is `marked`.
fn within(page: &Page, marked: impl Fn(usize) -> bool) -> Vec<bool> {
    let mut inside = vec![false; page.els.len()];
    for i in 0..page.els.len() {
        inside[i] = marked(i) || (i > 0 && inside[page.els[i].parent as usize]);
    }
    inside
}

/// Share of the page's plain (unpruned, not link-dense) text the main container must hold: pages
/// that are not one article (listings, forums, products) spread their content over several
/// containers, so the choice moves up to the ancestor that holds most of it.
const COVER: f32 = 0.6;

fn widen(page: &Page, best: usize, pruned: &[Option<Prune>]) -> usize {
    let plain = plain_chars(page, pruned);
    let wanted = COVER * plain[0] as f32;
    let mut cur = best;
    while cur != 0 && (plain[cur] as f32) < wanted {
        cur = page.els[cur].parent as usize;
    }
    cur
}

/// Per element, the kind of the section it is in when that section's heading introduces
/// reviews or other products (`[lines] reviews_heading` and `related_heading` of the hints):
/// the section is the heading's widest ancestor that starts with it and holds no other heading
/// of its rank or higher (never the body, `<main>` or `<article>`); a heading alone in its
/// wrapper heads the wrapper's following siblings up to the next such heading. A section that
/// would hold more than [`MAX_PRUNED_SHARE`] of the page's text is the page, and stays.
fn headed_away(page: &Page, kind_of: impl Fn(usize, &str) -> Option<Prune>) -> Vec<Option<Prune>> {
    let n = page.els.len();
    let mut out = vec![None; n];
    let heads: Vec<(usize, u8)> = page
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(k, b)| match page.els[b.owner as usize].tag {
            Tag::Heading(l) => Some((k, l)),
            _ => None,
        })
        .collect();
    let total: u32 = page.blocks.iter().map(|b| b.chars).sum();
    let mut marks = vec![];
    for &(k, l) in &heads {
        if l == 1 {
            continue;
        }
        let text = page.block_text(&page.blocks[k]).trim();
        if let Some(kind) = kind_of(k, text) {
            marks.push((k, l, kind));
        }
    }
    if marks.is_empty() {
        return out;
    }
    // Block range and subtree end of every element (elements are in document order).
    let mut first = vec![u32::MAX; n];
    let mut last = vec![0u32; n];
    for (k, b) in page.blocks.iter().enumerate() {
        let o = b.owner as usize;
        first[o] = first[o].min(k as u32);
        last[o] = last[o].max(k as u32);
    }
    let mut end: Vec<usize> = (1..=n).collect();
    for i in (1..n).rev() {
        let p = page.els[i].parent as usize;
        first[p] = first[p].min(first[i]);
        last[p] = last[p].max(last[i]);
        end[p] = end[p].max(end[i]);
    }
    let higher_in = |k: usize, to: u32, l: u8| {
        heads
            .iter()
            .any(|&(j, m)| j > k && j as u32 <= to && m <= l)
    };
    for (k, l, kind) in marks {
        let mut a = page.blocks[k].owner as usize;
        loop {
            let p = page.els[a].parent as usize;
            if p == 0
                || matches!(page.els[p].tag, Tag::Body | Tag::Main | Tag::Article)
                || first[p] != k as u32
                || higher_in(k, last[p], l)
            {
                break;
            }
            a = p;
        }
        let mut scope = vec![a];
        if last[a] == k as u32 {
            let p = page.els[a].parent as usize;
            for j in end[a]..end[p] {
                if page.els[j].parent as usize != p {
                    continue;
                }
                if first[j] != u32::MAX && higher_in(k, last[j], l) {
                    break;
                }
                scope.push(j);
            }
        }
        // Each element of the scope counts its own blocks once (a sibling without any has none).
        let held: u32 = scope
            .iter()
            .filter(|&&a| first[a] != u32::MAX)
            .map(|&a| {
                page.blocks[first[a] as usize..=last[a] as usize]
                    .iter()
                    .map(|b| b.chars)
                    .sum::<u32>()
            })
            .sum();
        if held as f32 > MAX_PRUNED_SHARE * total as f32 {
            continue;
        }
        for a in scope {
            for o in &mut out[a..end[a]] {
                o.get_or_insert(kind);
            }
        }
    }
    out
}

/// A main container holding less than this share of the page's unpruned text, links included,
/// is not the page's content but a lead-in to it: a listing whose items are all linked titles
/// has almost no plain text, so [`widen`] stops at its one intro paragraph. The choice then
/// moves up to the ancestor that holds [`COVER`] of that text.
const TINY_SHARE: f32 = 0.1;

fn widen_links_too(page: &Page, best: usize, chars: &[u32]) -> usize {
    let all = chars[0] as f32;
    let mut cur = best;
    if (chars[cur] as f32) < TINY_SHARE * all {
        while cur != 0 && (chars[cur] as f32) < COVER * all {
            cur = page.els[cur].parent as usize;
        }
    }
    cur
}

/// Per element, the characters of unpruned blocks in it that are not mostly link text.
fn plain_chars(page: &Page, pruned: &[Option<Prune>]) -> Vec<u32> {
    subtree_sums(page, |i, b| {
        if pruned[i].is_none() && !b.link_dense() {
            b.chars
        } else {
            0
        }
    })
}

/// Per element, the sum of `value(block index, block)` over the blocks in it (elements come
/// after their parents, so one backward walk adds each into its parent).
fn subtree_sums(page: &Page, value: impl Fn(usize, &Block) -> u32) -> Vec<u32> {
    let mut sums = vec![0u32; page.els.len()];
    for (i, b) in page.blocks.iter().enumerate() {
        sums[b.owner as usize] += value(i, b);
    }
    for i in (1..page.els.len()).rev() {
        sums[page.els[i].parent as usize] += sums[i];
    }
    sums
}

/// For each block, the prune kind of its nearest pruned ancestor, if any, after lifting the kinds
/// that would take most of the page and the kinds `set_aside` ([`set_aside_before_choice`]);
/// `story`: the page states it is an article, not a discussion ([`STORY_MIN_CHARS`]).
fn pruned_ancestors(
    page: &Page,
    total_chars: u32,
    set_aside: &[Prune],
    story: bool,
) -> Vec<Option<Prune>> {
    let compute = |lifted: &[Prune]| -> Vec<Option<Prune>> {
        let mut by_el: Vec<Option<Prune>> = Vec::with_capacity(page.els.len());
        for (i, e) in page.els.iter().enumerate() {
            let own = e.prune.filter(|p| !lifted.contains(p));
            let inherited = if i == 0 {
                None
            } else {
                by_el[e.parent as usize]
            };
            by_el.push(inherited.or(own));
        }
        page.blocks
            .iter()
            .map(|b| by_el[b.owner as usize])
            .collect()
    };
    let mut lifted = set_aside.to_vec();
    let preset = lifted.len();
    let first = compute(&lifted);
    for kind in [
        Prune::Comments,
        Prune::Reviews,
        Prune::Furniture,
        Prune::Landmark,
    ] {
        if kind == Prune::Comments && story {
            let rest: u32 = page
                .blocks
                .iter()
                .zip(&first)
                .filter(|(_, p)| p.is_none())
                .map(|(b, _)| b.chars)
                .sum();
            if rest >= STORY_MIN_CHARS {
                continue;
            }
        }
        let dropped: u32 = page
            .blocks
            .iter()
            .zip(&first)
            .filter(|(_, p)| **p == Some(kind))
            .map(|(b, _)| b.chars)
            .sum();
        if dropped as f32 > MAX_PRUNED_SHARE * total_chars as f32 {
            lifted.push(kind);
        }
    }
    if lifted.len() == preset {
        first
    } else {
        compute(&lifted)
    }
}

/// The prune kinds that neither prune nor bar an element from being the main container: buying
/// controls always (as small elements all over a shop's page, pruned first they would move the
/// choice itself; they are dropped after it, see `within`), author boxes and a post's footer always
/// (dropped after it, [`drop_beside`]), reviews off a product page, and comments on a page that
/// states it is a discussion: a thread is its replies, however short its opening post is and
/// however much else the page holds (the rule that lifts a kind taking most of the page misses
/// threads beside a long sidebar or a list of other topics).
fn set_aside_before_choice(product_page: bool, discussion: bool) -> Vec<Prune> {
    let mut kinds = vec![Prune::Purchase];
    kinds.extend(Prune::BESIDE_TEXT);
    if !product_page {
        kinds.push(Prune::Reviews);
    }
    if discussion {
        kinds.push(Prune::Comments);
    }
    kinds
}

/// Per element, over its whole subtree without pruned parts: characters of text and of link
/// text; and whether it may be chosen as (part of) the main content.
#[derive(Clone, Copy)]
struct Totals<'a> {
    chars: &'a [u32],
    links: &'a [u32],
    candidate: &'a [bool],
}

/// The container with the highest score after class hints and link density; the body (or root)
/// when nothing scores. `candidate[i]`: element i is not furniture.
fn best_container(page: &Page, score: &[f32], totals: Totals) -> usize {
    let Totals {
        chars,
        links,
        candidate,
    } = totals;
    let mut best = 0;
    let mut best_score = 0.0f32;
    for i in 1..page.els.len() {
        if score[i] <= 0.0 || !candidate[i] {
            continue;
        }
        let s = final_score(i, page, score, chars, links);
        if s > best_score {
            best = i;
            best_score = s;
        }
    }
    if best == 0 {
        return page
            .els
            .iter()
            .position(|e| e.tag == Tag::Body)
            .unwrap_or(0);
    }
    best
}

fn final_score(i: usize, page: &Page, score: &[f32], chars: &[u32], links: &[u32]) -> f32 {
    let link_share = if chars[i] == 0 {
        0.0
    } else {
        links[i] as f32 / chars[i] as f32
    };
    (score[i] + page.els[i].weight as f32) * (1.0 - link_share)
}

/// A block this long is prose: a main container that holds one is an article's body, not one
/// of a landing page's sections ([`add_main_sections`]).
const SECTION_MAX_BLOCK_CHARS: u32 = 300;

/// Share of link text below which another section of `<main>` joins ([`add_main_sections`]).
const SECTION_MAX_LINK_SHARE: f32 = 0.2;

/// A landing page (a service's home, a product tour) is a run of sections in `<main>`, each a
/// heading and a few short lines; the best container is one of them, and its siblings score
/// too little to join. When the best container lies in `<main>` and holds no block of prose
/// ([`SECTION_MAX_BLOCK_CHARS`]), the other children of `<main>` that are not furniture and
/// not mostly links ([`SECTION_MAX_LINK_SHARE`]) join it. Not on a page that states it is an
/// article (its `<main>` holds related stories) or sells one product (related products).
fn add_main_sections(page: &Page, best: usize, totals: Totals, chosen: &mut [bool]) {
    let Totals {
        chars,
        links,
        candidate,
    } = totals;
    // The child of <main> on the way up from the best container.
    let mut child = best;
    let mut main = page.els[best].parent as usize;
    while main != 0 && page.els[main].tag != Tag::Main {
        child = main;
        main = page.els[main].parent as usize;
    }
    if main == 0 || page.els[best].tag == Tag::Main {
        return;
    }
    let mut longest = vec![0u32; page.els.len()];
    for b in &page.blocks {
        let o = b.owner as usize;
        longest[o] = longest[o].max(b.chars);
    }
    for i in (1..page.els.len()).rev() {
        let p = page.els[i].parent as usize;
        longest[p] = longest[p].max(longest[i]);
    }
    if longest[best] >= SECTION_MAX_BLOCK_CHARS {
        return;
    }
    for (i, e) in page.els.iter().enumerate().skip(1) {
        if e.parent as usize != main || i == child || !candidate[i] || chars[i] == 0 {
            continue;
        }
        if (links[i] as f32) < SECTION_MAX_LINK_SHARE * chars[i] as f32 {
            chosen[i] = true;
        }
    }
}

/// A list of similar records is at least this many children of one element that share a look
/// ([`super::dom::El::look`]: tag and class) and hold two blocks or more each: a product grid's
/// cards (name, price), a listing's entries (title, summary), a thread's posts. A menu's items
/// are one link each.
const MIN_RECORDS: u32 = 4;

/// Most blocks a record holds on average: a card or an entry is a few lines, while a page
/// whose sections share a look (an article split into list items) is not a list of records.
const RECORD_MAX_BLOCKS: u32 = 12;

/// Share of the page's unpruned text a list of records must hold to join the main text.
const RECORDS_SHARE: f32 = 0.3;

/// A page that is not one story is often a list of similar records, which a text-density
/// score splits: the best container is the category's blurb or one post, and the grid of
/// short cards scores too little to join. The largest list of records ([`MIN_RECORDS`]) that
/// holds [`RECORDS_SHARE`] of the page's unpruned text joins the main text.
fn add_records(page: &Page, pruned: &[Option<Prune>], totals: Totals, chosen: &mut [bool]) {
    let Totals {
        chars, candidate, ..
    } = totals;
    let blocks = unpruned_blocks(page, pruned);
    let is_record = |i: usize| blocks[i] >= 2 && candidate[i];
    let Some(key) = largest_records(page, &blocks, chars, &is_record) else {
        return;
    };
    for (i, e) in page.els.iter().enumerate().skip(1) {
        if (e.parent, e.look) == key && is_record(i) {
            chosen[i] = true;
        }
    }
}

/// The (parent, look) of the largest list of records that may join ([`add_records`]).
fn largest_records(
    page: &Page,
    blocks: &[u32],
    chars: &[u32],
    is_record: &impl Fn(usize) -> bool,
) -> Option<(u32, u32)> {
    // (parent, look) → (records, their characters, their blocks).
    let mut lists: std::collections::HashMap<(u32, u32), (u32, u32, u32)> = Default::default();
    for (i, e) in page.els.iter().enumerate().skip(1) {
        if is_record(i) {
            let list = lists.entry((e.parent, e.look)).or_default();
            list.0 += 1;
            list.1 += chars[i];
            list.2 += blocks[i];
        }
    }
    let (&key, &(_, held, _)) = lists
        .iter()
        .filter(|(_, (count, _, held_blocks))| {
            *count >= MIN_RECORDS && *held_blocks <= RECORD_MAX_BLOCKS * *count
        })
        .max_by_key(|(key, (_, held, _))| (*held, std::cmp::Reverse(**key)))?;
    (held as f32 >= RECORDS_SHARE * chars[0] as f32).then_some(key)
}

/// Per element, how many unpruned blocks are in it.
fn unpruned_blocks(page: &Page, pruned: &[Option<Prune>]) -> Vec<u32> {
    subtree_sums(page, |i, _| pruned[i].is_none() as u32)
}

/// Least characters of unpruned text the part of an `<article>` before the main container must
/// hold to join it ([`add_lead`]): a dek, a byline and a date are shorter.
const LEAD_MIN_CHARS: u32 = 500;

/// Most share of link text in that part: a lead and its first sections are prose, while a
/// list of links (a table of contents alone, tags) is not.
const LEAD_MAX_LINK_SHARE: f32 = 0.2;

/// On a page that states an article, the main container can be one section of the story (the
/// one with most of its text) while its lead and first sections sit beside it in the same
/// `<article>` and score under the sibling threshold. When the container lies in an
/// `<article>` (not above `<main>`), the unpruned parts of that `<article>` before it join, if
/// they hold [`LEAD_MIN_CHARS`] and little link text. Only what comes before: after the body an
/// `<article>` holds tags, author boxes and "more stories".
fn add_lead(page: &Page, best: usize, totals: Totals, chosen: &mut [bool]) {
    let Totals {
        chars,
        links,
        candidate,
    } = totals;
    let Some(article) = enclosing_article(page, best) else {
        return;
    };
    let mut on_path = vec![false; page.els.len()];
    let mut cur = best;
    while cur != article {
        on_path[cur] = true;
        cur = page.els[cur].parent as usize;
    }
    on_path[article] = true;
    // Elements come in document order and a subtree is contiguous, so the ones between the
    // `<article>` and the container are inside the `<article>` and before the container.
    let lead: Vec<usize> = (article + 1..best)
        .filter(|&i| !on_path[i] && on_path[page.els[i].parent as usize] && candidate[i])
        .collect();
    let held: u32 = lead.iter().map(|&i| chars[i]).sum();
    let linked: u32 = lead.iter().map(|&i| links[i]).sum();
    if held >= LEAD_MIN_CHARS && (linked as f32) <= LEAD_MAX_LINK_SHARE * held as f32 {
        for i in lead {
            chosen[i] = true;
        }
    }
}

/// The nearest `<article>` above the element `i`, if one is below `<main>` and the body.
fn enclosing_article(page: &Page, i: usize) -> Option<usize> {
    let mut cur = page.els[i].parent as usize;
    while cur != 0 {
        match page.els[cur].tag {
            Tag::Article => return Some(cur),
            Tag::Main | Tag::Body => return None,
            _ => cur = page.els[cur].parent as usize,
        }
    }
    None
}

/// Readability's sibling rule: siblings that score well, or hold a real paragraph, join.
fn add_siblings(page: &Page, best: usize, score: &[f32], totals: Totals, chosen: &mut [bool]) {
    let Totals {
        chars,
        links,
        candidate,
    } = totals;
    if best == 0 {
        return;
    }
    let parent = page.els[best].parent;
    let best_score = final_score(best, page, score, chars, links);
    let threshold = (best_score * 0.2).max(10.0);
    // Later and earlier siblings alike (a lead paragraph or a heading before the body counts).
    for (i, e) in page.els.iter().enumerate().skip(1) {
        if e.parent != parent || i == best || !candidate[i] {
            continue;
        }
        let s = final_score(i, page, score, chars, links);
        let link_share = if chars[i] == 0 {
            1.0
        } else {
            links[i] as f32 / chars[i] as f32
        };
        let paragraph = e.tag.is_paragraph() && chars[i] > 80 && link_share < 0.25;
        if s >= threshold || paragraph {
            chosen[i] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::{Deadline, dom, render};
    use super::*;

    /// The main text `select` keeps from a page, blocks separated by blank lines.
    fn main_text(html: &str) -> String {
        main_text_of(html, false)
    }

    fn main_text_of(html: &str, product_page: bool) -> String {
        let deadline = Deadline::new(Duration::from_secs(10));
        let hints = Hints::new();
        let page = dom::flatten(html, &hints, 256, &deadline).unwrap();
        let fates = select(&page, product_page, &hints);
        render(&page, &fates)
    }

    fn paragraphs(prefix: &str, n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "<p>{prefix} paragraph {i} says something long enough, with a comma, \
                     to count as a real paragraph of running text.</p>"
                )
            })
            .collect()
    }

    /// A story whose `<article>` holds `lead` before its long body section and five paragraphs
    /// of other stories after it.
    fn story_with_lead(head: &str, lead: &str) -> String {
        format!(
            "<html><head>{head}</head><body><article><section>{lead}</section>\
             <section>{}</section><section>{}</section></article></body></html>",
            paragraphs("Body", 30),
            paragraphs("After", 5)
        )
    }

    #[test]
    fn other_stories_headed_as_such_under_a_story_are_dropped() {
        let teasers = "<div><h3>Latest News</h3></div><div><h4>Can you sue the agency?</h4>\
             <p>March 29, 2025</p><p>When the agency denies your claim, it can feel like a dead \
             end, but there are steps you can take.</p></div>";
        let html = format!(
            "<html><head>{ARTICLE_HEAD}</head><body><div>{}{teasers}</div>\
             <div><h3>Popular posts:</h3><nav>{}</nav></div></body></html>",
            paragraphs("Body", 10),
            paragraphs("Menu", 1)
        );
        let text = main_text(&html);
        assert!(text.contains("Body paragraph 9"), "{text}");
        assert!(
            !text.contains("Latest News") && !text.contains("dead end"),
            "{text}"
        );
        // Off a story, the same section stays (a news site's front page is its latest news).
        let text = main_text(&html.replace(ARTICLE_HEAD, ""));
        assert!(text.contains("dead end"), "{text}");
    }

    #[test]
    fn an_articles_lead_beside_its_body_section_joins_it() {
        let text = main_text(&story_with_lead(ARTICLE_HEAD, &paragraphs("Lead", 5)));
        assert!(text.contains("Lead paragraph 0"), "{text}");
        assert!(text.contains("Lead paragraph 4"), "{text}");
        assert!(text.contains("Body paragraph 29"), "{text}");
        // What follows the body in the <article> stays out.
        assert!(!text.contains("After paragraph"), "{text}");
    }

    #[test]
    fn a_short_or_linked_lead_or_one_off_an_article_stays_out() {
        // Not a stated article.
        let text = main_text(&story_with_lead("", &paragraphs("Lead", 5)));
        assert!(!text.contains("Lead paragraph"), "{text}");
        // A dek and a byline are under 500 characters.
        let text = main_text(&story_with_lead(ARTICLE_HEAD, &paragraphs("Lead", 3)));
        assert!(!text.contains("Lead paragraph"), "{text}");
        // A block of links (a table of contents, other stories) is not a lead.
        let links: String = (0..5)
            .map(|i| {
                format!(
                    "<p><a href=\"/{i}\">Another story number {i} to read next</a>, \
                 and a few more words about it here.</p>"
                )
            })
            .collect();
        let text = main_text(&story_with_lead(ARTICLE_HEAD, &links));
        assert!(!text.contains("Another story"), "{text}");
    }

    fn story_with_sign_up(head: &str) -> String {
        format!(
            "<html><head>{head}</head><body><article>{}<p>Sign up for our newsletter to get \
             the week's stories.</p><p>By signing up, you agree to our Terms of Use.</p>\
             <p>The council said its newsletter would print the new timetable in March.</p>\
             {}</article></body></html>",
            paragraphs("Story", 4),
            paragraphs("More", 2)
        )
    }

    #[test]
    fn an_articles_sign_up_lines_go_but_a_sentence_about_a_newsletter_stays() {
        let text = main_text(&story_with_sign_up(ARTICLE_HEAD));
        assert!(!text.contains("Sign up for our newsletter"), "{text}");
        assert!(!text.contains("By signing up"), "{text}");
        assert!(text.contains("its newsletter would print"), "{text}");
        assert!(text.contains("More paragraph 1"), "{text}");
    }

    #[test]
    fn a_posts_reaction_counts_go_but_a_heading_counting_answers_stays() {
        let html = format!(
            "<html><body><main><h1>Which pan for eggs?</h1>{}<p>3 Likes</p>\
             <h2>14 Answers</h2>{}<p>12 replies · 40 views</p>\
             <p>I got 3 likes for saying cast iron, and I stand by it today.</p></main>\
             </body></html>",
            paragraphs("Question", 2),
            paragraphs("Answer", 3)
        );
        let text = main_text(&html);
        assert!(!text.contains("3 Likes"), "{text}");
        assert!(!text.contains("40 views"), "{text}");
        assert!(text.contains("14 Answers"), "{text}");
        assert!(text.contains("I got 3 likes"), "{text}");
        assert!(text.contains("Answer paragraph 2"), "{text}");
    }

    #[test]
    fn a_threads_vote_counts_and_badges_go_but_lone_numbers_elsewhere_stay() {
        let page = |head: &str| {
            format!(
                "<html><head>{head}</head><body><main><h1>Which pan for eggs?</h1>{}\
                 <p>OP</p><p>12</p>{}<p>#3</p><p>-2</p><p>1.2K</p>{}</main></body></html>",
                paragraphs("Question", 2),
                paragraphs("Answer", 2),
                paragraphs("Reply", 2)
            )
        };
        let ld = "<script type=\"application/ld+json\">{\"@type\":\"DiscussionForumPosting\"}\
                  </script>";
        let lines = |text: &str| -> Vec<String> { text.lines().map(str::to_string).collect() };
        let thread = lines(&main_text(&page(ld)));
        for tally in ["OP", "12", "#3", "-2", "1.2K"] {
            assert!(!thread.iter().any(|l| l == tally), "{tally}: {thread:?}");
        }
        assert!(
            thread.iter().any(|l| l.starts_with("Reply paragraph 1")),
            "{thread:?}"
        );
        // A page that states no discussion keeps them: a step's number, a table's cell.
        let other = lines(&main_text(&page("")));
        assert!(other.iter().any(|l| l == "12"), "{other:?}");
    }

    #[test]
    fn sign_up_lines_stay_off_an_article() {
        // A service's own page may be its sign-up offer.
        let text = main_text(&story_with_sign_up(""));
        assert!(text.contains("Sign up for our newsletter"), "{text}");
    }

    /// A landing page stating `head`: a hero with the `<h1>` and a tagline (and `dateline`),
    /// then the main text in a container of its own.
    fn landing_page(head: &str, h1: &str, dateline: &str) -> String {
        format!(
            "<html><head><title>Custom skincare set | Shop</title>{head}</head><body>\
             <div class=\"hero\"><h1>{h1}</h1><p>Save ten percent today.</p>{dateline}</div>\
             <div><div class=\"steps\">{}</div></div></body></html>",
            paragraphs("Step", 4)
        )
    }

    #[test]
    fn the_headline_and_tagline_before_the_main_text_join_it() {
        let text = main_text(&landing_page("", "Custom skincare set", ""));
        assert!(text.contains("Custom skincare set"), "{text}");
        assert!(text.contains("Save ten percent today."), "{text}");
        assert!(text.contains("Step paragraph 3"), "{text}");
        // A dateline stays out.
        let text = main_text(&landing_page(
            "",
            "Custom skincare set",
            "<p>By Jane Doe</p>",
        ));
        assert!(text.contains("Save ten percent today."), "{text}");
        assert!(!text.contains("Jane Doe"), "{text}");
    }

    #[test]
    fn no_lead_joins_under_a_sites_name_or_an_articles_headline() {
        // An <h1> that shares no words with the title names the site, not the page.
        let text = main_text(&landing_page("", "Acme Corporation", ""));
        assert!(!text.contains("Save ten percent today."), "{text}");
        // A stated article's header is left out, and so is one with a dateline above prose.
        let text = main_text(&landing_page(ARTICLE_HEAD, "Custom skincare set", ""));
        assert!(!text.contains("Save ten percent today."), "{text}");
        let long = format!(
            "<p>{}</p>",
            "A long paragraph of running text, with commas, well past three hundred characters. "
                .repeat(5)
        );
        let html = landing_page(
            "",
            "Custom skincare set",
            "<p>Published on July 18, 2025</p>",
        )
        .replace(
            "<div class=\"steps\">",
            &format!("<div class=\"steps\">{long}"),
        );
        let text = main_text(&html);
        assert!(text.contains("A long paragraph of running text"), "{text}");
        assert!(!text.contains("Save ten percent today."), "{text}");
    }

    #[test]
    fn a_consent_box_is_never_the_content_however_long() {
        let html = format!(
            "<body><article>{}</article><div id=\"onetrust-consent-sdk\">{}</div>\
             <div role=\"dialog\" aria-modal=\"true\">{}</div></body>",
            paragraphs("Story", 2),
            paragraphs("Cookie purpose", 8),
            paragraphs("Modal", 8),
        );
        assert_story_without(&html, &["Cookie purpose", "Modal"]);
    }

    /// Asserts that the main text of `html` holds the story and none of `dropped`.
    fn assert_story_without(html: &str, dropped: &[&str]) {
        let text = main_text(html);
        assert!(text.contains("Story paragraph 1"), "{text}");
        for d in dropped {
            assert!(!text.contains(d), "{d}: {text}");
        }
    }

    #[test]
    fn customer_reviews_are_dropped_on_a_product_page_only() {
        let html = format!(
            "<body><div class=\"product\"><div class=\"description\">{}</div>\
             <section class=\"product-reviews\">{}</section></div></body>",
            paragraphs("Description", 4),
            paragraphs("Review", 2),
        );
        let shop = main_text_of(&html, true);
        assert!(shop.contains("Description paragraph 1"), "{shop}");
        assert!(!shop.contains("Review paragraph"), "{shop}");
        let other = main_text_of(&html, false);
        assert!(other.contains("Review paragraph 1"), "{other}");
    }

    #[test]
    fn prices_pickers_and_carousels_are_dropped_on_a_product_page_but_not_a_description() {
        let long = "A long paragraph of the description, well over two hundred characters, \
                    which says what the kettle is made of, how much water it holds, how fast it \
                    boils and how to descale it, so it is prose and not a price label at all.";
        let html = format!(
            "<body><div class=\"product\"><h1>Steel kettle</h1><div class=\"price\">$24.50 \
             today</div><div class=\"swatch\">Black</div>{}<div class=\"grid-item price\">\
             <p>{long}</p></div><div class=\"carousel\"><p>Enamel kettle, the one customers \
             also bought, with a comma</p></div></div></body>",
            paragraphs("Description", 3),
        );
        let shop = main_text_of(&html, true);
        assert!(shop.contains("Description paragraph 2"), "{shop}");
        assert!(shop.contains("how fast it boils"), "{shop}");
        assert!(!shop.contains("$24.50"), "{shop}");
        assert!(!shop.contains("Black"), "{shop}");
        assert!(!shop.contains("Enamel kettle"), "{shop}");
        let other = main_text_of(&html, false);
        assert!(other.contains("$24.50"), "{other}");
    }

    #[test]
    fn long_link_titles_of_a_listing_stay_and_short_menu_links_go() {
        let items: String = (0..6)
            .map(|i| {
                format!(
                    "<div class=\"item\"><p><a href=\"/{i}\">The {i} best easy dinners we are \
                     cooking on repeat this week</a></p><p>A short summary of item {i}, with \
                     enough words to read as a snippet of the listing.</p></div>"
                )
            })
            .collect();
        let html = format!(
            "<body><div class=\"list\"><p><a href=\"/a\">Home</a> <a href=\"/b\">Recipes \
             and more</a></p>{items}</div></body>"
        );
        let text = main_text(&html);
        assert!(
            text.contains("The 3 best easy dinners we are cooking on repeat this week"),
            "{text}"
        );
        assert!(text.contains("A short summary of item 3"), "{text}");
        assert!(!text.contains("Recipes and more"), "{text}");
    }

    #[test]
    fn a_repeated_block_is_kept_once_but_short_repeated_cells_stay() {
        let html = format!(
            "<body><article>{}<p>Free delivery on every order over fifty euros today</p>\
             <table><tr><td>Size</td><td>true</td></tr><tr><td>Colour</td><td>true</td></tr>\
             </table><p>Free delivery on every order over fifty euros today</p></article></body>",
            paragraphs("Product", 3)
        );
        let text = main_text(&html);
        assert_eq!(
            text.matches("Free delivery on every order").count(),
            1,
            "{text}"
        );
        assert_eq!(text.matches("true").count(), 2, "{text}");
    }

    /// A page with two lists after its paragraphs: `first` and `second` (list items, `<li>`).
    fn two_lists(first: &[&str], second: &[&str]) -> String {
        let list = |items: &[&str]| -> String {
            let lis: String = items.iter().map(|i| format!("<li>{i}</li>")).collect();
            format!("<ul>{lis}</ul>")
        };
        format!(
            "<body><article>{}{}{}</article></body>",
            paragraphs("Plans", 3),
            list(first),
            list(second)
        )
    }

    #[test]
    fn a_repeated_item_of_a_list_with_items_of_its_own_stays() {
        let support = "Phone support from our team every day of the week";
        let html = two_lists(
            &[support, "One resume written by a certified writer"],
            &[support, "Three resumes written by a senior writer"],
        );
        let text = main_text(&html);
        assert_eq!(text.matches(support).count(), 2, "{text}");
    }

    #[test]
    fn a_list_of_repeats_or_a_repeated_label_and_value_goes() {
        let one = "Phone support from our team every day of the week";
        let two = "One resume written by a certified writer";
        let text = main_text(&two_lists(&[one, two], &[one, two]));
        assert_eq!(text.matches(one).count(), 1, "{text}");
        assert_eq!(text.matches(two).count(), 1, "{text}");
        let network = "Network: Broadband Internet connection";
        let html = two_lists(
            &[network, "Storage: 15 GB available space"],
            &[network, "Storage: 30 GB available space"],
        );
        let text = main_text(&html);
        assert_eq!(text.matches(network).count(), 1, "{text}");
        assert!(text.contains("30 GB"), "{text}");
    }

    #[test]
    fn react_streamed_segments_are_read_but_hidden_text_is_not() {
        let html = format!(
            "<body><div hidden id=\"S:0\"><article>{}</article></div>\
             <div hidden><p>Secret text the page never shows, long enough to count here.</p></div>\
             <template id=\"B:0\"></template></body>",
            paragraphs("Streamed", 3)
        );
        let text = main_text(&html);
        assert!(text.contains("Streamed paragraph 2"), "{text}");
        assert!(!text.contains("Secret text"), "{text}");
    }

    #[test]
    fn screen_reader_only_text_is_not_read() {
        let html = format!(
            "<body><article>{}<p>Read the full report<span class=\"sr-only\"> (opens in a new \
             window)</span> before the meeting, which starts at noon.</p></article></body>",
            paragraphs("Report", 2)
        );
        let text = main_text(&html);
        assert!(
            text.contains("Read the full report before the meeting"),
            "{text}"
        );
        assert!(!text.contains("opens in a new window"), "{text}");
    }

    #[test]
    fn a_figure_caption_is_left_out_but_the_text_around_it_stays() {
        let html = format!(
            "<body><article>{}<figure><img src=\"a.jpg\"><figcaption><p>The harbour at dawn, \
             seen from the old lighthouse. Credit: Jane Doe</p></figcaption></figure>{}\
             </article></body>",
            paragraphs("Before", 2),
            paragraphs("After", 2)
        );
        let text = main_text(&html);
        assert!(text.contains("Before paragraph 1"), "{text}");
        assert!(text.contains("After paragraph 0"), "{text}");
        assert!(!text.contains("The harbour at dawn"), "{text}");
    }

    #[test]
    fn an_articles_links_to_other_stories_go_but_its_linked_sentences_stay() {
        let related = "<p><a href=\"/r\">Ten more harbour walks to try before the winter \
                       comes</a></p>";
        let body = format!(
            "<body><article>{}<p>The council <a href=\"/c\">said on Tuesday</a> that the \
             harbour walk will stay open all winter.</p>{related}</article></body>",
            paragraphs("Story", 3)
        );
        let article = format!(
            "<html><head><meta property=\"og:type\" content=\"article\"></head>{body}</html>"
        );
        let text = main_text(&article);
        assert!(text.contains("harbour walk will stay open"), "{text}");
        assert!(!text.contains("Ten more harbour walks"), "{text}");
        // A page that is not an article (a listing) keeps its linked titles.
        let text = main_text(&format!("<html>{body}</html>"));
        assert!(text.contains("Ten more harbour walks"), "{text}");
    }

    /// A story with an author box after it (`class`), as a page of `head` states it.
    fn story_with_author_box(head: &str, class: &str, story: usize) -> String {
        format!(
            "<html><head>{head}</head><body><article>{}<div class=\"{class}\"><h3>About the \
             author</h3><p>Jane Doe writes about harbours, boats and the sea, and has done so \
             for twenty years.</p></div></article></body></html>",
            paragraphs("Story", story)
        )
    }

    const ARTICLE_HEAD: &str = "<meta property=\"og:type\" content=\"article\">";

    #[test]
    fn an_articles_author_box_goes() {
        for class in [
            "author-box",
            "abh_box abh_box_down",
            "saboxplugin-wrap",
            "entry-author-bio",
        ] {
            let text = main_text(&story_with_author_box(ARTICLE_HEAD, class, 4));
            assert!(text.contains("Story paragraph 3"), "{class}: {text}");
            assert!(!text.contains("writes about harbours"), "{class}: {text}");
            assert!(!text.contains("About the author"), "{class}: {text}");
        }
    }

    #[test]
    fn an_author_box_stays_off_an_article_or_when_it_wraps_the_text() {
        // A page that does not state an article (a team member's profile page).
        let text = main_text(&story_with_author_box("", "author-box", 4));
        assert!(text.contains("writes about harbours"), "{text}");
        // An "author" word alone is a byline, not a box.
        let text = main_text(&story_with_author_box(ARTICLE_HEAD, "author vcard", 4));
        assert!(text.contains("writes about harbours"), "{text}");
        // A box that holds a fifth of the text or more wraps the post itself.
        let html = format!(
            "<html><head>{ARTICLE_HEAD}</head><body><div class=\"author-info\">{}</div>\
             {}</body></html>",
            paragraphs("Story", 2),
            paragraphs("Other", 3)
        );
        let text = main_text(&html);
        assert!(text.contains("Story paragraph 1"), "{text}");
    }

    #[test]
    fn a_posts_own_footer_goes_unless_it_wraps_the_text() {
        let page = |footer: &str| {
            format!(
                "<body><div class=\"docs-content\">{}<section class=\"article-footer\">\
                 {footer}<p>This page was last modified on Sep 25, 2024 by its contributors.</p>\
                 </section></div></body>",
                paragraphs("Guide", 4)
            )
        };
        let text = main_text(&page(""));
        assert!(text.contains("Guide paragraph 3"), "{text}");
        assert!(!text.contains("last modified"), "{text}");
        // A "footer" that holds most of the text is the post itself.
        let text = main_text(&page(&paragraphs("Footer", 3)));
        assert!(text.contains("Footer paragraph 2"), "{text}");
        assert!(text.contains("last modified"), "{text}");
    }

    #[test]
    fn a_footer_is_never_the_content_however_long() {
        let html = format!(
            "<body><article>{}</article><footer>{}</footer>\
             <div role=\"contentinfo\">{}</div></body>",
            paragraphs("Story", 2),
            paragraphs("Legal notice", 6),
            paragraphs("Imprint", 6),
        );
        assert_story_without(&html, &["Legal notice", "Imprint"]);
    }

    #[test]
    fn an_affiliate_disclaimer_inside_the_article_is_furniture() {
        let html = format!(
            "<body><article>{}<div class=\"affiliate-disclaimer\"><p>We may earn a commission \
             when you buy through the links on this page, at no cost to you.</p></div>{}\
             </article></body>",
            paragraphs("Review", 2),
            paragraphs("Verdict", 2)
        );
        let text = main_text(&html);
        assert!(text.contains("Verdict paragraph 1"), "{text}");
        assert!(!text.contains("We may earn a commission"), "{text}");
    }

    #[test]
    fn a_posters_signature_and_title_go_but_their_name_and_post_stay() {
        let post = |name: &str, n: usize| {
            format!(
                "<div class=\"message\"><div class=\"message-user\"><h4>{name}</h4>\
                 <h5 class=\"userTitle message-userTitle\">Senior member of the board</h5>\
                 <dl class=\"message-userExtras\"><dt>Joined</dt><dd>Jan 3, 2011</dd></dl></div>\
                 <div class=\"message-body\">{}</div><div class=\"message-signature\"><p>My rig: \
                 a tower, two fans, one very loud keyboard and a desk.</p></div></div>",
                paragraphs(&format!("Post {n}"), 2)
            )
        };
        let html = format!(
            "<body><div class=\"thread\">{}{}</div></body>",
            post("felix", 1),
            post("anna", 2)
        );
        let text = main_text(&html);
        assert!(text.contains("felix"), "{text}");
        assert!(text.contains("Post 2 paragraph 1"), "{text}");
        for gone in ["Senior member", "Joined", "My rig"] {
            assert!(!text.contains(gone), "{gone}: {text}");
        }
    }

    #[test]
    fn a_posters_user_info_box_goes_but_a_user_infographic_stays() {
        let answer = |box_class: &str| {
            format!(
                "<div class=\"answer\">{}<div class=\"{box_class}\"><p>answered May 29, 2015 \
                 at 3:13</p><p>48711 gold badge55 silver badges</p></div></div>",
                paragraphs("Answer", 2)
            )
        };
        let html = format!(
            "<body><div class=\"question\">{}</div>{}{}</body>",
            paragraphs("Question", 2),
            answer("user-info user-hover"),
            answer("message-userDetails")
        );
        let text = main_text(&html);
        assert!(text.contains("Answer paragraph 1"), "{text}");
        assert!(!text.contains("answered May 29"), "{text}");
        assert!(!text.contains("silver badges"), "{text}");
        let html = format!(
            "<body><div class=\"question\">{}</div>{}</body>",
            paragraphs("Question", 2),
            answer("user-infographic")
        );
        assert!(main_text(&html).contains("answered May 29"));
    }

    #[test]
    fn a_posters_signature_goes_after_the_choice_but_a_signature_compound_stays() {
        let html = format!(
            "<body><div class=\"features\">{}<div class=\"signature\">\
             <p>Three-time champion of the regional league, and proud of it.</p></div>\
             <div id=\"digital-signature-compatible-row\"><p>Digital signature compatible, so \
             every return is signed online, with no printing.</p></div></div></body>",
            paragraphs("Feature", 3)
        );
        let text = main_text(&html);
        assert!(!text.contains("Three-time champion"), "{text}");
        assert!(text.contains("Digital signature compatible"), "{text}");
        assert!(text.contains("Feature paragraph 1"), "{text}");
    }

    /// A story page (`og:type` article, or `json_ld` as stated) with a long comment thread.
    fn story_with_comments(json_ld: &str) -> String {
        format!(
            "<html><head><meta property=\"og:type\" content=\"article\">{json_ld}</head><body>\
             <article><div class=\"entry-content\">{}</div><div id=\"comments\">{}</div>\
             </article></body></html>",
            paragraphs("Story", 24),
            paragraphs("Comment", 60)
        )
    }

    #[test]
    fn an_articles_comments_stay_out_however_many() {
        let text = main_text(&story_with_comments(""));
        assert!(text.contains("Story paragraph 23"), "{text}");
        assert!(!text.contains("Comment paragraph"), "{text}");
    }

    #[test]
    fn a_discussions_replies_are_its_content_though_it_says_article() {
        let ld = "<script type=\"application/ld+json\">{\"@type\":\"DiscussionForumPosting\"}\
                  </script>";
        let text = main_text(&story_with_comments(ld));
        assert!(text.contains("Comment paragraph 59"), "{text}");
    }

    /// A thread (`head` in the head): a short opening post and its replies (`#comments`,
    /// under half the page), beside a list of other topics that is not furniture.
    fn thread_beside_topics(head: &str) -> String {
        format!(
            "<html><head>{head}</head><body><div class=\"thread\"><div class=\"topic\">{}\
             </div><div id=\"comments\">{}</div></div><div class=\"topics\">{}</div>\
             </body></html>",
            paragraphs("Opening post", 2),
            paragraphs("Reply", 4),
            paragraphs("Other topic", 3)
        )
    }

    #[test]
    fn a_stated_discussion_keeps_its_replies_though_they_are_under_half_the_page() {
        let ld = "<script type=\"application/ld+json\">{\"@type\":\"DiscussionForumPosting\"}\
                  </script>";
        let text = main_text(&thread_beside_topics(ld));
        assert!(text.contains("Opening post paragraph 1"), "{text}");
        assert!(text.contains("Reply paragraph 3"), "{text}");
        // A page that does not say it is a discussion: under half the page, comments go.
        let text = main_text(&thread_beside_topics(""));
        assert!(text.contains("Opening post paragraph 1"), "{text}");
        assert!(!text.contains("Reply paragraph"), "{text}");
    }

    #[test]
    fn a_form_of_short_labels_goes_but_not_one_of_prose_or_one_wrapping_the_page() {
        let filters = "<form><fieldset><legend>Colour</legend><ul><li>Red</li><li>Oak brown\
                       </li><li>Blue</li></ul></fieldset><p>Postal code</p></form>";
        let html = format!(
            "<body><div class=\"content\">{filters}{}</div></body>",
            paragraphs("Item", 6)
        );
        let text = main_text(&html);
        assert!(text.contains("Item paragraph 5"), "{text}");
        assert!(!text.contains("Oak brown"), "{text}");
        assert!(!text.contains("Postal code"), "{text}");
        // A comment in a form is prose, and a form around the whole page is the page.
        let html = format!(
            "<body><div class=\"content\"><form>{}</form>{}</div></body>",
            paragraphs("Comment", 1),
            paragraphs("Item", 6)
        );
        assert!(main_text(&html).contains("Comment paragraph 0"));
        let html = format!(
            "<body><form><div class=\"content\">{}<p>Oak brown</p></div></form></body>",
            paragraphs("Item", 6)
        );
        assert!(main_text(&html).contains("Oak brown"));
    }

    /// A shop's product page whose reviews and related items are headed, not classed.
    fn shop_with_headed_sections(reviews_heading: &str) -> String {
        format!(
            "<body><div class=\"product\"><h1>Oak shelf</h1>{}<div><h2>{reviews_heading}</h2>\
             <div>{}</div></div><div><div><h3>You may also like</h3></div><div><p>Pine shelf, \
             a lighter one for small rooms, with a comma</p></div><div><p>Birch shelf, the \
             tall one with five cubbies, with a comma</p></div></div><h2>Care</h2><p>Wipe \
             the shelf with a damp cloth, then dry it, and never use a solvent.</p></div></body>",
            paragraphs("Description", 4),
            paragraphs("Review", 3),
        )
    }

    #[test]
    fn headed_reviews_and_related_items_are_dropped_on_a_product_page() {
        let html = shop_with_headed_sections("Reviews (29)");
        let shop = main_text_of(&html, true);
        assert!(shop.contains("Description paragraph 3"), "{shop}");
        assert!(shop.contains("Wipe the shelf"), "{shop}");
        for gone in [
            "Review paragraph",
            "Reviews (29)",
            "Pine shelf",
            "Birch shelf",
        ] {
            assert!(!shop.contains(gone), "{gone}: {shop}");
        }
    }

    #[test]
    fn headed_reviews_stay_off_a_product_page_or_under_another_heading() {
        // Not a shop's page (a service's testimonials, a review site): all stays.
        let html = shop_with_headed_sections("Reviews (29)");
        let other = main_text_of(&html, false);
        assert!(other.contains("Review paragraph 2"), "{other}");
        assert!(other.contains("Pine shelf"), "{other}");
        // A heading that only mentions reviews is not one.
        let html = shop_with_headed_sections("How we test our reviews");
        let shop = main_text_of(&html, true);
        assert!(shop.contains("Review paragraph 2"), "{shop}");
        // A page that is all reviews under an <h2> keeps them: they are the page.
        let html = format!(
            "<body><div class=\"product\"><div><h2>Reviews</h2>{}</div></div></body>",
            paragraphs("Review", 6)
        );
        let shop = main_text_of(&html, true);
        assert!(shop.contains("Review paragraph 5"), "{shop}");
    }

    #[test]
    fn a_headed_section_of_sibling_blocks_is_measured_once() {
        // The heading alone in its wrapper, each review in a sibling after it: the section is
        // the three reviews, under half the page, so it goes (counting each sibling from the
        // heading on had made it look like most of the page, and kept it).
        let reviews: String = (0..3)
            .map(|i| format!("<div>{}</div>", paragraphs(&format!("Review {i}"), 1)))
            .collect();
        let html = format!(
            "<body><div class=\"product\"><h1>Oak shelf</h1>{}<div><h2>Reviews</h2></div>\
             {reviews}</div></body>",
            paragraphs("Description", 4),
        );
        let shop = main_text_of(&html, true);
        assert!(shop.contains("Description paragraph 3"), "{shop}");
        assert!(!shop.contains("Review 2 paragraph"), "{shop}");
    }

    /// A listing: an intro paragraph, then items that are all linked titles (and a short menu
    /// outside any `<nav>`).
    fn listing(items: usize) -> String {
        let items: String = (0..items)
            .map(|i| {
                format!(
                    "<li><a href=\"/{i}\">Fourteen casseroles you did not know a slow cooker \
                     could make, number {i}</a></li>"
                )
            })
            .collect();
        format!(
            "<body><div class=\"top\"><a href=\"/\">Home</a></div><div class=\"page\">\
             <div class=\"intro\"><p>What is for dinner tonight? Take the work out of the \
             question with these recipes.</p></div><div class=\"grid\"><ul>{items}</ul>\
             </div></div></body>"
        )
    }

    #[test]
    fn a_listing_of_linked_titles_is_kept_beyond_its_intro() {
        let text = main_text(&listing(12));
        assert!(text.contains("What is for dinner tonight"), "{text}");
        assert!(text.contains("make, number 11"), "{text}");
    }

    #[test]
    fn a_listings_short_linked_titles_stay_but_one_word_links_go() {
        let html = listing(12).replace(
            "<ul>",
            "<ul><li><a href=\"/p\">Pork Chops</a></li><li><a href=\"/m\">Meatloaf</a></li>",
        );
        let text = main_text(&html);
        assert!(text.contains("Pork Chops"), "{text}");
        assert!(!text.contains("Meatloaf"), "{text}");
        // On a page that is not widened for its links, a two-word link is a menu's.
        let html = format!(
            "<body><article>{}<p><a href=\"/p\">Pork Chops</a></p></article></body>",
            paragraphs("Story", 3)
        );
        let text = main_text(&html);
        assert!(!text.contains("Pork Chops"), "{text}");
    }

    /// A category page: a blurb, then a grid of `tiles` cards (a linked three-word name and a
    /// price each), and a lone three-word link after the blurb.
    fn category_grid(tiles: usize) -> String {
        let names = [
            "Trail Running Shoes",
            "Merino Wool Socks",
            "Waterproof Hiking Jacket",
        ];
        let cards: String = (0..tiles)
            .map(|i| {
                format!(
                    "<div class=\"card\"><div class=\"name\"><a href=\"/p/{i}\">{}</a></div>\
                     <div class=\"price\">Now only {i}9.00 dollars</div></div>",
                    names[i % names.len()]
                )
            })
            .collect();
        format!(
            "<body><div class=\"page\"><div class=\"intro\"><p>Everything for the trail, \
             from shoes to jackets, chosen by our staff and tested on real mountains.</p>\
             <p><a href=\"/sale\">Shop the sale</a></p></div>\
             <div class=\"grid\">{cards}</div></div></body>"
        )
    }

    #[test]
    fn a_grids_three_word_linked_names_stay_but_a_lone_one_goes() {
        let text = main_text(&category_grid(8));
        assert!(text.contains("Everything for the trail"), "{text}");
        assert!(text.contains("Trail Running Shoes"), "{text}");
        assert!(text.contains("Waterproof Hiking Jacket"), "{text}");
        assert!(text.contains("Now only 79.00 dollars"), "{text}");
        // The lone link is one of no grid's records.
        assert!(!text.contains("Shop the sale"), "{text}");
        // Seven cards are not a grid: their short names are dropped like a menu's.
        let text = main_text(&category_grid(7));
        assert!(text.contains("Now only 69.00 dollars"), "{text}");
        assert!(!text.contains("Trail Running Shoes"), "{text}");
        // On an article the grid is related stories: short names still go.
        let article = category_grid(8).replace(
            "<body>",
            "<head><meta property=\"og:type\" content=\"article\"></head><body>",
        );
        let text = main_text(&article);
        assert!(!text.contains("Trail Running Shoes"), "{text}");
    }

    #[test]
    fn a_story_with_a_few_links_after_it_is_not_widened() {
        // The story holds most of the page's text: the links below it stay out.
        let html = format!(
            "<body><div class=\"page\"><article>{}</article><ul>{}</ul></div></body>",
            paragraphs("Story", 6),
            "<li><a href=\"/x\">Fourteen casseroles you did not know a slow cooker could \
             make</a></li>"
                .repeat(3)
        );
        let text = main_text(&html);
        assert!(text.contains("Story paragraph 5"), "{text}");
        assert!(!text.contains("Fourteen casseroles"), "{text}");
    }

    /// A landing page: a hero, a features section and a closing call in `<main>`, each short.
    fn landing(head: &str) -> String {
        let features: String = (0..6)
            .map(|i| {
                format!(
                    "<div><h3>Feature {i}</h3><p>Build workflows for feature {i}, with a comma, \
                     in minutes.</p></div>"
                )
            })
            .collect();
        format!(
            "<html><head>{head}</head><body><main><section><h1>All your teams in one \
             place</h1><p>Connected workflows for every team, no code needed.</p></section>\
             <section><div>{features}</div></section><section><h2>Start building \
             today</h2><p>Teams at thousands of companies use it every day.</p></section>\
             <section><a href=\"/a\">Blog</a> <a href=\"/b\">Careers</a></section></main>\
             </body></html>"
        )
    }

    #[test]
    fn a_landing_pages_sections_in_main_join_its_best_one() {
        let text = main_text(&landing(""));
        assert!(text.contains("Feature 5"), "{text}");
        assert!(text.contains("All your teams in one place"), "{text}");
        assert!(text.contains("Start building today"), "{text}");
        assert!(!text.contains("Careers"), "{text}");
    }

    #[test]
    fn sections_in_main_do_not_join_an_article_or_a_prose_container() {
        // A stated article: the other sections of its <main> are not its text.
        let text = main_text(&landing("<meta property=\"og:type\" content=\"article\">"));
        assert!(text.contains("Feature 5"), "{text}");
        assert!(!text.contains("Start building today"), "{text}");
        // A best container with a paragraph of prose is an article's body.
        let html = format!(
            "<body><main><section><div>{}</div></section><section><h2>More from the \
             blog</h2><p>Ten desk setups our readers sent us this winter.</p></section></main>\
             </body>",
            paragraphs("Long story", 3).replace(
                "running text.",
                "running text, and it goes on for a while longer so that it reads as a real \
                 paragraph of prose, more than three hundred characters long, as a story's \
                 paragraphs are, with another clause or two, and then a last one to end it.",
            )
        );
        let text = main_text(&html);
        assert!(text.contains("Long story paragraph 2"), "{text}");
        assert!(!text.contains("Ten desk setups"), "{text}");
    }

    /// A category page: a blurb, then a grid of product cards elsewhere (each a linked name and
    /// a price: `card`, with `{i}` for its number), `head` in the head.
    fn category(head: &str, card: &str, cards: usize) -> String {
        let grid: String = (0..cards)
            .map(|i| card.replace("{i}", &i.to_string()))
            .collect();
        format!(
            "<html><head>{head}</head><body><div class=\"top\"><div class=\"intro\">{}</div>\
             </div><div class=\"shop\"><div class=\"grid\">{grid}</div></div></body></html>",
            paragraphs("Blurb", 3)
        )
    }

    const CARD: &str = "<div class=\"card\"><a href=\"/{i}\">Oak shelf number {i} with five \
                        cubbies and doors</a><p>$49.00</p></div>";

    #[test]
    fn a_grid_of_similar_records_joins_the_blurb() {
        let text = main_text(&category("", CARD, 8));
        assert!(text.contains("Blurb paragraph 2"), "{text}");
        assert!(
            text.contains("Oak shelf number 7 with five cubbies"),
            "{text}"
        );
        assert!(text.contains("$49.00"), "{text}");
    }

    #[test]
    fn one_line_items_sections_and_an_articles_grid_do_not_join() {
        // A menu's items are one link each: not records.
        let item = "<div class=\"card\"><a href=\"/{i}\">Oak shelf number {i} with five \
                    cubbies and doors</a></div>";
        let text = main_text(&category("", item, 8));
        assert!(!text.contains("Oak shelf number 7"), "{text}");
        // Three cards are not a list.
        let text = main_text(&category("", CARD, 3));
        assert!(!text.contains("Oak shelf number 2"), "{text}");
        // Sections of many blocks each are a page's parts, not records.
        let line = "<p><a href=\"/s\">Walnut shelf with five cubbies and two doors</a></p>";
        let section = format!("<div class=\"card\">{}</div>", line.repeat(13));
        let text = main_text(&category("", &section, 4));
        assert!(!text.contains("Walnut shelf"), "{text}");
        // A stated article's grid is its related stories.
        let text = main_text(&category(
            "<meta property=\"og:type\" content=\"article\">",
            CARD,
            8,
        ));
        assert!(!text.contains("Oak shelf number 7"), "{text}");
    }
}
