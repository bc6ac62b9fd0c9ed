//! Snapshot of the whole structure record (code-point offsets, labels, attrs, summary) for one
//! of our fixture articles, so that any change in what the analyzer reports shows up in review.

use slant_core::{Analyzer, Document, Record};
use slant_structure::Structure;

/// The `=== text` section of a fixture file.
fn fixture_text(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/structure/").to_string() + name;
    let raw = std::fs::read_to_string(&path).expect("fixture is readable");
    let body = raw.split("=== text\n").nth(1).expect("fixture has a text section");
    body.split("\n=== ").next().unwrap_or("").to_string()
}

#[test]
fn boilerplate_article_record() {
    let text = fixture_text("boilerplate.txt");
    let mut doc = Document::new("boilerplate", text);
    let out = Structure.analyze(&doc);
    doc.add_annotations(out.annotations);
    for (k, v) in out.summary {
        doc.set_summary(k, v);
    }
    let record = Record::from_document(&doc, out.diagnostics);
    insta::assert_json_snapshot!(record);
}

#[test]
fn quotes_article_record() {
    let text = fixture_text("quotes.txt");
    let mut doc = Document::new("quotes", text);
    let out = Structure.analyze(&doc);
    doc.add_annotations(out.annotations);
    let record = Record::from_document(&doc, out.diagnostics);
    let quotes: Vec<_> = record.annotations.iter().filter(|a| a.layer == "quote").collect();
    insta::assert_json_snapshot!(quotes);
}
