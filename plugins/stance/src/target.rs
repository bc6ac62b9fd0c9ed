//! Stance toward one mention in its sentence, with the target-stance model; used for input
//! targets (`target_stance`) and for every actor mention (portrayal).

use slant_core::{attrs, AttrValue};

use crate::features::{target_features_in, Resolver, Sent, TargetTables, TARGET_SLOTS};
use crate::model::{Known, LinearModel, Prediction};
use crate::text::{token_range, Token};

/// The stance toward a mention: score = P(positive) − P(negative), in [−1, 1].
#[derive(Debug, Clone)]
pub struct MentionStance {
    pub score: f64,
    pub label: &'static str,
    pub prediction: Prediction<'static>,
}

pub const LABELS: [&str; 3] = ["negative", "neutral", "positive"];

/// Scores mentions of a document's sentences with the target-stance model. Features that depend
/// only on a sentence's tokens are resolved once per sentence (see `features::Resolver`), so a
/// second mention in a sentence costs little; best when mentions come sentence by sentence.
pub struct TargetScorer<'s, 'a> {
    sents: &'s [Sent<'a>],
    /// The sentence the resolver's memo and the tables currently hold.
    current: Option<usize>,
    res: Resolver<'static>,
    /// Per-sentence tables of the features far from the target (`None`: a model the fast path
    /// does not serve, scored by plain extraction).
    tables: Option<TargetTables>,
}

/// The working memory of a [`TargetScorer`], which outlives the document it scores (nothing
/// in it depends on the document once the scorer is reset at its first sentence).
#[derive(Debug)]
pub struct ScorerBuffers {
    res: Resolver<'static>,
    tables: Option<TargetTables>,
}

impl ScorerBuffers {
    pub fn new(model: &'static LinearModel) -> Self {
        let tables = TargetTables::serves(model).then(TargetTables::default);
        ScorerBuffers { res: Resolver::new(model, TARGET_SLOTS), tables }
    }

    /// The model the buffers were made for.
    pub fn model(&self) -> &'static LinearModel {
        self.res.model()
    }
}

impl<'s, 'a> TargetScorer<'s, 'a> {
    pub fn new(model: &'static LinearModel, sents: &'s [Sent<'a>]) -> Self {
        Self::with_buffers(ScorerBuffers::new(model), sents)
    }

    /// A scorer that works in `buffers` (from [`TargetScorer::into_buffers`] of an earlier
    /// document, so that their room is allocated once per thread rather than grown again for
    /// every document).
    pub fn with_buffers(buffers: ScorerBuffers, sents: &'s [Sent<'a>]) -> Self {
        TargetScorer { sents, current: None, res: buffers.res, tables: buffers.tables }
    }

    /// The scorer's buffers, for the next document.
    pub fn into_buffers(self) -> ScorerBuffers {
        ScorerBuffers { res: self.res, tables: self.tables }
    }

    /// Scores the mention at bytes `start..end` of sentence `si` (absolute offsets), with the
    /// `top_n` features that drove the decision. `None` when the mention covers no token.
    pub fn score(&mut self, si: usize, start: usize, end: usize, top_n: usize) -> Option<MentionStance> {
        let sent = &self.sents[si];
        let (ts, te) = token_range(sent.s.toks, start, end)?;
        // Mentions come sentence by sentence: one memo, reset when the sentence changes.
        if self.current != Some(si) {
            match &mut self.tables {
                // The tables remember what the sentence's mentions share; the resolver's memo
                // is not used.
                Some(t) => t.reset(self.res.model(), sent),
                None => self.res.reset(sent.s.toks.len()),
            }
            self.current = Some(si);
        }
        self.res.select(0);
        let prediction = match &mut self.tables {
            Some(t) => {
                let (summed, state) = t.extract(sent, ts, te, &mut self.res);
                self.res.predict_from(state, summed, top_n)
            }
            None => {
                target_features_in(sent, ts, te, &mut self.res);
                self.res.predict(top_n)
            }
        };
        let score = (prediction.probs[2] - prediction.probs[0]) as f64;
        let label = LABELS.get(prediction.class).copied().unwrap_or("neutral");
        Some(MentionStance { score, label, prediction })
    }

    /// The model's features of the mention scored last (for an explanation asked later).
    pub fn known(&self) -> &[Known] {
        &self.res.known
    }
}

/// The prediction's top features as JSON evidence: feature name, pull, and the word (with its
/// code-point span) that produced it.
pub fn evidence_json(doc: &slant_core::Document, tokens: &[Token], p: &Prediction<'static>) -> AttrValue {
    let text = doc.text();
    AttrValue::List(
        p.top
            .iter()
            .map(|c| {
                let mut e = attrs! { "feature": c.name, "weight": round3(c.weight as f64) };
                if let Some(t) = c.tok.and_then(|i| tokens.get(i)) {
                    e.insert("word", text[t.start..t.end].to_string());
                    e.insert("start", doc.offsets().to_char(text, t.start));
                    e.insert("end", doc.offsets().to_char(text, t.end));
                }
                AttrValue::Map(e)
            })
            .collect(),
    )
}

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
