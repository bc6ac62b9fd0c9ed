//! `cargo xtask eval rhetoric`: measures the rhetoric analyzer on our held-out part of the PTC
//! training articles (see `train_rhetoric.rs` for the split), with the span measure of
//! SemEval-2020 Task 11.
//!
//! Prints span precision, recall and F1 with labels ignored (overlapping spans merged,
//! per-character credit), the same with labels required (spans of one technique merged, a
//! predicted span only earns credit from gold spans of its own PTC class), a per-technique
//! table, and breakdowns by source (model, lexicon, rules) to show where the rest is lost.
//! Slant's devices (rhetorical questions, scare quotes, sarcasm, hedging) are not PTC
//! techniques and are left out of the PTC figures; one line shows what including them does.
//! Last, the span classifier alone: how often it gives a gold span one of its gold classes,
//! and a confusion matrix over the tagger's spans that overlap gold.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Result;
use slant_core::{OffsetMap, Settings};
use slant_rhetoric::lexicon::Lexicon;
use slant_rhetoric::score::SpanScore;
use slant_rhetoric::text::split_sentences;
use slant_rhetoric::train::{diagnose, select_ptc, TrainDoc};
use slant_rhetoric::{embedded_model, Finding, PtcClass, Rhetoric};

use crate::train::rhetoric::read_ptc;
use crate::util;

pub fn run(_args: &[String]) -> Result<()> {
    let dir = util::data_dir().join("ptc");
    let (all, si, tc) = read_ptc(&dir)?;
    let articles = select_ptc(all, &si, &tc, true).map_err(anyhow::Error::msg)?;
    let analyzer = Rhetoric::from_settings(&Settings::default()).map_err(anyhow::Error::msg)?;

    let mut all = SpanScore::default();
    let mut with_devices = SpanScore::default();
    let mut by_source: BTreeMap<&str, SpanScore> = BTreeMap::new();
    let mut labeled: BTreeMap<PtcClass, SpanScore> = BTreeMap::new();
    let mut recall_any: BTreeMap<PtcClass, SpanScore> = BTreeMap::new();
    let mut pred_by_tech: BTreeMap<&str, usize> = BTreeMap::new();
    let mut bytes = 0usize;
    let mut elapsed = 0.0f64;

    for (_id, text, gold, classed) in &articles {
        let start = Instant::now();
        let sentences = split_sentences(text);
        let findings = analyzer.find(text, &sentences);
        elapsed += start.elapsed().as_secs_f64();
        bytes += text.len();
        let offsets = OffsetMap::new(text);
        let chars = |f: &Finding| (offsets.to_char(text, f.start), offsets.to_char(text, f.end));
        for f in &findings {
            *pred_by_tech.entry(f.technique.id()).or_insert(0) += 1;
        }
        let ptc: Vec<&Finding> = findings.iter().filter(|f| f.technique.ptc_class().is_some()).collect();
        let spans: Vec<(usize, usize)> = ptc.iter().map(|f| chars(f)).collect();
        all.add(&spans, gold);
        let every: Vec<(usize, usize)> = findings.iter().map(chars).collect();
        with_devices.add(&every, gold);
        for source in ["model", "lexicon", "rule"] {
            let s: Vec<(usize, usize)> = ptc.iter().filter(|f| f.source == source).map(|f| chars(f)).collect();
            by_source.entry(source).or_default().add(&s, gold);
        }
        for class in PtcClass::ALL {
            let p: Vec<(usize, usize)> =
                ptc.iter().filter(|f| f.technique.ptc_class() == Some(class)).map(|f| chars(f)).collect();
            let g: Vec<(usize, usize)> = classed.iter().filter(|c| c.0 == class).map(|c| (c.1, c.2)).collect();
            labeled.entry(class).or_default().add(&p, &g);
            // Recall of this class's gold spans by a prediction of any label.
            let mut r = SpanScore::default();
            r.add(&spans, &g);
            recall_any.entry(class).or_default().merge_from(&r);
        }
    }

    let gold_spans: usize = articles.iter().map(|a| a.2.len()).sum();
    println!(
        "rhetoric on our held-out part of PTC train: {} articles, {} gold spans (SI), {} classed spans (TC)",
        articles.len(),
        gold_spans,
        articles.iter().map(|a| a.3.len()).sum::<usize>()
    );
    println!("split: FNV-1a(article id) mod 10 < 2 held out; trained on the other articles only\n");
    let line = |name: &str, s: &SpanScore| {
        println!(
            "{name:<44} P {:.3}  R {:.3}  F1 {:.3}   ({} predicted, {} gold after merging)",
            s.precision(),
            s.recall(),
            s.f1(),
            s.predicted,
            s.gold
        )
    };
    line("span, labels ignored (SI measure)", &all);
    let mut total = SpanScore::default();
    for s in labeled.values() {
        total.merge_from(s);
    }
    line("span, labels required (per-class merge)", &total);
    println!();
    for (source, s) in &by_source {
        line(&format!("  labels ignored, {source} spans only"), s);
    }
    line("  labels ignored, incl. Slant's devices", &with_devices);
    println!();
    println!(
        "{:<36} {:>5} {:>5}  {:>6} {:>6} {:>6}  {:>12}",
        "PTC class", "gold", "pred", "P", "R", "F1", "R any label"
    );
    for class in PtcClass::ALL {
        let s = &labeled[&class];
        println!(
            "{:<36} {:>5} {:>5}  {:>6.3} {:>6.3} {:>6.3}  {:>12.3}",
            class.name(),
            s.gold,
            s.predicted,
            s.precision(),
            s.recall(),
            s.f1(),
            recall_any[&class].recall()
        );
    }
    println!();
    println!("findings per Slant id (all sources, before merging across ids):");
    for (t, n) in &pred_by_tech {
        println!("  {t:<28} {n}");
    }
    // The span classifier on its own, on the same held-out articles: its label on gold spans,
    // and on the tagger's spans that overlap gold (a confusion matrix), then each source's
    // labelled score.
    println!("\nspan classifier (held-out articles):");
    let lexicon = Lexicon::new().map_err(anyhow::Error::msg)?;
    let model = embedded_model().map_err(anyhow::Error::msg)?;
    let docs: Vec<TrainDoc> = articles
        .iter()
        .map(|(id, text, gold, classed)| {
            TrainDoc::new(id.clone(), text.clone(), gold.clone(), classed.clone(), &lexicon)
        })
        .collect();
    let refs: Vec<&TrainDoc> = docs.iter().collect();
    for line in diagnose(model, 0.0, &refs, &lexicon) {
        println!("  {line}");
    }
    println!(
        "\nanalysis time (rhetoric only, this build): {:.1} MB/s over {:.1} MB",
        bytes as f64 / 1e6 / elapsed.max(1e-9),
        bytes as f64 / 1e6
    );
    Ok(())
}
