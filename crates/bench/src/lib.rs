//! Inputs for Slant's micro-benchmarks: real news articles from the benchmark corpus, and
//! documents already carrying the layers an analyzer requires, so a benchmark times that
//! analyzer alone.
//!
//! The corpus is read at run time from `../shared/data/corpus` (or `SLANT_DATA`); nothing
//! from it is committed.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::sync::Arc;

use slant_core::{Analyzer, Document, InputDocument, Pipeline, Settings};

/// The JSONL field holding an article's body in the corpus.
pub const TEXT_FIELD: &str = "content_original";

/// The data folder: `SLANT_DATA`, else `../shared/data` beside the workspace.
pub fn data_dir() -> PathBuf {
    std::env::var_os("SLANT_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")))
}

/// The first `n` corpus lines (raw JSONL), in corpus order.
pub fn corpus_lines(n: usize) -> Vec<String> {
    let dir = data_dir().join("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::with_capacity(n);
    for f in files {
        let file = std::fs::File::open(&f).unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display()));
        for line in BufReader::new(file).lines().map_while(Result::ok) {
            if out.len() == n {
                return out;
            }
            if !line.trim().is_empty() {
                out.push(line);
            }
        }
    }
    out
}

/// The first `n` corpus articles as documents with no layers yet.
pub fn documents(n: usize) -> Vec<Document> {
    corpus_lines(n)
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let d = InputDocument::from_json(line, TEXT_FIELD).ok()?;
            d.into_document(&format!("doc-{i}"), "corpus").ok()
        })
        .collect()
}

/// Total UTF-8 bytes of the documents' texts.
pub fn text_bytes(docs: &[Document]) -> usize {
    docs.iter().map(|d| d.text().len()).sum()
}

/// Every built-in analyzer, built with default settings.
pub fn analyzers() -> Vec<Arc<dyn Analyzer>> {
    slant_builtins::link();
    slant_core::registered().iter().filter_map(|r| (r.build)(&Settings::default()).ok().map(Arc::from)).collect()
}

/// The analyzer named `name` and the documents with every layer it needs already added by
/// the providers of its requirements (so timing `analyze` times this analyzer alone).
pub fn prepared(name: &str, docs: &[Document]) -> Option<(Arc<dyn Analyzer>, Vec<Document>)> {
    let all = analyzers();
    let target = all.iter().find(|a| a.name() == name)?.clone();
    let full = Pipeline::plan(all, Some(&[name.to_string()])).ok()?;
    let before: Vec<String> = full.names().into_iter().filter(|n| *n != name).map(str::to_string).collect();
    let mut docs = docs.to_vec();
    if !before.is_empty() {
        let reqs = Pipeline::plan(analyzers(), Some(&before)).ok()?;
        for d in &mut docs {
            reqs.run(d);
        }
    }
    Some((target, docs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_can_be_prepared_on_corpus_documents() {
        let docs = documents(3);
        assert_eq!(docs.len(), 3);
        assert!(text_bytes(&docs) > 0);
        for a in analyzers() {
            let (target, prepared) = prepared(a.name(), &docs).expect("plannable");
            assert_eq!(target.name(), a.name());
            for req in target.requires() {
                if !slant_core::layers::INPUT_LAYERS.contains(&req) {
                    assert!(prepared[0].has_layer(req), "{} needs {req}", a.name());
                }
            }
        }
    }
}
