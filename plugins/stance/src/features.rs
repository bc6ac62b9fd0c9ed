//! Feature extraction for the two linear models: stance toward one target mention
//! ([`target_features`]) and the directed sentiment between two mentions ([`pair_features`]).
//!
//! Features are hashed (a template id mixed with token hashes); a [`Sink`] receives each one.
//! At run time the sink only keeps the key, value and token; at training time it also asks for
//! the readable name, which is built lazily so that the hot path never allocates.

use crate::lexicon::{self, Lexicon};
use crate::text::{const_hash, mix, Kind, Token};

/// Receives features. `tok` is the token that produced the feature, for evidence spans.
pub trait Sink {
    fn add(&mut self, key: u64, value: f32, tok: Option<usize>, name: impl FnOnce() -> String);
}

/// One extracted feature, as kept at run time.
#[derive(Debug, Clone, Copy)]
pub struct Feat {
    pub key: u64,
    pub value: f32,
    pub tok: Option<usize>,
}

/// A sink that keeps keys only (run time).
#[derive(Debug, Default)]
pub struct Keys(pub Vec<Feat>);

impl Sink for Keys {
    #[inline]
    fn add(&mut self, key: u64, value: f32, tok: Option<usize>, _name: impl FnOnce() -> String) {
        self.0.push(Feat { key, value, tok });
    }
}

/// A sentence's tokens together with the text their offsets point into.
#[derive(Clone, Copy)]
pub struct Tokens<'a> {
    pub text: &'a str,
    pub toks: &'a [Token],
}

impl<'a> Tokens<'a> {
    pub fn word(&self, i: usize) -> &'a str {
        let t = &self.toks[i];
        &self.text[t.start..t.end]
    }

    fn lower(&self, i: usize) -> String {
        self.word(i).to_lowercase().replace(['’', '‘'], "'")
    }

    fn negated_before(&self, lex: &Lexicon, i: usize) -> bool {
        let from = i.saturating_sub(3);
        (from..i).any(|j| lex.negates(self.toks[j].hash, self.word(j)))
    }

    /// VADER valence of token `i`, flipped and damped (as VADER does) after a negator.
    pub fn valence(&self, lex: &Lexicon, i: usize) -> (f32, bool) {
        let v = lex.valence(self.toks[i].hash);
        if v != 0.0 && self.negated_before(lex, i) {
            (-0.74 * v, true)
        } else {
            (v, false)
        }
    }

    /// Whether token `i` lies inside quotation marks of the sentence (odd number of quote
    /// marks before it).
    pub fn in_quotes(&self, i: usize) -> bool {
        self.toks[..i].iter().filter(|t| t.kind == Kind::Quote).count() % 2 == 1
    }
}

fn bucket(d: usize) -> u32 {
    match d {
        0 | 1 => 1,
        2 => 2,
        3 => 3,
        4..=5 => 4,
        6..=8 => 5,
        9..=12 => 6,
        _ => 7,
    }
}

const T_BIAS: u64 = const_hash("bias");
const T_WIN: u64 = const_hash("win");
const T_BAG: u64 = const_hash("bag");
const T_SIDE: u64 = const_hash("side");
const T_BIGRAM: u64 = const_hash("bigram");
const T_LEX: u64 = const_hash("lex");
const T_LEXNEG: u64 = const_hash("lexneg");
const T_LEXALL: u64 = const_hash("lexall");
const T_TWORD: u64 = const_hash("tword");
const T_FLAG: u64 = const_hash("flag");
const T_CROSS: u64 = const_hash("cross");

/// Whether a token looks like a past participle (for passive voice).
fn participle(w: &str) -> bool {
    w.len() > 3 && (w.ends_with("ed") || w.ends_with("en") || w.ends_with("wn"))
}

fn flag<S: Sink>(sink: &mut S, id: u32, name: &'static str, value: f32, tok: Option<usize>) {
    if value != 0.0 {
        sink.add(mix(T_FLAG, id as u64, 0), value, tok, || name.to_string());
    }
}

/// Features of the stance toward the target at tokens `ts..te` of `s`.
pub fn target_features<S: Sink>(s: Tokens<'_>, ts: usize, te: usize, sink: &mut S) {
    let lex = Lexicon::get();
    let n = s.toks.len();
    sink.add(mix(T_BIAS, 0, 0), 1.0, None, || "bias".to_string());
    let (mut lex_left, mut lex_right, mut lex_near) = (0f32, 0f32, 0f32);
    for i in 0..n {
        if (ts..te).contains(&i) {
            let t = s.toks[i];
            if t.kind == Kind::Word {
                sink.add(mix(T_TWORD, 0, t.hash), 1.0, Some(i), || format!("target:{}", s.lower(i)));
            }
            continue;
        }
        let t = s.toks[i];
        let left = i < ts;
        let d = if left { ts - i } else { i - te + 1 };
        let b = bucket(d);
        let side = if left { 0u64 } else { 1 };
        let sname = if left { "L" } else { "R" };
        if b <= 4 {
            sink.add(mix(T_WIN, side * 16 + b as u64, t.hash), 1.0, Some(i), || format!("{sname}{b}:{}", s.lower(i)));
        }
        if t.kind == Kind::Word {
            sink.add(mix(T_BAG, 0, t.hash), 1.0, Some(i), || format!("w:{}", s.lower(i)));
            sink.add(mix(T_SIDE, side, t.hash), 1.0, Some(i), || format!("{sname}:{}", s.lower(i)));
        }
        if d <= 5 && i + 1 < n && !(ts..te).contains(&(i + 1)) {
            let h2 = s.toks[i + 1].hash;
            sink.add(mix(T_BIGRAM, t.hash ^ side, h2), 1.0, Some(i), || {
                format!("{sname}bi:{}_{}", s.lower(i), s.lower(i + 1))
            });
        }
        let (v, negated) = s.valence(lex, i);
        if v != 0.0 {
            let x = v / 4.0;
            sink.add(mix(T_LEX, side * 16 + b as u64, 0), x, Some(i), || format!("lex{sname}{b}"));
            sink.add(mix(T_LEXALL, 0, 0), x, Some(i), || "lex".to_string());
            if negated {
                sink.add(mix(T_LEXNEG, side, 0), x, Some(i), || format!("lexneg{sname}"));
            }
            if left {
                lex_left += x;
            } else {
                lex_right += x;
            }
            if d <= 4 {
                lex_near += x;
            }
        }
    }
    // Where the target stands in its sentence: subject, speaker, agent of a passive, possessor.
    let first_word = s.toks.iter().position(|t| t.kind == Kind::Word).unwrap_or(0);
    let subject = ts <= first_word || (ts > 0 && matches!(s.word(ts - 1), "," | ";" | ":" | "—" | "–"));
    let next = (te < n).then(|| s.toks[te].hash);
    let next_word = if te < n { s.word(te) } else { "" };
    let speaker_after = (te..(te + 3).min(n)).any(|j| lex.is(s.toks[j].hash, lexicon::SPEECH));
    let speaker_before = ts > 0 && lex.is(s.toks[ts - 1].hash, lexicon::SPEECH);
    let agent = ts > 0 && lex.is(s.toks[ts - 1].hash, lexicon::BY);
    let possessive = next_word == "'s" || next_word == "’s" || next_word == "'" || next_word == "’";
    let passive_subject = next.is_some_and(|h| lex.is(h, lexicon::BE)) && te + 1 < n && participle(s.word(te + 1));
    let quoted = s.in_quotes(ts);
    let has_quote = s.toks.iter().any(|t| t.kind == Kind::Quote);
    flag(sink, 1, "subject", subject as u8 as f32, Some(ts));
    flag(sink, 2, "speaker", (speaker_after || speaker_before) as u8 as f32, Some(ts));
    flag(sink, 3, "agent_by", agent as u8 as f32, Some(ts));
    flag(sink, 4, "possessive", possessive as u8 as f32, Some(ts));
    flag(sink, 5, "passive_subject", passive_subject as u8 as f32, Some(ts));
    flag(sink, 6, "in_quotes", quoted as u8 as f32, Some(ts));
    flag(sink, 7, "has_quote", has_quote as u8 as f32, None);
    let cross = |sink: &mut S, id: u64, name: &'static str, on: bool, v: f32| {
        if on && v != 0.0 {
            sink.add(mix(T_CROSS, id, 0), v, None, || name.to_string());
        }
    };
    cross(sink, 1, "subject*lexR", subject, lex_right);
    cross(sink, 2, "speaker*lex", speaker_after || speaker_before, lex_left + lex_right);
    cross(sink, 3, "passive*lexR", passive_subject, lex_right);
    cross(sink, 4, "agent*lexL", agent, lex_left);
    cross(sink, 5, "quoted*lex", quoted, lex_left + lex_right);
    cross(sink, 6, "lexnear", true, lex_near);
    cross(sink, 7, "possessive*lexR", possessive, lex_right);
}

/// Features of the directed relation between the mentions at tokens `a` and `b` (`a` first in
/// the text). The model's classes are read "first → second".
pub fn pair_features<S: Sink>(s: Tokens<'_>, a: (usize, usize), b: (usize, usize), sink: &mut S) {
    let lex = Lexicon::get();
    let n = s.toks.len();
    sink.add(mix(T_BIAS, 1, 0), 1.0, None, || "bias".to_string());
    let (between_from, between_to) = (a.1, b.0.max(a.1));
    let gap = between_to - between_from;
    flag(
        sink,
        100 + bucket(gap),
        ["", "gap1", "gap2", "gap3", "gap4", "gap5", "gap6", "gap7"][bucket(gap) as usize],
        1.0,
        None,
    );
    let mut lex_between = 0f32;
    let (mut passive, mut by, mut against, mut with, mut quote_between) = (false, false, false, false, false);
    let mut speech_between = false;
    for i in between_from..between_to {
        let t = s.toks[i];
        let da = i - between_from + 1;
        let db = between_to - i;
        if t.kind == Kind::Word {
            sink.add(mix(T_BAG, 10, t.hash), 1.0, Some(i), || format!("B:{}", s.lower(i)));
        }
        if da <= 3 {
            sink.add(mix(T_WIN, 100 + da as u64, t.hash), 1.0, Some(i), || format!("A+{da}:{}", s.lower(i)));
        }
        if db <= 3 {
            sink.add(mix(T_WIN, 200 + db as u64, t.hash), 1.0, Some(i), || format!("B-{db}:{}", s.lower(i)));
        }
        if i + 1 < between_to {
            let h2 = s.toks[i + 1].hash;
            sink.add(mix(T_BIGRAM, t.hash ^ 7, h2), 1.0, Some(i), || format!("Bbi:{}_{}", s.lower(i), s.lower(i + 1)));
        }
        let (v, _) = s.valence(lex, i);
        if v != 0.0 {
            lex_between += v / 4.0;
            sink.add(mix(T_LEX, 100 + bucket(da.min(db)) as u64, 0), v / 4.0, Some(i), || {
                format!("lexB{}", bucket(da.min(db)))
            });
        }
        if lex.is(t.hash, lexicon::BE) && i + 1 < between_to && participle(s.word(i + 1)) {
            passive = true;
        }
        by |= lex.is(t.hash, lexicon::BY);
        against |= lex.is(t.hash, lexicon::AGAINST);
        with |= lex.is(t.hash, lexicon::WITH);
        speech_between |= lex.is(t.hash, lexicon::SPEECH);
        quote_between |= t.kind == Kind::Quote;
    }
    let (mut lex_before, mut lex_after) = (0f32, 0f32);
    for i in a.0.saturating_sub(6)..a.0 {
        let d = a.0 - i;
        let t = s.toks[i];
        if t.kind == Kind::Word {
            sink.add(mix(T_BAG, 11, t.hash), 1.0, Some(i), || format!("preA:{}", s.lower(i)));
        }
        if d <= 2 {
            sink.add(mix(T_WIN, 300 + d as u64, t.hash), 1.0, Some(i), || format!("A-{d}:{}", s.lower(i)));
        }
        lex_before += s.valence(lex, i).0 / 4.0;
    }
    for i in b.1..(b.1 + 8).min(n) {
        let d = i - b.1 + 1;
        let t = s.toks[i];
        if t.kind == Kind::Word {
            sink.add(mix(T_BAG, 12, t.hash), 1.0, Some(i), || format!("postB:{}", s.lower(i)));
        }
        if d <= 3 {
            sink.add(mix(T_WIN, 400 + d as u64, t.hash), 1.0, Some(i), || format!("B+{d}:{}", s.lower(i)));
        }
        lex_after += s.valence(lex, i).0 / 4.0;
    }
    let mut lex_rest = 0f32;
    for i in (0..a.0.saturating_sub(6)).chain((b.1 + 8).min(n)..n) {
        lex_rest += s.valence(lex, i).0 / 4.0;
    }
    let speech_after_a = (a.1..(a.1 + 2).min(n)).any(|j| lex.is(s.toks[j].hash, lexicon::SPEECH));
    let speech_after_b = (b.1..(b.1 + 2).min(n)).any(|j| lex.is(s.toks[j].hash, lexicon::SPEECH));
    let speech_before_a = a.0 > 0 && lex.is(s.toks[a.0 - 1].hash, lexicon::SPEECH);
    let by_before_b = b.0 > 0 && lex.is(s.toks[b.0 - 1].hash, lexicon::BY);
    let a_quoted = s.in_quotes(a.0);
    let b_quoted = s.in_quotes(b.0);
    let a_subject = {
        let first_word = s.toks.iter().position(|t| t.kind == Kind::Word).unwrap_or(0);
        a.0 <= first_word
    };
    let flags: [(u32, &'static str, bool); 13] = [
        (1, "passive", passive),
        (2, "by", by),
        (3, "by_before_B", by_before_b),
        (4, "against", against),
        (5, "with", with),
        (6, "speech_between", speech_between),
        (7, "quote_between", quote_between),
        (8, "A_said", speech_after_a),
        (9, "B_said", speech_after_b),
        (10, "said_A", speech_before_a),
        (11, "A_quoted", a_quoted),
        (12, "B_quoted", b_quoted),
        (13, "A_first_word", a_subject),
    ];
    for (id, name, on) in flags {
        flag(sink, 200 + id, name, on as u8 as f32, None);
    }
    let sums: [(u64, &'static str, f32); 4] = [
        (10, "lex_between", lex_between),
        (11, "lex_before", lex_before),
        (12, "lex_after", lex_after),
        (13, "lex_rest", lex_rest),
    ];
    for (id, name, v) in sums {
        if v != 0.0 {
            sink.add(mix(T_CROSS, id, 0), v, None, || name.to_string());
        }
    }
    let crosses: [(u64, &'static str, bool, f32); 6] = [
        (20, "passive*lex_between", passive || by_before_b, lex_between),
        (21, "A_said*lex_after", speech_after_a, lex_after + lex_between),
        (22, "B_said*lex_before", speech_after_b, lex_before + lex_between),
        (23, "against*lex", against, lex_between),
        (24, "A_first*lex_between", a_subject, lex_between),
        (25, "quote_between*lex", quote_between, lex_between + lex_after),
    ];
    for (id, name, on, v) in crosses {
        if on && v != 0.0 {
            sink.add(mix(T_CROSS, id, 0), v, None, || name.to_string());
        }
    }
}
