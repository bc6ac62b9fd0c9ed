//! Renders Slant records for people: the terminal report (`--format pretty`), the HTML page
//! (`--format html`) and corpus summaries (`slant report`). Knows records, not analyzers.

pub mod pretty;

pub use pretty::{pretty, PrettyOptions};
