//! Extract stage: the main text and metadata of an HTML page. Text documents pass through.
//!
//! The page is parsed once with html5ever (fed in chunks so the time budget is checked while
//! parsing), flattened into block elements and text blocks in one iterative pass ([`dom`]), the
//! main content is chosen by scoring containers ([`content`]), and metadata is read from what the
//! page states ([`metadata`]). Dropped text is audited as one change per kind of furniture.

mod content;
mod dom;
mod hints;
mod metadata;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use html5ever::tendril::TendrilSink;
use scraper::{Html, HtmlTreeSink, StrTendril};
use serde::{Deserialize, Serialize};

use crate::document::{Change, Document, Format, Reject, RejectReason};
use crate::stages::Stage;

use content::Drop;
use dom::Tag;
use hints::Hints;

const STAGE: &str = "extract";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ExtractConfig {
    /// Pages with more HTML than this many bytes (after decoding) are rejected as `too large`.
    pub max_html_bytes: usize,
    /// Block elements nested deeper than this are read as inline text (their text is kept).
    pub max_depth: usize,
    /// Time budget per page in milliseconds; a page over it is rejected as `extraction timeout`.
    pub time_budget_ms: u64,
    /// Most characters of dropped text quoted in each `extract/dropped-*` change.
    pub max_audit_chars: usize,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        ExtractConfig {
            max_html_bytes: 16 * 1024 * 1024,
            max_depth: 256,
            time_budget_ms: 2000,
            max_audit_chars: 2000,
        }
    }
}

pub struct Extract {
    config: ExtractConfig,
    hints: Hints,
}

impl Extract {
    pub fn new(config: &ExtractConfig) -> Self {
        Extract {
            config: config.clone(),
            hints: Hints::new(),
        }
    }
}

/// The time budget of one page, checked cooperatively between steps.
pub struct Deadline {
    started: Instant,
    budget: Duration,
}

/// The budget ran out during the named step.
#[derive(Debug)]
pub struct Overrun(&'static str);

impl Deadline {
    fn new(budget: Duration) -> Deadline {
        Deadline {
            started: Instant::now(),
            budget,
        }
    }

    pub fn check(&self, step: &'static str) -> Result<(), Overrun> {
        if self.started.elapsed() > self.budget {
            Err(Overrun(step))
        } else {
            Ok(())
        }
    }
}

/// Bytes of HTML handed to the parser between two looks at the clock.
const PARSE_CHUNK: usize = 256 * 1024;

impl Stage for Extract {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn apply(&self, doc: Document) -> Result<Document, Reject> {
        if doc.format != Format::Html {
            return Ok(doc);
        }
        if doc.text.len() > self.config.max_html_bytes {
            let detail = format!(
                "{} bytes of HTML, over extract.max_html_bytes = {}",
                doc.text.len(),
                self.config.max_html_bytes
            );
            return Err(Reject::new(doc.source, RejectReason::TooLarge, detail));
        }
        let deadline = Deadline::new(Duration::from_millis(self.config.time_budget_ms));
        self.extract(doc, &deadline)
            .map_err(|(source, Overrun(step))| {
                let detail = format!(
                    "over the {} ms budget (extract.time_budget_ms) while {step}",
                    self.config.time_budget_ms
                );
                Reject::new(source, RejectReason::ExtractionTimeout, detail)
            })
    }
}

impl Extract {
    fn extract(
        &self,
        mut doc: Document,
        deadline: &Deadline,
    ) -> Result<Document, (String, Overrun)> {
        let fail = |o: Overrun| (doc.source.clone(), o);
        let html = parse(&doc.text, deadline).map_err(fail)?;
        let page =
            dom::flatten(&html, &self.hints, self.config.max_depth, deadline).map_err(fail)?;
        drop(html);
        deadline.check("choosing the main content").map_err(fail)?;
        let fates = content::select(&page);
        deadline.check("choosing the main content").map_err(fail)?;
        let kept: Vec<bool> = fates.iter().map(Option::is_none).collect();
        let meta = metadata::read(&page, &kept);

        let text = render(&page, &fates);
        let mut changes = self.audit(&page, &fates);
        if page.depth_capped {
            changes.push(Change::new(
                STAGE,
                "extract/depth-cap",
                format!(
                    "block elements nested deeper than {}",
                    self.config.max_depth
                ),
                "read as inline text",
                0,
            ));
        }
        doc.text = text;
        doc.changes.extend(changes);
        doc.title = meta.title.or(doc.title);
        doc.author = meta.author.or(doc.author);
        doc.published = meta.published.or(doc.published);
        doc.site_name = meta.site_name.or(doc.site_name);
        doc.description = meta.description.or(doc.description);
        // A fetched page's final URL is where it was published; the canonical link only fills in.
        if doc.url.is_none() {
            doc.url = meta.url;
        }
        Ok(doc)
    }

    /// One change per kind of dropped text: how many blocks, and the start of what they said.
    fn audit(&self, page: &dom::Page, fates: &[Option<Drop>]) -> Vec<Change> {
        let mut by_kind: BTreeMap<Drop, (u32, String)> = BTreeMap::new();
        for (b, fate) in page.blocks.iter().zip(fates) {
            let Some(kind) = fate else { continue };
            let (count, quoted) = by_kind.entry(*kind).or_default();
            *count += 1;
            if quoted.len() < self.config.max_audit_chars {
                if !quoted.is_empty() {
                    quoted.push_str("\n\n");
                }
                let room =
                    self.config.max_audit_chars - quoted.len().min(self.config.max_audit_chars);
                quoted.push_str(truncate(page.block_text(b), room));
            }
        }
        by_kind
            .into_iter()
            .map(|(kind, (count, quoted))| {
                let mut change = Change::new(STAGE, kind.rule(), quoted, "", 0);
                change.count = count;
                change
            })
            .collect()
    }
}

/// Parses in chunks, looking at the clock between them.
fn parse(text: &str, deadline: &Deadline) -> Result<Html, Overrun> {
    let mut parser = html5ever::driver::parse_document(
        HtmlTreeSink::new(Html::new_document()),
        Default::default(),
    );
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = rest.len().min(PARSE_CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
        deadline.check("parsing")?;
    }
    Ok(parser.finish())
}

/// The kept blocks, one paragraph each, separated by one blank line.
fn render(page: &dom::Page, fates: &[Option<Drop>]) -> String {
    let mut out = String::with_capacity(page.text.len() / 2);
    for (b, fate) in page.blocks.iter().zip(fates) {
        if fate.is_some() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let _ = page.els[b.owner as usize].tag == Tag::Pre;
        out.push_str(page.block_text(b));
    }
    out
}

fn truncate(s: &str, max_bytes: usize) -> &str {
    if s.len() <= max_bytes {
        return s;
    }
    let mut cut = max_bytes;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    &s[..cut]
}
