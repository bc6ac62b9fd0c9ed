//! Prints the actor mentions and summary of a text file (a development aid):
//! `cargo run -p slant-actors --example show -- FILE`.

use slant_core::{Analyzer, Document};

fn main() {
    let path = std::env::args().nth(1).expect("usage: show FILE");
    let text = std::fs::read_to_string(&path).expect("readable file");
    let doc = Document::new("doc", text.as_str());
    let out = slant_actors::Actors::default().analyze(&doc);
    for a in &out.annotations {
        println!(
            "{:>6} {:<28} {:<26} {} {}",
            a.start,
            a.text(&text),
            a.label.as_deref().unwrap_or(""),
            a.attr_str("via").unwrap_or(""),
            a.attr_str("affiliation").unwrap_or("-")
        );
    }
    for (k, v) in &out.summary {
        println!("{k}: {}", serde_json::to_string_pretty(v).unwrap_or_default());
    }
}
