//! Title, author, publication date, canonical URL, site name and description, from what the page
//! states: `<meta>` tags, JSON-LD, `<title>`, the main `<h1>`, bylines and `<time>` elements.
//! Nothing is guessed beyond that: what the page does not state stays `None`.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::dom::{Page, Tag};

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
struct LinkedData {
    headline: Option<String>,
    author: Option<String>,
    published: Option<String>,
    publisher: Option<String>,
}

/// `kept[i]`: whether block i is in the main text (bylines and dates there are trusted more).
pub fn read(page: &Page, kept: &[bool]) -> Metadata {
    let ld = linked_data(&page.meta.json_ld);
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
    let title = title(
        page,
        kept,
        &ld,
        meta(&["og:title", "twitter:title"]),
        site_name.as_deref(),
    );
    let author = ld
        .author
        .clone()
        .and_then(|a| clean_author(&a))
        .or_else(|| {
            meta(&[
                "author",
                "article:author",
                "parsely-author",
                "sailthru.author",
                "dc.creator",
                "byl",
            ])
            .and_then(|a| clean_author(&a))
        })
        .or_else(|| byline(page))
        .filter(|a| {
            site_name
                .as_deref()
                .is_none_or(|s| !a.eq_ignore_ascii_case(s))
        });
    let published = ld
        .published
        .as_deref()
        .and_then(parse_date)
        .or_else(|| {
            meta(&[
                "article:published_time",
                "og:published_time",
                "datepublished",
                "publish-date",
                "publish_date",
                "pubdate",
                "parsely-pub-date",
                "sailthru.date",
                "dc.date.issued",
                "dc.date",
                "dcterms.created",
                "citation_publication_date",
                "date",
            ])
            .as_deref()
            .and_then(parse_date)
        })
        .or_else(|| body_date(page))
        .or_else(|| url.as_deref().and_then(date_in_url));
    Metadata {
        title,
        author,
        published,
        url,
        site_name,
        description: meta(&["og:description", "description", "twitter:description"]),
    }
}

/// The headline as the page shows it: the `<h1>` of the main text, else the last `<h1>` above
/// it, else one the page's title confirms; failing those, og:title, JSON-LD headline or `<title>`
/// without the site name.
fn title(
    page: &Page,
    kept: &[bool],
    ld: &LinkedData,
    og: Option<String>,
    site: Option<&str>,
) -> Option<String> {
    let h1s: Vec<(usize, &str)> = page
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| page.els[b.owner as usize].tag == Tag::Heading(1))
        .filter(|(_, b)| b.link_chars * 2 <= b.chars && b.chars >= 3 && b.chars <= 300)
        .map(|(i, b)| (i, page.block_text(b)))
        .collect();
    let is_kept = |i: usize| kept.get(i).copied().unwrap_or(false);
    let first_kept = (0..kept.len()).find(|&i| is_kept(i)).unwrap_or(usize::MAX);
    let stated: Vec<String> = [og, ld.headline.clone(), page.meta.title.clone()]
        .into_iter()
        .flatten()
        .map(|t| collapse(&t))
        .filter(|t| !t.is_empty())
        .collect();
    let confirmed = |h: &str| {
        let h = simple(h);
        !h.is_empty() && stated.iter().any(|t| simple(t).contains(&h))
    };
    let site_like = |h: &str| site.is_some_and(|s| simple(s) == simple(h));
    let chosen = h1s
        .iter()
        .find(|(i, _)| is_kept(*i))
        .or_else(|| h1s.iter().rev().find(|(i, _)| *i < first_kept))
        .or_else(|| h1s.iter().find(|(_, h)| confirmed(h)))
        .filter(|(_, h)| !site_like(h));
    if let Some((_, h)) = chosen {
        return Some(collapse(h));
    }
    if let Some(t) = stated.first() {
        return Some(strip_site_name(t, site));
    }
    h1s.first().map(|(_, h)| collapse(h))
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower-case letters and digits only, for comparing titles.
fn simple(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " · ", " :: ", " » ", " / ", " • ",
];

/// "Headline | Site" → "Headline": drops the part naming the site, or a short last part.
pub fn strip_site_name(title: &str, site: Option<&str>) -> String {
    for sep in TITLE_SEPARATORS {
        let Some(pos) = title.rfind(sep) else {
            continue;
        };
        let (head, tail) = (title[..pos].trim(), title[pos + sep.len()..].trim());
        let site_like = |part: &str| {
            site.is_some_and(|s| {
                let (p, s) = (simple(part), simple(s));
                !p.is_empty() && !s.is_empty() && (p.contains(&s) || s.contains(&p))
            })
        };
        if site_like(tail) || (tail.split_whitespace().count() <= 4 && head.len() > tail.len()) {
            return head.to_string();
        }
        if let Some(first) = title.find(sep) {
            let (lead, rest) = (title[..first].trim(), title[first + sep.len()..].trim());
            if site_like(lead) {
                return rest.to_string();
            }
        }
    }
    title.to_string()
}

fn linked_data(scripts: &[String]) -> LinkedData {
    let mut out = LinkedData::default();
    // Values from objects of other types fill only what no creative work stated.
    let mut any = LinkedData::default();
    for script in scripts {
        let Ok(value) = serde_json::from_str::<Value>(script.trim()) else {
            continue;
        };
        let mut stack = vec![&value];
        let mut seen = 0;
        while let Some(v) = stack.pop() {
            seen += 1;
            if seen > 2000 {
                break;
            }
            match v {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    if let Some(graph) = map.get("@graph") {
                        stack.push(graph);
                    }
                    if is_creative_work(map.get("@type")) {
                        fill(&mut out, map);
                    } else if map.contains_key("author") || map.contains_key("datePublished") {
                        fill(&mut any, map);
                    }
                }
                _ => {}
            }
        }
    }
    LinkedData {
        headline: out.headline.or(any.headline),
        author: out.author.or(any.author),
        published: out.published.or(any.published),
        publisher: out.publisher.or(any.publisher),
    }
}

fn is_creative_work(kind: Option<&Value>) -> bool {
    let matches = |t: &str| {
        t.ends_with("Article")
            || matches!(
                t,
                "BlogPosting"
                    | "NewsArticle"
                    | "Report"
                    | "WebPage"
                    | "Article"
                    | "Review"
                    | "Recipe"
                    | "DiscussionForumPosting"
                    | "QAPage"
                    | "Question"
                    | "HowTo"
                    | "VideoObject"
                    | "CreativeWork"
                    | "SocialMediaPosting"
                    | "LiveBlogPosting"
            )
    };
    match kind {
        Some(Value::String(t)) => matches(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(matches),
        _ => false,
    }
}

/// Takes each value from the first object that states it.
fn fill(out: &mut LinkedData, map: &serde_json::Map<String, Value>) {
    let set = |slot: &mut Option<String>, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty())
            && slot.is_none()
        {
            *slot = Some(v.trim().to_string());
        }
    };
    set(
        &mut out.headline,
        map.get("headline")
            .and_then(Value::as_str)
            .map(String::from),
    );
    set(&mut out.author, map.get("author").and_then(person_name));
    set(
        &mut out.published,
        map.get("datePublished")
            .or_else(|| map.get("dateCreated"))
            .and_then(Value::as_str)
            .map(String::from),
    );
    set(
        &mut out.publisher,
        map.get("publisher").and_then(person_name),
    );
}

/// A person or organisation's name: a string, `{name}`, or a list of those joined by " and ".
fn person_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m.get("name").and_then(person_name),
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(person_name).take(4).collect();
            (!names.is_empty()).then(|| names.join(" and "))
        }
        _ => None,
    }
}

static BYLINE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:written|posted|published|reviewed|edited|story|text|words|photos?)\s+)?(?:by|von|par|por|door)\s*:?\s+|^\s*(?:author|authors|autor|auteur)\s*:\s*")
        .expect("static pattern")
});
static NOT_A_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)sign\s*in|log\s*in|login|sign\s*up|register|subscribe|follow|©|copyright|all rights|https?://|www\.|@|\d{3,}|\badmin\b|\bwebmaster\b|\bview all\b|\bposts?\b|\bmore\b|\barticles?\b|\bcontact\b|\bmenu\b|\bhome\b|^(?:by|written by|name|undefined|null|none|unknown|full bio|bio|author|authors|profile)$")
        .expect("static pattern")
});

/// A name as people write it, without "By", dates or trailing job titles; None if it is not one.
pub fn clean_author(raw: &str) -> Option<String> {
    let s = collapse(raw);
    let s = BYLINE_PREFIX.replace(&s, "");
    // "Jane Doe | May 3, 2024", "Jane Doe, Staff Writer", "Jane Doe on May 3"
    let s = s
        .split(['|', '•', '·', '\n'])
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
    let words = s.split_whitespace().count();
    if s.is_empty() || !(1..=8).contains(&words) || s.len() > 80 || NOT_A_NAME.is_match(s) {
        return None;
    }
    if !s.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    Some(s.to_string())
}

/// The first author-like element whose text reads as a name, in the main text first.
fn byline(page: &Page) -> Option<String> {
    page.meta.bylines.iter().find_map(|f| clean_author(&f.text))
}

/// The first date-like element of the body that parses; copyright lines are never dates.
fn body_date(page: &Page) -> Option<String> {
    page.meta
        .dates
        .iter()
        .filter(|f| {
            let t = f.text.to_lowercase();
            !t.contains('©')
                && !t.contains("copyright")
                && !t.contains("updated")
                && !t.contains("modified")
        })
        .find_map(|f| parse_date(&f.text))
}

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
    let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1990..=2100).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days[m as usize - 1] {
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
        let dotted = s.contains('.');
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
    }

    #[test]
    fn site_names_leave_titles() {
        assert_eq!(
            strip_site_name("A headline | Example News", Some("Example News")),
            "A headline"
        );
        assert_eq!(
            strip_site_name("Example News - A headline here", Some("Example News")),
            "A headline here"
        );
        assert_eq!(
            strip_site_name("A long headline - Site", None),
            "A long headline"
        );
    }
}
