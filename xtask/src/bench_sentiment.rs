//! `cargo xtask bench sentiment`: throughput of the release `slant vader` against Python
//! vaderSentiment 3.3.2 (the venv `cargo xtask eval sentiment --parity` uses) on the same
//! texts, in one run: the VADER ground-truth texts, and the non-blank paragraphs of
//! `../shared/data/corpus/articles-001.jsonl`'s `content_original`. Prints MB/s, texts/s and
//! the ratio, and appends dated rows per input to `BENCHMARKS.md`.
//!
//! Times are CPU time (user + system), so that other work on a shared machine does not count,
//! and each side keeps its fastest run. Both use one core: `slant vader` is single-threaded.
//! The runs of the two programs are interleaved, in five rounds per input (each round: three
//! `slant vader` runs on the input and three on an empty file, one on the input repeated ten
//! times, one run of Python's loop and one of its whole process), so that a change of load on
//! the shared machine weighs on both sides alike instead of on whichever ran during it (run
//! one after the other, Python's loop took from 0.80 s to 1.07 s CPU on the ground truth on
//! the same day, which moved every ratio by a third). Four ratios are printed, because the
//! two programs can be timed over different spans of their work:
//!
//! - **as before** (the row kept since session 1): Slant's whole `slant vader FILE` process
//!   (start-up, lexicon load, reading, scoring, writing JSON) against Python's scoring loop
//!   alone (`polarity_scores` and `json.dumps` per text; interpreter start-up, import, lexicon
//!   load, reading and writing excluded). This favours Python.
//! - **whole process, both**: the same Slant process against Python's whole `score` process
//!   (interpreter start-up, import and lexicon load, reading and decoding the file, scoring,
//!   writing one JSON line per text), which is what a user swapping one command for the other
//!   sees.
//! - **scoring only, both**: Python's loop against Slant's process minus the same process on an
//!   empty file (start-up and lexicon load, the part Python's loop leaves out), so neither side
//!   pays its start-up.
//! - **scoring only, input x10** (added in session 7): Python's loop over the texts once against
//!   one tenth of Slant's process over a file holding the texts ten times (every text scored
//!   and printed ten times), minus its start-up. Like the row above, but a run of 130 to 250
//!   ms rather than 13 to 25 ms, so that what a process pays once whatever its input (cold
//!   caches and page faults in the binary and the lexicon table, the first output buffers)
//!   weighs a tenth as much on Slant's side, as it weighs next to nothing in Python's loop of a
//!   second; and one stray interruption moves it less.
//!
//! `--no-write` prints the figures without appending to `BENCHMARKS.md` (for trying changes);
//! `--slant PATH` times that binary instead of building the checkout's (and writes nothing),
//! so that two builds can be compared under the same conditions.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::util::{data_dir, release_slant, root, target_dir};

// The evaluation's Python driver and venv helper, shared by including the file (the `eval`
// module keeps its submodules private).
#[path = "eval_sentiment.rs"]
#[allow(dead_code, clippy::duplicate_mod)]
mod eval;

const COMMAND: &str = "cargo xtask bench sentiment";

/// Rounds per input; each times both programs (see the module documentation).
const ROUNDS: usize = 5;

/// Runs of `slant vader` on the input (and on an empty file) per round: fifteen in all, of
/// which the fastest counts. One run takes tens of milliseconds, so a stray interruption (or
/// a cold page cache for the binary) moves it by a third.
const SLANT_PER_ROUND: usize = 3;

/// How many times the repeated input holds the texts.
const REPEAT: usize = 10;

pub fn run(args: &[String]) -> Result<()> {
    // `--slant PATH` times that binary instead of the release build of the checkout (to
    // compare two builds under the same conditions); its figures are never written.
    let mut write = true;
    let mut given: Option<PathBuf> = None;
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--no-write" => write = false,
            "--slant" => {
                given = Some(PathBuf::from(rest.next().context("--slant needs a path")?));
                write = false;
            }
            _ => bail!("usage: {COMMAND} [--no-write] [--slant PATH]"),
        }
    }
    let py = eval::vader_python()?;
    let slant = match given {
        Some(p) => p,
        None => release_slant()?,
    };
    let dir = target_dir().join("vader-bench");
    fs::create_dir_all(&dir)?;
    let script = dir.join("py_vader.py");
    fs::write(&script, eval::PY_VADER)?;

    let gt = eval::ground_truth_texts()?;
    let gt_path = dir.join("ground-truth.txt");
    fs::write(&gt_path, gt.join(&b'\n'))?;

    let corpus = data_dir().join("corpus/articles-001.jsonl");
    let src = fs::read_to_string(&corpus).with_context(|| format!("cannot read {}", corpus.display()))?;
    let mut paras: Vec<String> = Vec::new();
    for line in src.lines() {
        let v: serde_json::Value = serde_json::from_str(line).context("corpus line is not JSON")?;
        for p in v["content_original"].as_str().unwrap_or("").split('\n') {
            if !p.trim().is_empty() {
                paras.push(p.trim_end_matches('\r').to_string());
            }
        }
    }
    let para_path = dir.join("paragraphs.txt");
    fs::write(&para_path, paras.join("\n"))?;

    let date = today()?;
    let mut rows = Vec::new();
    // Slant's start-up and lexicon load, which the scoring-only ratios take off its time.
    let empty = dir.join("empty.txt");
    fs::write(&empty, b"")?;
    for (name, path, n) in [
        ("VADER ground truth (18,513 texts)", &gt_path, gt.len()),
        ("articles-001 paragraphs", &para_path, paras.len()),
    ] {
        let bytes = fs::metadata(path)?.len() as f64;
        // The texts ten times over, one per line as in the input (which has no final newline).
        let mut repeated = Vec::new();
        let text = fs::read(path)?;
        for _ in 0..REPEAT {
            repeated.extend_from_slice(&text);
            repeated.push(b'\n');
        }
        let repeated_path =
            dir.join(format!("x{REPEAT}-{}", path.file_name().and_then(|f| f.to_str()).unwrap_or("input")));
        fs::write(&repeated_path, &repeated)?;
        let scored = dir.join("python-scores.jsonl");
        let (mut runs, mut startups, mut repeats, mut loops, mut processes) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            for _ in 0..SLANT_PER_ROUND {
                startups.push(time_slant(&slant, &empty)?);
                runs.push(time_slant(&slant, path)?);
            }
            repeats.push(time_slant(&slant, &repeated_path)?);
            let (cpu, wall) = time_python(&py, &script, path)?;
            eprintln!("  round {round}: vaderSentiment loop {}: {cpu:.3} s CPU, {wall:.3} s wall", path.display());
            loops.push(cpu);
            processes.push(time_python_process(&py, &script, path, &scored)?);
        }
        runs.sort_by(f64::total_cmp);
        let (rust, median) = (runs[0], runs[runs.len() / 2]);
        let startup = fastest(&startups);
        let repeat = fastest(&repeats);
        let (python, python_process) = (fastest(&loops), fastest(&processes));
        eprintln!(
            "  slant vader {}: fastest {rust:.4} s CPU, median {median:.4} s of {} runs; start-up (empty file) fastest {startup:.4} s; x{REPEAT} fastest {repeat:.4} s of {ROUNDS}",
            path.display(),
            runs.len()
        );
        let rust_scoring = rust - startup;
        let rust_steady = (repeat - startup) / REPEAT as f64;
        let mb = bytes / 1e6;
        let speed = |secs: f64| format!("{:.2} MB/s, {:.0} texts/s", mb / secs, n as f64 / secs);
        let steady = format!("scoring only, input x{REPEAT} (Slant's process over the texts {REPEAT} times, minus its start-up, per pass)");
        let ratios = [
            ("as before: Slant's whole process vs Python's scoring loop", rust, python),
            ("whole process, both", rust, python_process),
            ("scoring only, both (Slant minus its start-up)", rust_scoring, python),
            (steady.as_str(), rust_steady, python),
        ];
        println!("{name}: {n} texts, {mb:.2} MB");
        for (what, slant_secs, python_secs) in ratios {
            let ratio = python_secs / slant_secs;
            println!(
                "  {what}: slant vader {slant_secs:.4} s CPU ({}), vaderSentiment 3.3.2 {python_secs:.3} s CPU ({}), ratio {ratio:.0}x",
                speed(slant_secs),
                speed(python_secs)
            );
            rows.push(format!(
                "| {date} | sentiment: `slant vader` vs vaderSentiment 3.3.2 (CPU time, one core; {what}) | {name}, {mb:.2} MB | {} | {} | {ratio:.0}x | `{COMMAND}` |",
                speed(slant_secs),
                speed(python_secs)
            ));
        }
    }
    if write {
        append_rows(&root().join("BENCHMARKS.md"), &rows)?;
        println!("appended {} rows to BENCHMARKS.md", rows.len());
    }
    Ok(())
}

/// CPU time (user + system) of the children this process has waited for.
fn children_cpu() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// Runs `slant vader` on `input`; returns its CPU time.
fn time_slant(slant: &Path, input: &Path) -> Result<f64> {
    let cpu0 = children_cpu();
    let t = Instant::now();
    let status =
        Command::new(slant).arg("vader").arg(input).stdout(Stdio::null()).status().context("cannot run slant vader")?;
    let wall = t.elapsed().as_secs_f64();
    if !status.success() {
        bail!("slant vader failed on {}", input.display());
    }
    let cpu = children_cpu() - cpu0;
    eprintln!("  slant vader {}: {cpu:.3} s CPU, {wall:.3} s wall", input.display());
    Ok(cpu)
}

/// The fastest of some timed runs.
fn fastest(runs: &[f64]) -> f64 {
    runs.iter().copied().fold(f64::INFINITY, f64::min)
}

/// Runs Python's whole `score` process on `input` (start-up, import, lexicon load, reading,
/// scoring, writing JSON lines to `scored`); returns its CPU time.
fn time_python_process(py: &Path, script: &Path, input: &Path, scored: &Path) -> Result<f64> {
    let cpu0 = children_cpu();
    let out = Command::new(py).arg(script).arg("score").arg(input).arg(scored).output().context("cannot run python")?;
    if !out.status.success() {
        bail!("python score failed on {}: {}", input.display(), String::from_utf8_lossy(&out.stderr));
    }
    let cpu = children_cpu() - cpu0;
    eprintln!("  vaderSentiment process {}: {cpu:.3} s CPU", input.display());
    Ok(cpu)
}

/// Runs vaderSentiment's scoring loop on `input` once; returns its CPU and wall seconds.
fn time_python(py: &Path, script: &Path, input: &Path) -> Result<(f64, f64)> {
    let out = Command::new(py).arg(script).arg("bench").arg(input).output().context("cannot run python")?;
    if !out.status.success() {
        bail!("python bench failed on {}: {}", input.display(), String::from_utf8_lossy(&out.stderr));
    }
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    let mut times = printed.split_whitespace().map(str::parse::<f64>);
    let cpu = times.next().and_then(|r| r.ok()).context("python printed no time")?;
    let wall = times.next().and_then(|r| r.ok()).unwrap_or(f64::NAN);
    Ok((cpu, wall))
}

fn today() -> Result<String> {
    let out = Command::new("date").args(["-u", "+%Y-%m-%d"]).output().context("cannot run date")?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn append_rows(path: &Path, rows: &[String]) -> Result<()> {
    if !path.exists() {
        fs::write(
            path,
            "# Benchmarks\n\nThroughput figures measured on the project machine, one dated row per run, with the\ncommand that produced them. Add rows; do not edit old ones.\n\n| date | what | input | Slant | baseline | ratio | command |\n|---|---|---|---|---|---|---|\n",
        )?;
    }
    let mut f = fs::OpenOptions::new().append(true).open(path)?;
    for r in rows {
        writeln!(f, "{r}")?;
    }
    Ok(())
}
