//! Conversion between byte offsets (used inside Slant) and code-point offsets (used in every
//! input and output, so that Python's `text[start:end]` matches).

/// How many bytes lie between two checkpoints. Every output annotation converts two offsets,
/// each scanning up to this many bytes from its checkpoint; at 256 that scan was 8% of a
/// structure run (perf, issue 9), at 64 the table is still only 1/8 of the text.
const STRIDE: usize = 64;

/// A byte ↔ code-point offset table for one text.
///
/// Pure ASCII text needs no table at all. Otherwise checkpoint `i` sits at byte `i * STRIDE`
/// rounded down to a char boundary, so finding it from a byte offset is a division, and only
/// the code-point counts are stored.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    ascii: bool,
    /// `chars[i]` is the number of code points before checkpoint `i`.
    chars: Vec<usize>,
    len_bytes: usize,
    len_chars: usize,
}

/// Code points that start in `bytes`: every byte that is not a UTF-8 continuation byte.
/// Counted sixteen bytes at a time with a byte-wide sum per chunk (it cannot overflow), which
/// the compiler turns into vector compares and sums; a `filter().count()` over the bytes took
/// five instructions per byte. Short spans (the record writer counts many under 64 bytes)
/// cost no set-up beyond the chunk loop.
pub fn count_chars(bytes: &[u8]) -> usize {
    let (chunks, rest) = bytes.as_chunks::<16>();
    let mut n = 0;
    for chunk in chunks {
        n += usize::from(chunk.iter().map(|&b| u8::from((b as i8) >= -0x40)).sum::<u8>());
    }
    n + rest.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl OffsetMap {
    pub fn new(text: &str) -> Self {
        let len_bytes = text.len();
        if text.is_ascii() {
            return OffsetMap { ascii: true, chars: Vec::new(), len_bytes, len_chars: len_bytes };
        }
        let raw = text.as_bytes();
        let mut chars = Vec::with_capacity(len_bytes / STRIDE + 1);
        let mut count = 0usize;
        let mut pos = 0usize;
        chars.push(0);
        for i in 1..=len_bytes / STRIDE {
            let next = checkpoint(text, i);
            count += count_chars(&raw[pos..next]);
            chars.push(count);
            pos = next;
        }
        count += count_chars(&raw[pos..]);
        OffsetMap { ascii: false, chars, len_bytes, len_chars: count }
    }

    /// The text's length in code points.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Code-point offset of a byte offset. A byte offset inside a multi-byte character counts
    /// the characters that start before it; offsets past the end clamp to the end.
    pub fn to_char(&self, text: &str, byte: usize) -> usize {
        let byte = byte.min(self.len_bytes);
        if self.ascii {
            return byte;
        }
        let i = byte / STRIDE;
        let start = checkpoint(text, i);
        self.chars[i] + count_chars(&text.as_bytes()[start..byte])
    }

    /// Byte offset of a code-point offset, or `None` past the end of the text.
    pub fn to_byte(&self, text: &str, ch: usize) -> Option<usize> {
        if ch > self.len_chars {
            return None;
        }
        if self.ascii {
            return Some(ch);
        }
        let i = match self.chars.binary_search(&ch) {
            Ok(i) => return Some(checkpoint(text, i)),
            Err(i) => i - 1,
        };
        let start = checkpoint(text, i);
        let rest = ch - self.chars[i];
        text[start..].char_indices().nth(rest).map(|(b, _)| start + b).or(Some(self.len_bytes))
    }
}

/// Byte position of checkpoint `i`: `i * STRIDE` rounded down to a char boundary (at most three
/// steps back, since a char is at most four bytes long).
#[inline]
fn checkpoint(text: &str, i: usize) -> usize {
    let mut p = (i * STRIDE).min(text.len());
    while !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) {
        let map = OffsetMap::new(text);
        let mut ci = 0;
        for (b, _) in text.char_indices() {
            assert_eq!(map.to_char(text, b), ci, "byte {b}");
            assert_eq!(map.to_byte(text, ci), Some(b), "char {ci}");
            ci += 1;
        }
        assert_eq!(map.to_char(text, text.len()), ci);
        assert_eq!(map.to_byte(text, ci), Some(text.len()));
        assert_eq!(map.to_byte(text, ci + 1), None);
        assert_eq!(map.len_chars(), ci);
    }

    #[test]
    fn ascii_is_identity() {
        check("plain ascii text");
        check("");
    }

    #[test]
    fn multibyte_text_round_trips() {
        check("Russia’s “clear political assessment” – ₽ 😀 Ереван");
        let long: String = "ab’c“😀”d ".repeat(500);
        check(&long);
    }

    #[test]
    fn every_byte_offset_agrees_with_a_naive_count() {
        // Mixed widths (1 to 4 bytes) so that checkpoints fall inside characters of every size.
        let text: String = "a’é😀 ₽ b".repeat(97);
        let map = OffsetMap::new(&text);
        for byte in 0..=text.len() + 3 {
            let naive = text.as_bytes()[..byte.min(text.len())].iter().filter(|&&b| (b as i8) >= -0x40).count();
            assert_eq!(map.to_char(&text, byte), naive, "byte {byte}");
        }
    }

    #[test]
    fn byte_inside_a_char_counts_chars_before_it() {
        let text = "a’b";
        let map = OffsetMap::new(text);
        assert_eq!(map.to_char(text, 2), 2);
    }
}
