//! Runs the analyzer over a text file split at blank-line pairs into documents, for profiling
//! (`perf record`); throughput figures come from `cargo xtask eval structure --corpus`.
//!
//! `cargo run --release -p slant-structure --example structure_speed -- FILE [ROUNDS]`

use slant_core::{Analyzer, Document};
use slant_structure::Structure;

fn main() {
    let path = std::env::args().nth(1).expect("usage: structure_speed FILE [ROUNDS]");
    let rounds: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let docs: Vec<Document> = text.split("\n\n\n").map(|t| Document::new("d", t)).collect();
    let mut annotations = 0usize;
    for _ in 0..rounds {
        for doc in &docs {
            annotations += Structure.analyze(doc).annotations.len();
        }
    }
    println!("{} documents x {rounds}: {annotations} annotations", docs.len());
}
