//! A shop's description that its JSON-LD states and its markup does not show.
//!
//! Many shops fill their description tab by a script from data in the page: the markup has an
//! empty panel, the `Product` node of the JSON-LD has the copy. Annotators, who saw the page
//! rendered, keep that copy as the main text; so, on a page that sells one product, a stated
//! description that reads as prose and that the main text does not already show is added to it.

use super::metadata::{collapse, words_of};

/// A stated description shorter than this is a tagline or a name, not the product's copy.
const MIN_CHARS: usize = 200;

/// Prose has a space every few words: at least one per this many characters (a URL-encoded or
/// base64 blob has none).
const MAX_CHARS_PER_SPACE: usize = 25;

/// The description is shown when this share of its words is found in the main text.
const SHOWN_SHARE: f64 = 0.5;

/// Words this short ("a", "of", "to") are in any text and prove nothing.
const MIN_WORD_CHARS: usize = 3;

/// The description, cleaned, when it should be added to `text`: it is prose of [`MIN_CHARS`]+
/// characters and under [`SHOWN_SHARE`] of its words are in `text`.
pub fn unshown(description: &str, text: &str) -> Option<String> {
    let clean = clean(description);
    let chars = clean.chars().count();
    let spaces = clean.matches(' ').count();
    if chars < MIN_CHARS || spaces * MAX_CHARS_PER_SPACE < chars {
        return None;
    }
    let mine = words_of(&clean, MIN_WORD_CHARS);
    if mine.is_empty() {
        return None;
    }
    let theirs = words_of(text, MIN_WORD_CHARS);
    let shown = mine.iter().filter(|w| theirs.contains(*w)).count();
    (shown as f64 / (mine.len() as f64) < SHOWN_SHARE).then_some(clean)
}

/// JSON-LD descriptions are text, but shops often put their HTML there: tags become spaces,
/// character references are decoded, white space is collapsed.
fn clean(description: &str) -> String {
    let mut plain = String::with_capacity(description.len());
    let mut in_tag = false;
    for c in description.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push(' ');
            }
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    collapse(&htmlize::unescape(plain.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COPY: &str = "<p>These quarter socks are engineered for comfort and designed to stand \
        out.</p><p>Higher than an ankle sock, lower than a calf sock, just right for a million \
        different shoes, styles, looks, activities &amp; lazy Sundays. One purchased, one \
        donated.</p>";

    #[test]
    fn a_description_the_page_does_not_show_is_added_clean() {
        let added = unshown(COPY, "Quarter Socks\n\n$14.00\n\nAdd to cart").unwrap();
        assert!(added.starts_with("These quarter socks are engineered"));
        assert!(added.contains("out. Higher than"));
        assert!(added.contains("activities & lazy Sundays"));
        assert!(!added.contains('<'));
    }

    #[test]
    fn a_description_already_shown_is_not_added_twice() {
        let shown = "Quarter Socks\n\nThese quarter socks are engineered for comfort and \
            designed to stand out. Higher than an ankle sock, lower than a calf sock, just right \
            for a million different shoes, styles, looks, activities & lazy Sundays.";
        assert_eq!(unshown(COPY, shown), None);
    }

    #[test]
    fn a_short_or_encoded_description_is_not_prose() {
        assert_eq!(unshown("Cotton socks for every day of the week.", ""), None);
        let encoded = "An%20elegant%20sofa%20embodying%20a%20curved%20design".repeat(5);
        assert_eq!(unshown(&encoded, ""), None);
    }
}
