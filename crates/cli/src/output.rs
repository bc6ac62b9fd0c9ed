//! Writes records in the chosen format as they arrive, in input order.
//!
//! `json` and `jsonl` are the machine formats of `CONTRACT.md`. `pretty` is the terminal
//! report, one screen per document. `html` is a self-contained page; several documents give
//! an index: with `--output x.html` the index is `x.html` and each document its own page
//! `x-<id>.html` beside it; on standard output, one page with the index at the top and each
//! document below it.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use slant_core::Record;
use slant_report::html::{self, IndexEntry};
use slant_report::PrettyOptions;

use crate::args::Format;

/// A destination for records in one format.
pub struct Sink<W: Write> {
    out: W,
    format: Format,
    pretty: PrettyOptions,
    /// For `json`: the first record is held back until we know whether there is a second
    /// (one document gives a bare object, several an array). For `html` likewise: one
    /// document gives its page, several an index.
    held: Option<Record>,
    /// The held document's text, for `html`.
    held_text: Option<String>,
    written: usize,
    /// For `html` with `--output x.html`: the index file, beside which document pages go.
    pages: Option<PathBuf>,
    page_names: HashSet<String>,
    index: Vec<IndexEntry>,
}

impl<W: Write> Sink<W> {
    pub fn new(out: W, format: Format, pretty: PrettyOptions) -> Self {
        Sink {
            out,
            format,
            pretty,
            held: None,
            held_text: None,
            written: 0,
            pages: None,
            page_names: HashSet::new(),
            index: Vec::new(),
        }
    }

    /// Tells an `html` sink that its output is the file `path`, so that several documents
    /// get one page each beside it and `path` becomes their index.
    pub fn with_output_path(mut self, path: Option<&Path>) -> Self {
        self.pages = path.map(Path::to_path_buf);
        self
    }

    /// Writes one record. `text` is the document's text, which only `html` uses (records
    /// carry spans, not the whole text); without it the page rebuilds the text from spans.
    pub fn write(&mut self, record: &Record, text: Option<&str>) -> std::io::Result<()> {
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, record)?;
                self.out.write_all(b"\n")?;
            }
            Format::Json => {
                if self.written == 0 && self.held.is_none() {
                    self.held = Some(record.clone());
                    return Ok(());
                }
                if let Some(first) = self.held.take() {
                    self.out.write_all(b"[\n")?;
                    serde_json::to_writer_pretty(&mut self.out, &first)?;
                    self.written += 1;
                }
                self.out.write_all(b",\n")?;
                serde_json::to_writer_pretty(&mut self.out, record)?;
            }
            Format::Pretty => {
                if self.written > 0 {
                    let rule = "─".repeat(self.pretty.width.clamp(40, 160));
                    let rule = slant_report::term::paint(&rule, slant_report::term::Style::Dim, self.pretty.color);
                    writeln!(self.out, "\n{rule}\n")?;
                }
                self.out.write_all(slant_report::pretty(record, &self.pretty).as_bytes())?;
            }
            Format::Html => {
                if self.written == 0 && self.held.is_none() {
                    self.held = Some(record.clone());
                    self.held_text = text.map(str::to_string);
                    return Ok(());
                }
                if let Some(first) = self.held.take() {
                    let first_text = self.held_text.take();
                    if self.pages.is_none() {
                        self.out.write_all(html::head("Slant report").as_bytes())?;
                    }
                    self.html_document(&first, first_text.as_deref())?;
                    self.written += 1;
                }
                self.html_document(record, text)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Writes one document of a multi-document `html` output: its own page beside the index
    /// file, or its section of the single page.
    fn html_document(&mut self, record: &Record, text: Option<&str>) -> std::io::Result<()> {
        match self.pages.clone() {
            Some(index_path) => {
                let stem = index_path.file_stem().and_then(|s| s.to_str()).unwrap_or("slant").to_string();
                let base = format!("{stem}-{}", html::slug(&record.id));
                let mut name = format!("{base}.html");
                let mut n = 2;
                while !self.page_names.insert(name.clone()) {
                    name = format!("{base}-{n}.html");
                    n += 1;
                }
                let path = index_path.with_file_name(&name);
                std::fs::write(&path, html::page(record, text))
                    .map_err(|e| std::io::Error::new(e.kind(), format!("cannot write `{}`: {e}", path.display())))?;
                self.index.push(IndexEntry::new(record, name));
            }
            None => {
                let prefix = format!("d{}", self.index.len() + 1);
                self.out.write_all(html::document(record, text, &prefix).as_bytes())?;
                self.index.push(IndexEntry::new(record, format!("#{prefix}")));
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        match self.format {
            Format::Json => {
                if let Some(only) = self.held.take() {
                    serde_json::to_writer_pretty(&mut self.out, &only)?;
                    self.out.write_all(b"\n")?;
                } else if self.written == 0 {
                    self.out.write_all(b"[]\n")?;
                } else {
                    self.out.write_all(b"\n]\n")?;
                }
            }
            Format::Html => {
                if let Some(only) = self.held.take() {
                    self.out.write_all(html::page(&only, self.held_text.as_deref()).as_bytes())?;
                } else if self.pages.is_some() || self.written == 0 {
                    self.out.write_all(html::index_page(&self.index).as_bytes())?;
                } else {
                    // The index comes last in the stream but shows first (CSS order), so that
                    // documents are written as they arrive.
                    self.out.write_all(html::index(&self.index).as_bytes())?;
                    self.out.write_all(html::tail().as_bytes())?;
                }
            }
            Format::Jsonl | Format::Pretty => {}
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str) -> Record {
        Record::failed(id, format!("{id}.txt"), "test", "no text")
    }

    fn run(format: Format, records: &[Record], pages: Option<&Path>) -> String {
        let mut buf = Vec::new();
        let mut sink = Sink::new(&mut buf, format, PrettyOptions::default()).with_output_path(pages);
        for r in records {
            sink.write(r, Some("text")).unwrap();
        }
        sink.finish().unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn machine_formats_are_unchanged() {
        let two = run(Format::Jsonl, &[rec("a"), rec("b")], None);
        assert_eq!(two.lines().count(), 2);
        assert!(run(Format::Json, &[rec("a")], None).starts_with('{'));
        assert!(run(Format::Json, &[rec("a"), rec("b")], None).starts_with("[\n"));
        assert_eq!(run(Format::Json, &[], None), "[]\n");
    }

    #[test]
    fn html_one_document_is_one_page() {
        let page = run(Format::Html, &[rec("a")], None);
        assert_eq!(page.matches("<!DOCTYPE html>").count(), 1);
        assert_eq!(page.matches(r#"<section class="doc""#).count(), 1);
        assert!(!page.contains(r#"id="index""#));
    }

    #[test]
    fn html_several_documents_on_stdout_share_a_page_with_an_index() {
        let page = run(Format::Html, &[rec("a"), rec("b"), rec("c")], None);
        assert_eq!(page.matches("<!DOCTYPE html>").count(), 1);
        assert_eq!(page.matches(r#"<section class="doc""#).count(), 3);
        assert!(page.contains(r##"href="#d3""##) && page.contains(r#"id="d3""#));
        assert!(page.trim_end().ends_with("</html>"));
    }

    #[test]
    fn html_several_documents_to_a_file_give_pages_beside_an_index() {
        let dir = std::env::temp_dir().join(format!("slant-sink-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let index_path = dir.join("out.html");
        let index = run(Format::Html, &[rec("a/1"), rec("b"), rec("b")], Some(&index_path));
        assert!(index.contains(r#"href="out-a_1.html""#) && index.contains(r#"href="out-b-2.html""#));
        for name in ["out-a_1.html", "out-b.html", "out-b-2.html"] {
            let page = std::fs::read_to_string(dir.join(name)).unwrap();
            assert!(page.starts_with("<!DOCTYPE html>"));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
