//! `cargo xtask train stance`: trains the stance analyzer's two linear models, writing them
//! into `plugins/stance/data/` (the verb table beside them is written by hand).
//!
//! - `target_stance.tsv`: multinomial logistic regression on NewsMTSC `train.jsonl`.
//! - `directed_sentiment.tsv`: the same learner on directed-sentiment `train.txt`.
//!
//! Training is deterministic (fixed shuffling seed, single thread), so a run regenerates the
//! committed files byte for byte. `--holdout` trains on 90 % of each training file and reports
//! on the remaining 10 % instead of writing (for choosing settings without touching dev data).

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde_json::Value;
use slant_stance::features::{pair_features, target_features, Sink, Tokens};
use slant_stance::model::LinearModel;
use slant_stance::text::{token_range, tokenize, Token};

use crate::util;

/// A training example: hashed features and a class.
pub struct Example {
    pub feats: Vec<(u64, f32)>,
    pub class: usize,
}

/// A sink that keeps readable names, for writing the weight file.
#[derive(Default)]
pub struct Named {
    pub feats: Vec<(u64, f32)>,
    pub names: HashMap<u64, String>,
    pub record_names: bool,
}

impl Sink for Named {
    fn add(&mut self, key: u64, value: f32, _tok: Option<usize>, name: impl FnOnce() -> String) {
        self.feats.push((key, value));
        if self.record_names {
            self.names.entry(key).or_insert_with(name);
        }
    }
}

/// Code-point offset → byte offset in `s`.
fn byte_of(s: &str, cp: usize) -> Option<usize> {
    if cp == s.chars().count() {
        return Some(s.len());
    }
    s.char_indices().nth(cp).map(|(b, _)| b)
}

/// One NewsMTSC target: its sentence, byte span and class (0 negative, 1 neutral, 2 positive).
pub struct TargetItem {
    pub sentence: String,
    pub start: usize,
    pub end: usize,
    pub class: usize,
}

pub fn read_newsmtsc(path: &Path) -> Result<Vec<TargetItem>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).with_context(|| format!("{}:{}", path.display(), n + 1))?;
        let sentence = v["sentence_normalized"].as_str().context("no sentence_normalized")?.to_string();
        for t in v["targets"].as_array().context("no targets")? {
            let (Some(from), Some(to), Some(pol)) = (t["from"].as_u64(), t["to"].as_u64(), t["polarity"].as_f64())
            else {
                bail!("{}:{}: target without from/to/polarity", path.display(), n + 1);
            };
            let class = match pol as i64 {
                2 => 0,
                4 => 1,
                6 => 2,
                p => bail!("{}:{}: unknown polarity {p}", path.display(), n + 1),
            };
            let (Some(start), Some(end)) = (byte_of(&sentence, from as usize), byte_of(&sentence, to as usize)) else {
                bail!("{}:{}: target offsets outside the sentence", path.display(), n + 1);
            };
            out.push(TargetItem { sentence: sentence.clone(), start, end, class });
        }
    }
    Ok(out)
}

/// Features of a NewsMTSC item (None when the target covers no token).
pub fn target_example(item: &TargetItem, sink: &mut Named) -> Option<Example> {
    let mut toks: Vec<Token> = Vec::new();
    tokenize(&item.sentence, 0, &mut toks);
    let (ts, te) = token_range(&toks, item.start, item.end)?;
    sink.feats.clear();
    target_features(Tokens { text: &item.sentence, toks: &toks }, ts, te, sink);
    Some(Example { feats: std::mem::take(&mut sink.feats), class: item.class })
}

/// One directed-sentiment item: the sentence without brackets, the two entity spans in text
/// order, and the class read "first → second".
pub struct PairItem {
    pub sentence: String,
    pub first: (usize, usize),
    pub second: (usize, usize),
    pub class: usize,
}

pub fn read_directed(path: &Path) -> Result<Vec<PairItem>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 4 {
            continue;
        }
        let label: usize = cols[3].trim().parse().with_context(|| format!("{}:{}: label", path.display(), n + 1))?;
        let e1 = cols[1].trim();
        // Strip the brackets, remembering where the bracketed spans were.
        let mut sentence = String::with_capacity(cols[0].len());
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut open: Option<usize> = None;
        for c in cols[0].chars() {
            match c {
                '[' if open.is_none() => open = Some(sentence.len()),
                ']' if open.is_some() => {
                    spans.push((open.take().unwrap_or(0), sentence.len()));
                }
                _ => sentence.push(c),
            }
        }
        if spans.len() != 2 || label > 4 {
            continue;
        }
        let first_is_e1 =
            sentence[spans[0].0..spans[0].1].trim() == e1 || sentence[spans[1].0..spans[1].1].trim() != e1;
        let class = if first_is_e1 {
            label
        } else {
            match label {
                1 => 2,
                2 => 1,
                3 => 4,
                4 => 3,
                l => l,
            }
        };
        out.push(PairItem { sentence, first: spans[0], second: spans[1], class });
    }
    Ok(out)
}

pub fn pair_example(item: &PairItem, sink: &mut Named) -> Option<Example> {
    let mut toks: Vec<Token> = Vec::new();
    tokenize(&item.sentence, 0, &mut toks);
    let a = token_range(&toks, item.first.0, item.first.1)?;
    let b = token_range(&toks, item.second.0, item.second.1)?;
    if b.0 < a.1 {
        return None;
    }
    sink.feats.clear();
    pair_features(Tokens { text: &item.sentence, toks: &toks }, a, b, sink);
    Some(Example { feats: std::mem::take(&mut sink.feats), class: item.class })
}

/// Learner settings (the news tone's trainer uses them too).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Config {
    pub epochs: usize,
    pub lr: f32,
    pub l2: f32,
    /// Exponent on inverse class frequency for class weights (0 = none, 1 = balanced).
    pub balance: f32,
    /// Minimum number of training examples (sentences) a feature must occur in.
    pub min_count: usize,
    /// Features kept in the written file (largest weights first).
    pub max_features: usize,
}

/// Trained weights: feature key → per-class weights.
pub struct Weights {
    pub w: HashMap<u64, Vec<f32>>,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Multinomial logistic regression by AdaGrad SGD with L2, deterministic.
pub fn train(examples: &[Example], k: usize, cfg: Config) -> Weights {
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for e in examples {
        let mut seen: Vec<u64> = e.feats.iter().map(|f| f.0).collect();
        seen.sort_unstable();
        seen.dedup();
        for key in seen {
            *counts.entry(key).or_default() += 1;
        }
    }
    let mut class_n = vec![0usize; k];
    for e in examples {
        class_n[e.class] += 1;
    }
    let total = examples.len() as f32;
    let cw: Vec<f32> =
        class_n.iter().map(|&n| if n == 0 { 0.0 } else { (total / (k as f32 * n as f32)).powf(cfg.balance) }).collect();
    let mut w: HashMap<u64, Vec<f32>> = HashMap::new();
    let mut g2: HashMap<u64, Vec<f32>> = HashMap::new();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng(0x5EED_2026);
    for _ in 0..cfg.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &ei in &order {
            let e = &examples[ei];
            let feats: Vec<(u64, f32)> =
                e.feats.iter().copied().filter(|f| counts.get(&f.0).copied().unwrap_or(0) >= cfg.min_count).collect();
            let mut s = vec![0f32; k];
            for &(key, v) in &feats {
                if let Some(ws) = w.get(&key) {
                    for c in 0..k {
                        s[c] += ws[c] * v;
                    }
                }
            }
            let p = slant_stance::model::softmax(&s);
            for &(key, v) in &feats {
                let ws = w.entry(key).or_insert_with(|| vec![0.0; k]);
                let gs = g2.entry(key).or_insert_with(|| vec![1e-6; k]);
                for c in 0..k {
                    let y = if c == e.class { 1.0 } else { 0.0 };
                    let g = cw[e.class] * (p[c] - y) * v + cfg.l2 * ws[c];
                    gs[c] += g * g;
                    ws[c] -= cfg.lr * g / gs[c].sqrt();
                }
            }
        }
    }
    Weights { w }
}

/// The weight file text: the `max_features` features with the largest weight spread, sorted
/// by key, weights rounded to four decimals.
pub fn weight_file(
    title: &str,
    classes: &[&str],
    weights: &Weights,
    names: &HashMap<u64, String>,
    cfg: Config,
) -> String {
    let mut rows: Vec<(u64, &Vec<f32>, f32)> = weights
        .w
        .iter()
        .map(|(&key, ws)| {
            let max = ws.iter().copied().fold(f32::MIN, f32::max);
            let min = ws.iter().copied().fold(f32::MAX, f32::min);
            (key, ws, max - min)
        })
        .filter(|r| r.2 >= 0.002)
        .collect();
    rows.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    rows.truncate(cfg.max_features);
    rows.sort_by_key(|r| r.0);
    let mut out = format!(
        "# slant-stance linear model: {title}\n# regenerate with: cargo xtask train stance\n# settings: {cfg:?}\nclasses: {}\n",
        classes.join(" ")
    );
    for (key, ws, _) in rows {
        let name = names.get(&key).map(String::as_str).unwrap_or("?").replace(['\t', '\n'], " ");
        let ws: Vec<String> = ws.iter().map(|x| format!("{x:.4}")).collect();
        out.push_str(&format!("{key:016x}\t{name}\t{}\n", ws.join(" ")));
    }
    out
}

/// Macro-F1 and accuracy of `pred` against `gold` over `k` classes, plus per-class F1.
pub fn scores(gold: &[usize], pred: &[usize], k: usize) -> (f64, f64, Vec<f64>) {
    let mut f1s = Vec::new();
    for c in 0..k {
        let tp = gold.iter().zip(pred).filter(|(g, p)| **g == c && **p == c).count() as f64;
        let fp = gold.iter().zip(pred).filter(|(g, p)| **g != c && **p == c).count() as f64;
        let fn_ = gold.iter().zip(pred).filter(|(g, p)| **g == c && **p != c).count() as f64;
        let prec = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let rec = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
        f1s.push(if prec + rec > 0.0 { 2.0 * prec * rec / (prec + rec) } else { 0.0 });
    }
    let acc = gold.iter().zip(pred).filter(|(g, p)| g == p).count() as f64 / gold.len().max(1) as f64;
    (f1s.iter().sum::<f64>() / k as f64, acc, f1s)
}

/// Predicts every example with a parsed model.
pub fn predict_all(model: &LinearModel, examples: &[Example]) -> Vec<usize> {
    examples
        .iter()
        .map(|e| {
            let feats: Vec<slant_stance::features::Feat> =
                e.feats.iter().map(|&(key, value)| slant_stance::features::Feat { key, value, tok: None }).collect();
            model.predict(&feats, 0).class
        })
        .collect()
}

pub const TARGET_CONFIG: Config =
    Config { epochs: 12, lr: 0.05, l2: 1e-4, balance: 0.5, min_count: 2, max_features: 20_000 };
pub const PAIR_CONFIG: Config =
    Config { epochs: 12, lr: 0.05, l2: 1e-4, balance: 0.5, min_count: 2, max_features: 20_000 };

/// `base` with the settings overridden by environment variables `{prefix}_EPOCHS`, `_LR`,
/// `_L2`, `_BALANCE`, `_MIN` and `_MAX` (for trying settings without editing the code).
pub(crate) fn env_config(prefix: &str, base: Config) -> Config {
    let get = |n: &str| std::env::var(format!("{prefix}_{n}")).ok();
    Config {
        epochs: get("EPOCHS").and_then(|v| v.parse().ok()).unwrap_or(base.epochs),
        lr: get("LR").and_then(|v| v.parse().ok()).unwrap_or(base.lr),
        l2: get("L2").and_then(|v| v.parse().ok()).unwrap_or(base.l2),
        balance: get("BALANCE").and_then(|v| v.parse().ok()).unwrap_or(base.balance),
        min_count: get("MIN").and_then(|v| v.parse().ok()).unwrap_or(base.min_count),
        max_features: get("MAX").and_then(|v| v.parse().ok()).unwrap_or(base.max_features),
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let holdout = args.iter().any(|a| a == "--holdout");
    let data = util::data_dir();
    let crate_dir = util::root().join("plugins/stance");

    // Target stance.
    let cfg = env_config("TS", TARGET_CONFIG);
    let items = read_newsmtsc(&data.join("newsmtsc/train.jsonl"))?;
    let mut named = Named { record_names: true, ..Default::default() };
    let examples: Vec<Example> = items.iter().filter_map(|it| target_example(it, &mut named)).collect();
    train_one(
        "target stance (NewsMTSC train.jsonl)",
        &["negative", "neutral", "positive"],
        &examples,
        &named.names,
        cfg,
        holdout,
        &crate_dir.join(slant_stance::model::TARGET_MODEL_FILE),
    )?;

    // Directed sentiment.
    let cfg = env_config("DS", PAIR_CONFIG);
    let items = read_directed(&data.join("directed-sentiment/train.txt"))?;
    let mut named = Named { record_names: true, ..Default::default() };
    let examples: Vec<Example> = items.iter().filter_map(|it| pair_example(it, &mut named)).collect();
    train_one(
        "directed sentiment (directed-sentiment train.txt)",
        &["none", "fwd_pos", "bwd_pos", "fwd_neg", "bwd_neg"],
        &examples,
        &named.names,
        cfg,
        holdout,
        &crate_dir.join(slant_stance::model::PAIR_MODEL_FILE),
    )?;
    Ok(())
}

fn train_one(
    title: &str,
    classes: &[&str],
    examples: &[Example],
    names: &HashMap<u64, String>,
    cfg: Config,
    holdout: bool,
    path: &Path,
) -> Result<()> {
    let k = classes.len();
    if holdout {
        // Every tenth example is held out (the files are not sorted by class).
        let (mut tr, mut ho) = (Vec::new(), Vec::new());
        for (i, e) in examples.iter().enumerate() {
            let copy = Example { feats: e.feats.clone(), class: e.class };
            if i % 10 == 9 {
                ho.push(copy);
            } else {
                tr.push(copy);
            }
        }
        let w = train(&tr, k, cfg);
        let model = LinearModel::parse(&weight_file(title, classes, &w, names, cfg)).map_err(anyhow::Error::msg)?;
        let gold: Vec<usize> = ho.iter().map(|e| e.class).collect();
        let (f1, acc, per) = scores(&gold, &predict_all(&model, &ho), k);
        let per: Vec<String> = per.iter().map(|f| format!("{f:.3}")).collect();
        println!(
            "{title}: holdout n={} macro-F1 {f1:.3} accuracy {acc:.3} per class [{}] ({} features) {cfg:?}",
            ho.len(),
            per.join(" "),
            model.len()
        );
        return Ok(());
    }
    let w = train(examples, k, cfg);
    let file = weight_file(title, classes, &w, names, cfg);
    std::fs::write(path, &file).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {} ({} examples, {} bytes)", path.display(), examples.len(), file.len());
    Ok(())
}
