//! The `sentiment` analyzer: VADER-exact sentence sentiment and a news tone for the article body.
//!
//! (Skeleton laid by the foundation; the analyzer's own issue fills it in.)

use slant_core::{Analyzer, Document, Output, Settings};

/// VADER-exact sentence sentiment and a news tone for the article body.
#[derive(Debug, Default)]
pub struct Sentiment;

impl Sentiment {
    pub fn from_settings(_settings: &Settings) -> Result<Self, String> {
        Ok(Sentiment)
    }
}

impl Analyzer for Sentiment {
    fn name(&self) -> &str {
        "sentiment"
    }

    fn description(&self) -> &str {
        "VADER-exact sentence sentiment and a news tone for the article body"
    }

    fn requires(&self) -> Vec<&str> {
        vec!["sentence", "boilerplate"]
    }

    fn provides(&self) -> Vec<&str> {
        vec!["sentiment"]
    }

    fn analyze(&self, _doc: &Document) -> Output {
        Output::new()
    }
}

slant_core::register_analyzer!("sentiment", Sentiment);
