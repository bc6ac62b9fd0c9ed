//! The `actors` analyzer: countries, people and organizations, resolved to canonical actors.
//!
//! (Skeleton laid by the foundation; the analyzer's own issue fills it in.)

use slant_core::{Analyzer, Document, Output, Settings};

/// countries, people and organizations, resolved to canonical actors.
#[derive(Debug, Default)]
pub struct Actors;

impl Actors {
    pub fn from_settings(_settings: &Settings) -> Result<Self, String> {
        Ok(Actors)
    }
}

impl Analyzer for Actors {
    fn name(&self) -> &str {
        "actors"
    }

    fn description(&self) -> &str {
        "countries, people and organizations, resolved to canonical actors"
    }

    fn requires(&self) -> Vec<&str> {
        vec!["sentence", "boilerplate"]
    }

    fn provides(&self) -> Vec<&str> {
        vec!["actor"]
    }

    fn analyze(&self, _doc: &Document) -> Output {
        Output::new()
    }
}

slant_core::register_analyzer!("actors", Actors);
