//! Snapshot tests of the reports for the hand-made fixture records in
//! `tests/fixtures/report/` (texts written for these tests, not taken from any data set).

use std::path::PathBuf;

use slant_core::Record;
use slant_report::{pretty, PrettyOptions};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/report")
}

fn load(name: &str) -> (Record, Option<String>) {
    let dir = fixture_dir();
    let json = std::fs::read_to_string(dir.join(format!("{name}.json"))).expect("fixture record exists");
    let record: Record = serde_json::from_str(&json).expect("fixture record parses");
    let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).ok();
    (record, text)
}

#[test]
fn pretty_full_record() {
    let (r, _) = load("valdonia-pact");
    let out = pretty(&r, &PrettyOptions { color: false, width: 90 });
    assert!(out.lines().all(|l| slant_report::term::width(l) <= 90), "a line is wider than 90:\n{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn pretty_narrow_terminal() {
    let (r, _) = load("valdonia-pact");
    let out = pretty(&r, &PrettyOptions { color: false, width: 50 });
    assert!(out.lines().all(|l| slant_report::term::width(l) <= 50), "a line is wider than 50:\n{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn pretty_partial_record_shows_unknown_layers() {
    let (r, _) = load("partial");
    let out = pretty(&r, &PrettyOptions { color: false, width: 80 });
    assert!(out.contains("emotion"));
    insta::assert_snapshot!(out);
}

#[test]
fn pretty_failed_record() {
    let (r, _) = load("failed");
    let out = pretty(&r, &PrettyOptions { color: false, width: 80 });
    assert!(out.contains("malformed_json"));
    insta::assert_snapshot!(out);
}

/// A readable outline of an HTML page: one line per element (tag, id, classes and the data
/// attributes the script relies on) and per text run (cut short), indented by depth. Style
/// and script bodies are left out: the snapshot is about structure, not megabytes of CSS.
fn outline(html: &str) -> String {
    const VOID: &[&str] = &["meta", "br", "input", "link", "img", "hr"];
    let mut out = String::new();
    let mut depth: usize = 0;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').expect("tags close");
            let tag = &after[..end];
            rest = &after[end + 1..];
            if tag.starts_with('!') {
                continue;
            }
            if let Some(name) = tag.strip_prefix('/') {
                assert!(depth > 0, "`</{name}>` closes nothing");
                depth -= 1;
                continue;
            }
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name = tag.split_whitespace().next().unwrap_or("");
            let mut line = name.to_string();
            for key in ["id", "class", "data-layer", "data-tech", "data-a", "data-s", "href", "type", "marker-end"] {
                let pat = format!(" {key}=\"");
                if let Some(p) = tag.find(&pat) {
                    let v = &tag[p + pat.len()..];
                    let v = &v[..v.find('"').unwrap_or(v.len())];
                    line.push_str(&format!(" {key}={v}"));
                }
            }
            out.push_str(&format!("{}{}\n", "  ".repeat(depth), line));
            if name == "style" || name == "script" {
                let close = format!("</{name}>");
                let p = rest.find(&close).expect("style and script close");
                rest = &rest[p + close.len()..];
                continue;
            }
            if !self_closing && !VOID.contains(&name) {
                depth += 1;
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = rest[..end].split_whitespace().collect::<Vec<_>>().join(" ");
            rest = &rest[end..];
            if !text.is_empty() {
                let short: String = text.chars().take(48).collect();
                let more = if text.chars().count() > 48 { "…" } else { "" };
                out.push_str(&format!("{}\"{short}{more}\"\n", "  ".repeat(depth)));
            }
        }
    }
    assert_eq!(depth, 0, "unbalanced tags");
    out
}

#[test]
fn html_full_record_outline() {
    let (r, text) = load("valdonia-pact");
    let page = slant_report::html::page(&r, text.as_deref());
    assert!(!page.contains("http://") && !page.contains("https://"), "the page must not reference the network");
    assert!(page.contains(r#"id="slant-tip""#) && page.contains("slant-selfcheck"));
    insta::assert_snapshot!(outline(&page));
}

#[test]
fn html_rebuilds_text_from_spans_without_the_document() {
    let (r, text) = load("valdonia-pact");
    let with = slant_report::html::page(&r, text.as_deref());
    let without = slant_report::html::page(&r, None);
    // The findings are the same; only the uncovered blank runs may differ.
    assert!(without.contains("theatrical tantrum"));
    assert_eq!(with.matches("data-a=").count(), without.matches("data-a=").count());
}

#[test]
fn html_partial_and_failed_records() {
    let (p, _) = load("partial");
    let page = slant_report::html::page(&p, None);
    assert!(page.contains(r#"data-layer="emotion""#), "unknown layers get a toggle");
    insta::assert_snapshot!("html_partial_outline", outline(&page));
    let (f, _) = load("failed");
    let page = slant_report::html::page(&f, None);
    assert!(page.contains(r#"class="error""#));
    insta::assert_snapshot!("html_failed_outline", outline(&page));
}

/// Records are data from outside: markup in any field stays text, and spans that are empty,
/// reversed or past the end neither panic nor break the page.
#[test]
fn hostile_records_render_safely() {
    let evil = "</script><script>alert(1)</script><b>x</b>";
    let record: Record = serde_json::from_value(serde_json::json!({
        "id": evil, "source": evil, "chars": 12, "title": evil,
        "annotations": [
            {"layer": "rhetoric", "start": 0, "end": 4, "text": "<i>a", "label": evil, "score": 2.5,
             "attrs": {"explanation": evil, "cue": {"cue": evil}, "list": [[1]]}},
            {"layer": "actor", "start": 9, "end": 3, "text": "", "label": evil},
            {"layer": evil, "start": 2, "end": 400, "text": "zz", "label": evil},
            {"layer": "sentiment", "start": 0, "end": 12, "text": "<i>a</i> & b", "attrs": {"compound": "NaN"}},
            {"layer": "relation", "start": 0, "end": 4, "text": "<i>a", "label": "negative",
             "attrs": {"source": evil, "target": evil}}
        ],
        "summary": {"actors": [{"name": evil, "mentions": -3, "stance": {"score": 9}}],
                    "relations": [{"source": evil, "target": "B", "polarity": "bad"}],
                    "rhetoric": {"counts": {"x": "many"}}, "weird": [1, {"a": evil}]},
        "diagnostics": [{"analyzer": evil, "level": "error", "message": evil}]
    }))
    .expect("the hostile record parses");
    let page = slant_report::html::page(&record, Some("<i>a</i> & b"));
    // Ours: the error trap, the data block and the page script.
    assert_eq!(page.matches("<script").count(), 3, "markup from the record became script");
    assert!(!page.contains("<b>x</b>") && !page.contains("alert(1)</script>"));
    let _ = outline(&page);
    let text = pretty(&record, &PrettyOptions { color: true, width: 40 });
    assert!(text.contains("alert(1)"), "the terminal shows it as text");
    let _ = slant_report::html::page(&record, None);
}
