//! What an element's tag, class, id and ARIA role say about it: page furniture to drop whole, or
//! a weight for content scoring. The patterns are compiled once per run.

use std::borrow::Cow;

use regex::Regex;

use super::dom::Tag;

/// Why a subtree is page furniture. Each kind is one audit entry (`extract/dropped-<kind>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Prune {
    /// `<nav>`, `<aside>`, or an ARIA landmark role of the same meaning.
    Landmark,
    /// `<footer>` or `role=contentinfo`: never the page's content, however much text it holds
    /// (legal small print and link columns can outweigh a short article).
    Footer,
    /// Comment threads.
    Comments,
    /// Customer reviews and ratings: dropped on product pages only (on a review site or a
    /// service page they can be the content).
    Reviews,
    /// What a shop's buyer works or is sold next, not what the product is: prices, colour and
    /// size pickers, quantity, stock, carousels of similar and recently viewed items. Dropped
    /// on pages that sell one product only.
    Purchase,
    /// Share bars, related links, sidebars, widgets, menus, ads, newsletters.
    Furniture,
    /// Cookie and consent banners, modal dialogs: never the page's content, however much text
    /// they hold.
    Overlay,
}

impl Prune {
    /// Kinds dropped on product pages only; elsewhere the element is as if unmarked.
    pub const PRODUCT_ONLY: [Prune; 2] = [Prune::Reviews, Prune::Purchase];

    pub fn rule(self) -> &'static str {
        match self {
            Prune::Landmark => "extract/dropped-landmark",
            Prune::Footer => "extract/dropped-footer",
            Prune::Comments => "extract/dropped-comments",
            Prune::Reviews => "extract/dropped-reviews",
            Prune::Purchase => "extract/dropped-purchase",
            Prune::Furniture => "extract/dropped-furniture",
            Prune::Overlay => "extract/dropped-overlay",
        }
    }
}

/// Customer reviews; review widgets go by their vendors' names too (Yotpo, Bazaarvoice,
/// Judge.me, Okendo).
const REVIEW_WORDS: &str = "reviews?|review-list|customer-reviews|ratings-and-reviews|yotpo|bazaarvoice|\
     bv-reviews|jdgm|judgeme|okendo|stamped-reviews|trustpilot";

/// Buying controls and what is sold next to the product.
const PURCHASE_WORDS: &str = "price|prices|swatch|swatches|variants|variant-picker|variant-selector|\
     quantity|qty|add-to-cart|addtocart|atc|availability|stock-status|\
     carousel|upsell|cross-sell|recently-viewed|similar";

/// What a forum shows beside each post about its writer, not what they wrote: signatures,
/// member titles and ranks, post counts and join dates (the name itself is not marked so). A
/// bare `signature` is not one: some forums name the byline so ("Posted by … on …"), and in a
/// compound it names what a product offers (`digital-signature-compatible`).
const POSTER_WORDS: &str = "post-signature|message-signature|user-signature|forum-signature|\
     postsignature|signaturecontainer|usertitle|user-title|userextras|user-extras|user-stats|\
     profile-rank|profile-posts|profile-joined";

pub struct Hints {
    comments: Regex,
    reviews: Regex,
    shop: Regex,
    furniture: Regex,
    overlay: Regex,
    positive: Regex,
    negative: Regex,
    dateish: Regex,
    bylineish: Regex,
    hidden: Regex,
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
            reviews: words(REVIEW_WORDS),
            // One test of both for the many elements that are neither.
            shop: words(&format!("{REVIEW_WORDS}|{PURCHASE_WORDS}")),
            furniture: words(&format!(
                "share|sharing|social|sharedaddy|related|sidebar|widget|widgets|navbar|nav|navigation|menu|breadcrumbs?|\
                 newsletter|subscribe|subscription|signup|promo|advert|advertisement|ads|ad|\
                 sponsored|popup|modal|pagination|pager|sr-only|screen-reader-text|visually-hidden|skip-link|\
                 site-footer|footer|site-header|masthead|toolbar|outbrain|taboola|recommended|more-stories|trending|disclaimer|disclosure|disclosures|\
                 {POSTER_WORDS}"
            )),
            // Substrings, not words: consent tools name their boxes `bbccookies-prompt`,
            // `CookieConsent`, `onetrust-banner-sdk`. (A bare `cookies` is a word below: a
            // recipe post may be tagged `tag-cookies`.)
            overlay: Regex::new(
                r"(?i)consent|gdpr|onetrust|cookiebot|usercentrics|didomi|cookies?[-_]?(?:banner|notice|prompt|bar|law|popup|message|modal|overlay|wrapper|container|box)|(?:^|[\s_-])cookies?(?:$|[\s_-])",
            )
            .expect("static pattern"),
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
            // Text for screen readers only, drawn off-screen (eBay's `clipped` repeats every
            // label that way).
            hidden: words(
                "sr-only|visually-hidden|visuallyhidden|screen-reader-text|screen-reader-only|screenreader-only|clipped",
            ),
            bylineish: words(
                "author|authors|byline|by-line|author-name|byline-name|writer|contributor|post-author|entry-author",
            ),
        }
    }

    /// Weight and prune decision for a block element, from its tag, its class and id joined
    /// ([`class_and_id`]) and its `role` (empty when absent); `modal`: it has
    /// `aria-modal="true"`.
    pub fn judge(&self, tag: Tag, names: &str, role: &str, modal: bool) -> (i16, Option<Prune>) {
        if tag == Tag::Footer || role == "contentinfo" {
            return (-25, Some(Prune::Footer));
        }
        if matches!(tag, Tag::Nav | Tag::Aside)
            || matches!(
                role,
                "navigation" | "complementary" | "search" | "menu" | "menubar"
            )
        {
            return (-25, Some(Prune::Landmark));
        }
        if matches!(role, "dialog" | "alertdialog") || modal {
            return (-25, Some(Prune::Overlay));
        }
        if names.is_empty() || matches!(tag, Tag::Body | Tag::Main | Tag::Article) {
            return (self.weight(names), None);
        }
        let positive = self.positive.is_match(names);
        if self.overlay.is_match(names) && !positive {
            return (-25, Some(Prune::Overlay));
        }
        if self.comments.is_match(names) {
            return (-25, Some(Prune::Comments));
        }
        if self.furniture.is_match(names) && !positive {
            return (-25, Some(Prune::Furniture));
        }
        // Weighed as before: off a product page the kind is lifted and the element is as it was.
        if self.shop.is_match(names) {
            let kind = if self.reviews.is_match(names) {
                Prune::Reviews
            } else {
                Prune::Purchase
            };
            return (self.weight(names), Some(kind));
        }
        (self.weight(names), None)
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

    /// `names`: class and id as [`class_and_id`] joins them.
    pub fn is_dateish(&self, names: &str) -> bool {
        !names.is_empty() && self.dateish.is_match(names)
    }

    /// Whether a class attribute marks text the page does not show (screen-reader text).
    pub fn is_hidden_class(&self, class: &str) -> bool {
        !class.is_empty() && self.hidden.is_match(class)
    }

    /// `names`: class and id as [`class_and_id`] joins them.
    pub fn is_bylineish(&self, names: &str) -> bool {
        !names.is_empty() && self.bylineish.is_match(names)
    }
}

/// The class and id of an element joined by a space (camelCase kept: the patterns ignore case).
pub fn class_and_id<'a>(class: &'a str, id: &str) -> Cow<'a, str> {
    if id.is_empty() {
        Cow::Borrowed(class)
    } else {
        Cow::Owned(format!("{class} {id}"))
    }
}
