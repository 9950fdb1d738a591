//! Title, author, publication date, canonical URL, site name and description, from what the page
//! states: `<meta>` tags, JSON-LD, `<title>`, the main `<h1>`, bylines and `<time>` elements.
//! Nothing is guessed beyond that: what the page does not state stays `None`.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::dom::{Found, Page, Tag};
use super::hints::Prune;

#[derive(Debug, Default, PartialEq)]
pub struct Metadata {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub site_name: Option<String>,
    pub description: Option<String>,
}

/// What JSON-LD says about the page's main creative work.
#[derive(Debug, Default)]
pub struct LinkedData {
    headline: Option<String>,
    author: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    publisher: Option<String>,
    /// Whether a node is a product (`Product`, `ProductGroup`, …).
    product: bool,
    /// The longest `description` a product node states (a shop's copy, often shown only by a
    /// script or in a tab the page fills in).
    pub product_description: Option<String>,
    /// Whether a node is an article, post or other work of the page's own (see `is_article`).
    article: bool,
}

/// `<meta>` names that state the author, most specific first.
const AUTHOR_METAS: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "cxenseparse:author",
    "dc.creator",
    "dcterms.creator",
    "byl",
];

/// `<meta>` names that state when the page was first published.
const PUBLISHED_METAS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "publish-date",
    "publish_date",
    "published",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:publishtime",
    "dc.date.issued",
    "dc.date.created",
    "dc.date",
    "dcterms.created",
    "dcterms.date",
    "citation_publication_date",
    "citation_date",
    "date",
];

/// `<meta>` names of the last change: a date only when the page states no other.
const MODIFIED_METAS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
];

/// A product page: og:type product, or a JSON-LD Product and no article (a review of a product
/// is an article).
pub fn is_product_page(page: &Page, ld: &LinkedData) -> bool {
    !ld.article && (ld.product || og_type_says(page, "product"))
}

/// A page without an author or publication date of its own: a product page, or one with a
/// schema.org Product in microdata that does not call itself an article (a review marks up the
/// product it is about). Microdata alone does not bring in the shop rules of the main text: on
/// such pages they cut what annotators keep.
fn has_no_byline_or_date(page: &Page, ld: &LinkedData) -> bool {
    is_product_page(page, ld)
        || (!ld.article && page.meta.microdata_product && !og_type_says(page, "article"))
}

/// A page of one product to buy: a product page whose og:type is not `product.group` (a
/// collection, whose tiles' prices are its content).
pub fn sells_one_product(page: &Page, ld: &LinkedData) -> bool {
    is_product_page(page, ld) && !og_type_says(page, "group")
}

/// Whether an og:type of the page contains `word` (lower case).
fn og_type_says(page: &Page, word: &str) -> bool {
    page.meta
        .metas
        .iter()
        .any(|(k, v)| k == "og:type" && v.to_lowercase().contains(word))
}

/// `kept[i]`: whether block i is in the main text (bylines and dates there are trusted more);
/// `ld`: the page's JSON-LD as [`linked_data`] reads it.
/// `title_separator`: what joins a headline to the site's name ([`Hints::title_separator`]).
///
/// [`Hints::title_separator`]: super::hints::Hints::title_separator
pub fn read(page: &Page, kept: &[bool], ld: &LinkedData, title_separator: &Regex) -> Metadata {
    // A product page has no author or publication date of its own: the dates a shop states are
    // catalogue stamps.
    let product_page = has_no_byline_or_date(page, ld);
    // Only bylines and dates look in the furniture, and a product page reads neither.
    let furniture = std::cell::LazyCell::new(|| Furniture::of(page, kept));
    let meta = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            page.meta
                .metas
                .iter()
                .find(|(name, v)| name == k && !v.is_empty())
                .map(|(_, v)| v.clone())
        })
    };
    let site_name = meta(&["og:site_name", "application-name", "twitter:site"])
        .filter(|s| !s.starts_with('@'))
        .or(ld.publisher.clone());
    let url = page
        .meta
        .canonical
        .clone()
        .or_else(|| meta(&["og:url"]))
        .filter(|u| u.starts_with("http"));
    let site = SiteNames::new(site_name.as_deref(), url.as_deref(), title_separator);
    let title = title(page, kept, ld, meta(&["og:title", "twitter:title"]), &site);
    let shown_author =
        || byline(page, &furniture).or_else(|| by_line_block(page, kept, &furniture));
    // On a product page the names are reviewers' and sellers', and the maker is a brand.
    let author = if product_page {
        None
    } else {
        // An organisation is an author too ("Help Net Security", "The Motley Fool Staff"): what
        // the page names as its author is taken even when it is the site's name.
        let stated_author = ld
            .author
            .as_deref()
            .and_then(clean_author)
            .or_else(|| meta(AUTHOR_METAS).as_deref().and_then(clean_author))
            .or_else(|| citation_author(page))
            .or_else(|| labelled_twitter_author(page));
        // A site that names itself as the author in its metadata but shows a person's byline
        // on the page: the byline is the author.
        match stated_author {
            Some(a) if site.named_by(&a) => {
                Some(shown_author().filter(|b| !site.named_by(b)).unwrap_or(a))
            }
            Some(a) => Some(a),
            None => shown_author(),
        }
    };
    let stated_date = ld
        .published
        .as_deref()
        .and_then(parse_date)
        .or_else(|| meta(PUBLISHED_METAS).as_deref().and_then(parse_date));
    let shown = || shown_date(page, kept, &furniture, false);
    let shown_update = || shown_date(page, kept, &furniture, true);
    let published = if product_page {
        None
    } else {
        match stated_date {
            Some(stated) => Some(match shown() {
                Some(d) => shown_over_stated(stated, d),
                None => shown_update().unwrap_or(stated),
            }),
            None => shown()
                .or_else(|| url.as_deref().and_then(date_in_url))
                .or_else(shown_update)
                .or_else(|| {
                    ld.modified
                        .as_deref()
                        .and_then(parse_date)
                        .or_else(|| meta(MODIFIED_METAS).as_deref().and_then(parse_date))
                }),
        }
    };
    Metadata {
        title,
        author,
        published,
        url,
        site_name,
        description: meta(&["og:description", "description", "twitter:description"]),
    }
}

/// The stated publication date (JSON-LD, `<meta>`) against the one the page shows. A stated
/// date later than the shown one by more than a day is the CMS's stamp of a later re-publish
/// (site builders restamp `datePublished` on every publish): the date the reader sees wins.
/// Within a day the two are one moment in two time zones, and the stated one stays.
fn shown_over_stated(stated: String, shown: String) -> String {
    match (day_number(&stated), day_number(&shown)) {
        (Some(s), Some(d)) if s > d + 1 => shown,
        _ => stated,
    }
}

/// Days since 1 March of year 0 of an ISO `YYYY-MM-DD` date, for comparing dates.
fn day_number(iso: &str) -> Option<i64> {
    let mut it = iso.get(..10)?.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d)
}

/// Page furniture as the content stage judged it: comments, related links, sidebars, footers.
/// Names and dates found there belong to other posts, not to the page. A kind of furniture the
/// main text is made of (a forum thread is its comments) is not furniture here either, nor are
/// reviews and buying controls: they are furniture only on a page selling one product, and a
/// product page has no author or date to find. Nor are author boxes and a post's own footer
/// ([`Prune::BESIDE_TEXT`]): their bylines and dates are the page's.
struct Furniture {
    lifted: Vec<Prune>,
}

impl Furniture {
    fn of(page: &Page, kept: &[bool]) -> Furniture {
        let mut lifted = Vec::from(Prune::PRODUCT_ONLY);
        lifted.extend(Prune::BESIDE_TEXT);
        for (b, _) in page.blocks.iter().zip(kept).filter(|(_, k)| **k) {
            for_ancestors(page, b.owner, |p| {
                if !lifted.contains(&p) {
                    lifted.push(p);
                }
                false
            });
        }
        Furniture { lifted }
    }

    /// Whether arena element `el` sits in furniture.
    fn contains(&self, page: &Page, el: u32) -> bool {
        for_ancestors(page, el, |p| !self.lifted.contains(&p))
    }
}

/// Calls `f` with the prune kind of `el` and of each pruned ancestor, innermost first, until it
/// returns true; returns whether it did.
fn for_ancestors(page: &Page, el: u32, mut f: impl FnMut(Prune) -> bool) -> bool {
    let mut i = el as usize;
    for _ in 0..page.els.len().min(512) {
        let Some(e) = page.els.get(i) else {
            return false;
        };
        if let Some(p) = e.prune
            && f(p)
        {
            return true;
        }
        if e.parent as usize == i {
            return false;
        }
        i = e.parent as usize;
    }
    false
}

/// `citation_author` (scholarly pages): "Roy, Aniruddha" → "Aniruddha Roy".
fn citation_author(page: &Page) -> Option<String> {
    let (_, v) = page
        .meta
        .metas
        .iter()
        .find(|(k, v)| (k == "citation_author" || k == "dc.contributor") && !v.is_empty())?;
    let name = match v.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() && !last.contains(' ') => {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => v.clone(),
    };
    clean_author(&name)
}

/// Twitter's reading-time cards: `twitter:label1 = "Written by"`, `twitter:data1 = name`.
fn labelled_twitter_author(page: &Page) -> Option<String> {
    let metas = &page.meta.metas;
    (1..=4).find_map(|i| {
        let label = format!("twitter:label{i}");
        let data = format!("twitter:data{i}");
        metas
            .iter()
            .any(|(k, v)| *k == label && v.to_lowercase().contains("written by"))
            .then(|| {
                metas
                    .iter()
                    .find(|(k, _)| *k == data)
                    .map(|(_, v)| v.clone())
            })
            .flatten()
            .and_then(|v| clean_author(&v))
    })
}

/// The headline. Candidates are the page's own `<h1>` (the one in the main text, else the last
/// above it, else one the page's title confirms) and its stated title (og:title, else
/// `<title>`, else the JSON-LD headline) without the site's name. The `<h1>` wins when it shares
/// words with the stated title (it is the same headline, as the page shows it); an `<h1>` that
/// has nothing in common with it is a slogan or a section name, and the stated title wins.
fn title(
    page: &Page,
    kept: &[bool],
    ld: &LinkedData,
    og: Option<String>,
    site: &SiteNames,
) -> Option<String> {
    let h1s: Vec<(usize, String)> = page
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| page.els[b.owner as usize].tag == Tag::Heading(1))
        .filter(|(_, b)| !b.link_dense() && b.chars >= 3 && b.chars <= 300)
        .map(|(i, b)| (i, tidy(page.block_text(b))))
        .filter(|(_, h)| !h.is_empty())
        .collect();
    let is_kept = |i: usize| kept.get(i).copied().unwrap_or(false);
    let first_kept = (0..kept.len()).find(|&i| is_kept(i)).unwrap_or(usize::MAX);
    let stated: Vec<String> = [og, page.meta.title.clone(), ld.headline.clone()]
        .into_iter()
        .flatten()
        .map(|t| tidy(&t))
        .filter(|t| !t.is_empty())
        .collect();
    let confirmed = |h: &str| {
        let h = simple(h);
        !h.is_empty() && stated.iter().any(|t| simple(t).contains(&h))
    };
    let h1 = h1s
        .iter()
        .find(|(i, _)| is_kept(*i))
        .or_else(|| h1s.iter().rev().find(|(i, _)| *i < first_kept))
        .or_else(|| h1s.iter().find(|(_, h)| confirmed(h)))
        .filter(|(_, h)| !site.named_by(h))
        .map(|(_, h)| before_pipe(&without_site_parts(h, site)).to_string());
    let headlines: Vec<String> = stated.iter().map(|t| headline_of(t, site)).collect();
    let headline = headlines.iter().find(|t| !t.is_empty()).cloned();
    // An <h1> that is what one of the stated titles says (og:title and <title> disagree) has a
    // second source: it is the headline even when it has nothing in common with the first.
    let stated_as = |h: &str| {
        let h = simple(h);
        !h.is_empty() && headlines.iter().any(|t| simple(t) == h)
    };
    match (h1, headline) {
        (Some(h), Some(t)) if shared_words(&h, &t) < H1_MIN_SHARED && !stated_as(&h) => Some(t),
        (Some(h), _) => Some(h),
        (None, t) => t.or_else(|| h1s.first().map(|(_, h)| h.clone())),
    }
}

/// A headline as text: character references the page escaped twice ("SQL &amp;#x26; AI") or
/// left in JSON-LD decoded, soft hyphens and zero-width characters gone, a Sphinx-style
/// permalink mark ("Quickstart¶") cut, whitespace collapsed.
fn tidy(s: &str) -> String {
    let decoded = if s.contains('&') && s.contains(';') {
        htmlize::unescape(s).into_owned()
    } else {
        s.to_string()
    };
    let s: String = decoded
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}'
            )
        })
        .collect();
    collapse(s.trim_end_matches(|c: char| c == '¶' || c.is_whitespace()))
}

/// An `<h1>` up to its first `|`: in a headline as in a title bar, a pipe sets off a tagline,
/// a section or the site ("Best Movers in NYC 2025 | Top 19 Companies").
fn before_pipe(h: &str) -> &str {
    h.split('|')
        .map(str::trim)
        .find(|p| !p.is_empty())
        .unwrap_or(h)
}

/// Share of words (Jaccard) an `<h1>` must share with the stated title to be taken for it.
pub(super) const H1_MIN_SHARED: f64 = 0.2;

/// The lower-cased words of `s` (runs of letters and digits) of at least `min_chars` characters.
pub(super) fn words_of(s: &str, min_chars: usize) -> std::collections::HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= min_chars.max(1))
        .map(str::to_lowercase)
        .collect()
}

/// Jaccard overlap of the two texts' word sets (lower-cased runs of letters and digits).
pub(super) fn shared_words(a: &str, b: &str) -> f64 {
    let (a, b) = (words_of(a, 1), words_of(b, 1));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// `s` with each run of white space made one space, and none at its ends.
pub(super) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower-case letters and digits only, for comparing titles.
fn simple(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The names a page's site goes by, for telling which parts of a title or author name it: the
/// site's name and its domain's labels, lower-cased letters and digits only. Built once a page.
pub struct SiteNames<'a> {
    /// The site's name (og:site_name and the like), when it has letters or digits.
    site: Option<String>,
    /// The domain's labels but the last, of more than 2 characters, then the whole host name
    /// (without "www.").
    domain: Vec<String>,
    /// What joins a headline to the site's name or a section (`[metadata]` of the hints).
    /// Borrowed: a cloned `Regex` starts a cache pool of its own, for every page.
    separator: &'a Regex,
}

impl<'a> SiteNames<'a> {
    pub fn new(site: Option<&str>, url: Option<&str>, separator: &'a Regex) -> SiteNames<'a> {
        let host = url
            .and_then(|u| u.split("://").nth(1))
            .and_then(|rest| rest.split(['/', '?', '#', ':']).next())
            .unwrap_or("")
            .to_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        let labels: Vec<&str> = host.split('.').collect();
        let whole = simple(host);
        let domain = labels[..labels.len().saturating_sub(1)]
            .iter()
            .map(|l| simple(l))
            .filter(|l| l.len() > 2)
            .chain((!whole.is_empty()).then_some(whole))
            .collect();
        SiteNames {
            site: site.map(simple).filter(|s| !s.is_empty()),
            domain,
            separator,
        }
    }

    /// Whether `part` of a title names the site: it is (in) the site's name, or the domain's.
    fn named_by(&self, part: &str) -> bool {
        let p = simple(part);
        if p.is_empty() {
            return true;
        }
        if let Some(s) = &self.site
            && (p.contains(s.as_str()) || s.contains(&p))
        {
            return true;
        }
        self.domain.iter().any(|d| {
            p == *d
                || (p.len() >= 4 && d.contains(&p))
                || (d.len() >= 4 && p.starts_with(d.as_str()) && p.len() <= d.len() + 6)
        })
    }
}

/// An `<h1>` without parts naming the site at either end ("Movers in Austin | Bellhop"); the
/// rest stays whole, separators and all.
fn without_site_parts(h: &str, site: &SiteNames) -> String {
    let seps: Vec<(usize, usize)> = site
        .separator
        .find_iter(h)
        .map(|m| (m.start(), m.end()))
        .collect();
    let (mut start, mut end) = (0, h.len());
    for &(a, b) in seps.iter().rev() {
        if a > start && b < end && site.named_by(&h[b..end]) {
            end = a;
        } else {
            break;
        }
    }
    for &(a, b) in &seps {
        if a > start && b < end && site.named_by(&h[start..a]) {
            start = b;
        } else {
            break;
        }
    }
    h[start..end].trim().to_string()
}

/// "Headline | Site" → "Headline": the title is cut at its separators, parts naming the site are
/// dropped from both ends, and the first part left is the headline ("Topic - Section | Site" →
/// "Topic"). A site's name leading the title stays when a dash or a colon joins it to the rest:
/// that is a brand and its tagline ("Figma: The Collaborative Interface Design Tool").
pub fn headline_of(title: &str, site: &SiteNames) -> String {
    let title = collapse(title);
    // Each part as its byte range and the separator before it ("" for the first).
    let mut parts: Vec<(usize, usize, &str)> = Vec::new();
    let (mut from, mut sep) = (0, "");
    for m in site.separator.find_iter(&title) {
        parts.push((from, m.start(), sep));
        (from, sep) = (m.end(), m.as_str().trim());
    }
    parts.push((from, title.len(), sep));
    parts.retain(|&(a, b, _)| !title[a..b].trim().is_empty());
    let text = |p: &(usize, usize, &str)| title[p.0..p.1].trim();
    while parts.len() > 1 && site.named_by(text(&parts[parts.len() - 1])) {
        parts.pop();
    }
    while parts.len() > 1 && site.named_by(text(&parts[0])) {
        if !sets_off_site(parts[1].2) {
            return title[parts[0].0..parts[1].1].trim().to_string();
        }
        parts.remove(0);
    }
    parts
        .first()
        .map(|p| text(p).to_string())
        .unwrap_or_default()
}

/// Whether a separator sets a leading site name off the headline ("Acme | Widget Guide"): a
/// pipe, a bullet, `»`, `::` or `/`. Dashes and colons join a brand to its tagline instead.
fn sets_off_site(sep: &str) -> bool {
    matches!(sep, "|" | "·" | "•" | "»" | "::" | "/")
}

/// Most JSON-LD nodes visited per page.
const MAX_LD_NODES: usize = 5000;

pub fn linked_data(scripts: &[String]) -> LinkedData {
    let values: Vec<Value> = scripts
        .iter()
        .filter_map(|s| {
            serde_json::from_str::<Value>(s.trim()).ok().or_else(|| {
                // Raw line breaks and tabs inside strings are common and invalid JSON: as
                // spaces they are harmless everywhere.
                let s: String = s
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                serde_json::from_str::<Value>(s.trim()).ok()
            })
        })
        .collect();
    // Yoast and kin state `"author": {"@id": "…#/schema/person/…"}` and the person's name in
    // another node of the graph: every node's name by its @id.
    let mut names: HashMap<&str, &str> = HashMap::new();
    let mut stack: Vec<&Value> = values.iter().collect();
    let mut seen = 0;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > MAX_LD_NODES {
            break;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter()),
            Value::Object(map) => {
                if let (Some(Value::String(id)), Some(Value::String(name))) =
                    (map.get("@id"), map.get("name"))
                {
                    names.entry(id.as_str()).or_insert(name.as_str());
                }
                stack.extend(map.values().filter(|v| v.is_object() || v.is_array()));
            }
            _ => {}
        }
    }
    let mut out = LinkedData::default();
    // A WebPage's values fill what no article stated, and values from objects of other types
    // only what no creative work stated.
    let mut page_level = LinkedData::default();
    let mut any = LinkedData::default();
    let mut stack: Vec<&Value> = values.iter().rev().collect();
    let mut seen = 0;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > MAX_LD_NODES {
            break;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    stack.push(graph);
                }
                // An FAQ's questions are a section of the page, answered by the site, not a
                // post of its own (a Q&A thread states `QAPage`): shops and service pages state
                // them beside their `Product`.
                if let Some(main) = map.get("mainEntity")
                    && !type_matches(map.get("@type"), |t| t == "FAQPage")
                {
                    stack.push(main);
                }
                if type_matches(map.get("@type"), |t| t.contains("Product")) {
                    out.product = true;
                    longest(&mut out.product_description, map.get("description"));
                }
                if is_article(map.get("@type")) {
                    out.article = true;
                    fill(&mut out, map, &names);
                } else if is_creative_work(map.get("@type")) {
                    fill(&mut page_level, map, &names);
                } else if !is_other_voice(map.get("@type"))
                    && (map.contains_key("author") || map.contains_key("datePublished"))
                {
                    fill(&mut any, map, &names);
                }
            }
            _ => {}
        }
    }
    let p = page_level;
    LinkedData {
        headline: out.headline.or(p.headline).or(any.headline),
        author: out.author.or(p.author).or(any.author),
        published: out.published.or(p.published).or(any.published),
        modified: out.modified.or(p.modified).or(any.modified),
        publisher: out.publisher.or(p.publisher).or(any.publisher),
        product: out.product,
        product_description: out.product_description,
        article: out.article,
    }
}

/// Keeps in `slot` the longer of it and `v`, when `v` is a string.
fn longest(slot: &mut Option<String>, v: Option<&Value>) {
    if let Some(v) = v.and_then(Value::as_str)
        && slot.as_ref().is_none_or(|s| s.len() < v.len())
    {
        *slot = Some(v.to_string());
    }
}

/// Types whose author is someone other than the page's: reviews and comments of a product or post.
fn is_other_voice(kind: Option<&Value>) -> bool {
    type_matches(kind, |t| {
        matches!(
            t,
            "Review" | "Comment" | "Answer" | "UserReview" | "CriticReview" | "Rating"
        )
    })
}

/// Types that are the page's own post: an article, a forum thread, a question, a recipe.
fn is_article(kind: Option<&Value>) -> bool {
    let matches = |t: &str| {
        t.ends_with("Article")
            || t.ends_with("Posting")
            || matches!(
                t,
                "Report" | "Recipe" | "QAPage" | "Question" | "HowTo" | "VideoObject"
            )
    };
    type_matches(kind, matches)
}

/// Types that describe the page as a whole.
fn is_creative_work(kind: Option<&Value>) -> bool {
    type_matches(kind, |t| matches!(t, "WebPage" | "CreativeWork"))
}

fn type_matches(kind: Option<&Value>, matches: impl Fn(&str) -> bool) -> bool {
    match kind {
        Some(Value::String(t)) => matches(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(matches),
        _ => false,
    }
}

/// Takes each value from the first object that states it.
fn fill(out: &mut LinkedData, map: &serde_json::Map<String, Value>, names: &HashMap<&str, &str>) {
    let set = |slot: &mut Option<String>, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty())
            && slot.is_none()
        {
            // JSON-LD is text, but CMSs often write it HTML-escaped ("Maria &amp; Katerina").
            *slot = Some(if v.contains('&') && v.contains(';') {
                htmlize::unescape(v.trim()).trim().to_string()
            } else {
                v.trim().to_string()
            });
        }
    };
    set(
        &mut out.headline,
        map.get("headline")
            .and_then(Value::as_str)
            .map(String::from),
    );
    set(
        &mut out.author,
        map.get("author")
            .or_else(|| map.get("creator"))
            .and_then(|v| person_name(v, names)),
    );
    let date = |key: &str| map.get(key).and_then(Value::as_str).map(String::from);
    set(
        &mut out.published,
        date("datePublished").or_else(|| date("dateCreated")),
    );
    set(&mut out.modified, date("dateModified"));
    set(
        &mut out.publisher,
        map.get("publisher").and_then(|v| person_name(v, names)),
    );
}

/// A person or organisation's name: a string, `{name}`, `{@id}` of a node named elsewhere, or a
/// list of those joined by " and ".
fn person_name(v: &Value, names: &HashMap<&str, &str>) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m
            .get("name")
            .and_then(|n| person_name(n, names))
            .filter(|n| !n.trim().is_empty())
            .or_else(|| {
                let id = m.get("@id")?.as_str()?;
                names.get(id).map(|n| n.to_string())
            }),
        Value::Array(items) => {
            let found: Vec<String> = items
                .iter()
                .filter_map(|i| person_name(i, names))
                .filter(|n| clean_author(n).is_some())
                .take(4)
                .collect();
            (!found.is_empty()).then(|| found.join(" and "))
        }
        _ => None,
    }
}

static BYLINE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:written|posted|published|reviewed|edited|authored|story|text|words|photos?)\s+)?(?:by|von|par|por|door)\s*:?\s+|^\s*(?:author|authors|autor|auteur)\s*:\s*")
        .expect("static pattern")
});
static NOT_A_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)sign\s*in|log\s*in|login|sign\s*up|register|subscribe|follow|©|copyright|all rights|https?://|www\.|@|\b\d{3,}\b|\badmin\b|\bwebmaster\b|\bview all\b|\bposts?\b|\bmore\b|\barticles?\b|\bcontact\b|\bmenu\b|\bhome\b|\bposted in\b|\b(?:is|are|was|were)\b|^[a-z_]{2,}(?:\.[a-z_]{2,}){2,}$|^(?:by|written by|name|undefined|null|none|unknown|full bio|bio|author|authors|profile)$")
        .expect("static pattern")
});

/// An amount of money: a currency sign beside a digit.
static PRICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[$€£¥₹]\s?\d|\d\s?[€£]").expect("static pattern"));

/// A byline that is a date or a day ("August 28", "Sat", "Jun 2 Written By").
static DATE_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\.?$")
        .expect("static pattern")
});

/// A name as people write it, without "By", dates or trailing job titles; None if it is not one.
pub fn clean_author(raw: &str) -> Option<String> {
    // A price ("billed annually, or $15/mo") is a plan's small print, whatever its class says.
    if PRICE.is_match(raw) {
        return None;
    }
    let s = collapse(raw);
    let s = BYLINE_PREFIX.replace(&s, "");
    // "Jane Doe | May 3, 2024", "Jane Doe, Staff Writer", "Jane Doe on May 3"
    let s = s
        .split(['|', '•', '·', '»', '\n'])
        .next()
        .unwrap_or("")
        .split(" on ")
        .next()
        .unwrap_or("")
        .split(" - ")
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    let s = s.strip_prefix("By ").unwrap_or(s);
    // "Laubrani (Laubrani)", "Jane Doe (Editor)": a parenthetical after the name.
    let s = match s.find(" (") {
        Some(i) if i > 0 => s[..i].trim(),
        _ => s,
    };
    let s = without_job_title(s);
    let words = s.split_whitespace().count();
    // A list of names ("Ann Lee, Bob Stone, Cy Young") may run longer than one name.
    let list = s.contains(", ") && without_job_title(s) == s;
    let (max_words, max_len) = if list { (40, 300) } else { (8, 80) };
    if s.is_empty()
        || !(1..=max_words).contains(&words)
        || s.len() > max_len
        || NOT_A_NAME.is_match(s)
    {
        return None;
    }
    if !s.chars().next().is_some_and(char::is_alphabetic)
        || s.contains(':')
        || DATE_LIKE.is_match(s)
    {
        return None;
    }
    Some(s.to_string())
}

/// Most distinct names among a page's bylines for them to be its author's: more are a list of
/// posts, reviews or testimonials, each by someone else.
const MAX_BYLINE_NAMES: usize = 2;

/// "Jane Doe, Staff Writer" → "Jane Doe", but "Jane Doe, John Roe" stays: the parts after a comma
/// are kept only when each reads as a name (two to four words, each capitalised).
fn without_job_title(s: &str) -> &str {
    let Some((first, rest)) = s.split_once(", ") else {
        return s;
    };
    let is_name = |p: &str| {
        let p = p.trim().strip_prefix("and ").unwrap_or(p.trim());
        let words: Vec<&str> = p.split_whitespace().collect();
        (2..=4).contains(&words.len())
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            && !words
                .iter()
                .any(|w| JOB_WORDS.contains(&w.to_lowercase().trim_matches('.')))
    };
    if rest.split(", ").all(is_name) {
        s
    } else {
        first.trim()
    }
}

/// Words of job titles and credentials that follow a name after a comma.
const JOB_WORDS: &[&str] = &[
    "writer",
    "editor",
    "reporter",
    "director",
    "manager",
    "staff",
    "contributor",
    "founder",
    "ceo",
    "cto",
    "president",
    "officer",
    "head",
    "lead",
    "senior",
    "sr",
    "chief",
    "team",
    "correspondent",
    "columnist",
    "author",
    "expert",
    "specialist",
    "analyst",
    "consultant",
    "md",
    "phd",
    "rn",
    "ms",
    "mph",
    "rd",
    "cpa",
    "jd",
    "dietitian",
    "engineer",
    "professor",
];

/// The first author-like element whose text reads as a name, outside comments and other
/// furniture; none when the bylines name many people.
fn byline(page: &Page, furniture: &Furniture) -> Option<String> {
    let found: Vec<(&Found, String)> = page
        .meta
        .bylines
        .iter()
        .filter(|f| !furniture.contains(page, f.el))
        .filter_map(|f| clean_author(&f.text).map(|n| (f, n)))
        .collect();
    let mut distinct: Vec<String> = found.iter().map(|(_, n)| simple(n)).collect();
    distinct.sort();
    distinct.dedup();
    let (first, name) = found.into_iter().next()?;
    if distinct.len() > MAX_BYLINE_NAMES && !under_headline(page, first.at as usize) {
        return None;
    }
    Some(name)
}

/// Blocks after the `<h1>` within which a byline belongs to the headline's post.
const BYLINE_AFTER_H1: usize = 15;

/// Whether text block position `at` follows the page's `<h1>` closely, with no other heading
/// between: the byline of the headline's own post (a thread's first post), not of the first
/// item of a list of posts (each under its own `<h2>`).
fn under_headline(page: &Page, at: usize) -> bool {
    let heading = |i: usize| match page.els[page.blocks[i].owner as usize].tag {
        Tag::Heading(n) => Some(n),
        _ => None,
    };
    let at = at.min(page.blocks.len());
    for i in (at.saturating_sub(BYLINE_AFTER_H1)..at).rev() {
        match heading(i) {
            Some(1) => return true,
            Some(_) => return false,
            None => {}
        }
    }
    false
}

static BY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:written|posted|published|reviewed)\s+)?by\s*:?\s+(\S.*)$|^(?:author|authors)\s*:\s*(\S.*)$|^(?:published|posted)\b.*\sby\s+(\S.*)$")
        .expect("static pattern")
});
static BY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:written|posted|published)\s+)?by\s*:?$|^authors?\s*:?$")
        .expect("static pattern")
});

/// Blocks read around the start of the main text when looking for a byline or a date in its text.
const HEAD_REACH: usize = 40;

/// The blocks around the start of the main text (where the headline, byline and date are),
/// outside furniture.
fn head_blocks<'a>(
    page: &'a Page,
    kept: &[bool],
    furniture: &'a Furniture,
    before: usize,
    after: usize,
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let first_kept = kept.iter().position(|&k| k).unwrap_or(0);
    let end = page.blocks.len().min(first_kept + after);
    let start = first_kept.saturating_sub(before).min(end);
    (start..end).filter_map(move |i| {
        let b = &page.blocks[i];
        (!furniture.contains(page, b.owner)).then(|| (i, page.block_text(b).trim()))
    })
}

/// A "By Jane Doe" line (or "Written by" followed by the name) as plain text near the top of
/// the main text, where no element is marked as the byline.
fn by_line_block(page: &Page, kept: &[bool], furniture: &Furniture) -> Option<String> {
    let blocks: Vec<(usize, &str)> =
        head_blocks(page, kept, furniture, HEAD_REACH, HEAD_REACH).collect();
    for (n, (i, text)) in blocks.iter().enumerate() {
        if text.chars().count() > 80 {
            continue;
        }
        let name = if let Some(c) = BY_LINE.captures(text) {
            c.get(1)
                .or(c.get(2))
                .or(c.get(3))
                .map(|m| m.as_str().to_string())
        } else if BY_LABEL.is_match(text) {
            blocks
                .get(n + 1)
                .filter(|(j, _)| *j == i + 1)
                .map(|(_, t)| t.to_string())
        } else {
            None
        };
        if let Some(name) = name.as_deref().and_then(clean_author)
            && name.split_whitespace().count() <= 5
            && name.chars().next().is_some_and(char::is_uppercase)
        {
            return Some(name);
        }
    }
    None
}

/// Whether a date's text is a copyright line, never a publication date.
fn is_copyright(t: &str) -> bool {
    t.contains('©') || t.contains("copyright") || t.contains("(c)")
}

/// Whether a date's text says it is the date of a change, not of publication.
fn is_update(t: &str) -> bool {
    ["updated", "modified", "edited", "revised", "reviewed"]
        .iter()
        .any(|w| t.contains(w))
}

/// The date the page shows: a date-like element of the body, else a date written by the headline.
/// `updates`: whether to take an "Updated …" stamp (only when the page states no other date).
fn shown_date(page: &Page, kept: &[bool], furniture: &Furniture, updates: bool) -> Option<String> {
    body_date(page, furniture, updates).or_else(|| text_date(page, kept, furniture, updates))
}

/// Whether a date's text is of the kind asked for: never a copyright line, and an "Updated …"
/// stamp exactly when `updates`.
fn is_date_of_kind(text: &str, updates: bool) -> bool {
    let t = text.to_lowercase();
    !is_copyright(&t) && is_update(&t) == updates
}

/// The first date-like element of the body that parses, outside comments, related-post lists
/// and other furniture.
fn body_date(page: &Page, furniture: &Furniture, updates: bool) -> Option<String> {
    page.meta
        .dates
        .iter()
        .filter(|f| !furniture.contains(page, f.el))
        .filter(|f| is_date_of_kind(&f.text, updates))
        .find_map(|f| parse_date(&f.text))
}

/// A date written as text in a short line by the headline ("Published on Oct 21, 2025",
/// "Jane Doe - Mar 27, 2024") where no element is marked as the date.
fn text_date(page: &Page, kept: &[bool], furniture: &Furniture, updates: bool) -> Option<String> {
    head_blocks(page, kept, furniture, TEXT_DATE_BEFORE, TEXT_DATE_AFTER)
        .filter(|(_, t)| t.chars().count() <= 100)
        .filter(|(_, t)| is_date_of_kind(t, updates))
        .find_map(|(_, t)| parse_date(t))
}

/// Blocks before and after the start of the main text searched for a date in text.
const TEXT_DATE_BEFORE: usize = 10;
const TEXT_DATE_AFTER: usize = 12;

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?",
    )
    .expect("static pattern")
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?([a-z]{3,9})\.?,?\s+((?:19|20)\d\d)\b",
    )
    .expect("static pattern")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b")
        .expect("static pattern")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d\d)\b").expect("static pattern")
});
static URL_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/").expect("static pattern"));

fn month(name: &str) -> Option<u32> {
    const MONTHS: &[&str] = &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_ascii_lowercase();
    let stem = lower.get(..3)?;
    let i = MONTHS.iter().position(|m| *m == stem)?;
    // Only the month's own name or its prefix ("Sept" is fine, "Mayor" is not).
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ][i];
    (full.starts_with(&lower) || lower == "sept").then_some(i as u32 + 1)
}

fn ymd(y: &str, m: u32, d: &str) -> Option<String> {
    let y: u32 = y.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !(1990..=2100).contains(&y) || !crate::stages::calendar::is_real_date(y, m, d) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// A stated date as ISO 8601 `YYYY-MM-DD`. Needs a day, a month and a year: a bare year (as in a
/// copyright line) is never a date.
pub fn parse_date(s: &str) -> Option<String> {
    if let Some(c) = ISO.captures(s) {
        return ymd(&c[1], c[2].parse().ok()?, &c[3]);
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(s)
        && let Some(m) = month(&c[1])
    {
        return ymd(&c[3], m, &c[2]);
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(s)
        && let Some(m) = month(&c[2])
    {
        return ymd(&c[3], m, &c[1]);
    }
    if let Some(c) = NUMERIC.captures(s) {
        let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        // Day first where the separator is a dot (European), month first with slashes (US),
        // unless the numbers only fit the other way.
        let dotted = c[0].contains('.');
        let (m, d) = if (dotted && b <= 12) || a > 12 {
            (b, a)
        } else {
            (a, b)
        };
        return ymd(&c[3], m, &d.to_string());
    }
    None
}

fn date_in_url(url: &str) -> Option<String> {
    let c = URL_DATE.captures(url)?;
    ymd(&c[1], c[2].parse().ok()?, &c[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in title separators.
    fn separator() -> Regex {
        super::super::hints::Hints::new().title_separator().clone()
    }

    #[test]
    fn dates_in_common_forms() {
        assert_eq!(
            parse_date("2024-03-05T10:00:00Z").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(parse_date("March 5, 2024").as_deref(), Some("2024-03-05"));
        assert_eq!(
            parse_date("Published 5th Mar. 2024").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(parse_date("05.03.2024").as_deref(), Some("2024-03-05"));
        assert_eq!(parse_date("3/25/2024").as_deref(), Some("2024-03-25"));
        // The separator inside the date decides, not a full stop elsewhere in the line.
        assert_eq!(
            parse_date("Posted 3/4/2024. Read more").as_deref(),
            Some("2024-03-04")
        );
        assert_eq!(parse_date("On 3.4.2024 /").as_deref(), Some("2024-04-03"));
    }

    #[test]
    fn february_has_a_29th_only_in_leap_years() {
        assert_eq!(parse_date("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(parse_date("2000-02-29").as_deref(), Some("2000-02-29"));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("February 29, 2100"), None);
    }

    #[test]
    fn copyright_years_and_nonsense_are_not_dates() {
        assert_eq!(parse_date("© 2024 Example Media"), None);
        assert_eq!(parse_date("Copyright 2019-2024"), None);
        assert_eq!(parse_date("Mayor 12 2024"), None);
        assert_eq!(parse_date("2024-13-40"), None);
    }

    #[test]
    fn bylines_become_names() {
        assert_eq!(clean_author("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            clean_author("Written by Jane Doe | March 3, 2024").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(clean_author("Sign in"), None);
        assert_eq!(clean_author("© 2024 Example"), None);
        assert_eq!(clean_author("https://facebook.com/jane"), None);
        // A plan's small print in a `pricing-table-byline`, a category line in a
        // `blog-result-author`, a template's unfilled placeholder in `<meta name="author">`.
        assert_eq!(
            clean_author("billed annually, or $15/mo billed monthly"),
            None
        );
        assert_eq!(
            clean_author("This review is posted in Mobile App Reviews"),
            None
        );
        assert_eq!(clean_author("page.head.extra.author"), None);
        assert_eq!(
            clean_author("J. R. R. Tolkien").as_deref(),
            Some("J. R. R. Tolkien")
        );
    }

    /// Metadata of a page as the stage reads it: parsed, flattened, main text chosen.
    fn meta_of(html: &str) -> Metadata {
        let deadline = super::super::Deadline::new(std::time::Duration::from_secs(60));
        let hints = super::super::hints::Hints::new();
        let page =
            super::super::dom::flatten(html, &hints, 256, &deadline).expect("within the budget");
        let ld = linked_data(&page.meta.json_ld);
        let kept: Vec<bool> =
            super::super::content::select(&page, sells_one_product(&page, &ld), &hints)
                .iter()
                .map(Option::is_none)
                .collect();
        read(&page, &kept, &ld, hints.title_separator())
    }

    /// A body long enough to be the main text.
    const BODY: &str = "<p>The council said on Tuesday that it would review the figures, which show an \
        increase of four percent, before deciding on any new measures for tenants.</p>\
        <p>Tenants say they can no longer keep up with the rents, and that the city has to act.</p>";

    #[test]
    fn a_byline_in_a_bare_signature_class_still_names_the_author() {
        // Some forums mark the post's byline `signature`: the text drops it as a post's footer,
        // but it is not furniture to the metadata.
        let m = meta_of(&format!(
            "<html><body><div class=\"post\"><h1>Trains to Cusco</h1><div class=\"signature\">\
             Posted by Jane Doe on July 3, 2024</div>{BODY}</div></body></html>"
        ));
        assert_eq!(m.author.as_deref(), Some("Jane Doe"));
        assert_eq!(m.published.as_deref(), Some("2024-07-03"));
    }

    #[test]
    fn a_byline_in_a_table_cell_ends_with_its_cell() {
        // The cell's implied `<tbody>` and `<tr>` open before it: the byline is the cell's text,
        // not the row's rest too.
        let m = meta_of(&format!(
            "<html><body><article><h1>Trains to Cusco</h1><table><td class=\"author\">Jane Doe\
             </td><td>Read more here</td></table>{BODY}</article></body></html>"
        ));
        assert_eq!(m.author.as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn an_h1_sharing_words_with_the_title_is_the_headline() {
        let m = meta_of(&format!(
            "<html><head><title>Rents rise again in May | The Daily Example</title></head>\
             <body><article><h1>Rents rise again</h1>{BODY}</article></body></html>"
        ));
        assert_eq!(m.title.as_deref(), Some("Rents rise again"));
    }

    #[test]
    fn an_h1_one_stated_title_confirms_is_the_headline() {
        let page = |title: &str| {
            format!(
                "<html><head><meta property=\"og:title\" content=\"Ten Ways to Keep a Lawn Green\">\
                 <title>{title}</title></head>\
                 <body><article><h1>Watering Tips for Dry Summers</h1>{BODY}</article></body></html>"
            )
        };
        let m = meta_of(&page("Watering Tips for Dry Summers | Example"));
        assert_eq!(m.title.as_deref(), Some("Watering Tips for Dry Summers"));
        // When no stated title says what the <h1> says, it is a slogan as before.
        let m = meta_of(&page("Ten Ways to Keep a Lawn Green | Example"));
        assert_eq!(m.title.as_deref(), Some("Ten Ways to Keep a Lawn Green"));
    }

    #[test]
    fn an_h1_unrelated_to_the_title_is_a_slogan() {
        let m = meta_of(&format!(
            "<html><head><title>Data Analytics Services | Acme</title></head>\
             <body><article><h1>We make your numbers talk</h1>{BODY}</article></body></html>"
        ));
        assert_eq!(m.title.as_deref(), Some("Data Analytics Services"));
    }

    #[test]
    fn site_names_leave_titles_by_name_and_domain() {
        let url = Some("https://www.acmetools.com/guide");
        assert_eq!(
            headline_of(
                "Widget Guide - Acme Tools",
                &SiteNames::new(None, url, &separator())
            ),
            "Widget Guide"
        );
        assert_eq!(
            headline_of(
                "Acme Tools | Widget Guide",
                &SiteNames::new(None, url, &separator())
            ),
            "Widget Guide"
        );
        assert_eq!(
            headline_of(
                "Travel Insurance - Flight Quotes | GEICO",
                &SiteNames::new(Some("GEICO"), None, &separator())
            ),
            "Travel Insurance"
        );
        // A brand and its tagline stay whole; a pipe sets the brand off.
        let built_in = separator();
        let acme = SiteNames::new(Some("Acme"), None, &built_in);
        for joined in [
            "Acme: Tools for Every Workshop",
            "Acme – Tools for Every Workshop",
        ] {
            assert_eq!(headline_of(joined, &acme), joined);
        }
        assert_eq!(
            headline_of("Acme - Tools for Every Workshop | Acme", &acme),
            "Acme - Tools for Every Workshop"
        );
        assert_eq!(
            headline_of("Acme | Tools for Every Workshop", &acme),
            "Tools for Every Workshop"
        );
        assert_eq!(
            without_site_parts(
                "Movers in Austin | Bellhop",
                &SiteNames::new(Some("Bellhop"), None, &separator())
            ),
            "Movers in Austin"
        );
        assert_eq!(
            without_site_parts(
                "Best Cameras | The Mirrorless Ones",
                &SiteNames::new(Some("Bellhop"), None, &separator())
            ),
            "Best Cameras | The Mirrorless Ones"
        );
        // A colon inside a headline is not a separator.
        assert_eq!(
            headline_of(
                "Catering 101: Tips for Your Event",
                &SiteNames::new(None, url, &separator())
            ),
            "Catering 101: Tips for Your Event"
        );
    }

    #[test]
    fn json_ld_authors_named_by_id_elsewhere_in_the_graph() {
        let m = meta_of(&format!(
            r#"<html><head><script type="application/ld+json">
            {{"@context":"https://schema.org","@graph":[
              {{"@type":"Article","headline":"A headline","author":{{"@id":"https://ex.com/#/person/1"}},
               "datePublished":"2024-02-27T13:30:32+00:00"}},
              {{"@type":"Person","@id":"https://ex.com/#/person/1","name":"Ann Lee"}}]}}
            </script></head><body>{BODY}</body></html>"#
        ));
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
        assert_eq!(m.published.as_deref(), Some("2024-02-27"));
    }

    #[test]
    fn json_ld_with_raw_line_breaks_in_strings_is_read() {
        let m = meta_of(&format!(
            "<html><head><script type=\"application/ld+json\">{{\"@type\":\"BlogPosting\",\
             \"description\":\"two\nlines\",\"datePublished\":\"2025-12-12\"}}</script></head>\
             <body>{BODY}</body></html>"
        ));
        assert_eq!(m.published.as_deref(), Some("2025-12-12"));
    }

    #[test]
    fn json_ld_in_a_hidden_subtree_is_read() {
        let m = meta_of(&format!(
            "<html><body><div hidden><script type=\"application/ld+json\">\
             {{\"@type\":\"BlogPosting\",\"author\":{{\"name\":\"Joe Kindness\"}}}}</script></div>{BODY}</body></html>"
        ));
        assert_eq!(m.author.as_deref(), Some("Joe Kindness"));
    }

    #[test]
    fn a_threads_main_entity_gives_its_author_but_reviews_do_not() {
        let thread = meta_of(&format!(
            r#"<html><head><script type="application/ld+json">
            {{"@type":"WebPage","mainEntity":{{"@type":"DiscussionForumPosting","headline":"New tank",
              "datePublished":"2024-03-06T02:52:19+00:00","author":{{"@type":"Person","name":"bagaba"}}}}}}
            </script></head><body>{BODY}</body></html>"#
        ));
        assert_eq!(thread.author.as_deref(), Some("bagaba"));
        assert_eq!(thread.published.as_deref(), Some("2024-03-06"));
        let product = meta_of(&format!(
            r#"<html><head><script type="application/ld+json">
            [{{"@type":"Product","name":"Kettle"}},
             {{"@type":"Review","author":{{"@type":"Person","name":"Tom Cole"}},"datePublished":"2024-01-02"}}]
            </script></head><body>{BODY}</body></html>"#
        ));
        assert_eq!(product.author, None);
        assert_eq!(product.published, None);
    }

    #[test]
    fn an_organisation_named_as_author_is_the_author() {
        let m = meta_of(&format!(
            r#"<html><head><meta property="og:site_name" content="Help Net Security">
            <meta name="author" content="Help Net Security"></head><body>{BODY}</body></html>"#
        ));
        assert_eq!(m.author.as_deref(), Some("Help Net Security"));
    }

    #[test]
    fn a_persons_byline_wins_over_the_site_named_as_author() {
        let m = meta_of(&format!(
            r#"<html><head><meta property="og:site_name" content="Cleveland Clinic">
            <meta name="author" content="Cleveland Clinic"></head>
            <body><article><h1>Yoga for beginners</h1><p class="byline">By Holly Wilgus</p>{BODY}</article></body></html>"#
        ));
        assert_eq!(m.author.as_deref(), Some("Holly Wilgus"));
    }

    #[test]
    fn dates_days_and_template_junk_are_not_names() {
        assert_eq!(clean_author("August 28"), None);
        assert_eq!(clean_author("Sat"), None);
        assert_eq!(clean_author("Jun 2 Written By"), None);
        assert_eq!(clean_author("content: MarketingSherpa"), None);
        assert_eq!(
            clean_author("Authored by: Dr. Ehsan Jazini").as_deref(),
            Some("Dr. Ehsan Jazini")
        );
        assert_eq!(clean_author("Maya Sato").as_deref(), Some("Maya Sato"));
    }

    #[test]
    fn scholarly_and_twitter_card_authors() {
        let m = meta_of(&format!(
            r#"<html><head><meta name="citation_author" content="Roy, Aniruddha">
            <meta name="citation_author" content="Patel, Jyoti"></head><body>{BODY}</body></html>"#
        ));
        assert_eq!(m.author.as_deref(), Some("Aniruddha Roy"));
        let m = meta_of(&format!(
            r#"<html><head><meta name="twitter:label1" content="Written by">
            <meta name="twitter:data1" content="Nawaz Dhandala">
            <meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="9 minutes">
            </head><body>{BODY}</body></html>"#
        ));
        assert_eq!(m.author.as_deref(), Some("Nawaz Dhandala"));
    }

    #[test]
    fn by_lines_in_the_text_by_the_headline() {
        let m = meta_of(&format!(
            "<html><body><article><h1>Scaling Go testing</h1><p>By Preetam Jinka</p>{BODY}</article></body></html>"
        ));
        assert_eq!(m.author.as_deref(), Some("Preetam Jinka"));
        let m = meta_of(&format!(
            "<html><body><article><h1>Best CRM software</h1><div>Written by</div><div>The Meetingnotes Team</div>{BODY}</article></body></html>"
        ));
        assert_eq!(m.author.as_deref(), Some("The Meetingnotes Team"));
        let m = meta_of(&format!(
            "<html><body><article><h1>Planting</h1><p>Published August 7, 2023 by Nicole Burke</p>{BODY}</article></body></html>"
        ));
        assert_eq!(m.author.as_deref(), Some("Nicole Burke"));
        // "Photo by …" is not a byline of the page, nor "by the way".
        let m = meta_of(&format!(
            "<html><body><article><h1>Planting</h1><p>Photo by Getty Images</p><p>by the way</p>{BODY}</article></body></html>"
        ));
        assert_eq!(m.author, None);
    }

    #[test]
    fn sign_in_links_and_copyright_lines_are_never_authors_or_dates() {
        let m = meta_of(&format!(
            r#"<html><body><div class="author"><a href="/login">Sign in</a></div>
            <article><h1>A headline</h1><p>By Sign in</p>{BODY}</article>
            <div class="date">© 2024 Example Media</div><p>Copyright 2019-2024</p>
            <div class="date">© March 5, 2024 Example Media</div>
            </body></html>"#
        ));
        assert_eq!(m.author, None);
        assert_eq!(m.published, None);
    }

    #[test]
    fn job_titles_leave_names_and_co_authors_stay() {
        assert_eq!(
            clean_author("Benjamin Johnson, Sr. Director of Operations, Atlas Van Lines")
                .as_deref(),
            Some("Benjamin Johnson")
        );
        assert_eq!(
            clean_author("Tracy Parker, Dietitian").as_deref(),
            Some("Tracy Parker")
        );
        assert_eq!(
            clean_author("Adrien Ramirez, Joanna Nelius").as_deref(),
            Some("Adrien Ramirez, Joanna Nelius")
        );
        assert_eq!(
            clean_author("Minoa » Tue Aug 27, 2019").as_deref(),
            Some("Minoa")
        );
        assert_eq!(clean_author("paulb203").as_deref(), Some("paulb203"));
        assert_eq!(
            clean_author("Laubrani (Laubrani)").as_deref(),
            Some("Laubrani")
        );
        let many = "Nicholas Collins, Scott Munro, Matt De La O, Vineet Asthana, Rory O'Sullivan";
        assert_eq!(clean_author(many).as_deref(), Some(many));
    }

    #[test]
    fn a_list_of_posts_by_many_people_has_no_author_but_a_thread_has_its_starter() {
        let post = |title: &str, who: &str| {
            format!(
                "<div class=\"post\"><h2>{title}</h2><span class=\"author\">{who}</span>\
                 <p>A summary of the post that runs long enough to be read as text of the page, with commas.</p></div>"
            )
        };
        let listing = meta_of(&format!(
            "<html><body><main><h1>Latest news</h1>{}{}{}</main></body></html>",
            post("Rents rise", "Ann Lee"),
            post("Rates fall", "Bob Stone"),
            post("Prices hold", "Cy Young")
        ));
        assert_eq!(listing.author, None);
        let reply = |who: &str| {
            format!(
                "<div class=\"message\"><span class=\"author\">{who}</span>\
                 <p>What I think about this question, written out at some length, with commas, and more.</p></div>"
            )
        };
        let thread = meta_of(&format!(
            "<html><body><main><h1>Which kettle to buy?</h1>{}{}{}</main></body></html>",
            reply("kettlefan"),
            reply("Bob Stone"),
            reply("Cy Young")
        ));
        assert_eq!(thread.author.as_deref(), Some("kettlefan"));
    }

    #[test]
    fn the_published_date_wins_over_the_modified_one() {
        let m = meta_of(&format!(
            r#"<html><head><meta property="article:modified_time" content="2025-11-14T06:49:57+00:00">
            <meta property="article:published_time" content="2024-09-06T13:12:36+00:00"></head>
            <body>{BODY}</body></html>"#
        ));
        assert_eq!(m.published.as_deref(), Some("2024-09-06"));
        // Only a change is stated: it is the best date the page gives.
        let m = meta_of(&format!(
            r#"<html><head><meta property="article:modified_time" content="2025-12-19T16:28:46+00:00">
            </head><body>{BODY}</body></html>"#
        ));
        assert_eq!(m.published.as_deref(), Some("2025-12-19"));
        // In the body, a "Published" stamp wins over an "Updated" one shown first.
        let m = meta_of(&format!(
            "<html><body><article><h1>A headline</h1><div class=\"date\">Updated March 3, 2025</div>\
             <div class=\"date\">Published January 5, 2024</div>{BODY}</article></body></html>"
        ));
        assert_eq!(m.published.as_deref(), Some("2024-01-05"));
    }

    #[test]
    fn dates_in_comments_and_related_lists_are_not_the_pages() {
        let m = meta_of(&format!(
            "<html><body><article><h1>A headline</h1>{BODY}</article>\
             <div class=\"related-posts\"><a href=\"/a\">Other post</a><time datetime=\"2023-01-02\">Jan 2, 2023</time></div>\
             <div id=\"comments\"><p>Nice!</p><time datetime=\"2024-05-06\">May 6, 2024</time></div></body></html>"
        ));
        assert_eq!(m.published, None);
    }

    #[test]
    fn a_date_written_by_the_headline() {
        let m = meta_of(&format!(
            "<html><body><article><h1>Top private cloud providers</h1><p>Published on Oct 21, 2025</p>{BODY}</article></body></html>"
        ));
        assert_eq!(m.published.as_deref(), Some("2025-10-21"));
    }

    #[test]
    fn titles_lose_escapes_soft_hyphens_and_permalink_marks() {
        let m = meta_of(
            "<html><head><title>Repair</title></head><body><h1>Home Repair Assis&shy;tance \
             Program</h1><p>Some text about the program and how to apply for it.</p></body></html>",
        );
        assert_eq!(m.title.as_deref(), Some("Home Repair Assistance Program"));
        let m = meta_of(
            "<html><head><title>Quickstart - Docs</title></head><body><h1>Quickstart¶</h1>\
             <p>Some text about starting quickly with the library.</p></body></html>",
        );
        assert_eq!(m.title.as_deref(), Some("Quickstart"));
        assert_eq!(tidy("SQL &amp;#x26; AI"), "SQL &#x26; AI");
        assert_eq!(tidy("SQL &#x26; AI"), "SQL & AI");
        // A lone ampersand is text, not a reference.
        assert_eq!(tidy("Salt & Pepper"), "Salt & Pepper");
    }

    #[test]
    fn json_ld_strings_written_html_escaped_are_decoded() {
        let m = meta_of(
            r#"<html><head><script type="application/ld+json">{"@type":"BlogPosting",
            "headline":"Tools &#38; A Guide","author":{"name":"Maria &amp; Katerina"}}</script>
            </head><body><p>Some text of the post, long enough to be the main text.</p></body></html>"#,
        );
        assert_eq!(m.author.as_deref(), Some("Maria & Katerina"));
        assert_eq!(m.title.as_deref(), Some("Tools & A Guide"));
    }

    #[test]
    fn an_h1_ends_at_its_pipe() {
        let m = meta_of(
            "<html><head><title>Best Movers in NYC 2025 | Top 19 | Supermove</title></head>\
             <body><h1>Best Movers in NYC 2025 | Top 19 Companies</h1><p>Some text about \
             movers in the city, long enough to be the main text.</p></body></html>",
        );
        assert_eq!(m.title.as_deref(), Some("Best Movers in NYC 2025"));
        // Dashes stay: they join a headline's clauses as often as they set off a tagline.
        let m = meta_of(
            "<html><head><title>Zero Waste - A Beginner's Guide | Site</title></head>\
             <body><h1>Zero Waste - A Beginner's Guide</h1><p>Some text about waste and \
             how to make less of it at home.</p></body></html>",
        );
        assert_eq!(m.title.as_deref(), Some("Zero Waste - A Beginner's Guide"));
    }

    #[test]
    fn a_shown_date_beats_a_later_stated_one() {
        let page = |shown: &str| {
            meta_of(&format!(
                r#"<html><head><script type="application/ld+json">{{"@type":"BlogPosting",
                "datePublished":"2025-06-24T10:00:00Z"}}</script></head><body><article>
                <h1>A headline</h1><div class="date">{shown}</div>{BODY}</article></body></html>"#
            ))
            .published
        };
        // The site restamped its metadata on a later publish: the reader sees the first date.
        assert_eq!(page("August 25, 2024").as_deref(), Some("2024-08-25"));
        // A day apart is one moment in two time zones; a later shown date is not a first
        // publication either.
        assert_eq!(page("June 23, 2025").as_deref(), Some("2025-06-24"));
        assert_eq!(page("July 2, 2025").as_deref(), Some("2025-06-24"));
        assert_eq!(
            day_number("2024-03-01")
                .zip(day_number("2024-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
    }

    #[test]
    fn a_page_showing_only_its_update_is_dated_by_it() {
        let page = |shown: &str| {
            meta_of(&format!(
                r#"<html><head><meta property="article:published_time" content="2025-05-19T08:00:00Z">
                </head><body><article><h1>A headline</h1>{shown}{BODY}</article></body></html>"#
            ))
            .published
        };
        assert_eq!(
            page(r#"<div class="date">Updated August 14, 2025</div>"#).as_deref(),
            Some("2025-08-14")
        );
        // Shown beside its first publication, the update is not the date.
        assert_eq!(
            page(r#"<div class="date">Updated August 14, 2025</div><div class="date">Published May 19, 2025</div>"#)
                .as_deref(),
            Some("2025-05-19")
        );
        assert_eq!(page("").as_deref(), Some("2025-05-19"));
    }

    #[test]
    fn a_product_page_has_no_publication_date_or_author() {
        let m = meta_of(&format!(
            r#"<html><head><meta property="og:type" content="product">
            <meta property="article:published_time" content="2016-09-06T10:00:00Z"></head>
            <body><h1>Steel kettle</h1>{BODY}<div class="review"><span class="author">Andrew
            Park</span><p>Great kettle.</p></div></body></html>"#
        ));
        assert_eq!(m.published, None);
        assert_eq!(m.author, None);
        let m = meta_of(&format!(
            r#"<html><head><script type="application/ld+json">{{"@type":"Product","name":"Kettle",
            "releaseDate":"2020-01-01"}}</script><meta name="date" content="2020-09-02"></head>
            <body><h1>Steel kettle</h1>{BODY}</body></html>"#
        ));
        assert_eq!(m.published, None);
        // A review of a product is an article: its date stays.
        let m = meta_of(&format!(
            r#"<html><head><script type="application/ld+json">[{{"@type":"Product","name":"Kettle"}},
            {{"@type":"Article","datePublished":"2024-02-03","author":"Jane Doe"}}]</script></head>
            <body><h1>Kettle review</h1>{BODY}</body></html>"#
        ));
        assert_eq!(m.published.as_deref(), Some("2024-02-03"));
        assert_eq!(m.author.as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn a_microdata_product_has_no_publication_date_unless_the_page_is_an_article() {
        let page = |og_type: &str| {
            format!(
                r#"<html><head><meta property="og:type" content="{og_type}">
                <meta name="date" content="2020-09-02"></head><body>
                <div itemscope itemtype="https://schema.org/Product"><h1>Steel kettle</h1>{BODY}
                </div></body></html>"#
            )
        };
        let m = meta_of(&page("website"));
        assert_eq!(m.published, None);
        // A review that marks up the product it is about keeps its date.
        let m = meta_of(&page("article"));
        assert_eq!(m.published.as_deref(), Some("2020-09-02"));
        // Microdata of another type is no product.
        let m = meta_of(&page("website").replace("schema.org/Product", "schema.org/Place"));
        assert_eq!(m.published.as_deref(), Some("2020-09-02"));
    }

    /// Whether a page whose JSON-LD is `ld_json` sells one product.
    fn sells_one(ld_json: &str) -> bool {
        let deadline = super::super::Deadline::new(std::time::Duration::from_secs(60));
        let html = format!(
            r#"<html><head><script type="application/ld+json">{ld_json}</script></head>
            <body>{BODY}</body></html>"#
        );
        let page =
            super::super::dom::flatten(&html, &super::super::hints::Hints::new(), 256, &deadline)
                .expect("within the budget");
        sells_one_product(&page, &linked_data(&page.meta.json_ld))
    }

    #[test]
    fn a_shops_faq_does_not_make_it_an_article() {
        let product = r#"{"@type":"Product","name":"Kettle"}"#;
        let faq = r#"{"@type":"FAQPage","mainEntity":[{"@type":"Question","name":"Is it steel?",
            "acceptedAnswer":{"@type":"Answer","text":"Yes."}}]}"#;
        assert!(sells_one(&format!("[{product},{faq}]")));
        // A question of the page's own (a Q&A thread) and a written review still are.
        let thread = r#"{"@type":"QAPage","mainEntity":{"@type":"Question","name":"Which?"}}"#;
        assert!(!sells_one(&format!("[{product},{thread}]")));
        assert!(!sells_one(&format!(
            r#"[{product},{{"@type":"Question","name":"Which?"}}]"#
        )));
        assert!(!sells_one(&format!(
            r#"[{product},{{"@type":"Review"}},{{"@type":"Article"}}]"#
        )));
    }

    #[test]
    fn an_faqs_questions_name_no_author() {
        let m = meta_of(&format!(
            r#"<html><head><script type="application/ld+json">{{"@type":"FAQPage",
            "mainEntity":[{{"@type":"Question","name":"Who?","author":"Site Staff"}}]}}</script>
            </head><body><h1>Questions</h1>{BODY}</body></html>"#
        ));
        assert_eq!(m.author, None);
    }

    #[test]
    fn a_product_group_is_a_product_page_but_does_not_sell_one_product() {
        let deadline = super::super::Deadline::new(std::time::Duration::from_secs(60));
        let html = format!(
            r#"<html><head><meta property="og:type" content="product.group"></head>
            <body>{BODY}</body></html>"#
        );
        let page =
            super::super::dom::flatten(&html, &super::super::hints::Hints::new(), 256, &deadline)
                .expect("within the budget");
        let ld = linked_data(&page.meta.json_ld);
        assert!(is_product_page(&page, &ld));
        assert!(!sells_one_product(&page, &ld));
    }
}
