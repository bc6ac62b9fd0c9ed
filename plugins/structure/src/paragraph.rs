//! Paragraphs: the text's own blocks. A blank line always separates paragraphs; so does a
//! single newline, because scraped articles put one paragraph (or a headline, a share button, a
//! byline) per line. The one exception is a hard-wrapped line: when a line stops mid-sentence
//! (it ends in a lowercase letter or a comma) and the next starts in lowercase, the two lines
//! are one paragraph.

use memchr::memchr;

use crate::scan::{char_at, char_before, skip_space, trim_end};

/// The paragraphs of `text` as byte ranges without surrounding whitespace, in order.
pub fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out: Vec<(usize, usize)> = Vec::new();
    // The paragraph being built, and whether the newline that ended its last line was followed
    // directly by the next line (no blank line between).
    let mut current: Option<(usize, usize)> = None;
    let mut single_break = false;
    let mut pos = 0;
    while pos < b.len() {
        let nl = memchr(b'\n', &b[pos..]).map_or(b.len(), |i| pos + i);
        let start = skip_space_inline(b, pos, nl);
        let end = trim_end(b, start, nl);
        if start < end {
            current = match current {
                Some((ps, pe)) if single_break && continues(text, pe, start) => Some((ps, end)),
                Some(p) => {
                    out.push(p);
                    Some((start, end))
                }
                None => Some((start, end)),
            };
            single_break = true;
        } else {
            single_break = false;
        }
        pos = nl + 1;
    }
    if let Some(p) = current {
        out.push(p);
    }
    out
}

/// Skips spaces but not past the line's end.
fn skip_space_inline(b: &[u8], i: usize, end: usize) -> usize {
    skip_space(b, i, end)
}

/// Whether the line starting at `next` continues the line ending at `prev_end` (hard wrap).
fn continues(text: &str, prev_end: usize, next: usize) -> bool {
    let last = char_before(text, prev_end);
    let first = char_at(text, next);
    matches!(last, Some(c) if c.is_lowercase() || c == ',') && first.is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        paragraphs(t).into_iter().map(|(a, b)| &t[a..b]).collect()
    }

    #[test]
    fn blank_and_single_newlines_split() {
        assert_eq!(texts("  One.\n\n Two.\nThree\r\n\n\nFour "), ["One.", "Two.", "Three", "Four"]);
    }

    #[test]
    fn hard_wrapped_lines_join() {
        assert_eq!(texts("This line wraps\nin the middle.\nNext."), ["This line wraps\nin the middle.", "Next."]);
    }

    #[test]
    fn empty_and_blank_text() {
        assert!(texts("").is_empty());
        assert!(texts(" \n\u{a0}\n").is_empty());
    }
}
