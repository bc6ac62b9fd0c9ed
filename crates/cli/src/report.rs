//! `slant report`: a corpus view over saved `jsonl` results, read as a stream (one record at
//! a time), as a terminal table, CSV or an HTML page.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};

use slant_core::Record;
use slant_report::corpus::Corpus;

use crate::args::{ReportArgs, ReportFormat};
use crate::Failure;

/// Unreadable lines named on stderr before the rest are only counted.
const MAX_NAMED_BAD_LINES: usize = 5;

pub fn run(args: ReportArgs) -> Result<bool, Failure> {
    let format = args.format.unwrap_or(ReportFormat::Pretty);
    // Open every input first, so a missing file is a usage error before any output.
    let mut inputs: Vec<(String, Box<dyn BufRead>)> = Vec::new();
    for path in &args.results {
        let name = path.display().to_string();
        if name == "-" {
            inputs.push(("stdin".into(), Box::new(BufReader::new(io::stdin()))));
            continue;
        }
        let file = File::open(path).map_err(|e| Failure::Usage(format!("cannot read `{name}`: {e}")))?;
        inputs.push((name, Box::new(BufReader::with_capacity(1 << 20, file))));
    }

    let mut corpus = Corpus::new();
    let mut bad = 0usize;
    for (name, reader) in inputs {
        for (n, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| Failure::Io(format!("cannot read `{name}` at line {}: {e}", n + 1)))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Record>(&line) {
                Ok(record) => corpus.add(&record),
                Err(e) => {
                    bad += 1;
                    if bad <= MAX_NAMED_BAD_LINES {
                        eprintln!("slant: warning: `{name}` line {}: not a Slant record ({e}); skipped", n + 1);
                    }
                }
            }
        }
    }
    if bad > MAX_NAMED_BAD_LINES {
        eprintln!("slant: warning: {bad} lines in all were not Slant records and were skipped");
    }

    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = to_terminal && std::env::var_os("NO_COLOR").is_none();
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|w: &usize| *w > 0)
        .or_else(|| if to_terminal { slant_report::term::terminal_width() } else { None })
        .unwrap_or(100);
    let top = args.top.max(1);
    let text = match format {
        ReportFormat::Pretty => corpus.pretty(top, width, color),
        ReportFormat::Csv => corpus.csv(),
        ReportFormat::Html => corpus.html(top),
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).map_err(|e| Failure::Usage(format!("cannot write `{}`: {e}", path.display())))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let written = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(bad == 0),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Failure::BrokenPipe),
        Err(e) => Err(Failure::Io(format!("cannot write the report: {e}"))),
    }
}
