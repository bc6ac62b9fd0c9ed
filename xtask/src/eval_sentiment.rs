//! `cargo xtask eval sentiment`: measures the sentiment analyzer.
//!
//! - `--parity`: scores the 18,513 texts of `../shared/data/vader/*_GroundTruth.txt` with
//!   vaderSentiment 3.3.2 (installed into `target/venv-vader` if missing) and with the release
//!   `slant vader`, reports the share equal within 0.001 on every field and lists every
//!   difference; also checks Slant's lexicon and emoji table against the Python package's.
//! - `--fixtures`: regenerates `tests/fixtures/sentiment/vader-rules.expected.jsonl` (expected
//!   VADER scores of our own rule sentences) with vaderSentiment 3.3.2.
//! - default (news tone): on NewsMTSC sentences whose targets all share one polarity, compares
//!   VADER's compound, the rule tone (the news rules alone) and Slant's news tone (the learned
//!   tone): macro-F1 of the three labels and Pearson correlation with the polarity, per split
//!   (`train`, in-sample for the learned tone, `dev-mt`, `dev-rw`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::train::sentiment::{best_band, label, macro_f1, newsmtsc, pearson};
use crate::util::{data_dir, release_slant, root, run as sh, target_dir};

/// The Python side: vaderSentiment 3.3.2 reading the same bytes as `slant vader` does (UTF-8,
/// with bytes outside valid UTF-8 read as cp1252).
pub const PY_VADER: &str = r#"
import sys, json, codecs, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
UNDEF = {0x81, 0x8d, 0x8f, 0x90, 0x9d}
def fallback(e):
    b = e.object[e.start:e.end]
    return (''.join(chr(x) if x in UNDEF else bytes([x]).decode('cp1252') for x in b), e.end)
codecs.register_error('cp1252fallback', fallback)
def read_lines(path):
    data = open(path, 'rb').read()
    lines = data.split(b'\n')
    if lines and lines[-1] == b'':
        lines.pop()
    return [l[:-1] if l.endswith(b'\r') else l for l in lines]
mode = sys.argv[1]
a = SentimentIntensityAnalyzer()
if mode == 'score':
    with open(sys.argv[3], 'w') as out:
        for l in read_lines(sys.argv[2]):
            out.write(json.dumps(a.polarity_scores(l.decode('utf-8', 'cp1252fallback'))) + '\n')
elif mode == 'bench':
    texts = [l.decode('utf-8', 'cp1252fallback') for l in read_lines(sys.argv[2])]
    t0, w0 = time.process_time(), time.perf_counter()
    out = [json.dumps(a.polarity_scores(t)) for t in texts]
    print(time.process_time() - t0, time.perf_counter() - w0)
elif mode == 'lexicon':
    with open(sys.argv[2], 'w') as f:
        json.dump({'lexicon': a.lexicon, 'emoji': {k: v for k, v in a.emojis.items() if len(k) == 1}}, f)
elif mode == 'fixtures':
    import importlib.metadata as md
    version = md.version('vaderSentiment')
    with open(sys.argv[3], 'w', encoding='utf-8') as out:
        out.write(json.dumps({'provenance': 'expected scores computed by vaderSentiment ' + version + ' (Python ' + sys.version.split()[0] + ') with `cargo xtask eval sentiment --fixtures`; inputs: vader-rules.tsv, sentences written for Slant'}) + '\n')
        for l in read_lines(sys.argv[2]):
            t = l.decode('utf-8')
            if t.startswith('#'):
                continue
            rule, text = t.split('\t', 1)
            d = {'rule': rule, 'text': text}
            d.update(a.polarity_scores(text))
            out.write(json.dumps(d, ensure_ascii=False) + '\n')
"#;

pub fn run(args: &[String]) -> Result<()> {
    if args.iter().any(|a| a == "--parity") {
        parity()
    } else if args.iter().any(|a| a == "--fixtures") {
        fixtures()
    } else {
        news_eval(args)
    }
}

/// The venv with vaderSentiment 3.3.2, made if missing; returns its python.
pub fn vader_python() -> Result<PathBuf> {
    let venv = root().join("target/venv-vader");
    let py = venv.join("bin/python");
    let ok = py.exists()
        && Command::new(&py)
            .args(["-c", "import vaderSentiment.vaderSentiment"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    if !ok {
        sh(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        sh(Command::new(&py).args(["-m", "pip", "install", "--quiet", "vadersentiment==3.3.2"]))?;
    }
    Ok(py)
}

fn script() -> Result<PathBuf> {
    let dir = target_dir().join("vader-eval");
    fs::create_dir_all(&dir)?;
    let path = dir.join("py_vader.py");
    fs::write(&path, PY_VADER)?;
    Ok(path)
}

/// The texts of the ground-truth files (third TSV column), raw bytes, in file order.
pub fn ground_truth_texts() -> Result<Vec<Vec<u8>>> {
    let dir = data_dir().join("vader");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("_GroundTruth.txt")))
        .collect();
    files.sort();
    let mut texts = Vec::new();
    for f in files {
        let data = fs::read(&f).with_context(|| format!("cannot read {}", f.display()))?;
        for line in data.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            let mut cols = line.splitn(3, |&b| b == b'\t');
            let (_id, _rating, text) = (cols.next(), cols.next(), cols.next());
            match text {
                Some(t) => texts.push(t.to_vec()),
                None => bail!("{}: a line without three tab-separated columns", f.display()),
            }
        }
    }
    Ok(texts)
}

fn read_jsonl(path: &Path) -> Result<Vec<Value>> {
    let s = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    s.lines().map(|l| serde_json::from_str(l).with_context(|| format!("bad JSON in {}: {l}", path.display()))).collect()
}

fn parity() -> Result<()> {
    let py = vader_python()?;
    let script = script()?;
    let slant = release_slant()?;
    let dir = target_dir().join("vader-eval");
    check_lexicon(&py, &script, &dir)?;

    let texts = ground_truth_texts()?;
    let input = dir.join("texts.txt");
    fs::write(&input, texts.join(&b'\n'))?;
    let py_out = dir.join("python.jsonl");
    sh(Command::new(&py).arg(&script).arg("score").arg(&input).arg(&py_out))?;
    let rs_out = dir.join("slant.jsonl");
    let out = Command::new(&slant).arg("vader").arg(&input).output().context("cannot run slant vader")?;
    if !out.status.success() {
        bail!("slant vader failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    fs::write(&rs_out, &out.stdout)?;
    let a = read_jsonl(&py_out)?;
    let b = read_jsonl(&rs_out)?;
    if a.len() != texts.len() || b.len() != texts.len() {
        bail!("{} texts, {} Python results, {} Slant results", texts.len(), a.len(), b.len());
    }
    let (mut within, mut exact) = (0usize, 0usize);
    let mut diffs = Vec::new();
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        let close = ["neg", "neu", "pos", "compound"].iter().all(|k| {
            let (p, q) = (x[k].as_f64().unwrap_or(f64::NAN), y[k].as_f64().unwrap_or(f64::NAN));
            (p - q).abs() <= 0.001 + 1e-12
        });
        if x == y {
            exact += 1;
        }
        if close {
            within += 1;
        } else {
            diffs.push(i);
        }
    }
    println!("VADER parity on {} ground-truth texts (vaderSentiment 3.3.2 vs slant vader):", texts.len());
    println!(
        "  equal within 0.001 on every field: {within} ({:.3}%)   identical output: {exact} ({:.3}%)",
        100.0 * within as f64 / texts.len() as f64,
        100.0 * exact as f64 / texts.len() as f64
    );
    for i in diffs {
        println!("  differs: {}\n    python {}\n    slant  {}", String::from_utf8_lossy(&texts[i]), a[i], b[i]);
    }
    Ok(())
}

/// Compares Slant's VADER lexicon and emoji table with the installed Python package's (only
/// the entries Python can reach: it looks up lowercased tokens, one emoji character at a time).
fn check_lexicon(py: &Path, script: &Path, dir: &Path) -> Result<()> {
    let dump = dir.join("python-lexicon.json");
    sh(Command::new(py).arg(script).arg("lexicon").arg(&dump))?;
    let v: Value = serde_json::from_str(&fs::read_to_string(&dump)?)?;
    let mut py_lex: BTreeMap<String, f64> = BTreeMap::new();
    for (k, x) in v["lexicon"].as_object().context("lexicon")? {
        if *k == k.to_lowercase() {
            py_lex.insert(k.clone(), x.as_f64().unwrap_or(f64::NAN));
        }
    }
    let lex = slant_sentiment::vader::lexicon::VaderLexicon::get();
    let ours: BTreeMap<String, f64> = lex.entries().map(|(k, x)| (k.to_string(), x)).collect();
    let mut problems = Vec::new();
    for (k, x) in &py_lex {
        match ours.get(k) {
            Some(y) if y == x => {}
            Some(y) => problems.push(format!("`{k}`: python {x}, slant {y}")),
            None => problems.push(format!("`{k}`: missing in slant")),
        }
    }
    for k in ours.keys().filter(|k| !py_lex.contains_key(*k)) {
        problems.push(format!("`{k}`: only in slant"));
    }
    let py_emoji: BTreeSet<(String, String)> = v["emoji"]
        .as_object()
        .context("emoji")?
        .iter()
        .map(|(k, d)| (k.clone(), d.as_str().unwrap_or("").to_string()))
        .collect();
    let our_emoji: BTreeSet<(String, String)> =
        lex.emoji_entries().map(|(c, d)| (c.to_string(), d.to_string())).collect();
    for e in py_emoji.symmetric_difference(&our_emoji) {
        problems.push(format!("emoji {e:?} differs"));
    }
    println!(
        "lexicon check: {} reachable Python entries, {} emoji; {} differences",
        py_lex.len(),
        py_emoji.len(),
        problems.len()
    );
    for p in &problems {
        println!("  {p}");
    }
    if !problems.is_empty() {
        bail!("Slant's VADER lexicon differs from vaderSentiment 3.3.2's");
    }
    Ok(())
}

fn fixtures() -> Result<()> {
    let py = vader_python()?;
    let script = script()?;
    let dir = root().join("tests/fixtures/sentiment");
    sh(Command::new(&py)
        .arg(&script)
        .arg("fixtures")
        .arg(dir.join("vader-rules.tsv"))
        .arg(dir.join("vader-rules.expected.jsonl")))?;
    println!("wrote {}", dir.join("vader-rules.expected.jsonl").display());
    Ok(())
}

fn news_eval(args: &[String]) -> Result<()> {
    let show: usize =
        args.iter().position(|a| a == "--show").and_then(|i| args.get(i + 1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let band = slant_sentiment::analyzer::NEUTRAL_BAND;
    println!("NewsMTSC, sentences whose targets share one polarity (label = that polarity)");
    println!(
        "VADER: compound, band ±0.05 (VADER's own) and the band best on train; rule tone: the news rules alone, band best on train; news tone: the learned tone (slant's `tone`), band ±{band}"
    );
    println!("train is in-sample for the learned tone (it was trained on it): `cargo xtask train sentiment --holdout` gives its held-out figures");
    let (mut vader_band, mut rule_band) = (0.05, 0.15);
    let mut news = slant_sentiment::news::NewsTone::new();
    for split in ["train", "dev-mt", "dev-rw"] {
        let data = newsmtsc(split)?;
        let gold: Vec<i8> = data.iter().map(|d| d.gold).collect();
        let goldf: Vec<f64> = gold.iter().map(|g| *g as f64).collect();
        let (mut vader, mut rule, mut tone) = (Vec::new(), Vec::new(), Vec::new());
        for d in &data {
            let (v, t) = news.score_with_vader(&d.text);
            vader.push(v.compound);
            rule.push(t.rule_tone);
            tone.push(t.tone);
        }
        if split == "train" {
            vader_band = best_band(&vader, &gold);
            rule_band = best_band(&rule, &gold);
            println!("  (train: best VADER band ±{vader_band:.2}, best rule-tone band ±{rule_band:.2})");
        }
        let f = |s: &[f64], b: f64| macro_f1(&gold, &s.iter().map(|x| label(*x, b)).collect::<Vec<_>>());
        let counts = [-1i8, 0, 1].map(|c| gold.iter().filter(|g| **g == c).count());
        println!(
            "{split:7} n={:5} (neg {} neu {} pos {})  macro-F1: VADER {:.3} (tuned band {:.3}), rule tone {:.3}, news tone {:.3}   Pearson r: VADER {:.3}, rule tone {:.3}, news tone {:.3}",
            data.len(),
            counts[0],
            counts[1],
            counts[2],
            f(&vader, 0.05),
            f(&vader, vader_band),
            f(&rule, rule_band),
            f(&tone, band),
            pearson(&vader, &goldf),
            pearson(&rule, &goldf),
            pearson(&tone, &goldf)
        );
        if split == "train" && show > 0 {
            let mut shown = 0;
            for (i, d) in data.iter().enumerate() {
                if label(tone[i], band) != d.gold && shown < show {
                    shown += 1;
                    println!(
                        "  gold {:2} tone {:+.3} rule {:+.3} vader {:+.3}  {}",
                        d.gold, tone[i], rule[i], vader[i], d.text
                    );
                }
            }
        }
    }
    Ok(())
}
