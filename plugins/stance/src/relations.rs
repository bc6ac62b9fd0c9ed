//! Relations between actors in one sentence: who acts or feels toward whom.
//!
//! For each pair of distinct actors in a sentence (their closest mentions), two sources of
//! evidence: an event verb between them, coded with the CAMEO-derived table (its class gives the
//! kind and sign, the voice gives the direction), and the directed-sentiment model (who is
//! positive or negative toward whom). An event wins the kind; without one, a confident model
//! decision gives a `sentiment` relation.

use crate::context::{Mention, Sentence};
use crate::events::{EventCue, VerbTable};
use crate::features::{pair_features, Keys, Tokens};
use crate::lexicon::{self, Lexicon};
use crate::model::{Contribution, LinearModel};
use crate::text::{token_range, Kind, Token};

/// One relation instance.
#[derive(Debug, Clone)]
pub struct Relation {
    pub start: usize,
    pub end: usize,
    pub source: String,
    pub target: String,
    pub kind: &'static str,
    pub score: f64,
    pub event: Option<EventCue>,
    /// Probability the model gives to "no directed sentiment".
    pub p_none: f32,
    pub top: Vec<Contribution>,
}

pub fn label_of(score: f64) -> &'static str {
    if score > 0.1 {
        "positive"
    } else if score < -0.1 {
        "negative"
    } else {
        "neutral"
    }
}

/// Whether two mentions name the same actor or one belongs to the other (a president and his
/// country): such pairs are not relations between actors.
fn same_side(a: &Mention, b: &Mention) -> bool {
    a.name == b.name
        || a.affiliation.as_deref() == Some(b.name.as_str())
        || b.affiliation.as_deref() == Some(a.name.as_str())
}

/// The first event verb strictly between token `from` and `to`, skipping statements (CAMEO 01,
/// "said"), which are not acts toward the other actor.
fn event_between(table: &VerbTable, text: &str, toks: &[Token], from: usize, to: usize) -> Option<EventCue> {
    (from..to).filter(|&i| toks[i].kind == Kind::Word).find_map(|i| {
        let ev = table.event_at(toks, text, i)?;
        (!ev.code.starts_with("01")).then_some(ev)
    })
}

/// Whether the verb at `v` is in the passive voice: a participle after a form of "be"
/// ("was backed") or followed by "by" ("an ally backed by Turkey").
fn passive_at(text: &str, toks: &[Token], v: usize) -> bool {
    let lex = Lexicon::get();
    let w = &text[toks[v].start..toks[v].end];
    if !(w.ends_with("ed") || w.ends_with("en") || w.ends_with("wn")) {
        return false;
    }
    let be_before = (v.saturating_sub(3)..v).any(|j| lex.is(toks[j].hash, lexicon::BE));
    let by_after = toks.get(v + 1).is_some_and(|t| lex.is(t.hash, lexicon::BY));
    be_before || by_after
}

/// Relations in one sentence.
pub fn sentence_relations(model: &LinearModel, text: &str, s: &Sentence, keys: &mut Keys) -> Vec<Relation> {
    let mut out = Vec::new();
    let ms = &s.mentions;
    if ms.len() < 2 {
        return out;
    }
    let table = VerbTable::get();
    // The closest ordered mention pair for each unordered pair of actor names.
    let mut chosen: Vec<(usize, usize, usize)> = Vec::new(); // (i, j, gap in bytes)
    for i in 0..ms.len() {
        for j in i + 1..ms.len() {
            let (a, b) = (&ms[i], &ms[j]);
            if b.start < a.end || same_side(a, b) {
                continue;
            }
            let gap = b.start - a.end;
            match chosen.iter_mut().find(|(x, y, _)| {
                let (p, q) = (&ms[*x], &ms[*y]);
                (p.name == a.name && q.name == b.name) || (p.name == b.name && q.name == a.name)
            }) {
                Some(c) if c.2 > gap => *c = (i, j, gap),
                Some(_) => {}
                None => chosen.push((i, j, gap)),
            }
        }
    }
    for (i, j, _) in chosen {
        let (a, b) = (&ms[i], &ms[j]);
        let (Some(ra), Some(rb)) = (token_range(&s.tokens, a.start, a.end), token_range(&s.tokens, b.start, b.end))
        else {
            continue;
        };
        if rb.0 < ra.1 || rb.0 - ra.1 > 40 {
            continue;
        }
        keys.0.clear();
        pair_features(Tokens { text, toks: &s.tokens }, ra, rb, keys);
        let pred = model.predict(&keys.0, 5);
        let p = &pred.probs;
        let p_none = p[0];
        let event = event_between(table, text, &s.tokens, ra.1, rb.0);
        let (forward, score, kind) = if let Some(ev) = &event {
            let forward = !passive_at(text, &s.tokens, ev.tok) && !by_before(&s.tokens, rb.0);
            let sign = if ev.class.is_conflict() { -1.0 } else { 1.0 };
            (forward, sign * (0.5 + 0.5 * (1.0 - p_none as f64)), ev.class.as_str())
        } else if pred.class != 0 {
            let forward = pred.class == 1 || pred.class == 3;
            let (pos, neg) = if forward { (p[1], p[3]) } else { (p[2], p[4]) };
            ((forward), ((pos - neg) / (pos + neg).max(1e-6)) as f64 * (1.0 - p_none as f64).max(0.5), "sentiment")
        } else {
            continue;
        };
        let (src, tgt) = if forward { (a, b) } else { (b, a) };
        out.push(Relation {
            start: s.start,
            end: s.end,
            source: src.name.clone(),
            target: tgt.name.clone(),
            kind,
            score: score.clamp(-1.0, 1.0),
            event,
            p_none,
            top: pred.top,
        });
    }
    out
}

fn by_before(toks: &[Token], i: usize) -> bool {
    i > 0 && Lexicon::get().is(toks[i - 1].hash, lexicon::BY)
}
