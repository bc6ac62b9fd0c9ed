//! The `sentiment` layer end to end: one annotation per body sentence with VADER's scores,
//! the news tone and evidence, and `summary.sentiment`.

use serde_json::Value;

use crate::support::{assert_record_shape, data, slant};

fn layer<'a>(record: &'a Value, name: &str) -> Vec<&'a Value> {
    record["annotations"].as_array().expect("annotations").iter().filter(|a| a["layer"] == name).collect()
}

#[test]
fn sentences_get_vader_scores_tone_and_evidence() {
    let text = "The rescue teams did a wonderful job. Troops began the invasion of the province at dawn. \
                The committee met on Tuesday.";
    let input = serde_json::json!({"id": "s", "text": text}).to_string();
    let run = slant(&["analyze", "--format", "jsonl", "--analyzers", "sentiment", "-"], input.as_bytes());
    assert_eq!(run.status, 0, "{}", run.stderr);
    let rec = &run.records()[0];
    assert_record_shape(rec, text);
    let sents = layer(rec, "sentiment");
    assert_eq!(sents.len(), layer(rec, "sentence").len());
    let labels: Vec<&str> = sents.iter().filter_map(|a| a["label"].as_str()).collect();
    assert_eq!(labels, ["positive", "negative", "neutral"]);
    for a in &sents {
        for k in ["compound", "pos", "neu", "neg", "tone"] {
            assert!(a["attrs"][k].is_number(), "{k} in {a}");
        }
        assert!(a["attrs"]["evidence"].is_array());
    }
    let ev = sents[1]["attrs"]["evidence"].as_array().expect("evidence");
    assert!(ev
        .iter()
        .any(|e| e["word"] == "invasion" && e["rule"].as_str().is_some_and(|r| r.contains("news lexicon"))));
    let summary = &rec["summary"]["sentiment"];
    assert!(summary["compound"].is_number() && summary["label"].is_string(), "{summary}");
    assert_eq!(summary["sentences"], 3);
}

#[test]
fn the_seed_article_body_is_scored_and_boilerplate_is_not() {
    let seed = data("seed/armenia-csto.txt");
    let text = std::fs::read_to_string(&seed).expect("the seed article is in ../shared/data");
    let run = slant(&["analyze", "--format", "jsonl", seed.to_str().expect("utf-8 path")], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    let rec = &run.records()[0];
    assert_record_shape(rec, &text);
    let sents = layer(rec, "sentiment");
    assert!(sents.len() >= 10, "only {} sentiment annotations", sents.len());
    let boiler = layer(rec, "boilerplate");
    for s in &sents {
        let (a, b) = (s["start"].as_u64().unwrap_or(0), s["end"].as_u64().unwrap_or(0));
        let covered: u64 = boiler
            .iter()
            .map(|x| {
                let (c, d) = (x["start"].as_u64().unwrap_or(0), x["end"].as_u64().unwrap_or(0));
                d.min(b).saturating_sub(c.max(a))
            })
            .sum();
        assert!(covered * 2 < (b - a).max(1), "a boilerplate sentence was scored: {s}");
    }
    let summary = &rec["summary"]["sentiment"];
    assert_eq!(summary["sentences"].as_u64(), Some(sents.len() as u64));
    assert!(summary["most_negative"].as_array().is_some_and(|l| !l.is_empty()), "{summary}");
}
