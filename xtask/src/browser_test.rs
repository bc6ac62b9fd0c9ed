//! `cargo xtask browser-test`: renders the seed article's HTML report in headless Chromium
//! (installing Debian's `chromium` if it is missing), and checks that the screenshot is not
//! blank and that the page ran its script to the end without a console error.
//!
//! Options: `--keep` leaves the output folder (`<target>/browser-test/`) in place, which it
//! does anyway; `--input PATH` renders another article instead of the seed.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::util;

/// How long one Chromium run may take before it is killed.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(90);

pub fn run(args: &[String]) -> Result<()> {
    let mut input = util::data_dir().join("seed/armenia-csto.txt");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--input" => input = PathBuf::from(it.next().context("--input needs a path")?),
            "--keep" => {}
            other => bail!("browser-test: unknown argument `{other}` (options: --input PATH)"),
        }
    }
    if !input.exists() {
        bail!("browser-test: `{}` does not exist", input.display());
    }
    let chromium = ensure_chromium()?;

    util::run(util::cargo().args(["build", "--quiet", "-p", "slant-cli", "--bin", "slant"]))?;
    let slant = util::target_dir().join("debug/slant");
    let out_dir = util::target_dir().join("browser-test");
    std::fs::create_dir_all(&out_dir).with_context(|| format!("cannot create `{}`", out_dir.display()))?;
    let page = out_dir.join("report.html");
    let screenshot = out_dir.join("report.png");

    let status = Command::new(&slant)
        .arg("analyze")
        .arg(&input)
        .args(["--format", "html", "--output"])
        .arg(&page)
        .status()
        .with_context(|| format!("cannot run `{}`", slant.display()))?;
    // Exit 1 means an analyzer reported an error on the document: the page still shows it.
    if !matches!(status.code(), Some(0 | 1)) {
        bail!("`slant analyze --format html` failed ({status})");
    }
    // The terminal report beside it, for people comparing the two.
    let pretty = Command::new(&slant)
        .arg("analyze")
        .arg(&input)
        .args(["--format", "pretty"])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .context("cannot run `slant analyze --format pretty`")?;
    std::fs::write(out_dir.join("report.txt"), &pretty.stdout)?;

    check_page(&chromium, &page, &screenshot, true)?;

    // The corpus view in the same style: the seed's saved record plus the small hand-made
    // corpus fixture, through `slant report --format html`.
    let results = out_dir.join("seed.jsonl");
    let jsonl = Command::new(&slant).arg("analyze").arg(&input).args(["--format", "jsonl"]).output()?;
    std::fs::write(&results, &jsonl.stdout)?;
    let corpus_page = out_dir.join("corpus.html");
    let status = Command::new(&slant)
        .arg("report")
        .arg(&results)
        .arg(util::root().join("tests/fixtures/report/corpus.jsonl"))
        .args(["--format", "html", "--output"])
        .arg(&corpus_page)
        .status()?;
    if !status.success() {
        bail!("`slant report --format html` failed ({status})");
    }
    check_page(&chromium, &corpus_page, &out_dir.join("corpus.png"), false)?;
    println!(
        "browser-test: ok — look at {}, {} and {}",
        screenshot.display(),
        out_dir.join("corpus.png").display(),
        out_dir.join("report.txt").display()
    );
    Ok(())
}

/// Loads `page` in headless Chromium: no outside resources, no console error, the script's
/// self-check marker present (and hovering works when `hover` is asked), and a screenshot
/// that is not blank.
fn check_page(chromium: &Path, page: &Path, screenshot: &Path, hover: bool) -> Result<()> {
    let html = std::fs::read_to_string(page)?;
    for bad in ["src=\"http", "href=\"http", "url(http", "@import", "<link"] {
        if html.contains(bad) {
            bail!("{}: references an outside resource (`{bad}`): it must be self-contained", page.display());
        }
    }
    let _ = std::fs::remove_file(screenshot);
    let url = format!("file://{}", page.canonicalize()?.display());
    // 1. The DOM after scripts ran, with console logging on stderr.
    let dom = chromium_run(chromium, &["--enable-logging=stderr", "--v=0", "--dump-dom", &url])?;
    let console: Vec<&str> = dom
        .stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught") || l.contains("SyntaxError"))
        .collect();
    if !console.is_empty() {
        bail!("{}: the page logged to the console:\n{}", page.display(), console.join("\n"));
    }
    if dom.stdout.contains("id=\"slant-error\"") {
        bail!("{}: the page's script failed: {}", page.display(), excerpt(&dom.stdout, "id=\"slant-error\""));
    }
    if !dom.stdout.contains("id=\"slant-selfcheck\"") {
        bail!("{}: the page's script did not finish (no `slant-selfcheck` marker in the DOM)", page.display());
    }
    let marker = excerpt(&dom.stdout, "id=\"slant-selfcheck\"");
    if hover && !marker.contains("hover=ok") {
        bail!("{}: hovering a highlighted passage shows no details: {marker}", page.display());
    }
    if marker.contains("toggle=broken") {
        bail!("{}: a layer toggle does not switch its highlights: {marker}", page.display());
    }
    let docs = dom.stdout.matches("<section class=\"doc").count();
    let highlighted = dom.stdout.matches(" data-a=\"").count();

    // 2. The screenshot.
    let shot_arg = format!("--screenshot={}", screenshot.display());
    chromium_run(chromium, &[&shot_arg, "--window-size=1280,2000", &url])?;
    let stats = png_stats(screenshot)?;
    println!(
        "browser-test: {} ({} sections, {} highlighted segments, hover {}, toggles {}); screenshot {} ({}x{}, luminance sd {:.1}, {:.1}% non-background pixels, {} distinct colours)",
        page.display(),
        docs,
        highlighted,
        if marker.contains("hover=ok") { "ok" } else { "not checked" },
        if marker.contains("toggle=ok") { "ok" } else { "not checked" },
        screenshot.display(),
        stats.width,
        stats.height,
        stats.sd,
        stats.ink * 100.0,
        stats.colours
    );
    if stats.sd < 8.0 || stats.ink < 0.02 {
        bail!(
            "{}: the screenshot looks blank (luminance sd {:.1}, {:.2}% ink)",
            page.display(),
            stats.sd,
            stats.ink * 100.0
        );
    }
    Ok(())
}

fn excerpt(s: &str, at: &str) -> String {
    let i = s.find(at).unwrap_or(0);
    s[i..].chars().take(300).collect()
}

/// Chromium's path: `CHROMIUM` if set, else `chromium` on the PATH, installed with apt-get
/// when missing.
fn ensure_chromium() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Ok(PathBuf::from(p));
    }
    if let Some(p) = which("chromium") {
        return Ok(p);
    }
    eprintln!("browser-test: chromium is missing; installing Debian's `chromium`");
    util::run(Command::new("apt-get").arg("update"))?;
    util::run(Command::new("apt-get").args(["install", "-y", "chromium"]).env("DEBIAN_FRONTEND", "noninteractive"))
        .context("cannot install chromium (apt-get needs root; or set CHROMIUM=/path/to/chromium)")?;
    which("chromium").context("chromium was installed but is not on the PATH")
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

struct Output {
    stdout: String,
    stderr: String,
}

/// Runs headless Chromium with a fresh profile and no background networking, killing it if
/// it hangs.
fn chromium_run(chromium: &Path, extra: &[&str]) -> Result<Output> {
    let profile = std::env::temp_dir().join(format!("slant-chromium-{}-{}", std::process::id(), nanos()));
    std::fs::create_dir_all(&profile)?;
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--virtual-time-budget=3000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().with_context(|| format!("cannot start `{}`", chromium.display()))?;
    let mut out_pipe = child.stdout.take().context("chromium stdout")?;
    let mut err_pipe = child.stderr.take().context("chromium stderr")?;
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(&mut out_pipe).read_to_string(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(&mut err_pipe).read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > CHROMIUM_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_dir_all(&profile);
            bail!("chromium did not finish within {} s", CHROMIUM_TIMEOUT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = out_thread.join().unwrap_or_default();
    let stderr = err_thread.join().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    if !status.success() {
        bail!("chromium failed ({status}):\n{}", stderr.lines().rev().take(15).collect::<Vec<_>>().join("\n"));
    }
    Ok(Output { stdout, stderr })
}

fn nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

struct PngStats {
    width: u32,
    height: u32,
    /// Standard deviation of luminance over all pixels (0–255).
    sd: f64,
    /// Share of pixels that differ clearly from the most common colour (the background).
    ink: f64,
    colours: usize,
}

/// Decodes the screenshot and measures how much is drawn on it.
fn png_stats(path: &Path) -> Result<PngStats> {
    let file = std::fs::File::open(path).with_context(|| format!("no screenshot at `{}`", path.display()))?;
    let mut decoder = png::Decoder::new(BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().context("the screenshot is not a PNG")?;
    let mut buf = vec![0; reader.output_buffer_size().context("PNG too large")?];
    let info = reader.next_frame(&mut buf).context("cannot decode the screenshot")?;
    let channels = info.color_type.samples();
    let data = &buf[..info.buffer_size()];
    let mut lum = Vec::with_capacity(data.len() / channels);
    let mut counts: std::collections::HashMap<[u8; 3], u64> = std::collections::HashMap::new();
    for px in data.chunks_exact(channels) {
        let (r, g, b) = if channels >= 3 { (px[0], px[1], px[2]) } else { (px[0], px[0], px[0]) };
        lum.push(0.2126 * r as f64 + 0.7152 * g as f64 + 0.0722 * b as f64);
        *counts.entry([r, g, b]).or_default() += 1;
    }
    let n = lum.len().max(1) as f64;
    let mean = lum.iter().sum::<f64>() / n;
    let sd = (lum.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / n).sqrt();
    let background = counts.iter().max_by_key(|(_, c)| **c).map(|(k, _)| *k).unwrap_or([255, 255, 255]);
    let ink = data
        .chunks_exact(channels)
        .filter(|px| {
            let (r, g, b) = if channels >= 3 { (px[0], px[1], px[2]) } else { (px[0], px[0], px[0]) };
            (r as i32 - background[0] as i32).abs()
                + (g as i32 - background[1] as i32).abs()
                + (b as i32 - background[2] as i32).abs()
                > 30
        })
        .count() as f64
        / n;
    Ok(PngStats { width: info.width, height: info.height, sd, ink, colours: counts.len() })
}
