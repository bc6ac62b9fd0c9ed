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
