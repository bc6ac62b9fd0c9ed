//! The benchmark's input: the news corpus in `../shared/data/corpus` (or a prefix of it for
//! `--quick`), the article text extracted for `wc -w`, and the long documents of the
//! linearity check. Everything derived is written under the build directory, never committed.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// The JSONL field holding an article's body.
pub const TEXT_FIELD: &str = "content_original";

/// The input of one benchmark run.
pub struct Corpus {
    /// JSONL files, in order.
    pub files: Vec<PathBuf>,
    /// Lines holding a string text field.
    pub docs: usize,
    /// Sum of the text field's UTF-8 bytes: what "MB/s" divides.
    pub text_bytes: u64,
    /// The texts, one after another, each followed by a newline (input of `wc -w`).
    pub plain: PathBuf,
    /// How the input was chosen, for reports.
    pub description: String,
}

/// The corpus files, sorted.
pub fn corpus_files() -> Result<Vec<PathBuf>> {
    let dir = crate::util::data_dir().join("corpus");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .with_context(|| format!("cannot read {} (the benchmark corpus)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("jsonl"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no .jsonl files in {}", dir.display());
    }
    Ok(files)
}

/// The whole corpus, or its first `limit` documents copied to `work/subset.jsonl`.
pub fn prepare(work: &Path, limit: Option<usize>) -> Result<Corpus> {
    let all = corpus_files()?;
    let files = match limit {
        None => all.clone(),
        Some(n) => {
            let subset = work.join("subset.jsonl");
            let mut out = BufWriter::new(File::create(&subset)?);
            let mut written = 0;
            'files: for f in &all {
                for line in BufReader::new(File::open(f)?).lines() {
                    let line = line?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    if written == n {
                        break 'files;
                    }
                    writeln!(out, "{line}")?;
                    written += 1;
                }
            }
            out.flush()?;
            vec![subset]
        }
    };
    let plain = work.join("texts.txt");
    let mut out = BufWriter::new(File::create(&plain)?);
    let (mut docs, mut text_bytes) = (0usize, 0u64);
    for f in &files {
        for (i, line) in BufReader::new(File::open(f)?).lines().enumerate() {
            let line = line.with_context(|| format!("{}:{}", f.display(), i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(&line).with_context(|| format!("{}:{}", f.display(), i + 1))?;
            if let Some(t) = v.get(TEXT_FIELD).and_then(Value::as_str) {
                docs += 1;
                text_bytes += t.len() as u64;
                out.write_all(t.as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    let description = match limit {
        None => format!("corpus: {} files, {docs} documents, {:.1} MB of article text", files.len(), mb(text_bytes)),
        Some(_) => format!("quick subset: first {docs} documents, {:.1} MB of article text", mb(text_bytes)),
    };
    Ok(Corpus { files, docs, text_bytes, plain, description })
}

pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Paths shown relative to the workspace root (the data as `../shared/data/…`), for commands
/// in reports.
pub fn shown(path: &Path) -> String {
    match path.strip_prefix(crate::util::root()) {
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

/// Two JSONL files holding the same amount of text: `count` documents of about `size` bytes,
/// and `count / 4` documents of about `4 * size` bytes, each made of whole paragraphs of the
/// corpus in order. A stage linear in document length takes the same time on both.
pub fn linearity_inputs(corpus: &Corpus, work: &Path, size: usize, count: usize) -> Result<(PathBuf, PathBuf)> {
    let text = fs::read_to_string(&corpus.plain)?;
    let paragraphs: Vec<&str> = text.split('\n').map(str::trim).filter(|p| !p.is_empty()).collect();
    if paragraphs.is_empty() {
        bail!("the corpus has no text");
    }
    let mut next = paragraphs.iter().cycle();
    let mut make = |path: PathBuf, docs: usize, bytes: usize| -> Result<PathBuf> {
        let mut out = BufWriter::new(File::create(&path)?);
        for i in 0..docs {
            let mut doc = String::with_capacity(bytes + 4096);
            while doc.len() < bytes {
                if !doc.is_empty() {
                    doc.push_str("\n\n");
                }
                doc.push_str(next.next().copied().unwrap_or(""));
            }
            let line = serde_json::json!({ "id": format!("long-{i}"), "text": doc });
            writeln!(out, "{line}")?;
        }
        out.flush()?;
        Ok(path)
    };
    let small = make(work.join(format!("linear-{}k.jsonl", size / 1024)), count, size)?;
    let large = make(work.join(format!("linear-{}k.jsonl", 4 * size / 1024)), count / 4, 4 * size)?;
    Ok((small, large))
}

/// Writes the corpus files `times` times over, one after another (the stdin stream).
pub fn stream_files(files: &[PathBuf], times: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let mut buf = vec![0u8; 1 << 20];
    for _ in 0..times {
        for f in files {
            let mut file = File::open(f)?;
            let mut last = b'\n';
            loop {
                let n = std::io::Read::read(&mut file, &mut buf)?;
                if n == 0 {
                    break;
                }
                last = buf[n - 1];
                out.write_all(&buf[..n])?;
            }
            if last != b'\n' {
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

/// Whether two files have the same bytes (streamed, so large outputs compare in little memory).
pub fn same_bytes(a: &Path, b: &Path) -> Result<bool> {
    if fs::metadata(a)?.len() != fs::metadata(b)?.len() {
        return Ok(false);
    }
    let (mut ra, mut rb) =
        (BufReader::with_capacity(1 << 20, File::open(a)?), BufReader::with_capacity(1 << 20, File::open(b)?));
    loop {
        let (ba, bb) = (ra.fill_buf()?, rb.fill_buf()?);
        if ba.is_empty() || bb.is_empty() {
            return Ok(ba.is_empty() && bb.is_empty());
        }
        let n = ba.len().min(bb.len());
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
        ra.consume(n);
        rb.consume(n);
    }
}
