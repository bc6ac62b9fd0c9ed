//! Output does not depend on `--jobs` or on batching (issue 2): a document gives the same
//! record alone and inside a batch, in input order.

use crate::support::*;

fn docs() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(fixture("docs")).expect("fixture docs").map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

#[test]
fn same_records_for_any_number_of_jobs() {
    let dir = fixture("docs");
    let one = slant(&["analyze", "--format", "jsonl", "--jobs", "1", dir.to_str().unwrap()], b"");
    let four = slant(&["analyze", "--format", "jsonl", "--jobs", "4", dir.to_str().unwrap()], b"");
    assert_eq!(one.status, 0, "{}", one.stderr);
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(one.records().len(), docs().len());
}

#[test]
fn a_document_alone_equals_the_same_document_in_a_batch() {
    let dir = fixture("docs");
    let batch = slant(&["analyze", "--format", "jsonl", "--jobs", "4", dir.to_str().unwrap()], b"").records();
    for (i, path) in docs().iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap();
        let alone = slant(&["analyze", "--format", "jsonl", "--jobs", "1", path.to_str().unwrap()], b"").records();
        assert_eq!(alone.len(), 1);
        assert_eq!(alone[0], batch[i], "{} differs alone and in a batch", path.display());
        assert_record_shape(&alone[0], &text);
    }
}

#[test]
fn fixtures_keep_the_contract_including_multibyte_offsets() {
    for path in docs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let run = slant(&["analyze", "--format", "jsonl", path.to_str().unwrap()], b"");
        assert_eq!(run.status, 0, "{}: {}", path.display(), run.stderr);
        assert_record_shape(&run.records()[0], &text);
    }
}

/// `--timings` reports on stderr and changes nothing on stdout (issue 9: per-stage figures
/// come from the run itself, not from subtracting runs).
#[test]
fn timings_go_to_stderr_name_every_stage_and_leave_the_output_alone() {
    let dir = fixture("docs");
    let plain = slant(&["analyze", "--format", "jsonl", "--jobs", "2", dir.to_str().unwrap()], b"");
    let timed = slant(&["analyze", "--format", "jsonl", "--jobs", "2", "--timings=json", dir.to_str().unwrap()], b"");
    assert_eq!(timed.status, 0, "{}", timed.stderr);
    assert_eq!(plain.stdout, timed.stdout);
    let line = timed.stderr.lines().find(|l| l.starts_with('{')).expect("a JSON timings line on stderr");
    let t: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(t["documents"].as_u64(), Some(docs().len() as u64));
    let names: Vec<&str> = t["stages"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["structure", "actors", "rhetoric", "sentiment", "stance"]);
    for s in t["stages"].as_array().unwrap() {
        assert_eq!(s["calls"].as_u64(), Some(docs().len() as u64), "{s}");
        assert!(s["analyze_seconds"].as_f64().unwrap() > 0.0, "{s}");
    }
    let table = slant(&["analyze", "--format", "jsonl", "--timings", dir.to_str().unwrap()], b"");
    assert!(table.stderr.contains("structure (analyze)"), "{}", table.stderr);
    assert!(table.stderr.contains("host serialize"), "{}", table.stderr);
}
