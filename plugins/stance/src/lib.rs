//! The `stance` analyzer: stance toward each input target (`target_stance`), how the article
//! portrays each actor (`summary.actors[].stance`), and who acts or feels toward whom
//! (`relation`, `summary.relations`).
//!
//! Two linear models trained by `cargo xtask train stance` carry the statistics: one for the
//! stance toward a mention in its sentence (NewsMTSC), one for directed sentiment between two
//! mentions (Park et al. 2021). Event kinds come from a verb table we wrote by hand, coded with
//! CAMEO event codes. Every decision carries the features that drove it.

pub mod context;
pub mod events;
pub mod features;
mod hash;
pub mod lexicon;
pub mod model;
pub mod portrayal;
pub mod relations;
pub mod table;
pub mod target;
pub mod text;
pub mod weights;
pub mod words;

use std::cell::RefCell;

use slant_core::{attrs, layers, Analyzer, Annotation, AttrValue, Document, Output, Settings};

use crate::context::sentences_with_mentions;
use crate::features::{Resolver, Sent, TokInfo, Tokens, PAIR_SLOTS};
use crate::lexicon::FnvMap;
use crate::model::{pair_model, target_model, Known, LinearModel};
use crate::relations::{label_of, sentence_relations, Relation};
use crate::target::{evidence_json, round3, ScorerBuffers, TargetScorer};
use crate::text::Token;

const NAME: &str = "stance";

/// The stance analyzer. Stateless: the models are set up once per process, on first use, so
/// that runs without stance don't pay for them (the host builds every built-in). Their tables
/// are baked into the binary and checked by the unit tests; should one fail to load all the same, every
/// document gets an error diagnostic saying so.
#[derive(Debug, Default)]
pub struct Stance;

impl Stance {
    pub fn from_settings(_settings: &Settings) -> Result<Self, String> {
        Ok(Stance)
    }
}

impl Analyzer for Stance {
    fn name(&self) -> &str {
        NAME
    }

    fn version(&self) -> &str {
        "0.2.0"
    }

    fn description(&self) -> &str {
        "how the article portrays each actor, relations between actors, and stance toward targets"
    }

    fn requires(&self) -> Vec<&str> {
        vec![layers::SENTENCE, layers::BOILERPLATE, layers::QUOTE, layers::ACTOR]
    }

    fn provides(&self) -> Vec<&str> {
        vec![layers::TARGET_STANCE, layers::RELATION]
    }

    fn analyze(&self, doc: &Document) -> Output {
        let mut out = Output::new();
        let (tm, pm) = match (target_model(), pair_model()) {
            (Ok(t), Ok(p)) => (t, p),
            (Err(e), _) | (_, Err(e)) => {
                out.error(NAME, format!("cannot load the stance models: {e}"));
                return out;
            }
        };
        let text = doc.text();
        let Scratch { target, mut pair_res, mut known, mut scored, mut tokens, mut lists } = Scratch::take(tm, pm);
        let sentences = sentences_with_mentions(doc, &mut tokens);
        let sents: Vec<Sent> = sentences
            .iter()
            .map(|s| {
                let (info, valenced) = lists.pop().unwrap_or_default();
                Sent::in_lists(Tokens { text, toks: &s.tokens }, info, valenced)
            })
            .collect();
        let mut scorer = TargetScorer::with_buffers(target, &sents);
        // `known`: the model's features of each actor mention, one after the other (see
        // `Scored::known`).

        // Stance toward every mention, once: targets get a `target_stance`, actors feed the
        // portrayal.
        let targets = doc.layer(layers::TARGET);
        let mut target_done = vec![false; targets.len()];
        for (si, s) in sentences.iter().enumerate() {
            for (mi, m) in s.mentions.iter().enumerate() {
                // Explanations cost time: targets get theirs now; an actor mention keeps its
                // features so that the portrayal can explain it if it cites it as evidence.
                let top_n = if m.target.is_some() { 5 } else { 0 };
                let Some(st) = scorer.score(si, m.start, m.end, top_n) else { continue };
                let kept = known.len();
                if top_n == 0 {
                    known.extend_from_slice(scorer.known());
                }
                if let Some(ti) = m.target {
                    let t = &targets[ti];
                    let mut a = Annotation::new(layers::TARGET_STANCE, t.start, t.end)
                        .with_label(st.label)
                        .with_score(round3(st.score))
                        .with_attr("evidence", evidence_json(doc, &s.tokens, &st.prediction));
                    a = a.with_attr("probabilities", probs_json(&st.prediction.probs));
                    out.push(a);
                    target_done[ti] = true;
                }
                scored.push(portrayal::Scored { sentence: si, mention: mi, stance: st, known: kept..known.len() });
            }
        }
        for (ti, done) in target_done.iter().enumerate() {
            if !done {
                let t = &targets[ti];
                out.warn(NAME, format!("target {}..{} covers no word: no stance given", t.start, t.end));
                out.push(
                    Annotation::new(layers::TARGET_STANCE, t.start, t.end)
                        .with_label("neutral")
                        .with_score(0.0)
                        .with_attr("evidence", AttrValue::List(Vec::new())),
                );
            }
        }

        // Relations, sentence by sentence, with the sentence each comes from.
        let mut rels: Vec<Relation> = Vec::new();
        let mut rel_sentence: Vec<usize> = Vec::new();
        // Found once, as `Document::in_boilerplate` would look the layer up per sentence.
        let boilerplate = doc.layer(layers::BOILERPLATE);
        for (si, (s, sent)) in sentences.iter().zip(&sents).enumerate() {
            if !Annotation::any_overlaps(boilerplate, s.start, s.end) {
                rels.extend(sentence_relations(s, sent, &mut pair_res));
                rel_sentence.resize(rels.len(), si);
            }
        }
        // A relation's cue is looked up in the first sentence that starts where the relation
        // does. When the starts increase from sentence to sentence (always, but for a target
        // outside every sentence, which gets its line as a sentence of its own), that is the
        // relation's own sentence; else the first sentence at each start is found by one pass
        // (a search per relation made long documents cost relations times sentences).
        let increasing = sentences.windows(2).all(|w| w[0].start < w[1].start);
        let mut first_at: FnvMap<usize, usize> = FnvMap::default();
        if !increasing {
            for (i, s) in sentences.iter().enumerate() {
                first_at.entry(s.start).or_insert(i);
            }
        }
        for (r, &si) in rels.iter().zip(&rel_sentence) {
            let first = if increasing { Some(si) } else { first_at.get(&r.start).copied() };
            let tokens = first.map(|i| sentences[i].tokens.as_slice()).unwrap_or(&[]);
            out.push(relation_annotation(doc, tokens, r));
        }

        out.summary("actors", portrayal::actors_summary(doc, tm, &sentences, &scored, &known));
        out.summary("relations", relations_summary(&rels));
        let target = scorer.into_buffers();
        lists.extend(sents.into_iter().map(|s| (s.info, s.valenced)));
        tokens.extend(sentences.into_iter().map(|s| s.tokens));
        Scratch { target, pair_res, known, scored, tokens, lists }.keep();
        out
    }
}

/// Working memory of the analyzer kept between documents, one per thread: the scorers' buffers
/// and the lists that grow with a document, so that they are allocated and grown once per
/// thread rather than once per document.
struct Scratch {
    target: ScorerBuffers,
    pair_res: Resolver<'static>,
    known: Vec<Known>,
    scored: Vec<portrayal::Scored>,
    /// Token lists for the sentences (see `sentences_with_mentions`), emptied.
    tokens: Vec<Vec<Token>>,
    /// The lists of prepared sentences (see `Sent::in_lists`): token facts and valenced
    /// tokens.
    lists: Vec<(Vec<TokInfo>, Vec<u32>)>,
}

/// The most tokens a pooled list may have room for when it goes back to the pool: a sentence
/// of about 2 KB, far longer than most.
const POOLED_TOKENS: usize = 512;

/// The most lists of each kind kept in the pool: sentences with mentions in a long article.
const POOLED_LISTS: usize = 256;

thread_local! {
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

impl Scratch {
    /// The thread's scratch (new when there is none, or when it was made for other models),
    /// with empty lists.
    fn take(tm: &'static LinearModel, pm: &'static LinearModel) -> Scratch {
        let kept = SCRATCH.with(|s| s.borrow_mut().take());
        match kept {
            Some(s) if std::ptr::eq(s.target.model(), tm) && std::ptr::eq(s.pair_res.model(), pm) => s,
            _ => Scratch {
                target: ScorerBuffers::new(tm),
                pair_res: Resolver::new(pm, PAIR_SLOTS),
                known: Vec::new(),
                scored: Vec::new(),
                tokens: Vec::new(),
                lists: Vec::new(),
            },
        }
    }

    /// Keeps the scratch for the thread's next document, but not the pooled lists that a
    /// long sentence grew. Each pooled list keeps the largest capacity it ever had, and lists
    /// are handed to sentences in no fixed order, so over a long stream every list would
    /// ratchet up to the longest sentence: peak memory then kept rising with the number of
    /// documents (issue 9 asks for a peak independent of corpus size). Lists of ordinary
    /// sentences stay pooled; a rare long one is freed and made afresh when needed.
    fn keep(mut self) {
        self.known.clear();
        self.scored.clear();
        self.tokens.retain(|t| t.capacity() <= POOLED_TOKENS);
        self.tokens.truncate(POOLED_LISTS);
        self.tokens.iter_mut().for_each(Vec::clear);
        self.lists.retain(|(info, valenced)| info.capacity() <= POOLED_TOKENS && valenced.capacity() <= POOLED_TOKENS);
        self.lists.truncate(POOLED_LISTS);
        SCRATCH.with(|s| *s.borrow_mut() = Some(self));
    }
}

fn probs_json(p: &[f32]) -> AttrValue {
    AttrValue::Map(attrs! {
        "negative": round3(p[0] as f64),
        "neutral": round3(p[1] as f64),
        "positive": round3(p[2] as f64),
    })
}

/// The `relation` annotation of `r`, whose sentence has the tokens `tokens`.
fn relation_annotation(doc: &Document, tokens: &[Token], r: &Relation) -> Annotation {
    let text = doc.text();
    let features: Vec<AttrValue> =
        r.top.iter().map(|c| AttrValue::Map(attrs! { "feature": c.name, "weight": round3(c.weight as f64) })).collect();
    let mut evidence = attrs! { "features": features, "p_none": round3(r.p_none as f64) };
    if let Some(ev) = &r.event {
        if let Some(t) = tokens.get(ev.tok) {
            evidence.insert("cue", text[t.start..t.end].to_string());
            evidence.insert("cue_start", doc.offsets().to_char(text, t.start));
            evidence.insert("cue_end", doc.offsets().to_char(text, t.end));
        }
        evidence.insert("cameo", ev.code.clone());
    }
    let mut a =
        Annotation::new(layers::RELATION, r.start, r.end).with_label(label_of(r.score)).with_score(round3(r.score));
    a.attrs = attrs! {
        "evidence": evidence,
        "kind": r.kind,
        "source": r.source.clone(),
        "target": r.target.clone(),
    };
    a
}

/// `summary.relations`: one entry per ordered pair, most frequent first.
pub fn relations_summary(rels: &[Relation]) -> AttrValue {
    struct Agg<'a> {
        source: &'a str,
        target: &'a str,
        sum: f64,
        count: usize,
        kinds: Vec<(&'static str, usize)>,
    }
    let mut aggs: Vec<Agg> = Vec::new();
    // Each ordered pair's entry in `aggs`, found by a map rather than a search of `aggs` per
    // relation (a long document's relations cost the square of their pairs).
    let mut index: FnvMap<(&str, &str), usize> = FnvMap::default();
    for r in rels {
        let i = *index.entry((&r.source, &r.target)).or_insert_with(|| {
            aggs.push(Agg { source: &r.source, target: &r.target, sum: 0.0, count: 0, kinds: Vec::new() });
            aggs.len() - 1
        });
        let agg = &mut aggs[i];
        agg.sum += r.score;
        agg.count += 1;
        match agg.kinds.iter_mut().find(|(k, _)| *k == r.kind) {
            Some(k) => k.1 += 1,
            None => agg.kinds.push((r.kind, 1)),
        }
    }
    aggs.sort_by(|a, b| b.count.cmp(&a.count).then(a.source.cmp(b.source)).then(a.target.cmp(b.target)));
    AttrValue::List(
        aggs.iter()
            .map(|a| {
                let polarity = a.sum / a.count as f64;
                // The most frequent kind; among equals, an event class before `sentiment`.
                let kind =
                    a.kinds.iter().max_by_key(|(k, n)| (*n, *k != "sentiment")).map(|(k, _)| *k).unwrap_or("sentiment");
                AttrValue::Map(attrs! {
                    "count": a.count,
                    "kind": kind,
                    "label": label_of(polarity),
                    "polarity": round3(polarity),
                    "source": AttrValue::text(a.source),
                    "target": AttrValue::text(a.target),
                })
            })
            .collect(),
    )
}

slant_core::register_analyzer!("stance", Stance);

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 9 (peak memory independent of corpus size): a list a long sentence grew is not
    /// kept for the next document, nor are more lists than the pool holds.
    #[test]
    fn scratch_pool_does_not_keep_what_a_long_sentence_grew() {
        let (Ok(tm), Ok(pm)) = (model::target_model(), model::pair_model()) else {
            panic!("the embedded stance models must load");
        };
        let mut scratch = Scratch::take(tm, pm);
        scratch.tokens = (0..POOLED_LISTS + 10).map(|_| Vec::with_capacity(8)).collect();
        scratch.tokens.push(Vec::with_capacity(POOLED_TOKENS * 4));
        scratch.lists = vec![(Vec::with_capacity(POOLED_TOKENS * 4), Vec::new()), (Vec::new(), Vec::with_capacity(4))];
        scratch.keep();
        let kept = Scratch::take(tm, pm);
        assert_eq!(kept.tokens.len(), POOLED_LISTS);
        assert!(kept.tokens.iter().all(|t| t.is_empty() && t.capacity() <= POOLED_TOKENS));
        assert_eq!(kept.lists.len(), 1, "the list grown past the cap is dropped, the other kept");
    }
}
