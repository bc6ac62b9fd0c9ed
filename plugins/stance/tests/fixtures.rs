//! Data-driven fixture tests of the stance analyzer's mechanisms (issue 5): target stance,
//! relations (direction, kind, sign) and portrayal, on our own texts in
//! `tests/fixtures/stance/*.json`, with documents built by hand as the other analyzers would
//! annotate them.

use serde_json::Value;
use slant_core::{Analyzer, Annotation, Document, Output};
use slant_stance::Stance;

fn fixture(name: &str) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/stance/").to_string() + name;
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// Every occurrence of each name as an `actor` mention labelled with the name.
fn actor_mentions(text: &str, names: &[&str]) -> Vec<Annotation> {
    let mut out = Vec::new();
    for name in names {
        for (i, _) in text.match_indices(name) {
            out.push(
                Annotation::new("actor", i, i + name.len())
                    .with_label(name.to_string())
                    .with_attr("kind", "country")
                    .with_attr("id", name.to_lowercase()),
            );
        }
    }
    out
}

fn analyze(doc: &Document) -> Output {
    Stance::from_settings(&Default::default()).expect("the committed models load").analyze(doc)
}

fn names(case: &Value) -> Vec<&str> {
    case["actors"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

#[test]
fn target_stance_fixtures() {
    let fx = fixture("target_stance.json");
    let mut failures = Vec::new();
    for case in fx["cases"].as_array().expect("cases") {
        let text = case["text"].as_str().expect("text");
        let target = case["target"].as_str().expect("target");
        let start = text.find(target).expect("target occurs in text");
        let mut doc = Document::new("t", text);
        doc.add_annotations(vec![Annotation::new("target", start, start + target.len())]);
        let out = analyze(&doc);
        let ts: Vec<&Annotation> = out.annotations.iter().filter(|a| a.layer == "target_stance").collect();
        assert_eq!(ts.len(), 1, "one target_stance per target: {text}");
        assert_eq!((ts[0].start, ts[0].end), (start, start + target.len()), "same span as the target");
        let score = ts[0].score.expect("a score");
        assert!((-1.0..=1.0).contains(&score));
        assert!(ts[0].attrs["evidence"].as_array().is_some_and(|e| !e.is_empty()), "evidence listed: {text}");
        let want = case["label"].as_str().expect("label");
        if ts[0].label.as_deref() != Some(want) {
            failures.push(format!("{text:?}: want {want}, got {:?} ({score})", ts[0].label));
        }
    }
    assert!(failures.is_empty(), "target stance mismatches:\n{}", failures.join("\n"));
}

#[test]
fn relation_fixtures() {
    let fx = fixture("relations.json");
    let mut failures = Vec::new();
    for case in fx["cases"].as_array().expect("cases") {
        let text = case["text"].as_str().expect("text");
        let mut doc = Document::new("r", text);
        let mut anns = actor_mentions(text, &names(case));
        anns.push(Annotation::new("sentence", 0, text.len()));
        doc.add_annotations(anns);
        let out = analyze(&doc);
        let rels: Vec<(String, String, String, String)> = out
            .annotations
            .iter()
            .filter(|a| a.layer == "relation")
            .map(|a| {
                (
                    a.attr_str("source").unwrap_or("").to_string(),
                    a.attr_str("target").unwrap_or("").to_string(),
                    a.attr_str("kind").unwrap_or("").to_string(),
                    a.label.as_deref().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let expect = case["expect"].as_array().expect("expect");
        if expect.is_empty() && !rels.is_empty() {
            failures.push(format!("{text:?}: want no relation, got {rels:?}"));
        }
        for e in expect {
            let found = rels.iter().any(|r| {
                Some(r.0.as_str()) == e["source"].as_str()
                    && Some(r.1.as_str()) == e["target"].as_str()
                    && e["kind"].as_str().is_none_or(|k| k == r.2)
                    && e["label"].as_str().is_none_or(|l| l == r.3)
            });
            if !found {
                failures.push(format!("{text:?}: want {e}, got {rels:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "relation mismatches:\n{}", failures.join("\n"));
}

#[test]
fn portrayal_fixtures() {
    let fx = fixture("portrayal.json");
    let mut failures = Vec::new();
    for case in fx["cases"].as_array().expect("cases") {
        let text = case["text"].as_str().expect("text");
        let mut doc = Document::new("p", text);
        // No sentence layer: the analyzer's own fallback splits the sentences.
        doc.add_annotations(actor_mentions(text, &names(case)));
        let out = analyze(&doc);
        let actors = out.summary.iter().find(|(k, _)| k == "actors").map(|(_, v)| v.clone()).expect("summary.actors");
        for e in case["expect"].as_array().expect("expect") {
            let name = e["name"].as_str().expect("name");
            let entry = actors.as_array().and_then(|a| a.iter().find(|x| x["name"] == name));
            let Some(entry) = entry else {
                failures.push(format!("{name} missing from summary.actors"));
                continue;
            };
            let stance = &entry["stance"];
            if stance["label"] != e["label"] {
                failures.push(format!("{name}: want {}, got {stance}", e["label"]));
            }
            if stance["evidence"].as_array().is_none_or(|ev| ev.is_empty()) {
                failures.push(format!("{name}: no evidence spans"));
            }
        }
    }
    assert!(failures.is_empty(), "portrayal mismatches:\n{}", failures.join("\n"));
}
