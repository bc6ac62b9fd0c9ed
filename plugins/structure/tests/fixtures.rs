//! Data-driven tests: every `tests/fixtures/structure/*.txt` file holds a text and the
//! sentences, quotes, boilerplate and byline the analyzer must find (format in that folder's
//! README).

use std::path::{Path, PathBuf};

use slant_structure::analyze_text;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/structure")
}

/// A fixture's sections by name; the text keeps its inner newlines.
fn sections(raw: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in raw.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("=== ") {
            out.push((name.trim().to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
        }
    }
    for (_, body) in &mut out {
        if body.ends_with('\n') {
            body.pop();
        }
    }
    out
}

fn expectation_lines(body: &str) -> Vec<&str> {
    body.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect()
}

fn check(path: &Path) -> Vec<String> {
    let raw = std::fs::read_to_string(path).expect("fixture is readable UTF-8");
    let secs = sections(&raw);
    let text = &secs.iter().find(|(n, _)| n == "text").expect("fixture has a `=== text` section").1;
    let result = analyze_text(text);
    let mut failures = Vec::new();
    let name = path.file_name().unwrap().to_string_lossy();
    for (section, body) in &secs {
        let want = expectation_lines(body);
        let got: Vec<String> = match section.as_str() {
            "text" => continue,
            "sentences" => result.sentences.iter().map(|&(a, b)| text[a..b].to_string()).collect(),
            "quotes" => result
                .quotes
                .iter()
                .map(|q| {
                    let speaker = q.speaker.map_or("-", |(a, b)| &text[a..b]);
                    format!("{} | {} | {}", q.kind.as_str(), speaker, &text[q.start..q.end])
                })
                .collect(),
            "boilerplate" => {
                result.boilerplate.iter().map(|b| format!("{} | {}", b.kind, &text[b.start..b.end])).collect()
            }
            "byline" => vec![result.byline.clone().unwrap_or_else(|| "-".to_string())],
            other => panic!("{name}: unknown section `{other}`"),
        };
        if got != want {
            failures.push(format!("{name} [{section}]\n  want: {want:#?}\n  got:  {got:#?}"));
        }
    }
    // Whatever the expectations, spans must be on char boundaries, trimmed and in order.
    for &(a, b) in result.sentences.iter().chain(&result.paragraphs) {
        let s = &text[a..b];
        assert!(!s.is_empty() && s.trim() == s, "{name}: untrimmed span {s:?}");
    }
    failures
}

#[test]
fn every_fixture_matches() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("tests/fixtures/structure exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "expected the structure fixtures, found {files:?}");
    let failures: Vec<String> = files.iter().flat_map(|f| check(f)).collect();
    assert!(failures.is_empty(), "{} fixture section(s) differ:\n{}", failures.len(), failures.join("\n"));
}
