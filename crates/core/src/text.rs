//! Conversion between byte offsets (used inside Slant) and code-point offsets (used in every
//! input and output, so that Python's `text[start:end]` matches).

/// How many bytes lie between two checkpoints. Small enough that a conversion scans little,
/// large enough that the table stays a small fraction of the text.
const STRIDE: usize = 256;

/// A byte ↔ code-point offset table for one text.
///
/// Pure ASCII text needs no table at all; otherwise a checkpoint every [`STRIDE`] bytes keeps
/// each conversion O(STRIDE) and the table at 1/64 of the text size.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    ascii: bool,
    /// `checkpoints[i]` is the number of code points in `text[..i * STRIDE']`, where
    /// `i * STRIDE'` is rounded down to a char boundary (stored in `bytes`).
    bytes: Vec<usize>,
    chars: Vec<usize>,
    len_bytes: usize,
    len_chars: usize,
}

impl OffsetMap {
    pub fn new(text: &str) -> Self {
        let len_bytes = text.len();
        if text.is_ascii() {
            return OffsetMap { ascii: true, bytes: Vec::new(), chars: Vec::new(), len_bytes, len_chars: len_bytes };
        }
        let mut bytes = Vec::with_capacity(len_bytes / STRIDE + 2);
        let mut chars = Vec::with_capacity(len_bytes / STRIDE + 2);
        let raw = text.as_bytes();
        let mut count = 0usize;
        let mut pos = 0usize;
        bytes.push(0);
        chars.push(0);
        while pos < len_bytes {
            let mut next = (pos + STRIDE).min(len_bytes);
            while !text.is_char_boundary(next) {
                next -= 1;
            }
            if next == pos {
                // A stride shorter than one char cannot happen with STRIDE >= 4, but stay safe.
                next = pos + 1;
                while !text.is_char_boundary(next) {
                    next += 1;
                }
            }
            count += raw[pos..next].iter().filter(|&&b| (b as i8) >= -0x40).count();
            pos = next;
            bytes.push(pos);
            chars.push(count);
        }
        OffsetMap { ascii: false, bytes, chars, len_bytes, len_chars: count }
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
        let i = match self.bytes.binary_search(&byte) {
            Ok(i) => return self.chars[i],
            Err(i) => i - 1,
        };
        let start = self.bytes[i];
        self.chars[i] + text.as_bytes()[start..byte].iter().filter(|&&b| (b as i8) >= -0x40).count()
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
            Ok(i) => return Some(self.bytes[i]),
            Err(i) => i - 1,
        };
        let start = self.bytes[i];
        let rest = ch - self.chars[i];
        text[start..].char_indices().nth(rest).map(|(b, _)| start + b).or(Some(self.len_bytes))
    }
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
    fn byte_inside_a_char_counts_chars_before_it() {
        let text = "a’b";
        let map = OffsetMap::new(text);
        assert_eq!(map.to_char(text, 2), 2);
    }
}
