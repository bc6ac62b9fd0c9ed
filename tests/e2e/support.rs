//! Helpers shared by the end-to-end tests: running the binary and locating data.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The outcome of one `slant` run.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as JSONL records.
    pub fn records(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {l}")))
            .collect()
    }
}

/// Runs `slant` with `args`, feeding `stdin`.
pub fn slant(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_slant"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the slant binary runs");
    {
        let mut input = child.stdin.take().expect("stdin is piped");
        // The child may exit before reading everything (usage errors): ignore a broken pipe.
        let _ = input.write_all(stdin);
    }
    let out = child.wait_with_output().expect("slant finishes");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/data/<rel>` beside the repository (CI has it there).
pub fn data(rel: &str) -> PathBuf {
    repo().join("../shared/data").join(rel)
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// Checks one record against the contract's shape: required fields, and that every
/// annotation's `text` equals the input text sliced by code points.
pub fn assert_record_shape(record: &Value, text: &str) {
    for key in ["id", "source", "chars", "annotations", "summary", "diagnostics"] {
        assert!(record.get(key).is_some(), "record lacks `{key}`: {record}");
    }
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(record["chars"].as_u64(), Some(chars.len() as u64));
    for a in record["annotations"].as_array().expect("annotations is an array") {
        let (s, e) = (a["start"].as_u64().expect("start") as usize, a["end"].as_u64().expect("end") as usize);
        assert!(s <= e && e <= chars.len(), "span out of range: {a}");
        let slice: String = chars[s..e].iter().collect();
        assert_eq!(a["text"].as_str(), Some(slice.as_str()), "annotation text differs from text[start:end]: {a}");
        assert!(a["layer"].is_string(), "annotation without layer: {a}");
    }
    for d in record["diagnostics"].as_array().expect("diagnostics is an array") {
        assert!(d["analyzer"].is_string() && d["message"].is_string(), "bad diagnostic: {d}");
        assert!(matches!(d["level"].as_str(), Some("warning" | "error")), "bad level: {d}");
    }
}
