//! Rhetoric end to end (issue 6): on the seed article, through the whole pipeline, the spans
//! users expect are found with explanations, and nothing is reported inside boilerplate.

use serde_json::Value;

use crate::support::*;

fn seed_record() -> (Value, String) {
    let seed = data("seed/armenia-csto.txt");
    let text = std::fs::read_to_string(&seed).expect("the seed article is in ../shared/data");
    let run = slant(&["analyze", "--format", "jsonl", seed.to_str().unwrap()], b"");
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let mut records = run.records();
    assert_eq!(records.len(), 1);
    (records.remove(0), text)
}

fn layer<'a>(record: &'a Value, name: &str) -> Vec<&'a Value> {
    record["annotations"].as_array().unwrap().iter().filter(|a| a["layer"] == name).collect()
}

#[test]
fn seed_spans_users_expect_are_found_with_explanations() {
    let (record, text) = seed_record();
    assert_record_shape(&record, &text);
    let rhetoric = layer(&record, "rhetoric");
    let has = |label: &str, needle: &str| {
        rhetoric.iter().any(|a| a["label"] == label && a["text"].as_str().is_some_and(|t| t.contains(needle)))
    };
    let expected = [
        ("name_calling", "archenemy"),
        ("loaded_language", "slap in Putin’s face"),
        ("sarcasm", "(empty) threats"),
        ("scare_quotes", "“illegal state”"),
        ("scare_quotes", "“color revolution”"),
        ("rhetorical_question", "Did Armenia secede from the Soviet Union legally? No."),
        ("rhetorical_question", "it remains unclear why Russia did not prevent"),
        ("thought_terminating_cliche", "One thing is for sure"),
        ("loaded_language", "political impotence"),
    ];
    let missing: Vec<_> = expected.iter().filter(|(l, n)| !has(l, n)).collect();
    assert!(
        missing.is_empty(),
        "missing {missing:?} among {:#?}",
        rhetoric.iter().map(|a| (&a["label"], &a["text"])).collect::<Vec<_>>()
    );
    for a in &rhetoric {
        let score = a["score"].as_f64().expect("score");
        assert!((0.0..=1.0).contains(&score), "{a}");
        assert!(a["attrs"]["explanation"].as_str().is_some_and(|e| e.len() > 10), "{a}");
        assert!(a["attrs"]["cue"].is_string(), "{a}");
    }
    let counts = &record["summary"]["rhetoric"]["counts"];
    let total: u64 = counts.as_object().expect("summary.rhetoric.counts").values().filter_map(Value::as_u64).sum();
    assert_eq!(total as usize, rhetoric.len());
}

#[test]
fn seed_boilerplate_carries_no_rhetoric() {
    let (record, _) = seed_record();
    let boilerplate = layer(&record, "boilerplate");
    assert!(!boilerplate.is_empty(), "structure finds the seed's boilerplate");
    for r in layer(&record, "rhetoric") {
        for b in &boilerplate {
            let overlap = r["start"].as_u64() < b["end"].as_u64() && b["start"].as_u64() < r["end"].as_u64();
            assert!(!overlap, "rhetoric span {r} lies in boilerplate {b}");
        }
    }
}

#[test]
fn pretty_report_shows_rhetoric_with_explanations() {
    let seed = data("seed/armenia-csto.txt");
    let run = slant(&["analyze", "--format", "pretty", "--analyzers", "rhetoric", seed.to_str().unwrap()], b"");
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(run.stdout.contains("(empty) threats"), "{}", run.stdout);
    assert!(run.stdout.contains("parenthetical deflation"), "explanations are shown: {}", run.stdout);
}
