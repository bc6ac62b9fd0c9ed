//! Adversarial inputs (issue 2: no analyzer may be slower than linear): a huge line without a
//! sentence end, long runs of `!!!`, emoticons, quote marks and abbreviations. Each case must
//! complete and give sane spans; time is never asserted (benchmarks measure speed).

use slant_core::{Analyzer, Document};
use slant_structure::{analyze_text, Analysis, Structure};

/// Whether `a..b` lies inside one paragraph (paragraphs are sorted and disjoint).
fn in_paragraph(r: &Analysis, a: usize, b: usize) -> bool {
    let k = r.paragraphs.partition_point(|p| p.0 <= a);
    k > 0 && r.paragraphs[k - 1].1 >= b
}

/// Spans are ordered, inside the text, on char boundaries and trimmed; sentences and quotes lie
/// inside paragraphs.
fn assert_sane(text: &str, r: &Analysis) {
    let mut prev = 0;
    for &(a, b) in &r.paragraphs {
        assert!(prev <= a && a < b && b <= text.len(), "paragraph {a}..{b}");
        assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
        assert_eq!(text[a..b].trim(), &text[a..b]);
        prev = b;
    }
    let mut prev = 0;
    for &(a, b) in &r.sentences {
        assert!(prev <= a && a < b && b <= text.len(), "sentence {a}..{b}");
        assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
        assert_eq!(text[a..b].trim(), &text[a..b], "sentence not trimmed");
        assert!(in_paragraph(r, a, b), "sentence {a}..{b} crosses paragraphs");
        prev = b;
    }
    for q in &r.quotes {
        assert!(q.start < q.end && q.end <= text.len());
        assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
        assert!(in_paragraph(r, q.start, q.end), "quote crosses paragraphs");
    }
    for b in &r.boilerplate {
        assert!(b.start < b.end && b.end <= text.len());
    }
}

#[test]
fn eight_megabyte_line_without_sentence_end() {
    let text = "word and more words, ".repeat(8 * 1024 * 1024 / 21);
    let r = analyze_text(&text);
    assert_sane(&text, &r);
    assert_eq!(r.paragraphs.len(), 1);
    assert_eq!(r.sentences.len(), 1);
}

#[test]
fn hundred_thousand_exclamations() {
    let text = "!!! ".repeat(100_000);
    let r = analyze_text(&text);
    assert_sane(&text, &r);
    assert_eq!(r.sentences.len(), 100_000);
    let glued = "!".repeat(300_000);
    let r = analyze_text(&glued);
    assert_sane(&glued, &r);
    assert_eq!(r.sentences.len(), 1);
}

#[test]
fn hundred_thousand_emoticons() {
    let text = ":) :-( ;-) 😀 xD ".repeat(20_000);
    let r = analyze_text(&text);
    assert_sane(&text, &r);
    assert_eq!(r.sentences.len(), 1);
}

#[test]
fn quote_marks_and_abbreviations_in_bulk() {
    for text in [
        "“".repeat(100_000),
        "\" ".repeat(100_000),
        "“a” ".repeat(20_000),
        "Dr. U.S. Jan. J. ".repeat(10_000),
        "... … ?! ".repeat(10_000),
        "according to said that “ ".repeat(20_000),
        "Share.\n".repeat(50_000),
    ] {
        let r = analyze_text(&text);
        assert_sane(&text, &r);
        assert!(!r.sentences.is_empty());
    }
}

#[test]
fn analyzer_output_converts_on_a_long_multibyte_document() {
    let text = "Ереван — “ответ”… ".repeat(30_000);
    let doc = Document::new("x", text.as_str());
    let out = Structure.analyze(&doc);
    assert!(out.annotations.iter().all(|a| text.is_char_boundary(a.start) && text.is_char_boundary(a.end)));
    let chars = text.chars().count() as u64;
    for a in out.annotations.iter().filter(|a| a.layer == "quote") {
        if let Some(s) = a.attrs.get("speaker_start").and_then(|v| v.as_u64()) {
            assert!(s < chars);
        }
    }
    assert!(out.diagnostics.is_empty());
}
