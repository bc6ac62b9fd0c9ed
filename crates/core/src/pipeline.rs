//! Builds an ordered pipeline from the analyzers asked for and runs it on one document,
//! containing panics so that one analyzer failing on one document never ends the run.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

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
        Ok(Pipeline { stages: order })
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
        for stage in &self.stages {
            let name = stage.name();
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

    #[test]
    fn a_panic_becomes_a_diagnostic_and_dependents_are_skipped() {
        let all: Vec<Arc<dyn Analyzer>> = vec![
            Arc::new(Fake { name: "a", requires: vec![], provides: vec!["a"], panics: true }),
            fake("b", &["a"], &["b"]),
            fake("c", &[], &["c"]),
        ];
        let p = Pipeline::plan(all, None).unwrap();
        let mut doc = Document::new("d", "text");
        let diags = p.run(&mut doc);
        assert_eq!(diags.len(), 2);
        assert!(diags[0].message.contains("boom in a"));
        assert!(diags[1].message.contains("skipped"));
        assert_eq!(doc.layer("c").len(), 1);
        assert!(doc.layer("b").is_empty());
    }
}
