//! Quotations: direct quotes in straight or curly marks with their speaker where the text says
//! who, reported speech (said that …, according to …), and short quoted phrases without a
//! speaker (candidate scare quotes).
//!
//! Marks are paired within a paragraph; a quote left open at the paragraph's end (news style
//! for quotes that run over several paragraphs) is closed there, so it can never run away.
//! Speakers are looked for in a bounded window after the closing mark (“…,” said X / “…,” X
//! said / “…,” according to X) and before the opening one (X said: “…”).

use memchr::memchr3;
use memchr::memmem;

use crate::names::{is_speech_verb, name_after, name_before, takes_object};
use crate::scan::{char_at, char_before, core_of, skip_space, tokens_back, tokens_fwd, trim_end};

/// How far (bytes) around a quote the speaker is looked for.
const WINDOW: usize = 200;
/// Reported speech is looked for only in sentences up to this long (bytes).
const MAX_REPORTED_SENTENCE: usize = 3000;
/// A quote of at most this many words with no speaker is a phrase.
const PHRASE_WORDS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteKind {
    Direct,
    Reported,
    Phrase,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Reported => "reported",
            QuoteKind::Phrase => "phrase",
        }
    }
}

/// One quotation: its span (with the marks for direct quotes and phrases; the reported content
/// for reported speech) and the speaker's name as written, when the text says who.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub start: usize,
    pub end: usize,
    pub kind: QuoteKind,
    pub speaker: Option<(usize, usize)>,
}

/// Finds the quotes of a text given its paragraphs and sentences, sorted by start.
pub fn quotes(text: &str, paragraphs: &[(usize, usize)], sentences: &[(usize, usize)]) -> Vec<Quote> {
    let mut out = Vec::new();
    for &(ps, pe) in paragraphs {
        direct_quotes(text, ps, pe, sentences, &mut out);
    }
    // The cues of reported speech, found once over the whole text and handed to each sentence.
    let according: Vec<usize> = memmem::find_iter(text.as_bytes(), ACCORDING).collect();
    let that: Vec<usize> = memmem::find_iter(text.as_bytes(), THAT).collect();
    let cues = Cues { according: &according, that: &that };
    let mut reports = Vec::new();
    for &(ss, se) in sentences {
        // Reported speech runs to the sentence's end; in a "sentence" of many kilobytes (a
        // table, a list without punctuation, adversarial input) such spans would pile up
        // quadratically, and no real report is that long.
        if se - ss <= MAX_REPORTED_SENTENCE {
            reported(text, ss, se, &cues, &out, &mut reports);
        }
    }
    out.append(&mut reports);
    out.sort_by_key(|q| (q.start, q.end));
    out
}

#[derive(Clone, Copy)]
enum Mark {
    Open,
    Close,
    Straight,
}

/// The quotation mark at `i`, with its length.
fn mark_at(b: &[u8], i: usize) -> Option<(Mark, usize)> {
    match b[i] {
        b'"' => Some((Mark::Straight, 1)),
        0xE2 if b.get(i + 1) == Some(&0x80) => match b.get(i + 2) {
            Some(0x9C | 0x9E) => Some((Mark::Open, 3)),
            Some(0x9D) => Some((Mark::Close, 3)),
            _ => None,
        },
        0xC2 => match b.get(i + 1) {
            Some(0xAB) => Some((Mark::Open, 2)),
            Some(0xBB) => Some((Mark::Close, 2)),
            _ => None,
        },
        _ => None,
    }
}

/// Pairs the marks of one paragraph and classifies each quote.
fn direct_quotes(text: &str, ps: usize, pe: usize, sentences: &[(usize, usize)], out: &mut Vec<Quote>) {
    let b = text.as_bytes();
    let mut open: Option<(usize, usize)> = None;
    let mut prev_end = ps;
    let mut i = ps;
    while i < pe {
        let Some(off) = memchr3(b'"', 0xE2, 0xC2, &b[i..pe]) else {
            break;
        };
        i += off;
        let Some((mark, len)) = mark_at(b, i) else {
            i += 1;
            continue;
        };
        match (mark, open) {
            (Mark::Open, _) => open = Some((i, len)),
            (Mark::Close | Mark::Straight, Some((o, olen))) => {
                let q = classify(text, ps, pe, prev_end, (o, olen), Some((i, len)), sentences);
                if let Some(q) = q {
                    prev_end = q.end;
                    out.push(q);
                }
                open = None;
            }
            (Mark::Straight, None) => {
                // A straight quote opens only when a word follows it and no digit precedes it
                // (12" is inches).
                let next = char_at(text, i + 1);
                let prev = char_before(text, i);
                if next.is_some_and(|c| !c.is_whitespace()) && !prev.is_some_and(|c| c.is_ascii_digit()) {
                    open = Some((i, len));
                }
            }
            (Mark::Close, None) => {}
        }
        i += len;
    }
    if let Some(o) = open {
        if let Some(q) = classify(text, ps, pe, prev_end, o, None, sentences) {
            out.push(q);
        }
    }
}

/// Builds the quote for an opening mark and its closing mark (or the paragraph's end).
fn classify(
    text: &str,
    ps: usize,
    pe: usize,
    prev_end: usize,
    (o, olen): (usize, usize),
    close: Option<(usize, usize)>,
    sentences: &[(usize, usize)],
) -> Option<Quote> {
    let b = text.as_bytes();
    let content_start = o + olen;
    let (content_end, end) = match close {
        Some((c, clen)) => (c, c + clen),
        None => {
            let e = trim_end(b, content_start, pe);
            (e, e)
        }
    };
    let cs = skip_space(b, content_start, content_end);
    if cs >= content_end {
        return None;
    }
    let mut speaker = close.and_then(|_| speaker_after(text, end, pe));
    if speaker.is_none() {
        speaker = speaker_before(text, prev_end.max(ps), o);
    }
    let words = tokens_fwd(text, cs, content_end, PHRASE_WORDS + 1).len();
    let starts_sentence = sentences.binary_search_by_key(&o, |s| s.0).is_ok();
    let ends_with_strong = matches!(char_before(text, content_end), Some('?' | '!'));
    let kind = if speaker.is_some() || starts_sentence || words > PHRASE_WORDS || ends_with_strong {
        QuoteKind::Direct
    } else {
        QuoteKind::Phrase
    };
    // `Some(None)` means attributed to someone unnamed (“…,” he said): still a direct quote.
    Some(Quote { start: o, end, kind, speaker: speaker.flatten() })
}

/// The largest char boundary not after `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary not before `i`.
fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn lower_is(text: &str, (a, z): (usize, usize), word: &str) -> bool {
    let (ca, cz) = core_of(text, a, z);
    text[ca..cz].eq_ignore_ascii_case(word)
}

fn is_verb_token(text: &str, (a, z): (usize, usize)) -> bool {
    let (ca, cz) = core_of(text, a, z);
    is_speech_verb(&text[ca..cz])
}

fn is_pronoun(text: &str, (a, z): (usize, usize)) -> bool {
    let (ca, cz) = core_of(text, a, z);
    matches!(&text[ca..cz], "he" | "she" | "they" | "I" | "we" | "He" | "She" | "They" | "We" | "it" | "It")
}

fn is_adverb(text: &str, (a, z): (usize, usize)) -> bool {
    let (ca, cz) = core_of(text, a, z);
    let w = &text[ca..cz];
    w.len() > 3 && w.ends_with("ly") && w.chars().all(|c| c.is_ascii_lowercase())
        || matches!(w, "also" | "later" | "then" | "once" | "again" | "previously" | "recently")
}

/// The speaker named after a closing mark: `, said X`, `, X said`, `, X, a …, told`,
/// `, according to X`. `Some(None)` for `, he said`.
fn speaker_after(text: &str, end: usize, pe: usize) -> Option<Option<(usize, usize)>> {
    let b = text.as_bytes();
    let wend = floor_boundary(text, pe.min(end + WINDOW));
    let mut i = end;
    while i < wend && matches!(b[i], b',' | b';') {
        i += 1;
    }
    let toks = tokens_fwd(text, i, wend, 14);
    let first = *toks.first()?;
    if is_verb_token(text, first) {
        return Some(name_after(text, first.1, wend));
    }
    if lower_is(text, first, "according") && toks.get(1).is_some_and(|&t| lower_is(text, t, "to")) {
        return Some(name_after(text, toks[1].1, wend));
    }
    if is_pronoun(text, first) {
        return toks.get(1).filter(|&&t| is_verb_token(text, t)).map(|_| None);
    }
    // `X said` or `X, apposition, said`: the verb must come before the clause ends.
    for (k, &t) in toks.iter().enumerate().skip(1) {
        let (ca, cz) = core_of(text, t.0, t.1);
        if is_speech_verb(&text[ca..cz]) {
            // An adverb between name and verb ("Fyodorov also said") is no part of the name.
            let upto = if k >= 2 && is_adverb(text, toks[k - 1]) { k - 1 } else { k };
            return name_from_start(text, &toks[..upto]).map(Some);
        }
        if text[t.0..t.1].ends_with(['.', '?', '!']) && !text[ca..cz].starts_with(char::is_uppercase) {
            return None;
        }
        if matches!(char_at(text, t.0), Some('"' | '“' | '”')) {
            return None;
        }
    }
    None
}

/// The name that opens `toks` (the tokens between a closing mark and a speech verb): a
/// capitalized run, possibly followed by an apposition set off by a comma.
fn name_from_start(text: &str, toks: &[(usize, usize)]) -> Option<(usize, usize)> {
    let &(a0, _) = toks.first()?;
    // Find where the run of name tokens ends: at the first token that is not capitalized, or
    // after a token carrying a comma.
    let mut run_end = a0;
    for &(a, z) in toks {
        let (ca, cz) = core_of(text, a, z);
        if ca >= cz || !text[ca..cz].starts_with(char::is_uppercase) {
            break;
        }
        run_end = z;
        if text[cz..z].contains(',') {
            break;
        }
    }
    if run_end == a0 {
        return None;
    }
    let run_end = trim_end_marks(text, a0, run_end);
    name_before(text, a0, run_end)
}

/// Moves `end` back over a trailing comma.
fn trim_end_marks(text: &str, start: usize, mut end: usize) -> usize {
    while end > start && matches!(text.as_bytes()[end - 1], b',' | b';') {
        end -= 1;
    }
    end
}

/// The speaker named before an opening mark: `X said: “`, `X told reporters, "`, `said X: “`.
fn speaker_before(text: &str, lo: usize, open: usize) -> Option<Option<(usize, usize)>> {
    let b = text.as_bytes();
    let wstart = ceil_boundary(text, lo.max(open.saturating_sub(WINDOW)));
    let p = trim_end(b, wstart, open);
    if p <= wstart {
        return None;
    }
    let last = char_before(text, p)?;
    let p = if matches!(last, ':' | ',') { p - 1 } else { p };
    let toks = tokens_back(text, wstart, p, 16);
    // toks[0] is the token closest to the mark.
    for (k, &t) in toks.iter().enumerate() {
        let (ca, cz) = core_of(text, t.0, t.1);
        if k > 0 && text[t.0..t.1].ends_with(['.', '?', '!', '”', '"']) {
            return None;
        }
        if is_speech_verb(&text[ca..cz]) {
            if k > 0 {
                if let Some(n) = name_after(text, t.1, p) {
                    return Some(Some(n));
                }
            }
            let mut j = k + 1;
            if toks.get(j).is_some_and(|&t| is_adverb(text, t)) {
                j += 1;
            }
            let &subject = toks.get(j)?;
            if is_pronoun(text, subject) {
                return Some(None);
            }
            // "Senator Alma Reyes, a member of the committee, told reporters:": the name stands
            // before the apposition's opening comma.
            if text[subject.0..subject.1].ends_with(',') {
                if let Some(&before_apposition) = toks[j + 1..].iter().find(|t| text[t.0..t.1].ends_with(',')) {
                    return name_before(text, wstart, before_apposition.1 - 1).map(Some);
                }
            }
            return name_before(text, wstart, subject.1).map(Some);
        }
        if k >= 4 {
            break;
        }
    }
    None
}

const ACCORDING: &[u8] = b"ccording to ";
const THAT: &[u8] = b" that ";

/// Sorted positions of the reported-speech cues in the whole text.
struct Cues<'c> {
    according: &'c [usize],
    that: &'c [usize],
}

impl Cues<'_> {
    /// The hits of one cue that lie entirely inside `start..end`.
    fn within<'h>(&self, hits: &'h [usize], start: usize, end: usize, len: usize) -> &'h [usize] {
        let a = hits.partition_point(|&h| h < start);
        let z = hits.partition_point(|&h| h + len <= end);
        &hits[a..z.max(a)]
    }
}

/// Reported speech in one sentence: `X said that …` and `according to X, …`. Skipped where a
/// direct quote already covers the cue.
fn reported(text: &str, ss: usize, se: usize, cues: &Cues, direct: &[Quote], out: &mut Vec<Quote>) {
    // Direct quotes are sorted and never nest: the last one starting before `pos` is the only
    // one that can contain it.
    let inside_direct = |pos: usize| {
        let k = direct.partition_point(|q| q.start <= pos);
        k > 0 && direct[k - 1].end > pos
    };
    for &pos in cues.within(cues.according, ss, se, ACCORDING.len()) {
        if pos == ss || !matches!(text.as_bytes()[pos - 1], b'a' | b'A') || inside_direct(pos) {
            continue;
        }
        let cue_start = pos - 1;
        let after = pos + ACCORDING.len();
        let speaker = name_after(text, after, se);
        let lead = trim_end(text.as_bytes(), ss, cue_start);
        let (cs, ce) = if lead <= ss || tokens_back(text, ss, lead, 3).len() <= 1 {
            // "According to X, content." — the content follows the first comma after X.
            match memchr::memchr(b',', &text.as_bytes()[after..se.min(after + WINDOW)]) {
                Some(c) => (skip_space(text.as_bytes(), after + c + 1, se), se),
                None => continue,
            }
        } else {
            // "Content, according to X." — unless the content is a direct quote, which then has
            // its speaker already.
            let ce = trim_end_marks(text, ss, lead);
            if inside_direct(ce.saturating_sub(1)) {
                continue;
            }
            (ss, ce)
        };
        if cs < ce {
            out.push(Quote { start: cs, end: ce, kind: QuoteKind::Reported, speaker });
        }
    }
    for &pos in cues.within(cues.that, ss, se, THAT.len()) {
        if inside_direct(pos) {
            continue;
        }
        let toks = tokens_back(text, ss, pos, 5);
        let Some(k) = toks.iter().position(|&t| is_verb_token(text, t)) else {
            continue;
        };
        if k > 0 && !is_verb_token(text, toks[k]) {
            continue;
        }
        if k > 0 {
            let (ca, cz) = core_of(text, toks[k].0, toks[k].1);
            if !takes_object(&text[ca..cz]) || k > 3 {
                continue;
            }
        }
        let mut j = k + 1;
        if toks.get(j).is_some_and(|&t| is_adverb(text, t)) {
            j += 1;
        }
        let mut speaker = match toks.get(j) {
            Some(&t) if is_pronoun(text, t) => None,
            Some(&t) => name_before(text, ss, t.1),
            None => None,
        };
        let (va, vz) = core_of(text, toks[k].0, toks[k].1);
        if speaker.is_none() && text[va..vz].ends_with("ing") {
            // "“…”, X stressed, pointing out that …": a participle shares the subject of the
            // attribution before it in the same sentence.
            let k = direct.partition_point(|q| q.start < pos);
            speaker = direct[..k].iter().rev().take_while(|q| q.start >= ss).find_map(|q| q.speaker);
        }
        let cs = skip_space(text.as_bytes(), pos + THAT.len(), se);
        if cs < se {
            out.push(Quote { start: cs, end: se, kind: QuoteKind::Reported, speaker });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{paragraph, sentence};

    fn run(t: &str) -> Vec<(String, &'static str, Option<String>)> {
        let paras = paragraph::paragraphs(t);
        let mut sents = Vec::new();
        for &(a, b) in &paras {
            sentence::sentences(t, a, b, &mut sents);
        }
        quotes(t, &paras, &sents)
            .into_iter()
            .map(|q| (t[q.start..q.end].to_string(), q.kind.as_str(), q.speaker.map(|(a, b)| t[a..b].to_string())))
            .collect()
    }

    #[test]
    fn direct_quotes_and_speakers() {
        let q = run("“We will not yield,” said Okafor.");
        assert_eq!(q, [("“We will not yield,”".into(), "direct", Some("Okafor".into()))]);
        let q = run("\"The border stays shut\", Lindqvist stressed, pointing out things.");
        assert_eq!(q[0].2.as_deref(), Some("Lindqvist"));
        let q = run("The minister said: “We are ready to talk to anyone.”");
        assert_eq!((q[0].1, q[0].2.as_deref()), ("direct", None));
        let q = run("Prime Minister Aiko Tanabe said: “We are ready.”");
        assert_eq!(q[0].2.as_deref(), Some("Aiko Tanabe"));
        let q = run("“Everyone liked him,” he said.");
        assert_eq!((q[0].1, q[0].2.as_deref()), ("direct", None));
    }

    #[test]
    fn phrases_and_unclosed_quotes() {
        let q = run("He called it a “rogue regime” and left.");
        assert_eq!(q[0], ("“rogue regime”".into(), "phrase", None));
        let q = run("“This runs on\n\nNext paragraph.");
        assert_eq!(q[0].0, "“This runs on");
    }

    #[test]
    fn reported_speech() {
        let q = run("Aliyev recently stressed that the border is symbolic.");
        assert_eq!(q[0], ("the border is symbolic.".into(), "reported", Some("Aliyev".into())));
        let q = run("According to the Kremlin, talks failed.");
        assert_eq!(q[0], ("talks failed.".into(), "reported", Some("Kremlin".into())));
        let q = run("Talks failed, according to Reuters.");
        assert_eq!(q[0], ("Talks failed".into(), "reported", Some("Reuters".into())));
    }
}
