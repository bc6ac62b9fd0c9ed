//! The names of the layers the built-in analyzers exchange (see `CONTRACT.md`).
//!
//! Layer names are plain strings so that dynamic plugins can add their own; these constants
//! keep the built-ins from misspelling the shared ones.

pub const PARAGRAPH: &str = "paragraph";
pub const SENTENCE: &str = "sentence";
pub const QUOTE: &str = "quote";
pub const BOILERPLATE: &str = "boilerplate";
pub const SENTIMENT: &str = "sentiment";
pub const ACTOR: &str = "actor";
pub const TARGET: &str = "target";
pub const TARGET_STANCE: &str = "target_stance";
pub const RELATION: &str = "relation";
pub const RHETORIC: &str = "rhetoric";

/// Layers that come from the input document rather than from an analyzer. A pipeline never
/// needs a provider for these.
pub const INPUT_LAYERS: &[&str] = &[TARGET];
