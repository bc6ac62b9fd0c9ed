//! Where a benchmark ran and how its figures are recorded: the machine, the commit, the date,
//! and rows appended to `BENCHMARKS.md` (append only: other benchmarks write there too).

use std::fs::OpenOptions;
use std::io::Write;
use std::process::Command;

use anyhow::{Context, Result};

use crate::util::root;

/// The circumstances of a run, repeated on every row so that each row stands alone.
pub struct RunInfo {
    pub date: String,
    pub machine: String,
    pub commit: String,
    /// Load average when the run started: the machine is shared, so figures vary with it.
    pub load: String,
}

/// One recorded figure.
pub struct Row {
    pub figure: String,
    pub value: String,
    pub command: String,
}

impl RunInfo {
    pub fn now() -> RunInfo {
        RunInfo { date: utc_now(), machine: machine(), commit: commit(), load: load() }
    }
}

/// `N cores, CPU model` from the kernel.
pub fn machine() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{cores} cores, {model}")
}

/// The short commit, marked `-dirty` when tracked files differ from it.
pub fn commit() -> String {
    let out = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root())
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let head = out(&["rev-parse", "--short", "HEAD"]);
    let dirty = !out(&["status", "--porcelain", "--untracked-files=no"]).is_empty();
    if dirty {
        format!("{head}-dirty")
    } else {
        head
    }
}

/// The short commit of HEAD, whatever the working tree holds.
pub fn head() -> String {
    Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// `YYYY-MM-DD HH:MM UTC` without a date crate (days-from-civil, inverted).
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", rem / 3600, rem % 3600 / 60)
}

/// Appends a block of rows to `BENCHMARKS.md`, creating the file with a short preface if it
/// does not exist. Existing content is never rewritten.
pub fn append(ctx: &RunInfo, title: &str, rows: &[Row]) -> Result<()> {
    let path = root().join("BENCHMARKS.md");
    let new = !path.exists();
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let mut s = String::new();
    if new {
        s.push_str(
            "# Benchmarks\n\nFigures measured by `cargo xtask bench …` on the machine named in each row. Rows are \
             appended, never edited; `-dirty` marks a working tree with uncommitted changes to tracked files.\n",
        );
    }
    s.push_str(&format!("\n### {title}: {} (load average {} at start)\n\n", ctx.date, ctx.load));
    s.push_str("| date | machine | commit | figure | value | command |\n|---|---|---|---|---|---|\n");
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | `{}` |\n",
            ctx.date,
            ctx.machine,
            ctx.commit,
            cell(&r.figure),
            cell(&r.value),
            r.command.replace('|', "\\|").replace('`', "'")
        ));
    }
    f.write_all(s.as_bytes())?;
    eprintln!("bench: appended {} rows to {}", rows.len(), path.display());
    Ok(())
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
