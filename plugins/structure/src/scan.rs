//! Byte-level helpers shared by the scanners: whitespace, quote marks and word shapes, all
//! decided from a few bytes at a position so that every pass stays linear and allocation-free.

/// Length in bytes of the whitespace character at `i`, or 0 if there is none. Covers ASCII
/// whitespace, the no-break space and the Unicode spaces scraped text carries.
#[inline]
pub fn space_len(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) => 1,
        Some(0xC2) if b.get(i + 1) == Some(&0xA0) => 2,
        Some(0xE2) => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) => 3,
            (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        Some(0xE3) if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80) => 3,
        _ => 0,
    }
}

/// Length in bytes of the whitespace character that ends at `i` (not reaching below `start`),
/// or 0. An ASCII byte can only end an ASCII space, and a multi-byte space ends in a
/// continuation byte, so the common ASCII case needs one comparison.
#[inline]
fn space_len_before(b: &[u8], start: usize, i: usize) -> usize {
    let last = b[i - 1];
    if last < 0x80 {
        return usize::from(matches!(last, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c));
    }
    (2..=3.min(i - start)).find(|&l| space_len(b, i - l) == l).unwrap_or(0)
}

/// Skips whitespace forward from `i` (bounded by `end`).
#[inline]
pub fn skip_space(b: &[u8], mut i: usize, end: usize) -> usize {
    while i < end {
        let l = space_len(b, i);
        if l == 0 {
            break;
        }
        i += l;
    }
    i
}

/// Moves `end` back over trailing whitespace, not below `start`.
pub fn trim_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start {
        let found = space_len_before(b, start, end);
        if found == 0 {
            break;
        }
        end -= found;
    }
    end
}

/// The character at byte `i` (which must be a char boundary of `s`).
#[inline]
pub fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|r| r.chars().next())
}

/// The character ending at byte `i`.
#[inline]
pub fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i).and_then(|r| r.chars().next_back())
}

/// Opening marks that may precede a sentence's first word: quotes and brackets.
#[inline]
pub fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '«' | '„' | '‹' | '¿' | '¡')
}

/// Closing marks that may follow a sentence's final punctuation.
#[inline]
pub fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | '›' | '*')
}

/// Whether a token starts with an uppercase letter.
#[inline]
pub fn is_capitalized(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_uppercase)
}

/// Iterates the whitespace-separated tokens of `s[start..end]` backwards, yielding byte ranges.
/// Stops after `max` tokens so that callers looking at a few words before a position stay
/// bounded on any input.
pub fn tokens_back(s: &str, start: usize, end: usize, max: usize) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(max.min(16));
    let mut i = end;
    while out.len() < max && i > start {
        // Skip whitespace backwards.
        while i > start {
            let l = space_len_before(b, start, i);
            if l == 0 {
                break;
            }
            i -= l;
        }
        if i <= start {
            break;
        }
        let tok_end = i;
        while i > start {
            if space_len_before(b, start, i) > 0 {
                break;
            }
            i -= 1;
            while i > start && !s.is_char_boundary(i) {
                i -= 1;
            }
            if tok_end - i > 64 {
                // An overlong token is no word: stop here rather than walk a whole line back.
                return out;
            }
        }
        out.push((i, tok_end));
    }
    out
}

/// Iterates the whitespace-separated tokens of `s[start..end]` forwards, at most `max`.
pub fn tokens_fwd(s: &str, start: usize, end: usize, max: usize) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(max.min(16));
    let mut i = start;
    while out.len() < max {
        i = skip_space(b, i, end);
        if i >= end {
            break;
        }
        let tok_start = i;
        while i < end && space_len(b, i) == 0 {
            i += 1;
            if i - tok_start > 64 {
                return out;
            }
        }
        out.push((tok_start, i));
    }
    out
}

/// Strips opening and closing marks and trailing commas, colons and periods from a token.
pub fn core_of(s: &str, start: usize, end: usize) -> (usize, usize) {
    let mut a = start;
    let mut z = end;
    while let Some(c) = char_at(s, a).filter(|_| a < z) {
        if is_opener(c) {
            a += c.len_utf8();
        } else {
            break;
        }
    }
    while let Some(c) = char_before(s, z).filter(|_| z > a) {
        if is_closer(c) || matches!(c, ',' | ':' | ';' | '.' | '?' | '!' | '—' | '–') {
            z -= c.len_utf8();
        } else {
            break;
        }
    }
    (a, z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_and_trims() {
        let s = "a\u{a0} b\u{2009} ";
        assert_eq!(space_len(s.as_bytes(), 1), 2);
        assert_eq!(trim_end(s.as_bytes(), 0, s.len()), 5);
    }

    #[test]
    fn tokens_both_ways() {
        let s = "one two  three";
        let back: Vec<&str> = tokens_back(s, 0, s.len(), 2).iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(back, ["three", "two"]);
        let fwd: Vec<&str> = tokens_fwd(s, 0, s.len(), 5).iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(fwd, ["one", "two", "three"]);
        let (a, b) = core_of("“Hi,”", 0, "“Hi,”".len());
        assert_eq!(&"“Hi,”"[a..b], "Hi");
    }
}
