//! Slant's core: the document model, the `Analyzer` contract, the registry and the pipeline.
//!
//! This crate knows nothing of files, terminals or particular analyzers. It holds immutable
//! text with stand-off annotations in named layers ([`Document`]), the trait every analyzer
//! implements ([`Analyzer`]), the `inventory`-based registry built-ins submit to
//! ([`Registration`]), and the planner that orders analyzers by the layers they require and
//! provide ([`Pipeline`]). Offsets are byte offsets inside and code points at the edge
//! ([`OffsetMap`]).

pub mod analyzer;
pub mod annotation;
pub mod attrs;
pub mod document;
mod json_line;
pub mod layers;
pub mod pipeline;
pub mod record;
pub mod record_view;
pub mod registry;
pub mod text;

pub use analyzer::{Analyzer, Diagnostic, DictionaryFormat, Level, Output, Settings, UserDictionary};
pub use annotation::Annotation;
pub use attrs::{AttrValue, Attrs};
pub use document::Document;
pub use pipeline::{Pipeline, PlanError, StageTiming};
pub use record::{InputDocument, InputError, Record, RecordError};
pub use record_view::RecordView;
pub use registry::{registered, Registration};
pub use text::OffsetMap;

/// Re-exported so plugin crates can `slant_core::inventory::submit!` without naming the
/// dependency themselves.
pub use inventory;
pub use serde_json;
