//! The analyzer (stub).
use slant_core::{Analyzer, Document, Output, Settings};
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
    fn provides(&self) -> Vec<&str> {
        vec!["sentiment"]
    }
    fn analyze(&self, _doc: &Document) -> Output {
        Output::new()
    }
}
