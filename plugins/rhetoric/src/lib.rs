//! The `rhetoric` analyzer: persuasion techniques and rhetorical devices as explained spans.
//!
//! (Skeleton laid by the foundation; the analyzer's own issue fills it in.)

use slant_core::{Analyzer, Document, Output, Settings};

/// persuasion techniques and rhetorical devices as explained spans.
#[derive(Debug, Default)]
pub struct Rhetoric;

impl Rhetoric {
    pub fn from_settings(_settings: &Settings) -> Result<Self, String> {
        Ok(Rhetoric)
    }
}

impl Analyzer for Rhetoric {
    fn name(&self) -> &str {
        "rhetoric"
    }

    fn description(&self) -> &str {
        "persuasion techniques and rhetorical devices as explained spans"
    }

    fn requires(&self) -> Vec<&str> {
        vec!["sentence", "boilerplate", "quote"]
    }

    fn provides(&self) -> Vec<&str> {
        vec!["rhetoric"]
    }

    fn analyze(&self, _doc: &Document) -> Output {
        Output::new()
    }
}

slant_core::register_analyzer!("rhetoric", Rhetoric);
