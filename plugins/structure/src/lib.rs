//! The `structure` analyzer: paragraphs, sentences, quotations and speakers, byline and boilerplate.
//!
//! (Skeleton laid by the foundation; the analyzer's own issue fills it in.)

use slant_core::{Analyzer, Document, Output, Settings};

/// paragraphs, sentences, quotations and speakers, byline and boilerplate.
#[derive(Debug, Default)]
pub struct Structure;

impl Structure {
    pub fn from_settings(_settings: &Settings) -> Result<Self, String> {
        Ok(Structure)
    }
}

impl Analyzer for Structure {
    fn name(&self) -> &str {
        "structure"
    }

    fn description(&self) -> &str {
        "paragraphs, sentences, quotations and speakers, byline and boilerplate"
    }

    fn requires(&self) -> Vec<&str> {
        vec![]
    }

    fn provides(&self) -> Vec<&str> {
        vec!["paragraph", "sentence", "quote", "boilerplate"]
    }

    fn analyze(&self, _doc: &Document) -> Output {
        Output::new()
    }
}

slant_core::register_analyzer!("structure", Structure);
