//! Training the model from PTC-style data (used by `cargo xtask train rhetoric`; no IO here).
//!
//! The tagger is logistic regression over hashed token features, fitted by averaged
//! stochastic gradient descent; the span classifier is an averaged multiclass perceptron over
//! hashed span features. The decision threshold is chosen on an inner split of the training
//! articles (every fifth article by sorted id), then both models are refitted on all of them.
//! Everything is deterministic: same data, same bytes.

use slant_core::OffsetMap;

use crate::features::{span_features, token_features, Prepared, CLASS_BITS};
use crate::lexicon::Lexicon;
use crate::model::{sigmoid, Model, N_CLASSES, TAG_BITS};
use crate::score::SpanScore;
use crate::technique::PtcClass;
use crate::text::split_sentences;

/// One training article: text, gold spans (code points) and the prepared features.
pub struct TrainDoc {
    pub id: String,
    pub text: String,
    pub offsets: OffsetMap,
    pub prepared: Prepared,
    /// Gold spans of any technique (code points), as in `train-task1-SI.labels`.
    pub gold: Vec<(usize, usize)>,
    /// Gold spans with their class (code points), as in `train-task2-TC.labels`.
    pub labeled: Vec<(PtcClass, usize, usize)>,
    /// Whether each token overlaps a gold span.
    pub token_labels: Vec<bool>,
}

impl TrainDoc {
    pub fn new(
        id: String,
        text: String,
        gold: Vec<(usize, usize)>,
        labeled: Vec<(PtcClass, usize, usize)>,
        lexicon: &Lexicon,
    ) -> TrainDoc {
        let offsets = OffsetMap::new(&text);
        let sentences = split_sentences(&text);
        let prepared = Prepared::new(&text, &sentences, lexicon.find(&text));
        let byte_gold: Vec<(usize, usize)> = gold
            .iter()
            .map(|&(s, e)| {
                (offsets.to_byte(&text, s).unwrap_or(text.len()), offsets.to_byte(&text, e).unwrap_or(text.len()))
            })
            .collect();
        let token_labels =
            prepared.tokens.iter().map(|t| byte_gold.iter().any(|&(s, e)| t.start < e && s < t.end)).collect();
        TrainDoc { id, text, offsets, prepared, gold, labeled, token_labels }
    }

    /// Token range `s..e` and sentence range `a..b` covering a code-point span, if any token does.
    fn token_span(&self, start: usize, end: usize) -> Option<(usize, usize, usize, usize)> {
        let bs = self.offsets.to_byte(&self.text, start)?;
        let be = self.offsets.to_byte(&self.text, end)?;
        let toks = &self.prepared.tokens;
        let s = toks.iter().position(|t| t.end > bs)?;
        let e = toks.iter().rposition(|t| t.start < be)? + 1;
        if e <= s {
            return None;
        }
        let &(a, b) = self.prepared.sentences.iter().find(|(a, b)| *a <= s && s < *b)?;
        Some((s, e, a, b))
    }
}

/// A small deterministic generator for shuffling.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Settings of a training run.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    pub tagger_epochs: usize,
    pub classifier_epochs: usize,
    pub learning_rate: f32,
    /// Weights below this magnitude are dropped from the file.
    pub prune: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig { tagger_epochs: 5, classifier_epochs: 10, learning_rate: 0.1, prune: 0.002 }
    }
}

/// Fits the token tagger on `docs`.
pub fn train_tagger(docs: &[&TrainDoc], cfg: &TrainConfig) -> Vec<f32> {
    // Features of every token, computed once.
    let mut examples: Vec<(Vec<u32>, bool)> = Vec::new();
    let mut feats = Vec::new();
    for d in docs {
        for &(a, b) in &d.prepared.sentences {
            for i in a..b {
                feats.clear();
                token_features(&d.prepared, a, b, i, TAG_BITS, &mut feats);
                examples.push((feats.iter().map(|f| f.index).collect(), d.token_labels[i]));
            }
        }
    }
    let size = 1usize << TAG_BITS;
    let mut w = vec![0.0f64; size];
    let mut u = vec![0.0f64; size];
    let mut c = 1.0f64;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Lcg(0x5eed);
    for epoch in 0..cfg.tagger_epochs {
        rng.shuffle(&mut order);
        let lr = cfg.learning_rate as f64 / (1.0 + epoch as f64);
        for &k in &order {
            let (f, y) = &examples[k];
            let z: f64 = f.iter().map(|&i| w[i as usize]).sum();
            let p = sigmoid(z as f32) as f64;
            let g = p - if *y { 1.0 } else { 0.0 };
            if g.abs() > 1e-4 {
                for &i in f {
                    w[i as usize] -= lr * g;
                    u[i as usize] -= c * lr * g;
                }
            }
            c += 1.0;
        }
    }
    w.iter().zip(&u).map(|(w, u)| (w - u / c) as f32).collect()
}

/// Fits the span classifier on the labelled gold spans of `docs`.
pub fn train_classifier(docs: &[&TrainDoc], cfg: &TrainConfig) -> Vec<f32> {
    let mut examples: Vec<(Vec<u32>, usize)> = Vec::new();
    for d in docs {
        for &(class, s, e) in &d.labeled {
            if let Some((ts, te, a, b)) = d.token_span(s, e) {
                let mut f = Vec::new();
                span_features(&d.text, &d.prepared, a, b, ts, te, &mut f);
                examples.push((f, class.index()));
            }
        }
    }
    let size = N_CLASSES << CLASS_BITS;
    let mut w = vec![0.0f64; size];
    let mut u = vec![0.0f64; size];
    let mut c = 1.0f64;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Lcg(0xc1a55);
    for _ in 0..cfg.classifier_epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let (f, y) = &examples[k];
            let mut best = 0usize;
            let mut best_score = f64::MIN;
            for class in 0..N_CLASSES {
                let s: f64 = f.iter().map(|&i| w[i as usize * N_CLASSES + class]).sum();
                if s > best_score {
                    best_score = s;
                    best = class;
                }
            }
            if best != *y {
                for &i in f {
                    let (gi, bi) = (i as usize * N_CLASSES + *y, i as usize * N_CLASSES + best);
                    w[gi] += 1.0;
                    u[gi] += c;
                    w[bi] -= 1.0;
                    u[bi] -= c;
                }
            }
            c += 1.0;
        }
    }
    // Scale perceptron scores down so their softmax is a usable confidence.
    w.iter().zip(&u).map(|(w, u)| ((w - u / c) * 0.25) as f32).collect()
}

/// Span score of the tagger alone on `docs` at `threshold`.
pub fn tagger_score(model: &Model, docs: &[&TrainDoc], threshold: f32, extend: f32) -> SpanScore {
    let mut total = SpanScore::default();
    for d in docs {
        let probs = model.tag(&d.prepared);
        let spans: Vec<(usize, usize)> = model
            .decode(&d.text, &d.prepared, &probs, threshold, extend)
            .iter()
            .map(|s| {
                let (bs, be) = (d.prepared.tokens[s.start].start, d.prepared.tokens[s.end - 1].end);
                (d.offsets.to_char(&d.text, bs), d.offsets.to_char(&d.text, be))
            })
            .collect();
        total.add(&spans, &d.gold);
    }
    total
}

/// What a training run chose, for the xtask to print.
#[derive(Debug, Clone)]
pub struct TrainReport {
    pub fit_articles: usize,
    pub tune_articles: usize,
    pub threshold: f32,
    pub extend: f32,
    pub tune_f1: f64,
    /// Inner-tune span F1 per (threshold, extend).
    pub thresholds: Vec<(f32, f32, f64)>,
}

/// The whole run: tune the threshold on an inner split, refit on everything.
pub fn train(docs: &[TrainDoc], cfg: &TrainConfig) -> (Model, TrainReport) {
    let mut sorted: Vec<&TrainDoc> = docs.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let fit: Vec<&TrainDoc> = sorted.iter().enumerate().filter(|(i, _)| i % 5 != 4).map(|(_, d)| *d).collect();
    let tune: Vec<&TrainDoc> = sorted.iter().enumerate().filter(|(i, _)| i % 5 == 4).map(|(_, d)| *d).collect();
    let mut inner = Model::empty();
    inner.tagger = train_tagger(&fit, cfg);
    let mut thresholds = Vec::new();
    let mut best = (0.5f32, 1.0f32, -1.0f64);
    // Lower `extend` values (0.45, 0.3) score a little higher on the SI measure but grow spans
    // over whole clauses and halve the labelled F1; users want the words, so growth stops at 0.6.
    for extend in [1.0f32, 0.8, 0.6] {
        for k in 4..=24 {
            let t = k as f32 * 0.025;
            let f1 = tagger_score(&inner, &tune, t, extend).f1();
            thresholds.push((t, extend, f1));
            if f1 > best.2 {
                best = (t, extend, f1);
            }
        }
    }
    let model = Model {
        tagger: train_tagger(&sorted, cfg),
        threshold: best.0,
        extend: best.1,
        classes: train_classifier(&sorted, cfg),
    };
    let report = TrainReport {
        fit_articles: fit.len(),
        tune_articles: tune.len(),
        threshold: best.0,
        extend: best.1,
        tune_f1: best.2,
        thresholds,
    };
    (model, report)
}

/// Whether a PTC training article belongs to our held-out part. The split is by article and
/// fixed: FNV-1a of the article id, modulo 10, below 2 (about 20 %). The PTC dev split is
/// never used.
pub fn is_held_out(article_id: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in article_id.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h % 10 < 2
}

/// Parses `train-task1-SI.labels` (`id start end` per line) into spans per article.
pub fn parse_si(labels: &str) -> Result<std::collections::BTreeMap<String, Vec<(usize, usize)>>, String> {
    let mut out: std::collections::BTreeMap<String, Vec<(usize, usize)>> = Default::default();
    for (n, line) in labels.lines().enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        if line.trim().is_empty() {
            continue;
        }
        if f.len() != 3 {
            return Err(format!("SI labels line {}: expected 3 tab-separated fields, got {line:?}", n + 1));
        }
        let s = f[1].trim().parse().map_err(|e| format!("SI labels line {}: bad start: {e}", n + 1))?;
        let e = f[2].trim().parse().map_err(|e| format!("SI labels line {}: bad end: {e}", n + 1))?;
        out.entry(f[0].to_string()).or_default().push((s, e));
    }
    Ok(out)
}

/// Parses `train-task2-TC.labels` (`id technique start end`) into classed spans per article.
#[allow(clippy::type_complexity)]
pub fn parse_tc(labels: &str) -> Result<std::collections::BTreeMap<String, Vec<(PtcClass, usize, usize)>>, String> {
    let mut out: std::collections::BTreeMap<String, Vec<(PtcClass, usize, usize)>> = Default::default();
    for (n, line) in labels.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 4 {
            return Err(format!("TC labels line {}: expected 4 tab-separated fields, got {line:?}", n + 1));
        }
        let class = PtcClass::from_name(f[1])
            .ok_or_else(|| format!("TC labels line {}: unknown technique {:?}", n + 1, f[1]))?;
        let s = f[2].trim().parse().map_err(|e| format!("TC labels line {}: bad start: {e}", n + 1))?;
        let e = f[3].trim().parse().map_err(|e| format!("TC labels line {}: bad end: {e}", n + 1))?;
        out.entry(f[0].to_string()).or_default().push((class, s, e));
    }
    Ok(out)
}

/// One PTC article with its gold spans (code points).
pub type PtcArticle = (String, String, Vec<(usize, usize)>, Vec<(PtcClass, usize, usize)>);

/// Picks our training part (`held_out = false`) or held-out part (`true`) of PTC articles
/// given as `(id, text)`, attaching their gold spans from the two labels files' contents.
pub fn select_ptc(
    articles: Vec<(String, String)>,
    si_labels: &str,
    tc_labels: &str,
    held_out: bool,
) -> Result<Vec<PtcArticle>, String> {
    let si = parse_si(si_labels)?;
    let tc = parse_tc(tc_labels)?;
    let mut out: Vec<PtcArticle> = articles
        .into_iter()
        .filter(|(id, _)| is_held_out(id) == held_out)
        .map(|(id, text)| {
            let gold = si.get(&id).cloned().unwrap_or_default();
            let labeled = tc.get(&id).cloned().unwrap_or_default();
            (id, text, gold, labeled)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
