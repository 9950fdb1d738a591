//! Which blocks are the main content: furniture subtrees are dropped, paragraphs score the
//! containers above them (text length, commas, link density, class hints), the best container
//! and its strong siblings are kept, and link-heavy blocks inside it are dropped.

use super::dom::{Page, Tag};
use super::hints::Prune;

/// Why a block was left out of the main text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drop {
    Pruned(Prune),
    /// Outside the container chosen as the main content.
    OutsideMain,
    /// Mostly link text (menus, tag lists, "read more" links).
    LinkDense,
}

impl Drop {
    pub fn rule(self) -> &'static str {
        match self {
            Drop::Pruned(p) => p.rule(),
            Drop::OutsideMain => "extract/dropped-outside-main",
            Drop::LinkDense => "extract/dropped-link-dense",
        }
    }
}

/// A block shorter than this many characters neither scores its container nor is judged alone.
const MIN_PARAGRAPH_CHARS: u32 = 25;

/// If one prune kind would drop more than this share of the page's text, the page is made of it
/// (a forum thread is its comments), so that kind is not applied.
const MAX_PRUNED_SHARE: f32 = 0.5;

/// The fate of every block of the page: `None` to keep it.
pub fn select(page: &Page) -> Vec<Option<Drop>> {
    let n = page.els.len();
    let total_chars: u32 = page.blocks.iter().map(|b| b.chars).sum();
    let pruned = pruned_ancestors(page, total_chars);

    // Per-element totals of kept text and link text (children after parents: walk backwards).
    let mut chars = vec![0u32; n];
    let mut links = vec![0u32; n];
    let mut score = vec![0f32; n];
    for (b, p) in page.blocks.iter().zip(&pruned) {
        if p.is_none() {
            chars[b.owner as usize] += b.chars;
            links[b.owner as usize] += b.link_chars;
        }
    }
    for i in (1..n).rev() {
        let parent = page.els[i].parent as usize;
        chars[parent] += chars[i];
        links[parent] += links[i];
    }

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

    let best = best_container(page, &score, &chars, &links, &pruned);
    let best = widen(page, best, &pruned);
    let mut chosen = vec![false; n];
    chosen[best] = true;
    add_siblings(page, best, &score, &chars, &links, &mut chosen);

    let mut inside = vec![false; n];
    for i in 0..n {
        inside[i] = chosen[i] || (i > 0 && inside[page.els[i].parent as usize]);
    }
    page.blocks
        .iter()
        .zip(pruned)
        .map(|(b, p)| {
            if let Some(p) = p {
                return Some(Drop::Pruned(p));
            }
            if !inside[b.owner as usize] {
                return Some(Drop::OutsideMain);
            }
            let heading = matches!(page.els[b.owner as usize].tag, Tag::Heading(_));
            if !heading && b.link_chars * 2 > b.chars {
                return Some(Drop::LinkDense);
            }
            None
        })
        .collect()
}

/// Share of the page's plain (unpruned, not link-dense) text the main container must hold: pages
/// that are not one article (listings, forums, products) spread their content over several
/// containers, so the choice moves up to the ancestor that holds most of it.
const COVER: f32 = 0.6;

fn widen(page: &Page, best: usize, pruned: &[Option<Prune>]) -> usize {
    let n = page.els.len();
    let mut plain = vec![0u32; n];
    for (b, p) in page.blocks.iter().zip(pruned) {
        if p.is_none() && b.link_chars * 2 <= b.chars {
            plain[b.owner as usize] += b.chars;
        }
    }
    for i in (1..n).rev() {
        let parent = page.els[i].parent as usize;
        plain[parent] += plain[i];
    }
    let wanted = COVER * plain[0] as f32;
    let mut cur = best;
    while cur != 0 && (plain[cur] as f32) < wanted {
        cur = page.els[cur].parent as usize;
    }
    cur
}

/// For each block, the prune kind of its nearest pruned ancestor, if any, after lifting the kinds
/// that would take most of the page.
fn pruned_ancestors(page: &Page, total_chars: u32) -> Vec<Option<Prune>> {
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
    let mut lifted = Vec::new();
    let first = compute(&lifted);
    for kind in [Prune::Comments, Prune::Furniture, Prune::Landmark] {
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
    if lifted.is_empty() {
        first
    } else {
        compute(&lifted)
    }
}

/// The container with the highest score after class hints and link density; the body (or root)
/// when nothing scores.
fn best_container(
    page: &Page,
    score: &[f32],
    chars: &[u32],
    links: &[u32],
    pruned: &[Option<Prune>],
) -> usize {
    let _ = pruned;
    let mut best = 0;
    let mut best_score = 0.0f32;
    for (i, e) in page.els.iter().enumerate().skip(1) {
        if score[i] <= 0.0 || e.prune.is_some() {
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

/// Readability's sibling rule: siblings that score well, or hold a real paragraph, join.
fn add_siblings(
    page: &Page,
    best: usize,
    score: &[f32],
    chars: &[u32],
    links: &[u32],
    chosen: &mut [bool],
) {
    if best == 0 {
        return;
    }
    let parent = page.els[best].parent;
    let best_score = final_score(best, page, score, chars, links);
    let threshold = (best_score * 0.2).max(10.0);
    // Later and earlier siblings alike (a lead paragraph or a heading before the body counts).
    for (i, e) in page.els.iter().enumerate().skip(1) {
        if e.parent != parent || i == best || e.prune.is_some() {
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
