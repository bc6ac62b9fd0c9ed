//! Tests of the stance analyzer's contract (issue 5): committed weights load, every layer may be
//! missing, targets take part as actors, summaries keep the actors analyzer's entries, reported
//! speech is marked and weighed, relations aggregate per ordered pair.

use serde_json::{json, Value};
use slant_core::{Analyzer, Annotation, Document, Output};
use slant_stance::events::VerbTable;
use slant_stance::model::{pair_model, target_model};
use slant_stance::Stance;

fn analyze(doc: &Document) -> Output {
    Stance::from_settings(&Default::default()).expect("models load").analyze(doc)
}

fn summary(out: &Output, key: &str) -> Value {
    out.summary.iter().find(|(k, _)| k == key).map_or(Value::Null, |(_, v)| Value::from(v.clone()))
}

#[test]
fn committed_weights_and_verb_table_load() {
    let t = target_model().as_ref().expect("target model parses");
    assert_eq!(t.classes, ["negative", "neutral", "positive"]);
    assert!(t.len() > 1000, "target model has {} features", t.len());
    let p = pair_model().as_ref().expect("pair model parses");
    assert_eq!(p.classes.len(), 5);
    assert!(p.len() > 1000);
    // The hand-written table: about 150 verbs in four forms each.
    assert!(VerbTable::get().len() > 400, "verb table has {} forms", VerbTable::get().len());
    use slant_stance::events::EventClass;
    assert_eq!(EventClass::from_cameo("050"), Some(EventClass::VerbalCooperation), "05 is diplomatic cooperation");
    assert_eq!(EventClass::from_cameo("070"), Some(EventClass::MaterialCooperation));
    assert_eq!(EventClass::from_cameo("110"), Some(EventClass::VerbalConflict));
    assert_eq!(EventClass::from_cameo("190"), Some(EventClass::MaterialConflict));
}

#[test]
fn a_document_without_any_layer_gives_empty_summaries() {
    let doc = Document::new("empty", "Nothing to see here. Really nothing.");
    let out = analyze(&doc);
    assert!(out.annotations.is_empty());
    assert_eq!(summary(&out, "actors"), json!([]));
    assert_eq!(summary(&out, "relations"), json!([]));
    assert!(out.diagnostics.is_empty());
}

#[test]
fn targets_without_sentences_get_a_stance_and_join_the_actors() {
    let text = "Everyone loves the brave firefighters. Critics accused the vandals of lies and cruelty, calling them a disgrace.";
    let mut doc = Document::new("t", text);
    let f = text.find("firefighters").unwrap();
    let v = text.find("the vandals").unwrap();
    doc.add_annotations(vec![
        Annotation::new("target", f, f + "firefighters".len()).with_label("Firefighters"),
        Annotation::new("target", v, v + "the vandals".len()),
    ]);
    let out = analyze(&doc);
    let ts: Vec<&Annotation> = out.annotations.iter().filter(|a| a.layer == "target_stance").collect();
    assert_eq!(ts.len(), 2);
    assert_eq!(ts[0].label.as_deref(), Some("positive"), "{:?}", ts[0]);
    assert_eq!(ts[1].label.as_deref(), Some("negative"), "{:?}", ts[1]);
    let actors = summary(&out, "actors");
    let names: Vec<&str> = actors.as_array().unwrap().iter().filter_map(|a| a["name"].as_str()).collect();
    assert_eq!(names, ["Firefighters", "the vandals"], "a target's label, else its text, is its actor name");
    assert_eq!(actors[0]["kind"], "target");
    assert_eq!(actors[0]["stance"]["label"], "positive");
}

#[test]
fn actors_summary_entries_are_kept_and_get_a_stance() {
    let text = "Freedonia was accused of brutal crimes and lies, and critics called it a disgrace.";
    let mut doc = Document::new("a", text);
    doc.add_annotations(vec![
        Annotation::new("sentence", 0, text.len()),
        Annotation::new("actor", 0, 9).with_label("Freedonia").with_attr("kind", "country"),
    ]);
    doc.set_summary(
        "actors",
        json!([{"name": "Freedonia", "id": "FRD", "kind": "country", "affiliation": "Freedonia", "mentions": 1}]),
    );
    let out = analyze(&doc);
    let actors = summary(&out, "actors");
    assert_eq!(actors[0]["id"], "FRD", "the actors analyzer's fields are copied");
    assert_eq!(actors[0]["mentions"], 1);
    assert_eq!(actors[0]["stance"]["label"], "negative", "{}", actors[0]);
    let ev = &actors[0]["stance"]["evidence"][0];
    assert_eq!((ev["start"].as_u64(), ev["end"].as_u64()), (Some(0), Some(text.chars().count() as u64)));
    assert!(ev["features"].as_array().is_some_and(|f| !f.is_empty()));
}

#[test]
fn mentions_in_quotes_are_reported_and_weigh_half() {
    let text = "\u{201c}Freedonia is a criminal regime that murders its own people,\u{201d} the activist said. \
                Freedonia held talks on Monday.";
    let mut doc = Document::new("q", text);
    let q_end = text.find('\u{201d}').unwrap() + '\u{201d}'.len_utf8();
    let second = text.rfind("Freedonia").unwrap();
    doc.add_annotations(vec![
        Annotation::new("quote", 0, q_end).with_attr("kind", "direct"),
        Annotation::new("actor", 3, 12).with_label("Freedonia"),
        Annotation::new("actor", second, second + 9).with_label("Freedonia"),
    ]);
    let out = analyze(&doc);
    let actors = summary(&out, "actors");
    let stance = &actors[0]["stance"];
    assert_eq!(stance["mentions_scored"], 2);
    let ev = stance["evidence"].as_array().unwrap();
    assert!(ev.iter().any(|e| e["reported"] == true), "the quoted mention is marked reported: {stance}");
    // Recompute the weighted mean from the two mention scores the target model gives alone.
    let score = stance["score"].as_f64().unwrap();
    assert!(score < 0.0, "the quote drags the portrayal down: {stance}");
}

#[test]
fn relations_aggregate_per_ordered_pair() {
    let text = "Freedonia attacked Sylvania. Freedonia bombed Sylvania again. Sylvania thanked Ruritania.";
    let mut doc = Document::new("r", text);
    let mut anns = Vec::new();
    for name in ["Freedonia", "Sylvania", "Ruritania"] {
        for (i, _) in text.match_indices(name) {
            anns.push(Annotation::new("actor", i, i + name.len()).with_label(name));
        }
    }
    doc.add_annotations(anns);
    let out = analyze(&doc);
    let rels = summary(&out, "relations");
    let first = &rels[0];
    assert_eq!((first["source"].as_str(), first["target"].as_str()), (Some("Freedonia"), Some("Sylvania")));
    assert_eq!(first["count"], 2);
    assert_eq!(first["label"], "negative");
    assert_eq!(first["kind"], "material_conflict");
    assert!(first["polarity"].as_f64().unwrap() < -0.1);
    let each: Vec<&Annotation> = out.annotations.iter().filter(|a| a.layer == "relation").collect();
    assert!(each.iter().all(|a| a.attrs["evidence"]["cue"].is_string() || a.attr_str("kind") == Some("sentiment")));
}

#[test]
fn pairs_of_an_actor_and_its_own_country_are_not_relations() {
    let text = "President Vlad of Freedonia met the press.";
    let mut doc = Document::new("s", text);
    doc.add_annotations(vec![
        Annotation::new("actor", 10, 14).with_label("Vlad").with_attr("affiliation", "Freedonia"),
        Annotation::new("actor", 18, 27).with_label("Freedonia"),
    ]);
    let out = analyze(&doc);
    assert!(out.annotations.iter().all(|a| a.layer != "relation"));
}
