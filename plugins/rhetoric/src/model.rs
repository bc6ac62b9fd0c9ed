//! The trained model: a hashed logistic-regression token tagger (is this token inside a
//! propaganda span?) and a hashed linear span classifier over the 14 PTC classes, with a
//! compact, pruned, quantised file format.
//!
//! `cargo xtask train rhetoric` writes `model/rhetoric.model`; the analyzer embeds it with
//! `include_bytes!`.

use std::borrow::Cow;

use crate::features::{span_features, Feature, Prepared, SentenceView, CLASS_BITS};
use crate::technique::PtcClass;

pub use crate::stored::{Knobs, Stored, N_CLASSES, N_OUTPUTS, TAG_BITS};
use crate::stored::{Row, ROW_LANES};
/// The classifier's output for "no technique": the span is not propaganda (trained on the
/// tagger's spans that overlap no gold span); a span at or above [`Model::abstain`] in it is
/// dropped.
pub const NONE: usize = N_CLASSES;
// The format's dimensions (in `stored.rs`, which the build script includes alone) are the
// code's.
const _: () = assert!(
    N_CLASSES == PtcClass::ALL.len()
        && crate::stored::CLASS_BITS == CLASS_BITS
        && crate::stored::N_SHAPES as usize == Shape::ALL.len()
);

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub tagger: Vec<f32>,
    /// Token probability from which a token counts as propaganda.
    pub threshold: f32,
    /// A span grows over neighbouring tokens whose probability is at least
    /// `threshold * extend` (hysteresis: `extend` = 1 means no growth).
    pub extend: f32,
    /// A tagged span whose probability of being no technique ([`NONE`]) is at least this is
    /// dropped (above 1: never).
    pub abstain: f32,
    /// A tagged span is also reported with its second most likely class when that class's
    /// probability among the classes is at least this (PTC gives many spans two labels).
    pub second: f32,
    /// Per PTC class, the [`Shape`] a span of that class takes (as a `u8`).
    pub shapes: [u8; N_CLASSES],
    /// `2^CLASS_BITS` rows of `N_OUTPUTS` weights (feature-major, so that one feature's
    /// weights for all classes share a cache line).
    pub classes: Vec<f32>,
}

/// A span the tagger found: token range, mean token probability.
#[derive(Debug, Clone, Copy)]
pub struct TaggedSpan {
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub score: f32,
}

pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

impl Model {
    pub fn empty() -> Model {
        Model {
            tagger: vec![0.0; 1 << TAG_BITS],
            threshold: 0.5,
            extend: 1.0,
            abstain: 2.0,
            second: 2.0,
            shapes: [0; N_CLASSES],
            classes: vec![0.0; N_OUTPUTS << CLASS_BITS],
        }
    }

    pub fn logit(&self, feats: &[Feature]) -> f32 {
        feats.iter().map(|f| self.tagger[f.index as usize]).sum()
    }

    /// Probability per token that it lies inside a propaganda span.
    pub fn tag(&self, p: &Prepared) -> Vec<f32> {
        let mut probs = vec![0.0f32; p.tokens.len()];
        let mut view = SentenceView::default();
        for &(a, b) in &p.sentences {
            view.load(p, a, b);
            for (i, prob) in probs.iter_mut().enumerate().take(b).skip(a) {
                let mut z = -0.0f32;
                view.visit(p, i, TAG_BITS, |_, index, _| z += self.tagger[index as usize]);
                *prob = sigmoid(z);
            }
        }
        probs
    }

    /// Class scores of a span (raw, one per PTC class).
    pub fn class_scores(&self, feats: &[u32]) -> [f32; N_OUTPUTS] {
        sum_rows(feats, |f| &self.classes[f as usize * N_OUTPUTS..(f as usize + 1) * N_OUTPUTS])
    }

    /// The most likely class of a span (tagger score `score`), with its probability among the
    /// classes and the probability that it is no technique.
    #[allow(clippy::too_many_arguments)]
    pub fn classify(&self, text: &str, p: &Prepared, a: usize, b: usize, s: usize, e: usize, score: f32) -> Classed {
        let mut feats = Vec::with_capacity(64);
        span_features(text, p, a, b, s, e, score, &mut feats);
        best_class(self.class_scores(&feats))
    }

    /// [`decode_floor`] with the model's threshold and extension.
    pub fn decode_floor(&self) -> f32 {
        decode_floor(self.threshold, self.extend)
    }

    /// Turns token probabilities into spans: runs of tokens at or above `threshold * extend`
    /// that hold at least one token at or above `threshold`, bridging one-token gaps, trimmed
    /// of punctuation at either end (as PTC's spans are).
    pub fn decode(&self, text: &str, p: &Prepared, probs: &[f32], threshold: f32, extend: f32) -> Vec<TaggedSpan> {
        decode(text, p, probs, threshold, extend)
    }

    /// Serialises the model, dropping weights smaller than `prune` in magnitude and
    /// quantising the rest to 16 bits.
    pub fn to_bytes(&self, prune: f32) -> Vec<u8> {
        let knobs = Knobs {
            threshold: self.threshold,
            extend: self.extend,
            abstain: self.abstain,
            second: self.second,
            shapes: self.shapes,
        };
        Stored::write(&knobs, &self.tagger, &self.classes, prune)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let stored = Stored::from_bytes(bytes)?;
        let weights = |q: &[i16], scale: f32| q.iter().map(|&q| q as f32 * scale).collect();
        Ok(Model {
            tagger: weights(&stored.tagger, stored.tagger_scale),
            threshold: stored.threshold,
            extend: stored.extend,
            abstain: stored.abstain,
            second: stored.second,
            shapes: stored.shapes,
            classes: weights(&stored.classes, stored.class_scale),
        })
    }
}

/// How a tagged span of a class is reported. PTC's spans differ by technique: loaded
/// language and name calling are a word or two, doubt or causal oversimplification a clause
/// or a sentence; the tagger's spans are in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// As the tagger decoded it.
    Decoded = 0,
    /// Trimmed to its tokens at or above the threshold (the strongest words).
    Core = 1,
    /// Grown to its clause (between commas, semicolons, colons, dashes, brackets, quotes).
    Clause = 2,
    /// Grown to its sentence.
    Sentence = 3,
}

impl Shape {
    pub const ALL: [Shape; 4] = [Shape::Decoded, Shape::Core, Shape::Clause, Shape::Sentence];

    pub fn from_u8(x: u8) -> Option<Shape> {
        Shape::ALL.get(x as usize).copied()
    }

    /// Words for explanations, or `None` when the span is as decoded.
    pub fn words(self) -> Option<&'static str> {
        match self {
            Shape::Decoded => None,
            Shape::Core => Some("trimmed to its strongest words"),
            Shape::Clause => Some("grown to its clause"),
            Shape::Sentence => Some("grown to its sentence"),
        }
    }
}

/// The token range a tagged span `s..e` of sentence `a..b` takes in `shape`.
#[allow(clippy::too_many_arguments)]
pub fn reshape(
    text: &str,
    p: &Prepared,
    probs: &[f32],
    threshold: f32,
    (a, b): (usize, usize),
    (s, e): (usize, usize),
    shape: Shape,
) -> (usize, usize) {
    let is_break = |k: usize| {
        let t = &p.tokens[k];
        t.kind == crate::text::Kind::Punct
            && matches!(
                &text[t.start..t.end],
                "," | ";"
                    | ":"
                    | "\u{2014}"
                    | "\u{2013}"
                    | "("
                    | ")"
                    | "\""
                    | "\u{201c}"
                    | "\u{201d}"
                    | "."
                    | "?"
                    | "!"
            )
    };
    let (s2, e2) = match shape {
        Shape::Decoded => return (s, e),
        Shape::Core => {
            let first = (s..e).find(|&k| probs[k] >= threshold).unwrap_or(s);
            let last = (s..e).rev().find(|&k| probs[k] >= threshold).map_or(e, |k| k + 1);
            (first, last.max(first + 1))
        }
        Shape::Clause => {
            let mut s2 = s;
            while s2 > a && !is_break(s2 - 1) {
                s2 -= 1;
            }
            let mut e2 = e;
            while e2 < b && !is_break(e2) {
                e2 += 1;
            }
            (s2, e2)
        }
        Shape::Sentence => (a, b),
    };
    // Punctuation at either end is trimmed, as the decoder trims it.
    let trim = |k: usize| p.tokens[k].kind == crate::text::Kind::Punct;
    let (mut s3, mut e3) = (s2, e2);
    while s3 < e3 && trim(s3) {
        s3 += 1;
    }
    while e3 > s3 && trim(e3 - 1) {
        e3 -= 1;
    }
    if s3 >= e3 {
        (s, e)
    } else {
        (s3, e3)
    }
}

/// The lowest probability [`decode`] with `threshold` and `extend` compares a token's with: a
/// token below it never enters a span, nor counts in a score.
pub fn decode_floor(threshold: f32, extend: f32) -> f32 {
    let low = threshold * extend;
    (low * 0.5).min(low).min(threshold)
}

/// Turns token probabilities into spans: runs of tokens at or above `threshold * extend`
/// that hold at least one token at or above `threshold`, bridging one-token gaps, trimmed
/// of punctuation at either end (as PTC's spans are).
pub fn decode(text: &str, p: &Prepared, probs: &[f32], threshold: f32, extend: f32) -> Vec<TaggedSpan> {
    let low = threshold * extend;
    let mut out = Vec::new();
    for (si, &(a, b)) in p.sentences.iter().enumerate() {
        let on = |i: usize| probs[i] >= low;
        let mut i = a;
        while i < b {
            if !on(i) {
                i += 1;
                continue;
            }
            let s = i;
            let mut e = i + 1;
            loop {
                if e < b && on(e) {
                    e += 1;
                } else if e + 1 < b && on(e + 1) && probs[e] >= low * 0.5 {
                    e += 2;
                } else {
                    break;
                }
            }
            if !probs[s..e].iter().any(|&x| x >= threshold) {
                i = e;
                continue;
            }
            i = e;
            let (mut s2, mut e2) = (s, e);
            let trim = |k: usize| {
                let t = &p.tokens[k];
                t.kind == crate::text::Kind::Punct && !matches!(&text[t.start..t.end], "?" | "!" | ")" | "\u{201d}")
            };
            while s2 < e2 && trim(s2) {
                s2 += 1;
            }
            while e2 > s2 && trim(e2 - 1) {
                e2 -= 1;
            }
            if s2 >= e2 {
                continue;
            }
            let score = probs[s2..e2].iter().sum::<f32>() / (e2 - s2) as f32;
            out.push(TaggedSpan { sentence: si, start: s2, end: e2, score });
        }
    }
    out
}

/// The sum of the class rows of `feats`, added in order.
#[inline]
fn sum_rows<'a>(feats: &[u32], row: impl Fn(u32) -> &'a [f32]) -> [f32; N_OUTPUTS] {
    let mut out = [0.0f32; N_OUTPUTS];
    for &f in feats {
        for (o, w) in out.iter_mut().zip(row(f)) {
            *o += w;
        }
    }
    out
}

/// What the span classifier says of a span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Classed {
    /// The most likely PTC class (the first of equals).
    pub class: PtcClass,
    /// Its probability among the PTC classes (given that the span is a technique).
    pub p: f32,
    /// The probability that the span is no technique at all.
    pub none: f32,
    /// The second most likely PTC class and its probability among the classes.
    pub second: PtcClass,
    pub second_p: f32,
}

/// The highest-scoring PTC class and the softmax probabilities of a span's scores.
pub fn best_class(scores: [f32; N_OUTPUTS]) -> Classed {
    let (best, max) =
        scores[..N_CLASSES].iter().enumerate().fold((0, f32::MIN), |acc, (i, &v)| if v > acc.1 { (i, v) } else { acc });
    let (second, next) =
        scores[..N_CLASSES]
            .iter()
            .enumerate()
            .fold((0, f32::MIN), |acc, (i, &v)| if i != best && v > acc.1 { (i, v) } else { acc });
    let classes: f32 = scores[..N_CLASSES].iter().map(|v| (v - max).exp()).sum();
    let none = (scores[NONE] - max).exp();
    Classed {
        class: PtcClass::ALL[best],
        p: 1.0 / classes,
        none: none / (classes + none),
        second: PtcClass::ALL[second],
        second_p: (next - max).exp() / classes,
    }
}

/// A model's class weights with the all-zero rows folded into one, each weight the float
/// [`Model::from_bytes`] computes (the file's 16-bit integer times the table's scale, computed
/// the same way). Most of the 2^16 rows of a pruned model are zero, and the span classifier's
/// lookups are cache misses in the full 3.7 MB table; here the index is 128 KB and the rows a
/// fifth of the table. Each row is padded to one cache line of sixteen floats, so that a
/// lookup touches one line and the sum over it is four vector additions with no conversion
/// (the 16-bit rows cost a conversion and a multiplication per weight). Scores are the same
/// to the bit (the same weights, added in the same order).
pub struct ClassRows {
    /// Row of each feature bucket in `rows`.
    index: Cow<'static, [u16]>,
    rows: Cow<'static, [Row]>,
}

impl ClassRows {
    /// The rows of a stored model.
    pub fn new(model: &Stored) -> ClassRows {
        let (index, rows) = crate::stored::class_rows(&model.classes, model.class_scale);
        ClassRows { index: Cow::Owned(index), rows: Cow::Owned(rows) }
    }

    /// The embedded model's rows, as the build script baked them (see [`crate::baked`]).
    pub fn embedded() -> ClassRows {
        ClassRows { index: Cow::Borrowed(crate::baked::class_index()), rows: Cow::Borrowed(crate::baked::class_rows()) }
    }

    /// [`Model::classify`] of the model these rows came from.
    #[allow(clippy::too_many_arguments)]
    pub fn classify(&self, text: &str, p: &Prepared, a: usize, b: usize, s: usize, e: usize, score: f32) -> Classed {
        let mut feats = Vec::with_capacity(64);
        span_features(text, p, a, b, s, e, score, &mut feats);
        // Each lane is its own sum, in the order of the features, as in `sum_rows`. The rows
        // are scattered over most of a megabyte and mostly out of the nearer caches: the
        // rows of a run of features are looked up and fetched first, all at once, then added.
        let mut out = [0.0f32; ROW_LANES];
        for chunk in feats.chunks(32) {
            let mut rows = [0u16; 32];
            for (r, &f) in rows.iter_mut().zip(chunk) {
                *r = self.index[f as usize];
                prefetch(&self.rows[*r as usize]);
            }
            for &r in &rows[..chunk.len()] {
                for (o, &w) in out.iter_mut().zip(&self.rows[r as usize].0) {
                    *o += w;
                }
            }
        }
        let mut scores = [0.0f32; N_OUTPUTS];
        scores.copy_from_slice(&out[..N_OUTPUTS]);
        best_class(scores)
    }
}

/// Asks for the cache line of `x` ahead of its use (a hint: no effect on results).
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE is part of the x86-64 baseline, and a prefetch reads nothing the program
    // sees; `x` is a valid reference anyway.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::token_logit;

    #[test]
    fn tag_equals_the_per_token_sum_bit_for_bit() {
        // Regression guard for issue 9: the side-by-side sums of `tag` must not change a
        // single probability (the decoder compares them with thresholds exactly).
        let model = crate::embedded_model().expect("embedded model");
        let lexicon = crate::embedded_lexicon().expect("embedded lexicon");
        let text = "Patriots! The corrupt, lying regime of Hitler-loving thugs “reformed” nothing. \
                    Either we stand or we fall? No. Lies, lies and more lies: a disaster, a catastrophe \
                    that every decent citizen knows. Short. A sentence of exactly nine tokens long here, \
                    and a rather longer one that runs on past eight tokens so that lanes split unevenly.";
        let sentences = crate::text::split_sentences(text);
        let p = Prepared::new(text, &sentences, lexicon.find(text));
        let probs = model.tag(&p);
        assert_eq!(probs.len(), p.tokens.len());
        assert!(probs.iter().any(|&x| x != probs[0]), "probabilities vary");
        for &(a, b) in &p.sentences {
            for (i, prob) in probs.iter().enumerate().take(b).skip(a) {
                let want = sigmoid(token_logit(&p, a, b, i, TAG_BITS, &model.tagger));
                assert_eq!(prob.to_bits(), want.to_bits(), "token {i}");
            }
        }
    }

    #[test]
    fn compact_class_rows_classify_as_the_model_does() {
        let model = crate::embedded_model().expect("embedded model");
        let lexicon = crate::embedded_lexicon().expect("embedded lexicon");
        let rows = ClassRows::new(&Stored::from_bytes(crate::MODEL_BYTES).expect("stored model"));
        assert!(rows.rows.len() < model.classes.len() / N_OUTPUTS, "zero rows are folded");
        // Every bucket's row holds the model's weights to the bit, then zeros.
        for (f, want) in model.classes.chunks_exact(N_OUTPUTS).enumerate() {
            let row = &rows.rows[rows.index[f] as usize].0;
            let bits = |x: &[f32]| x.iter().map(|w| w.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&row[..N_OUTPUTS]), bits(want), "bucket {f}");
            assert!(row[N_OUTPUTS..].iter().all(|w| w.to_bits() == 0));
        }
        let text = "The corrupt regime lied again, and the patriots will never forget it! \
                    Is this what they call a “free election”? Nazis, thugs and traitors.";
        let sentences = crate::text::split_sentences(text);
        let p = Prepared::new(text, &sentences, lexicon.find(text));
        let mut spans = 0;
        for &(a, b) in &p.sentences {
            for s in a..b {
                for e in s + 1..=b {
                    let score = ((s * 7 + e) % 10) as f32 / 10.0;
                    let c1 = model.classify(text, &p, a, b, s, e, score);
                    let c2 = rows.classify(text, &p, a, b, s, e, score);
                    assert_eq!(c1, c2);
                    spans += 1;
                }
            }
        }
        assert!(spans > 100);
    }

    #[test]
    fn spans_take_their_class_shape() {
        let lexicon = crate::embedded_lexicon().expect("embedded lexicon");
        let text = "Critics said, in a statement, that the corrupt and lying regime failed us all; nothing more.";
        let sentences = crate::text::split_sentences(text);
        let p = Prepared::new(text, &sentences, lexicon.find(text));
        let (a, b) = p.sentences[0];
        let words = |(s, e): (usize, usize)| &text[p.tokens[s].start..p.tokens[e - 1].end];
        let at = |w: &str| p.tokens.iter().position(|t| &text[t.start..t.end] == w).expect(w);
        let (s, e) = (at("corrupt"), at("regime") + 1);
        let mut probs = vec![0.0f32; p.tokens.len()];
        probs[at("lying")] = 0.9;
        let shape = |x| words(reshape(text, &p, &probs, 0.5, (a, b), (s, e), x));
        assert_eq!(shape(Shape::Decoded), "corrupt and lying regime");
        assert_eq!(shape(Shape::Core), "lying");
        assert_eq!(shape(Shape::Clause), "that the corrupt and lying regime failed us all");
        assert_eq!(shape(Shape::Sentence), &text[..text.len() - 1]);
        for x in Shape::ALL {
            assert_eq!(Shape::from_u8(x as u8), Some(x));
        }
        assert_eq!(Shape::from_u8(4), None);
    }

    #[test]
    fn bytes_round_trip_within_quantisation_error() {
        let mut m = Model::empty();
        m.threshold = 0.3;
        m.abstain = 0.7;
        m.second = 0.25;
        m.shapes[3] = Shape::Clause as u8;
        m.tagger[7] = 1.5;
        m.tagger[100_000] = -0.25;
        m.tagger[5] = 0.0001;
        m.classes[9 * N_OUTPUTS + 3] = 2.0;
        let back = Model::from_bytes(&m.to_bytes(0.001)).unwrap();
        assert_eq!(back.threshold, 0.3);
        assert_eq!(back.abstain, 0.7);
        assert_eq!(back.second, 0.25);
        assert_eq!(back.shapes, m.shapes);
        assert!((back.tagger[7] - 1.5).abs() < 1e-3);
        assert!((back.tagger[100_000] + 0.25).abs() < 1e-3);
        assert_eq!(back.tagger[5], 0.0, "pruned");
        assert!((back.classes[9 * N_OUTPUTS + 3] - 2.0).abs() < 1e-3);
        assert!(Model::from_bytes(b"nope").is_err());
    }
}
