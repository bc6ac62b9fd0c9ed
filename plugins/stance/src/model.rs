//! Linear (multinomial logistic regression) models: the committed weight files, their parser,
//! and prediction with the features that drove each decision.
//!
//! A weight file is text: `#` comment lines, one `classes:` line, then one line per feature:
//! `key<TAB>name<TAB>w1 w2 …` (key = the feature's 64-bit hash in hex). `cargo xtask train
//! stance` writes them.

use std::sync::OnceLock;

use crate::features::Feat;
use crate::lexicon::HashIdMap;

/// A trained linear model.
#[derive(Debug, Default)]
pub struct LinearModel {
    pub classes: Vec<String>,
    index: HashIdMap<u32>,
    names: Vec<String>,
    weights: Vec<f32>,
}

/// Why a prediction came out as it did: one feature and its pull toward the chosen class.
#[derive(Debug, Clone)]
pub struct Contribution<'m> {
    pub name: &'m str,
    pub tok: Option<usize>,
    pub weight: f32,
}

/// A feature the model knows: its row, value and the token that produced it.
#[derive(Debug, Clone, Copy)]
pub struct Known {
    pub id: u32,
    pub value: f32,
    pub tok: Option<usize>,
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
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix("classes:") {
                m.classes = rest.split_whitespace().map(str::to_string).collect();
                continue;
            }
            let k = m.classes.len();
            if k == 0 {
                return Err(format!("line {}: feature before the `classes:` line", n + 1));
            }
            let mut parts = line.splitn(3, '\t');
            let (Some(key), Some(name), Some(ws)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(format!("line {}: expected key<TAB>name<TAB>weights", n + 1));
            };
            let key = u64::from_str_radix(key, 16).map_err(|e| format!("line {}: bad key `{key}`: {e}", n + 1))?;
            let before = m.weights.len();
            for w in ws.split_whitespace() {
                m.weights.push(w.parse().map_err(|e| format!("line {}: bad weight `{w}`: {e}", n + 1))?);
            }
            if m.weights.len() - before != k {
                return Err(format!("line {}: {} weights for {k} classes", n + 1, m.weights.len() - before));
            }
            m.index.insert(key, m.names.len() as u32);
            m.names.push(name.to_string());
        }
        if m.classes.is_empty() {
            return Err("no `classes:` line".to_string());
        }
        Ok(m)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
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
        self.index.get(&key).copied()
    }

    /// Class probabilities, the best class, and the `top_n` features that favoured it most
    /// over the average class. One hash lookup per feature; names are borrowed from the model.
    pub fn predict(&self, feats: &[Feat], top_n: usize) -> Prediction<'_> {
        let known: Vec<Known> =
            feats.iter().filter_map(|f| Some(Known { id: self.id_of(f.key)?, value: f.value, tok: f.tok })).collect();
        self.predict_known(&known, top_n)
    }

    /// [`LinearModel::predict`] of features already resolved to rows (see
    /// `features::Resolver`), in the order they were extracted.
    pub fn predict_known(&self, known: &[Known], top_n: usize) -> Prediction<'_> {
        let k = self.classes.len();
        let mut s = vec![0f32; k];
        for f in known {
            let i = f.id as usize;
            let w = &self.weights[i * k..(i + 1) * k];
            for c in 0..k {
                s[c] += w[c] * f.value;
            }
        }
        let probs = softmax(&s);
        let class = argmax(&probs);
        if top_n == 0 {
            return Prediction { probs, class, top: Vec::new() };
        }
        let mut pulls: Vec<(u32, f32, Option<usize>)> = Vec::new();
        for &Known { id: i, value, tok } in known {
            let w = &self.weights[i as usize * k..(i as usize + 1) * k];
            let mean = w.iter().sum::<f32>() / k as f32;
            let pull = (w[class] - mean) * value;
            if pull <= 0.0 {
                continue;
            }
            match pulls.iter_mut().find(|p| p.0 == i) {
                Some(p) => p.1 += pull,
                None => pulls.push((i, pull, tok)),
            }
        }
        pulls.sort_by(|a, b| b.1.total_cmp(&a.1));
        let top = pulls
            .into_iter()
            .filter(|p| self.names[p.0 as usize] != "bias")
            .take(top_n)
            .map(|(i, weight, tok)| Contribution { name: &self.names[i as usize], tok, weight })
            .collect();
        Prediction { probs, class, top }
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

static TARGET_SRC: &str = include_str!("../data/target_stance.tsv");
static PAIR_SRC: &str = include_str!("../data/directed_sentiment.tsv");

/// The committed target-stance model (classes negative, neutral, positive).
pub fn target_model() -> &'static Result<LinearModel, String> {
    static M: OnceLock<Result<LinearModel, String>> = OnceLock::new();
    M.get_or_init(|| LinearModel::parse(TARGET_SRC).map_err(|e| format!("{TARGET_MODEL_FILE}: {e}")))
}

/// The committed directed-relation model (classes none, first→second positive, second→first
/// positive, first→second negative, second→first negative).
pub fn pair_model() -> &'static Result<LinearModel, String> {
    static M: OnceLock<Result<LinearModel, String>> = OnceLock::new();
    M.get_or_init(|| LinearModel::parse(PAIR_SRC).map_err(|e| format!("{PAIR_MODEL_FILE}: {e}")))
}
