//! `slant analyze`: reads documents, runs the pipeline on a worker pool, and writes one
//! record per input document in input order, in bounded memory.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use slant_core::{Diagnostic, DictionaryFormat, Level, Pipeline, Record, Settings, UserDictionary};
use slant_report::PrettyOptions;

use crate::args::{AnalyzeArgs, Format};
use crate::input::{self, Item, Reader};
use crate::output::Sink;
use crate::Failure;

/// Documents gathered before a batch is handed to the pool; bounded by count and by bytes so
/// memory stays flat whatever the corpus size.
const BATCH_DOCS: usize = 256;
const BATCH_BYTES: usize = 16 << 20;

pub fn run(args: AnalyzeArgs) -> Result<bool, Failure> {
    let sources = input::resolve(&args.paths).map_err(Failure::Usage)?;
    let settings = settings(&args)?;
    let available = crate::catalog::available(&settings, &args.plugins).map_err(Failure::Usage)?;
    let pipeline = Pipeline::plan(available, args.analyzers.as_deref()).map_err(|e| Failure::Usage(e.to_string()))?;
    tracing::debug!(stages = ?pipeline.names(), "pipeline planned");

    let jobs = args.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Failure::Usage(format!("--jobs {jobs}: {e}")))?;

    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let format = args.format.unwrap_or(if to_terminal { Format::Pretty } else { Format::Jsonl });
    let color = to_terminal && std::env::var_os("NO_COLOR").is_none();
    let pretty = PrettyOptions { color, width: terminal_width() };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).map_err(|e| Failure::Usage(format!("cannot write `{}`: {e}", path.display())))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let mut sink = Sink::new(out, format, pretty).with_output_path(args.output.as_deref());
    // Only the HTML page shows the whole text; records carry spans only.
    let keep_text = format == Format::Html;

    let many = sources.len() > 1 || sources.iter().any(|s| !matches!(s, input::Source::TextFile(_)));
    let progress = if many && !args.no_progress && io::stderr().is_terminal() { Some(progress_bar()) } else { None };

    let started = Instant::now();
    let (mut docs, mut failed, mut bytes) = (0usize, 0usize, 0usize);
    let mut reader = Reader::new(sources, &args.text_field).peekable();
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH_DOCS);
    while reader.peek().is_some() {
        batch.clear();
        let mut batch_bytes = 0;
        while batch.len() < BATCH_DOCS && batch_bytes < BATCH_BYTES {
            let Some(item) = reader.next() else { break };
            if let Item::Doc(d) = &item {
                batch_bytes += d.text().len();
            }
            batch.push(item);
        }
        let records: Vec<(Record, Option<String>)> = if jobs == 1 {
            batch.drain(..).map(|item| analyze_item(&pipeline, item, keep_text)).collect()
        } else {
            pool.install(|| batch.par_drain(..).map(|item| analyze_item(&pipeline, item, keep_text)).collect())
        };
        for (r, text) in &records {
            docs += 1;
            bytes += r.chars;
            if r.is_failure() {
                failed += 1;
            }
            sink.write(r, text.as_deref()).map_err(write_failure)?;
        }
        if let Some(pb) = &progress {
            pb.set_position(docs as u64);
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            pb.set_message(format!(
                "{:.1} docs/s, {:.2} MB/s, {failed} errors",
                docs as f64 / secs,
                bytes as f64 / secs / 1e6
            ));
        }
    }
    sink.finish().map_err(write_failure)?;
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    if many && io::stderr().is_terminal() {
        eprintln!("slant: {docs} documents, {failed} errors, {secs:.2} s");
    }
    tracing::info!(documents = docs, errors = failed, seconds = secs, "analysis finished");
    Ok(failed == 0)
}

/// Runs the pipeline on one item. Anything that panics outside the per-stage guard still
/// yields a record for this document. With `keep_text`, the document's text comes along.
fn analyze_item(pipeline: &Pipeline, item: Item, keep_text: bool) -> (Record, Option<String>) {
    match item {
        Item::Failed(record) => (record, None),
        Item::Doc(mut doc) => {
            let (id, source) = (doc.id().to_string(), doc.source().to_string());
            let text = keep_text.then(|| doc.text().to_string());
            let record = match catch_unwind(AssertUnwindSafe(|| {
                let diagnostics = pipeline.run(&mut doc);
                Record::from_document(&doc, diagnostics)
            })) {
                Ok(record) => record,
                Err(payload) => {
                    let message = slant_core::pipeline::panic_message(&*payload);
                    let mut r = Record::failed(id, source, "internal", format!("internal error: {message}"));
                    r.diagnostics.push(Diagnostic::new("slant", Level::Error, message));
                    r
                }
            };
            (record, text)
        }
    }
}

fn settings(args: &AnalyzeArgs) -> Result<Settings, Failure> {
    let mut settings = Settings::default();
    let files = args
        .actors
        .iter()
        .map(|p| (p, DictionaryFormat::Slant))
        .chain(args.actors_petrarch.iter().map(|p| (p, DictionaryFormat::Petrarch)));
    for (path, format) in files {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Usage(format!("cannot read actor dictionary `{}`: {e}", path.display())))?;
        settings.actor_dictionaries.push(UserDictionary { path: path.display().to_string(), format, text });
    }
    Ok(settings)
}

fn progress_bar() -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    let style = ProgressStyle::with_template("{spinner} {pos} documents  {msg}  [{elapsed}]")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    pb.set_style(style);
    pb.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    pb
}

/// `COLUMNS` when set (scripts and tests pin the width with it), else the terminal's own
/// width, else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|w| *w > 0)
        .or_else(slant_report::term::terminal_width)
        .unwrap_or(100)
}

fn write_failure(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::BrokenPipe
    } else {
        Failure::Io(format!("cannot write output: {e}"))
    }
}
