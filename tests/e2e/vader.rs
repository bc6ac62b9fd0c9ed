//! `slant vader`: VADER-exact scores for our rule sentences (expected values computed by
//! vaderSentiment 3.3.2, see the fixture's provenance line), JSONL input, cp1252 bytes, and
//! usage errors.

use serde_json::Value;

use crate::support::{fixture, slant};

fn expected() -> Vec<Value> {
    let text = std::fs::read_to_string(fixture("sentiment/vader-rules.expected.jsonl")).expect("fixture");
    text.lines().skip(1).map(|l| serde_json::from_str(l).expect("fixture JSON")).collect()
}

fn scores(v: &Value) -> Value {
    serde_json::json!({"neg": v["neg"], "neu": v["neu"], "pos": v["pos"], "compound": v["compound"]})
}

#[test]
fn text_lines_score_like_vader_sentiment() {
    let cases: Vec<Value> =
        expected().into_iter().filter(|c| !c["text"].as_str().unwrap_or("").contains(['\n', '\r'])).collect();
    let input: String = cases.iter().map(|c| format!("{}\n", c["text"].as_str().unwrap_or(""))).collect();
    let run = slant(&["vader"], input.as_bytes());
    assert_eq!(run.status, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), cases.len());
    for (line, case) in lines.iter().zip(&cases) {
        let got: Value = serde_json::from_str(line).expect("output line is JSON");
        assert_eq!(got, scores(case), "{:?}", case["text"]);
        // Key order as Python's dict.
        assert!(line.starts_with("{\"neg\": ") && line.contains("\"neu\": ") && line.contains("\"compound\": "));
    }
}

#[test]
fn jsonl_input_and_a_file_path() {
    let run = slant(
        &["vader", "-"],
        b"{\"text\": \"The soup was good.\"}\n{\"id\": 2, \"text\": \"The soup was terrible.\"}\n",
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "{\"neg\": 0.0, \"neu\": 0.508, \"pos\": 0.492, \"compound\": 0.4404}\n\
         {\"neg\": 0.508, \"neu\": 0.492, \"pos\": 0.0, \"compound\": -0.4767}\n"
    );
    let path = fixture("sentiment/vader-rules.tsv");
    let run = slant(&["vader", path.to_str().expect("utf-8 path")], b"");
    assert_eq!(run.status, 0);
    let n = std::fs::read_to_string(&path).expect("fixture").lines().count();
    assert_eq!(run.stdout.lines().count(), n, "one output line per input line");
}

#[test]
fn cp1252_bytes_are_read_as_windows_1252() {
    let run = slant(&["vader"], b"\x93Great\x94 caf\xe9\r\n");
    let utf8 = slant(&["vader"], "\u{201c}Great\u{201d} caf\u{e9}\n".as_bytes());
    assert_eq!(run.status, 0);
    assert_eq!(run.stdout, utf8.stdout);
}

#[test]
fn a_missing_file_is_a_usage_error() {
    let run = slant(&["vader", "/nonexistent/texts.txt"], b"");
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("/nonexistent/texts.txt"), "{}", run.stderr);
}
