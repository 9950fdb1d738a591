//! A bounded sample of a text, spread over its paragraphs, so a long document costs no more to
//! detect than `budget` bytes and a language that only starts on page two is still seen.

/// Pieces of `text` (whole paragraphs where they fit) totalling at most `budget` bytes, taken at
/// even strides through the paragraphs; the whole text when it fits.
pub fn spread(text: &str, budget: usize) -> Vec<&str> {
    if text.len() <= budget {
        return vec![text];
    }
    let paragraphs: Vec<&str> = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    let stride = text.len().div_ceil(budget).max(1);
    let mut left = budget;
    let mut pieces = Vec::new();
    // Several passes with shifted starts, so budget left by short paragraphs is still used.
    for start in 0..stride {
        for paragraph in paragraphs.iter().skip(start).step_by(stride) {
            if left == 0 {
                return pieces;
            }
            let piece = prefix(paragraph, left);
            left -= piece.len();
            if !piece.is_empty() {
                pieces.push(piece);
            }
        }
    }
    pieces
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_text_is_its_own_sample() {
        assert_eq!(spread("a\n\nb", 100), vec!["a\n\nb"]);
    }

    #[test]
    fn a_long_text_is_sampled_from_beginning_to_end_within_budget() {
        let paragraphs: Vec<String> = (0..100)
            .map(|i| format!("paragraph {i:03} ").repeat(5))
            .collect();
        let text = paragraphs.join("\n\n");
        let pieces = spread(&text, 2000);
        let total: usize = pieces.iter().map(|p| p.len()).sum();
        assert!(total <= 2000 && total > 1500, "{total}");
        assert!(pieces[0].starts_with("paragraph 000"));
        assert!(
            pieces.iter().any(|p| p.starts_with("paragraph 09")),
            "{pieces:?}"
        );
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        let text = "қазақ ".repeat(1000);
        let pieces = spread(&text, 101);
        assert!(pieces.iter().map(|p| p.len()).sum::<usize>() <= 101);
    }
}
