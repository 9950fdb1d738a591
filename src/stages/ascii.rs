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

/// `char::is_alphabetic`, with the General Punctuation block (U+2000..U+206F: the typographic
/// quotes, dashes and spaces of prose, and no letter) answered without the table search.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    !('\u{2000}'..='\u{206F}').contains(&c) && c.is_alphabetic()
}

/// 16 bytes as one SSE2 vector, for the masks below.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn sse2_vector(block: &[u8; 16]) -> std::arch::x86_64::__m128i {
    let half = |k: usize| i64::from_le_bytes(block[k..k + 8].try_into().expect("8 bytes"));
    // SAFETY: the SSE2 intrinsics need SSE2 only, which this build targets (the cfg above; every
    // x86_64 CPU has it), and they take values, not pointers.
    unsafe { std::arch::x86_64::_mm_set_epi64x(half(8), half(0)) }
}

/// Which of 16 bytes are ASCII letters, and which are not ASCII, one bit per byte (bit `k` for
/// `block[k]`): the word loops find a word's bounds from these instead of testing byte by byte.
#[inline]
pub fn letter_masks(block: &[u8; 16]) -> (u32, u32) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        use std::arch::x86_64::{
            _mm_add_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        let v = sse2_vector(block);
        // SAFETY: as in `sse2_vector`.
        unsafe {
            // Lower-cased, a..z shifted to -128..-103 as signed bytes; every other byte lands
            // higher (a byte of 0x80 or more too, as the tests check for all 256).
            let shifted = _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8(31));
            let letters = _mm_movemask_epi8(_mm_cmplt_epi8(shifted, _mm_set1_epi8(-102)));
            (letters as u32, _mm_movemask_epi8(v) as u32)
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        let mut letters = 0;
        let mut wide = 0;
        for (k, &b) in block.iter().enumerate() {
            letters |= (is_letter(b) as u32) << k;
            wide |= ((b >> 7) as u32) << k;
        }
        (letters, wide)
    }
}

/// Up to 16 bytes as a block, the rest of it `pad`: a text's last bytes read by the masks here.
#[inline]
pub fn padded_block(bytes: &[u8], pad: u8) -> [u8; 16] {
    let mut block = [pad; 16];
    let n = bytes.len().min(16);
    block[..n].copy_from_slice(&bytes[..n]);
    block
}

/// The ASCII letters of 16 bytes up to the first byte that is not ASCII, and how many bytes
/// that is (16 when all are ASCII): the letter counts read ASCII text a block at a time.
#[inline]
pub fn ascii_run_letters(block: &[u8; 16]) -> (u32, usize) {
    let (letters, wide) = letter_masks(block);
    let run = wide.trailing_zeros().min(16);
    ((letters & ((1 << run) - 1)).count_ones(), run as usize)
}

/// Which of 16 bytes a JSON string must escape (`"`, `\\` and control characters below 0x20),
/// one bit per byte as in [`letter_masks`].
#[inline]
pub fn json_escape_mask(block: &[u8; 16]) -> u32 {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        let v = sse2_vector(block);
        // SAFETY: as in `sse2_vector`.
        unsafe {
            // Unsigned `b <= 0x1F`: the maximum of b and 0x1F is 0x1F.
            let control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
            let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) as u32
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        let mut mask = 0;
        for (k, &b) in block.iter().enumerate() {
            mask |= (json_escaped(b) as u32) << k;
        }
        mask
    }
}

/// Whether a JSON string must escape byte `b`.
pub fn json_escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_escape_mask_marks_what_json_escaped_says() {
        for first in (0..=255u8).step_by(16) {
            let block: [u8; 16] = std::array::from_fn(|k| first + k as u8);
            let mask = json_escape_mask(&block);
            for (k, &b) in block.iter().enumerate() {
                assert_eq!(mask >> k & 1 == 1, json_escaped(b), "{b:#x}");
            }
        }
    }

    #[test]
    fn letter_masks_mark_what_is_letter_and_is_ascii_say() {
        for first in (0..=255u8).step_by(16) {
            let block: [u8; 16] = std::array::from_fn(|k| first + k as u8);
            let (letters, wide) = letter_masks(&block);
            for (k, &b) in block.iter().enumerate() {
                assert_eq!(letters >> k & 1 == 1, is_letter(b), "{b:#x}");
                assert_eq!(wide >> k & 1 == 1, !b.is_ascii(), "{b:#x}");
            }
        }
    }

    #[test]
    fn an_ascii_run_counts_its_letters_up_to_the_first_wide_byte() {
        let block = |s: &str| -> [u8; 16] { s.as_bytes().try_into().unwrap() };
        assert_eq!(ascii_run_letters(&block("ab, cd 12 efgh!?")), (8, 16));
        assert_eq!(ascii_run_letters(&block("ab cé de fghijk")), (3, 4));
        assert_eq!(ascii_run_letters(&block("ébc de fghijklm")), (0, 0));
    }

    #[test]
    fn a_padded_block_holds_the_bytes_then_the_pad() {
        assert_eq!(&padded_block(b"ab", b'z')[..4], b"abzz");
        assert_eq!(padded_block(&[b'x'; 20], b'z'), [b'x'; 16]);
    }

    #[test]
    fn general_punctuation_holds_no_letter() {
        for c in '\u{2000}'..='\u{206F}' {
            assert!(!c.is_alphabetic(), "{c:?}");
        }
        assert!(is_alphabetic('é') && is_alphabetic('ж') && !is_alphabetic('’'));
    }

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
