//! VADER-Python, the baseline: vaderSentiment 3.3.2 from PyPI in a venv the xtask makes under
//! the build directory, scoring the corpus articles paragraph by paragraph in one process.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::util::{run as sh, target_dir};

pub const VADER_VERSION: &str = "3.3.2";

/// Scores every non-blank line (paragraph) of each article's text with `polarity_scores`,
/// timing only the scoring (not start-up, lexicon loading or JSON parsing, which favours
/// VADER), and stops after the document during which `max_seconds` of scoring is reached.
const SCRIPT: &str = r#"
import json, sys, time
t0 = time.perf_counter()
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
analyzer = SentimentIntensityAnalyzer()
load = time.perf_counter() - t0
max_seconds = float(sys.argv[1])
field = sys.argv[2]
docs = nbytes = paragraphs = 0
scoring = 0.0
cpu = 0.0
complete = True
for path in sys.argv[3:]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            text = json.loads(line).get(field)
            if not isinstance(text, str):
                continue
            if scoring >= max_seconds:
                complete = False
                break
            t = time.perf_counter()
            c = time.process_time()
            for paragraph in text.split("\n"):
                if paragraph.strip():
                    analyzer.polarity_scores(paragraph)
                    paragraphs += 1
            scoring += time.perf_counter() - t
            cpu += time.process_time() - c
            docs += 1
            nbytes += len(text.encode("utf-8"))
    if not complete:
        break
print(json.dumps({"docs": docs, "bytes": nbytes, "paragraphs": paragraphs, "seconds": scoring, "cpu_seconds": cpu,
                  "load_seconds": load, "complete": complete}))
"#;

/// What VADER-Python did.
#[derive(Debug, Deserialize)]
pub struct VaderRun {
    pub docs: usize,
    pub bytes: u64,
    pub paragraphs: usize,
    /// Seconds spent in `polarity_scores` calls alone.
    pub seconds: f64,
    /// CPU seconds of those calls (what counts on a loaded machine).
    #[serde(default)]
    pub cpu_seconds: f64,
    pub load_seconds: f64,
    /// False when the time budget stopped it before the end of the input.
    pub complete: bool,
}

/// The venv's python, creating the venv and installing vaderSentiment if needed.
pub fn python() -> Result<PathBuf> {
    let venv = target_dir().join("venv-vader");
    let py = venv.join("bin/python");
    let ready = py.exists()
        && Command::new(&py)
            .args(["-c", "import vaderSentiment"])
            .stderr(std::process::Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    if !ready {
        sh(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        sh(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("vadersentiment=={VADER_VERSION}"),
        ]))?;
    }
    Ok(py)
}

/// The command line that runs the baseline (also shown in reports).
pub fn command(py: &Path, script: &Path, max_seconds: f64, field: &str, files: &[PathBuf]) -> Command {
    let mut c = Command::new(py);
    c.arg(script).arg(format!("{max_seconds}")).arg(field).args(files);
    c
}

/// Writes the scoring script into `work` and returns its path.
pub fn script(work: &Path) -> Result<PathBuf> {
    let path = work.join("vader_paragraphs.py");
    std::fs::write(&path, SCRIPT.trim_start()).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// Parses the script's one-line JSON report.
pub fn parse(stdout: &Path) -> Result<VaderRun> {
    let text = std::fs::read_to_string(stdout)?;
    let last = text.lines().last().unwrap_or("");
    let run: VaderRun = serde_json::from_str(last).with_context(|| format!("VADER-Python printed {last:?}"))?;
    if run.docs == 0 || run.seconds <= 0.0 {
        bail!("VADER-Python scored nothing");
    }
    Ok(run)
}
