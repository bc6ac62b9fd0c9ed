//! Prints the structure record of a text file (or stdin) as pretty JSON: a quick way to look
//! at what the analyzer finds without building the whole `slant` host.
//!
//! `cargo run -p slant-structure --example structure_dump -- FILE`

use std::io::Read;

use slant_core::{Analyzer, Document, Record};
use slant_structure::Structure;

fn main() {
    let mut text = String::new();
    match std::env::args().nth(1) {
        Some(path) => text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}")),
        None => {
            std::io::stdin().read_to_string(&mut text).expect("stdin is UTF-8 text");
        }
    }
    let mut doc = Document::new("doc", text);
    let out = Structure.analyze(&doc);
    doc.add_annotations(out.annotations);
    for (k, v) in out.summary {
        doc.set_summary(k, v);
    }
    let record = Record::from_document(&doc, out.diagnostics);
    println!("{}", serde_json::to_string_pretty(&record).expect("records serialize"));
}
