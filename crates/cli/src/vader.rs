//! `slant vader`: VADER-exact scores, one JSON object per input line.
//!
//! Input is one text per line, or JSONL (one object with a `text` field per line) when the
//! first non-blank byte is `{`. A trailing `\r` is dropped from every line, so CRLF files
//! work. Bytes are read as UTF-8; a byte that is not part of valid UTF-8 is read as
//! Windows-1252 (the five bytes cp1252 leaves undefined become U+0081, U+008D, U+008F,
//! U+0090, U+009D, as in Latin-1). For a file that is wholly cp1252 this is what Python sees
//! when it opens it with `encoding="cp1252"`; for a UTF-8 file it is what Python sees with
//! `encoding="utf-8"`. Output is what `json.dumps(SentimentIntensityAnalyzer()
//! .polarity_scores(text))` prints with vaderSentiment 3.3.2, one line per input line.

use std::fs::File;
use std::io::{self, Read, Write};

use slant_sentiment::vader::Engine;

use crate::args::VaderArgs;
use crate::Failure;

/// Input is read in blocks of this size; output is written when it exceeds it. Small enough
/// that the buffers stay in cache and cost few page faults (with 1 MB blocks, faulting the
/// buffers in took a tenth of the run on VADER's ground truth).
const BLOCK: usize = 1 << 16;

pub fn run(args: VaderArgs) -> Result<bool, Failure> {
    let mut reader: Box<dyn Read> = match args.path.as_deref() {
        None | Some("-") => Box::new(io::stdin().lock()),
        Some(p) => Box::new(File::open(p).map_err(|e| Failure::Usage(format!("cannot read `{p}`: {e}")))?),
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let source = args.path.as_deref().unwrap_or("-").to_string();
    let ok = score_stream(&mut reader, &mut out, &source).map_err(write_failure)?;
    out.flush().map_err(write_failure)?;
    Ok(ok)
}

/// Scores every line of `input` onto `out`. Returns whether every line could be read (a
/// JSONL line that is not an object with a string `text` yields an `error` object and makes
/// the run exit 1, after all other lines). Input is read in large blocks and split into lines
/// in place; output is collected in one buffer and written in large blocks.
fn score_stream(input: &mut impl Read, out: &mut impl Write, source: &str) -> io::Result<bool> {
    score_blocks(input, out, source, BLOCK)
}

/// [`score_stream`] with blocks of `block` bytes.
fn score_blocks(input: &mut impl Read, out: &mut impl Write, source: &str, block: usize) -> io::Result<bool> {
    let mut s = Scorer {
        engine: Engine::new(),
        text: String::new(),
        out: Vec::with_capacity(block + 4096),
        mode: None,
        pending_blank: Vec::new(),
        all_ok: true,
        lineno: 0,
        source,
    };
    let mut buf = vec![0u8; block.max(1)];
    let mut len = 0;
    let mut eof = false;
    while !eof {
        while len < buf.len() {
            match input.read(&mut buf[len..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        // The complete lines (at the end of input, the last line without a newline too).
        let end = if eof { len } else { memchr::memrchr(b'\n', &buf[..len]).map_or(0, |i| i + 1) };
        let chunk = &buf[..end];
        // A newline never falls inside a UTF-8 sequence, so when the block is valid UTF-8 so is
        // each of its lines: validate once per block rather than once per line.
        let valid = std::str::from_utf8(chunk).ok();
        let mut start = 0;
        while start < end {
            let (line_end, next) = match memchr::memchr(b'\n', &chunk[start..]) {
                Some(i) => (start + i, start + i + 1),
                None => (end, end),
            };
            let mut line_end_cr = line_end;
            if line_end > start && chunk[line_end - 1] == b'\r' {
                line_end_cr -= 1;
            }
            let line = &chunk[start..line_end_cr];
            match valid {
                Some(v) => s.line(line, Some(&v[start..line_end_cr])),
                None => s.line(line, None),
            }
            start = next;
            if s.out.len() >= block {
                out.write_all(&s.out)?;
                s.out.clear();
            }
        }
        buf.copy_within(end..len, 0);
        len -= end;
        if len == buf.len() {
            // One line longer than the buffer: make room for the rest of it.
            buf.resize(buf.len() * 2, 0);
        }
    }
    // Input made only of blank lines: each is a text.
    for blank in std::mem::take(&mut s.pending_blank) {
        s.emit(&blank, None);
    }
    out.write_all(&s.out)?;
    Ok(s.all_ok)
}

/// The engine, the buffers and the state of a run.
struct Scorer<'a> {
    engine: Engine,
    /// A line decoded from bytes that are not all UTF-8.
    text: String,
    out: Vec<u8>,
    /// Some(true): JSONL; decided by the first non-blank byte.
    mode: Option<bool>,
    /// Blank lines before the mode is known.
    pending_blank: Vec<Vec<u8>>,
    all_ok: bool,
    lineno: usize,
    source: &'a str,
}

impl Scorer<'_> {
    /// Handles one line (without its line end); `valid` is the line as text when it is
    /// known to be UTF-8.
    fn line(&mut self, line: &[u8], valid: Option<&str>) {
        self.lineno += 1;
        // The mode is decided by the first non-blank byte; blank lines before it wait.
        let jsonl = match self.mode {
            Some(m) => m,
            None => match line.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b) => {
                    let m = *b == b'{';
                    self.mode = Some(m);
                    let pending = std::mem::take(&mut self.pending_blank);
                    if !m {
                        for blank in pending {
                            self.emit(&blank, None);
                        }
                    }
                    m
                }
                None => {
                    self.pending_blank.push(line.to_vec());
                    return;
                }
            },
        };
        if !jsonl {
            self.emit(line, valid);
            return;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let text = match valid {
            Some(v) => v,
            None => {
                decode_into(line, &mut self.text);
                &self.text
            }
        };
        match jsonl_text(text) {
            Ok(t) => self.engine.polarity_json(&t, &mut self.out),
            Err(msg) => {
                self.all_ok = false;
                let err = format!("{}:{}: {msg}", self.source, self.lineno);
                self.out.extend_from_slice(serde_json::json!({ "error": err }).to_string().as_bytes());
            }
        }
        self.out.push(b'\n');
    }

    /// Scores one text line onto the output buffer.
    fn emit(&mut self, line: &[u8], valid: Option<&str>) {
        let text = match valid {
            Some(v) => v,
            None => {
                decode_into(line, &mut self.text);
                &self.text
            }
        };
        self.engine.polarity_json(text, &mut self.out);
        self.out.push(b'\n');
    }
}

fn jsonl_text(line: &str) -> Result<String, String> {
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
    match v.get("text") {
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(_) => Err("field `text` is not a string".into()),
        None => Err("missing field `text`".into()),
    }
}

/// Decodes `bytes` as UTF-8, reading each byte outside valid UTF-8 as Windows-1252.
pub fn decode_into(bytes: &[u8], out: &mut String) {
    out.clear();
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return;
            }
            Err(e) => {
                let good = e.valid_up_to();
                // `good` bytes are valid UTF-8 by the error's contract.
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len() - good);
                for &b in &rest[good..good + bad] {
                    out.push(cp1252(b));
                }
                rest = &rest[good + bad..];
            }
        }
    }
}

/// One Windows-1252 byte as a character.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2c6}',
        '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}', '\u{8f}', '\u{90}', '\u{2018}', '\u{2019}',
        '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}',
        '\u{153}', '\u{9d}', '\u{17e}', '\u{178}',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

fn write_failure(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::BrokenPipe
    } else {
        Failure::Io(format!("cannot write output: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_bytes_read_as_cp1252() {
        let mut s = String::new();
        decode_into(b"caf\xe9 \x93ok\x94 \xe2\x80\x93 \x81", &mut s);
        assert_eq!(s, "caf\u{e9} \u{201c}ok\u{201d} \u{2013} \u{81}");
    }

    #[test]
    fn lines_split_across_blocks_are_read_whole() {
        // A reader that returns a few bytes at a time, so lines cross reads.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(3);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let input = "The book was good.\nIt was bad!\r\nno final newline";
        let (mut a, mut b) = (Vec::new(), Vec::new());
        score_blocks(&mut Trickle(input.as_bytes()), &mut a, "t", 5).unwrap();
        score_stream(&mut input.as_bytes(), &mut b, "t").unwrap();
        assert_eq!(a, b);
        let mut want = String::new();
        for t in ["The book was good.", "It was bad!", "no final newline"] {
            slant_sentiment::polarity_scores(t).write_json(&mut want);
            want.push('\n');
        }
        assert_eq!(String::from_utf8(a).unwrap(), want);
    }

    #[test]
    fn text_lines_and_jsonl_lines_give_one_object_each() {
        let mut out = Vec::new();
        let ok = score_stream(&mut &b"\r\nThe book was good.\r\n"[..], &mut out, "t").unwrap();
        assert!(ok);
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "{\"neg\": 0.0, \"neu\": 0.0, \"pos\": 0.0, \"compound\": 0.0}\n\
             {\"neg\": 0.0, \"neu\": 0.508, \"pos\": 0.492, \"compound\": 0.4404}\n"
        );
        let mut out = Vec::new();
        let ok = score_stream(&mut &b"{\"text\": \"The book was good.\"}\n\n{\"t\": 1}\n"[..], &mut out, "j").unwrap();
        assert!(!ok);
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains("0.4404"));
        assert!(lines[1].contains("j:3: missing field `text`"), "{}", lines[1]);
    }
}
