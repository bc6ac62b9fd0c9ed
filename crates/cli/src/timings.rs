//! `slant analyze --timings`: where a run's time went, per analyzer and for the host's own
//! work (reading, serializing, writing), printed on stderr when the run ends.
//!
//! Users who add analyzers, or who size a job over millions of articles, ask which stage costs
//! what; timing the whole process per `--analyzers` selection answers that only by
//! subtraction, and mixes an analyzer's work with the host's work of storing and writing what
//! it found. The pipeline times each stage's `analyze` call and the storing of its output
//! separately ([`slant_core::StageTiming`]); this module adds the host's three steps and
//! formats the table.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use slant_core::{Document, StageTiming};

use crate::args::TimingsFormat;

/// The host's own time, summed over threads: serializing runs on the workers.
#[derive(Default)]
pub struct HostClock {
    read: AtomicU64,
    serialize: AtomicU64,
    write: AtomicU64,
    text_bytes: AtomicU64,
    documents: AtomicU64,
}

/// The host steps [`HostClock`] tracks.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// Reading input and decoding it into documents (JSON parsing included).
    Read,
    /// Turning analyzed documents into output records.
    Serialize,
    /// Handing records to the output (formatting for `pretty`/`html`, and system calls).
    Write,
}

impl HostClock {
    /// Adds the time since `started` to `step`.
    pub fn add(&self, step: Step, started: Instant) {
        self.counter(step).fetch_add(nanos(started.elapsed()), Ordering::Relaxed);
    }

    /// Counts one input item, and its text's bytes when it is a document (`None`: an item
    /// that failed to read).
    pub fn count(&self, doc: Option<&Document>) {
        self.documents.fetch_add(1, Ordering::Relaxed);
        if let Some(d) = doc {
            self.text_bytes.fetch_add(d.text().len() as u64, Ordering::Relaxed);
        }
    }

    fn seconds(&self, step: Step) -> f64 {
        self.counter(step).load(Ordering::Relaxed) as f64 / 1e9
    }

    fn counter(&self, step: Step) -> &AtomicU64 {
        match step {
            Step::Read => &self.read,
            Step::Serialize => &self.serialize,
            Step::Write => &self.write,
        }
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Megabytes of text per second of `seconds`, or `None` when the time is too small to say.
fn mbps(bytes: u64, seconds: f64) -> Option<f64> {
    (seconds > 1e-6).then(|| bytes as f64 / 1e6 / seconds)
}

/// Writes the timings table (or one JSON object) to `out`.
pub fn print(
    out: &mut dyn Write,
    format: TimingsFormat,
    stages: &[StageTiming],
    host: &HostClock,
    wall: f64,
) -> std::io::Result<()> {
    let bytes = host.text_bytes.load(Ordering::Relaxed);
    let documents = host.documents.load(Ordering::Relaxed);
    let steps = [("read", Step::Read), ("serialize", Step::Serialize), ("write", Step::Write)];
    match format {
        TimingsFormat::Json => {
            let stages: Vec<_> = stages
                .iter()
                .map(|s| {
                    json!({"name": s.name, "analyze_seconds": s.analyze_seconds,
                           "store_seconds": s.store_seconds, "calls": s.calls})
                })
                .collect();
            let mut host_json = serde_json::Map::new();
            for (name, step) in steps {
                host_json.insert(format!("{name}_seconds"), json!(host.seconds(step)));
            }
            let record = json!({"documents": documents, "text_bytes": bytes, "wall_seconds": wall,
                                "stages": stages, "host": host_json});
            writeln!(out, "{record}")
        }
        TimingsFormat::Text => {
            let total: f64 = stages.iter().map(|s| s.analyze_seconds + s.store_seconds).sum::<f64>()
                + steps.iter().map(|(_, s)| host.seconds(*s)).sum::<f64>();
            let share = |s: f64| if total > 0.0 { 100.0 * s / total } else { 0.0 };
            let rate = |s: f64| mbps(bytes, s).map_or_else(|| "-".to_string(), |r| format!("{r:.1}"));
            writeln!(
                out,
                "slant: timings over {documents} document{}, {:.1} MB of text, {wall:.2} s wall \
                 (seconds summed over threads)",
                if documents == 1 { "" } else { "s" },
                bytes as f64 / 1e6
            )?;
            writeln!(out, "  {:<22} {:>9} {:>6} {:>9}", "step", "seconds", "share", "MB/s")?;
            let mut row = |label: &str, secs: f64| {
                writeln!(out, "  {label:<22} {secs:>9.3} {:>5.1}% {:>9}", share(secs), rate(secs))
            };
            for s in stages {
                row(&format!("{} (analyze)", s.name), s.analyze_seconds)?;
                row(&format!("{} (store)", s.name), s.store_seconds)?;
            }
            for (name, step) in steps {
                row(&format!("host {name}"), host.seconds(step))?;
            }
            row("total", total)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(name: &str, analyze: f64, store: f64) -> StageTiming {
        StageTiming { name: name.into(), analyze_seconds: analyze, store_seconds: store, calls: 2 }
    }

    #[test]
    fn the_text_table_lists_every_stage_and_host_step_with_shares_that_add_up() {
        let host = HostClock::default();
        host.text_bytes.store(2_000_000, Ordering::Relaxed);
        host.documents.store(2, Ordering::Relaxed);
        host.read.store(500_000_000, Ordering::Relaxed);
        let mut out = Vec::new();
        let stages = [stage("structure", 1.0, 0.25), stage("actors", 0.25, 0.0)];
        print(&mut out, TimingsFormat::Text, &stages, &host, 3.0).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("slant: timings over 2 documents, 2.0 MB of text, 3.00 s wall"), "{text}");
        // 1 + 0.25 + 0.25 + 0.5 = 2 s in all: structure's analyze is half, at 2 MB/s.
        assert!(text.contains("structure (analyze)        1.000  50.0%       2.0"), "{text}");
        assert!(text.contains("actors (store)             0.000   0.0%         -"), "{text}");
        assert!(text.contains("host read                  0.500  25.0%       4.0"), "{text}");
        assert!(text.contains("total                      2.000 100.0%       1.0"), "{text}");
    }

    #[test]
    fn the_json_form_is_one_object_with_the_same_figures() {
        let host = HostClock::default();
        host.serialize.store(250_000_000, Ordering::Relaxed);
        let mut out = Vec::new();
        print(&mut out, TimingsFormat::Json, &[stage("sentiment", 0.5, 0.125)], &host, 1.0).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["stages"][0]["name"], "sentiment");
        assert_eq!(v["stages"][0]["analyze_seconds"], 0.5);
        assert_eq!(v["stages"][0]["store_seconds"], 0.125);
        assert_eq!(v["stages"][0]["calls"], 2);
        assert_eq!(v["host"]["serialize_seconds"], 0.25);
        assert_eq!(v["wall_seconds"], 1.0);
    }
}
