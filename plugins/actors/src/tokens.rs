//! A single-pass word tokenizer that keeps what the name patterns need: capitalization,
//! possessives, abbreviations with their dots, and whether a word starts a sentence.

/// The shape of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Starts with a capital letter and has lower-case letters ("Putin", "McCain").
    Cap,
    /// Two or more letters, all capitals ("SOCAR", "U.S.").
    Upper,
    /// A single capital letter, with or without its dot ("W.").
    Initial,
    /// Starts with a lower-case letter.
    Lower,
    /// Starts with a digit.
    Digit,
    /// Anything else: one punctuation or symbol character.
    Punct,
}

#[derive(Debug, Clone)]
pub struct Tok {
    pub start: usize,
    /// End of the word itself (a possessive `’s` is not part of it).
    pub end: usize,
    pub shape: Shape,
    /// The word is followed by a possessive `’s`/`'s` (or a bare `’` after a final s).
    pub possessive: bool,
    /// First word of a sentence (after `.`, `!`, `?`, `:`, a line break or the start).
    pub sent_start: bool,
    /// Only spaces or tabs (no line break) separate this token from the previous one, and
    /// there is at least one; `false` for the first token.
    pub spaced: bool,
    /// No character at all separates this token from the previous one.
    pub glued: bool,
    /// A plain small word that starts no title and no known name but one that would end inside
    /// the word (see [`tokenize_marked`]); never set by [`tokenize`] and [`tokenize_into`].
    pub quiet: bool,
}

impl Tok {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    pub fn is_word(&self) -> bool {
        self.shape != Shape::Punct
    }

    pub fn is_capitalized(&self) -> bool {
        matches!(self.shape, Shape::Cap | Shape::Upper | Shape::Initial)
    }

    pub fn punct(&self, text: &str) -> Option<char> {
        if self.shape == Shape::Punct {
            text[self.start..].chars().next()
        } else {
            None
        }
    }
}

/// Abbreviations whose final dot belongs to the word and does not end a sentence. All but "vs"
/// start with a capital: [`tokenize_into`] ends a word that starts with a small letter at a dot
/// without asking (a test checks the list).
fn is_abbreviation(word: &str) -> bool {
    matches!(
        word,
        "Mr" | "Mrs"
            | "Ms"
            | "Dr"
            | "Sen"
            | "Rep"
            | "Gov"
            | "Gen"
            | "Lt"
            | "Col"
            | "Maj"
            | "Brig"
            | "Sgt"
            | "Capt"
            | "Adm"
            | "Cmdr"
            | "Prof"
            | "Rev"
            | "St"
            | "Jr"
            | "Sr"
            | "Pres"
            | "Atty"
            | "Supt"
            | "Mt"
            | "Ft"
            | "vs"
            | "No"
            | "Inc"
            | "Corp"
            | "Co"
            | "Ltd"
            | "Mass"
            | "Calif"
            | "Fla"
            | "Ariz"
            | "Ill"
            | "Wis"
            | "Minn"
            | "Mich"
            | "Ga"
            | "Va"
            | "Pa"
            | "Ky"
            | "Tenn"
            | "Tex"
            | "Conn"
            | "Ore"
            | "Wash"
            | "Colo"
            | "Okla"
            | "Ala"
            | "Miss"
            | "Nev"
            | "Neb"
            | "Kan"
            | "Ark"
            | "La"
            | "Md"
            | "Del"
            | "Vt"
            | "Mo"
    )
}

/// Byte classes of ASCII (non-ASCII bytes have none and take the `char` path).
const ALNUM: u8 = 1;
const SPACE: u8 = 2;
const NEWLINE: u8 = 4;
const UPPER: u8 = 8;
const LOWER: u8 = 16;
const DIGIT: u8 = 32;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_uppercase() {
            t[b] = ALNUM | UPPER;
        }
        if c.is_ascii_lowercase() {
            t[b] = ALNUM | LOWER;
        }
        if c.is_ascii_digit() {
            t[b] = ALNUM | DIGIT;
        }
        // What `char::is_whitespace` says of ASCII.
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c') {
            t[b] = SPACE;
        }
        if matches!(c, b'\n' | b'\r') {
            t[b] = SPACE | NEWLINE;
        }
        b += 1;
    }
    t
};

/// Splits `text` into tokens. `extra_sentence_starts` are byte offsets where a sentence layer
/// says a sentence begins.
///
/// Hot: it sees every byte of every document. ASCII takes a table lookup per byte; other
/// characters are decoded and classified as `char`s, with typographic punctuation (quotes,
/// dashes, U+2010 to U+2027, none of them letters or spaces) settled without the Unicode tables.
pub fn tokenize(text: &str, extra_sentence_starts: &[usize]) -> Vec<Tok> {
    let mut toks = Vec::new();
    tokenize_into(text, extra_sentence_starts, &mut toks);
    toks
}

/// What separates the next token from the previous one, as far as the scan has seen.
/// [`Tok::spaced`] and [`Tok::glued`] follow from it with one comparison each.
const GAP_NONE: u8 = 0;
/// Spaces or tabs only, at least one.
const GAP_SPACE: u8 = 1;
/// A line break, or no previous token at all (the start of the text counts as a line break:
/// the first token is neither spaced nor glued).
const GAP_BREAK: u8 = 2;

/// [`tokenize`] into a vector the caller keeps (cleared first), so that a buffer can serve
/// document after document without being allocated again.
///
/// The common word (ASCII letters and digits followed by a space or by ASCII punctuation other
/// than an apostrophe, or by a dot when it starts with a small letter) is made in a short loop;
/// any other word, and any character outside ASCII, takes out-of-line paths ([`scan_word`],
/// [`non_ascii`]) that follow the reference rules in full. The short loop is sensitive to what
/// it holds: settling a capitalized word before a dot there (asking [`is_abbreviation`]) or a
/// possessive "'s" on bytes gave the same tokens but raised `tokenize_into` from 127.5M to
/// 137.2M and 148.9M instructions on the 1,000-doc subset, every token paying for the few.
pub fn tokenize_into(text: &str, extra_sentence_starts: &[usize], toks: &mut Vec<Tok>) {
    tokenize_with(text, extra_sentence_starts, toks, &[]);
}

/// [`tokenize_into`], marking [`Tok::quiet`] the plain small words whose bit in `loud` (by
/// [`crate::lexicon::title_filter_bit`]: length, first and last bytes) is clear: the words of
/// the run of plain words (see the loop), which are ASCII letters and digits, start with a small
/// letter, and end where their letters and digits end, with no apostrophe after them. With
/// [`crate::gazetteer::Gazetteer::loud_words`] such a word starts no title, and no known name
/// but one that ends inside the word (which the resolver drops: it ends at no word boundary),
/// and the resolver's candidate pass skips it without its filters (tested on the corpus).
pub fn tokenize_marked(text: &str, extra_sentence_starts: &[usize], toks: &mut Vec<Tok>, loud: &[u64]) {
    tokenize_with(text, extra_sentence_starts, toks, loud);
}

/// The tokenizer; `loud` is empty for no quiet words.
fn tokenize_with(text: &str, extra_sentence_starts: &[usize], toks: &mut Vec<Tok>, loud: &[u64]) {
    let bytes = text.as_bytes();
    toks.clear();
    // News text has about one token per five bytes, some documents more: room for one per four
    // spares nearly every document a regrowth (a copy of every token so far). A kept buffer that
    // is too small is replaced rather than grown: growing would copy its old contents, which
    // are of no use.
    let want = text.len() / 4 + 16;
    if toks.capacity() < want {
        *toks = Vec::with_capacity(want);
    }
    let mut i = 0;
    let mut sentence_pending = true;
    let mut gap = GAP_BREAK;
    // The next layer sentence start not before the current position (`usize::MAX` after the
    // last one): one comparison per token.
    let mut extra = extra_sentence_starts.iter().copied();
    let mut next_layer_start = extra.next().unwrap_or(usize::MAX);
    while i < bytes.len() {
        let b0 = bytes[i];
        let class = CLASS[usize::from(b0)];
        if class & SPACE != 0 {
            if class & NEWLINE != 0 {
                gap = GAP_BREAK;
                sentence_pending = true;
            } else if gap == GAP_NONE {
                gap = GAP_SPACE;
            }
            i += 1;
            continue;
        }
        let (c, clen, alnum) = if b0 < 0x80 {
            (b0 as char, 1, class & ALNUM != 0)
        } else {
            match non_ascii(text, i) {
                NonAscii::Char(c, alnum) => (c, c.len_utf8(), alnum),
                NonAscii::Space(len, line_break) => {
                    if line_break {
                        gap = GAP_BREAK;
                        sentence_pending = true;
                    } else if gap == GAP_NONE {
                        gap = GAP_SPACE;
                    }
                    i += len;
                    continue;
                }
                NonAscii::End => break,
            }
        };
        while next_layer_start < i {
            next_layer_start = extra.next().unwrap_or(usize::MAX);
        }
        let layer_start = next_layer_start == i;
        let spaced = gap == GAP_SPACE;
        let glued = gap == GAP_NONE;
        gap = GAP_NONE;
        let t = if alnum {
            let start = i;
            let mut fast = None;
            if b0 < 0x80 {
                // ASCII letters and digits, the bulk of every word: a table lookup per byte in a
                // loop that does nothing else, collecting the classes that give the shape.
                let mut j = i + 1;
                let mut rest_classes = 0u8;
                while j < bytes.len() {
                    let class = CLASS[usize::from(bytes[j])];
                    if class & ALNUM == 0 {
                        break;
                    }
                    rest_classes |= class;
                    j += 1;
                }
                // Nothing that could go on with the word or make it a possessive or an
                // abbreviation follows: the word ends here. A dot after a word that starts with
                // a small letter ends it too (the end of a sentence, most often): such a word is
                // no initial, no dotted capitals and, but for "vs", no abbreviation.
                let ends = match bytes.get(j) {
                    None => true,
                    Some(b'.') => class & LOWER != 0 && &bytes[i..j] != b"vs",
                    Some(&b) => b < 0x80 && b != b'\'',
                };
                if ends {
                    fast = Some((j, j, ascii_shape(class, rest_classes), false));
                }
            }
            let (end, j, shape, possessive) = match fast {
                Some(w) => w,
                None => scan_word(text, start, clen),
            };
            let sent_start = sentence_pending || layer_start;
            sentence_pending = false;
            i = j;
            Tok { start, end, shape, possessive, sent_start, spaced, glued, quiet: false }
        } else {
            // Punctuation: one character per token.
            match c {
                '.' | '!' | '?' | ':' | '•' | '|' => sentence_pending = true,
                // Opening quotes and brackets keep a pending sentence start pending.
                '"' | '“' | '‘' | '\'' | '(' | '[' | '«' | '—' | '–' | '-' | '*' => {}
                _ => sentence_pending = false,
            }
            let t = Tok {
                start: i,
                end: i + clen,
                shape: Shape::Punct,
                possessive: false,
                sent_start: false,
                spaced,
                glued,
                quiet: false,
            };
            i += clen;
            t
        };
        toks.push(t);
        // Most tokens are followed by one space: it is taken here, as the loop would take it
        // (the gap is then of spaces), without a pass through the loop.
        if bytes.get(i) == Some(&b' ') {
            gap = GAP_SPACE;
            i += 1;
            if sentence_pending {
                continue;
            }
            // A run of plain words, each after one space: most of a text. Such a word (ASCII
            // letters and digits starting with a letter, ended as the short loop above ends a
            // word: a dot ends one that starts with a small letter, but for "vs", and never one
            // that starts with a capital) is spaced, neither glued nor possessive, and starts no
            // sentence unless the layer says so: it is made here without the loop's other cases.
            // Anything else (a layer sentence start, a digit, a word that goes on with an
            // apostrophe, a dot or a non-ASCII letter, another first byte) is left to the loop,
            // with the gap of spaces it would have found. (Words that start with a small letter
            // take a loop of their own: taking both kinds through the capitals' loop, which
            // collects the letters' classes for the shape, measured 13.5M instructions more.)
            while let Some(&b0) = bytes.get(i) {
                let class = CLASS[usize::from(b0)];
                if class & (LOWER | UPPER) == 0 {
                    break;
                }
                while next_layer_start < i {
                    next_layer_start = extra.next().unwrap_or(usize::MAX);
                }
                if next_layer_start == i {
                    break;
                }
                let mut j = i + 1;
                let mut quiet = false;
                let shape = if class & LOWER != 0 {
                    while bytes.get(j).is_some_and(|&b| CLASS[usize::from(b)] & ALNUM != 0) {
                        j += 1;
                    }
                    let ends = match bytes.get(j) {
                        None => true,
                        Some(b'.') => &bytes[i..j] != b"vs",
                        Some(&b) => b < 0x80 && b != b'\'',
                    };
                    if !ends {
                        break;
                    }
                    // `title_filter_bit` of the word, from the bytes at hand.
                    let len = j - i;
                    let fold = |b: u8| usize::from((b | 0x20) & 63);
                    let bit = ((len - 1) << 12) | (fold(b0) << 6) | fold(bytes[j - 1]);
                    quiet = len <= 32 && loud.get(bit / 64).is_some_and(|w| w & (1 << (bit % 64)) == 0);
                    Shape::Lower
                } else {
                    let rest_classes;
                    (j, rest_classes) = alnum_run(bytes, j);
                    if !bytes.get(j).is_none_or(|&b| b < 0x80 && b != b'\'' && b != b'.') {
                        break;
                    }
                    ascii_shape(class, rest_classes)
                };
                toks.push(Tok {
                    start: i,
                    end: j,
                    shape,
                    possessive: false,
                    sent_start: false,
                    spaced: true,
                    glued: false,
                    quiet,
                });
                i = j;
                if bytes.get(i) == Some(&b' ') {
                    i += 1;
                } else {
                    gap = GAP_NONE;
                    break;
                }
            }
        }
    }
}

/// A character outside ASCII where a token may start, as the tokenizer sees it.
enum NonAscii {
    /// A character that makes a token, and whether it is a letter or digit.
    Char(char, bool),
    /// White space of that many bytes, and whether it breaks the line.
    Space(usize, bool),
    /// Not on a character (never for a `str`).
    End,
}

/// Classifies the character at byte `i`, with typographic punctuation (quotes, dashes, U+2010 to
/// U+2027, none of them letters or spaces) settled without the Unicode tables.
#[inline(never)]
fn non_ascii(text: &str, i: usize) -> NonAscii {
    let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else { return NonAscii::End };
    if ('\u{2010}'..='\u{2027}').contains(&c) {
        NonAscii::Char(c, false)
    } else if c.is_whitespace() {
        NonAscii::Space(c.len_utf8(), c == '\u{2029}')
    } else {
        NonAscii::Char(c, c.is_alphanumeric())
    }
}

/// Whether the character at byte `i` is typographic punctuation, U+2010 to U+2027 (quotes,
/// dashes, the ellipsis): three bytes, E2 80 90 to E2 80 A7. None of them is a letter or a space.
#[inline]
fn typographic_at(bytes: &[u8], i: usize) -> bool {
    matches!(bytes.get(i..i + 3), Some(&[0xE2, 0x80, b]) if (0x90..=0xA7).contains(&b))
}

/// A word starting at byte `start` (its first character `clen` bytes long), by the full rules:
/// non-ASCII letters, apostrophes inside words and possessives, abbreviations with their dots.
/// Returns (end of the word, where the scan goes on, shape, possessive).
#[inline(never)]
fn scan_word(text: &str, start: usize, clen: usize) -> (usize, usize, Shape, bool) {
    let bytes = text.as_bytes();
    let b0 = bytes[start];
    let mut j = start + clen;
    let mut possessive = false;
    let mut end;
    // The shape is worked out while scanning: the classes of the word's ASCII letters and digits
    // after the first, and whether it holds any non-ASCII character (then the shape is taken
    // from the `char`s).
    let mut rest_classes = 0u8;
    let mut unicode = b0 >= 0x80;
    loop {
        let classes;
        (j, classes) = alnum_run(bytes, j);
        rest_classes |= classes;
        // A non-ASCII letter or digit goes on with the word (typographic punctuation, the
        // usual non-ASCII character after a word, is none: it is ruled out by its bytes).
        if bytes.get(j).is_some_and(|&b| b >= 0x80) && !typographic_at(bytes, j) {
            if let Some(d) = text[j..].chars().next().filter(|d| d.is_alphanumeric()) {
                unicode = true;
                j += d.len_utf8();
                continue;
            }
        }
        end = j;
        let quote = match bytes.get(j) {
            Some(b'\'') => Some(1),
            Some(0xE2) if bytes.get(j + 1..j + 3) == Some(&[0x80, 0x99]) => Some(3),
            _ => None,
        };
        if let Some(qlen) = quote {
            let after = j + qlen;
            let rest = &text[after..];
            let mut it = rest.chars();
            let a = it.next();
            let b = it.next();
            if matches!(a, Some('s' | 'S')) && !b.is_some_and(char::is_alphanumeric) {
                possessive = true;
                j = after + 1;
                break;
            }
            if a.is_some_and(char::is_alphanumeric) {
                // O'Brien, d'Ivoire, N’Djamena.
                unicode |= qlen > 1;
                j = after;
                continue;
            }
            if text[start..end].ends_with(['s', 'S']) && text[start..end].chars().next().is_some_and(char::is_uppercase)
            {
                // "the Joneses’ house", "Reuters’": a bare apostrophe after s.
                possessive = true;
                j = after;
            }
            break;
        }
        if bytes.get(j) == Some(&b'.') {
            let word = &text[start..end];
            let single_capital = word.len() == 1 && word.as_bytes()[0].is_ascii_uppercase();
            // (On bytes: those of a non-ASCII character are neither capitals nor dots, as the
            // character is not.)
            let dotted = word.as_bytes().contains(&b'.') && word.bytes().all(|c| c.is_ascii_uppercase() || c == b'.');
            if single_capital || dotted || is_abbreviation(word) {
                j += 1;
                end = j;
                // U.S., U.K., D.C.: another capital and dot follow directly.
                let rest = &bytes[j..];
                if rest.len() >= 2 && rest[0].is_ascii_uppercase() && rest[1] == b'.' {
                    rest_classes |= UPPER;
                    j += 1;
                    continue;
                }
            }
        }
        break;
    }
    let shape =
        if unicode { unicode_shape(&text[start..end]) } else { ascii_shape(CLASS[usize::from(b0)], rest_classes) };
    (end, j, shape, possessive)
}

/// The end of the run of ASCII letters and digits that starts at `j`, and the [`CLASS`]es of
/// its bytes or-ed together (for the word's shape).
#[inline(always)]
fn alnum_run(bytes: &[u8], mut j: usize) -> (usize, u8) {
    let mut classes = 0u8;
    while let Some(&b) = bytes.get(j) {
        let class = CLASS[usize::from(b)];
        if class & ALNUM == 0 {
            break;
        }
        classes |= class;
        j += 1;
    }
    (j, classes)
}

/// The shape of an ASCII word from the class of its first byte and those of the letters and
/// digits after it (same result as [`unicode_shape`]).
fn ascii_shape(first: u8, rest: u8) -> Shape {
    if first & DIGIT != 0 {
        Shape::Digit
    } else if first & UPPER == 0 {
        Shape::Lower
    } else if rest & (UPPER | LOWER) == 0 {
        // No letter after the first one.
        Shape::Initial
    } else if rest & LOWER != 0 {
        Shape::Cap
    } else {
        Shape::Upper
    }
}

/// The shape of any word.
fn unicode_shape(word: &str) -> Shape {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let first = word.chars().next().unwrap_or(' ');
    if first.is_numeric() {
        Shape::Digit
    } else if first.is_lowercase() {
        Shape::Lower
    } else if first.is_uppercase() {
        if letters <= 1 {
            Shape::Initial
        } else if word.chars().any(char::is_lowercase) {
            Shape::Cap
        } else {
            Shape::Upper
        }
    } else {
        Shape::Lower
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, Shape, bool, bool)> {
        tokenize(text, &[])
            .into_iter()
            .filter(|t| t.is_word())
            .map(|t| (t.text(text).to_string(), t.shape, t.possessive, t.sent_start))
            .collect()
    }

    #[test]
    fn possessives_abbreviations_and_sentence_starts() {
        let w = words("Russia’s ally. The U.S. and Sen. Warren met George W. Bush's aide O'Brien.");
        let texts: Vec<&str> = w.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Russia", "ally", "The", "U.S.", "and", "Sen.", "Warren", "met", "George", "W.", "Bush", "aide",
                "O'Brien"
            ]
        );
        assert!(w[0].2, "Russia’s is possessive");
        assert!(w[10].2, "Bush's is possessive");
        assert!(w[2].3, "The starts a sentence");
        assert!(!w[6].3, "Warren after Sen. does not");
        assert_eq!(w[3].1, Shape::Upper);
        assert_eq!(w[9].1, Shape::Initial);
    }

    #[test]
    fn hyphens_split_and_glue() {
        let toks = tokenize("Ban Ki-moon", &[]);
        assert_eq!(toks.len(), 4);
        assert!(toks[2].glued && toks[3].glued);
        assert!(toks[1].spaced);
    }

    #[test]
    fn fast_tokenizer_agrees_with_the_reference_one() {
        let mut texts: Vec<String> = [
            "Russia’s ally. The U.S. and Sen. Warren met George W. Bush's aide O'Brien.",
            "the Joneses’ house, Reuters’ report; N’Djamena\u{2029}Côte d’Ivoire — «Ереван» … 1,000 km\u{a0}away",
            "ÉLYSÉE: İstanbul\r\nMr. Smith (D-Mass.) said “no”!\u{2028}Ms.\tO’Neill’s",
            "",
            "’s 's . U.S.A. U. S. Dr.",
            "X1 A. E.U. O'Neill d'Ivoire McDONALD A1B N’Djamena 3M iPhone I'm B52s O’Connor’s Ł. Ö.Z. İA",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.extend(corpus_texts("articles-001.jsonl"));
        assert!(texts.len() > 100 && texts.iter().map(String::len).sum::<usize>() > 100_000);
        texts.extend(pseudo_random_texts());
        for text in &texts {
            let starts: Vec<usize> = text.char_indices().filter(|(_, c)| c.is_uppercase()).map(|(i, _)| i).collect();
            for extra in [&[][..], &starts[..]] {
                let fast = tokenize(text, extra);
                let slow = reference_tokenize(text, extra);
                assert_eq!(fast.len(), slow.len(), "token count of {text:?}");
                for (f, s) in fast.iter().zip(&slow) {
                    let same = (f.start, f.end, f.shape, f.possessive, f.sent_start, f.spaced, f.glued)
                        == (s.start, s.end, s.shape, s.possessive, s.sent_start, s.spaced, s.glued);
                    assert!(same, "{f:?} vs {s:?} in {text:?}");
                }
            }
        }
    }

    /// The article texts of the first 150 lines of a corpus file: real articles for the
    /// tests that compare two paths (CI has `../shared/data`).
    fn corpus_texts(file: &str) -> Vec<String> {
        let corpus = format!("{}/../../../shared/data/corpus/{file}", env!("CARGO_MANIFEST_DIR"));
        let data = std::fs::read_to_string(&corpus).unwrap_or_else(|e| panic!("{corpus}: {e}"));
        data.lines()
            .take(150)
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
                v["content_original"].as_str().unwrap_or("").to_string()
            })
            .collect()
    }

    /// Texts glued together from pieces where the tokenizer takes its turns (spaces one or
    /// several, line breaks, apostrophes, dots after abbreviations and after other words,
    /// non-ASCII letters and punctuation), in a pseudo-random order (xorshift, fixed seed).
    fn pseudo_random_texts() -> Vec<String> {
        const PIECES: &[&str] = &[
            " ",
            " ",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\t",
            "\u{a0}",
            "\u{2029}",
            "the",
            "said",
            "Putin",
            "U.S.",
            "Mr.",
            "vs.",
            "vs",
            "No.",
            "word.",
            "end",
            ".",
            ",",
            ";",
            ":",
            "!",
            "?",
            "(",
            ")",
            "\"",
            "“",
            "”",
            "’s",
            "'s",
            "’",
            "'",
            "O'Brien",
            "d’Ivoire",
            "Joneses’",
            "-",
            "—",
            "3M",
            "1,000",
            "Côte",
            "é",
            "İ",
            "x",
            "A",
            "B.",
            "iPhone",
            "McDONALD",
            "s",
            "S",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..300)
            .map(|_| {
                let n = (next() % 80) as usize;
                (0..n).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect()
            })
            .collect()
    }

    /// The resolver skips quiet words without asking the title and name filters: no quiet word
    /// may start a title or a known name, with the built-in names and with a user's names that
    /// start with a small letter, on real articles and on texts made to hit the edges.
    #[test]
    fn quiet_words_start_no_title_and_no_name() {
        use crate::gazetteer::{ActorDef, Builder, CaseRule, Gazetteer, Kind, Via};
        let mut texts: Vec<String> = [
            "the West and the westerners, western powers and western nations; al-Qaeda, al Qaeda, al",
            "he quit cold turkey; the colds. president said the prime minister and the vice president",
            "also them, thereafter al alike; x xylophone. the then theirs",
            "le monde and le mondial, von der leyen; the 3m company, co-op of the foreign minister's aide",
            "vs. vs the deputy prime minister’s plan, the president-elect; don't won’t x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.extend(corpus_texts("articles-002.jsonl"));
        texts.extend(pseudo_random_texts());
        let mut user = Builder::with_builtin_data();
        let a = user.add_actor(ActorDef {
            name: "Le Monde".into(),
            id: "LEMONDE".into(),
            kind: Kind::Organization,
            affiliation: None,
        });
        // (A bare "al" or "the" is found inside "also" or "them", but ends inside the word.)
        for form in ["le monde", "von der leyen", "3m", "co-op", "al", "the", "x"] {
            user.add_name(form, Some(a), Via::Dictionary, CaseRule::AsWritten);
        }
        let lex = crate::lexicon::lexicon();
        for gaz in [Gazetteer::builtin().as_ref(), &user.build()] {
            let (mut quiet, mut all) = (0, 0);
            for text in &texts {
                let mut marked = Vec::new();
                tokenize_marked(text, &[], &mut marked, gaz.loud_words());
                let plain = tokenize(text, &[]);
                assert_eq!(marked.len(), plain.len(), "{text:?}");
                for (m, p) in marked.iter().zip(&plain) {
                    assert_eq!((m.start, m.end, m.shape, m.sent_start), (p.start, p.end, p.shape, p.sent_start));
                    assert!(!p.quiet);
                    all += 1;
                    if !m.quiet {
                        continue;
                    }
                    quiet += 1;
                    let word = m.text(text);
                    // A name found here may only end inside the word, where the resolver drops
                    // it (it starts at no word boundary on its right).
                    if let Some((e, _)) = gaz.name_at(text, m.start) {
                        let inside = e < m.end && text[e..].chars().next().is_some_and(char::is_alphanumeric);
                        assert!(inside, "a name starts at quiet {word:?} in {text:?}");
                    }
                    assert!(!lex.may_start_title(word.as_bytes()), "a title may start at quiet {word:?}");
                    assert!(!lex.titles.contains_key(word.as_bytes()), "{word:?}");
                }
            }
            // Most words are quiet: the test is not vacuous.
            assert!(quiet * 2 > all, "{quiet} of {all} tokens quiet");
        }
    }

    #[test]
    fn abbreviations_start_with_a_capital_but_vs() {
        for w in REF_ABBREVIATIONS {
            assert!(is_abbreviation(w), "{w}");
            assert!(*w == "vs" || w.starts_with(|c: char| c.is_ascii_uppercase()), "{w}");
        }
        // Every way of writing a listed word that starts with a small letter is no abbreviation.
        for w in REF_ABBREVIATIONS.iter().filter(|w| **w != "vs") {
            assert!(!is_abbreviation(&w.to_lowercase()), "{w}");
        }
    }

    /// Abbreviations whose final dot belongs to the word and does not end a sentence.
    const REF_ABBREVIATIONS: &[&str] = &[
        "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Maj", "Brig", "Sgt", "Capt", "Adm", "Cmdr",
        "Prof", "Rev", "St", "Jr", "Sr", "Gov", "Pres", "Atty", "Supt", "Mt", "Ft", "vs", "No", "Inc", "Corp", "Co",
        "Ltd", "Mass", "Calif", "Fla", "Ariz", "Ill", "Wis", "Minn", "Mich", "Ga", "Va", "Pa", "Ky", "Tenn", "Tex",
        "Conn", "Ore", "Wash", "Colo", "Okla", "Ala", "Miss", "Nev", "Neb", "Kan", "Ark", "La", "Md", "Del", "Vt",
        "Mo",
    ];

    /// The first, plain tokenizer, kept as the reference the fast one must agree with.
    fn reference_tokenize(text: &str, extra_sentence_starts: &[usize]) -> Vec<Tok> {
        let bytes = text.as_bytes();
        let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 5);
        let mut i = 0;
        let mut sentence_pending = true;
        let mut gap_has_newline = false;
        let mut gap_len = 0usize;
        let mut extra = extra_sentence_starts.iter().peekable();
        while i < bytes.len() {
            let b0 = bytes[i];
            let (c, clen) = if b0 < 0x80 {
                (b0 as char, 1)
            } else {
                match text[i..].chars().next() {
                    Some(c) => (c, c.len_utf8()),
                    None => break,
                }
            };
            if c.is_whitespace() {
                if c == '\n' || c == '\r' || c == '\u{2029}' {
                    gap_has_newline = true;
                    sentence_pending = true;
                }
                gap_len += 1;
                i += clen;
                continue;
            }
            while extra.peek().is_some_and(|&&s| s < i) {
                extra.next();
            }
            let layer_start = extra.peek().is_some_and(|&&s| s == i);
            let spaced = !toks.is_empty() && gap_len > 0 && !gap_has_newline;
            let glued = !toks.is_empty() && gap_len == 0;
            gap_len = 0;
            gap_has_newline = false;
            if c.is_alphanumeric() {
                let start = i;
                let mut j = i + clen;
                let mut possessive = false;
                let mut end;
                loop {
                    // Consume letters and digits.
                    while j < bytes.len() {
                        let b = bytes[j];
                        if b < 0x80 {
                            if b.is_ascii_alphanumeric() {
                                j += 1;
                                continue;
                            }
                            break;
                        }
                        match text[j..].chars().next() {
                            Some(d) if d.is_alphanumeric() => j += d.len_utf8(),
                            _ => break,
                        }
                    }
                    end = j;
                    let next = text[j..].chars().next();
                    match next {
                        Some(q @ ('\'' | '’')) => {
                            let after = j + q.len_utf8();
                            let rest = &text[after..];
                            let mut it = rest.chars();
                            let a = it.next();
                            let b = it.next();
                            if matches!(a, Some('s' | 'S')) && !b.is_some_and(char::is_alphanumeric) {
                                possessive = true;
                                j = after + 1;
                                break;
                            }
                            if a.is_some_and(char::is_alphanumeric) {
                                // O'Brien, d'Ivoire, N’Djamena.
                                j = after;
                                continue;
                            }
                            if text[start..end].ends_with(['s', 'S'])
                                && text[start..end].chars().next().is_some_and(char::is_uppercase)
                            {
                                // "the Joneses’ house", "Reuters’": a bare apostrophe after s.
                                possessive = true;
                                j = after;
                            }
                            break;
                        }
                        Some('.') => {
                            let word = &text[start..end];
                            let single_capital = word.len() == 1 && word.as_bytes()[0].is_ascii_uppercase();
                            let dotted = word.contains('.') && word.chars().all(|c| c.is_ascii_uppercase() || c == '.');
                            if single_capital || dotted || REF_ABBREVIATIONS.contains(&word) {
                                j += 1;
                                end = j;
                                // U.S., U.K., D.C.: another capital and dot follow directly.
                                let rest = &bytes[j..];
                                if rest.len() >= 2 && rest[0].is_ascii_uppercase() && rest[1] == b'.' {
                                    j += 1;
                                    continue;
                                }
                                break;
                            }
                            break;
                        }
                        _ => break,
                    }
                }
                let word = &text[start..end];
                let shape = unicode_shape(word);
                toks.push(Tok {
                    start,
                    end,
                    shape,
                    possessive,
                    sent_start: sentence_pending || layer_start,
                    spaced,
                    glued,
                    quiet: false,
                });
                sentence_pending = false;
                i = j;
                continue;
            }
            // Punctuation: one character per token.
            let t = Tok {
                start: i,
                end: i + clen,
                shape: Shape::Punct,
                possessive: false,
                sent_start: false,
                spaced,
                glued,
                quiet: false,
            };
            toks.push(t);
            match c {
                '.' | '!' | '?' | ':' | '•' | '|' => sentence_pending = true,
                // Opening quotes and brackets keep a pending sentence start pending.
                '"' | '“' | '‘' | '\'' | '(' | '[' | '«' | '—' | '–' | '-' | '*' => {}
                _ => sentence_pending = false,
            }
            i += clen;
        }
        toks
    }
}
