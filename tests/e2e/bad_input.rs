//! Bad input is normal (issue 2): every input document yields exactly one record, in order;
//! unreadable ones carry an `error` naming file and line; usage errors exit 2 naming the culprit.

use std::path::PathBuf;

use crate::support::*;

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slant-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn unreadable_files_get_error_records_and_the_rest_are_analyzed() {
    let dir = scratch("files");
    std::fs::write(dir.join("a-good.txt"), "A plain sentence. Another one.").unwrap();
    std::fs::write(dir.join("b-binary.txt"), b"PK\x03\x04\x00\x00binary").unwrap();
    std::fs::write(dir.join("c-latin1.txt"), b"caf\xe9 au lait").unwrap();
    std::fs::write(dir.join("d-empty.txt"), b"").unwrap();
    std::fs::write(dir.join("e-good.md"), "Second good document.").unwrap();
    std::fs::write(dir.join("ignored.png"), b"\x89PNG").unwrap();
    let run = slant(&["analyze", "--format", "jsonl", dir.to_str().unwrap()], b"");
    assert_eq!(run.status, 1, "some documents failed: exit 1 (stderr: {})", run.stderr);
    let records = run.records();
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a-good", "b-binary", "c-latin1", "d-empty", "e-good"]);
    let kinds: Vec<Option<&str>> = records.iter().map(|r| r["error"]["kind"].as_str()).collect();
    assert_eq!(kinds, [None, Some("binary"), Some("not_utf8"), Some("empty"), None]);
    for r in &records[1..4] {
        let msg = r["error"]["message"].as_str().unwrap();
        assert!(msg.contains(r["source"].as_str().unwrap()), "error message names the file: {msg}");
    }
}

#[test]
fn malformed_jsonl_lines_keep_their_place_and_name_their_line() {
    let input = concat!(
        "{\"id\":\"one\",\"text\":\"First document.\"}\n",
        "{not json\n",
        "\n",
        "{\"id\":\"three\",\"body\":\"no text field\"}\n",
        "[1,2]\n",
        "{\"id\":\"five\",\"text\":\"Last document.\"}\n",
    );
    let run = slant(&["analyze", "--format", "jsonl", "-"], input.as_bytes());
    assert_eq!(run.status, 1, "stderr: {}", run.stderr);
    let records = run.records();
    assert_eq!(records.len(), 5, "one record per non-blank line");
    assert_eq!(records[0]["id"], "one");
    assert!(records[0].get("error").is_none());
    assert_eq!(records[1]["source"], "stdin:2");
    assert_eq!(records[1]["error"]["kind"], "malformed_json");
    assert!(records[1]["error"]["message"].as_str().unwrap().starts_with("stdin:2:"));
    assert_eq!(records[2]["source"], "stdin:4");
    assert_eq!(records[2]["error"]["kind"], "missing_text");
    assert!(records[2]["error"]["message"].as_str().unwrap().contains("`text`"));
    assert_eq!(records[3]["error"]["kind"], "malformed_json");
    assert_eq!(records[4]["id"], "five");
    assert!(records[4].get("error").is_none());
}

#[test]
fn a_jsonl_file_names_path_and_line() {
    let dir = scratch("jsonl");
    let path = dir.join("batch.jsonl");
    std::fs::write(&path, "{\"text\":\"ok\"}\n{\"text\":5}\n").unwrap();
    let run = slant(&["analyze", "--format", "jsonl", path.to_str().unwrap()], b"");
    let records = run.records();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["id"], "batch-1", "documents without id are named after file and line");
    let source = records[1]["source"].as_str().unwrap();
    assert!(source.ends_with("batch.jsonl:2"), "{source}");
    assert_eq!(records[1]["error"]["kind"], "missing_text");
}

#[test]
fn usage_errors_exit_2_and_name_the_culprit() {
    let missing = slant(&["analyze", "/no/such/file.txt"], b"");
    assert_eq!(missing.status, 2);
    assert!(missing.stderr.contains("/no/such/file.txt"), "{}", missing.stderr);
    assert!(missing.stdout.is_empty());

    let flag = slant(&["analyze", "--no-such-flag"], b"");
    assert_eq!(flag.status, 2);
    assert!(flag.stderr.contains("--no-such-flag"), "{}", flag.stderr);

    let analyzer = slant(&["analyze", "--analyzers", "structure,bogus", "-"], b"text");
    assert_eq!(analyzer.status, 2);
    assert!(analyzer.stderr.contains("unknown analyzer `bogus`"), "{}", analyzer.stderr);

    let dict = slant(&["analyze", "--actors", "/no/such/dict.tsv", "-"], b"text");
    assert_eq!(dict.status, 2);
    assert!(dict.stderr.contains("/no/such/dict.tsv"), "{}", dict.stderr);
}

#[test]
fn stdin_text_is_one_document_and_stdin_jsonl_is_sniffed() {
    let text = slant(&["analyze", "--format", "jsonl"], "  \nJust words, no braces.".as_bytes());
    assert_eq!(text.status, 0, "{}", text.stderr);
    let r = text.records();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["id"], "stdin");
    let jsonl = slant(&["analyze", "--format", "jsonl"], b"\n{\"text\":\"a\"}\n{\"text\":\"b\"}\n");
    assert_eq!(jsonl.records().len(), 2);
}

#[test]
fn hostile_text_goes_through_the_whole_pipeline() {
    // Long runs without sentence ends, punctuation storms and emoticons must neither hang nor
    // crash any analyzer (each analyzer also has its own linear-time tests).
    let mut hostile = String::new();
    hostile.push_str(&"word ".repeat(200_000));
    hostile.push_str(&"!!!".repeat(30_000));
    hostile.push_str(&" :) :( 😀".repeat(10_000));
    hostile.push_str(&"“".repeat(5_000));
    let line = serde_json::json!({"id": "hostile", "text": hostile}).to_string();
    let run = slant(&["analyze", "--format", "jsonl", "-"], line.as_bytes());
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let records = run.records();
    assert_eq!(records.len(), 1);
    assert_record_shape(&records[0], &hostile);
}

#[test]
fn a_json_array_or_a_bare_object() {
    let one = slant(&["analyze", "--format", "json"], b"{\"id\":\"x\",\"text\":\"One.\"}\n");
    let v: serde_json::Value = serde_json::from_str(&one.stdout).expect("json output parses");
    assert_eq!(v["id"], "x", "one document gives a bare object");
    let two = slant(&["analyze", "--format", "json"], b"{\"text\":\"One.\"}\n{\"text\":\"Two.\"}\n");
    let v: serde_json::Value = serde_json::from_str(&two.stdout).expect("json output parses");
    assert_eq!(v.as_array().map(Vec::len), Some(2), "several documents give an array");
}
