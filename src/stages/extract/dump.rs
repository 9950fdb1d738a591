//! Dev only (`docnorm extract --dump-blocks`): every text block of a page in order, with what a
//! learned block classifier would see of it (`bench/extract_learn.py` labels and scores them).
//! Nothing here runs on the normal path.

use serde_json::{Value, json};

use super::content::Drop;
use super::dom::{self, Page, Tag};
use super::{Deadline, Decided, Extract, Overrun};

impl Extract {
    /// One JSON object per text block of `html`, in page order.
    pub fn dump_blocks(&self, html: &str) -> Result<Vec<Value>, String> {
        let deadline = Deadline::new(std::time::Duration::from_millis(self.config.time_budget_ms));
        let overrun = |Overrun(step)| format!("over the time budget while {step}");
        let page =
            dom::flatten(html, &self.hints, self.config.max_depth, &deadline).map_err(overrun)?;
        let Decided { fates, product, .. } = self.decide(&page, &deadline).map_err(overrun)?;
        let facts = PageFacts::of(&page, product, &fates);
        Ok((0..page.blocks.len())
            .map(|i| block_json(&page, &facts, &fates, i))
            .collect())
    }
}

/// Per-element facts the blocks' features are read from.
struct PageFacts {
    depth: Vec<u32>,
    /// Characters of text in each element's subtree, and of the kept text.
    chars: Vec<u32>,
    kept_chars: Vec<u32>,
    /// Elements sharing each element's look (tag and class).
    same_look: Vec<u32>,
    article: bool,
    discussion: bool,
    product: bool,
}

impl PageFacts {
    fn of(page: &Page, product: bool, fates: &[Option<Drop>]) -> PageFacts {
        let n = page.els.len();
        let mut depth = vec![0u32; n];
        for i in 1..n {
            depth[i] = depth[page.els[i].parent as usize] + 1;
        }
        let sums = |keep: &dyn Fn(usize) -> bool| {
            let mut s = vec![0u32; n];
            for (k, b) in page.blocks.iter().enumerate() {
                if keep(k) {
                    s[b.owner as usize] += b.chars;
                }
            }
            for i in (1..n).rev() {
                let p = page.els[i].parent as usize;
                s[p] += s[i];
            }
            s
        };
        let chars = sums(&|_| true);
        let kept_chars = sums(&|k| fates[k].is_none());
        let mut looks = std::collections::HashMap::new();
        for e in &page.els {
            *looks.entry(e.look).or_insert(0u32) += 1;
        }
        let same_look = page.els.iter().map(|e| looks[&e.look]).collect();
        PageFacts {
            depth,
            chars,
            kept_chars,
            same_look,
            article: super::states_an_article(page),
            discussion: super::states_a_discussion(page),
            product,
        }
    }
}

fn tag_name(tag: Tag) -> String {
    match tag {
        Tag::Heading(n) => format!("h{n}"),
        t => format!("{t:?}").to_lowercase(),
    }
}

fn fate_name(fate: &Option<Drop>) -> &'static str {
    match fate {
        None => "kept",
        Some(d) => d.rule().trim_start_matches("extract/"),
    }
}

fn block_json(page: &Page, facts: &PageFacts, fates: &[Option<Drop>], i: usize) -> Value {
    let b = &page.blocks[i];
    let text = page.block_text(b);
    let owner = b.owner as usize;
    let el = &page.els[owner];
    let parent = el.parent as usize;
    // The hints met from the owner up: the nearest prune kind, and the weights summed.
    let (mut prune, mut weight_sum, mut negatives, mut positives) = (None, 0i32, 0u32, 0u32);
    let mut cur = owner;
    loop {
        let e = &page.els[cur];
        if prune.is_none() {
            prune = e
                .prune
                .map(|p| p.rule().trim_start_matches("extract/dropped-"));
        }
        weight_sum += i32::from(e.weight);
        negatives += u32::from(e.weight < 0);
        positives += u32::from(e.weight > 0);
        if cur == 0 {
            break;
        }
        cur = e.parent as usize;
    }
    let total = facts.chars[0].max(1) as f32;
    json!({
        "i": i,
        "n": page.blocks.len(),
        "text": text,
        "chars": b.chars,
        "link_chars": b.link_chars,
        "words": text.split_whitespace().count(),
        "commas": text.matches([',', '，', '、', '،']).count(),
        "periods": text.matches(['.', '!', '?', '。']).count(),
        "digits": text.chars().filter(char::is_ascii_digit).count(),
        "upper": text.chars().filter(|c| c.is_uppercase()).count(),
        "tag": tag_name(el.tag),
        "parent_tag": tag_name(page.els[parent].tag),
        "depth": facts.depth[owner],
        "weight": el.weight,
        "weight_sum": weight_sum,
        "negatives": negatives,
        "positives": positives,
        "prune": prune,
        "fate": fate_name(&fates[i]),
        "same_look": facts.same_look[owner],
        "parent_same_look": facts.same_look[parent],
        "parent_share": facts.chars[parent] as f32 / total,
        "parent_kept_share": facts.kept_chars[parent] as f32 / total,
        "kept_share": facts.kept_chars[0] as f32 / total,
        "total_chars": facts.chars[0],
        "article": facts.article,
        "discussion": facts.discussion,
        "product": facts.product,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::extract::ExtractConfig;

    #[test]
    fn every_block_is_dumped_in_order_with_its_fate() {
        let html = r#"<html><body><nav><a href="/">Home</a></nav><article>
            <h2>A heading</h2><p>The first paragraph of the text, long enough, with a comma.</p>
            <p>The second paragraph, which also says something of its own.</p></article>
            <footer>All rights reserved</footer></body></html>"#;
        let blocks = Extract::new(&ExtractConfig::default())
            .dump_blocks(html)
            .unwrap();
        let texts: Vec<&str> = blocks.iter().map(|b| b["text"].as_str().unwrap()).collect();
        assert_eq!(texts[0], "Home");
        assert_eq!(texts[1], "A heading");
        assert_eq!(*texts.last().unwrap(), "All rights reserved");
        let fate = |i: usize| blocks[i]["fate"].as_str().unwrap();
        assert_eq!(fate(0), "dropped-landmark");
        assert_eq!(fate(2), "kept");
        assert_eq!(fate(texts.len() - 1), "dropped-footer");
        assert_eq!(blocks[2]["tag"], "p");
        assert_eq!(blocks[1]["tag"], "h2");
        assert_eq!(blocks[0]["link_chars"], 4);
        assert_eq!(blocks[2]["commas"], 2);
        assert!(blocks.iter().all(|b| b["n"] == texts.len()));
    }
}
