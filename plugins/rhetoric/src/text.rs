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

/// What an ASCII byte is to the tokenizer: bit 0 word char, bit 1 upper, bit 2 lower,
/// bit 3 digit, bit 4 whitespace (as `char::is_whitespace`), bit 5 joiner.
const ASCII_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            1 | 2
        } else if c.is_ascii_lowercase() {
            1 | 4
        } else if c.is_ascii_digit() {
            1 | 8
        } else if matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            16
        } else if matches!(c, b'\'' | b'-') {
            32
        } else {
            0
        };
        b += 1;
    }
    t
};
const WORD: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 4;
const DIGIT: u8 = 8;
const SPACE: u8 = 16;
const JOINER: u8 = 32;

/// The tokenizer's class bits of a char (see [`ASCII_CLASS`]).
#[inline]
fn class_of(c: char) -> u8 {
    if c.is_ascii() {
        return ASCII_CLASS[c as usize];
    }
    // General Punctuation (U+2000 to U+206F: dashes, curly quotes, ellipsis, typographic
    // spaces), the most common non-ASCII chars of news text, holds no letter or digit:
    // its chars are spaces, joiners or punctuation, told without the Unicode tables.
    if ('\u{2000}'..='\u{206f}').contains(&c) {
        return match c {
            '\u{2000}'..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' => SPACE,
            '\u{2010}' | '\u{2011}' | '\u{2019}' => JOINER,
            _ => 0,
        };
    }
    class_of_any(c)
}

/// [`class_of`] of any char, from the Unicode tables.
fn class_of_any(c: char) -> u8 {
    if c.is_ascii() {
        return ASCII_CLASS[c as usize];
    }
    if c.is_whitespace() {
        return SPACE;
    }
    if is_joiner(c) {
        return JOINER;
    }
    if !is_word_char(c) {
        return 0;
    }
    WORD | if c.is_uppercase() { UPPER } else { 0 }
        | if c.is_lowercase() { LOWER } else { 0 }
        | if c.is_numeric() { DIGIT } else { 0 }
}

/// The char starting at byte `j` of `s` and its class, ASCII without decoding.
#[inline(always)]
fn char_at(s: &str, j: usize) -> (char, usize, u8) {
    let b = s.as_bytes()[j];
    if b < 0x80 {
        return (b as char, 1, ASCII_CLASS[b as usize]);
    }
    let c = s[j..].chars().next().unwrap_or('\0');
    (c, c.len_utf8(), class_of(c))
}

/// Splits `text[from..to]` into tokens (byte offsets into `text`).
///
/// A word is a run of alphanumeric chars, joined across an apostrophe or hyphen that has a
/// word char on both sides ("don't", "pro-Western"); any other char that is not whitespace
/// is a token of its own. ASCII, most of any English text, is classified by table lookup.
pub fn tokenize_into(text: &str, from: usize, to: usize, out: &mut Vec<Token>) {
    let slice = &text[from..to];
    let n = slice.len();
    let mut i = 0;
    while i < n {
        let (c, len, class) = char_at(slice, i);
        if class & SPACE != 0 {
            i += len;
            continue;
        }
        let start = from + i;
        if class & WORD == 0 {
            // An ASCII char that is no word char is no letter: it hashes as it is.
            let h = if c.is_ascii() { fnv_byte(FNV_OFFSET, c as u8) } else { hash_char(FNV_OFFSET, c) };
            out.push(Token { start, end: start + len, kind: Kind::Punct, lower: h, suffix: h, shape: SHAPE_PUNCT });
            i += len;
            continue;
        }
        // The class bits of the word's chars ORed and ANDed, and its number of capitals:
        // all that its shape needs (see `shape_from_classes`).
        let first_upper = class & UPPER != 0;
        let (mut any, mut all, mut upper) = (class, class, first_upper as usize);
        let mut h =
            if c.is_ascii() { fnv_byte(FNV_OFFSET, (c as u8).to_ascii_lowercase()) } else { hash_char(FNV_OFFSET, c) };
        let mut j = i + len;
        let bytes = slice.as_bytes();
        // The bytes after the first char that are not ASCII lowercase letters: the rest are,
        // and their class bits are ORed and ANDed in once, after the loop (the same result in
        // any order), so that their loop does nothing but hash.
        let mut other = 0usize;
        loop {
            // Runs of ASCII lowercase letters, most of the bytes of any word: the hash only.
            while j < n && bytes[j].wrapping_sub(b'a') < 26 {
                h = fnv_byte(h, bytes[j]);
                j += 1;
            }
            if j >= n {
                break;
            }
            let b = bytes[j];
            // A space, which ends most words, first: one test.
            if b == b' ' {
                break;
            }
            if b < 0x80 {
                let cl = ASCII_CLASS[b as usize];
                if cl & WORD != 0 {
                    any |= cl;
                    all &= cl;
                    upper += (cl & UPPER != 0) as usize;
                    // An ASCII capital lowercases by setting bit 0x20 (UPPER << 4).
                    h = fnv_byte(h, b | ((cl & UPPER) << 4));
                    other += 1;
                    j += 1;
                    continue;
                }
                // Spaces and punctuation other than the joiners end the word at once.
                if cl & JOINER == 0 {
                    break;
                }
            }
            let (d, dlen, dclass) = char_at(slice, j);
            if dclass & WORD == 0 {
                // Join "don't", "pro-Western" but not a trailing apostrophe or dash.
                if dclass & JOINER == 0 || j + dlen >= n || char_at(slice, j + dlen).2 & WORD == 0 {
                    break;
                }
            }
            any |= dclass;
            all &= dclass;
            upper += (dclass & UPPER != 0) as usize;
            h = if d.is_ascii() { fnv_byte(h, (d as u8).to_ascii_lowercase()) } else { hash_char(h, d) };
            other += dlen;
            j += dlen;
        }
        let after_first = j - i - len;
        let end = from + j;
        // The suffix: the last three chars (the whole word if shorter), and the shape.
        let mut sh = FNV_OFFSET ^ 0x5f;
        let (kind, shape);
        if other == 0 && len == 1 {
            // An ASCII first char and ASCII lowercase letters after it (most words): the
            // last three bytes are the last three chars, and only the first char may need
            // lowercasing.
            if let (true, Some(&[x, y, z])) = (j - i > 3, bytes.get(j.wrapping_sub(3)..j)) {
                sh = fnv_byte(fnv_byte(fnv_byte(sh, x), y), z);
            } else {
                // The whole word.
                sh = fnv_byte(sh, bytes[i].to_ascii_lowercase());
                if j - i >= 2 {
                    sh = fnv_byte(sh, bytes[i + 1]);
                }
                if j - i == 3 {
                    sh = fnv_byte(sh, bytes[i + 2]);
                }
            }
            // `shape_from_classes` of such a word: a capital first makes it capitalized,
            // a digit alone a number, anything else lowercase (a digit followed by small
            // letters too, "2nd").
            (kind, shape) = if class & UPPER != 0 {
                (Kind::Word, SHAPE_CAP)
            } else if class & DIGIT != 0 && after_first == 0 {
                (Kind::Number, SHAPE_NUMBER)
            } else {
                (Kind::Word, SHAPE_LOWER)
            };
        } else {
            if after_first > other {
                let cl = ASCII_CLASS[b'a' as usize];
                any |= cl;
                all &= cl;
            }
            // The last three bytes (the whole word if shorter): when they are ASCII they are
            // the last three chars. (Tested byte by byte: a slice's `is_ascii` costs more on
            // three.)
            let tail = &bytes[j - (j - i).min(3)..j];
            if tail.iter().all(|&b| b < 0x80) {
                for &b in tail {
                    sh = fnv_byte(sh, b.to_ascii_lowercase());
                }
            } else {
                let word = &slice[i..j];
                let tail_start = word.char_indices().rev().nth(2).map_or(0, |(k, _)| k);
                for t in word[tail_start..].chars() {
                    sh = hash_char(sh, t);
                }
            }
            (kind, shape) = shape_from_classes(any, all, upper, j - i > len, first_upper);
        }
        out.push(Token { start, end, kind, lower: h, suffix: sh, shape });
        // Most words are followed by one ASCII space: step over it here rather than by a
        // round of the outer loop.
        i = j + (j < n && bytes[j] == b' ') as usize;
    }
}

/// [`word_shape`] from the class bits of a word's chars ORed (`any`) and ANDed (`all`), its
/// number of capitals, and whether it has more than one char: every char is a digit when
/// `all` has the digit bit, some char is lowercase when `any` has the lower bit.
#[inline]
fn shape_from_classes(any: u8, all: u8, upper: usize, more_than_one: bool, first_upper: bool) -> (Kind, u8) {
    if all & DIGIT != 0 || (any & DIGIT != 0 && upper == 0 && any & LOWER == 0) {
        (Kind::Number, SHAPE_NUMBER)
    } else if upper == 0 {
        (Kind::Word, SHAPE_LOWER)
    } else if any & LOWER == 0 && more_than_one {
        (Kind::Word, SHAPE_UPPER)
    } else if first_upper && upper == 1 {
        (Kind::Word, SHAPE_CAP)
    } else {
        (Kind::Word, SHAPE_MIXED)
    }
}

/// A word's kind and shape from its character counts: numbers, then lower, upper, capitalized
/// and mixed case. (The definition the tokenizer's [`shape_from_classes`] is tested against.)
#[cfg(test)]
fn word_shape(digits: usize, n_chars: usize, upper: usize, lower: usize, first_upper: bool) -> (Kind, u8) {
    if digits == n_chars || (digits > 0 && upper + lower == 0) {
        (Kind::Number, SHAPE_NUMBER)
    } else if upper == 0 {
        (Kind::Word, SHAPE_LOWER)
    } else if lower == 0 && n_chars > 1 {
        (Kind::Word, SHAPE_UPPER)
    } else if first_upper && upper == 1 {
        (Kind::Word, SHAPE_CAP)
    } else {
        (Kind::Word, SHAPE_MIXED)
    }
}

/// The first position of byte `x`, `y` or `z` in `hay`: eight bytes at a time until a word
/// holds one of them, then byte by byte.
pub fn find_byte3(hay: &[u8], x: u8, y: u8, z: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // Nonzero exactly when some byte of `v` is zero.
    let has_zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let (vx, vy, vz) = (LO * x as u64, LO * y as u64, LO * z as u64);
    let mut i = 0;
    for chunk in hay.chunks_exact(8) {
        let v = u64::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
        if has_zero(v ^ vx) | has_zero(v ^ vy) | has_zero(v ^ vz) != 0 {
            break;
        }
        i += 8;
    }
    hay[i..].iter().position(|&b| b == x || b == y || b == z).map(|k| i + k)
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

    /// The tokenizer as first written, char by char: the definition the fast one must match.
    fn reference_tokenize(text: &str, from: usize, to: usize, out: &mut Vec<Token>) {
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
                let (kind, shape) = super::word_shape(digits, n_chars, upper, lower, first_upper);
                out.push(Token { start, end, kind, lower: h, suffix: sh, shape });
            } else {
                let end = start + c.len_utf8();
                let h = hash_char(FNV_OFFSET, c);
                out.push(Token { start, end, kind: Kind::Punct, lower: h, suffix: h, shape: SHAPE_PUNCT });
            }
        }
    }

    #[test]
    fn fast_tokenizer_matches_the_char_by_char_definition() {
        // Regression guard for issue 9's speed-up: mixed scripts, joiners at word edges,
        // typographic apostrophes, letters whose lowercase is longer, digits of other scripts.
        let texts = [
            "Russia’s pro-Western NATO, 2018 don't -x x- 'quoted' rock'n'roll",
            "İstanbul ΣΟΦΙΑ Straße ǅemal naïve café—“Quote” … ‐dash‑word x‐y",
            "٣٤ ½ 3rd A1 1A MiXeD e.g. U.S. \u{b}tab\there\u{a0}nbsp \u{85}nel",
            "日本語のテキスト、句読点。 emoji 🙂 done'' -- '-' a'-b",
            "",
            "  ",
            "x",
            "'",
            "don’t ’tis",
            // Long lowercase runs, ending at every distance from the end, and the bytes on
            // either side of the lowercase range (` and {).
            "internationalization antidisestablishmentarianism`abcdefgh{ijklmnop@qrstuvwxyz[a",
            "abcdefghijklmnopqrstuvwxyz\u{7f}zyxwvutsrqponml\u{80}abcdefghé abcdefghijklmnopQRSTuvwxyz",
            "pro-westernisation’s counterrevolutionaries' x-ray-like déjà-vu-ish",
            // Words of one to five chars, first char of every kind, the rest lowercase or not
            // (the suffix's fast paths), and words ending at the slice's end.
            "I a am An Ox the The THE ab Ab aB 1a a1 9 Xyz xyZ 2ab 2Ab Abcd abcd ABcd Abcde é É éa aé Éab",
            "x, Ab. abc; Abcd: the-end it's Zo",
        ];
        for text in texts {
            for from in 0..=text.len() {
                if !text.is_char_boundary(from) {
                    continue;
                }
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                tokenize_into(text, from, text.len(), &mut fast);
                reference_tokenize(text, from, text.len(), &mut slow);
                let key = |t: &Token| (t.start, t.end, t.kind, t.lower, t.suffix, t.shape);
                assert_eq!(
                    fast.iter().map(key).collect::<Vec<_>>(),
                    slow.iter().map(key).collect::<Vec<_>>(),
                    "{:?}",
                    &text[from..]
                );
            }
        }
    }

    #[test]
    fn general_punctuation_is_classed_as_the_unicode_tables_class_it() {
        for c in '\u{1f00}'..='\u{2100}' {
            assert_eq!(class_of(c), class_of_any(c), "{:?}", c);
        }
    }

    #[test]
    fn find_byte3_finds_the_first_of_three_bytes_at_any_offset() {
        let hay: Vec<u8> = (0..100u8).map(|i| b'a' + i % 20).collect();
        for start in 0..hay.len() {
            for (x, y, z) in [(b'q', b'$', b'%'), (b'#', b'c', b'!'), (b'#', b'$', b'%')] {
                let want = hay[start..].iter().position(|&b| b == x || b == y || b == z);
                assert_eq!(find_byte3(&hay[start..], x, y, z), want, "from {start}");
            }
        }
    }

    #[test]
    fn sentences_split_on_terminators_and_lines_but_not_abbreviations() {
        let text = "Mr. Smith left. Did he? “Yes.” He did!\nNew line";
        let s: Vec<&str> = split_sentences(text).into_iter().map(|(a, b)| &text[a..b]).collect();
        assert_eq!(s, vec!["Mr. Smith left.", "Did he?", "“Yes.”", "He did!", "New line"]);
    }
}
