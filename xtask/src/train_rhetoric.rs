//! `cargo xtask train rhetoric`: trains the rhetoric analyzer's token tagger and span
//! classifier on our training part of PTC and writes `plugins/rhetoric/model/rhetoric.model`.
//!
//! Split: the 371 PTC training articles are divided by article with
//! `slant_rhetoric::train::is_held_out` (FNV-1a of the id mod 10 < 2 is held out, ~20 %);
//! only the rest is read for training. The PTC dev split is not used. The tagger's threshold
//! is chosen on an inner split of that part, the span classifier's settings by five-fold
//! cross-validation over it (the figures printed are of articles each model did not see).
//! Training is deterministic (fixed shuffles, one thread): a run regenerates the committed
//! file byte for byte (about a minute in release).

use std::path::Path;

use anyhow::{Context, Result};
use slant_rhetoric::lexicon::Lexicon;
use slant_rhetoric::train::{select_ptc, train, TrainConfig, TrainDoc};

use crate::util;

/// PTC articles as `(id, text)`, then the SI and TC labels files' contents.
pub(crate) type PtcFiles = (Vec<(String, String)>, String, String);

/// Reads every PTC training article as `(id, text)`, and the two labels files (shared with
/// `eval rhetoric`).
pub(crate) fn read_ptc(dir: &Path) -> Result<PtcFiles> {
    let read = |p: std::path::PathBuf| std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()));
    let si = read(dir.join("train-task1-SI.labels"))?;
    let tc = read(dir.join("train-task2-TC.labels"))?;
    let articles = dir.join("train-articles");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&articles).with_context(|| format!("listing {}", articles.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if let Some(id) = name.strip_prefix("article").and_then(|n| n.strip_suffix(".txt")) {
            out.push((id.to_string(), read(path.clone())?));
        }
    }
    Ok((out, si, tc))
}

pub fn run(_args: &[String]) -> Result<()> {
    let dir = util::data_dir().join("ptc");
    let (all, si, tc) = read_ptc(&dir)?;
    let articles = select_ptc(all, &si, &tc, false).map_err(anyhow::Error::msg)?;
    let lexicon = Lexicon::new().map_err(anyhow::Error::msg)?;
    let docs: Vec<TrainDoc> = articles
        .into_iter()
        .map(|(id, text, gold, labeled)| TrainDoc::new(id, text, gold, labeled, &lexicon))
        .collect();
    let tokens: usize = docs.iter().map(|d| d.prepared.tokens.len()).sum();
    eprintln!("training on {} articles ({tokens} tokens) of our PTC training part", docs.len());
    let cfg = TrainConfig::default();
    let (model, report) = train(&docs, &lexicon, &cfg);
    eprintln!(
        "threshold {:.3}, extend {:.1} chosen on an inner split ({} fit / {} tune articles), tune span F1 {:.3}",
        report.threshold, report.extend, report.fit_articles, report.tune_articles, report.tune_f1
    );
    for (t, x, f1) in &report.thresholds {
        eprintln!("  threshold {t:.3} extend {x:.1}: inner-tune span F1 {f1:.3}");
    }
    for (c, abstain, second, unlabeled, labeled) in &report.classifiers {
        eprintln!(
            "  classifier {c:?}, abstain at {abstain}, second class from {second}: cross-validated span F1 {:.3} (labels ignored), {:.3} (labels required; P {:.3} R {:.3})",
            unlabeled.f1(),
            labeled.f1(),
            labeled.precision(),
            labeled.recall()
        );
    }
    eprintln!(
        "classifier chosen: {:?}, abstain at {}, second class from {}",
        report.classifier, report.abstain, report.second
    );
    for line in &report.diagnostics {
        eprintln!("  {line}");
    }
    let bytes = model.to_bytes(cfg.prune);
    let out = util::root().join("plugins/rhetoric/model/rhetoric.model");
    std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}
