//! `cargo xtask bench [all|STAGE|sentiment] [--quick] …`: throughput benchmarks of the
//! release `slant` over the news corpus, against VADER-Python and the `wc -w` floor.
//!
//! Every figure comes from a child process measured by the kernel (`wait4`: wall time, CPU
//! time, peak RSS), and every figure is appended to `BENCHMARKS.md` with the date, machine,
//! commit and the exact command. Timed runs discard Slant's output (`/dev/null`); the outputs
//! that the `--jobs` comparison reads come from one more, untimed run each. `bench sentiment`
//! is the sentiment analyzer's own benchmark.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

#[path = "bench_sentiment.rs"]
mod sentiment;

#[path = "bench_corpus.rs"]
mod corpus;
#[path = "bench_proc.rs"]
mod proc;
#[path = "bench_report.rs"]
mod report;
#[path = "bench_vader.rs"]
mod vader;

use corpus::{mb, shown, Corpus, TEXT_FIELD};
use proc::{best_of, measure, Cost};
use report::{Row, RunInfo};

const USAGE: &str = "usage: cargo xtask bench [all | STAGE | sentiment ARGS…] [options]

  (nothing) or all   full pipeline (--jobs 1 and 2), every analyzer alone, each stage's time
                     inside the full pipeline (--timings), VADER-Python, wc -w, memory over
                     a 10x stdin stream, linearity in document length
  STAGE              one analyzer alone (with and without its requirements), every stage's
                     time inside the full pipeline (--timings), and its linearity
  sentiment ARGS…    the sentiment analyzer's own benchmark (bench_sentiment.rs)
  memory             peak RSS of the full pipeline (--jobs 2) with the corpus streamed
                     through stdin once and more times (--passes), to show where it levels

options:
  --quick            the first 1000 documents, one repetition, VADER for 15 s; writes no rows
  --reps N           repetitions per measurement, fastest kept (default 3, within 20 s each)
  --vader-seconds S  VADER-Python scoring budget (default 120); past it, a prefix is scored
  --stream-times N   how many times the corpus is streamed through stdin (default 10)
  --passes LIST      `memory`: the stream lengths, in passes over the corpus (default 1,3,10,30)
  --no-vader, --no-stream, --no-linear, --no-stages
                     skip a part
  --no-write         print only; do not append rows to BENCHMARKS.md
  --at-head          build `slant` from the committed HEAD (exported with `git archive` under
                     the build directory) instead of the working tree, whose uncommitted
                     work in progress may not build";

/// Targets from issue 9.
const TARGET_VS_VADER: f64 = 20.0;
const TARGET_SPEEDUP_2: f64 = 1.8;
const TARGET_RSS: u64 = 300 << 20;

struct Opts {
    quick: bool,
    reps: usize,
    vader_seconds: f64,
    stream_times: usize,
    passes: Vec<usize>,
    vader: bool,
    stream: bool,
    linear: bool,
    stages: bool,
    write: bool,
    at_head: bool,
}

impl Opts {
    fn parse(args: &[String]) -> Result<Opts> {
        let quick = args.iter().any(|a| a == "--quick");
        let mut o = Opts {
            quick,
            reps: if quick { 1 } else { 3 },
            vader_seconds: if quick { 15.0 } else { 120.0 },
            stream_times: 10,
            passes: vec![1, 3, 10, 30],
            vader: true,
            stream: true,
            linear: true,
            stages: true,
            write: !quick,
            at_head: false,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| it.next().with_context(|| format!("{name} needs a value"));
            match a.as_str() {
                "--quick" => {}
                "--reps" => o.reps = value("--reps")?.parse().context("--reps")?,
                "--vader-seconds" => o.vader_seconds = value("--vader-seconds")?.parse().context("--vader-seconds")?,
                "--stream-times" => o.stream_times = value("--stream-times")?.parse().context("--stream-times")?,
                "--passes" => {
                    let list = value("--passes")?;
                    o.passes = list
                        .split(',')
                        .map(|n| n.trim().parse().with_context(|| format!("--passes {list}: `{n}` is not a count")))
                        .collect::<Result<_>>()?;
                }
                "--no-vader" => o.vader = false,
                "--no-stream" => o.stream = false,
                "--no-linear" => o.linear = false,
                "--no-stages" => o.stages = false,
                "--no-write" => o.write = false,
                "--at-head" => o.at_head = true,
                other => bail!("unknown option `{other}`\n\n{USAGE}"),
            }
        }
        Ok(o)
    }
}

pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("sentiment") => sentiment::run(&args[1..]),
        Some("memory") => Bench::new(Opts::parse(&args[1..])?)?.memory(),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        None => Bench::new(Opts::parse(args)?)?.all(),
        Some("all") => Bench::new(Opts::parse(&args[1..])?)?.all(),
        Some(a) if a.starts_with("--") => Bench::new(Opts::parse(args)?)?.all(),
        Some(stage) => Bench::new(Opts::parse(&args[1..])?)?.one_stage(stage),
    }
}

/// An analyzer as `slant analyzers --format json` lists it.
#[derive(Debug, Deserialize)]
struct AnalyzerInfo {
    name: String,
    requires: Vec<String>,
    provides: Vec<String>,
}

/// `slant analyze --timings=json`, as far as the bench reads it.
#[derive(Debug, Deserialize)]
struct Timings {
    text_bytes: u64,
    stages: Vec<StageTimes>,
    host: HostTimes,
}

#[derive(Debug, Deserialize)]
struct StageTimes {
    name: String,
    analyze_seconds: f64,
    store_seconds: f64,
}

#[derive(Debug, Deserialize)]
struct HostTimes {
    read_seconds: f64,
    serialize_seconds: f64,
    write_seconds: f64,
}

/// What the process was given to read.
enum Input<'a> {
    Files(&'a [PathBuf]),
    /// The corpus files streamed this many times through standard input.
    Stdin(usize),
}

/// One measured run of `slant analyze`, with what it read.
#[derive(Clone, Copy)]
struct Measured {
    cost: Cost,
    bytes: u64,
    docs: usize,
}

impl Measured {
    fn mbps(&self) -> f64 {
        mb(self.bytes) / self.cost.wall
    }
    /// Throughput per CPU second of the child: on a shared, loaded machine this is the figure
    /// that does not depend on what else runs.
    fn mbps_cpu(&self) -> f64 {
        mb(self.bytes) / self.cost.cpu.max(1e-9)
    }
    fn docs_per_s(&self) -> f64 {
        self.docs as f64 / self.cost.wall
    }
}

struct Bench {
    opts: Opts,
    slant: PathBuf,
    work: PathBuf,
    corpus: Corpus,
    analyzers: Vec<AnalyzerInfo>,
    info: RunInfo,
    rows: Vec<Row>,
}

impl Bench {
    fn new(opts: Opts) -> Result<Bench> {
        let mut info = RunInfo::now();
        let work = crate::util::target_dir().join("bench");
        let slant = if opts.at_head {
            info.commit = report::head();
            head_slant(&work)?
        } else {
            crate::util::release_slant()?
        };
        std::fs::create_dir_all(work.join("out"))?;
        let out = Command::new(&slant).args(["analyzers", "--format", "json"]).output()?;
        if !out.status.success() {
            bail!("slant analyzers failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let analyzers: Vec<AnalyzerInfo> =
            serde_json::from_slice(&out.stdout).context("parsing `slant analyzers --format json`")?;
        let corpus = corpus::prepare(&work, opts.quick.then_some(1000))?;
        eprintln!("bench: {}; {}; commit {}; load {}", corpus.description, info.machine, info.commit, info.load);
        Ok(Bench { opts, slant, work, corpus, analyzers, info, rows: Vec::new() })
    }

    fn row(&mut self, figure: impl Into<String>, value: impl Into<String>, command: impl Into<String>) {
        let (figure, value, command) = (figure.into(), value.into(), command.into());
        println!("  {figure}: {value}");
        self.rows.push(Row { figure, value, command });
    }

    /// The command line of `slant analyze`, and how it is shown in reports.
    fn analyze_cmd(
        &self,
        analyzers: Option<&[String]>,
        jobs: usize,
        input: &Input,
        text_field: &str,
    ) -> (Command, String) {
        let mut args: Vec<String> = vec!["analyze".into(), "--format".into(), "jsonl".into(), "--no-progress".into()];
        args.extend(["--jobs".into(), jobs.to_string(), "--text-field".into(), text_field.into()]);
        if let Some(a) = analyzers {
            args.extend(["--analyzers".into(), a.join(",")]);
        }
        let mut shown_args = args.clone();
        match input {
            Input::Files(files) => {
                args.extend(files.iter().map(|f| f.display().to_string()));
                shown_args.push(shown_files(files));
            }
            Input::Stdin(times) => {
                args.push("-".into());
                shown_args.push("-".into());
                shown_args.insert(0, format!("(cat {} ×{times}) | slant", shown_files(&self.corpus.files)));
            }
        }
        let mut c = Command::new(&self.slant);
        c.args(&args);
        let shown = match input {
            Input::Stdin(_) => shown_args.join(" "),
            Input::Files(_) => format!("slant {}", shown_args.join(" ")),
        };
        (c, shown)
    }

    /// Runs `slant analyze` over the corpus (best of the configured repetitions).
    fn analyze(
        &self,
        label: &str,
        analyzers: Option<&[String]>,
        jobs: usize,
        input: Input,
        keep_output: bool,
    ) -> Result<(Measured, String)> {
        let reps = match input {
            Input::Stdin(_) => 1,
            Input::Files(_) => self.opts.reps,
        };
        let (_, shown) = self.analyze_cmd(analyzers, jobs, &input, TEXT_FIELD);
        eprintln!("bench: {label}: {shown}");
        let cost = best_of(reps, 20.0, || self.run_once(label, analyzers, jobs, &input))?;
        let m = self.measured(label, analyzers, jobs, &input, keep_output, cost)?;
        Ok((m, shown))
    }

    /// The full pipeline at `--jobs 1` and at `--jobs 2`, their runs alternating (one of each
    /// per repetition, the fastest of each kept, with no time budget cutting the slower side
    /// short), so that a change of load on the shared machine weighs on both sides of the
    /// speed-up alike instead of on whichever ran during it.
    fn analyze_jobs_pair(&self, files: &[PathBuf]) -> Result<[(Measured, String); 2]> {
        let input = Input::Files(files);
        let sides = [("full-j1", 1), ("full-j2", 2)];
        let mut best: [Option<Cost>; 2] = [None, None];
        let shown = sides.map(|(_, jobs)| self.analyze_cmd(None, jobs, &input, TEXT_FIELD).1);
        for ((label, _), shown) in sides.iter().zip(&shown) {
            eprintln!("bench: {label}: {shown}");
        }
        for _ in 0..self.opts.reps.max(1) {
            for (slot, (label, jobs)) in best.iter_mut().zip(sides) {
                let c = self.run_once(label, None, jobs, &input)?;
                *slot = Some(match slot.take() {
                    None => c,
                    Some(b) => proc::faster(b, c),
                });
            }
        }
        let mut out = Vec::new();
        for ((slot, (label, jobs)), shown) in best.into_iter().zip(sides).zip(shown) {
            let cost = slot.context("no run")?;
            out.push((self.measured(label, None, jobs, &input, true, cost)?, shown));
        }
        let [j1, j2]: [(Measured, String); 2] = out.try_into().map_err(|_| anyhow::anyhow!("two sides"))?;
        Ok([j1, j2])
    }

    /// One timed run, its output discarded.
    fn run_once(&self, label: &str, analyzers: Option<&[String]>, jobs: usize, input: &Input) -> Result<Cost> {
        let log = self.work.join("out").join(format!("{label}.stderr"));
        let (mut cmd, _) = self.analyze_cmd(analyzers, jobs, input, TEXT_FIELD);
        let feed: Option<proc::Feed> = match *input {
            Input::Stdin(t) => {
                let files = self.corpus.files.clone();
                Some(Box::new(move |w| corpus::stream_files(&files, t, w)))
            }
            Input::Files(_) => None,
        };
        // Timed runs discard their output: written to a file, 800 MB of JSON leave the
        // kernel's writeback to run on the same two cores, which taxes a run that keeps
        // both busy (`--jobs 2`) more than one that leaves a core idle, and so understated
        // the speed-up (1.65× written to disk vs 1.85× discarded, same binary).
        measure(&mut cmd, None, &log, feed, 1)
    }

    /// The figures of the fastest run, after one more, untimed run that writes the output
    /// the comparisons read (when `keep_output`).
    fn measured(
        &self,
        label: &str,
        analyzers: Option<&[String]>,
        jobs: usize,
        input: &Input,
        keep_output: bool,
        cost: Cost,
    ) -> Result<Measured> {
        let out = self.work.join("out").join(format!("{label}.jsonl"));
        let log = self.work.join("out").join(format!("{label}.stderr"));
        let times = match *input {
            Input::Stdin(t) => t,
            Input::Files(_) => 1,
        };
        if keep_output && matches!(input, Input::Files(_)) {
            let (mut cmd, _) = self.analyze_cmd(analyzers, jobs, input, TEXT_FIELD);
            measure(&mut cmd, Some(out.as_path()), &log, None, 1)?;
        }
        if cost.code != 0 {
            eprintln!("bench: {label}: slant exited with 1 (some documents failed; see {})", log.display());
        }
        let m = Measured { cost, bytes: self.corpus.text_bytes * times as u64, docs: self.corpus.docs * times };
        eprintln!(
            "bench: {label}: {:.2} s wall, {:.2} s CPU, {:.2} MB/s, {:.0} docs/s, peak RSS {:.0} MB",
            m.cost.wall,
            m.cost.cpu,
            m.mbps(),
            m.docs_per_s(),
            m.cost.peak_rss as f64 / 1e6
        );
        Ok(m)
    }

    fn figures(&mut self, what: &str, m: &Measured, shown: &str) {
        self.row(format!("{what}: MB/s"), format!("{:.2}", m.mbps()), shown);
        self.row(format!("{what}: MB per CPU second"), format!("{:.2}", m.mbps_cpu()), shown);
        self.row(format!("{what}: documents/s"), format!("{:.0}", m.docs_per_s()), shown);
        self.row(
            format!("{what}: wall / CPU seconds"),
            format!("{:.2} / {:.2} ({})", m.cost.wall, m.cost.cpu, self.corpus.description),
            shown,
        );
        self.row(format!("{what}: peak RSS"), format!("{:.0} MB", m.cost.peak_rss as f64 / 1e6), shown);
    }

    /// The analyzers `--analyzers name` runs: `name` and the providers of what it requires,
    /// chosen as the host's planner does when each layer has one provider.
    fn closure(&self, name: &str) -> Result<BTreeSet<String>> {
        let mut providers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for a in &self.analyzers {
            for l in &a.provides {
                providers.entry(l.as_str()).or_default().push(a.name.as_str());
            }
        }
        let mut selected = BTreeSet::from([name.to_string()]);
        let mut queue = vec![name.to_string()];
        while let Some(n) = queue.pop() {
            let a = self.analyzers.iter().find(|a| a.name == n).with_context(|| format!("unknown analyzer `{n}`"))?;
            for layer in &a.requires {
                if let Some(p) = providers.get(layer.as_str()).and_then(|ps| ps.first()) {
                    if selected.insert(p.to_string()) {
                        queue.push(p.to_string());
                    }
                }
            }
        }
        Ok(selected)
    }

    fn floor(&mut self) -> Result<Measured> {
        let log = self.work.join("out/wc.stderr");
        let plain = self.corpus.plain.clone();
        eprintln!("bench: floor: wc -w {}", plain.display());
        let cost = best_of(self.opts.reps, 20.0, || {
            let mut c = Command::new("wc");
            c.arg("-w").arg(&plain).env("LC_ALL", "C.UTF-8");
            measure(&mut c, None, &log, None, 0)
        })?;
        let m = Measured { cost, bytes: self.corpus.text_bytes, docs: self.corpus.docs };
        let shown = format!("LC_ALL=C.UTF-8 wc -w {} (the article texts, one after another)", shown(&plain));
        self.row("floor, wc -w: MB/s", format!("{:.1}", m.mbps()), &shown);
        Ok(m)
    }

    /// Each analyzer alone: its raw time with its requirements, and the time its requirements
    /// alone take subtracted from it.
    fn stages(&mut self, only: Option<&str>, floor: Option<&Measured>) -> Result<()> {
        let names: Vec<String> = match only {
            Some(n) => vec![n.to_string()],
            None => self.analyzers.iter().map(|a| a.name.clone()).collect(),
        };
        let mut cache: BTreeMap<Vec<String>, (Measured, String)> = BTreeMap::new();
        for name in names {
            let closure = self.closure(&name)?;
            let reqs: Vec<String> = closure.iter().filter(|n| **n != name).cloned().collect();
            let with: Vec<String> = closure.iter().cloned().collect();
            let (raw, shown) = match cache.get(&with) {
                Some(c) => c.clone(),
                None => {
                    let label = format!("stage-{}", with.join("+"));
                    let r = self.analyze(
                        &label,
                        Some(std::slice::from_ref(&name)),
                        1,
                        Input::Files(&self.corpus.files),
                        false,
                    )?;
                    cache.insert(with.clone(), r.clone());
                    r
                }
            };
            self.row(
                format!("{name} alone (with {}), --jobs 1: MB/s", with.join("+")),
                format!(
                    "{:.2} ({:.2} s; {:.0} docs/s; peak RSS {:.0} MB)",
                    raw.mbps(),
                    raw.cost.wall,
                    raw.docs_per_s(),
                    raw.cost.peak_rss as f64 / 1e6
                ),
                &shown,
            );
            let marginal = if reqs.is_empty() {
                raw.cost.wall
            } else {
                let (base, base_shown) = match cache.get(&reqs) {
                    Some(c) => c.clone(),
                    None => {
                        let label = format!("stage-{}", reqs.join("+"));
                        let r = self.analyze(&label, Some(&reqs), 1, Input::Files(&self.corpus.files), false)?;
                        cache.insert(reqs.clone(), r.clone());
                        r
                    }
                };
                let d = raw.cost.wall - base.cost.wall;
                self.row(
                    format!("{name} minus its requirements ({}), --jobs 1", reqs.join("+")),
                    if d > 0.0 {
                        format!("{d:.2} s → {:.2} MB/s", mb(raw.bytes) / d)
                    } else {
                        format!("{d:.2} s (within noise of the requirements' time)")
                    },
                    format!("{shown}  minus  {base_shown}"),
                );
                d
            };
            if let Some(f) = floor {
                if marginal > 0.0 {
                    self.row(
                        format!("{name}: own time vs the wc -w floor"),
                        format!("{:.0}× the floor's time", marginal / f.cost.wall),
                        "see the rows above",
                    );
                }
            }
        }
        Ok(())
    }

    /// One `--jobs 1` run of the full pipeline with `--timings=json`: each stage's own time
    /// measured inside the process (its `analyze` calls, and the host storing its output),
    /// and the host's reading, serializing and writing. Unlike the subtraction of two runs,
    /// this separates an analyzer's work from the host's work on what it found.
    fn in_process(&mut self, floor: Option<&Measured>) -> Result<()> {
        let files = self.corpus.files.clone();
        let (mut cmd, shown) = self.analyze_cmd(None, 1, &Input::Files(&files), TEXT_FIELD);
        cmd.arg("--timings=json");
        let shown = format!("{shown} --timings=json");
        let log = self.work.join("out/timings.stderr");
        eprintln!("bench: in-process timings: {shown}");
        let cost = measure(&mut cmd, None, &log, None, 1)?;
        let stderr = std::fs::read_to_string(&log).with_context(|| format!("reading {}", log.display()))?;
        let line = stderr.lines().rev().find(|l| l.starts_with('{')).context("no --timings=json line on stderr")?;
        let t: Timings = serde_json::from_str(line).context("parsing --timings=json")?;
        let mbps = |secs: f64| mb(t.text_bytes) / secs.max(1e-9);
        let total: f64 = t.stages.iter().map(|s| s.analyze_seconds + s.store_seconds).sum::<f64>()
            + t.host.read_seconds
            + t.host.serialize_seconds
            + t.host.write_seconds;
        for s in &t.stages {
            let vs_floor = floor
                .map_or(String::new(), |f| format!("; {:.1}× the wc -w floor's time", s.analyze_seconds / f.cost.wall));
            self.row(
                format!("{}: own time in the full pipeline (in-process), --jobs 1", s.name),
                format!(
                    "analyze {:.2} s ({:.1} MB/s, {:.0}% of the run) + storing its output {:.2} s{vs_floor}",
                    s.analyze_seconds,
                    mbps(s.analyze_seconds),
                    100.0 * s.analyze_seconds / total,
                    s.store_seconds
                ),
                &shown,
            );
        }
        let h = &t.host;
        self.row(
            "host's own time in the full pipeline (in-process), --jobs 1",
            format!(
                "read {:.2} s, serialize {:.2} s, write {:.2} s ({:.0}% of the run; {:.2} s wall in all, {:.2} s CPU)",
                h.read_seconds,
                h.serialize_seconds,
                h.write_seconds,
                100.0 * (h.read_seconds + h.serialize_seconds + h.write_seconds) / total,
                cost.wall,
                cost.cpu
            ),
            &shown,
        );
        let stage = |name: &str| t.stages.iter().find(|s| s.name == name).map(|s| s.analyze_seconds);
        if let (Some(structure), Some(actors)) = (stage("structure"), stage("actors")) {
            self.row(
                "actors' analyze time over structure's (in-process; issue 4 asks < 20%)",
                format!("+{:.0}% ({actors:.2} s over {structure:.2} s)", 100.0 * actors / structure.max(1e-9)),
                &shown,
            );
        }
        Ok(())
    }

    /// Time per document of size 4N over size N, equal total text: 4.0 is linear, 16 quadratic.
    fn linearity(&mut self, only: Option<&str>) -> Result<()> {
        let (size, count) = if self.opts.quick { (32 << 10, 16) } else { (32 << 10, 64) };
        let (small, large) = corpus::linearity_inputs(&self.corpus, &self.work, size, count)?;
        let tiny = self.work.join("linear-tiny.jsonl");
        std::fs::write(&tiny, "{\"id\":\"tiny\",\"text\":\"One short sentence.\"}\n")?;
        let mut sets: Vec<(String, Option<Vec<String>>)> = Vec::new();
        match only {
            Some(n) => sets.push((n.to_string(), Some(vec![n.to_string()]))),
            None => {
                sets.push(("full pipeline".into(), None));
                for a in &self.analyzers {
                    sets.push((a.name.clone(), Some(vec![a.name.clone()])));
                }
            }
        }
        for (what, analyzers) in sets {
            let run = |path: &Path, label: &str| -> Result<(Cost, String)> {
                let (_, shown) =
                    self.analyze_cmd(analyzers.as_deref(), 1, &Input::Files(&[path.to_path_buf()]), "text");
                let log = self.work.join("out").join(format!("{label}.stderr"));
                let cost = best_of(self.opts.reps, 20.0, || {
                    let (mut cmd, _) =
                        self.analyze_cmd(analyzers.as_deref(), 1, &Input::Files(&[path.to_path_buf()]), "text");
                    measure(&mut cmd, None, &log, None, 1)
                })?;
                Ok((cost, shown))
            };
            let (start, _) = run(&tiny, "linear-tiny")?;
            let (s, s_shown) = run(&small, "linear-small")?;
            let (l, l_shown) = run(&large, "linear-large")?;
            // Start-up (building analyzers, loading lexicons) is paid once per process; it is
            // not a per-document cost.
            let (ts, tl) = ((s.wall - start.wall).max(1e-3), (l.wall - start.wall).max(1e-3));
            let ratio = 4.0 * tl / ts;
            self.row(
                format!("{what}: time per document of {}k over {}k bytes", 4 * size / 1024, size / 1024),
                format!(
                    "{ratio:.2} (linear 4, quadratic 16; {count}×{}k in {ts:.2} s, {}×{}k in {tl:.2} s, start-up {:.2} s subtracted)",
                    size / 1024,
                    count / 4,
                    4 * size / 1024,
                    start.wall
                ),
                format!("{s_shown}  vs  {l_shown}"),
            );
        }
        Ok(())
    }

    /// VADER-Python's MB/s by wall time and by CPU time, and its command.
    fn vader(&mut self) -> Result<Option<((f64, f64), String)>> {
        let py = vader::python()?;
        let script = vader::script(&self.work)?;
        let out = self.work.join("out/vader.json");
        let log = self.work.join("out/vader.stderr");
        let mut cmd = vader::command(&py, &script, self.opts.vader_seconds, TEXT_FIELD, &self.corpus.files);
        eprintln!("bench: VADER-Python {}: {cmd:?}", vader::VADER_VERSION);
        let cost = measure(&mut cmd, Some(&out), &log, None, 0)?;
        let v = vader::parse(&out)?;
        let mbps = mb(v.bytes) / v.seconds;
        let shown = format!(
            "{} {} {} {TEXT_FIELD} {}",
            shown(&py),
            shown(&script),
            self.opts.vader_seconds,
            shown_files(&self.corpus.files)
        );
        let scope = if v.complete {
            format!("all {} documents", v.docs)
        } else {
            format!(
                "first {} of {} documents ({:.1} of {:.1} MB; stopped by the {} s budget)",
                v.docs,
                self.corpus.docs,
                mb(v.bytes),
                mb(self.corpus.text_bytes),
                self.opts.vader_seconds
            )
        };
        self.row(
            format!("VADER-Python {} paragraph by paragraph, 1 process: MB/s", vader::VADER_VERSION),
            format!(
                "{mbps:.3} ({:.3} per CPU second; {} paragraphs of {scope} in {:.1} s of polarity_scores; process {:.1} s wall, peak RSS {:.0} MB, lexicon load {:.2} s not counted)",
                if v.cpu_seconds > 0.0 { mb(v.bytes) / v.cpu_seconds } else { mbps },
                v.paragraphs,
                v.seconds,
                cost.wall,
                cost.peak_rss as f64 / 1e6,
                v.load_seconds
            ),
            &shown,
        );
        let mbps_cpu = if v.cpu_seconds > 0.0 { mb(v.bytes) / v.cpu_seconds } else { mbps };
        Ok(Some(((mbps, mbps_cpu), shown)))
    }

    fn all(mut self) -> Result<()> {
        println!("slant benchmark: {}", self.corpus.description);
        let floor = self.floor()?;
        let files = self.corpus.files.clone();
        let [(j1, j1_shown), (j2, j2_shown)] = self.analyze_jobs_pair(&files)?;
        self.figures("full pipeline, --jobs 1", &j1, &j1_shown);
        self.figures("full pipeline, --jobs 2", &j2, &j2_shown);
        let speedup = j1.cost.wall / j2.cost.wall;
        self.row(
            "full pipeline: --jobs 2 speed-up over --jobs 1",
            format!("{speedup:.2}× (target ≥ {TARGET_SPEEDUP_2}×)"),
            format!("{j1_shown}  vs  {j2_shown}"),
        );
        let (a, b) = (self.work.join("out/full-j1.jsonl"), self.work.join("out/full-j2.jsonl"));
        let same = corpus::same_bytes(&a, &b)?;
        let size = std::fs::metadata(&a).map(|m| m.len()).unwrap_or(0);
        self.row(
            "full pipeline: --jobs 1 and --jobs 2 outputs byte-identical",
            format!("{} ({:.1} MB of JSONL each)", if same { "yes" } else { "NO" }, mb(size)),
            format!("cmp of the outputs of {j1_shown}  and  {j2_shown}"),
        );
        let _ = (std::fs::remove_file(&a), std::fs::remove_file(&b));
        self.row(
            "full pipeline, --jobs 1: time vs the wc -w floor",
            format!("{:.0}× the floor's time", j1.cost.wall / floor.cost.wall),
            "see the rows above",
        );

        if self.opts.stages {
            self.stages(None, Some(&floor))?;
            self.in_process(Some(&floor))?;
        }
        if self.opts.vader {
            if let Some((vmbps, vshown)) = self.vader()? {
                let ratio = j1.mbps() / vmbps.0;
                self.row(
                    "full pipeline --jobs 1 vs VADER-Python (1 core each): throughput ratio",
                    format!(
                        "{ratio:.1}× by wall time, {:.1}× by CPU time (target ≥ {TARGET_VS_VADER}×)",
                        j1.mbps_cpu() / vmbps.1
                    ),
                    format!("{j1_shown}  vs  {vshown}"),
                );
            }
        }
        if self.opts.stream {
            let times = self.opts.stream_times;
            let (once, once_shown) = self.analyze("stdin-x1", None, 2, Input::Stdin(1), false)?;
            let (many, many_shown) = self.analyze(&format!("stdin-x{times}"), None, 2, Input::Stdin(times), false)?;
            self.row(
                "full pipeline --jobs 2 from stdin: peak RSS, corpus once",
                format!("{:.0} MB ({:.2} MB/s)", once.cost.peak_rss as f64 / 1e6, once.mbps()),
                &once_shown,
            );
            self.row(
                format!("full pipeline --jobs 2 from stdin: peak RSS, corpus {times} times"),
                format!(
                    "{:.0} MB ({:.2} MB/s; {:.2}× the single pass's peak; target < {} MB and flat)",
                    many.cost.peak_rss as f64 / 1e6,
                    many.mbps(),
                    many.cost.peak_rss as f64 / once.cost.peak_rss.max(1) as f64,
                    TARGET_RSS >> 20
                ),
                &many_shown,
            );
        }
        if self.opts.linear {
            self.linearity(None)?;
        }
        self.finish("cargo xtask bench")
    }

    /// Peak RSS over streams of growing length. `bench all` compares one pass with ten; this
    /// shows the whole curve, so that a peak that grows over the first passes and then levels
    /// off (the allocator's pages settling) is told apart from one that keeps growing with the
    /// input.
    fn memory(mut self) -> Result<()> {
        println!("slant memory benchmark: {}", self.corpus.description);
        let passes = self.opts.passes.clone();
        let mut peaks: Vec<(usize, u64)> = Vec::new();
        for &times in &passes {
            let (m, shown) = self.analyze(&format!("stdin-x{times}"), None, 2, Input::Stdin(times), false)?;
            let growth = peaks.first().map(|&(_, first)| m.cost.peak_rss as f64 / first.max(1) as f64);
            self.row(
                format!("full pipeline --jobs 2 from stdin: peak RSS, corpus {times} times"),
                match growth {
                    None => format!("{:.0} MB ({:.2} MB/s)", m.cost.peak_rss as f64 / 1e6, m.mbps()),
                    Some(g) => format!(
                        "{:.0} MB ({:.2} MB/s; {g:.2}× the first stream's peak; target < {} MB and flat)",
                        m.cost.peak_rss as f64 / 1e6,
                        m.mbps(),
                        TARGET_RSS >> 20
                    ),
                },
                shown,
            );
            peaks.push((times, m.cost.peak_rss));
        }
        // The last doubling of the stream is what says whether the peak still grows.
        if let [.., (a, pa), (b, pb)] = peaks[..] {
            self.row(
                format!("full pipeline --jobs 2 from stdin: peak RSS at {b} passes over {a} passes"),
                format!("{:.2}× ({:.0} MB → {:.0} MB)", pb as f64 / pa.max(1) as f64, pa as f64 / 1e6, pb as f64 / 1e6),
                "see the rows above",
            );
        }
        self.finish("cargo xtask bench memory")
    }

    fn one_stage(mut self, stage: &str) -> Result<()> {
        if !self.analyzers.iter().any(|a| a.name == stage) {
            let names: Vec<&str> = self.analyzers.iter().map(|a| a.name.as_str()).collect();
            bail!("unknown stage `{stage}` (analyzers: {})\n\n{USAGE}", names.join(", "));
        }
        println!("slant benchmark of `{stage}`: {}", self.corpus.description);
        let floor = self.floor()?;
        self.stages(Some(stage), Some(&floor))?;
        self.in_process(Some(&floor))?;
        if self.opts.linear {
            self.linearity(Some(stage))?;
        }
        self.finish(&format!("cargo xtask bench {stage}"))
    }

    fn finish(self, title: &str) -> Result<()> {
        if self.opts.write {
            report::append(&self.info, title, &self.rows)?;
        } else {
            eprintln!("bench: rows not written to BENCHMARKS.md (--quick or --no-write)");
        }
        Ok(())
    }
}

/// Exports the committed HEAD with `git archive` (touching neither the index nor the working
/// tree, which other people are editing) and builds its release `slant` in a target directory
/// of its own.
fn head_slant(work: &Path) -> Result<PathBuf> {
    let src = work.join("head-src");
    let _ = std::fs::remove_dir_all(&src);
    std::fs::create_dir_all(&src)?;
    let archive = Command::new("git")
        .args(["archive", "--format=tar", "HEAD"])
        .current_dir(crate::util::root())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("cannot run git archive")?;
    let stdout = archive.stdout.context("git archive has no stdout")?;
    crate::util::run(Command::new("tar").arg("-x").arg("-C").arg(&src).stdin(stdout))?;
    let target = work.join("head-target");
    crate::util::run(crate::util::cargo().current_dir(&src).env("CARGO_TARGET_DIR", &target).args([
        "build",
        "--release",
        "--quiet",
        "-p",
        "slant-cli",
        "--bin",
        "slant",
    ]))?;
    Ok(target.join("release/slant"))
}

/// The corpus files as a shell glob when they are the whole corpus.
fn shown_files(files: &[PathBuf]) -> String {
    match files {
        [one] => shown(one),
        _ if files.iter().all(|f| f.parent().and_then(|p| p.file_name()).is_some_and(|n| n == "corpus")) => {
            let dir = files[0].parent().map(shown).unwrap_or_default();
            format!("{dir}/*.jsonl")
        }
        _ => files.iter().map(|f| shown(f)).collect::<Vec<_>>().join(" "),
    }
}
