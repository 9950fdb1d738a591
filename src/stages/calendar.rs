//! The Gregorian calendar, for the stages that read dates: the extract stage's metadata and the
//! clean stage's metadata lines.

/// Whether day `d` of month `m` of year `y` exists (February 29 only in leap years).
pub fn is_real_date(y: u32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::is_real_date;

    #[test]
    fn months_and_leap_years() {
        assert!(is_real_date(2024, 2, 29) && is_real_date(2000, 2, 29));
        assert!(!is_real_date(2023, 2, 29) && !is_real_date(2100, 2, 29));
        assert!(is_real_date(2025, 12, 31) && !is_real_date(2025, 11, 31));
        assert!(!is_real_date(2025, 0, 1) && !is_real_date(2025, 13, 1));
        assert!(!is_real_date(2025, 1, 0));
    }
}
