//! Cheap text units the analyzer works on: word and punctuation tokens with hashes, and
//! sentences (from the `sentence` layer, or split here when that layer is empty).

/// FNV-1a offset basis; tokens and features hash with it so no string is built per token.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Number,
    Punct,
}

/// One token: byte span, kind, and precomputed hashes of its lowercased form and suffix.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Hash of the lowercased token.
    pub lower: u64,
    /// Hash of the last three lowercased chars (the whole token if shorter).
    pub suffix: u64,
    /// A small shape class: see [`shape`].
    pub shape: u8,
}

/// Shape classes: lowercase word, Capitalized, ALLCAPS, number, punctuation, mixed.
pub const SHAPE_LOWER: u8 = 0;
pub const SHAPE_CAP: u8 = 1;
pub const SHAPE_UPPER: u8 = 2;
pub const SHAPE_NUMBER: u8 = 3;
pub const SHAPE_PUNCT: u8 = 4;
pub const SHAPE_MIXED: u8 = 5;

#[inline]
pub fn fnv_byte(h: u64, b: u8) -> u64 {
    (h ^ b as u64).wrapping_mul(FNV_PRIME)
}

/// Hash of a lowercased string, as computed for tokens.
pub fn hash_lower(s: &str) -> u64 {
    let mut h = FNV_OFFSET;
    for c in s.chars() {
        h = hash_char(h, c);
    }
    h
}

#[inline]
fn hash_char(mut h: u64, c: char) -> u64 {
    let c = normalize_char(c);
    if c.is_ascii() {
        return fnv_byte(h, c.to_ascii_lowercase() as u8);
    }
    for l in c.to_lowercase() {
        let mut buf = [0u8; 4];
        for b in l.encode_utf8(&mut buf).bytes() {
            h = fnv_byte(h, b);
        }
    }
    h
}

/// Typographic apostrophes hash like ASCII ones so "Russia’s" and "Russia's" share features.
#[inline]
fn normalize_char(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
        '\u{2010}' | '\u{2011}' => '-',
        _ => c,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '-' | '\u{2010}' | '\u{2011}')
}

/// Splits `text[from..to]` into tokens (byte offsets into `text`).
pub fn tokenize_into(text: &str, from: usize, to: usize, out: &mut Vec<Token>) {
    let slice = &text[from..to];
    let mut it = slice.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        let start = from + i;
        if is_word_char(c) {
            let mut end = start + c.len_utf8();
            let mut n_chars = 1usize;
            let mut upper = c.is_uppercase() as usize;
            let mut lower = c.is_lowercase() as usize;
            let mut digits = c.is_numeric() as usize;
            let first_upper = c.is_uppercase();
            let mut h = hash_char(FNV_OFFSET, c);
            // The last three chars, to hash the suffix at the end.
            let mut tail: [char; 3] = ['\0', '\0', c];
            while let Some(&(j, d)) = it.peek() {
                if is_word_char(d) {
                    it.next();
                } else if is_joiner(d) {
                    // Join "don't", "pro-Western" but not a trailing apostrophe or dash.
                    let next_is_word = slice[j + d.len_utf8()..].chars().next().is_some_and(is_word_char);
                    if !next_is_word {
                        break;
                    }
                    it.next();
                } else {
                    break;
                }
                end = from + j + d.len_utf8();
                n_chars += 1;
                upper += d.is_uppercase() as usize;
                lower += d.is_lowercase() as usize;
                digits += d.is_numeric() as usize;
                h = hash_char(h, d);
                tail = [tail[1], tail[2], d];
            }
            let mut sh = FNV_OFFSET ^ 0x5f;
            for &t in tail.iter().filter(|t| **t != '\0') {
                sh = hash_char(sh, t);
            }
            let (kind, shape) = if digits == n_chars || (digits > 0 && upper + lower == 0) {
                (Kind::Number, SHAPE_NUMBER)
            } else if upper == 0 {
                (Kind::Word, SHAPE_LOWER)
            } else if lower == 0 && n_chars > 1 {
                (Kind::Word, SHAPE_UPPER)
            } else if first_upper && upper == 1 {
                (Kind::Word, SHAPE_CAP)
            } else {
                (Kind::Word, SHAPE_MIXED)
            };
            out.push(Token { start, end, kind, lower: h, suffix: sh, shape });
        } else {
            let end = start + c.len_utf8();
            let h = hash_char(FNV_OFFSET, c);
            out.push(Token { start, end, kind: Kind::Punct, lower: h, suffix: h, shape: SHAPE_PUNCT });
        }
    }
}

/// Words that carry no persuasion on their own (lowercase).
pub const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are",
    "was", "were", "be", "been", "being", "it", "its", "it's", "this", "that", "these", "those", "he", "she", "they",
    "them", "his", "her", "their", "we", "our", "you", "your", "i", "me", "my", "us", "not", "no", "so", "if", "then",
    "than", "there", "here", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "has", "have",
    "had", "do", "does", "did", "will", "would", "can", "could", "should", "may", "might", "must", "also", "just",
    "about", "around", "into", "over", "after", "before", "up", "down", "out", "all", "some", "any", "more", "most",
    "very", "said", "says", "one", "two", "s", "mr", "mrs", "ms",
];

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "sen", "rep", "gen", "gov", "col", "lt", "sgt", "jr", "sr", "vs", "inc",
    "co", "corp", "ltd", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "u.s", "e.g", "i.e",
    "etc", "rev", "fr", "pres",
];

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']' | '\u{bb}')
}

/// Splits text into sentences (byte spans) on line breaks and on `.`, `!`, `?` followed by
/// space and a capital, digit or opening quote. Used only when no `sentence` layer exists.
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0usize;
    let mut i = 0usize;
    let push = |out: &mut Vec<(usize, usize)>, s: usize, e: usize| {
        let seg = &text[s..e];
        let trimmed_start = s + (seg.len() - seg.trim_start().len());
        let trimmed_end = e - (seg.len() - seg.trim_end().len());
        if trimmed_end > trimmed_start {
            out.push((trimmed_start, trimmed_end));
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            push(&mut out, start, i);
            start = i + 1;
            i += 1;
            continue;
        }
        if matches!(b, b'.' | b'!' | b'?') {
            // Swallow runs of terminators and closing quotes/brackets.
            let mut j = i + 1;
            while j < bytes.len() {
                let Some(c) = text[j..].chars().next() else { break };
                if matches!(c, '.' | '!' | '?') || is_closing(c) {
                    j += c.len_utf8();
                } else {
                    break;
                }
            }
            let after = &text[j..];
            let ws = after.len() - after.trim_start_matches([' ', '\t']).len();
            let next = after[ws..].chars().next();
            let boundary = ws > 0
                && next.is_some_and(|c| {
                    c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '\u{201c}' | '\'' | '\u{2018}' | '(')
                })
                && !(b == b'.' && ends_with_abbreviation(&text[start..i]));
            if boundary || next.is_none() || next == Some('\n') {
                push(&mut out, start, j);
                start = j;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    push(&mut out, start, bytes.len());
    out
}

fn ends_with_abbreviation(before: &str) -> bool {
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '.')
        .last()
        .map_or(before.len(), |(i, _)| i);
    let word = &before[start..];
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return true;
        }
    }
    word.len() <= 5 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_join_apostrophes_and_hyphens_and_hash_case_insensitively() {
        let text = "Russia’s pro-Western NATO, 2018 don't";
        let mut toks = Vec::new();
        tokenize_into(text, 0, text.len(), &mut toks);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, vec!["Russia’s", "pro-Western", "NATO", ",", "2018", "don't"]);
        assert_eq!(toks[0].lower, hash_lower("russia's"));
        assert_eq!(toks[2].shape, SHAPE_UPPER);
        assert_eq!(toks[1].shape, SHAPE_MIXED);
        assert_eq!(toks[4].kind, Kind::Number);
    }

    #[test]
    fn sentences_split_on_terminators_and_lines_but_not_abbreviations() {
        let text = "Mr. Smith left. Did he? “Yes.” He did!\nNew line";
        let s: Vec<&str> = split_sentences(text).into_iter().map(|(a, b)| &text[a..b]).collect();
        assert_eq!(s, vec!["Mr. Smith left.", "Did he?", "“Yes.”", "He did!", "New line"]);
    }
}
