//! The registry as users see it (issue 2): `slant analyzers` lists every built-in with its
//! metadata. A snapshot, so that an analyzer that silently vanishes, or whose requirements
//! change, shows up in review.

use crate::support::*;

#[test]
fn analyzers_listing_snapshot() {
    let run = slant(&["analyzers", "--format", "json"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    let list: serde_json::Value = serde_json::from_str(&run.stdout).expect("analyzers --format json parses");
    let names: Vec<&str> = list.as_array().expect("a list").iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["actors", "rhetoric", "sentiment", "stance", "structure"]);
    insta::assert_json_snapshot!("analyzers", list);
}

#[test]
fn analyzers_text_listing_names_requires_and_provides() {
    let run = slant(&["analyzers"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    for name in ["actors", "rhetoric", "sentiment", "stance", "structure"] {
        assert!(run.stdout.contains(name), "{name} missing from:\n{}", run.stdout);
    }
    assert!(run.stdout.contains("requires:") && run.stdout.contains("provides:"));
}
