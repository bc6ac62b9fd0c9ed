//! The terminal report: one screen per article.

use std::fmt::Write;

use slant_core::Record;

/// How to draw the terminal report.
#[derive(Debug, Clone)]
pub struct PrettyOptions {
    pub color: bool,
    pub width: usize,
}

impl Default for PrettyOptions {
    fn default() -> Self {
        PrettyOptions { color: false, width: 100 }
    }
}

/// Renders one record as a human report.
pub fn pretty(record: &Record, _opts: &PrettyOptions) -> String {
    let mut out = String::new();
    let title = record.title.as_deref().unwrap_or(&record.id);
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "{}", "=".repeat(title.chars().count().min(100)));
    let _ = writeln!(out, "source: {}  ({} chars)", record.source, record.chars);
    if let Some(err) = &record.error {
        let _ = writeln!(out, "ERROR [{}]: {}", err.kind, err.message);
    }
    for (key, value) in &record.summary {
        let _ = writeln!(out, "{key}: {value}");
    }
    for d in &record.diagnostics {
        let _ = writeln!(out, "{:?} from {}: {}", d.level, d.analyzer, d.message);
    }
    out
}
