//! `cargo xtask eval actors [--sample N] [--seed S] [--jobs N]`: runs the release `slant` over
//! the corpus (`../shared/data/corpus/*.jsonl`, text field `content_original`), prints the ten
//! most mentioned actors, a fixed-seed random sample of mentions with context for judging by
//! hand, and the time of `--analyzers actors` against `--analyzers structure` (the actors stage
//! alone is the difference, since actors requires structure).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::util::{data_dir, release_slant, target_dir};

pub fn run(args: &[String]) -> Result<()> {
    let mut sample = 200usize;
    let mut seed = 4u64;
    let mut jobs: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sample" => sample = it.next().context("--sample N")?.parse()?,
            "--seed" => seed = it.next().context("--seed S")?.parse()?,
            "--jobs" => jobs = Some(it.next().context("--jobs N")?.clone()),
            other => bail!("unknown argument `{other}` (--sample N, --seed S, --jobs N)"),
        }
    }
    let slant = release_slant()?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir().join("corpus"))
        .context("cannot list ../shared/data/corpus")?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no corpus files in {}", data_dir().join("corpus").display());
    }
    let out_dir = target_dir().join("eval-actors");
    std::fs::create_dir_all(&out_dir)?;
    let structure_out = out_dir.join("structure.jsonl");
    let actors_out = out_dir.join("actors.jsonl");
    // Warm the page cache once, then time each configuration twice and keep the faster run.
    timed(&slant, &files, "structure", &structure_out, jobs.as_deref())?;
    let t_structure = (0..2)
        .map(|_| timed(&slant, &files, "structure", &structure_out, jobs.as_deref()))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or_default();
    let t_actors = (0..2)
        .map(|_| timed(&slant, &files, "actors", &actors_out, jobs.as_deref()))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or_default();

    let texts = corpus_texts(&files)?;
    let records = std::fs::read_to_string(&actors_out)?;
    let mut counts: HashMap<String, (usize, String, String)> = HashMap::new();
    let mut docs_with: HashMap<String, usize> = HashMap::new();
    let mut mentions: Vec<(usize, usize, usize, String, String, String)> = Vec::new();
    let mut n_docs = 0;
    for (d, line) in records.lines().enumerate() {
        let rec: Value = serde_json::from_str(line).with_context(|| format!("record {d} is not JSON"))?;
        n_docs += 1;
        for a in rec["annotations"].as_array().into_iter().flatten() {
            if a["layer"] != "actor" {
                continue;
            }
            let label = a["label"].as_str().unwrap_or("").to_string();
            let kind = a["attrs"]["kind"].as_str().unwrap_or("").to_string();
            let via = a["attrs"]["via"].as_str().unwrap_or("").to_string();
            let e =
                counts.entry(label.clone()).or_insert((0, kind, a["attrs"]["id"].as_str().unwrap_or("").to_string()));
            e.0 += 1;
            let (s, en) = (a["start"].as_u64().unwrap_or(0) as usize, a["end"].as_u64().unwrap_or(0) as usize);
            mentions.push((d, s, en, label, via, a["attrs"]["affiliation"].as_str().unwrap_or("-").to_string()));
        }
        for s in rec["summary"]["actors"].as_array().into_iter().flatten() {
            *docs_with.entry(s["name"].as_str().unwrap_or("").to_string()).or_default() += 1;
        }
    }
    if n_docs != texts.len() {
        bail!("{} records for {} corpus documents", n_docs, texts.len());
    }
    let mut top: Vec<(&String, &(usize, String, String))> = counts.iter().collect();
    top.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    println!("actors over {} documents, {} mentions, {} distinct actors", n_docs, mentions.len(), counts.len());
    println!();
    println!("ten most mentioned actors:");
    for (name, (n, kind, id)) in top.iter().take(10) {
        println!("  {n:>7}  {name} ({kind}, {id}), in {} documents", docs_with.get(*name).copied().unwrap_or(0));
    }
    let mut via_counts: HashMap<&str, usize> = HashMap::new();
    for m in &mentions {
        *via_counts.entry(m.4.as_str()).or_default() += 1;
    }
    let mut vias: Vec<_> = via_counts.into_iter().collect();
    vias.sort_by_key(|v| std::cmp::Reverse(v.1));
    println!();
    println!("mentions by mechanism: {}", vias.iter().map(|(v, n)| format!("{v} {n}")).collect::<Vec<_>>().join(", "));
    println!();
    println!("random sample of {sample} mentions (seed {seed}): [label | via | affiliation] context");
    let mut rng = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut picked = std::collections::BTreeSet::new();
    while picked.len() < sample.min(mentions.len()) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        picked.insert((rng % mentions.len() as u64) as usize);
    }
    for (n, &i) in picked.iter().enumerate() {
        let (d, s, e, label, via, aff) = &mentions[i];
        let chars: Vec<char> = texts[*d].chars().collect();
        let (s, e) = ((*s).min(chars.len()), (*e).min(chars.len()));
        let before: String = chars[s.saturating_sub(60)..s].iter().collect();
        let span: String = chars[s..e].iter().collect();
        let after: String = chars[e..(e + 60).min(chars.len())].iter().collect();
        let clean = |x: &str| x.replace(['\n', '\r'], " ");
        println!("{:>3}. [{label} | {via} | {aff}] …{}⟦{}⟧{}…", n + 1, clean(&before), span, clean(&after));
    }
    let secs = |d: Duration| d.as_secs_f64();
    let ((ws, cs), (wa, ca)) = (t_structure, t_actors);
    println!();
    println!(
        "time (the run with less CPU of two each): --analyzers structure {:.2} s wall / {cs:.2} s CPU; --analyzers actors {:.2} s wall / {ca:.2} s CPU",
        secs(ws),
        secs(wa)
    );
    println!(
        "the actors stage adds {:.2} s CPU = {:.1}% of structure (wall: +{:.2} s = {:.1}%)",
        ca - cs,
        100.0 * (ca - cs) / cs,
        secs(wa) - secs(ws),
        100.0 * (secs(wa) - secs(ws)) / secs(ws)
    );
    Ok(())
}

/// CPU time (user + system) of this process's waited-for children, from `/proc/self/stat`:
/// on a shared, loaded machine wall time says little about the work done.
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<f64> = after.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    (f.get(13).copied().unwrap_or(0.0) + f.get(14).copied().unwrap_or(0.0)) / 100.0
}

/// Runs one configuration; returns (wall, CPU) time.
fn timed(slant: &Path, files: &[PathBuf], analyzers: &str, out: &Path, jobs: Option<&str>) -> Result<(Duration, f64)> {
    let mut cmd = Command::new(slant);
    cmd.arg("analyze")
        .args(files)
        .args(["--text-field", "content_original", "--format", "jsonl", "--no-progress", "--analyzers", analyzers])
        .arg("--output")
        .arg(out);
    if let Some(j) = jobs {
        cmd.args(["--jobs", j]);
    }
    let start = Instant::now();
    let cpu0 = children_cpu();
    let status = cmd.status().with_context(|| format!("cannot run {}", slant.display()))?;
    let took = start.elapsed();
    let cpu = children_cpu() - cpu0;
    if !status.success() && status.code() != Some(1) {
        bail!("slant --analyzers {analyzers} failed ({status})");
    }
    eprintln!("--analyzers {analyzers}: {:.2} s wall, {cpu:.2} s CPU", took.as_secs_f64());
    Ok((took, cpu))
}

/// The corpus texts in the order `slant` reads them (files in sorted order, lines in order).
fn corpus_texts(files: &[PathBuf]) -> Result<Vec<String>> {
    let mut texts = Vec::new();
    for f in files {
        let data = std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        for line in data.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line).unwrap_or(Value::Null);
            texts.push(v["content_original"].as_str().unwrap_or("").to_string());
        }
    }
    Ok(texts)
}
