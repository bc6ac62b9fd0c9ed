//! The analyzer contract: metadata, the layers an analyzer requires and provides, and
//! `analyze`, which reads a document and returns new layers plus diagnostics.

use crate::attrs::AttrValue;
use serde::{Deserialize, Serialize};

use crate::annotation::Annotation;
use crate::document::Document;

/// One analysis step. Implementations must be cheap to share across threads: the host calls
/// `analyze` on many documents at once. `analyze` never does IO and never needs to panic:
/// bad input is normal and goes into [`Output::diagnostics`]. (A panic is still caught by the
/// pipeline and reported on that document alone.)
pub trait Analyzer: Send + Sync {
    /// Unique name, used by `--analyzers` and in diagnostics.
    fn name(&self) -> &str;

    /// The analyzer's own version (of its rules, lexicons, weights).
    fn version(&self) -> &str {
        "0.1.0"
    }

    /// One line saying what the analyzer finds.
    fn description(&self) -> &str {
        ""
    }

    /// Layers that must exist before `analyze` runs; the pipeline adds their providers.
    fn requires(&self) -> Vec<&str> {
        Vec::new()
    }

    /// Layers (and summary sections) this analyzer adds.
    fn provides(&self) -> Vec<&str>;

    /// Where the analyzer comes from: `builtin`, or `dynamic` for a loaded library.
    fn origin(&self) -> String {
        "builtin".to_string()
    }

    /// Where a dynamic analyzer was loaded from (its library's path); `None` for built-ins.
    fn path(&self) -> Option<&std::path::Path> {
        None
    }

    fn analyze(&self, doc: &Document) -> Output;
}

/// What one analyzer adds to one document.
#[derive(Debug, Default, Clone)]
pub struct Output {
    pub annotations: Vec<Annotation>,
    /// Summary sections (`sentiment`, `actors`, …) set or replaced by this analyzer.
    pub summary: Vec<(String, AttrValue)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Output {
    pub fn new() -> Self {
        Output::default()
    }

    pub fn push(&mut self, annotation: Annotation) {
        self.annotations.push(annotation);
    }

    /// Sets a summary section: an [`AttrValue`], or a `serde_json::Value` (converted).
    pub fn summary(&mut self, key: impl Into<String>, value: impl Into<AttrValue>) {
        self.summary.push((key.into(), value.into()));
    }

    pub fn warn(&mut self, analyzer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(analyzer, Level::Warning, message));
    }

    pub fn error(&mut self, analyzer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(analyzer, Level::Error, message));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

/// A problem found while analyzing one document, reported in its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub analyzer: String,
    pub level: Level,
    pub message: String,
}

impl Diagnostic {
    pub fn new(analyzer: &str, level: Level, message: impl Into<String>) -> Self {
        Diagnostic { analyzer: analyzer.to_string(), level, message: message.into() }
    }
}

/// Run-wide settings the host passes to every analyzer factory. Typed, with defaults; each
/// analyzer takes from it what concerns it. Contents of user files arrive as text: the host
/// reads files, analyzers only parse.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Actor dictionaries given with `--actors` / `--actors-petrarch`, in command-line order.
    pub actor_dictionaries: Vec<UserDictionary>,
}

/// The text of a user-supplied dictionary file and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct UserDictionary {
    pub path: String,
    pub format: DictionaryFormat,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictionaryFormat {
    /// Slant's own actor format (see the actors plugin's docs).
    Slant,
    /// PETRARCH / Phoenix `.actors.txt` format.
    Petrarch,
}
