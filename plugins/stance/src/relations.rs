//! Relations between actors in one sentence: who acts or feels toward whom.
//!
//! For each pair of distinct actors in a sentence (their closest mentions), two sources of
//! evidence: an event verb between them, coded with our verb table (its class gives the
//! kind and sign, the voice gives the direction), and the directed-sentiment model (who is
//! positive or negative toward whom). An event wins the kind; without one, a confident model
//! decision gives a `sentiment` relation.

use crate::context::{Mention, Sentence};
use crate::events::{EventClass, EventCue, VerbTable};
use crate::features::{pair_features_in, Resolver, Sent};
use crate::lexicon::{self, Lexicon};
use crate::model::Contribution;
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
    pub top: Vec<Contribution<'static>>,
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
    a.name == b.name || a.affiliation == Some(b.name) || b.affiliation == Some(a.name)
}

/// Words after which a table word is a noun, not a verb ("the Kremlin's help", "a clear
/// winner", "its ally").
const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "its",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "this",
    "these",
    "those",
    "'s",
    "’s",
    "of",
    "nominal",
    "economic",
    "political",
    "military",
];
/// Words after which a table word is a verb ("to sign", "will back", "has attacked").
const VERB_LEADS: &[&str] = &[
    "to", "will", "would", "can", "could", "may", "might", "must", "should", "shall", "did", "does", "do", "has",
    "have", "had", "is", "are", "was", "were", "be", "been", "being", "who", "which", "that", "and", "not", "never",
    "also", "n't",
];

/// Whether the table word at `i` reads as a verb here: lower case, not after a determiner or
/// possessive, and either in a past or -ing form, or right after an auxiliary, "to", a
/// relative pronoun, an adverb in -ly, or the first actor itself (`after` = its last token).
fn verb_like(text: &str, toks: &[Token], i: usize, after: usize) -> bool {
    let w = &text[toks[i].start..toks[i].end];
    if toks[i].cap {
        return false;
    }
    let prev = (i > 0).then(|| text[toks[i - 1].start..toks[i - 1].end].to_lowercase());
    let prev = prev.as_deref().unwrap_or("");
    if DETERMINERS.contains(&prev) || prev.ends_with("'s") || prev.ends_with("’s") {
        return false;
    }
    w.ends_with("ed") || w.ends_with("ing") || i == after || VERB_LEADS.contains(&prev) || prev.ends_with("ly")
}

/// Whether the verb at `i` is negated or refused ("refused to sign", "is not willing to side"):
/// a negator up to four tokens before it, in the same clause.
fn negated_at(text: &str, toks: &[Token], i: usize) -> bool {
    let lex = Lexicon::get();
    for j in (i.saturating_sub(4)..i).rev() {
        let w = &text[toks[j].start..toks[j].end];
        if toks[j].kind != Kind::Word || matches!(w, "that" | "which" | "who" | "because" | "but") {
            return false;
        }
        if lex.negates(toks[j].hash, w) {
            return true;
        }
    }
    false
}

/// The first event verb between token `from` and `to`, skipping statements (CAMEO 01,
/// "said"), which are not acts toward the other actor, and words that read as nouns.
fn event_between(table: &VerbTable, text: &str, toks: &[Token], from: usize, to: usize) -> Option<EventCue> {
    // The table is asked first: most words are no verb form it knows, and it is the cheaper test.
    (from..to)
        .filter(|&i| toks[i].kind == Kind::Word && table.knows(toks[i].hash) && verb_like(text, toks, i, from))
        .find_map(|i| {
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
/// `sent` is `s` prepared for feature extraction; `res` a resolver for the directed-relation
/// model.
pub fn sentence_relations(s: &Sentence, sent: &Sent<'_>, res: &mut Resolver<'static>) -> Vec<Relation> {
    let mut out = Vec::new();
    let ms = &s.mentions;
    if ms.len() < 2 {
        return out;
    }
    res.reset(s.tokens.len());
    let table = VerbTable::get();
    let candidates = candidate_pairs(ms);
    for group in candidates.chunk_by(|x, y| x.0 == y.0) {
        // Up to three mention pairs per actor pair: the closest one that names an event wins,
        // else the one the model finds most clearly directed.
        let mut best: Option<Judged> = None;
        for &(_, _, _, i, j) in group.iter().take(3) {
            let Some(jd) = judge(table, s, sent, i, j, res) else { continue };
            let better = match &best {
                None => true,
                Some(b) => b.event.is_none() && (jd.event.is_some() || jd.p_none < b.p_none),
            };
            if better {
                // The pair's features are kept for its explanation by trading lists with the
                // resolver (whose list the next pair clears), not by a copy of them.
                if !jd.decisions.is_empty() {
                    std::mem::swap(&mut res.known, &mut res.spare);
                }
                best = Some(jd);
            }
            if best.as_ref().is_some_and(|b| b.event.is_some()) {
                break;
            }
        }
        let Some(jd) = best else { continue };
        if jd.decisions.is_empty() {
            continue;
        }
        // Explanations only for what is reported; the best pair's features are in `res.spare`.
        let kept = std::mem::take(&mut res.spare);
        let top = res.explain(&kept, jd.class, 5);
        res.spare = kept;
        let (a, b) = (&ms[jd.i], &ms[jd.j]);
        for &(forward, score, kind) in &jd.decisions {
            let (src, tgt) = if forward { (a, b) } else { (b, a) };
            out.push(Relation {
                start: s.start,
                end: s.end,
                source: src.name.to_string(),
                target: tgt.name.to_string(),
                kind,
                score: score.clamp(-1.0, 1.0),
                event: jd.event.clone(),
                p_none: jd.p_none,
                top: top.clone(),
            });
        }
    }
    out
}

/// Candidate mention pairs for each unordered pair of actor names: (group, gap in bytes, order
/// found, i, j), sorted, so that each group's candidates come together, groups in the order
/// first met, closest first (ties in the order found, as a stable sort by gap within the group
/// would leave them).
fn candidate_pairs(ms: &[Mention]) -> Vec<(u32, usize, usize, usize, usize)> {
    // Each name gets a small id (its index among the sentence's distinct names), and each
    // unordered id pair the index of its group, in the order the groups are first met, from a
    // table: a linear search over the groups made a sentence listing dozens of actors cost the
    // fourth power of its mentions (issue 9), and a map keyed by the two names cost a hash of
    // both names per pair and a map per sentence. Finding the ids scans the distinct names,
    // which costs no more than the pairs themselves.
    let mut names: Vec<&str> = Vec::with_capacity(ms.len());
    let ids: Vec<usize> = ms
        .iter()
        .map(|m| match names.iter().position(|&n| n == m.name) {
            Some(id) => id,
            None => {
                names.push(m.name);
                names.len() - 1
            }
        })
        .collect();
    let k = names.len();
    let mut group_of: Vec<u32> = vec![u32::MAX; k * k];
    let mut groups = 0u32;
    // At most one candidate per pair of mentions: sized so, the list is never grown (and
    // copied) while it fills.
    let mut candidates: Vec<(u32, usize, usize, usize, usize)> =
        Vec::with_capacity(ms.len() * ms.len().saturating_sub(1) / 2);
    for i in 0..ms.len() {
        for j in i + 1..ms.len() {
            let (a, b) = (&ms[i], &ms[j]);
            if b.start < a.end || same_side(a, b) {
                continue;
            }
            let gap = b.start - a.end;
            let (x, y) = (ids[i].min(ids[j]), ids[i].max(ids[j]));
            let g = &mut group_of[x * k + y];
            if *g == u32::MAX {
                *g = groups;
                groups += 1;
            }
            candidates.push((*g, gap, candidates.len(), i, j));
        }
    }
    candidates.sort_unstable();
    candidates
}

/// The verdict on one mention pair.
struct Judged {
    i: usize,
    j: usize,
    event: Option<EventCue>,
    p_none: f32,
    /// The model's class for the pair (for the explanation).
    class: usize,
    /// (first → second?, score, kind) for each relation to report.
    decisions: Vec<(bool, f64, &'static str)>,
}

/// Judges the mention pair `i`, `j` (i first in the text): event verb between them (or after
/// both when coordinated), its voice and negation, and the directed-sentiment model.
fn judge(
    table: &VerbTable,
    s: &Sentence,
    sent: &Sent<'_>,
    i: usize,
    j: usize,
    res: &mut Resolver<'static>,
) -> Option<Judged> {
    let text = sent.s.text;
    let (a, b) = (&s.mentions[i], &s.mentions[j]);
    let ra = token_range(&s.tokens, a.start, a.end)?;
    let rb = token_range(&s.tokens, b.start, b.end)?;
    if rb.0 < ra.1 || rb.0 - ra.1 > 40 {
        return None;
    }
    res.select(0);
    pair_features_in(sent, ra, rb, res);
    let pred = res.predict(0);
    let p = &pred.probs;
    let p_none = p[0];
    // Events are looked for only when the two mentions are close (one clause, roughly).
    let gap = rb.0 - ra.1;
    let mut event = if gap <= 15 { event_between(table, text, &s.tokens, ra.1, rb.0) } else { None };
    // Coordinated actors ("A and B renewed ties"): the verb after both codes a mutual event.
    let coordinated = gap == 1 && matches!(&text[s.tokens[ra.1].start..s.tokens[ra.1].end], "and" | "&");
    if event.is_none() && coordinated {
        let to = (rb.1 + 8).min(s.tokens.len());
        event = event_between(table, text, &s.tokens, rb.1, to);
    }
    // A refused cooperation is a rejection (CAMEO 12); a refused conflict is no event.
    if let Some(ev) = &mut event {
        if negated_at(text, &s.tokens, ev.tok) {
            if ev.class.is_conflict() {
                event = None;
            } else {
                ev.code = format!("12({})", ev.code);
                ev.class = EventClass::VerbalConflict;
            }
        }
    }
    let mut decisions: Vec<(bool, f64, &'static str)> = Vec::new();
    if let Some(ev) = &event {
        let sign = if ev.class.is_conflict() { -1.0 } else { 1.0 };
        let score = sign * (0.5 + 0.5 * (1.0 - p_none as f64));
        if coordinated && ev.tok > rb.0 {
            decisions.push((true, score, ev.class.as_str()));
            decisions.push((false, score, ev.class.as_str()));
        } else {
            let forward = !passive_at(text, &s.tokens, ev.tok) && !by_before(&s.tokens, rb.0);
            decisions.push((forward, score, ev.class.as_str()));
        }
    } else if pred.class != 0 {
        let forward = pred.class == 1 || pred.class == 3;
        let (pos, neg) = if forward { (p[1], p[3]) } else { (p[2], p[4]) };
        let score = ((pos - neg) / (pos + neg).max(1e-6)) as f64 * (1.0 - p_none as f64).max(0.5);
        decisions.push((forward, score, "sentiment"));
    }
    Some(Judged { i, j, event, p_none, class: pred.class, decisions })
}

fn by_before(toks: &[Token], i: usize) -> bool {
    i > 0 && Lexicon::get().is(toks[i - 1].hash, lexicon::BY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention<'d>(start: usize, end: usize, name: &'d str, affiliation: Option<&'d str>) -> Mention<'d> {
        Mention { start, end, name, affiliation, target: None, reported: false }
    }

    /// The grouping as first written: a linear search over the groups by their unordered name
    /// pair, then a stable sort of each group by gap.
    fn groups_reference(ms: &[Mention]) -> Vec<Vec<(usize, usize)>> {
        // (unordered name pair, its candidates as (i, j, gap)).
        type Group = ((String, String), Vec<(usize, usize, usize)>);
        let mut groups: Vec<Group> = Vec::new();
        for i in 0..ms.len() {
            for j in i + 1..ms.len() {
                let (a, b) = (&ms[i], &ms[j]);
                if b.start < a.end || same_side(a, b) {
                    continue;
                }
                let key = if a.name <= b.name {
                    (a.name.to_string(), b.name.to_string())
                } else {
                    (b.name.to_string(), a.name.to_string())
                };
                match groups.iter_mut().find(|g| g.0 == key) {
                    Some(g) => g.1.push((i, j, b.start - a.end)),
                    None => groups.push((key, vec![(i, j, b.start - a.end)])),
                }
            }
        }
        groups
            .into_iter()
            .map(|(_, mut g)| {
                g.sort_by_key(|c| c.2);
                g.into_iter().map(|(i, j, _)| (i, j)).collect()
            })
            .collect()
    }

    /// The table of name ids groups the candidate pairs exactly as the search over the groups
    /// did, with repeated names, overlapping mentions, equal gaps and a person with his country.
    #[test]
    fn candidate_groups_match_the_reference() {
        let names = ["Gondor", "Rohan", "Mordor", "Rohan", "Arnor", "Gondor", "Aragorn", "Mordor", "Rohan", "Gondor"];
        let mut ms = Vec::new();
        for (n, name) in names.iter().enumerate() {
            let start = n * 10 - (n % 3 == 2) as usize * 12;
            let affiliation = (*name == "Aragorn").then_some("Gondor");
            ms.push(mention(start, start + 6, name, affiliation));
        }
        ms.sort_by_key(|m| (m.start, m.end));
        let candidates = candidate_pairs(&ms);
        let got: Vec<Vec<(usize, usize)>> =
            candidates.chunk_by(|x, y| x.0 == y.0).map(|g| g.iter().map(|c| (c.3, c.4)).collect()).collect();
        let want = groups_reference(&ms);
        assert_eq!(got, want);
        assert!(want.len() > 5 && want.iter().any(|g| g.len() > 3));
    }
}
