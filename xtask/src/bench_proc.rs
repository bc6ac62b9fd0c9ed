//! Runs one benchmarked child process and measures it: wall time, CPU time and peak resident
//! memory, the last two from the kernel's own accounting of that child (`wait4`).

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::process::{ChildStdin, Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};

/// What one run of a child cost.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// Seconds from spawn to exit.
    pub wall: f64,
    /// User plus system CPU seconds of the child (and of threads it ran).
    pub cpu: f64,
    /// Peak resident set size in bytes (`ru_maxrss`).
    pub peak_rss: u64,
    /// The exit code (0: all documents fine; 1: some documents failed).
    pub code: i32,
}

/// Feeds a child's standard input from a writer thread.
pub type Feed = Box<dyn FnOnce(&mut ChildStdin) -> std::io::Result<()> + Send>;

/// Spawns `cmd` with stdout to `stdout` (or discarded) and stderr to `stderr_log`, optionally
/// feeding stdin, and waits for it with `wait4` so the resource usage is this child's alone.
/// Exit codes above `max_ok_code` (or a signal) are errors that quote the child's stderr.
pub fn measure(
    cmd: &mut Command,
    stdout: Option<&Path>,
    stderr_log: &Path,
    feed: Option<Feed>,
    max_ok_code: i32,
) -> Result<Cost> {
    let shown = format!("{cmd:?}");
    cmd.stdout(match stdout {
        Some(p) => Stdio::from(File::create(p).with_context(|| format!("cannot create {}", p.display()))?),
        None => Stdio::null(),
    });
    cmd.stderr(Stdio::from(
        File::create(stderr_log).with_context(|| format!("cannot create {}", stderr_log.display()))?,
    ));
    cmd.stdin(if feed.is_some() { Stdio::piped() } else { Stdio::null() });

    let started = Instant::now();
    let mut child = cmd.spawn().with_context(|| format!("cannot start {shown}"))?;
    let writer = match (feed, child.stdin.take()) {
        (Some(f), Some(mut stdin)) => Some(std::thread::spawn(move || {
            // A child that exits early closes the pipe; its exit status tells what happened.
            let _ = f(&mut stdin);
            let _ = stdin.flush();
        })),
        _ => None,
    };

    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data, fully written by a successful `wait4`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waits for our own child, which std has not reaped (we never call `wait`).
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            bail!("wait4 on {shown}: {err}");
        }
    }
    let wall = started.elapsed().as_secs_f64();
    if let Some(w) = writer {
        let _ = w.join();
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
    // Linux reports ru_maxrss in kilobytes.
    let peak_rss = usage.ru_maxrss as u64 * 1024;

    if !libc::WIFEXITED(status) {
        bail!("{shown} was killed by signal {}\n{}", libc::WTERMSIG(status), tail(stderr_log));
    }
    let code = libc::WEXITSTATUS(status);
    if code > max_ok_code {
        bail!("{shown} exited with {code}\n{}", tail(stderr_log));
    }
    Ok(Cost { wall, cpu, peak_rss, code })
}

/// The last lines of a log, to quote in an error.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(15);
    format!("--- stderr ({}) ---\n{}", path.display(), lines[from..].join("\n"))
}

/// The faster of two runs of the same command, with the higher peak RSS and exit code of the
/// two (a figure of memory or failure must not depend on which run was faster).
pub fn faster(a: Cost, b: Cost) -> Cost {
    let peak_rss = a.peak_rss.max(b.peak_rss);
    let code = a.code.max(b.code);
    if b.wall < a.wall {
        Cost { peak_rss, code, ..b }
    } else {
        Cost { peak_rss, code, ..a }
    }
}

/// Runs a measurement up to `reps` times (stopping early once `budget` seconds are spent) and
/// keeps the fastest wall time, the CPU time of that run, and the highest peak RSS seen:
/// on a shared machine the fastest run is the one least disturbed by others.
pub fn best_of(reps: usize, budget: f64, mut once: impl FnMut() -> Result<Cost>) -> Result<Cost> {
    let started = Instant::now();
    let mut best: Option<Cost> = None;
    for _ in 0..reps.max(1) {
        let c = once()?;
        best = Some(match best {
            None => c,
            Some(b) => faster(b, c),
        });
        if started.elapsed().as_secs_f64() > budget {
            break;
        }
    }
    best.context("no run")
}
