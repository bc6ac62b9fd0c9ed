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

/// Issue 9: with `--jobs` above 1 the host keeps several batches in flight (each bounded by
/// bytes of text) and writes them in input order. Enough documents of uneven length to fill
/// many batches must come out exactly as one thread writes them.
#[test]
fn many_batches_in_flight_keep_input_order_and_bytes() {
    let dir = std::env::temp_dir().join(format!("slant-e2e-batches-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("many.jsonl");
    let words = ["The minister said", "talks would resume", "after the vote.", "Critics called it", "a delay"];
    let mut lines = String::new();
    let mut bytes = 0;
    for i in 0..600 {
        // Lengths from a few bytes to several kilobytes, so batches close on bytes and on count.
        let text: Vec<&str> = (0..(i * 37) % 900 + 1).map(|k| words[(i + k) % words.len()]).collect();
        let text = text.join(" ");
        bytes += text.len();
        lines.push_str(&serde_json::json!({ "id": format!("d{i}"), "text": text }).to_string());
        lines.push('\n');
    }
    assert!(bytes > 2 << 20, "the input spans many batches: {bytes} bytes");
    std::fs::write(&input, lines).unwrap();
    let path = input.to_str().unwrap();
    let args = |jobs| ["analyze", "--format", "jsonl", "--analyzers", "structure", "--jobs", jobs, path];
    let one = slant(&args("1"), b"");
    let three = slant(&args("3"), b"");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(one.status, 0, "{}", one.stderr);
    assert_eq!(three.status, 0, "{}", three.stderr);
    let ids: Vec<String> = three.records().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, (0..600).map(|i| format!("d{i}")).collect::<Vec<_>>());
    assert!(one.stdout == three.stdout, "--jobs 3 output differs from --jobs 1");
}
