//! VADER parity on sentences written for these tests, one or more per rule of vaderSentiment
//! 3.3.2; the expected scores were computed by vaderSentiment 3.3.2 itself
//! (`cargo xtask eval sentiment --fixtures`, provenance in the fixture's first line).

use serde_json::Value;
use slant_sentiment::vader::polarity_scores;

const EXPECTED: &str = include_str!("../../../tests/fixtures/sentiment/vader-rules.expected.jsonl");

#[test]
fn every_rule_sentence_scores_exactly_as_vader_sentiment_3_3_2() {
    let mut lines = EXPECTED.lines();
    let header: Value = serde_json::from_str(lines.next().expect("provenance line")).expect("JSON");
    assert!(header["provenance"].as_str().is_some_and(|p| p.contains("vaderSentiment 3.3.2")));
    let mut failures = Vec::new();
    let mut n = 0;
    for line in lines {
        let case: Value = serde_json::from_str(line).expect("fixture line is JSON");
        let text = case["text"].as_str().expect("text");
        let got = polarity_scores(text);
        let want = [case["neg"].as_f64(), case["neu"].as_f64(), case["pos"].as_f64(), case["compound"].as_f64()];
        let have = [Some(got.neg), Some(got.neu), Some(got.pos), Some(got.compound)];
        if want != have {
            failures.push(format!("[{}] {text:?}: want {want:?}, got {have:?}", case["rule"]));
        }
        // The JSON line `slant vader` prints must be what Python's json.dumps prints.
        let mut py = serde_json::Map::new();
        for k in ["neg", "neu", "pos", "compound"] {
            py.insert(k.to_string(), case[k].clone());
        }
        let reparsed: Value = serde_json::from_str(&got.to_json()).expect("our JSON parses");
        assert_eq!(reparsed, Value::Object(py), "{text:?}");
        n += 1;
    }
    assert!(n >= 80, "the fixture lost sentences ({n})");
    assert!(failures.is_empty(), "{} of {n} differ:\n{}", failures.len(), failures.join("\n"));
}
