//! Dates found in metadata lines ("Originally published on 22.05.2016"), to ISO 8601.

const MONTHS: &[(&str, u32)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("янв", 1),
    ("фев", 2),
    ("мар", 3),
    ("апр", 4),
    ("мая", 5),
    ("май", 5),
    ("июн", 6),
    ("июл", 7),
    ("авг", 8),
    ("сен", 9),
    ("окт", 10),
    ("ноя", 11),
    ("дек", 12),
    ("қаң", 1),
    ("ақп", 2),
    ("нау", 3),
    ("сәу", 4),
    ("мам", 5),
    ("мау", 6),
    ("шіл", 7),
    ("там", 8),
    ("қыр", 9),
    ("қаз", 10),
    ("қар", 11),
    ("жел", 12),
];

/// `2016-05-22` from `22.05.2016`, `2016-05-22`, `22 May 2016`, `May 22, 2016`, `22 мая 2016`.
/// Slashed dates are read only when unambiguous (`22/05/2016`); anything else is `None`.
pub fn to_iso(value: &str) -> Option<String> {
    let parts: Vec<&str> = value
        .split(|c: char| c.is_whitespace() || matches!(c, '.' | '-' | '/' | ','))
        .filter(|p| !p.is_empty())
        .collect();
    let (y, m, d) = match parts.as_slice() {
        [a, b, c] => ymd(a, b, c, value.contains('/'))?,
        _ => return None,
    };
    valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn ymd(a: &str, b: &str, c: &str, slashed: bool) -> Option<(u32, u32, u32)> {
    let num = |s: &str| s.parse::<u32>().ok();
    match (num(a), num(b), num(c)) {
        (Some(y), Some(m), Some(d)) if a.len() == 4 => Some((y, m, d)),
        (Some(d), Some(m), Some(y)) if c.len() == 4 && !slashed => Some((y, m, d)),
        (Some(x), Some(z), Some(y)) if c.len() == 4 => match (x > 12, z > 12) {
            (true, false) => Some((y, z, x)),
            (false, true) => Some((y, x, z)),
            // Day and month the same number: either reading gives the same date.
            (false, false) if x == z => Some((y, x, z)),
            _ => None,
        },
        (Some(d), None, Some(y)) if c.len() == 4 => Some((y, month(b)?, d)),
        (None, Some(d), Some(y)) if c.len() == 4 => Some((y, month(a)?, d)),
        _ => None,
    }
}

fn month(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    let prefix: String = lower.chars().take(3).collect();
    MONTHS.iter().find(|(m, _)| *m == prefix).map(|&(_, n)| n)
}

fn valid(y: u32, m: u32, d: u32) -> bool {
    (1000..=9999).contains(&y) && crate::stages::calendar::is_real_date(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::to_iso;

    #[test]
    fn common_forms() {
        for (s, iso) in [
            ("22.05.2016", "2016-05-22"),
            ("2016-05-22", "2016-05-22"),
            ("22 May 2016", "2016-05-22"),
            ("May 22, 2016", "2016-05-22"),
            ("September 3 2019", "2019-09-03"),
            ("22 мая 2016", "2016-05-22"),
            ("22/05/2016", "2016-05-22"),
            ("05/22/2016", "2016-05-22"),
            ("05/05/2016", "2016-05-05"),
            ("29.02.2016", "2016-02-29"),
        ] {
            assert_eq!(to_iso(s).as_deref(), Some(iso), "{s}");
        }
    }

    #[test]
    fn ambiguous_or_invalid_dates_are_none() {
        for s in [
            "05/06/2016",
            "31.04.2016",
            "29.02.2015",
            "yesterday",
            "22 Foo 2016",
            "2016",
        ] {
            assert_eq!(to_iso(s), None, "{s}");
        }
    }
}
