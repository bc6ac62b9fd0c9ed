//! Linear (multinomial logistic regression) models: the committed weight files, their parser,
//! and prediction with the features that drove each decision.
//!
//! A weight file is text (see [`crate::weights`] for the format); `cargo xtask train stance`
//! writes them. The analyzer's own models are baked by `build.rs` into a compact binary form
//! and decoded on first use, so that no run pays for parsing them.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::features::Feat;
use crate::lexicon::{HashIdMap, KeyFilter};
use crate::weights;

/// A trained linear model.
#[derive(Debug, Default)]
pub struct LinearModel {
    pub classes: Vec<String>,
    index: HashIdMap<u32>,
    /// The feature names, concatenated; row `i`'s name ends at `name_ends[i]`.
    names: Cow<'static, str>,
    name_ends: Vec<u32>,
    weights: Vec<f32>,
    /// The rows named `bias`, which explanations leave out.
    bias_rows: Vec<u32>,
    /// Each row's mean weight over the classes, which explanations measure pulls from.
    means: Vec<f32>,
    /// Most keys a sentence asks for are unknown to the model: the filter turns most of those
    /// away without a probe of `index`, whose buckets are far less likely to be in cache.
    filter: KeyFilter,
}

/// Log2 of the bits of a model's key filter: 2^19 bits (64 KB) for 20,000 keys let about 0.6%
/// of unknown keys through (a probe each, a likely cache miss).
const MODEL_FILTER_BITS: u32 = 19;

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
    pub probs: Vec<f32>,
    pub class: usize,
    /// Features that pushed hardest toward `class`, strongest first.
    pub top: Vec<Contribution<'m>>,
}

impl LinearModel {
    /// Parses a weight file; the error names the offending line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut m = LinearModel::default();
        let mut names = String::new();
        m.classes = weights::read_text(text, |key, name, ws| {
            m.index.insert(key, m.name_ends.len() as u32);
            m.weights.extend_from_slice(ws);
            names.push_str(name);
            m.name_ends.push(names.len() as u32);
        })?;
        m.names = Cow::Owned(names);
        m.bias_rows = bias_rows(&m);
        m.means = row_means(&m);
        m.filter = KeyFilter::new(m.index.keys().copied(), MODEL_FILTER_BITS);
        Ok(m)
    }

    /// Decodes the compact form `build.rs` bakes (see [`crate::weights`]); names are borrowed
    /// from the bytes.
    pub fn from_compact(bytes: &'static [u8]) -> Result<Self, String> {
        let c = weights::decode(bytes)?;
        let mut index = HashIdMap::with_capacity_and_hasher(c.keys.len(), Default::default());
        for (i, &key) in c.keys.iter().enumerate() {
            // As in `parse`: a key listed twice is known by its last row.
            index.insert(key, i as u32);
        }
        let mut m = LinearModel {
            classes: c.classes,
            index,
            names: Cow::Borrowed(c.names),
            name_ends: c.name_ends,
            weights: c.weights,
            bias_rows: Vec::new(),
            means: Vec::new(),
            filter: KeyFilter::new(c.keys.iter().copied(), MODEL_FILTER_BITS),
        };
        m.bias_rows = bias_rows(&m);
        m.means = row_means(&m);
        Ok(m)
    }

    pub fn len(&self) -> usize {
        self.name_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.name_ends.is_empty()
    }

    /// The readable name of row `i`.
    pub fn name(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.name_ends[i - 1] as usize };
        &self.names[start..self.name_ends[i] as usize]
    }

    /// Weights of one feature, if the model knows it.
    pub fn weights_of(&self, key: u64) -> Option<&[f32]> {
        let k = self.classes.len();
        self.index.get(&key).map(|&i| &self.weights[i as usize * k..(i as usize + 1) * k])
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

    /// The hash-table probe behind [`LinearModel::id_of`], kept out of line: the filter settles
    /// most lookups, and one copy of the probe serves every feature template's call site.
    #[inline(never)]
    fn probe(&self, key: u64) -> Option<u32> {
        self.index.get(&key).copied()
    }

    /// Class probabilities, the best class, and the `top_n` features that favoured it most
    /// over the average class. One hash lookup per feature; names are borrowed from the model.
    pub fn predict(&self, feats: &[Feat], top_n: usize) -> Prediction<'_> {
        let known: Vec<Known> =
            feats.iter().filter_map(|f| Some(Known::new(self.id_of(f.key)?, f.value, f.tok))).collect();
        let mut seen = Vec::new();
        self.predict_known(&known, top_n, &mut seen)
    }

    /// [`LinearModel::predict`] of features already resolved to rows (see
    /// `features::Resolver`), in the order they were extracted. `seen` is scratch space the
    /// caller may keep between calls, so that summing the pulls of a feature met several times
    /// costs neither a search nor an allocation.
    pub fn predict_known(&self, known: &[Known], top_n: usize, seen: &mut Vec<u32>) -> Prediction<'_> {
        let k = self.classes.len();
        let probs = match k {
            3 => self.probs::<3>(known),
            5 => self.probs::<5>(known),
            _ => {
                let mut s = vec![0f32; k];
                for f in known {
                    let i = f.id as usize;
                    let w = &self.weights[i * k..(i + 1) * k];
                    for c in 0..k {
                        s[c] += w[c] * f.value;
                    }
                }
                softmax(&s)
            }
        };
        let class = argmax(&probs);
        let top = self.explain(known, class, top_n, seen);
        Prediction { probs, class, top }
    }

    /// The `top_n` features of `known` that favoured `class` most over the average class, as
    /// in [`LinearModel::predict_known`], for a caller that already has the prediction (an
    /// explanation asked for later need not sum and normalize the scores again).
    pub fn explain(&self, known: &[Known], class: usize, top_n: usize, seen: &mut Vec<u32>) -> Vec<Contribution<'_>> {
        if top_n == 0 {
            return Vec::new();
        }
        let k = self.classes.len();
        // Each feature's pull toward `class` over the average class, summed over its
        // occurrences, in order of first (positive) occurrence. `seen` is a small open-addressing
        // table: row → index in `pulls`.
        // Slots hold the index in `pulls` + 1 (0: free), so that clearing is a memset.
        let cap = (known.len() * 2).next_power_of_two().max(16);
        seen.clear();
        seen.resize(cap, 0);
        let mut pulls: Vec<(u32, f32, u32)> = Vec::with_capacity(known.len());
        for &Known { id: i, value, tok } in known {
            let pull = (self.weights[i as usize * k + class] - self.means[i as usize]) * value;
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
        // followed by taking the first `top_n` would give, by insertion into a short list.
        let mut top: Vec<(u32, f32, u32)> = Vec::with_capacity(top_n + 1);
        for p in pulls {
            if self.bias_rows.contains(&p.0) {
                continue;
            }
            let at = top.iter().position(|t| t.1.total_cmp(&p.1).is_lt()).unwrap_or(top.len());
            if at < top_n {
                top.insert(at, p);
                top.truncate(top_n);
            }
        }
        top.into_iter()
            .map(|(i, weight, tok)| Contribution {
                name: self.name(i as usize),
                tok: Known { id: i, value: 0.0, tok }.tok(),
                weight,
            })
            .collect()
    }
}

impl LinearModel {
    /// Class probabilities for `K` classes: the same sums, in the same order, as the general
    /// case, with the class loop unrolled.
    #[inline]
    fn probs<const K: usize>(&self, known: &[Known]) -> Vec<f32> {
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
            let i = f.id as usize * K;
            let w: &[f32; K] = self.weights[i..i + K].try_into().expect("K weights per row");
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
        seen: &mut Vec<u32>,
    ) -> Prediction<'_> {
        self.sum_into(&mut s, &known[summed..]);
        let probs = softmax_k(s);
        let class = argmax(&probs);
        let top = self.explain(known, class, top_n, seen);
        Prediction { probs, class, top }
    }
}

/// `softmax` of `K` class scores, without its intermediate vectors.
#[inline]
fn softmax_k<const K: usize>(s: [f32; K]) -> Vec<f32> {
    let m = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: [f32; K] = std::array::from_fn(|c| (s[c] - m).exp());
    let z: f32 = e.iter().sum();
    e.iter().map(|x| x / z).collect()
}

/// Each row's mean weight, as explanations computed it per feature before (the same sum, so
/// the same bits).
fn row_means(m: &LinearModel) -> Vec<f32> {
    let k = m.classes.len().max(1);
    m.weights.chunks_exact(k).map(|w| w.iter().sum::<f32>() / k as f32).collect()
}

/// The rows named `bias`. Names are compared only where the length fits, so that loading a
/// model does not read (and fault in) every name.
fn bias_rows(m: &LinearModel) -> Vec<u32> {
    let mut start = 0;
    let mut out = Vec::new();
    for (i, &end) in m.name_ends.iter().enumerate() {
        if end as usize - start == 4 && m.name(i) == "bias" {
            out.push(i as u32);
        }
        start = end as usize;
    }
    out
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

/// The committed weight files, in the compact form `build.rs` bakes from them.
static TARGET_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/target_stance.bin"));
static PAIR_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/directed_sentiment.bin"));

/// The committed target-stance model (classes negative, neutral, positive), decoded on first
/// use.
pub fn target_model() -> &'static Result<LinearModel, String> {
    static M: OnceLock<Result<LinearModel, String>> = OnceLock::new();
    M.get_or_init(|| LinearModel::from_compact(TARGET_BIN).map_err(|e| format!("{TARGET_MODEL_FILE}: {e}")))
}

/// The committed directed-relation model (classes none, first→second positive, second→first
/// positive, first→second negative, second→first negative), decoded on first use.
pub fn pair_model() -> &'static Result<LinearModel, String> {
    static M: OnceLock<Result<LinearModel, String>> = OnceLock::new();
    M.get_or_init(|| LinearModel::from_compact(PAIR_BIN).map_err(|e| format!("{PAIR_MODEL_FILE}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The baked models are the committed text files, row for row and bit for bit.
    #[test]
    fn compact_models_equal_the_committed_weight_files() {
        for (text, model) in [
            (include_str!("../data/target_stance.tsv"), target_model()),
            (include_str!("../data/directed_sentiment.tsv"), pair_model()),
        ] {
            let parsed = LinearModel::parse(text).unwrap();
            let baked = model.as_ref().unwrap();
            assert_eq!(parsed.classes, baked.classes);
            assert_eq!(parsed.len(), baked.len());
            assert!(parsed.len() > 1000);
            assert_eq!(parsed.index, baked.index);
            assert_eq!(parsed.name_ends, baked.name_ends);
            assert_eq!(parsed.names, baked.names);
            let bits = |m: &LinearModel| m.weights.iter().map(|w| w.to_bits()).collect::<Vec<u32>>();
            assert_eq!(bits(&parsed), bits(baked));
            assert_eq!(
                weights::compact(text).unwrap().as_slice(),
                if baked.classes.len() == 3 { TARGET_BIN } else { PAIR_BIN }
            );
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
            let w = &m.weights[f.id as usize * k..(f.id as usize + 1) * k];
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
        let mut seen = Vec::new();
        // Rows met several times, with values of both signs, as lexicon features are.
        for round in 0..200u32 {
            let known: Vec<Known> = (0..(round % 90 + 1))
                .map(|j| {
                    let id = (j * 7919 + round * 104_729) % (m.len() as u32 / (1 + round % 50));
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
        assert!(weights::decode(b"SLW1\x01").is_err());
        let m = LinearModel::parse("classes: a b\n00ff\tbias\t1 2\n01\tw:x\t0.5 -1\n").unwrap();
        assert_eq!((m.name(0), m.name(1)), ("bias", "w:x"));
        assert_eq!(m.weights_of(1), Some(&[0.5f32, -1.0][..]));
    }
}
