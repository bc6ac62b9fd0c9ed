//! Linear (multinomial logistic regression) models: the committed weight files, their parser,
//! and prediction with the features that drove each decision.
//!
//! A weight file is text (see [`crate::weights`] for the format); `cargo xtask train stance`
//! writes them. The analyzer's own models are laid out by `build.rs` and baked into the binary
//! as the tables a run reads in place (see [`crate::table`]), so that no run pays for parsing
//! them or building their tables.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::features::Feat;
use crate::table::{self, plain, Aligned, Cell, KeyFilter, EMPTY, MODEL_FILTER_BITS};
use crate::weights;

pub use crate::table::MAX_CLASSES;

/// A trained linear model.
///
/// The rows live in an open-addressing table keyed by the feature key: a row's id is its cell,
/// and the cell holds the key, the weights of every class and the row's mean, 32 bytes aligned
/// to 32. Looking a feature up and then reading its weights (to score) or its pull (to explain)
/// touch one cache line, where a hash map of ids beside an array of rows touched three (the
/// map's control bytes, its bucket, the row): the model is far larger than the processor's
/// first caches, so those reads were misses, and they were the analyzer's largest cost in time.
///
/// The table and the filter are slices borrowed for the life of the program: the committed
/// models' are baked into the binary by `build.rs` (see [`crate::table`]), so that a run reads
/// them where they lie; a model parsed from text (the trainer's, once per run) leaks its own.
/// A plain slice keeps every lookup free of a test of whose memory it reads.
#[derive(Debug, Default)]
pub struct LinearModel {
    pub classes: Vec<String>,
    /// A power of two of cells, at most two thirds full; an empty cell has key [`EMPTY`].
    cells: &'static [Cell],
    /// Right shift of the key's product that gives its home cell.
    shift: u32,
    /// Number of rows (features) in the model.
    rows: usize,
    /// The feature names, concatenated; the name of the row in cell `i` spans `name_spans[i]`.
    names: Cow<'static, str>,
    name_spans: Cow<'static, [[u32; 2]]>,
    /// The rows named `bias`, which explanations leave out.
    bias_rows: Vec<u32>,
    /// Most keys a sentence asks for are unknown to the model: the filter turns most of those
    /// away without a probe of the table, whose cells are far less likely to be in cache.
    filter: KeyFilter,
}

/// Why a prediction came out as it did: one feature and its pull toward the chosen class.
#[derive(Debug, Clone)]
pub struct Contribution<'m> {
    pub name: &'m str,
    pub tok: Option<usize>,
    pub weight: f32,
}

/// A feature the model knows: its row, value and the token that produced it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Known {
    pub id: u32,
    pub value: f32,
    /// The token, or [`Known::NO_TOKEN`].
    pub tok: u32,
}

impl Known {
    pub const NO_TOKEN: u32 = u32::MAX;

    pub fn new(id: u32, value: f32, tok: Option<usize>) -> Self {
        Known { id, value, tok: tok.map_or(Known::NO_TOKEN, |t| t as u32) }
    }

    pub fn tok(&self) -> Option<usize> {
        (self.tok != Known::NO_TOKEN).then_some(self.tok as usize)
    }
}

#[derive(Debug, Clone)]
pub struct Prediction<'m> {
    pub probs: Probs,
    pub class: usize,
    /// Features that pushed hardest toward `class`, strongest first.
    pub top: Vec<Contribution<'m>>,
}

/// A committed model as `build.rs` bakes it: the tables of [`table::lay_out`] as bytes of the
/// target's layout, aligned for the cells, with what the run needs beside them.
struct Baked {
    classes: &'static [&'static str],
    rows: usize,
    bias_rows: &'static [u32],
    cells: &'static Aligned<[u8]>,
    spans: &'static Aligned<[u8]>,
    filter: &'static Aligned<[u8]>,
    names: &'static str,
}

/// The baked models, `TARGET` and `PAIR` (written by `build.rs`).
mod baked {
    use super::{Aligned, Baked};
    include!(concat!(env!("OUT_DIR"), "/baked_models.rs"));
}

impl LinearModel {
    /// Parses a weight file; the error names the offending line. The model's table and filter
    /// are leaked (see [`LinearModel`]).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (mut keys, mut weights, mut name_ends, mut names) = (Vec::new(), Vec::new(), Vec::new(), String::new());
        let classes = weights::read_text(text, |key, name, ws| {
            keys.push(key);
            weights.extend_from_slice(ws);
            names.push_str(name);
            name_ends.push(names.len() as u32);
        })?;
        let t = table::lay_out(classes.len(), &keys, &weights, &name_ends, &names)?;
        Ok(LinearModel {
            classes,
            cells: Vec::leak(t.cells),
            shift: t.shift,
            rows: t.rows,
            names: Cow::Owned(names),
            name_spans: Cow::Owned(t.spans),
            bias_rows: t.bias_rows,
            filter: KeyFilter::new(keys.iter().copied(), MODEL_FILTER_BITS),
        })
    }

    /// A model baked by `build.rs`, read in place.
    fn from_baked(b: &'static Baked) -> Result<Self, String> {
        let cells: &'static [Cell] = plain(&b.cells.0)?;
        let spans: &'static [[u32; 2]] = plain(&b.spans.0)?;
        let words: &'static [u64] = plain(&b.filter.0)?;
        if !cells.len().is_power_of_two()
            || spans.len() != cells.len()
            || !words.len().is_power_of_two()
            || b.classes.len() > MAX_CLASSES
        {
            return Err("baked model: inconsistent tables".to_string());
        }
        Ok(LinearModel {
            classes: b.classes.iter().map(|c| c.to_string()).collect(),
            cells,
            shift: 64 - cells.len().trailing_zeros(),
            rows: b.rows,
            names: Cow::Borrowed(b.names),
            name_spans: Cow::Borrowed(spans),
            bias_rows: b.bias_rows.to_vec(),
            filter: KeyFilter::from_words(words),
        })
    }

    /// The home cell of `key`.
    #[inline(always)]
    fn home(&self, key: u64) -> usize {
        table::home(key, self.shift)
    }

    /// Number of rows (features).
    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The rows' ids, in table order.
    pub fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.cells.len() as u32).filter(|&i| self.cells[i as usize].key != EMPTY)
    }

    /// The readable name of row `i`.
    pub fn name(&self, i: usize) -> &str {
        let [start, end] = self.name_spans[i];
        &self.names[start as usize..end as usize]
    }

    /// The weights of row `i`, one per class.
    pub fn row(&self, i: u32) -> &[f32] {
        &self.cells[i as usize].w[..self.classes.len()]
    }

    /// Weights of one feature, if the model knows it.
    pub fn weights_of(&self, key: u64) -> Option<&[f32]> {
        self.probe(key).map(|i| self.row(i))
    }

    /// Class scores before the softmax.
    pub fn scores(&self, feats: &[Feat]) -> Vec<f32> {
        let k = self.classes.len();
        let mut s = vec![0f32; k];
        for f in feats {
            if let Some(w) = self.weights_of(f.key) {
                for c in 0..k {
                    s[c] += w[c] * f.value;
                }
            }
        }
        s
    }

    /// The row of a feature, if the model knows it.
    #[inline]
    pub fn id_of(&self, key: u64) -> Option<u32> {
        if !self.filter.may_contain(key) {
            return None;
        }
        self.probe(key)
    }

    /// Appends the feature `key` (with `value` and its token) to `out` if the model knows it:
    /// what a sink that resolves features at once does with each.
    #[inline(always)]
    pub fn push_known(&self, out: &mut Vec<Known>, key: u64, value: f32, tok: Option<usize>) {
        if let Some(id) = self.id_of(key) {
            out.push(Known::new(id, value, tok));
        }
    }

    /// The table probe behind [`LinearModel::id_of`], kept out of line: the filter settles
    /// most lookups, and one copy of the probe serves every feature template's call site. The
    /// cells after the home cell are read until the key or an empty cell.
    ///
    /// Tried and not kept (session 5): deferring the probes of a mention's or pair's keys to
    /// the end of its extraction, with the home cells prefetched when the keys came, so that
    /// the waits for cells out of the nearer caches would overlap: +4% instructions (the
    /// bookkeeping) and no time gained (stance 0.818 -> 0.850 s on the 1,000-doc subset x3, 8
    /// alternating runs).
    #[inline(never)]
    fn probe(&self, key: u64) -> Option<u32> {
        if self.cells.is_empty() || key == EMPTY {
            return None;
        }
        let mask = self.cells.len() - 1;
        let mut i = self.home(key);
        loop {
            match self.cells[i].key {
                k if k == key => return Some(i as u32),
                EMPTY => return None,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Class probabilities, the best class, and the `top_n` features that favoured it most
    /// over the average class. One hash lookup per feature; names are borrowed from the model.
    pub fn predict(&self, feats: &[Feat], top_n: usize) -> Prediction<'_> {
        let known: Vec<Known> =
            feats.iter().filter_map(|f| Some(Known::new(self.id_of(f.key)?, f.value, f.tok))).collect();
        self.predict_known(&known, top_n, &mut ExplainScratch::default())
    }

    /// [`LinearModel::predict`] of features already resolved to rows (see
    /// `features::Resolver`), in the order they were extracted. `scratch` is working memory the
    /// caller may keep between calls, so that summing the pulls of a feature met several times
    /// costs neither a search nor an allocation.
    pub fn predict_known(&self, known: &[Known], top_n: usize, scratch: &mut ExplainScratch) -> Prediction<'_> {
        let k = self.classes.len();
        let probs = match k {
            3 => self.probs::<3>(known),
            5 => self.probs::<5>(known),
            _ => {
                let mut s = vec![0f32; k];
                for f in known {
                    let w = self.row(f.id);
                    for c in 0..k {
                        s[c] += w[c] * f.value;
                    }
                }
                Probs::from_slice(&softmax(&s))
            }
        };
        let class = argmax(&probs);
        let top = self.explain(known, class, top_n, scratch);
        Prediction { probs, class, top }
    }

    /// The `top_n` features of `known` that favoured `class` most over the average class, as
    /// in [`LinearModel::predict_known`], for a caller that already has the prediction (an
    /// explanation asked for later need not sum and normalize the scores again).
    pub fn explain(
        &self,
        known: &[Known],
        class: usize,
        top_n: usize,
        scratch: &mut ExplainScratch,
    ) -> Vec<Contribution<'_>> {
        if top_n == 0 {
            return Vec::new();
        }
        let k = self.classes.len();
        // Each feature's pull toward `class` over the average class, summed over its
        // occurrences, in order of first (positive) occurrence. `seen` is a small open-addressing
        // table: row → index in `pulls` + 1 (0: free, so that clearing is a memset).
        let ExplainScratch { seen, pulls, top } = scratch;
        let cap = (known.len() * 2).next_power_of_two().max(16);
        seen.clear();
        seen.resize(cap, 0);
        pulls.clear();
        for &Known { id: i, value, tok } in known {
            let w = &self.cells[i as usize].w;
            let pull = (w[class] - w[k]) * value;
            if pull <= 0.0 {
                continue;
            }
            let mut slot = i.wrapping_mul(0x9E37_79B1) as usize & (cap - 1);
            loop {
                match seen[slot] {
                    0 => {
                        pulls.push((i, pull, tok));
                        seen[slot] = pulls.len() as u32;
                        break;
                    }
                    p if pulls[p as usize - 1].0 == i => {
                        pulls[p as usize - 1].1 += pull;
                        break;
                    }
                    _ => slot = (slot + 1) & (cap - 1),
                }
            }
        }
        // The `top_n` strongest, bias aside: what a stable sort by pull (strongest first)
        // followed by taking the first `top_n` would give, by insertion into a short list. Once
        // the list is full, a pull no stronger than its last one would go in after it: it is
        // passed over without a search.
        top.clear();
        for &p in pulls.iter() {
            if top.len() == top_n && !top[top_n - 1].1.total_cmp(&p.1).is_lt() {
                continue;
            }
            if self.bias_rows.contains(&p.0) {
                continue;
            }
            let at = top.iter().position(|t| t.1.total_cmp(&p.1).is_lt()).unwrap_or(top.len());
            if at < top_n {
                top.insert(at, p);
                top.truncate(top_n);
            }
        }
        top.iter()
            .map(|&(i, weight, tok)| Contribution {
                name: self.name(i as usize),
                tok: Known { id: i, value: 0.0, tok }.tok(),
                weight,
            })
            .collect()
    }
}

/// The working memory of [`LinearModel::explain`], which a caller keeps between calls so that
/// an explanation allocates nothing but its result.
#[derive(Debug, Default)]
pub struct ExplainScratch {
    seen: Vec<u32>,
    /// (row, summed pull, token of the first occurrence), in order of first positive occurrence.
    pulls: Vec<(u32, f32, u32)>,
    /// The strongest pulls so far, strongest first.
    top: Vec<(u32, f32, u32)>,
}

impl LinearModel {
    /// Class probabilities for `K` classes: the same sums, in the same order, as the general
    /// case, with the class loop unrolled.
    #[inline]
    fn probs<const K: usize>(&self, known: &[Known]) -> Probs {
        let mut s = [0f32; K];
        self.sum_into(&mut s, known);
        softmax_k(s)
    }

    /// Adds the pulls of `known` to the class scores `s` (`K` must be the number of classes),
    /// one feature after the other: the sums of [`LinearModel::predict_known`], so that scores
    /// summed in parts, in order, come out bit for bit the same.
    #[inline]
    pub fn sum_into<const K: usize>(&self, s: &mut [f32; K], known: &[Known]) {
        assert_eq!(K, self.classes.len(), "class scores of the model's width");
        for f in known {
            let w = &self.cells[f.id as usize].w;
            for c in 0..K {
                s[c] += w[c] * f.value;
            }
        }
    }

    /// [`LinearModel::predict_known`] when the first `summed` features of `known` are already
    /// summed, in order, into the class scores `s` (see `features::TargetTables`).
    pub fn predict_from<const K: usize>(
        &self,
        mut s: [f32; K],
        known: &[Known],
        summed: usize,
        top_n: usize,
        scratch: &mut ExplainScratch,
    ) -> Prediction<'_> {
        self.sum_into(&mut s, &known[summed..]);
        let probs = softmax_k(s);
        let class = argmax(&probs);
        let top = self.explain(known, class, top_n, scratch);
        Prediction { probs, class, top }
    }
}

/// `softmax` of `K` class scores, without its intermediate vectors.
#[inline]
fn softmax_k<const K: usize>(s: [f32; K]) -> Probs {
    let m = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: [f32; K] = std::array::from_fn(|c| (s[c] - m).exp());
    let z: f32 = e.iter().sum();
    let mut p = Probs { p: [0.0; MAX_CLASSES], len: K as u8 };
    for (q, x) in p.p.iter_mut().zip(e) {
        *q = x / z;
    }
    p
}

/// Class probabilities, held inline (a prediction is made for every mention and mention
/// pair: a vector each cost an allocation); they read as a slice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probs {
    p: [f32; MAX_CLASSES],
    len: u8,
}

impl Probs {
    fn from_slice(p: &[f32]) -> Self {
        let mut out = Probs { p: [0.0; MAX_CLASSES], len: p.len() as u8 };
        out.p[..p.len()].copy_from_slice(p);
        out
    }
}

impl std::ops::Deref for Probs {
    type Target = [f32];

    fn deref(&self) -> &[f32] {
        &self.p[..self.len as usize]
    }
}

pub fn softmax(s: &[f32]) -> Vec<f32> {
    let m = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = s.iter().map(|x| (x - m).exp()).collect();
    let z: f32 = e.iter().sum();
    e.into_iter().map(|x| x / z).collect()
}

pub fn argmax(p: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in p.iter().enumerate() {
        if x > p[best] {
            best = i;
        }
    }
    best
}

/// Path of the committed target-stance weights inside the crate (for the xtask).
pub const TARGET_MODEL_FILE: &str = "data/target_stance.tsv";
/// Path of the committed directed-relation weights inside the crate (for the xtask).
pub const PAIR_MODEL_FILE: &str = "data/directed_sentiment.tsv";

/// The committed target-stance model (classes negative, neutral, positive), baked by
/// `build.rs`; read in place on first use.
pub fn target_model() -> &'static Result<LinearModel, String> {
    static M: OnceLock<Result<LinearModel, String>> = OnceLock::new();
    M.get_or_init(|| LinearModel::from_baked(&baked::TARGET).map_err(|e| format!("{TARGET_MODEL_FILE}: {e}")))
}

/// The committed directed-relation model (classes none, first→second positive, second→first
/// positive, first→second negative, second→first negative), baked by `build.rs`; read in place
/// on first use.
pub fn pair_model() -> &'static Result<LinearModel, String> {
    static M: OnceLock<Result<LinearModel, String>> = OnceLock::new();
    M.get_or_init(|| LinearModel::from_baked(&baked::PAIR).map_err(|e| format!("{PAIR_MODEL_FILE}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The baked models are the committed text files, row for row and bit for bit, laid out as
    /// the analyzer lays out a parsed file.
    #[test]
    fn baked_models_equal_the_committed_weight_files() {
        for (text, model) in [
            (include_str!("../data/target_stance.tsv"), target_model()),
            (include_str!("../data/directed_sentiment.tsv"), pair_model()),
        ] {
            let parsed = LinearModel::parse(text).unwrap();
            let baked = model.as_ref().unwrap();
            assert_eq!(parsed.classes, baked.classes);
            assert_eq!(parsed.len(), baked.len());
            assert!(parsed.len() > 1000);
            // Every row of the file, found by its key in both tables, with its name and weights.
            let bits = |w: &[f32]| w.iter().map(|w| w.to_bits()).collect::<Vec<u32>>();
            let mut rows = 0;
            weights::read_text(text, |key, name, ws| {
                for m in [&parsed, baked] {
                    let id = m.id_of(key).expect("every key is found");
                    assert_eq!(m.name(id as usize), name);
                    assert_eq!(bits(m.row(id)), bits(ws), "{name}");
                    let mean = ws.iter().sum::<f32>() / ws.len() as f32;
                    assert_eq!(m.cells[id as usize].w[ws.len()].to_bits(), mean.to_bits());
                }
                rows += 1;
            })
            .unwrap();
            assert_eq!((rows, baked.ids().count()), (baked.len(), baked.len()));
            assert_eq!(baked.bias_rows.len(), 1);
            // The baked tables are the ones the analyzer would lay out, cell for cell (the
            // filter too: every word of it).
            assert_eq!((parsed.cells, parsed.shift, &parsed.bias_rows), (baked.cells, baked.shift, &baked.bias_rows));
            assert_eq!((&parsed.names, &parsed.name_spans), (&baked.names, &baked.name_spans));
            assert_eq!(parsed.filter, baked.filter);
        }
    }

    /// The explanation as first written: a linear search per pull, means summed per use.
    fn top_reference<'m>(
        m: &'m LinearModel,
        known: &[Known],
        class: usize,
        top_n: usize,
    ) -> Vec<(&'m str, Option<usize>, f32)> {
        let k = m.classes.len();
        let mut pulls: Vec<(u32, f32, Option<usize>)> = Vec::new();
        for f in known {
            let w = m.row(f.id);
            let mean = w.iter().sum::<f32>() / k as f32;
            let pull = (w[class] - mean) * f.value;
            if pull <= 0.0 {
                continue;
            }
            match pulls.iter_mut().find(|p| p.0 == f.id) {
                Some(p) => p.1 += pull,
                None => pulls.push((f.id, pull, f.tok())),
            }
        }
        pulls.sort_by(|a, b| b.1.total_cmp(&a.1));
        pulls
            .into_iter()
            .filter(|p| m.name(p.0 as usize) != "bias")
            .take(top_n)
            .map(|(i, w, t)| (m.name(i as usize), t, w))
            .collect()
    }

    #[test]
    fn explanations_match_the_reference() {
        let m = target_model().as_ref().unwrap();
        let ids: Vec<u32> = m.ids().collect();
        let mut seen = ExplainScratch::default();
        // Rows met several times, with values of both signs, as lexicon features are.
        for round in 0..200u32 {
            let known: Vec<Known> = (0..(round % 90 + 1))
                .map(|j| {
                    let id = ids[(j * 7919 + round * 104_729) as usize % (ids.len() / (1 + round as usize % 50))];
                    let value = if (j + round) % 5 == 0 { -0.4 } else { 1.0 + (j % 3) as f32 * 0.25 };
                    Known::new(id, value, Some(j as usize))
                })
                .collect();
            let mut known = known;
            if round % 3 == 0 {
                known.insert(known.len() / 2, Known::new(m.bias_rows[0], 1.0, None));
            }
            let top_n = 1 + round as usize % 6;
            let p = m.predict_known(&known, top_n, &mut seen);
            let got: Vec<(&str, Option<usize>, f32)> = p.top.iter().map(|c| (c.name, c.tok, c.weight)).collect();
            assert_eq!(got, top_reference(m, &known, p.class, top_n), "round {round}");
            let later: Vec<(&str, Option<usize>, f32)> =
                m.explain(&known, p.class, top_n, &mut seen).iter().map(|c| (c.name, c.tok, c.weight)).collect();
            assert_eq!(later, got, "round {round}: explained later");
        }
    }

    #[test]
    fn weight_file_errors_name_the_line() {
        let e = LinearModel::parse("classes: a b\n00ff\tx\t1.0\n").unwrap_err();
        assert!(e.contains("line 2") && e.contains("1 weights for 2 classes"), "{e}");
        let e = LinearModel::parse("0a\tx\t1 2\n").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
        let m = LinearModel::parse("classes: a b\n00ff\tbias\t1 2\n01\tw:x\t0.5 -1\n01\tw:y\t0.25 -2\n").unwrap();
        let name = |key| m.name(m.id_of(key).unwrap() as usize);
        assert_eq!((name(0xff), name(1), m.len()), ("bias", "w:y", 2));
        assert_eq!(m.weights_of(1), Some(&[0.25f32, -2.0][..]));
        assert_eq!(m.weights_of(2), None);
        assert!(LinearModel::parse("classes: a b c d e f\n01\tx\t1 2 3 4 5 6\n").is_err());
        assert!(LinearModel::parse("classes: a b\n00\tx\t1 2\n").is_err());
    }
}
