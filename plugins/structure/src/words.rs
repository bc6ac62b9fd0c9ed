//! Counting the words of a text (for `summary.document.words`), 64 bytes at a time: each
//! block becomes two bit masks (word bytes, joiner bytes), and a few word operations find
//! where words start, instead of stepping a state machine byte by byte.

const WORD: u8 = 0;
const SEPARATOR: u8 = 1;
/// Continuation bytes and joiners (' -) neither start nor end a word.
const INSIDE: u8 = 2;

/// How a byte counts for words: ASCII letters and digits and the lead bytes of non-ASCII
/// characters are word bytes, except `0xE2` (U+2000..U+2FFF: dashes, curly quotes, ellipsis,
/// symbols), which separates like ASCII punctuation and whitespace.
const BYTE_CLASS: [u8; 256] = {
    let mut t = [SEPARATOR; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_alphanumeric() || (b >= 0xC0 && b != 0xE2) {
            WORD
        } else if (b >= 0x80 && b < 0xC0) || b == b'\'' || b == b'-' {
            INSIDE
        } else {
            SEPARATOR
        };
        i += 1;
    }
    t
};

/// The number of words of `bytes`: a word starts at a word byte that does not follow a
/// word byte or a joiner that follows one (so "don't", "well-known" and "café" are one word
/// each, and a leading `'` or `-` starts none).
pub fn count(bytes: &[u8]) -> usize {
    let (whole, rest) = bytes.as_chunks::<64>();
    let mut words = 0;
    // Whether the byte before the block is inside a word.
    let mut carry = 0u64;
    let mut step = |(word, inside): (u64, u64)| {
        let either = word | inside;
        // The starts of runs of word and joiner bytes (a run that goes on from a word in the
        // block before does not start here).
        let start = either & !((either << 1) | carry);
        // Joiners at the head of a run, before its first word byte, are not inside a word:
        // adding the run's start to the joiners carries through exactly those bytes.
        let head = inside & !inside.wrapping_add(start & inside);
        let in_word = either & !head;
        words += (word & !((in_word << 1) | carry)).count_ones() as usize;
        carry = in_word >> 63;
    };
    for block in whole {
        step(masks(block));
    }
    // The last, partial block is padded with spaces, which separate.
    let mut tail = [b' '; 64];
    tail[..rest.len()].copy_from_slice(rest);
    step(masks(&tail));
    words
}

/// The word and joiner masks of a block (bit `i`: byte `i`), sixteen bytes per SSE2
/// instruction (SSE2 is part of x86-64).
#[cfg(target_arch = "x86_64")]
fn masks(c: &[u8; 64]) -> (u64, u64) {
    use std::arch::x86_64::*;
    let (mut word, mut inside) = (0u64, 0u64);
    for k in 0..4 {
        // SAFETY: SSE2 is part of the x86-64 baseline, so its instructions exist on every
        // machine this code runs on; the sixteen bytes loaded at `16 * k` lie inside the
        // 64-byte array.
        unsafe {
            let v = _mm_loadu_si128(c.as_ptr().add(16 * k).cast());
            let set = |x: u8| _mm_set1_epi8(x as i8);
            // Signed comparisons: ASCII bytes are 0 to 127, lead bytes (0xC0 to 0xFF) -64 to
            // -1 and continuation bytes (0x80 to 0xBF) -128 to -65.
            let range = |lo: u8, hi: u8| {
                _mm_and_si128(_mm_cmpgt_epi8(v, set(lo.wrapping_sub(1))), _mm_cmplt_epi8(v, set(hi.wrapping_add(1))))
            };
            let alnum = _mm_or_si128(_mm_or_si128(range(b'0', b'9'), range(b'A', b'Z')), range(b'a', b'z'));
            let lead = _mm_andnot_si128(
                _mm_cmpeq_epi8(v, set(0xe2)),
                _mm_and_si128(_mm_cmpgt_epi8(v, set(0xbf)), _mm_cmplt_epi8(v, set(0))),
            );
            let continuation = _mm_cmplt_epi8(v, set(0xc0));
            let joiner = _mm_or_si128(_mm_cmpeq_epi8(v, set(b'\'')), _mm_cmpeq_epi8(v, set(b'-')));
            word |= (_mm_movemask_epi8(_mm_or_si128(alnum, lead)) as u16 as u64) << (16 * k);
            inside |= (_mm_movemask_epi8(_mm_or_si128(continuation, joiner)) as u16 as u64) << (16 * k);
        }
    }
    (word, inside)
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(c: &[u8; 64]) -> (u64, u64) {
    masks_scalar(c)
}

/// [`masks`] one byte at a time: the reference the SSE2 version is tested against, and the
/// version other architectures use.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks_scalar(c: &[u8; 64]) -> (u64, u64) {
    let (mut word, mut inside) = (0u64, 0u64);
    for (i, &b) in c.iter().enumerate() {
        word |= u64::from(BYTE_CLASS[b as usize] == WORD) << i;
        inside |= u64::from(BYTE_CLASS[b as usize] == INSIDE) << i;
    }
    (word, inside)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-by-byte state machine [`count`] replaces.
    fn count_bytewise(bytes: &[u8]) -> usize {
        let (mut words, mut in_word) = (0, false);
        for &b in bytes {
            let class = BYTE_CLASS[b as usize];
            words += usize::from(class == WORD && !in_word);
            in_word = class == WORD || (class == INSIDE && in_word);
        }
        words
    }

    #[test]
    fn words_are_counted_as_the_bytewise_state_machine_counts_them() {
        for (text, want) in [
            ("", 0),
            ("one", 1),
            ("don't stop - well-known café", 4),
            ("'quoted' --dash-- x", 3),
            ("a\u{2014}b \u{2019}c", 3),
        ] {
            assert_eq!(count(text.as_bytes()), want, "{text:?}");
        }
        // Pseudo-random texts of joiners, separators, ASCII and non-ASCII letters, of every
        // length across several blocks, so that runs cross block boundaries.
        let alphabet: &[u8] = b"ab' -\xc3\xa9\xe2\x80\x99. x'-''--\xc0\xbf\xff\x7f\x00Z09:@[`{";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in 0..400 {
            for _ in 0..8 {
                let text: Vec<u8> = (0..len)
                    .map(|_| alphabet[(crate::next_random(&mut state) % alphabet.len() as u64) as usize])
                    .collect();
                assert_eq!(count(&text), count_bytewise(&text), "{:?}", String::from_utf8_lossy(&text));
            }
        }
    }

    #[test]
    fn simd_masks_equal_the_scalar_reference() {
        for v in 0..=255u8 {
            let mut c = [b'a'; 64];
            for (i, x) in c.iter_mut().enumerate() {
                if i % 3 == 0 {
                    *x = v;
                }
            }
            assert_eq!(masks(&c), masks_scalar(&c), "byte {v:#04x}");
        }
    }
}
