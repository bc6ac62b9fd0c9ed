//! Times the actors analyzer alone on JSONL files (a development aid; figures for reports come
//! from `cargo xtask eval actors`): `cargo run --release -p slant-actors --example profile -- FILES`.
//! With `--analyze-only` first, only `analyze` runs (for instruction counts under callgrind).

use slant_core::{Analyzer, Document};

/// This process's CPU time in seconds (user + system), from `/proc/self/stat`: wall time is
/// meaningless on a shared, loaded machine.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<f64> = after.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

fn main() {
    let mut texts = Vec::new();
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let analyze_only = args.first().is_some_and(|a| a == "--analyze-only");
    if analyze_only {
        args.remove(0);
    }
    for path in args {
        let data = std::fs::read_to_string(&path).expect("readable file");
        for line in data.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            texts.push(v["content_original"].as_str().unwrap_or("").to_string());
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let actors = slant_actors::Actors::default();
    let docs: Vec<Document> = texts.iter().map(|t| Document::new("d", t.as_str())).collect();
    if analyze_only {
        let t = cpu();
        let m: usize = docs.iter().map(|d| actors.analyze(d).annotations.len()).sum();
        println!("{} docs: analyze {:.3} s ({m} annotations)", docs.len(), cpu() - t);
        return;
    }
    let t = cpu();
    let mut k = 0;
    for d in &docs {
        k += slant_actors::tokens::tokenize(d.text(), &[]).len();
    }
    let tokenize = cpu() - t;
    let t = cpu();
    let mut n = 0;
    for d in &docs {
        n += slant_actors::resolve::find(actors.gazetteer(), d.text(), &[]).mentions.len();
    }
    let find = cpu() - t;
    let t = cpu();
    let mut m = 0;
    for d in &docs {
        m += actors.analyze(d).annotations.len();
    }
    let all = cpu() - t;
    println!(
        "{} docs, {:.1} MB: tokenize {tokenize:.3} s ({k} tokens), find {find:.3} s ({n} mentions), analyze {all:.3} s ({m} annotations)",
        docs.len(),
        bytes as f64 / 1e6
    );
}
