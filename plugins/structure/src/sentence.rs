//! Sentences inside one paragraph, in a single forward pass over the bytes.
//!
//! A candidate boundary is a run of `.`, `?`, `!` or `…`, followed by closing quotes or
//! brackets, then whitespace. Whether it is a boundary depends on what comes next (a lowercase
//! word never starts a sentence) and, for a single period, on the token before it
//! ([`crate::abbrev`]): titles (Dr.), numbers' companions (No. 5), initials and dotted acronyms
//! (J. R. R., U.S.) are read as abbreviations unless a typical sentence opener follows.
//! Decimals (3.5) and inner dots (U.S.-led) have no whitespace after the period and are never
//! candidates. Work per candidate is bounded, so the pass is linear in the paragraph's length.

use crate::abbrev::{classify, opens_sentence, TokenKind};
use crate::scan::{char_at, char_before, is_closer, is_opener, skip_space, space_len, trim_end};

/// Longest token looked at before a period; anything longer is an ordinary word.
const MAX_TOKEN: usize = 40;

/// Bytes that may begin a terminator: `.`, `?`, `!`, and the lead bytes of `…` and `。`.
const TERMINATOR_LEAD: [bool; 256] = {
    let mut t = [false; 256];
    t[b'.' as usize] = true;
    t[b'?' as usize] = true;
    t[b'!' as usize] = true;
    t[0xE2] = true;
    t[0xE3] = true;
    t
};

/// The position of the first byte of `b[i..end]` that may begin a terminator, or `end`:
/// sixteen bytes per step where SSE2 is available (it is part of x86-64), the table above
/// for the rest.
#[inline]
fn next_lead(b: &[u8], mut i: usize, end: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        let end16 = end.min(b.len()).saturating_sub(15);
        while i < end16 {
            // SAFETY: SSE2 is part of the x86-64 baseline; the sixteen bytes at `i` end
            // before `end16 + 15 <= b.len()`.
            let found = unsafe {
                let v = _mm_loadu_si128(b.as_ptr().add(i).cast());
                let eq = |x: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(x as i8));
                let punct = _mm_or_si128(_mm_or_si128(eq(b'.'), eq(b'?')), eq(b'!'));
                _mm_movemask_epi8(_mm_or_si128(punct, _mm_or_si128(eq(0xe2), eq(0xe3))))
            };
            if found != 0 {
                return i + found.trailing_zeros() as usize;
            }
            i += 16;
        }
    }
    while i < end && !TERMINATOR_LEAD[b[i] as usize] {
        i += 1;
    }
    i
}

/// Appends the sentences of `text[start..end]` (one paragraph) to `out`, as byte ranges
/// without surrounding whitespace.
pub fn sentences(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    let mut sent_start = skip_space(b, start, end);
    let mut i = sent_start;
    while i < end {
        // Jump to the next byte that may start a terminator.
        i = next_lead(b, i, end);
        if i >= end {
            break;
        }
        let run_start = i;
        let mut dots = 0usize;
        let mut strong = false;
        let mut ellipsis = false;
        loop {
            match b.get(i) {
                Some(b'.') if i < end => {
                    dots += 1;
                    i += 1;
                }
                Some(b'?' | b'!') if i < end => {
                    strong = true;
                    i += 1;
                }
                // U+2026 HORIZONTAL ELLIPSIS, and the ideographic full stop U+3002.
                Some(0xE2) if i + 2 < end + 1 && b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0xA6) => {
                    ellipsis = true;
                    i += 3;
                }
                Some(0xE3) if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x82) && i < end => {
                    strong = true;
                    i += 3;
                }
                _ => break,
            }
        }
        if i == run_start {
            // Not a terminator: advance one byte (continuation bytes never match above).
            i += 1;
            continue;
        }
        if dots >= 2 {
            ellipsis = true;
        }
        // Closing quotes and brackets stay with the sentence they close.
        while i < end {
            match char_at(text, i) {
                Some(c) if is_closer(c) => i += c.len_utf8(),
                _ => break,
            }
        }
        let boundary_end = i;
        if i >= end {
            break;
        }
        if space_len(b, i) == 0 {
            continue;
        }
        let next = skip_space(b, i, end);
        if next >= end {
            break;
        }
        if is_boundary(text, sent_start, run_start, dots, strong, ellipsis, next, end) {
            out.push((sent_start, boundary_end));
            sent_start = next;
        }
        i = next;
    }
    let last_end = trim_end(b, sent_start, end);
    if sent_start < last_end {
        out.push((sent_start, last_end));
    }
}

/// Decides a candidate boundary: `run_start` is where the terminator run begins, `next` the
/// first non-space byte after it.
#[allow(clippy::too_many_arguments)]
fn is_boundary(
    text: &str,
    sent_start: usize,
    run_start: usize,
    dots: usize,
    strong: bool,
    ellipsis: bool,
    next: usize,
    end: usize,
) -> bool {
    // The next word, past opening quotes and brackets.
    let mut w = next;
    let mut opened = false;
    while w < end {
        match char_at(text, w) {
            Some(c) if is_opener(c) => {
                opened = true;
                w += c.len_utf8();
            }
            _ => break,
        }
    }
    let Some(first) = char_at(text, w) else {
        return true;
    };
    if first.is_lowercase() {
        return false;
    }
    if strong {
        return true;
    }
    if ellipsis || dots != 1 {
        // An ellipsis often marks an omission inside a sentence (or a cut-off teaser): it ends
        // the sentence only before a typical opener.
        return opened || opens_sentence(word_at(text, w, end));
    }
    let token = token_before(text, sent_start, run_start);
    match classify(token) {
        TokenKind::Word => true,
        TokenKind::Title | TokenKind::Inner => false,
        TokenKind::BeforeNumber => !first.is_ascii_digit(),
        TokenKind::Ambiguous => opened || opens_sentence(word_at(text, w, end)),
    }
}

/// The token that ends at `run_start` (the period), without opening marks or closing brackets,
/// or "" if it is longer than [`MAX_TOKEN`] or there is none.
fn token_before(text: &str, sent_start: usize, run_start: usize) -> &str {
    let mut a = run_start;
    while a > sent_start {
        match char_before(text, a) {
            Some(c) if c.is_whitespace() || is_opener(c) => break,
            Some(c) => a -= c.len_utf8(),
            None => break,
        }
        if run_start - a > MAX_TOKEN {
            return "";
        }
    }
    let mut z = run_start;
    while z > a {
        match char_before(text, z) {
            Some(c) if is_closer(c) => z -= c.len_utf8(),
            _ => break,
        }
    }
    &text[a..z]
}

/// The alphabetic word starting at `i` (at most 16 bytes).
fn word_at(text: &str, i: usize, end: usize) -> &str {
    let mut z = i;
    while z < end && z - i < 16 {
        match char_at(text, z) {
            Some(c) if c.is_alphabetic() => z += c.len_utf8(),
            _ => break,
        }
    }
    &text[i..z]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_lead_finds_the_byte_the_table_finds() {
        let alphabet: &[u8] = b"ab .?!\xe2\xe3\x80\xc3x";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in 0..100 {
            let text: Vec<u8> = (0..len)
                .map(|_| {
                    let r = crate::next_random(&mut state);
                    // Mostly letters, so that runs without a terminator cross 16-byte steps.
                    if r.is_multiple_of(8) {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    } else {
                        b'w'
                    }
                })
                .collect();
            for i in 0..=len {
                for end in i..=len {
                    let want = (i..end).find(|&k| TERMINATOR_LEAD[text[k] as usize]).unwrap_or(end);
                    assert_eq!(next_lead(&text, i, end), want, "{text:?} {i} {end}");
                }
            }
        }
    }

    fn split(t: &str) -> Vec<&str> {
        let mut out = Vec::new();
        sentences(t, 0, t.len(), &mut out);
        out.into_iter().map(|(a, b)| &t[a..b]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("Dr. Smith went to Washington. He left.", &["Dr. Smith went to Washington.", "He left."]),
            ("The U.S. Army left. The U.S. The end.", &["The U.S. Army left.", "The U.S.", "The end."]),
            ("J. R. R. Tolkien wrote it.", &["J. R. R. Tolkien wrote it."]),
            (
                "It rose 3.5 percent to 1,000.00 dollars. Then fell.",
                &["It rose 3.5 percent to 1,000.00 dollars.", "Then fell."],
            ),
            ("Wait... What? No!!! Yes?! ok", &["Wait...", "What?", "No!!!", "Yes?! ok"]),
            ("He said “no.” Then left.", &["He said “no.”", "Then left."]),
            ("It ended (finally.) Then more.", &["It ended (finally.)", "Then more."]),
            ("Sign No. 5 on Jan. 6 with Gov. Newsom.", &["Sign No. 5 on Jan. 6 with Gov. Newsom."]),
            ("Apple Inc. The firm grew.", &["Apple Inc.", "The firm grew."]),
            ("“Why?” he asked.", &["“Why?” he asked."]),
            ("Russia’s move… The end.", &["Russia’s move…", "The end."]),
            ("He cited “the law … Congress passed.” Fine.", &["He cited “the law … Congress passed.”", "Fine."]),
            ("  Padded.   ", &["Padded."]),
            ("e.g. this and i.e. that. Fine.", &["e.g. this and i.e. that.", "Fine."]),
            (
                "At 9 a.m. Tuesday it began. At 5 p.m. The end.",
                &["At 9 a.m. Tuesday it began.", "At 5 p.m.", "The end."],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(split(text), *want, "{text}");
        }
    }
}
