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
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

use slant_sentiment::vader::Engine;

use crate::args::VaderArgs;
use crate::Failure;

pub fn run(args: VaderArgs) -> Result<bool, Failure> {
    let reader: Box<dyn Read> = match args.path.as_deref() {
        None | Some("-") => Box::new(io::stdin().lock()),
        Some(p) => Box::new(File::open(p).map_err(|e| Failure::Usage(format!("cannot read `{p}`: {e}")))?),
    };
    let mut input = BufReader::with_capacity(1 << 16, reader);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let source = args.path.as_deref().unwrap_or("-").to_string();
    let ok = score_stream(&mut input, &mut out, &source).map_err(write_failure)?;
    out.flush().map_err(write_failure)?;
    Ok(ok)
}

/// Scores every line of `input` onto `out`. Returns whether every line could be read (a
/// JSONL line that is not an object with a string `text` yields an `error` object and makes
/// the run exit 1, after all other lines).
fn score_stream(input: &mut impl BufRead, out: &mut impl Write, source: &str) -> io::Result<bool> {
    let mut engine = Engine::new();
    let mut line: Vec<u8> = Vec::new();
    let mut text = String::new();
    let mut json_out = String::with_capacity(128);
    let mut mode: Option<bool> = None; // Some(true): JSONL.
    let mut pending_blank: Vec<Vec<u8>> = Vec::new();
    let mut all_ok = true;
    let mut lineno = 0usize;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        lineno += 1;
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        }
        // The mode is decided by the first non-blank byte; blank lines before it wait.
        let jsonl = match mode {
            Some(m) => m,
            None => match line.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b) => {
                    let m = *b == b'{';
                    mode = Some(m);
                    if !m {
                        for blank in pending_blank.drain(..) {
                            emit(&mut engine, &blank, &mut text, &mut json_out, out)?;
                        }
                    }
                    pending_blank.clear();
                    m
                }
                None => {
                    pending_blank.push(line.clone());
                    continue;
                }
            },
        };
        if jsonl {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            decode_into(&line, &mut text);
            match jsonl_text(&text) {
                Ok(t) => {
                    json_out.clear();
                    engine.polarity_scores(&t).write_json(&mut json_out);
                }
                Err(msg) => {
                    all_ok = false;
                    json_out.clear();
                    let err = format!("{source}:{lineno}: {msg}");
                    json_out.push_str(&serde_json::json!({ "error": err }).to_string());
                }
            }
            json_out.push('\n');
            out.write_all(json_out.as_bytes())?;
        } else {
            emit(&mut engine, &line, &mut text, &mut json_out, out)?;
        }
    }
    // Input made only of blank lines: each is a text.
    for blank in pending_blank.drain(..) {
        emit(&mut engine, &blank, &mut text, &mut json_out, out)?;
    }
    Ok(all_ok)
}

fn emit(
    engine: &mut Engine,
    line: &[u8],
    text: &mut String,
    json_out: &mut String,
    out: &mut impl Write,
) -> io::Result<()> {
    decode_into(line, text);
    json_out.clear();
    engine.polarity_scores(text).write_json(json_out);
    json_out.push('\n');
    out.write_all(json_out.as_bytes())
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
