//! Tokens and hashes: a fast tokenizer that keeps byte spans and a lowercase hash per token, so
//! feature extraction never allocates a `String` per token.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    /// A quotation mark of any style (`"`, `“`, `”`, `«`, `»`; not the apostrophe).
    Quote,
    Punct,
}

/// One token of a text: its byte span, its kind and the hash of its lowercase form.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// FNV-1a hash of the lowercased token, with typographic apostrophes folded to `'`.
    pub hash: u64,
    /// Whether the token starts with an uppercase letter.
    pub cap: bool,
}

pub use crate::hash::{const_hash, word_hash};
use crate::hash::{FNV_OFFSET, FNV_PRIME};

/// Mixes a template id with up to two values into one feature key.
#[inline]
pub fn mix(template: u64, a: u64, b: u64) -> u64 {
    let mut x = template ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= b.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '‟' | '″')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits `text` into tokens; offsets are relative to `text` plus `base`.
///
/// Words are runs of letters and digits, joined across one inner apostrophe, hyphen or period
/// followed by a letter or digit ("didn't", "pro-Western", "U.S"). Every other non-space
/// character is a token of its own.
pub fn tokenize(text: &str, base: usize, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    // Roughly one token per five bytes of running text: room enough to grow once at most.
    out.reserve(bytes.len() / 4 + 4);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII by table; anything else by its decoded character.
        let (c, len) = if b < 0x80 {
            match ASCII_CLASS[b as usize] {
                SPACE => {
                    i += 1;
                    continue;
                }
                WORD => {
                    // Most words are ASCII letters and digits, maybe joined by ASCII joiners
                    // ("didn't", "pro-Western", "U.S"), up to a space or a punctuation mark that
                    // joins nothing: scanned and hashed here, without a call. A word that meets a
                    // non-ASCII byte (in it, or right after a joiner) is scanned again from its
                    // start by `word_end`, which knows every case.
                    let mut h = FNV_OFFSET;
                    let mut j = i;
                    let ends = loop {
                        while let Some(&lower) = bytes.get(j).map(|&c| &WORD_LOWER[c as usize]) {
                            if lower == 0 {
                                break;
                            }
                            h = (h ^ lower as u64).wrapping_mul(FNV_PRIME);
                            j += 1;
                        }
                        // A joiner joins only a word character after it, and a full stop only
                        // in a word that starts with a capital ("U.S", not "end.the"); it hashes
                        // as itself, as in `word_end`.
                        let c = match bytes.get(j) {
                            None => break true,
                            Some(&c) if c >= 0x80 => break false,
                            Some(&c) if ASCII_CLASS[c as usize] != JOINER => break true,
                            Some(&c) => c,
                        };
                        match bytes.get(j + 1) {
                            None => break true,
                            Some(&d) if d >= 0x80 => break false,
                            Some(&d) if WORD_LOWER[d as usize] == 0 => break true,
                            Some(_) if c == b'.' && !b.is_ascii_uppercase() => break true,
                            Some(_) => {
                                h = (h ^ c as u64).wrapping_mul(FNV_PRIME);
                                j += 1;
                            }
                        }
                    };
                    if ends {
                        out.push(Token {
                            start: base + i,
                            end: base + j,
                            kind: Kind::Word,
                            hash: h,
                            cap: b.is_ascii_uppercase(),
                        });
                        // Most words are followed by one space: passed over here rather than by
                        // a turn of the outer loop (a space is no token).
                        i = j + (bytes.get(j) == Some(&b' ')) as usize;
                        continue;
                    }
                    let (end, hash) = word_end(text, i, i + 1);
                    out.push(Token {
                        start: base + i,
                        end: base + end,
                        kind: Kind::Word,
                        hash: hash.unwrap_or_else(|| word_hash(&text[i..end])),
                        cap: b.is_ascii_uppercase(),
                    });
                    i = end;
                    continue;
                }
                // Any other ASCII byte (punctuation, symbols, controls) is neither a space nor a
                // word character: a token of its own, hashed here as `word_hash` would (its
                // lowercase form is itself).
                _ => {
                    out.push(Token {
                        start: base + i,
                        end: base + i + 1,
                        kind: if b == b'"' { Kind::Quote } else { Kind::Punct },
                        hash: (FNV_OFFSET ^ b as u64).wrapping_mul(FNV_PRIME),
                        cap: false,
                    });
                    // As after a word: a comma or a full stop is most often followed by a space.
                    i += 1 + (bytes.get(i + 1) == Some(&b' ')) as usize;
                    continue;
                }
            }
        } else {
            char_at(text, i)
        };
        // Typographic quotes, dashes and the like: punctuation, known without the Unicode
        // tables that `is_whitespace` and `is_alphanumeric` search for a non-ASCII character.
        if is_general_punctuation(c) {
            out.push(Token {
                start: base + i,
                end: base + i + len,
                kind: if is_quote(c) { Kind::Quote } else { Kind::Punct },
                hash: word_hash(&text[i..i + len]),
                cap: false,
            });
            i += len;
            continue;
        }
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if is_word_char(c) {
            let (end, _) = word_end(text, i, i + len);
            out.push(Token {
                start: base + i,
                end: base + end,
                kind: Kind::Word,
                hash: word_hash(&text[i..end]),
                cap: c.is_uppercase(),
            });
            i = end;
        } else {
            let end = i + len;
            out.push(Token {
                start: base + i,
                end: base + end,
                kind: if is_quote(c) { Kind::Quote } else { Kind::Punct },
                hash: word_hash(&text[i..end]),
                cap: false,
            });
            i = end;
        }
    }
}

/// Whether `c` lies in the stretches of Unicode's General Punctuation block (dashes, quotation
/// marks, bullets, primes…) that hold neither a space nor a letter or digit (checked by a test
/// against `char`'s own properties).
#[inline]
fn is_general_punctuation(c: char) -> bool {
    matches!(c as u32, 0x2010..=0x2027 | 0x2030..=0x205E)
}

const OTHER: u8 = 0;
const WORD: u8 = 1;
const SPACE: u8 = 2;
/// The ASCII characters that may join two runs of word characters into one word.
const JOINER: u8 = 3;

/// Class of each ASCII byte: letters and digits are word characters, and the White_Space
/// characters of ASCII (tab to carriage return, space) are spaces, as `char` has them.
const ASCII_CLASS: [u8; 128] = {
    let mut t = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => WORD,
            0x09..=0x0d | b' ' => SPACE,
            b'\'' | b'-' | b'.' | b'&' => JOINER,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

/// The lowercase form of each ASCII letter and digit (the [`WORD`] bytes), 0 for every other
/// byte.
const WORD_LOWER: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        if ASCII_CLASS[b] == WORD {
            t[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// End of the word that starts at `start`, scanned from `end` (after its first character):
/// word characters, and joiners followed by a word character. With it, the word's
/// [`word_hash`] when the word is ASCII (hashed along the way).
#[inline]
fn word_end(text: &str, start: usize, mut end: usize) -> (usize, Option<u64>) {
    let bytes = text.as_bytes();
    let mut h = FNV_OFFSET;
    for &b in &bytes[start..end] {
        h = (h ^ b.to_ascii_lowercase() as u64).wrapping_mul(FNV_PRIME);
    }
    let mut ascii = bytes[start] < 0x80;
    while end < bytes.len() {
        let b = bytes[end];
        // ASCII letters and digits, the bulk of every word, by one table read.
        let lower = WORD_LOWER[b as usize];
        if lower != 0 {
            h = (h ^ lower as u64).wrapping_mul(FNV_PRIME);
            end += 1;
            continue;
        }
        let (d, dl) = char_at(text, end);
        if b >= 0x80 && is_word_char(d) {
            ascii = false;
            end += dl;
            continue;
        }
        // Join only when a word character follows the joiner.
        let after = end + dl;
        if matches!(d, '\'' | '’' | '-' | '.' | '&')
            && after < bytes.len()
            && is_word_char(char_at(text, after).0)
            && (d != '.' || bytes[start].is_ascii_uppercase())
        {
            // An ASCII joiner hashes as itself; the word after it is hashed by the loop.
            ascii &= b < 0x80;
            h = (h ^ b as u64).wrapping_mul(FNV_PRIME);
            end = after;
            continue;
        }
        break;
    }
    (end, ascii.then_some(h))
}

/// The character at byte `i` (a character boundary) and its length, without decoding ASCII.
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (b as char, 1);
    }
    let c = text[i..].chars().next().expect("a character starts at a boundary");
    (c, c.len_utf8())
}

/// Index range of the tokens that overlap `start..end` (bytes), or `None` if there is none.
pub fn token_range(tokens: &[Token], start: usize, end: usize) -> Option<(usize, usize)> {
    let first = tokens.partition_point(|t| t.end <= start);
    let mut last = first;
    while last < tokens.len() && tokens[last].start < end {
        last += 1;
    }
    (last > first).then_some((first, last))
}

/// Sentence spans (bytes) found by a simple rule, for documents without a `sentence` layer:
/// a sentence ends at `.`, `!` or `?` followed by whitespace and an uppercase letter or a
/// quotation mark, or at a blank line.
pub fn fallback_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let b = text.as_bytes();
    let mut i = 0usize;
    while i < b.len() {
        let c = b[i];
        let boundary_end = if c == b'\n' && b.get(i + 1) == Some(&b'\n') {
            Some(i)
        } else if matches!(c, b'.' | b'!' | b'?') {
            let mut j = i + 1;
            while j < b.len() && matches!(b[j], b'"' | b')' | b'\'') {
                j += 1;
            }
            if j < b.len() && b[j].is_ascii_whitespace() {
                let rest = text[j..].trim_start();
                let first = rest.chars().next();
                if first.is_none_or(|f| f.is_uppercase() || is_quote(f) || f.is_numeric()) {
                    Some(j)
                } else {
                    None
                }
            } else if j >= b.len() {
                Some(j)
            } else {
                None
            }
        } else {
            None
        };
        if let Some(e) = boundary_end {
            push_trimmed(text, start, e, &mut out);
            start = e;
            i = e.max(i + 1);
            continue;
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if start + lead < end - trail {
        out.push((start + lead, end - trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut t = Vec::new();
        tokenize(text, 0, &mut t);
        t.iter().map(|t| &text[t.start..t.end]).collect()
    }

    /// The tokenizer as first written (char by char), to check the fast one against.
    ///
    /// Words are runs of letters and digits, joined across one inner apostrophe, hyphen or period
    /// followed by a letter or digit ("didn't", "pro-Western", "U.S"). Every other non-space
    /// character is a token of its own.
    fn tokenize_reference(text: &str, base: usize, out: &mut Vec<Token>) {
        let bytes = text.as_bytes();
        let mut it = text.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if c.is_whitespace() {
                continue;
            }
            if is_word_char(c) {
                let mut end = i + c.len_utf8();
                loop {
                    match it.peek() {
                        Some(&(j, d)) if is_word_char(d) => {
                            end = j + d.len_utf8();
                            it.next();
                        }
                        Some(&(j, d)) if matches!(d, '\'' | '’' | '-' | '.' | '&') => {
                            // Join only when a word character follows the joiner.
                            let after = j + d.len_utf8();
                            let next = text[after..].chars().next();
                            if next.is_some_and(is_word_char) && (d != '.' || bytes[i].is_ascii_uppercase()) {
                                it.next();
                                end = after;
                            } else {
                                break;
                            }
                        }
                        _ => break,
                    }
                }
                let s = &text[i..end];
                out.push(Token {
                    start: base + i,
                    end: base + end,
                    kind: Kind::Word,
                    hash: word_hash(s),
                    cap: c.is_uppercase(),
                });
            } else {
                let end = i + c.len_utf8();
                out.push(Token {
                    start: base + i,
                    end: base + end,
                    kind: if is_quote(c) { Kind::Quote } else { Kind::Punct },
                    hash: word_hash(&text[i..end]),
                    cap: false,
                });
            }
        }
    }

    #[test]
    fn tokenizer_matches_the_char_by_char_reference() {
        let texts = [
            "He didn’t back the pro-Western “deal”, U.S. said. A.B.C. x.y a-b- -c 'quoted' rock'n'roll",
            "Ереван и Москва — «союзники»? Müller’s Straße: 3.5% of $1,000.00 & AT&T\u{a0}now\u{2003}end.",
            "Tabs\tand\nnewlines\r\n\u{b}vertical\u{c}feed\u{1c}\u{1f}\u{85}x\u{0}; émigré naïve ÉCOLE İstanbul ǅ 東京 🙂 x",
            "trailing joiner' - . & ’ and U. S. and e.g. and A.b and 1.2.3 and 'tis",
            "",
            "’",
            "a…b • c‰ ‹x› ‐y‑z ‒ ′ ‴ ⁂ ⁞ ’tis ‘x’ „y“ ‟z” x\u{2028}y\u{2029}z\u{202f}w\u{205f}v\u{200b}u\u{2060}",
            // Joiners after an ASCII word, followed by what joins (a letter or digit, ASCII or
            // not) and by what does not (punctuation, another joiner, a space, a combining mark,
            // the end of the text).
            "end. end.. a--b a-.b x'' x'é A.é a.é b-ü 9.5 a&b a& b-\u{301} q.\n A.B. AT&T& z-,y",
            "tail.",
            "tail-",
            "Tail'",
            "tail&x",
            "Tail.É",
        ];
        let seed =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/seed/armenia-csto.txt"))
                .expect("the seed article is in ../shared/data");
        for text in texts.iter().copied().chain([seed.as_str()]) {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            tokenize(text, 7, &mut fast);
            tokenize_reference(text, 7, &mut slow);
            let key = |t: &Token| (t.start, t.end, t.kind, t.hash, t.cap);
            assert_eq!(fast.iter().map(key).collect::<Vec<_>>(), slow.iter().map(key).collect::<Vec<_>>(), "{text}");
        }
    }

    /// The punctuation fast path may skip the tests for spaces and word characters.
    #[test]
    fn general_punctuation_holds_no_space_and_no_word_character() {
        let mut n = 0;
        for c in (0x2000..0x2070).filter_map(char::from_u32).filter(|&c| is_general_punctuation(c)) {
            assert!(!c.is_whitespace() && !is_word_char(c), "{:x}", c as u32);
            n += 1;
        }
        assert_eq!(n, 0x18 + 0x2f);
    }

    #[test]
    fn tokens_keep_contractions_hyphens_and_quotes() {
        assert_eq!(
            words("He didn’t back the pro-Western “deal”, U.S. said."),
            vec!["He", "didn’t", "back", "the", "pro-Western", "“", "deal", "”", ",", "U.S", ".", "said", "."]
        );
    }

    #[test]
    fn hash_is_case_and_apostrophe_insensitive() {
        assert_eq!(word_hash("Didn’t"), word_hash("didn't"));
        assert_ne!(word_hash("did"), word_hash("didn't"));
        assert_eq!(word_hash("ЕРЕВАН"), word_hash("ереван"));
    }

    #[test]
    fn token_range_finds_overlapping_tokens() {
        let text = "Armenia distances itself from Russia.";
        let mut t = Vec::new();
        tokenize(text, 0, &mut t);
        assert_eq!(token_range(&t, 30, 36), Some((4, 5)));
        assert_eq!(token_range(&t, 0, 7), Some((0, 1)));
        assert_eq!(token_range(&t, 7, 8), None);
    }

    #[test]
    fn fallback_sentences_split_on_terminal_punctuation() {
        let text = "Russia threatened Armenia. Iran welcomed the move! \"Good,\" he said.\n\nNext one";
        let s: Vec<&str> = fallback_sentences(text).iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(s, vec!["Russia threatened Armenia.", "Iran welcomed the move!", "\"Good,\" he said.", "Next one"]);
    }
}
