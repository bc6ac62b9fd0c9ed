//! A test plugin that works, except that it panics on a document containing `KABOOM` and
//! reports an error (without panicking) on one containing `FAILWORD`. It requires the built-in
//! `sentence` layer and marks every sentence containing "plugin", so tests can see both that it
//! runs and that it received the host's layers (its summary lists the layers it was sent). It logs one `info` event per document, so tests
//! can see the log callback at work.

use slant_sdk::{json, Analyzer, Annotation, Document, Output};

#[derive(Default)]
pub struct Panicky;

impl Analyzer for Panicky {
    fn name(&self) -> &str {
        "panicky"
    }

    fn version(&self) -> &str {
        "0.0.1"
    }

    fn description(&self) -> &str {
        "test plugin: marks sentences mentioning plugins; panics on KABOOM"
    }

    fn requires(&self) -> Vec<&str> {
        vec!["sentence"]
    }

    fn provides(&self) -> Vec<&str> {
        vec!["panicky"]
    }

    fn analyze(&self, doc: &Document) -> Output {
        slant_sdk::tracing::info!("panicky sees document {} with {} sentences", doc.id(), doc.layer("sentence").len());
        if doc.text().contains("KABOOM") {
            panic!("KABOOM found in document {}", doc.id());
        }
        let mut out = Output::new();
        // What the host sent: the layers present and how many sentences.
        let layers: Vec<&str> = doc.layers().map(|(name, _)| name).collect();
        out.summary("panicky", json!({"layers": layers, "sentences": doc.layer("sentence").len()}));
        if doc.text().contains("FAILWORD") {
            out.error(self.name(), "FAILWORD found: refusing this document");
            return out;
        }
        for s in doc.layer("sentence") {
            if s.text(doc.text()).contains("plugin") {
                out.push(Annotation::new("panicky", s.start, s.end).with_label("mentions_plugin"));
            }
        }
        out
    }
}

slant_sdk::export_analyzer!(Panicky);
