//! Byte-level helpers shared by the stages' ASCII fast paths.

/// The position of the first non-ASCII byte of `bytes` at or after `from`, if any. Reads 16
/// bytes at a time (a loop the compiler vectorises) before looking byte by byte.
pub fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from.min(bytes.len());
    while let Some(chunk) = bytes.get(i..i + 16)
        && chunk.iter().fold(0u8, |a, &b| a | b) < 0x80
    {
        i += 16;
    }
    bytes[i..].iter().position(|b| !b.is_ascii()).map(|p| i + p)
}

/// Whether `b` is an ASCII letter: `u8::is_ascii_alphabetic` as one compare, without a branch,
/// for the loops that test every byte.
#[inline]
pub fn is_letter(b: u8) -> bool {
    (b | 0x20).wrapping_sub(b'a') < 26
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_letter_is_is_ascii_alphabetic() {
        for b in 0..=255u8 {
            assert_eq!(is_letter(b), b.is_ascii_alphabetic(), "{b:#x}");
        }
    }

    #[test]
    fn finds_the_first_non_ascii_byte_from_a_position() {
        let text = format!("{}é{}ж", "a".repeat(40), "b".repeat(3));
        let b = text.as_bytes();
        assert_eq!(next_non_ascii(b, 0), Some(40));
        assert_eq!(next_non_ascii(b, 41), Some(41));
        assert_eq!(next_non_ascii(b, 42), Some(45));
        assert_eq!(next_non_ascii(b, 47), None);
        assert_eq!(next_non_ascii(b"", 0), None);
        assert_eq!(next_non_ascii(b"abc", 9), None);
    }
}
