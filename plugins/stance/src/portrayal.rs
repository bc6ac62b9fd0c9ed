//! Author portrayal: how the article presents each actor, from the stance toward each of its
//! mentions (what it does, what is done to it, the words attached to it). Mentions inside
//! someone else's quoted or reported words count half: they are the speaker's view, which the
//! author only relays.

use std::ops::Range;

use slant_core::{attrs, layers, AttrValue, Attrs, Document};

use crate::context::{Mention, Sentence};
use crate::lexicon::FnvMap;
use crate::model::{ExplainScratch, Known, LinearModel};
use crate::relations::label_of;
use crate::target::{round3, MentionStance};

/// Weight of a mention in someone else's words relative to one in the author's own.
pub const REPORTED_WEIGHT: f64 = 0.5;

/// One scored mention.
#[derive(Debug, Clone)]
pub struct Scored {
    pub sentence: usize,
    /// The mention's index among its sentence's mentions (see [`Scored::mention`]).
    pub mention: usize,
    pub stance: MentionStance,
    /// Where the model's features of the mention lie in the document's list of kept features,
    /// when its prediction carries no explanation yet.
    pub known: Range<usize>,
}

impl Scored {
    /// The scored mention, among the document's `sentences` (it is not copied, since every
    /// mention is scored).
    pub fn mention<'s, 'd>(&self, sentences: &'s [Sentence<'d>]) -> &'s Mention<'d> {
        &sentences[self.sentence].mentions[self.mention]
    }
}

/// The actor entries to annotate: `summary.actors` from the actors analyzer when present,
/// else entries built from the `actor` layer; then input targets not already listed.
fn base_entries(doc: &Document, sentences: &[Sentence], scored: &[Scored]) -> Vec<Attrs> {
    let mentions = |e: &Attrs| e.get("mentions").and_then(AttrValue::as_u64).unwrap_or(0);
    let mut entries: Vec<Attrs> = match doc.summary("actors").and_then(AttrValue::as_array) {
        Some(list) => list.iter().filter_map(|v| v.as_object().cloned()).collect(),
        None => {
            let mut list: Vec<Attrs> = Vec::new();
            for a in doc.layer(layers::ACTOR) {
                let Some(name) = a.label.as_deref() else { continue };
                if let Some(e) = list.iter_mut().find(|e| e.get("name").and_then(AttrValue::as_str) == Some(name)) {
                    let n = mentions(e);
                    e.insert("mentions", n + 1);
                    continue;
                }
                let attr = |key: &str| a.attrs.get(key).cloned().unwrap_or_default();
                list.push(attrs! {
                    "affiliation": attr("affiliation"),
                    "id": attr("id"),
                    "kind": attr("kind"),
                    "mentions": 1,
                    "name": AttrValue::text(name),
                });
            }
            list.sort_by_key(|e| std::cmp::Reverse(mentions(e)));
            list
        }
    };
    for m in scored.iter().map(|s| s.mention(sentences)).filter(|m| m.target.is_some()) {
        let name = m.name;
        if let Some(e) = entries.iter_mut().find(|e| e.get("name").and_then(AttrValue::as_str) == Some(name)) {
            if e.get("kind").and_then(AttrValue::as_str) == Some("target") {
                let n = mentions(e);
                e.insert("mentions", n + 1);
            }
            continue;
        }
        entries.push(attrs! {
            "affiliation": AttrValue::Null,
            "id": AttrValue::Null,
            "kind": "target",
            "mentions": 1,
            "name": AttrValue::text(name),
        });
    }
    entries
}

/// `summary.actors` with a `stance: {score, label, evidence}` added to each entry.
/// `known` holds the features [`Scored::known`] points into.
pub fn actors_summary(
    doc: &Document,
    model: &'static LinearModel,
    sentences: &[Sentence],
    scored: &[Scored],
    known: &[Known],
) -> AttrValue {
    let mut seen = ExplainScratch::default();
    let text = doc.text();
    let offsets = doc.offsets();
    let mut entries = base_entries(doc, sentences, scored);
    // Each actor's scored mentions, in document order, found once rather than by a scan of all
    // mentions per actor.
    let mut by_name: FnvMap<&str, Vec<&Scored>> = FnvMap::default();
    for s in scored {
        by_name.entry(s.mention(sentences).name).or_default().push(s);
    }
    for e in &mut entries {
        let name = e.get("name").and_then(AttrValue::as_str).unwrap_or("");
        let mine: &[&Scored] = by_name.get(name).map(Vec::as_slice).unwrap_or(&[]);
        let (mut sum, mut weight) = (0f64, 0f64);
        for s in mine {
            let w = if s.mention(sentences).reported { REPORTED_WEIGHT } else { 1.0 };
            sum += w * s.stance.score;
            weight += w;
        }
        let score = if weight > 0.0 { sum / weight } else { 0.0 };
        let label = label_of(score);
        // The mentions that pulled the score its way, strongest first.
        let mut drivers: Vec<&Scored> = mine.to_vec();
        let dir = if score < 0.0 { -1.0 } else { 1.0 };
        drivers.sort_by(|a, b| (b.stance.score * dir).total_cmp(&(a.stance.score * dir)));
        let evidence: Vec<AttrValue> = drivers
            .iter()
            .filter(|s| s.stance.score * dir > 0.1)
            .take(3)
            .map(|s| {
                let sent = &sentences[s.sentence];
                let mention = s.mention(sentences);
                // The three strongest features: explained now if the mention was scored without.
                let features: Vec<&'static str> = if s.stance.prediction.top.is_empty() {
                    let top = model.explain(&known[s.known.clone()], s.stance.prediction.class, 3, &mut seen);
                    top.iter().map(|c| c.name).collect()
                } else {
                    s.stance.prediction.top.iter().take(3).map(|c| c.name).collect()
                };
                AttrValue::Map(attrs! {
                    "end": offsets.to_char(text, sent.end),
                    "features": features,
                    "mention_end": offsets.to_char(text, mention.end),
                    "mention_start": offsets.to_char(text, mention.start),
                    "reported": mention.reported,
                    "score": round3(s.stance.score),
                    "start": offsets.to_char(text, sent.start),
                })
            })
            .collect();
        let stance = attrs! {
            "evidence": evidence,
            "label": label,
            "mentions_scored": mine.len(),
            "score": round3(score),
        };
        e.insert("stance", stance);
    }
    AttrValue::List(entries.into_iter().map(AttrValue::Map).collect())
}
