//! Builds an ordered pipeline from the analyzers asked for and runs it on one document,
//! containing panics so that one analyzer failing on one document never ends the run.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::analyzer::{Analyzer, Diagnostic, Level};
use crate::document::Document;
use crate::layers::INPUT_LAYERS;

/// Why a pipeline could not be built. Every variant names the analyzers and layers involved.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlanError {
    #[error("unknown analyzer `{name}` (available: {})", available.join(", "))]
    UnknownAnalyzer { name: String, available: Vec<String> },
    #[error("two analyzers are named `{name}` ({first} and {second})")]
    DuplicateName { name: String, first: String, second: String },
    #[error("analyzer `{analyzer}` requires layer `{layer}`, which no analyzer provides")]
    MissingProvider { analyzer: String, layer: String },
    #[error("layer `{layer}` is provided by both `{first}` and `{second}`; pick one with --analyzers")]
    AmbiguousProvider { layer: String, first: String, second: String },
    #[error("analyzers require each other in a cycle: {}", cycle.join(" -> "))]
    Cycle { cycle: Vec<String> },
}

/// An ordered list of analyzers: every analyzer comes after the providers of what it requires.
#[derive(Clone)]
pub struct Pipeline {
    stages: Vec<Arc<dyn Analyzer>>,
    /// Time spent in each stage when timing is on ([`Pipeline::timed`]); shared by the clones
    /// a worker pool uses, so the totals cover every thread.
    clock: Option<Arc<StageClock>>,
}

/// Nanoseconds and calls per stage, summed over documents and threads. Relaxed atomic adds
/// (two per stage and document) cost nothing next to an analyzer's work.
struct StageClock {
    analyze: Vec<AtomicU64>,
    store: Vec<AtomicU64>,
    calls: Vec<AtomicU64>,
}

/// Where one stage's time went, summed over every document it ran on ([`Pipeline::timings`]).
/// Times are wall time of each call on its own thread: with no more threads than cores, that
/// is the CPU time of the call.
#[derive(Debug, Clone, PartialEq)]
pub struct StageTiming {
    pub name: String,
    /// Seconds inside the analyzer's `analyze`.
    pub analyze_seconds: f64,
    /// Seconds the host spent storing the stage's output in the document (checking spans,
    /// merging annotations into their layers, setting summaries).
    pub store_seconds: f64,
    /// Documents the stage ran on (panicking runs included; skipped ones are not runs).
    pub calls: u64,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl Pipeline {
    /// Plans a pipeline from `available` analyzers. `wanted` names the analyzers to run
    /// (`None`: all of them); the providers of their requirements are added automatically.
    pub fn plan(available: Vec<Arc<dyn Analyzer>>, wanted: Option<&[String]>) -> Result<Pipeline, PlanError> {
        let mut by_name: BTreeMap<String, Arc<dyn Analyzer>> = BTreeMap::new();
        for a in available {
            let name = a.name().to_string();
            if let Some(prev) = by_name.get(&name) {
                return Err(PlanError::DuplicateName { name, first: prev.origin(), second: a.origin() });
            }
            by_name.insert(name, a);
        }
        let names: Vec<String> = match wanted {
            Some(w) => w.to_vec(),
            None => by_name.keys().cloned().collect(),
        };
        for n in &names {
            if !by_name.contains_key(n) {
                return Err(PlanError::UnknownAnalyzer {
                    name: n.clone(),
                    available: by_name.keys().cloned().collect(),
                });
            }
        }

        // Providers of each layer, over all available analyzers.
        let mut providers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, a) in &by_name {
            for layer in a.provides() {
                providers.entry(layer.to_string()).or_default().push(name.clone());
            }
        }

        // Close the selection under "requires": a required layer is served by a selected
        // provider if there is one, else by its only provider.
        let mut selected: BTreeSet<String> = names.iter().cloned().collect();
        let mut queue: Vec<String> = names.clone();
        while let Some(name) = queue.pop() {
            let a = &by_name[&name];
            for layer in a.requires() {
                if INPUT_LAYERS.contains(&layer) {
                    continue;
                }
                let candidates = providers.get(layer).cloned().unwrap_or_default();
                if candidates.is_empty() {
                    return Err(PlanError::MissingProvider { analyzer: name.clone(), layer: layer.to_string() });
                }
                let chosen: Vec<&String> = candidates.iter().filter(|c| selected.contains(*c)).collect();
                if chosen.is_empty() {
                    if candidates.len() > 1 {
                        return Err(PlanError::AmbiguousProvider {
                            layer: layer.to_string(),
                            first: candidates[0].clone(),
                            second: candidates[1].clone(),
                        });
                    }
                    selected.insert(candidates[0].clone());
                    queue.push(candidates[0].clone());
                }
            }
        }
        for (layer, ps) in &providers {
            let sel: Vec<&String> = ps.iter().filter(|p| selected.contains(*p)).collect();
            if sel.len() > 1 {
                return Err(PlanError::AmbiguousProvider {
                    layer: layer.clone(),
                    first: sel[0].clone(),
                    second: sel[1].clone(),
                });
            }
        }

        // Topological order (Kahn), ties broken by name so the order is stable.
        let provider_of = |layer: &str| -> Option<String> {
            providers.get(layer).and_then(|ps| ps.iter().find(|p| selected.contains(*p)).cloned())
        };
        let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for name in &selected {
            let mut d = BTreeSet::new();
            for layer in by_name[name].requires() {
                if let Some(p) = provider_of(layer) {
                    if &p != name {
                        d.insert(p);
                    }
                }
            }
            deps.insert(name.clone(), d);
        }
        let mut order = Vec::new();
        let mut done: BTreeSet<String> = BTreeSet::new();
        while done.len() < selected.len() {
            let ready = selected.iter().find(|n| !done.contains(*n) && deps[*n].iter().all(|d| done.contains(d)));
            match ready {
                Some(n) => {
                    done.insert(n.clone());
                    order.push(by_name[n].clone());
                }
                None => {
                    let cycle = find_cycle(&deps, &done);
                    return Err(PlanError::Cycle { cycle });
                }
            }
        }
        Ok(Pipeline { stages: order, clock: None })
    }

    /// The same pipeline, timing each stage from now on: see [`Pipeline::timings`].
    pub fn timed(mut self) -> Pipeline {
        let zeros = || self.stages.iter().map(|_| AtomicU64::new(0)).collect::<Vec<_>>();
        self.clock = Some(Arc::new(StageClock { analyze: zeros(), store: zeros(), calls: zeros() }));
        self
    }

    /// Time spent per stage so far, in pipeline order; empty unless the pipeline is
    /// [`timed`](Pipeline::timed).
    pub fn timings(&self) -> Vec<StageTiming> {
        let Some(clock) = &self.clock else { return Vec::new() };
        let secs = |v: &AtomicU64| v.load(Ordering::Relaxed) as f64 / 1e9;
        self.stages
            .iter()
            .enumerate()
            .map(|(i, s)| StageTiming {
                name: s.name().to_string(),
                analyze_seconds: secs(&clock.analyze[i]),
                store_seconds: secs(&clock.store[i]),
                calls: clock.calls[i].load(Ordering::Relaxed),
            })
            .collect()
    }

    pub fn names(&self) -> Vec<&str> {
        self.stages.iter().map(|a| a.name()).collect()
    }

    pub fn stages(&self) -> &[Arc<dyn Analyzer>] {
        &self.stages
    }

    /// Runs every stage on `doc`. A stage that panics gets an error diagnostic and its
    /// partial work is dropped; stages needing its layers are skipped with a diagnostic.
    pub fn run(&self, doc: &mut Document) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let mut failed_layers: BTreeSet<String> = BTreeSet::new();
        for (index, stage) in self.stages.iter().enumerate() {
            let name = stage.name();
            let started = self.clock.as_ref().map(|_| Instant::now());
            if let Some(missing) = stage.requires().into_iter().find(|l| failed_layers.contains(*l)) {
                diagnostics.push(Diagnostic::new(
                    name,
                    Level::Error,
                    format!("skipped: required layer `{missing}` is missing because its analyzer failed"),
                ));
                failed_layers.extend(stage.provides().into_iter().map(String::from));
                continue;
            }
            let result = catch_unwind(AssertUnwindSafe(|| stage.analyze(doc)));
            let analyzed = started.map(|_| Instant::now());
            match result {
                Ok(out) => {
                    for layer in stage.provides() {
                        doc.touch_layer(layer);
                    }
                    let rejected = doc.add_annotations(out.annotations);
                    if !rejected.is_empty() {
                        let a = &rejected[0];
                        diagnostics.push(Diagnostic::new(
                            name,
                            Level::Warning,
                            format!(
                                "dropped {} annotation(s) with invalid spans (first: layer `{}`, bytes {}..{})",
                                rejected.len(),
                                a.layer,
                                a.start,
                                a.end
                            ),
                        ));
                    }
                    for (k, v) in out.summary {
                        doc.set_summary(k, v);
                    }
                    diagnostics.extend(out.diagnostics);
                }
                Err(payload) => {
                    diagnostics.push(Diagnostic::new(
                        name,
                        Level::Error,
                        format!("panicked: {}", panic_message(&*payload)),
                    ));
                    failed_layers.extend(stage.provides().into_iter().map(String::from));
                }
            }
            if let (Some(clock), Some(started), Some(analyzed)) = (&self.clock, started, analyzed) {
                let nanos = |d: std::time::Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
                clock.analyze[index].fetch_add(nanos(analyzed - started), Ordering::Relaxed);
                clock.store[index].fetch_add(nanos(analyzed.elapsed()), Ordering::Relaxed);
                clock.calls[index].fetch_add(1, Ordering::Relaxed);
            }
        }
        diagnostics
    }
}

/// The text of a panic payload (`&str` or `String`), or a placeholder.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    }
}

fn find_cycle(deps: &BTreeMap<String, BTreeSet<String>>, done: &BTreeSet<String>) -> Vec<String> {
    // Walk from any unfinished node along unfinished dependencies until a node repeats.
    let mut path: Vec<String> = Vec::new();
    let Some(mut cur) = deps.keys().find(|n| !done.contains(*n)).cloned() else {
        return path;
    };
    loop {
        if let Some(pos) = path.iter().position(|p| *p == cur) {
            let mut cycle = path[pos..].to_vec();
            cycle.push(cur);
            return cycle;
        }
        path.push(cur.clone());
        match deps[&cur].iter().find(|d| !done.contains(*d)) {
            Some(next) => cur = next.clone(),
            None => return path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::Output;
    use crate::annotation::Annotation;

    struct Fake {
        name: &'static str,
        requires: Vec<&'static str>,
        provides: Vec<&'static str>,
        panics: bool,
    }

    impl Analyzer for Fake {
        fn name(&self) -> &str {
            self.name
        }
        fn requires(&self) -> Vec<&str> {
            self.requires.clone()
        }
        fn provides(&self) -> Vec<&str> {
            self.provides.clone()
        }
        fn analyze(&self, doc: &Document) -> Output {
            if self.panics {
                panic!("boom in {}", self.name);
            }
            let mut out = Output::new();
            for p in &self.provides {
                out.push(Annotation::new(*p, 0, doc.text().len()));
            }
            out
        }
    }

    fn fake(name: &'static str, requires: &[&'static str], provides: &[&'static str]) -> Arc<dyn Analyzer> {
        Arc::new(Fake { name, requires: requires.to_vec(), provides: provides.to_vec(), panics: false })
    }

    #[test]
    fn orders_by_requirements_and_adds_providers() {
        let all = vec![fake("c", &["b"], &["c"]), fake("a", &[], &["a"]), fake("b", &["a"], &["b"])];
        let p = Pipeline::plan(all, Some(&["c".to_string()])).unwrap();
        assert_eq!(p.names(), vec!["a", "b", "c"]);
    }

    #[test]
    fn refuses_cycles_duplicates_and_missing_providers() {
        let cyc = vec![fake("x", &["y"], &["x"]), fake("y", &["x"], &["y"])];
        assert!(matches!(Pipeline::plan(cyc, None), Err(PlanError::Cycle { .. })));
        let dup = vec![fake("x", &[], &["x"]), fake("x", &[], &["z"])];
        assert!(matches!(Pipeline::plan(dup, None), Err(PlanError::DuplicateName { .. })));
        let miss = vec![fake("x", &["nothing"], &["x"])];
        let err = Pipeline::plan(miss, None).unwrap_err();
        assert_eq!(err.to_string(), "analyzer `x` requires layer `nothing`, which no analyzer provides");
        let unknown = Pipeline::plan(vec![fake("x", &[], &["x"])], Some(&["nope".to_string()])).unwrap_err();
        assert!(unknown.to_string().contains("unknown analyzer `nope`"));
    }

    /// `a` panics, `b` needs `a`'s layer, `c` is independent.
    fn a_panics_b_depends_on_it_c_does_not() -> Pipeline {
        let all: Vec<Arc<dyn Analyzer>> = vec![
            Arc::new(Fake { name: "a", requires: vec![], provides: vec!["a"], panics: true }),
            fake("b", &["a"], &["b"]),
            fake("c", &[], &["c"]),
        ];
        Pipeline::plan(all, None).unwrap()
    }

    #[test]
    fn a_panic_becomes_a_diagnostic_and_dependents_are_skipped() {
        let p = a_panics_b_depends_on_it_c_does_not();
        let mut doc = Document::new("d", "text");
        let diags = p.run(&mut doc);
        assert_eq!(diags.len(), 2);
        assert!(diags[0].message.contains("boom in a"));
        assert!(diags[1].message.contains("skipped"));
        assert_eq!(doc.layer("c").len(), 1);
        assert!(doc.layer("b").is_empty());
    }

    #[test]
    fn a_timed_pipeline_counts_every_run_and_clones_share_the_clock() {
        let untimed = a_panics_b_depends_on_it_c_does_not();
        assert!(untimed.timings().is_empty());
        let p = untimed.timed();
        let clone = p.clone();
        for pipeline in [&p, &clone, &p] {
            pipeline.run(&mut Document::new("d", "some text"));
        }
        let t = p.timings();
        let names: Vec<&str> = t.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec!["a", "b", "c"]);
        // `a` panics each time (still a run), `b` is skipped each time (not a run).
        let calls: Vec<u64> = t.iter().map(|s| s.calls).collect();
        assert_eq!(calls, vec![3, 0, 3]);
        assert!(t.iter().all(|s| s.analyze_seconds >= 0.0 && s.store_seconds >= 0.0));
        assert_eq!(t[1].analyze_seconds, 0.0);
    }
}
