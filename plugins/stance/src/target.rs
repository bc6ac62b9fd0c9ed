//! Stance toward one mention in its sentence, with the target-stance model; used for input
//! targets (`target_stance`) and for every actor mention (portrayal).

use serde_json::{json, Value};

use crate::features::{target_features, Keys, Tokens};
use crate::model::{LinearModel, Prediction};
use crate::text::{token_range, Token};

/// The stance toward a mention: score = P(positive) − P(negative), in [−1, 1].
#[derive(Debug, Clone)]
pub struct MentionStance {
    pub score: f64,
    pub label: &'static str,
    pub prediction: Prediction<'static>,
}

pub const LABELS: [&str; 3] = ["negative", "neutral", "positive"];

/// Scores the mention at bytes `start..end` among `tokens` (absolute offsets into `text`).
/// `None` when the mention covers no token.
pub fn mention_stance(
    model: &'static LinearModel,
    text: &str,
    tokens: &[Token],
    start: usize,
    end: usize,
    top_n: usize,
    feats: &mut Keys,
) -> Option<MentionStance> {
    let (ts, te) = token_range(tokens, start, end)?;
    feats.0.clear();
    target_features(Tokens { text, toks: tokens }, ts, te, feats);
    let prediction = model.predict(&feats.0, top_n);
    let score = (prediction.probs[2] - prediction.probs[0]) as f64;
    let label = LABELS.get(prediction.class).copied().unwrap_or("neutral");
    Some(MentionStance { score, label, prediction })
}

/// The prediction's top features as JSON evidence: feature name, pull, and the word (with its
/// code-point span) that produced it.
pub fn evidence_json(doc: &slant_core::Document, tokens: &[Token], p: &Prediction<'_>) -> Value {
    let text = doc.text();
    Value::Array(
        p.top
            .iter()
            .map(|c| {
                let mut e = json!({"feature": c.name, "weight": round3(c.weight as f64)});
                if let Some(t) = c.tok.and_then(|i| tokens.get(i)) {
                    e["word"] = json!(&text[t.start..t.end]);
                    e["start"] = json!(doc.offsets().to_char(text, t.start));
                    e["end"] = json!(doc.offsets().to_char(text, t.end));
                }
                e
            })
            .collect(),
    )
}

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
