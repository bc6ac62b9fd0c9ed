//! Training the model from PTC-style data (used by `cargo xtask train rhetoric`; no IO here).
//!
//! The tagger is logistic regression over hashed token features, fitted by averaged
//! stochastic gradient descent; the span classifier is a multinomial logistic regression over
//! hashed span features (the 14 PTC classes and "no technique"), fitted the same way on the
//! gold spans and on the tagger's own spans matched to gold. The tagger's threshold is chosen
//! on an inner split of the training articles (every fifth article by sorted id); the
//! classifier's settings (what it is trained on, abstention, second labels, class priors, span
//! shapes) by five-fold cross-validation over the training articles, measuring the whole
//! analyzer (lexicon and rules too) with [`end_to_end`]. Then both models are refitted on all
//! of them. Everything is deterministic: same data, same bytes.

use slant_core::OffsetMap;

use crate::features::{span_features, token_features, Prepared, CLASS_BITS};
use crate::lexicon::Lexicon;
use crate::model::{sigmoid, Model, Shape, NONE, N_CLASSES, N_OUTPUTS, TAG_BITS};
use crate::score::SpanScore;
use crate::technique::PtcClass;
use crate::text::split_sentences;
#[cfg(test)]
use crate::Technique;
use crate::{Engine, Finding, Rhetoric};

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
    /// Sentences (byte spans) as the evaluation splits them.
    pub sentences: Vec<(usize, usize)>,
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
        TrainDoc { id, text, offsets, prepared, gold, labeled, token_labels, sentences }
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

/// How the span classifier is fitted: a multinomial logistic regression (softmax) by averaged
/// SGD over the PTC classes and [`NONE`], on the gold spans with weight `gold` and on the
/// tagger's own spans (cross-fitted, so that they are the spans an unseen article gives) with
/// weight `predicted`: a span that overlaps gold spans has their classes as its target
/// (weighted by the characters they share), one that overlaps none has [`NONE`] with weight
/// `predicted * none`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassifierConfig {
    pub epochs: usize,
    pub learning_rate: f32,
    pub gold: f32,
    pub predicted: f32,
    pub none: f32,
}

/// A span-classifier example: features, target distribution over the outputs, weight.
pub type ClassExample = (Vec<u32>, [f32; N_OUTPUTS], f32);

/// The labelled gold spans of a document as one-hot examples (`probs`: the tagger's token
/// probabilities, for the span's mean).
pub fn gold_examples(d: &TrainDoc, probs: &[f32], weight: f32, out: &mut Vec<ClassExample>) {
    for &(class, s, e) in &d.labeled {
        if let Some((ts, te, a, b)) = d.token_span(s, e) {
            let score = probs[ts..te].iter().sum::<f32>() / (te - ts) as f32;
            let mut f = Vec::new();
            span_features(&d.text, &d.prepared, a, b, ts, te, score, &mut f);
            let mut y = [0.0f32; N_OUTPUTS];
            y[class.index()] = 1.0;
            out.push((f, y, weight));
        }
    }
}

/// The spans `model`'s tagger finds in `d` (token probabilities `probs`), each with the
/// classes of the gold spans it overlaps as its target, weighted by the characters they
/// share; a span that overlaps no gold span has [`NONE`] (with weight `weight * none`).
pub fn predicted_examples(
    model: &Model,
    d: &TrainDoc,
    probs: &[f32],
    weight: f32,
    none: f32,
    out: &mut Vec<ClassExample>,
) {
    for span in model.decode(&d.text, &d.prepared, probs, model.threshold, model.extend) {
        let toks = &d.prepared.tokens;
        if toks[span.start..span.end].iter().all(|t| function_word(t.lower)) {
            continue;
        }
        let cs = d.offsets.to_char(&d.text, toks[span.start].start);
        let ce = d.offsets.to_char(&d.text, toks[span.end - 1].end);
        let mut y = [0.0f32; N_OUTPUTS];
        for &(class, gs, ge) in &d.labeled {
            let inter = ce.min(ge).saturating_sub(cs.max(gs));
            if inter > 0 {
                let share = inter as f32 / (ce - cs).max(1) as f32;
                y[class.index()] = y[class.index()].max(share);
            }
        }
        let total: f32 = y.iter().sum();
        let w = if total > 0.0 {
            y.iter_mut().for_each(|v| *v /= total);
            weight
        } else {
            y[NONE] = 1.0;
            weight * none
        };
        if w <= 0.0 {
            continue;
        }
        let (a, b) = d.prepared.sentences[span.sentence];
        let mut f = Vec::new();
        span_features(&d.text, &d.prepared, a, b, span.start, span.end, span.score, &mut f);
        out.push((f, y, w));
    }
}

fn function_word(hash: u64) -> bool {
    crate::text::FUNCTION_WORDS.iter().any(|w| crate::text::hash_lower(w) == hash)
}

/// Fits the span classifier as a multinomial logistic regression by averaged SGD.
pub fn train_softmax(examples: &[ClassExample], epochs: usize, learning_rate: f32) -> Vec<f32> {
    let size = N_OUTPUTS << CLASS_BITS;
    let mut w = vec![0.0f64; size];
    let mut u = vec![0.0f64; size];
    let mut c = 1.0f64;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Lcg(0x50f7);
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let lr = learning_rate as f64 / (1.0 + epoch as f64);
        for &k in &order {
            let (f, y, weight) = &examples[k];
            let mut z = [0.0f64; N_OUTPUTS];
            for &i in f {
                let row = &w[i as usize * N_OUTPUTS..(i as usize + 1) * N_OUTPUTS];
                for (z, w) in z.iter_mut().zip(row) {
                    *z += w;
                }
            }
            let max = z.iter().fold(f64::MIN, |m, &v| m.max(v));
            let mut sum = 0.0;
            for v in z.iter_mut() {
                *v = (*v - max).exp();
                sum += *v;
            }
            let mut g = [0.0f64; N_OUTPUTS];
            for (cl, g) in g.iter_mut().enumerate() {
                *g = (z[cl] / sum - y[cl] as f64) * *weight as f64 * lr;
            }
            for &i in f {
                let base = i as usize * N_OUTPUTS;
                for (cl, &g) in g.iter().enumerate() {
                    w[base + cl] -= g;
                    u[base + cl] -= c * g;
                }
            }
            c += 1.0;
        }
    }
    w.iter().zip(&u).map(|(w, u)| (w - u / c) as f32).collect()
}

/// The span classifier's examples from `docs`, by kind: gold spans, the tagger's spans that
/// overlap gold, and those that overlap none (target [`NONE`]), all of weight 1. The tagger's
/// probabilities and spans come from taggers fitted on the other half of `docs` (two folds by
/// position, so each article's spans come from a tagger that never saw it), decoded at
/// `threshold` and `extend`.
pub struct Examples {
    pub gold: Vec<ClassExample>,
    pub matched: Vec<ClassExample>,
    pub none: Vec<ClassExample>,
}

impl Examples {
    pub fn new(docs: &[&TrainDoc], cfg: &TrainConfig, threshold: f32, extend: f32) -> Examples {
        let mut out = Examples { gold: Vec::new(), matched: Vec::new(), none: Vec::new() };
        for fold in 0..2 {
            let train_part: Vec<&TrainDoc> =
                docs.iter().enumerate().filter(|(i, _)| i % 2 != fold).map(|(_, d)| *d).collect();
            let model = Model { tagger: train_tagger(&train_part, cfg), threshold, extend, ..Model::empty() };
            for (_, d) in docs.iter().enumerate().filter(|(i, _)| i % 2 == fold) {
                let probs = model.tag(&d.prepared);
                gold_examples(d, &probs, 1.0, &mut out.gold);
                let mut predicted = Vec::new();
                predicted_examples(&model, d, &probs, 1.0, 1.0, &mut predicted);
                for x in predicted {
                    if x.1[NONE] > 0.0 {
                        out.none.push(x);
                    } else {
                        out.matched.push(x);
                    }
                }
            }
        }
        out
    }

    /// The class weights `classifier` fits on these examples.
    pub fn fit(&self, classifier: &ClassifierConfig) -> Vec<f32> {
        let weighted = |v: &[ClassExample], w: f32| -> Vec<ClassExample> {
            if w > 0.0 {
                v.iter().map(|(f, y, _)| (f.clone(), *y, w)).collect()
            } else {
                Vec::new()
            }
        };
        let mut all = weighted(&self.gold, classifier.gold);
        all.extend(weighted(&self.matched, classifier.predicted));
        all.extend(weighted(&self.none, classifier.predicted * classifier.none));
        train_softmax(&all, classifier.epochs, classifier.learning_rate)
    }
}

/// Scores one article's findings against its gold spans as `cargo xtask eval rhetoric` does:
/// PTC techniques only (devices left out), labels ignored and per PTC class.
pub fn score_findings(
    d: &TrainDoc,
    findings: &[Finding],
    unlabeled: &mut SpanScore,
    labeled: &mut [SpanScore; N_CLASSES],
) {
    let chars = |f: &Finding| (d.offsets.to_char(&d.text, f.start), d.offsets.to_char(&d.text, f.end));
    let ptc: Vec<(PtcClass, (usize, usize))> =
        findings.iter().filter_map(|f| f.technique.ptc_class().map(|c| (c, chars(f)))).collect();
    let spans: Vec<(usize, usize)> = ptc.iter().map(|x| x.1).collect();
    unlabeled.add(&spans, &d.gold);
    for class in PtcClass::ALL {
        let p: Vec<(usize, usize)> = ptc.iter().filter(|x| x.0 == class).map(|x| x.1).collect();
        let g: Vec<(usize, usize)> = d.labeled.iter().filter(|c| c.0 == class).map(|c| (c.1, c.2)).collect();
        labeled[class.index()].add(&p, &g);
    }
}

/// The whole analyzer's scores on `docs` with `model` in place of the embedded one: labels
/// ignored, and labels required (summed over the classes).
pub fn end_to_end(model: &Model, prune: f32, docs: &[&TrainDoc], lexicon: &Lexicon) -> (SpanScore, SpanScore) {
    let engine = match Engine::new(model, prune) {
        Ok(e) => e,
        Err(e) => panic!("a model written and read back must load: {e}"),
    };
    let analyzer = Rhetoric { _private: () };
    let mut unlabeled = SpanScore::default();
    let mut labeled = [SpanScore::default(); N_CLASSES];
    for d in docs {
        let findings = analyzer.find_with(lexicon, &engine, &d.text, &d.sentences);
        score_findings(d, &findings, &mut unlabeled, &mut labeled);
    }
    let mut total = SpanScore::default();
    labeled.iter().for_each(|s| total.merge_from(s));
    (unlabeled, total)
}

/// Diagnostics of a classifier on the spans `model` finds in `docs`: the expected credit of
/// its label (the target's share of the chosen class, as `predicted_examples` builds it), of
/// always saying loaded language, and of the best label; then, per source of the whole
/// analyzer's findings, the labelled score.
pub fn diagnose(model: &Model, prune: f32, docs: &[&TrainDoc], lexicon: &Lexicon) -> Vec<String> {
    let mut lines = Vec::new();
    let (mut credit, mut loaded, mut n) = (0.0f64, 0.0f64, 0usize);
    let mut confusion = [[0.0f64; N_CLASSES]; N_CLASSES];
    for d in docs {
        let mut ex = Vec::new();
        let probs = model.tag(&d.prepared);
        predicted_examples(model, d, &probs, 1.0, 0.0, &mut ex);
        for (f, y, _) in &ex {
            let c = crate::model::best_class(model.class_scores(f)).class;
            credit += y[c.index()] as f64;
            loaded += y[PtcClass::LoadedLanguage.index()] as f64;
            let truth = y.iter().enumerate().fold((0, -1.0f32), |a, (i, &v)| if v > a.1 { (i, v) } else { a }).0;
            confusion[truth][c.index()] += 1.0;
            n += 1;
        }
    }
    lines.push(format!(
        "tagger spans matched to gold: {n}; label credit {:.3}, always loaded language {:.3}",
        credit / n.max(1) as f64,
        loaded / n.max(1) as f64
    ));
    // Gold spans: is the class the classifier gives one of the span's gold classes?
    let (mut right, mut total) = (0usize, 0usize);
    for d in docs {
        let probs = model.tag(&d.prepared);
        let mut ex = Vec::new();
        gold_examples(d, &probs, 1.0, &mut ex);
        let spans: Vec<(usize, usize)> =
            d.labeled.iter().filter(|&&(_, s, e)| d.token_span(s, e).is_some()).map(|&(_, s, e)| (s, e)).collect();
        for ((f, _, _), &(s, e)) in ex.iter().zip(&spans) {
            let c = crate::model::best_class(model.class_scores(f)).class;
            right += d.labeled.iter().any(|&(g, gs, ge)| g == c && gs == s && ge == e) as usize;
            total += 1;
        }
    }
    lines.push(format!(
        "gold spans: {total}; classed as one of their gold classes {:.3}",
        right as f64 / total.max(1) as f64
    ));
    lines.push(format!(
        "confusion (rows: gold's main class, columns: predicted) {:?}",
        PtcClass::ALL.map(|c| &c.name()[..4])
    ));
    for (i, row) in confusion.iter().enumerate() {
        lines.push(format!("  {:<5} {:?}", &PtcClass::ALL[i].name()[..4], row.map(|v| v as u32)));
    }
    let engine = match Engine::new(model, prune) {
        Ok(e) => e,
        Err(e) => panic!("a model written and read back must load: {e}"),
    };
    let analyzer = Rhetoric { _private: () };
    for source in ["model", "lexicon", "rule"] {
        let mut unlabeled = SpanScore::default();
        let mut labeled = [SpanScore::default(); N_CLASSES];
        for d in docs {
            let mut findings = analyzer.find_with(lexicon, &engine, &d.text, &d.sentences);
            findings.retain(|f| f.source == source);
            score_findings(d, &findings, &mut unlabeled, &mut labeled);
        }
        let mut total = SpanScore::default();
        labeled.iter().for_each(|s| total.merge_from(s));
        lines.push(format!(
            "{source}: labels ignored P {:.3} R {:.3} ({}), labels required P {:.3} R {:.3} ({})",
            unlabeled.precision(),
            unlabeled.recall(),
            unlabeled.predicted,
            total.precision(),
            total.recall(),
            total.predicted
        ));
        let per: Vec<String> = PtcClass::ALL
            .iter()
            .zip(&labeled)
            .filter(|(_, s)| s.predicted > 0)
            .map(|(c, s)| format!("{} {}/{:.2}", &c.name()[..4], s.predicted, s.precision()))
            .collect();
        lines.push(format!("    {}", per.join(", ")));
    }
    lines
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
    /// Cross-validated scores of the whole analyzer per classifier setting, abstention level
    /// and second-class level: labels ignored, then labels required.
    pub classifiers: Vec<(ClassifierConfig, f32, f32, SpanScore, SpanScore)>,
    pub classifier: ClassifierConfig,
    pub abstain: f32,
    pub second: f32,
    /// What the priors and shapes chose, then inner-tune diagnostics of the chosen classifier
    /// (see [`diagnose`]).
    pub diagnostics: Vec<String>,
}

/// The class-weight row of the span classifier's bias feature (every span has it).
fn bias_row() -> usize {
    // As `span_features` pushes it: template 0, value 0.
    crate::features::slot(crate::features::mix(101, 0), CLASS_BITS) as usize
}

/// Sets class weights smaller than `level` in magnitude to zero.
fn prune_classes(classes: &mut [f32], level: f32) {
    classes.iter_mut().filter(|w| w.abs() < level).for_each(|w| *w = 0.0);
}

/// Adds per-class offsets to the bias row of class weights.
fn add_priors(classes: &mut [f32], priors: &[f32; N_CLASSES]) {
    let row = bias_row();
    for (c, p) in priors.iter().enumerate() {
        classes[row * N_OUTPUTS + c] += p;
    }
}

/// The chosen output settings applied to a fitted model: class priors, span shapes, and class
/// weights pruned below `prune` (the same steps for the cross-validated folds and the model
/// that is written).
fn finish(m: &mut Model, priors: &[f32; N_CLASSES], shapes: [u8; N_CLASSES], prune: f32) {
    add_priors(&mut m.classes, priors);
    m.shapes = shapes;
    prune_classes(&mut m.classes, prune);
}

/// Classifier settings tried on the inner split.
pub fn classifier_candidates() -> Vec<ClassifierConfig> {
    let mut out = Vec::new();
    for none in [0.0, 0.5, 1.0] {
        out.push(ClassifierConfig { epochs: 10, learning_rate: 0.1, gold: 1.0, predicted: 1.0, none });
    }
    out
}

/// Abstention levels tried on the inner split (above 1: never abstain).
const ABSTAIN: [f32; 4] = [2.0, 0.9, 0.8, 0.7];
/// Levels from which a span's second class is reported too, tried on the inner split.
const SECOND: [f32; 7] = [2.0, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15];

/// Folds of the cross-validation that chooses the classifier's settings.
const FOLDS: usize = 5;

/// One fold of the cross-validation: a model whose tagger and classifier examples come from
/// the other folds' articles, and this fold's articles to measure it on.
struct Fold<'a> {
    model: Model,
    examples: Examples,
    tune: Vec<&'a TrainDoc>,
}

/// The whole analyzer's scores summed over the folds, each fold's model adjusted by `adjust`.
fn cross_score(folds: &[Fold], prune: f32, lexicon: &Lexicon, adjust: impl Fn(&mut Model)) -> (SpanScore, SpanScore) {
    let (mut unlabeled, mut labeled) = (SpanScore::default(), SpanScore::default());
    for fold in folds {
        let mut model = fold.model.clone();
        adjust(&mut model);
        let (u, l) = end_to_end(&model, prune, &fold.tune, lexicon);
        unlabeled.merge_from(&u);
        labeled.merge_from(&l);
    }
    (unlabeled, labeled)
}

/// The whole run: tune the tagger's threshold on an inner split and the classifier's settings
/// by cross-validation over the training articles, refit on everything.
pub fn train(docs: &[TrainDoc], lexicon: &Lexicon, cfg: &TrainConfig) -> (Model, TrainReport) {
    let mut sorted: Vec<&TrainDoc> = docs.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let part = |k: usize, inside: bool| -> Vec<&TrainDoc> {
        sorted.iter().enumerate().filter(|(i, _)| (i % FOLDS == k) == inside).map(|(_, d)| *d).collect()
    };
    let (fit, tune) = (part(FOLDS - 1, false), part(FOLDS - 1, true));
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
    inner.threshold = best.0;
    inner.extend = best.1;
    // The classifier's settings are chosen on all the training articles, each measured by a
    // model that did not see it: on one inner split of 62 articles, settings that differ by
    // less than about 0.005 in labelled F1 are not told apart.
    let mut folds: Vec<Fold> = (0..FOLDS)
        .map(|k| {
            let fit = part(k, false);
            let tagger = if k == FOLDS - 1 { inner.tagger.clone() } else { train_tagger(&fit, cfg) };
            let model = Model { tagger, threshold: best.0, extend: best.1, ..Model::empty() };
            Fold { model, examples: Examples::new(&fit, cfg, best.0, best.1), tune: part(k, true) }
        })
        .collect();
    // Each classifier setting and abstention level is measured end to end; the labelled F1
    // decides, among those whose span F1 (labels ignored) is no lower than without abstaining.
    let mut classifiers = Vec::new();
    let mut chosen = (classifier_candidates()[0], 2.0f32, 2.0f32, -1.0f64);
    for candidate in classifier_candidates() {
        for fold in folds.iter_mut() {
            fold.model.classes = fold.examples.fit(&candidate);
        }
        let mut floor = None;
        for abstain in ABSTAIN {
            if candidate.none == 0.0 && abstain < 2.0 {
                continue;
            }
            for second in SECOND {
                let (unlabeled, labeled) = cross_score(&folds, cfg.prune, lexicon, |m| {
                    m.abstain = abstain;
                    m.second = second;
                });
                let floor = *floor.get_or_insert(unlabeled.f1());
                if unlabeled.f1() >= floor && labeled.f1() > chosen.3 {
                    chosen = (candidate, abstain, second, labeled.f1());
                }
                classifiers.push((candidate, abstain, second, unlabeled, labeled));
            }
        }
    }
    for fold in folds.iter_mut() {
        fold.model.classes = fold.examples.fit(&chosen.0);
        fold.model.abstain = chosen.1;
        fold.model.second = chosen.2;
    }
    // Class priors for the labelled F1: argmax labels maximise accuracy, but a class whose
    // spans are rarely right costs more precision than it brings recall. Then the shape of
    // each class's spans. One class at a time, a change is kept where it raises the
    // cross-validated labelled F1 by at least 0.001 and keeps the span F1 within 0.002.
    let (base_unlabeled, base_labeled) = cross_score(&folds, cfg.prune, lexicon, |_| {});
    let mut priors = [0.0f32; N_CLASSES];
    let mut shapes = [0u8; N_CLASSES];
    let (mut current, floor) = (base_labeled.f1(), base_unlabeled.f1());
    let mut log = Vec::new();
    for _round in 0..2 {
        for class in 0..N_CLASSES {
            let mut best_step = (priors[class], current);
            for step in [-0.5f32, -1.0, -2.0, 0.5] {
                let mut offsets = priors;
                offsets[class] += step;
                let (unlabeled, labeled) = cross_score(&folds, cfg.prune, lexicon, |m| {
                    add_priors(&mut m.classes, &offsets);
                    m.shapes = shapes;
                });
                if unlabeled.f1() >= floor - 0.002 && labeled.f1() > best_step.1 + 0.001 {
                    best_step = (priors[class] + step, labeled.f1());
                }
            }
            if best_step.0 != priors[class] {
                priors[class] = best_step.0;
                current = best_step.1;
                log.push(format!(
                    "{} prior {:+.1}: cross-validated labelled F1 {:.3}",
                    PtcClass::ALL[class].name(),
                    priors[class],
                    current
                ));
            }
        }
        for class in 0..N_CLASSES {
            let mut best_shape = (shapes[class], current);
            for shape in Shape::ALL {
                if shape as u8 == shapes[class] {
                    continue;
                }
                let mut trial = shapes;
                trial[class] = shape as u8;
                let (unlabeled, labeled) = cross_score(&folds, cfg.prune, lexicon, |m| {
                    add_priors(&mut m.classes, &priors);
                    m.shapes = trial;
                });
                if unlabeled.f1() >= floor - 0.002 && labeled.f1() > best_shape.1 + 0.001 {
                    best_shape = (shape as u8, labeled.f1());
                }
            }
            if best_shape.0 != shapes[class] {
                shapes[class] = best_shape.0;
                current = best_shape.1;
                log.push(format!(
                    "{} spans {:?}: cross-validated labelled F1 {:.3}",
                    PtcClass::ALL[class].name(),
                    Shape::from_u8(best_shape.0),
                    current
                ));
            }
        }
    }
    // The softmax leaves small weights on every class of every feature it saw, and each
    // feature with any weight left is a cache line the analyzer reads per span: the class
    // weights are pruned at the highest level that keeps the cross-validated scores (labelled
    // F1 within 0.001, span F1 within 0.002).
    let mut class_prune = 0.0f32;
    for level in [0.005f32, 0.01, 0.02, 0.04, 0.08, 0.16] {
        let (unlabeled, labeled) = cross_score(&folds, cfg.prune, lexicon, |m| finish(m, &priors, shapes, level));
        log.push(format!(
            "class weights pruned below {level}: cross-validated span F1 {:.3}, labelled F1 {:.3}",
            unlabeled.f1(),
            labeled.f1()
        ));
        if labeled.f1() >= current - 0.001 && unlabeled.f1() >= floor - 0.002 {
            class_prune = level;
        } else {
            break;
        }
    }
    let (final_unlabeled, final_labeled) =
        cross_score(&folds, cfg.prune, lexicon, |m| finish(m, &priors, shapes, class_prune));
    log.push(format!(
        "cross-validated, all settings: span F1 {:.3} (labels ignored), labelled P {:.3} R {:.3} F1 {:.3}",
        final_unlabeled.f1(),
        final_labeled.precision(),
        final_labeled.recall(),
        final_labeled.f1()
    ));
    let last = &mut folds[FOLDS - 1].model;
    finish(last, &priors, shapes, class_prune);
    log.extend(diagnose(last, cfg.prune, &tune, lexicon));
    let examples = Examples::new(&sorted, cfg, best.0, best.1);
    let mut model = Model {
        tagger: train_tagger(&sorted, cfg),
        threshold: best.0,
        extend: best.1,
        abstain: chosen.1,
        second: chosen.2,
        shapes,
        classes: examples.fit(&chosen.0),
    };
    finish(&mut model, &priors, shapes, class_prune);
    let report = TrainReport {
        fit_articles: fit.len(),
        tune_articles: tune.len(),
        threshold: best.0,
        extend: best.1,
        tune_f1: best.2,
        thresholds,
        classifiers,
        classifier: chosen.0,
        abstain: chosen.1,
        second: chosen.2,
        diagnostics: log,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The softmax classifier learns a small separable problem, its probabilities are
    /// calibrated toward the targets, and two fits give the same weights (training must
    /// regenerate the committed model byte for byte).
    #[test]
    fn softmax_fits_a_separable_problem_deterministically() {
        let one_hot = |c: usize| {
            let mut y = [0.0f32; N_OUTPUTS];
            y[c] = 1.0;
            y
        };
        let mut examples: Vec<ClassExample> = Vec::new();
        for k in 0..60u32 {
            // Feature 0 is a bias; 10, 20 and 30 mark classes 3, 8 and "no technique".
            let (feature, class) = [(10, 3), (20, 8), (30, NONE)][k as usize % 3];
            examples.push((vec![0, feature, 100 + k], one_hot(class), 1.0));
        }
        let w = train_softmax(&examples, 10, 0.1);
        assert_eq!(w, train_softmax(&examples, 10, 0.1));
        let model = Model { classes: w, ..Model::empty() };
        let c = crate::model::best_class(model.class_scores(&[0, 10]));
        assert_eq!(c.class, PtcClass::ALL[3]);
        assert!(c.p > 0.6, "{c:?}");
        assert!(c.none < 0.2, "{c:?}");
        assert_eq!(crate::model::best_class(model.class_scores(&[0, 20])).class, PtcClass::ALL[8]);
        let none = crate::model::best_class(model.class_scores(&[0, 30]));
        assert!(none.none > 0.5, "{none:?}");
    }

    /// Findings are scored as the eval scores them: devices are left out, and a label earns
    /// credit only from gold spans of its class.
    #[test]
    fn findings_score_per_class_and_without_devices() {
        let lexicon = crate::embedded_lexicon().expect("embedded lexicon");
        let text = "They are traitors and thugs.".to_string();
        // Gold: "traitors" (name calling), "thugs" (loaded language), in code points.
        let d = TrainDoc::new(
            "t".to_string(),
            text.clone(),
            vec![(9, 17), (22, 27)],
            vec![(PtcClass::NameCalling, 9, 17), (PtcClass::LoadedLanguage, 22, 27)],
            lexicon,
        );
        let finding = |start, end, technique| Finding {
            start,
            end,
            technique,
            score: 0.5,
            cue: String::new(),
            explanation: String::new(),
            source: "model",
        };
        let findings = [
            finding(9, 17, Technique::NameCalling),
            finding(22, 27, Technique::NameCalling),
            finding(0, 4, Technique::RhetoricalQuestion),
        ];
        let (mut unlabeled, mut labeled) = (SpanScore::default(), [SpanScore::default(); N_CLASSES]);
        score_findings(&d, &findings, &mut unlabeled, &mut labeled);
        assert_eq!((unlabeled.predicted, unlabeled.gold), (2, 2));
        assert!((unlabeled.precision() - 1.0).abs() < 1e-9);
        let name = labeled[PtcClass::NameCalling.index()];
        assert_eq!((name.predicted, name.gold), (2, 1));
        assert!((name.precision() - 0.5).abs() < 1e-9);
        let loaded = labeled[PtcClass::LoadedLanguage.index()];
        assert_eq!((loaded.predicted, loaded.gold), (0, 1));
        assert_eq!(loaded.recall(), 0.0);
    }
}
