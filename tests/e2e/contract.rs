//! Contract tests (issue 2): record shape, code-point offsets, order, jobs independence.

use crate::support::*;

#[test]
fn seed_record_has_the_contract_shape() {
    let seed = data("seed/armenia-csto.txt");
    let text = std::fs::read_to_string(&seed).expect("the seed article is in ../shared/data");
    let run = slant(&["analyze", "--format", "jsonl", seed.to_str().unwrap()], b"");
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let records = run.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "armenia-csto");
    assert_record_shape(&records[0], &text);
}
