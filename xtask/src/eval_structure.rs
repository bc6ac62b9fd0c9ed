//! `cargo xtask eval structure`: sentence-boundary precision, recall and F1 on the PTC training
//! articles (`../shared/data/ptc/train-articles`).
//!
//! Each article is a title line, a blank line, then one sentence per line, with blank lines
//! between paragraphs. We rebuild running text with known boundaries:
//! - paragraphs (blank-line-separated blocks) are joined by a blank line, as scraped text has
//!   them, so a paragraph end is always a boundary;
//! - inside a paragraph, a line that ends in sentence punctuation (`.`, `?`, `!`, `…`, maybe
//!   followed by closing quotes or brackets) is joined to the next by a space, which is where
//!   the splitter must work; a line without final punctuation (a heading, a byline, a list item,
//!   "Here’s why:") is kept on its own line, as it would stand in the article.
//!
//! Gold boundaries are the ends of the lines; predicted ones the ends of the sentences the
//! analyzer returns. We report all boundaries and, separately, the in-paragraph boundaries
//! joined by a space only (the hard ones). `--strict` also joins unpunctuated lines by a space
//! (a variant in which such boundaries cannot be seen in the text at all); `--errors N` prints
//! N missed and N spurious boundaries with context.
//!
//! `--corpus` instead runs the analyzer in-process over `../shared/data/corpus/*.jsonl`
//! (`content_original`) and prints its throughput (CPU time of the analysis alone, one thread)
//! and how many documents got each boilerplate kind and quote kind.

use std::collections::BTreeSet;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::util::data_dir;

#[derive(Default)]
struct Counts {
    gold: usize,
    pred: usize,
    hit: usize,
}

impl Counts {
    fn add(&mut self, gold: &BTreeSet<usize>, pred: &BTreeSet<usize>) {
        self.gold += gold.len();
        self.pred += pred.len();
        self.hit += gold.intersection(pred).count();
    }

    fn line(&self, what: &str) -> String {
        let p = self.hit as f64 / self.pred.max(1) as f64;
        let r = self.hit as f64 / self.gold.max(1) as f64;
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        format!(
            "{what:<34} precision {p:.4}  recall {r:.4}  F1 {f:.4}   (gold {}, predicted {}, correct {})",
            self.gold, self.pred, self.hit
        )
    }
}

/// Whether a line ends a sentence by its punctuation.
fn ends_with_terminal(line: &str) -> bool {
    let core = line.trim_end_matches(['"', '\'', ')', ']', '”', '’', '»', '*']);
    core.ends_with(['.', '?', '!', '…'])
}

/// Builds the text of one article and its gold boundaries (byte offsets of sentence ends).
fn build(article: &str, strict: bool) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(article.len());
    let mut gold = Vec::new();
    let mut first_in_block = true;
    let mut prev_terminal = false;
    for raw in article.lines() {
        let line = raw.trim();
        if line.is_empty() {
            first_in_block = true;
            continue;
        }
        if !text.is_empty() {
            if first_in_block {
                text.push_str("\n\n");
            } else if strict || prev_terminal {
                text.push(' ');
            } else {
                text.push('\n');
            }
        }
        text.push_str(line);
        gold.push(text.len());
        first_in_block = false;
        prev_terminal = ends_with_terminal(line);
    }
    (text, gold)
}

/// A boundary is in-paragraph when a space (not a line break, not the end) follows it.
fn in_paragraph(text: &str, pos: usize) -> bool {
    text.as_bytes().get(pos) == Some(&b' ')
}

fn context(text: &str, pos: usize) -> String {
    let mut a = pos.saturating_sub(60);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut z = (pos + 60).min(text.len());
    while !text.is_char_boundary(z) {
        z += 1;
    }
    format!("{}⟦|⟧{}", &text[a..pos], &text[pos..z]).replace('\n', "⏎")
}

pub fn run(args: &[String]) -> Result<()> {
    let mut strict = false;
    let mut errors = 0usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--strict" => strict = true,
            "--corpus" => return corpus(),
            "--errors" => {
                errors = it.next().context("--errors needs a number")?.parse().context("--errors needs a number")?
            }
            other => bail!("unknown option `{other}` (eval structure [--strict] [--errors N])"),
        }
    }
    let dir = data_dir().join("ptc/train-articles");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no articles in {}", dir.display());
    }
    let mut all = Counts::default();
    let mut inner = Counts::default();
    let mut missed = Vec::new();
    let mut spurious = Vec::new();
    let mut bytes = 0usize;
    let mut elapsed = 0.0f64;
    for path in &files {
        let article = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let (text, gold) = build(&article, strict);
        let t0 = Instant::now();
        let analysis = slant_structure::analyze_text(&text);
        elapsed += t0.elapsed().as_secs_f64();
        bytes += text.len();
        let gold: BTreeSet<usize> = gold.into_iter().collect();
        let pred: BTreeSet<usize> = analysis.sentences.iter().map(|s| s.1).collect();
        all.add(&gold, &pred);
        let gi: BTreeSet<usize> = gold.iter().copied().filter(|&p| in_paragraph(&text, p)).collect();
        let pi: BTreeSet<usize> = pred.iter().copied().filter(|&p| in_paragraph(&text, p)).collect();
        inner.add(&gi, &pi);
        if errors > 0 {
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            for &p in gold.difference(&pred) {
                missed.push(format!("{name}: {}", context(&text, p)));
            }
            for &p in pred.difference(&gold) {
                spurious.push(format!("{name}: {}", context(&text, p)));
            }
        }
    }
    let how = if strict { "all lines joined by a space" } else { "unpunctuated lines kept on their own line" };
    println!("PTC train articles: {} files, {:.1} MB, {how}", files.len(), bytes as f64 / 1e6);
    println!("{}", all.line("all sentence boundaries"));
    println!("{}", inner.line("in-paragraph boundaries"));
    println!(
        "analyze_text: {:.3} s, {:.1} MB/s (this build; use --release for speed)",
        elapsed,
        bytes as f64 / 1e6 / elapsed.max(1e-9)
    );
    if errors > 0 {
        println!("\nmissed boundaries ({} in all):", missed.len());
        for m in missed.iter().take(errors) {
            println!("  {m}");
        }
        println!("\nspurious boundaries ({} in all):", spurious.len());
        for s in spurious.iter().take(errors) {
            println!("  {s}");
        }
    }
    Ok(())
}

/// CPU time of this thread: on a shared, loaded machine wall time says little about the code.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Throughput and what was found over the news corpus.
fn corpus() -> Result<()> {
    use slant_core::{Analyzer, Document};
    use std::collections::BTreeMap;

    let dir = data_dir().join("corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let analyzer = slant_structure::Structure;
    let mut bytes = 0usize;
    let mut docs = 0usize;
    let mut elapsed = 0.0f64;
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    let mut bylines = 0usize;
    for path in &files {
        let raw = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        for line in raw.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).context("corpus line is JSON")?;
            let Some(text) = v.get("content_original").and_then(|t| t.as_str()) else { continue };
            let doc = Document::new("d", text);
            let t0 = thread_cpu_seconds();
            let out = analyzer.analyze(&doc);
            elapsed += thread_cpu_seconds() - t0;
            bytes += text.len();
            docs += 1;
            let mut kinds: BTreeSet<String> = BTreeSet::new();
            for a in &out.annotations {
                match &*a.layer {
                    "boilerplate" => kinds.insert(format!("boilerplate {}", a.label.as_deref().unwrap_or("?"))),
                    "quote" => kinds.insert(format!(
                        "quote {}{}",
                        a.attr_str("kind").unwrap_or("?"),
                        if a.label.is_some() { " with speaker" } else { "" }
                    )),
                    _ => false,
                };
            }
            for k in kinds {
                *found.entry(k).or_default() += 1;
            }
            if out.summary.iter().any(|(k, v)| k == "document" && !v["byline"].is_null()) {
                bylines += 1;
            }
        }
    }
    println!(
        "corpus: {docs} documents, {:.1} MB of text; structure alone: {:.2} s CPU, {:.1} MB/s on one thread",
        bytes as f64 / 1e6,
        elapsed,
        bytes as f64 / 1e6 / elapsed.max(1e-9)
    );
    println!("documents with a byline: {bylines}");
    for (k, n) in found {
        println!("documents with {k:<32} {n}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_joins_punctuated_lines_and_keeps_the_rest() {
        let (text, gold) = build("Title here\n\nOne. \nTwo\nThree.\n\nFour.\n", false);
        assert_eq!(text, "Title here\n\nOne. Two\nThree.\n\nFour.");
        let ends: Vec<&str> = gold.iter().map(|&g| &text[..g]).map(|s| &s[s.len() - 4..]).collect();
        assert_eq!(ends, ["here", "One.", " Two", "ree.", "our."]);
        let (strict, _) = build("A\nB.\n", true);
        assert_eq!(strict, "A B.");
    }
}
