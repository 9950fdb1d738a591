//! Extract stage: the main text and metadata of an HTML page. Text documents pass through.
//!
//! Foundation version: the page's `<title>` and the visible text of `<body>` without scripts,
//! styles and obvious page furniture. The scoring extractor replaces it (issue 6).

use scraper::{ElementRef, Html, Node, Selector};
use serde::{Deserialize, Serialize};

use crate::document::{Document, Format, Reject};
use crate::stages::Stage;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExtractConfig {}

pub struct Extract {
    title: Selector,
    body: Selector,
}

impl Extract {
    pub fn new(_config: &ExtractConfig) -> Self {
        Extract {
            title: Selector::parse("title").expect("static selector"),
            body: Selector::parse("body").expect("static selector"),
        }
    }
}

impl Stage for Extract {
    fn name(&self) -> &'static str {
        "extract"
    }

    fn apply(&self, mut doc: Document) -> Result<Document, Reject> {
        if doc.format != Format::Html {
            return Ok(doc);
        }
        let page = Html::parse_document(&doc.text);
        doc.title = page
            .select(&self.title)
            .next()
            .map(|t| t.text().collect::<String>().trim().to_string())
            .filter(|t| !t.is_empty());
        let mut text = String::new();
        if let Some(body) = page.select(&self.body).next() {
            visible_text(body, &mut text);
        }
        doc.text = text.trim().to_string();
        Ok(doc)
    }
}

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "blockquote",
    "pre",
    "br",
    "dd",
    "dt",
];

fn visible_text(el: ElementRef, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                if let Some(child_el) = ElementRef::wrap(child) {
                    let block = BLOCKS.contains(&name);
                    if block {
                        out.push_str("\n\n");
                    }
                    visible_text(child_el, out);
                    if block {
                        out.push_str("\n\n");
                    }
                }
            }
            _ => {}
        }
    }
}
