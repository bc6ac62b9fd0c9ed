//! Renders Slant records for people: the terminal report (`--format pretty`), the HTML page
//! (`--format html`) and corpus summaries (`slant report`). Knows records, not analyzers:
//! every section is read defensively from the record, and layers it does not know still show.

pub mod corpus;
pub mod html;
pub mod pretty;
pub mod term;
pub mod view;

pub use pretty::{pretty, PrettyOptions};
