//! The `stance` analyzer: how the article portrays each actor, relations between actors, and stance toward targets.
//!
//! (Skeleton laid by the foundation; the analyzer's own issue fills it in.)

use slant_core::{Analyzer, Document, Output, Settings};

/// how the article portrays each actor, relations between actors, and stance toward targets.
#[derive(Debug, Default)]
pub struct Stance;

impl Stance {
    pub fn from_settings(_settings: &Settings) -> Result<Self, String> {
        Ok(Stance)
    }
}

impl Analyzer for Stance {
    fn name(&self) -> &str {
        "stance"
    }

    fn description(&self) -> &str {
        "how the article portrays each actor, relations between actors, and stance toward targets"
    }

    fn requires(&self) -> Vec<&str> {
        vec!["sentence", "boilerplate", "quote", "sentiment", "actor"]
    }

    fn provides(&self) -> Vec<&str> {
        vec!["target_stance", "relation"]
    }

    fn analyze(&self, _doc: &Document) -> Output {
        Output::new()
    }
}

slant_core::register_analyzer!("stance", Stance);
