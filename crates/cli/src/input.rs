//! Turns command-line paths and standard input into a stream of documents (or of records
//! saying why an input could not be read), in input order, reading lazily so that a large
//! JSONL file goes through in bounded memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use slant_core::{Document, InputDocument, Record};

/// One unit of input: a document ready to analyze, a JSONL line still to be parsed into one,
/// or the record of one that failed to read.
pub enum Item {
    Doc(Document),
    Line(PendingLine),
    Failed(Record),
}

/// A JSONL line as read, parsed into its document by [`PendingLine::parse`] on whichever
/// thread analyzes it. The reading thread only splits lines: with `--jobs` above 1, parsing
/// there kept one thread busy for the whole pool, and the document's strings and metadata
/// were made on one thread and freed on another, which the allocator pays for in memory.
pub struct PendingLine {
    line: Vec<u8>,
    default_id: String,
    source: String,
    text_field: std::sync::Arc<str>,
}

impl PendingLine {
    /// Bytes of the line: about the size of the document's text.
    pub fn len(&self) -> usize {
        self.line.len()
    }

    /// The document's id when the line gives none.
    pub fn default_id(&self) -> &str {
        &self.default_id
    }

    /// Where the line is: `FILE:LINE`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The line's document, or the record of why it is not one (boxed: a record is large, and
    /// rare).
    pub fn parse(&self) -> Result<Document, Box<Record>> {
        let (id, source) = (&self.default_id, &self.source);
        let failed = |kind: &str, message: String| Box::new(Record::failed(id.clone(), source.clone(), kind, message));
        let Ok(line) = std::str::from_utf8(&self.line) else {
            return Err(failed("not_utf8", format!("{source}: the line is not valid UTF-8")));
        };
        InputDocument::from_json(line, &self.text_field)
            .and_then(|d| d.into_document(id, source))
            .map_err(|e| failed(e.kind(), format!("{source}: {e}")))
    }
}

/// Where documents come from, resolved before any is read so that a missing path is a usage
/// error before output starts.
#[derive(Debug, Clone)]
pub enum Source {
    Stdin,
    TextFile(PathBuf),
    JsonlFile(PathBuf),
}

/// Resolves the command-line paths; a path that does not exist is an error naming it.
pub fn resolve(paths: &[String]) -> Result<Vec<Source>, String> {
    if paths.is_empty() {
        return Ok(vec![Source::Stdin]);
    }
    let mut out = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(Source::Stdin);
            continue;
        }
        let path = PathBuf::from(p);
        let meta = std::fs::metadata(&path).map_err(|e| format!("cannot read `{p}`: {e}"))?;
        if meta.is_dir() {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&path)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|f| is_document_file(f))
                .collect();
            files.sort();
            out.extend(files.into_iter().map(classify));
        } else {
            out.push(classify(path));
        }
    }
    Ok(out)
}

fn is_document_file(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => !path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')),
        Some(ext) => matches!(ext, "txt" | "md" | "jsonl"),
    }
}

fn classify(path: PathBuf) -> Source {
    if path.extension().and_then(|e| e.to_str()) == Some("jsonl") {
        Source::JsonlFile(path)
    } else {
        Source::TextFile(path)
    }
}

/// Reads all sources lazily, one item per document.
pub struct Reader {
    sources: std::vec::IntoIter<Source>,
    current: Option<Lines>,
    text_field: std::sync::Arc<str>,
}

struct Lines {
    reader: Box<dyn BufRead>,
    name: String,
    stem: String,
    line: usize,
    /// A first line already read while sniffing standard input.
    pending: Option<Vec<u8>>,
}

impl Reader {
    pub fn new(sources: Vec<Source>, text_field: &str) -> Reader {
        Reader { sources: sources.into_iter(), current: None, text_field: text_field.into() }
    }

    fn next_line_doc(&mut self) -> Option<Item> {
        let lines = self.current.as_mut()?;
        loop {
            let mut buf = match lines.pending.take() {
                Some(b) => b,
                None => {
                    let mut b = Vec::new();
                    match lines.reader.read_until(b'\n', &mut b) {
                        Ok(0) => {
                            self.current = None;
                            return None;
                        }
                        Ok(_) => b,
                        Err(e) => {
                            let rec = Record::failed(
                                format!("{}-{}", lines.stem, lines.line + 1),
                                format!("{}:{}", lines.name, lines.line + 1),
                                "io",
                                format!("{}: line {}: {e}", lines.name, lines.line + 1),
                            );
                            self.current = None;
                            return Some(Item::Failed(rec));
                        }
                    }
                }
            };
            lines.line += 1;
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let source = format!("{}:{}", lines.name, lines.line);
            let default_id = format!("{}-{}", lines.stem, lines.line);
            return Some(Item::Line(PendingLine {
                line: buf,
                default_id,
                source,
                text_field: self.text_field.clone(),
            }));
        }
    }
}

impl Iterator for Reader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if self.current.is_some() {
                if let Some(item) = self.next_line_doc() {
                    return Some(item);
                }
                continue;
            }
            match self.sources.next()? {
                Source::TextFile(path) => return Some(read_text_file(&path)),
                Source::JsonlFile(path) => {
                    let name = path.display().to_string();
                    match File::open(&path) {
                        Ok(f) => {
                            self.current = Some(Lines {
                                reader: Box::new(BufReader::with_capacity(1 << 16, f)),
                                stem: stem(&path),
                                name,
                                line: 0,
                                pending: None,
                            })
                        }
                        Err(e) => {
                            return Some(Item::Failed(Record::failed(
                                stem(&path),
                                name.clone(),
                                "io",
                                format!("{name}: {e}"),
                            )))
                        }
                    }
                }
                Source::Stdin => {
                    let mut reader: Box<dyn BufRead> = Box::new(BufReader::with_capacity(1 << 16, io::stdin()));
                    // Sniff: JSONL when the first non-blank byte is `{`.
                    let mut first = Vec::new();
                    loop {
                        first.clear();
                        match reader.read_until(b'\n', &mut first) {
                            Ok(0) => break,
                            Ok(_) if first.iter().all(u8::is_ascii_whitespace) => continue,
                            Ok(_) => break,
                            Err(_) => break,
                        }
                    }
                    let is_jsonl = first.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
                    if is_jsonl {
                        self.current = Some(Lines {
                            reader,
                            name: "stdin".into(),
                            stem: "stdin".into(),
                            line: 0,
                            pending: Some(first),
                        });
                        continue;
                    }
                    let mut bytes = first;
                    if let Err(e) = reader.read_to_end(&mut bytes) {
                        return Some(Item::Failed(Record::failed("stdin", "stdin", "io", format!("stdin: {e}"))));
                    }
                    return Some(text_document(bytes, "stdin".into(), "stdin".into()));
                }
            }
        }
    }
}

fn stem(path: &Path) -> String {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or("document").to_string()
}

fn read_text_file(path: &Path) -> Item {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => text_document(bytes, stem(path), name),
        Err(e) => Item::Failed(Record::failed(stem(path), name.clone(), "io", format!("{name}: {e}"))),
    }
}

/// A whole-file text document, or the record of why it is not one.
fn text_document(bytes: Vec<u8>, id: String, source: String) -> Item {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Item::Failed(Record::failed(id, source.clone(), "empty", format!("{source}: the document is empty")));
    }
    if bytes.contains(&0) {
        return Item::Failed(Record::failed(
            id,
            source.clone(),
            "binary",
            format!("{source}: binary data (NUL bytes), not text"),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                // A byte-order mark is not part of the text anyone reads or counts.
                text.drain(..3);
            }
            Item::Doc(Document::new(id, text).with_source(source))
        }
        Err(e) => Item::Failed(Record::failed(
            id,
            source.clone(),
            "not_utf8",
            format!("{source}: not valid UTF-8 (first bad byte at offset {})", e.utf8_error().valid_up_to()),
        )),
    }
}
