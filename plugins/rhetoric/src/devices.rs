//! Structural rules: rhetorical questions, scare quotes, parenthetical sarcasm, slogans
//! (hashtags, all-caps chants, short exclamations) and "either … or" dilemmas.
//!
//! Each rule looks at sentence shape and punctuation, never at particular articles.

use crate::features::Prepared;
use crate::finding::Finding;
use crate::technique::Technique;
use crate::text::{hash_lower, Kind, Token, FUNCTION_WORDS, SHAPE_CAP, SHAPE_MIXED, SHAPE_NUMBER, SHAPE_UPPER};

/// Short replies that answer a question right after it is asked ("…legally? No.").
const ANSWERS: &[&str] = &[
    "no",
    "yes",
    "of course",
    "of course not",
    "hardly",
    "not at all",
    "absolutely",
    "absolutely not",
    "never",
    "nope",
    "certainly not",
    "not really",
    "far from it",
    "obviously not",
    "obviously",
    "clearly not",
    "not quite",
    "not likely",
    "unlikely",
    "definitely not",
    "sure",
    "indeed",
    "none",
    "nothing",
    "nobody",
    "no one",
    "not a chance",
    "exactly",
    "wrong",
    "right",
];

/// Openers that mark a question asked for effect.
const RHETORICAL_OPENERS: &[&str] = &[
    "isn't",
    "aren't",
    "doesn't",
    "don't",
    "didn't",
    "wasn't",
    "weren't",
    "won't",
    "wouldn't",
    "shouldn't",
    "can't",
    "couldn't",
    "hasn't",
    "haven't",
    "is it any wonder",
    "who could",
    "who would",
    "who can",
    "how can",
    "how could",
    "how dare",
    "why would",
    "why should",
    "why on earth",
    "what kind of",
    "since when",
    "what else",
    "are we",
    "do we really",
    "is this really",
    "is that really",
    "who in their right mind",
    "what could possibly",
    "where is the",
    "where are the",
    "why is it that",
    "why do they",
    "why does",
    "why did",
];

/// In-sentence phrases that make a question rhetorical ("it remains unclear why …?").
const RHETORICAL_INSIDE: &[&str] = &[
    "remains unclear",
    "remains a mystery",
    "one wonders",
    "one might ask",
    "one may ask",
    "we might ask",
    "really",
    "or is it",
    "after all",
    "of all people",
    "any wonder",
    "seriously",
    "honestly",
];

const QUESTION_WORDS: &[&str] = &[
    "who", "what", "when", "where", "why", "how", "which", "whose", "whom", "is", "are", "was", "were", "do", "does",
    "did", "can", "could", "will", "would", "should", "shall", "may", "might", "must", "has", "have", "had", "am",
];

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{2018}' | '\'' | '\u{ab}' | '(')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201d}' | '\u{2019}' | '\'' | '\u{bb}' | ')')
}

fn words_lower(s: &str) -> Vec<String> {
    s.split(|c: char| !is_word_part(c))
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('\u{2019}', "'").to_lowercase())
        .collect()
}

/// The chars [`words_lower`] keeps in words.
fn is_word_part(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '\u{2019}'
}

/// `w` lowercased char by char, with typographic apostrophes made straight, into `buf`. The
/// same as [`words_lower`]'s form for every comparison the rules make: it differs from
/// `str::to_lowercase` only in a final capital sigma, and the word lists are ASCII.
fn lower_into(buf: &mut String, w: &str) {
    buf.clear();
    for c in w.chars() {
        if c == '\u{2019}' {
            buf.push('\'');
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

/// Whether `s` holds at most `k` of the words [`words_lower`] splits it into.
fn at_most_words(s: &str, k: usize) -> bool {
    let mut n = 0;
    let mut in_word = false;
    for c in s.chars() {
        let w = c.is_alphanumeric() || c == '\'' || c == '\u{2019}';
        if w && !in_word {
            n += 1;
            if n > k {
                return false;
            }
        }
        in_word = w;
    }
    true
}

/// Whether `words` begin with the words `phrase` (a phrase split on single spaces).
fn starts_with_phrase(words: &[String], phrase: &[&str]) -> bool {
    words.len() >= phrase.len() && words.iter().zip(phrase).all(|(w, q)| w == q)
}

/// Whether the words `phrase` occur in a row somewhere in `words`.
fn contains_phrase(words: &[String], phrase: &[&str]) -> bool {
    words.windows(phrase.len()).any(|win| win.iter().zip(phrase).all(|(w, q)| w == q))
}

/// Phrases split into words.
type Phrases = Vec<Vec<&'static str>>;

/// [`RHETORICAL_OPENERS`] and [`RHETORICAL_INSIDE`] split into words once per process (every
/// question is tested against all of them).
fn question_phrases() -> &'static (Phrases, Phrases) {
    static PHRASES: std::sync::OnceLock<(Phrases, Phrases)> = std::sync::OnceLock::new();
    PHRASES.get_or_init(|| {
        let split = |list: &[&'static str]| list.iter().map(|p| p.split(' ').collect()).collect();
        (split(RHETORICAL_OPENERS), split(RHETORICAL_INSIDE))
    })
}

/// Trims leading opening quotes and whitespace from a span.
fn trim_open(text: &str, mut s: usize, e: usize) -> usize {
    while s < e {
        let Some(c) = text[s..e].chars().next() else { break };
        if is_open_quote(c) || c.is_whitespace() {
            s += c.len_utf8();
        } else {
            break;
        }
    }
    s
}

/// Trims trailing closing quotes so a span ends at its own punctuation.
fn trim_close(text: &str, s: usize, mut e: usize) -> usize {
    while e > s {
        let Some(c) = text[s..e].chars().next_back() else { break };
        if is_close_quote(c) || c.is_whitespace() {
            e -= c.len_utf8();
        } else {
            break;
        }
    }
    e
}

/// Rhetorical questions: questions answered at once by the same voice, declarative
/// questions, and questions opened by rhetorical formulas; any other question in running
/// text counts with lower confidence, lower still in articles full of questions (interviews).
pub fn rhetorical_questions(text: &str, sentences: &[(usize, usize)]) -> Vec<Finding> {
    // Each sentence's end before its closing quotes, computed once (the count of questions,
    // the questions and their answers all need it).
    let ends: Vec<usize> = sentences.iter().map(|&(s, e)| trim_close(text, s, e)).collect();
    let is_question = |(&(s, _), &qe): (&(usize, usize), &usize)| qe > s && text[s..qe].ends_with('?');
    let questions = sentences.iter().zip(&ends).filter(|&x| is_question(x)).count();
    let interview = sentences.len() >= 6 && questions * 4 > sentences.len();
    let mut out = Vec::new();
    for (k, (&(s, _), &qe)) in sentences.iter().zip(&ends).enumerate() {
        if !is_question((&(s, 0), &qe)) {
            continue;
        }
        // A question quoted inside a sentence starts at its opening quotation mark.
        // (Only a quotation mark still open at the question mark counts.)
        let inner_open = text[s..qe]
            .rfind(['\u{201c}', '\u{ab}'])
            .map(|i| s + i)
            .filter(|&o| !text[o..qe].contains(['\u{201d}', '\u{bb}']));
        let qs = trim_open(text, inner_open.unwrap_or(s), qe);
        let words = words_lower(&text[qs..qe]);
        if words.is_empty() {
            continue;
        }
        // An answer right after the question, by the same voice.
        if let Some(&(ns, _)) = sentences.get(k + 1) {
            let ae = ends[k + 1];
            // Count the words before building them: most next sentences are long.
            let answer = if at_most_words(&text[ns..ae], 4) { words_lower(&text[ns..ae]) } else { Vec::new() };
            let joined = answer.join(" ");
            if !answer.is_empty() && answer.len() <= 4 && ANSWERS.contains(&joined.as_str()) {
                out.push(Finding {
                    start: qs,
                    end: ae,
                    source: "rule",
                    technique: Technique::RhetoricalQuestion,
                    score: 0.85,
                    cue: format!("? {}", &text[trim_open(text, ns, ae)..ae]),
                    explanation: "a question answered at once by the same voice (asked for effect, not for an answer)"
                        .to_string(),
                });
                continue;
            }
        }
        let first = words[0].as_str();
        let (openers, insides) = question_phrases();
        let opener = RHETORICAL_OPENERS.iter().zip(openers).find(|(_, o)| starts_with_phrase(&words, o)).map(|x| x.0);
        let inside = RHETORICAL_INSIDE.iter().zip(insides).find(|(_, p)| contains_phrase(&words, p)).map(|x| x.0);
        // A question whose first word is not interrogative and whose clause has no
        // interrogative word up front is declarative: "…, it remains unclear why …?"
        let declarative = !QUESTION_WORDS.contains(&first) && words.len() > 4;
        let quoted = inner_open.is_some() || text[s..qs].chars().any(is_open_quote);
        let (score, why, cue) = if let Some(o) = opener {
            (0.75, format!("a question opened by the rhetorical formula “{o}”"), o.to_string())
        } else if let Some(p) = inside {
            (0.7, format!("a question containing “{p}”, asked for effect"), p.to_string())
        } else if declarative {
            (0.65, "a statement turned into a question, asked for effect".to_string(), "?".to_string())
        } else {
            (0.5, "a question the text puts to the reader rather than answers".to_string(), "?".to_string())
        };
        let mut score: f64 = score;
        if interview {
            score -= 0.25;
        }
        if quoted {
            score -= 0.1;
        }
        if score < 0.4 {
            continue;
        }
        out.push(Finding {
            start: qs,
            end: qe,
            source: "rule",
            technique: Technique::RhetoricalQuestion,
            score,
            cue,
            explanation: why,
        });
    }
    out
}

/// Verbs of labelling: a quoted phrase right after them is someone's label, put in quotes to
/// keep a distance from it.
const LABEL_VERBS: &[&str] = &[
    "called",
    "calls",
    "call",
    "dubbed",
    "dubs",
    "termed",
    "terms",
    "labelled",
    "labeled",
    "branded",
    "brands",
    "so-called",
    "described",
    "describes",
    "named",
    "deemed",
    "dub",
    "label",
    "labels",
];

/// Verbs of saying: a quote after them is reported speech, not a scare quote.
const SAY_VERBS: &[&str] =
    &["said", "says", "say", "told", "tells", "stated", "wrote", "writes", "added", "asked", "announced", "declared"];

/// '“' and '”' in UTF-8.
const OPEN_CURLY: &[u8] = "\u{201c}".as_bytes();
const CLOSE_CURLY: &[u8] = "\u{201d}".as_bytes();

/// The first position from `from` on of a straight quote, a line break or an opening curly
/// quote: sixteen positions per step where SSE2 is available (it is part of x86-64), each
/// tested for the three at once, so that the scan stops only at them (news text is full of
/// other chars led by 0xE2, curly apostrophes and dashes, where a scan for that byte stopped).
fn next_quote_mark(bytes: &[u8], mut from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        // Three loads per step, at `from`, `from + 1` and `from + 2`: the last ends before
        // `from + 18`.
        while from + 18 <= bytes.len() {
            // SAFETY: SSE2 is part of the x86-64 baseline; the loads read `bytes[from..from + 18]`.
            let found = unsafe {
                let p = bytes.as_ptr().add(from);
                let a = _mm_loadu_si128(p.cast());
                let b = _mm_loadu_si128(p.add(1).cast());
                let c = _mm_loadu_si128(p.add(2).cast());
                let eq = |v: __m128i, x: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(x as i8));
                let curly =
                    _mm_and_si128(eq(a, OPEN_CURLY[0]), _mm_and_si128(eq(b, OPEN_CURLY[1]), eq(c, OPEN_CURLY[2])));
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(eq(a, b'"'), eq(a, b'\n')), curly))
            };
            if found != 0 {
                return Some(from + found.trailing_zeros() as usize);
            }
            from += 16;
        }
    }
    next_quote_mark_bytewise(bytes, from)
}

/// The positions of the ASCII byte `x` in `bytes`, in order (as `str::match_indices` of
/// that char gives them), found sixteen bytes per step where SSE2 is available.
fn byte_positions(bytes: &[u8], x: u8) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let i = find_byte(bytes, from, x)?;
        from = i + 1;
        Some(i)
    })
}

/// The first position from `from` on of byte `x`.
fn find_byte(bytes: &[u8], mut from: usize, x: u8) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        while from + 16 <= bytes.len() {
            // SAFETY: SSE2 is part of the x86-64 baseline; the load reads `bytes[from..from + 16]`.
            let found = unsafe {
                let v = _mm_loadu_si128(bytes.as_ptr().add(from).cast());
                _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(x as i8)))
            };
            if found != 0 {
                return Some(from + found.trailing_zeros() as usize);
            }
            from += 16;
        }
    }
    bytes.get(from..)?.iter().position(|&b| b == x).map(|k| from + k)
}

/// [`next_quote_mark`] byte by byte: its definition, and its tail.
fn next_quote_mark_bytewise(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find(|&i| matches!(bytes[i], b'"' | b'\n') || bytes[i..].starts_with(OPEN_CURLY))
}

/// Where the quote that an opening curly quote ending at `from` opens ends: after a closing
/// curly quote among the sixty chars from `from`, if no line break or opening curly quote
/// comes before it. Chars are counted by their lead bytes, with no decoding.
fn curly_close(bytes: &[u8], from: usize) -> Option<usize> {
    let mut chars = 0;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        // UTF-8 continuation bytes (10xxxxxx) begin no char.
        if b & 0xc0 == 0x80 {
            continue;
        }
        if chars == 60 || b == b'\n' {
            return None;
        }
        chars += 1;
        if b == OPEN_CURLY[0] {
            let rest = &bytes[k..];
            if rest.starts_with(CLOSE_CURLY) {
                return Some(k + CLOSE_CURLY.len());
            }
            if rest.starts_with(OPEN_CURLY) {
                return None;
            }
        }
    }
    None
}

/// Scare quotes: a short quoted phrase (one to four words, no sentence punctuation inside)
/// that is not a quoted sentence and not a title or name.
pub fn scare_quotes(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut straight_open: Option<usize> = None;
    let mut from = 0;
    // Only three chars matter: straight and opening curly quotes, and line breaks. Jump from
    // one to the next (see `next_quote_mark`).
    while let Some(i) = next_quote_mark(bytes, from) {
        from = i + 1;
        let candidate = match bytes[i] {
            b'"' => {
                // Straight quotes: an opening one follows a space or line start.
                let opening = text[..i].chars().next_back().is_none_or(|p| p.is_whitespace() || p == '(');
                if opening {
                    straight_open = Some(i);
                    None
                } else {
                    straight_open.take().map(|o| (o, i + 1))
                }
            }
            b'\n' => {
                straight_open = None;
                None
            }
            // An opening curly quote: the matching close on the same line, within a short
            // distance.
            _ => curly_close(bytes, i + OPEN_CURLY.len()).map(|e| (i, e)),
        };
        let Some((qs, qe)) = candidate else { continue };
        out.extend(judge_quote(text, qs, qe));
    }
    out
}

/// The scare-quote finding for the quote at `qs..qe` (its quote marks included), if its
/// inside is a short phrase (one to four words, no sentence punctuation) that is not a title
/// or name: the judgment both scans share.
fn judge_quote(text: &str, qs: usize, qe: usize) -> Option<Finding> {
    let inner = &text[qs + text[qs..].chars().next().map_or(1, char::len_utf8)
        ..qe - text[..qe].chars().next_back().map_or(1, char::len_utf8)];
    let inner_t = inner.trim();
    if inner_t.is_empty() || inner_t.contains(['.', '!', '?', ',', ';', ':', '\n']) {
        return None;
    }
    let words: Vec<&str> = inner_t.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    let all_caps_initial = words.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric()));
    if all_caps_initial {
        // Titles, names and single proper nouns are quoted for other reasons.
        return None;
    }
    // The last three words before the quote, lowercased as `words_lower` does (into one
    // buffer each, not a vector of strings per quote).
    let before = &text[floor_boundary(text, qs.saturating_sub(60))..qs];
    let mut last_three = [String::new(), String::new(), String::new()];
    let mut n = 0;
    for (w, buf) in before.split(|c: char| !is_word_part(c)).rev().filter(|w| !w.is_empty()).zip(&mut last_three) {
        lower_into(buf, w);
        n += 1;
    }
    let last_two = &last_three[..n];
    let (score, why) = if last_two.iter().any(|w| LABEL_VERBS.contains(&w.as_str())) {
        (0.75, "a short quoted label kept at a distance with quotation marks".to_string())
    } else if last_two.first().is_some_and(|w| SAY_VERBS.contains(&w.as_str())) {
        (0.45, "a short quoted fragment of someone's words".to_string())
    } else {
        (0.7, "a short phrase in quotation marks with no speaker: the writer distances themselves from it".to_string())
    };
    Some(Finding {
        start: qs,
        end: qe,
        source: "rule",
        technique: Technique::ScareQuotes,
        score,
        cue: inner_t.to_string(),
        explanation: why,
    })
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Parentheticals that are not sarcastic.
const PLAIN_PARENTHETICALS: &[&str] = &[
    "sic",
    "left",
    "right",
    "above",
    "below",
    "pictured",
    "file",
    "photo",
    "ret",
    "center",
    "centre",
    "top",
    "bottom",
    "cont",
    "continued",
    "eds",
    "ed",
    "s",
    "es",
    "i",
    "ii",
    "iii",
    "a",
    "b",
    "c",
    "d",
    "updated",
    "video",
    "audio",
    "watch",
    "emphasis added",
    "emphasis mine",
    "see below",
    "see above",
];

/// Parenthetical deflation: one or two lowercase words in brackets right before the word
/// they undercut, "(empty) threats", "(alleged) experts".
pub fn parenthetical_sarcasm(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in byte_positions(text.as_bytes(), b'(') {
        if text[..i].chars().next_back().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let rest = &text[i + 1..];
        let Some(close) = rest.find(')') else { continue };
        if close > 30 {
            continue;
        }
        let inner = &rest[..close];
        let words: Vec<&str> = inner.split_whitespace().collect();
        if words.is_empty()
            || words.len() > 2
            || !words.iter().all(|w| w.chars().all(|c| c.is_lowercase() || c == '-'))
            || PLAIN_PARENTHETICALS.contains(&inner)
        {
            continue;
        }
        let after = &rest[close + 1..];
        if !after.starts_with(' ') {
            continue;
        }
        let word_len = after[1..].find(|c: char| !c.is_alphanumeric() && c != '-').unwrap_or(after.len() - 1);
        if word_len == 0 || !after[1..].chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let end = i + 1 + close + 1 + 1 + word_len;
        out.push(Finding {
            start: i,
            end,
            source: "rule",
            technique: Technique::Sarcasm,
            score: 0.65,
            cue: format!("({inner})"),
            explanation: format!("the bracketed “{inner}” undercuts the word it qualifies (parenthetical deflation)"),
        });
    }
    out
}

/// Whether three ASCII capitals follow each other somewhere in `bytes`.
fn has_ascii_caps_run(bytes: &[u8]) -> bool {
    let mut run = 0u32;
    for &b in bytes {
        run = if b.is_ascii_uppercase() { run + 1 } else { 0 };
        if run == 3 {
            return true;
        }
    }
    false
}

/// Slogans by shape: hashtags, chants in capitals, and very short exclamations.
pub fn slogans(text: &str, sentences: &[(usize, usize)]) -> Vec<Finding> {
    slogans_where(text, sentences, |_, seg| has_ascii_caps_run(seg.as_bytes()))
}

/// [`slogans`] for the sentences `p` was prepared from, which tests for three capitals in a
/// row only in the tokens that hold capitals after the first char (shapes upper and mixed):
/// three ASCII capitals in a row are word chars of one token, whose shape says it has more
/// than one capital. Most sentences have no such token, and are not scanned byte by byte.
///
/// Nor are the sentences with fewer than three tokens that may begin a word in capitals
/// ([`may_begin_capital_word`]): a chant is three such words or more, and each word's first
/// token is one (so a sentence with one acronym, as many have, is not split into words).
pub fn slogans_prepared(text: &str, sentences: &[(usize, usize)], p: &Prepared) -> Vec<Finding> {
    slogans_where(text, sentences, |k, _| {
        let (a, b) = p.sentence_tokens[k];
        let tokens = &p.tokens[a..b];
        tokens.iter().any(|t| {
            matches!(t.shape, SHAPE_UPPER | SHAPE_MIXED) && has_ascii_caps_run(&text.as_bytes()[t.start..t.end])
        }) && tokens.iter().filter(|t| may_begin_capital_word(text, t)).nth(2).is_some()
    })
}

/// Whether token `t` may be the first token of a word that [`slogans_where`] counts as
/// written in capitals (two chars or more, each uppercase, `'` or `-`, one a letter, once
/// trimmed of what is not a letter or digit). That word's first token starts at its first
/// char, an uppercase letter, and holds only its uppercase chars and the joiners between
/// them: so it is all capitals (shape upper), one capital (shape capitalized, one char), or,
/// for chars both uppercase and numeric (Roman numerals), a number.
fn may_begin_capital_word(text: &str, t: &Token) -> bool {
    match t.shape {
        SHAPE_UPPER | SHAPE_NUMBER => true,
        // One char: one byte, or the lead byte of one of up to four.
        SHAPE_CAP => t.end - t.start == 1 || (text.as_bytes()[t.start] >= 0x80 && t.end - t.start <= 4),
        _ => false,
    }
}

/// Words in a hashtag's body, written in CamelCase or joined by underscores: a hashtag of one
/// or two words is mostly a name or a topic (#Hamas, #StephenPaddock), one of three or more a
/// phrase (#StopTheToll), which is what makes it a slogan.
fn hashtag_words(body: &str) -> usize {
    let mut words = 0;
    let mut prev: Option<char> = None;
    for c in body.chars() {
        let starts = match prev {
            None => c.is_alphanumeric(),
            Some('_') => c != '_',
            Some(p) => c.is_uppercase() && !p.is_uppercase(),
        };
        words += starts as usize;
        prev = Some(c);
    }
    words
}

/// [`slogans`], with `has_caps_run(k, sentence k's text)` telling whether sentence `k` has
/// three ASCII capitals in a row (no chant without them).
fn slogans_where(text: &str, sentences: &[(usize, usize)], has_caps_run: impl Fn(usize, &str) -> bool) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in byte_positions(text.as_bytes(), b'#') {
        let rest = &text[i + 1..];
        let n = rest.find(|c: char| !c.is_alphanumeric() && c != '_').unwrap_or(rest.len());
        let prev_ok = text[..i].chars().next_back().is_none_or(char::is_whitespace);
        if n >= 3 && prev_ok && rest[..n].chars().any(char::is_alphabetic) && hashtag_words(&rest[..n]) >= 3 {
            out.push(Finding {
                start: i,
                end: i + 1 + n,
                source: "rule",
                technique: Technique::Slogans,
                score: 0.6,
                cue: text[i..i + 1 + n].to_string(),
                explanation: "a hashtag used as a rallying cry".to_string(),
            });
        }
    }
    for (k, &(s, e)) in sentences.iter().enumerate() {
        let seg = &text[s..e];
        let has_caps_run = has_caps_run(k, seg);
        // Runs of three or more all-capital words with at least one long word: a chant.
        let mut run: Vec<(usize, usize)> = Vec::new();
        let flush = |run: &mut Vec<(usize, usize)>, out: &mut Vec<Finding>| {
            if run.len() >= 3 && run.iter().any(|&(a, b)| b - a >= 5) {
                let (a, b) = (run[0].0, run[run.len() - 1].1);
                out.push(Finding {
                    start: s + a,
                    end: s + b,
                    source: "rule",
                    technique: Technique::Slogans,
                    score: 0.6,
                    cue: seg[a..b].to_string(),
                    explanation: "a phrase written in capitals like a chant".to_string(),
                });
            }
            run.clear();
        };
        if has_caps_run {
            let mut pos = 0;
            for w in seg.split(' ') {
                // A word whose first letter or digit is an ASCII lowercase letter is no capital.
                let lower_first = w
                    .bytes()
                    .find(|b| !b.is_ascii() || b.is_ascii_alphanumeric())
                    .is_some_and(|b| b.is_ascii_lowercase());
                // The word trimmed of what is not a letter or digit, and where it starts in
                // the word (its first occurrence there: what precedes it is no letter or digit).
                let (off, core) = if lower_first {
                    (0, "")
                } else {
                    let rest = w.trim_start_matches(|c: char| !c.is_alphanumeric());
                    (w.len() - rest.len(), rest.trim_end_matches(|c: char| !c.is_alphanumeric()))
                };
                let caps = !lower_first
                    && core.chars().count() >= 2
                    && core.chars().all(|c| c.is_uppercase() || c == '\'' || c == '-')
                    && core.chars().any(char::is_alphabetic);
                if caps {
                    run.push((pos + off, pos + off + core.len()));
                } else {
                    flush(&mut run, &mut out);
                }
                pos += w.len() + 1;
            }
        }
        flush(&mut run, &mut out);
        // A short exclamation. A sentence whose last char is ASCII and neither '!' nor one
        // that `trim_close` trims (a closing quote or bracket, whitespace) ends in no '!':
        // most end in a full stop, and need no trimming to tell.
        let last = seg.as_bytes().last().copied().unwrap_or(b'!');
        if last < 0x80 && !matches!(last, b'!' | b'"' | b'\'' | b')' | b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            continue;
        }
        let se = trim_close(text, s, e);
        let ss = trim_open(text, s, se);
        if se > ss && text[ss..se].ends_with('!') {
            let n = text[ss..se].split_whitespace().count();
            if (1..=6).contains(&n) {
                out.push(Finding {
                    start: ss,
                    end: se,
                    source: "rule",
                    technique: Technique::Slogans,
                    score: 0.55,
                    cue: "!".to_string(),
                    explanation: format!("a short exclamation of {n} words, like a slogan"),
                });
            }
        }
    }
    out
}

/// Hashes of words the token-based rules look for.
struct Words {
    either: u64,
    or: u64,
    /// Sorted, so that the per-token test is a binary search rather than a scan of the list
    /// (the scan was 8% of the whole pipeline's instructions in callgrind).
    function: Vec<u64>,
    /// One bit per value of a hash's top 12 bits, set for the function words: most words
    /// are not function words, and one bit test tells them so before any search.
    function_bits: [u64; 64],
}

impl Words {
    fn is_function(&self, hash: u64) -> bool {
        let bit = (hash >> 52) as usize;
        self.function_bits[bit / 64] & (1 << (bit % 64)) != 0 && self.function.binary_search(&hash).is_ok()
    }
}

fn words() -> &'static Words {
    static W: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    W.get_or_init(|| {
        let mut function: Vec<u64> = FUNCTION_WORDS.iter().chain(REPEAT_IGNORE).map(|w| hash_lower(w)).collect();
        function.sort_unstable();
        function.dedup();
        let mut function_bits = [0u64; 64];
        for &h in &function {
            let bit = (h >> 52) as usize;
            function_bits[bit / 64] |= 1 << (bit % 64);
        }
        Words { either: hash_lower("either"), or: hash_lower("or"), function, function_bits }
    })
}

/// Words that repeat for grammar or sound, not emphasis (besides the function words).
const REPEAT_IGNORE: &[&str] = &["very", "many", "far", "new", "bye", "knock", "ha", "again", "other", "same"];

/// "Either … or …" in one sentence: a dilemma offered as the only options.
pub fn either_or(text: &str, p: &Prepared) -> Vec<Finding> {
    let w = words();
    let mut out = Vec::new();
    // Most documents have no "either" at all: one probe says so.
    if !p.has_word(w.either) {
        return out;
    }
    for &(a, b) in &p.sentences {
        let toks = &p.tokens[a..b];
        let Some(i) = toks.iter().position(|t| t.lower == w.either) else { continue };
        if toks.len() > i + 3 && toks[i + 1..].iter().any(|t| t.lower == w.or) {
            let (s, e) = (toks[0].start, toks[toks.len() - 1].end);
            let es = trim_close(text, s, e);
            let ss = trim_open(text, s, es);
            out.push(Finding {
                start: ss,
                end: es,
                technique: Technique::BlackAndWhiteFallacy,
                source: "rule",
                score: 0.45,
                cue: "either … or".to_string(),
                explanation: "an “either … or” choice that presents two options as the only ones".to_string(),
            });
        }
    }
    out
}

/// Whether the word after token `k` (punctuation skipped, before token `b`) is the same word.
fn immediate(p: &Prepared, k: usize, b: usize) -> bool {
    let next = (k + 1..b).find(|&m| p.tokens[m].kind != Kind::Punct);
    next.is_some_and(|m| p.tokens[m].lower == p.tokens[k].lower)
}

/// Repetition for emphasis: a word said again at once and again within three words ("lies,
/// lies and more lies"), and three or more sentences in a row opening with the same two words
/// (anaphora). A word that comes back only after other words ("line by line", "person to
/// person", "Paddock asserts that Paddock") is grammar or an idiom more often than emphasis:
/// on our PTC training part, such spans were almost never marked as a technique.
pub fn repetition(text: &str, p: &Prepared) -> Vec<Finding> {
    let w = words();
    let mut out = Vec::new();
    REPETITION_BUFFERS.with(|buffers| {
        let buffers = &mut *buffers.borrow_mut();
        repetition_with(text, p, w, buffers, &mut out);
    });
    out
}

/// [`repetition`]'s per-document buffers, kept per thread from document to document (three
/// allocations per document otherwise): per distinct word whether it is a function word, and
/// its last occurrence; per token the next occurrence of its word.
#[derive(Default)]
struct RepetitionBuffers {
    function: Vec<u8>,
    next: Vec<u32>,
    last: Vec<u32>,
}

thread_local! {
    static REPETITION_BUFFERS: std::cell::RefCell<RepetitionBuffers> =
        std::cell::RefCell::new(RepetitionBuffers::default());
}

/// [`repetition`] with its buffers.
fn repetition_with(text: &str, p: &Prepared, w: &Words, buffers: &mut RepetitionBuffers, out: &mut Vec<Finding>) {
    let RepetitionBuffers { function, next, last } = buffers;
    // A word that occurs once in the document (`repeats` 1) cannot repeat: most words are
    // ruled out by that before any other test.
    // Whether a word is a function word, asked once per distinct word (equal ids, equal
    // hashes): "the" comes back dozens of times in an article. 2 means not asked yet.
    function.clear();
    function.resize(p.distinct_words, 2);
    let mut candidate = |k: usize| {
        let t = &p.tokens[k];
        p.repeats[k] >= 2 && t.kind == Kind::Word && t.end - t.start >= 3 && {
            let f = &mut function[p.word_ids[k] as usize];
            if *f == 2 {
                *f = w.is_function(t.lower) as u8;
            }
            *f == 0
        }
    };
    // Per token, the next token of the same word (equal ids, equal hashes), `u32::MAX` for
    // none: one pass from the end. A word of the article that does not come back later in
    // its sentence, as most do not, cannot repeat at once, and is passed over without
    // looking at its neighbours.
    // Every token's entry of `next` is written below: the vector keeps what it held.
    next.resize(p.tokens.len(), u32::MAX);
    last.clear();
    last.resize(p.distinct_words, u32::MAX);
    for (k, &id) in p.word_ids.iter().enumerate().rev() {
        next[k] = std::mem::replace(&mut last[id as usize], k as u32);
    }
    for &(a, b) in &p.sentences {
        // Walked by token, punctuation skipped (it does not count between repeats: "lies,
        // lies"). A word whose `repeats` is below 2 (punctuation has 0) is no candidate, and
        // a tight scan of those bytes passes over most of the sentence.
        let mut k = a;
        while k < b {
            match p.repeats[k..b].iter().position(|&r| r >= 2) {
                Some(d) => k += d,
                None => break,
            }
            if next[k] as usize >= b || !candidate(k) {
                k += 1;
                continue;
            }
            let t = &p.tokens[k];
            // The same word again within three words of its last occurrence.
            let (mut last, mut since, mut m) = (k, 0, k + 1);
            while m < b {
                let u = &p.tokens[m];
                if u.kind != Kind::Punct {
                    since += 1;
                    if since > 3 {
                        break;
                    }
                    if u.lower == t.lower {
                        last = m;
                        since = 0;
                    }
                }
                m += 1;
            }
            if last > k && immediate(p, k, b) {
                let word = &text[t.start..t.end];
                out.push(Finding {
                    start: t.start,
                    end: p.tokens[last].end,
                    technique: Technique::Repetition,
                    source: "rule",
                    score: 0.6,
                    cue: word.to_string(),
                    explanation: format!("“{word}” is repeated at once, for emphasis"),
                });
                k = last + 1;
            } else {
                k += 1;
            }
        }
    }
    // Anaphora across consecutive sentences: the same two opening words, three times or more.
    let opening = |&(a, b): &(usize, usize)| -> Option<(usize, usize, u64, u64)> {
        let mut it = p.tokens[a..b].iter().filter(|t| t.kind != Kind::Punct);
        let (x, y) = (it.next()?, it.next()?);
        // At least two more words (found without counting the rest of the sentence).
        it.nth(1).map(|_| (x.start, y.end, x.lower, y.lower))
    };
    let openings: Vec<Option<(usize, usize, u64, u64)>> = p.sentences.iter().map(opening).collect();
    let mut k = 0;
    while k < openings.len() {
        let Some((_, _, h1, h2)) = openings[k] else {
            k += 1;
            continue;
        };
        let mut m = k + 1;
        while m < openings.len() && openings[m].is_some_and(|o| o.2 == h1 && o.3 == h2) {
            m += 1;
        }
        if m - k >= 3 {
            for &(s, e, _, _) in openings[k..m].iter().flatten() {
                let key = text[s..e].to_string();
                out.push(Finding {
                    start: s,
                    end: e,
                    technique: Technique::Repetition,
                    source: "rule",
                    score: 0.6,
                    explanation: format!("{} sentences in a row open with “{key}” (anaphora)", m - k),
                    cue: key,
                });
            }
        }
        k = m;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{find_byte3, split_sentences};

    /// One step of the xorshift generator the pseudo-random test texts are drawn with.
    fn xorshift(seed: &mut u64) {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
    }

    /// A text of `n` pieces drawn from `pieces` with [`xorshift`].
    fn random_text(pieces: &[&str], n: usize, seed: &mut u64) -> String {
        let mut text = String::new();
        for _ in 0..n {
            xorshift(seed);
            text.push_str(pieces[(*seed % pieces.len() as u64) as usize]);
        }
        text
    }

    fn spans(text: &str, f: &[Finding]) -> Vec<String> {
        f.iter().map(|x| text[x.start..x.end].to_string()).collect()
    }

    #[test]
    fn question_answered_at_once_is_one_span() {
        let text = "He asked: “Was the vote fair? No. It was rigged.”";
        let f = rhetorical_questions(text, &split_sentences(text));
        assert_eq!(spans(text, &f), vec!["Was the vote fair? No."]);
        assert!(f[0].score >= 0.8);
    }

    #[test]
    fn scare_quotes_skip_titles_and_sentences() {
        let text =
            "They held a “free election” and read “The Times”. He said “We will win, surely.” A \"peace plan\" too.";
        let f = scare_quotes(text);
        assert_eq!(spans(text, &f), vec!["“free election”", "\"peace plan\""]);
    }

    /// The scare-quote rule as it was written before its scan stopped only at quote marks
    /// (issue 9): the definition the fast one must match.
    /// Scare quotes: a short quoted phrase (one to four words, no sentence punctuation inside)
    /// that is not a quoted sentence and not a title or name.
    fn scare_quotes_reference(text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        let mut straight_open: Option<usize> = None;
        let mut from = 0;
        // Only three chars matter: straight and opening curly quotes, and line breaks. Jump from
        // one to the next by their bytes (0xE2 leads '\u{201c}'; no continuation byte equals any
        // of the three).
        while let Some(k) = find_byte3(&bytes[from..], b'"', b'\n', 0xe2) {
            let i = from + k;
            from = i + 1;
            let candidate = match bytes[i] {
                b'"' => {
                    // Straight quotes: an opening one follows a space or line start.
                    let opening = text[..i].chars().next_back().is_none_or(|p| p.is_whitespace() || p == '(');
                    if opening {
                        straight_open = Some(i);
                        None
                    } else {
                        straight_open.take().map(|o| (o, i + 1))
                    }
                }
                b'\n' => {
                    straight_open = None;
                    None
                }
                _ if text[i..].starts_with('\u{201c}') => {
                    // Find the matching close on the same line, within a short distance.
                    let rest = &text[i + '\u{201c}'.len_utf8()..];
                    let limit = rest.char_indices().nth(60).map(|(b, _)| b).unwrap_or(rest.len());
                    rest[..limit].find(['\u{201d}', '\n', '\u{201c}']).and_then(|j| {
                        rest[j..]
                            .starts_with('\u{201d}')
                            .then_some((i, i + '\u{201c}'.len_utf8() + j + '\u{201d}'.len_utf8()))
                    })
                }
                _ => None,
            };
            let Some((qs, qe)) = candidate else { continue };
            out.extend(judge_quote(text, qs, qe));
        }
        out
    }

    #[test]
    fn scare_quotes_find_what_the_char_scan_finds() {
        let pieces = [
            "“",
            "”",
            "\"",
            "\n",
            " ",
            "word",
            "Title",
            "’",
            "—",
            "é",
            "\u{1d465}",
            "so-called",
            ".",
            ",",
            "said",
            "dubbed",
            "(",
            "x",
            "“peace plan”",
            "“A B”",
            "\u{201c}",
            "\u{201d}",
            "ab“cd”",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut found = 0;
        for round in 0..3000 {
            let mut text = String::new();
            let len = 1 + round % 60;
            for _ in 0..len {
                xorshift(&mut seed);
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
                if seed.is_multiple_of(3) {
                    text.push(' ');
                }
            }
            let (fast, slow) = (scare_quotes(&text), scare_quotes_reference(&text));
            assert_eq!(fast, slow, "{text:?}");
            found += slow.len();
            for from in 0..=text.len() {
                let b = text.as_bytes();
                assert_eq!(next_quote_mark(b, from), next_quote_mark_bytewise(b, from), "{text:?} from {from}");
            }
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn byte_positions_are_those_of_match_indices() {
        let texts = [
            "(a) #tag ((x)) ## #".repeat(5),
            "no marks at all, not one, in this rather long line of text".to_string(),
            "é(ü)#\u{1d465}#".repeat(9),
            String::new(),
            "#".to_string(),
        ];
        for text in &texts {
            for from in (0..=text.len()).filter(|&k| text.is_char_boundary(k)) {
                let rest = &text.as_bytes()[from..];
                for (x, c) in [(b'(', '('), (b'#', '#')] {
                    let want: Vec<usize> = text[from..].match_indices(c).map(|(i, _)| i).collect();
                    assert_eq!(byte_positions(rest, x).collect::<Vec<_>>(), want, "{text:?} from {from}");
                }
            }
        }
    }

    #[test]
    fn a_curly_quote_closes_within_sixty_chars_whatever_their_width() {
        for ch in ["x", "é", "\u{1d465}"] {
            for k in 50..70 {
                let text = format!("A “{}” b.", ch.repeat(k));
                assert_eq!(scare_quotes(&text).len(), (k < 60) as usize, "{k} × {ch}");
            }
        }
    }

    #[test]
    fn slogans_from_tokens_find_what_the_byte_scan_finds() {
        let texts = [
            "NO WAR NOW! We say STOP THE WAR and McDONALD'S IS CLOSED TODAY. NATO met. #FreeThem",
            "ÉTATS UNIS ENSEMBLE TOUJOURS. The USA and the UK and the EU. A-B-C D-E-F GHIJK. Go!",
            "Lowercase only here. THREE CAPITAL WORDS HERE, then more. X Y Z. ABC DEF GHIJKL!",
            // Capital words whose first token is one capital, a Roman numeral, or quoted.
            "A--B C--D EFGHI now. ⅫⅫ ABC DEFGH. 'AB' -CD- (EFGHI)! É-È ÀB CDEFG. I AM HERE NOW.",
            "NATO ALONE. One FBI agent, I think, and A B. THE END. É--È ÀB CDEFG.",
        ];
        let lexicon = crate::embedded_lexicon().expect("embedded lexicon");
        let mut found = 0;
        for text in texts {
            let sentences = split_sentences(text);
            let p = Prepared::new(text, &sentences, lexicon.find(text));
            let (fast, slow) = (slogans_prepared(text, &sentences, &p), slogans(text, &sentences));
            assert_eq!(fast, slow, "{text}");
            found += slow.len();
        }
        assert!(found >= 5);
        // Pseudo-random texts of capitals, small letters, joiners, quotes, Roman numerals,
        // digits and sentence ends, so that chants and near-chants of every make come up.
        let pieces = [
            "A", "BC", "DEFGH", "XYZ", "QRSTU", "x", "Ab", "-", "'", "’", "“", "”", " ", " ", " ", " ", " ", "Ⅻ", "É",
            "1", "!", ". ", ",",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut chants = 0;
        for _ in 0..3000 {
            let text = random_text(&pieces, 24, &mut seed);
            let sentences = split_sentences(&text);
            let p = Prepared::new(&text, &sentences, lexicon.find(&text));
            let (fast, slow) = (slogans_prepared(&text, &sentences, &p), slogans(&text, &sentences));
            assert_eq!(fast, slow, "{text:?}");
            chants += slow.iter().filter(|f| f.explanation.contains("chant")).count();
        }
        assert!(chants >= 20, "{chants}");
    }

    /// Short exclamations are found where the rule as first written finds them: each
    /// sentence trimmed of closing and opening quotes, ending in '!', of one to six words
    /// (the rule now passes over a sentence by its last byte first).
    #[test]
    fn short_exclamations_are_found_as_the_trimming_rule_finds_them() {
        let reference = |text: &str, sentences: &[(usize, usize)]| -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            for &(s, e) in sentences {
                let se = trim_close(text, s, e);
                let ss = trim_open(text, s, se);
                if se > ss && text[ss..se].ends_with('!') && (1..=6).contains(&text[ss..se].split_whitespace().count())
                {
                    out.push((ss, se));
                }
            }
            out
        };
        let pieces =
            ["Go", "now", "!", "!", ".", "\"", "”", "’", "'", ")", "(", " ", " ", "\u{a0}", "\t", "é", "word", "?"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut found = 0;
        for _ in 0..3000 {
            let text = random_text(&pieces, 16, &mut seed);
            let sentences = split_sentences(&text);
            let got: Vec<(usize, usize)> = slogans(&text, &sentences)
                .iter()
                .filter(|f| f.explanation.contains("short exclamation"))
                .map(|f| (f.start, f.end))
                .collect();
            let want = reference(&text, &sentences);
            assert_eq!(got, want, "{text:?}");
            found += want.len();
        }
        assert!(found >= 100, "{found}");
    }

    /// "Either … or" is found in any case, and a document without "either" (told by one
    /// probe of its words) has none.
    #[test]
    fn either_or_finds_the_dilemma_and_nothing_without_either() {
        let lexicon = crate::embedded_lexicon().expect("embedded lexicon");
        let cases: [(&str, &[&str]); 4] = [
            ("Either we stand together or we fall apart. Fine.", &["Either we stand together or we fall apart."]),
            ("We stand or we fall. EITHER way, or not.", &["EITHER way, or not."]),
            ("No dilemma or choice here, neither this nor that.", &[]),
            ("Either or.", &[]),
        ];
        for (text, want) in cases {
            let sentences = split_sentences(text);
            let p = Prepared::new(text, &sentences, lexicon.find(text));
            assert_eq!(spans(text, &either_or(text, &p)), want.to_vec(), "{text}");
        }
    }

    #[test]
    fn scare_quotes_weigh_labels_and_speech_before_the_quote() {
        let text = "Critics CALLED it a “peace plan” today. The minister said “total victory” twice. \
                    What they’d dubbed “reform” failed. It was a “historic step” forward.";
        let f = scare_quotes(text);
        let got: Vec<(String, f64)> = f.iter().map(|x| (text[x.start..x.end].to_string(), x.score)).collect();
        assert_eq!(
            got,
            vec![
                ("“peace plan”".to_string(), 0.75),
                ("“total victory”".to_string(), 0.45),
                ("“reform”".to_string(), 0.75),
                ("“historic step”".to_string(), 0.7),
            ]
        );
    }

    /// The in-sentence repetition rule as first written, over an index of the words: the
    /// definition [`repetition`] must match.
    fn reference_repeats(text: &str, p: &Prepared) -> Vec<(usize, usize, String)> {
        let w = words();
        let candidate = |k: usize| {
            let t = &p.tokens[k];
            p.repeats[k] >= 2 && t.kind == Kind::Word && t.end - t.start >= 3 && !w.is_function(t.lower)
        };
        let mut out = Vec::new();
        let mut idx: Vec<usize> = Vec::new();
        for &(a, b) in &p.sentences {
            idx.clear();
            idx.extend((a..b).filter(|&k| p.tokens[k].kind != Kind::Punct));
            let mut i = 0;
            while i < idx.len() {
                let t = &p.tokens[idx[i]];
                if !candidate(idx[i]) {
                    i += 1;
                    continue;
                }
                let mut last = i;
                let mut j = i + 1;
                while j < idx.len() && j <= last + 3 {
                    if p.tokens[idx[j]].lower == t.lower {
                        last = j;
                    }
                    j += 1;
                }
                if last > i && p.tokens[idx[i + 1]].lower == t.lower {
                    out.push((t.start, p.tokens[idx[last]].end, text[t.start..t.end].to_string()));
                    i = last + 1;
                } else {
                    i += 1;
                }
            }
        }
        out
    }

    #[test]
    fn repetition_finds_what_the_word_index_walk_finds() {
        let texts = [
            "Lies, lies and more lies: lies! They lied, and lied, and lied. The the the cat. \
             War is war, peace — peace — peace, and never, never, never again, never. Free, \
             free at last; free at last. Going, going... gone, going gone going.",
            "Vote for change, vote for hope, vote for us. Vote, vote, vote! Nothing else matters, \
             nothing at all, nothing. 1999 1999 1999 and 2000 2000.",
        ];
        let lexicon = crate::embedded_lexicon().expect("embedded lexicon");
        let mut found = 0;
        for text in texts {
            let p = Prepared::new(text, &split_sentences(text), lexicon.find(text));
            let got: Vec<(usize, usize, String)> = repetition(text, &p)
                .into_iter()
                .filter(|f| f.explanation.contains("repeated at once"))
                .map(|f| (f.start, f.end, f.cue))
                .collect();
            assert_eq!(got, reference_repeats(text, &p), "{text}");
            found += got.len();
        }
        assert!(found >= 6);
        // Pseudo-random sentences of a few words, so that words come back at every distance,
        // across sentence ends and punctuation.
        let vocabulary = ["lies", "Lies", "war", "never", "the", "vote", ",", "—", "!", ".", "1999", "and", "peace"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut found = 0;
        for round in 0..500 {
            let mut text = String::new();
            for _ in 0..5 + round % 40 {
                xorshift(&mut seed);
                text.push_str(vocabulary[(seed % vocabulary.len() as u64) as usize]);
                text.push(' ');
            }
            let p = Prepared::new(&text, &split_sentences(&text), lexicon.find(&text));
            let got: Vec<(usize, usize, String)> = repetition(&text, &p)
                .into_iter()
                .filter(|f| f.explanation.contains("repeated at once"))
                .map(|f| (f.start, f.end, f.cue))
                .collect();
            assert_eq!(got, reference_repeats(&text, &p), "{text}");
            found += got.len();
        }
        assert!(found >= 200, "{found}");
    }

    #[test]
    fn repetition_wants_the_word_again_at_once_and_hashtags_a_phrase() {
        let lexicon = crate::embedded_lexicon().expect("embedded lexicon");
        let text = "They told lies, lies and more lies. We went line by line, person to person. \
                    Paddock asserts that Paddock acted alone.";
        let p = Prepared::new(text, &split_sentences(text), lexicon.find(text));
        assert_eq!(spans(text, &repetition(text, &p)), vec!["lies, lies and more lies"]);
        assert_eq!(hashtag_words("StopTheToll"), 3);
        assert_eq!(hashtag_words("stop_the_toll"), 3);
        assert_eq!(hashtag_words("StephenPaddock"), 2);
        assert_eq!(hashtag_words("MAGA"), 1);
        let text = "Marchers chanted #StopTheToll while #Hamas and #StephenPaddock trended.";
        assert_eq!(spans(text, &slogans(text, &split_sentences(text))), vec!["#StopTheToll"]);
    }

    #[test]
    fn parenthetical_deflation() {
        let text = "The ministry issued (hollow) warnings and the mayor (pictured) left; see friend(s) too.";
        assert_eq!(spans(text, &parenthetical_sarcasm(text)), vec!["(hollow) warnings"]);
    }
}
