//! Micro-benchmarks of Slant's hot paths on real news: `cargo bench -p slant-bench`.
//!
//! Throughput is in bytes of article text. Each analyzer is timed alone, on documents that
//! already carry the layers it requires. Whole-run figures come from `cargo xtask bench`.

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use slant_core::{Diagnostic, Document, InputDocument, OffsetMap, Record};

/// Articles per benchmark iteration: enough to average over article shapes.
const DOCS: usize = 100;

fn main() {
    divan::main();
}

/// The analyzers, one benchmark each.
const ANALYZERS: &[&str] = &["structure", "sentiment", "actors", "stance", "rhetoric"];

#[divan::bench(args = ANALYZERS)]
fn analyzer_alone(bencher: Bencher, name: &str) {
    let docs = slant_bench::documents(DOCS);
    let Some((analyzer, docs)) = slant_bench::prepared(name, &docs) else {
        eprintln!("analyzer `{name}` is not registered; skipped");
        return;
    };
    bencher.counter(BytesCount::new(slant_bench::text_bytes(&docs))).bench(|| {
        for d in &docs {
            black_box(analyzer.analyze(d));
        }
    });
}

#[divan::bench]
fn full_pipeline(bencher: Bencher) {
    let docs = slant_bench::documents(DOCS);
    let pipeline = slant_core::Pipeline::plan(slant_bench::analyzers(), None).expect("the built-ins plan");
    bencher.counter(BytesCount::new(slant_bench::text_bytes(&docs))).bench(|| {
        for d in &docs {
            let mut d = d.clone();
            black_box(pipeline.run(&mut d));
        }
    });
}

/// VADER's tokenizer, lexicon lookup and rules, paragraph by paragraph as VADER users call it.
#[divan::bench]
fn vader_polarity_scores_by_paragraph(bencher: Bencher) {
    let docs = slant_bench::documents(DOCS);
    let paragraphs: Vec<&str> =
        docs.iter().flat_map(|d| d.text().split('\n')).filter(|p| !p.trim().is_empty()).collect();
    let bytes: usize = paragraphs.iter().map(|p| p.len()).sum();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        for p in &paragraphs {
            black_box(slant_sentiment::polarity_scores(p));
        }
    });
}

/// Parsing one JSONL input line into a document (host side, per document).
#[divan::bench]
fn input_line_to_document(bencher: Bencher) {
    let lines = slant_bench::corpus_lines(DOCS);
    let bytes: usize = lines.iter().map(String::len).sum();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        for (i, l) in lines.iter().enumerate() {
            let d = InputDocument::from_json(l, slant_bench::TEXT_FIELD).expect("corpus line");
            black_box(d.into_document(&format!("d{i}"), "corpus").expect("document"));
        }
    });
}

/// Building the byte ↔ code-point table of each text.
#[divan::bench]
fn offset_map_new(bencher: Bencher) {
    let docs = slant_bench::documents(DOCS);
    bencher.counter(BytesCount::new(slant_bench::text_bytes(&docs))).bench(|| {
        for d in &docs {
            black_box(OffsetMap::new(d.text()));
        }
    });
}

/// Corpus documents after the full pipeline, with their diagnostics and total text bytes:
/// the input of the output benchmarks.
fn analyzed_documents() -> (Vec<(Document, Vec<Diagnostic>)>, usize) {
    let docs = slant_bench::documents(DOCS);
    let pipeline = slant_core::Pipeline::plan(slant_bench::analyzers(), None).expect("the built-ins plan");
    let analyzed: Vec<(Document, Vec<Diagnostic>)> = docs
        .into_iter()
        .map(|mut d| {
            let diags = pipeline.run(&mut d);
            (d, diags)
        })
        .collect();
    let bytes = analyzed.iter().map(|(d, _)| d.text().len()).sum();
    (analyzed, bytes)
}

/// Record building and JSONL serialization after the full pipeline (host side).
#[divan::bench]
fn record_build_and_serialize(bencher: Bencher) {
    let (analyzed, bytes) = analyzed_documents();
    let mut out = Vec::with_capacity(1 << 20);
    bencher.counter(BytesCount::new(bytes)).bench_local(|| {
        out.clear();
        for (d, diags) in &analyzed {
            let r = Record::from_document(d, diags.clone());
            serde_json::to_writer(&mut out, &r).expect("serializable");
            out.push(b'\n');
        }
        black_box(out.len());
    });
}

/// The same records serialized straight from the documents (what `slant analyze` does for
/// `jsonl`), to compare with `record_build_and_serialize`.
#[divan::bench]
fn record_view_serialize(bencher: Bencher) {
    let (analyzed, bytes) = analyzed_documents();
    let mut out = Vec::with_capacity(1 << 20);
    bencher.counter(BytesCount::new(bytes)).bench_local(|| {
        out.clear();
        for (d, diags) in &analyzed {
            serde_json::to_writer(&mut out, &slant_core::RecordView::new(d, diags)).expect("serializable");
            out.push(b'\n');
        }
        black_box(out.len());
    });
}
