//! `slant analyze`: reads documents, runs the pipeline on a worker pool, and writes one
//! record per input document in input order, in bounded memory.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use slant_core::{Diagnostic, DictionaryFormat, Level, Pipeline, Record, RecordView, Settings, UserDictionary};
use slant_report::PrettyOptions;

use crate::args::{AnalyzeArgs, Format};
use crate::input::{self, Item, Reader};
use crate::output::Sink;
use crate::timings::{HostClock, Step};
use crate::Failure;

/// Documents gathered before a batch is handed to the pool. A batch closes on bytes of text
/// (the count only bounds batches of tiny documents), so that the batches in flight hold about
/// the same text, and memory, whatever the documents' lengths: batches of a fixed count held
/// more when long articles happened to come together, and the peak grew with the corpus. Up
/// to [`IN_FLIGHT`] batches are alive at once (in the pool, or finished and being written),
/// and a `jsonl` record is several times its text.
const BATCH_DOCS: usize = 1024;
const BATCH_BYTES: usize = 256 << 10;

/// Batches handed to the pool and not yet written.
const IN_FLIGHT: usize = 4;

/// Bytes of output gathered before a write to stdout or `--output`.
const OUTPUT_BUFFER: usize = 1 << 20;

/// Room reserved for a document's `jsonl` record before serializing it: a record with every
/// analyzer is several times its text, and reserving once spares the writer's growth steps.
/// Records of the full pipeline run 10 to 20 times their text (14 on the corpus): room for
/// 12 made three records in four grow their buffer, copying it and doubling it.
fn record_room(text_len: usize) -> usize {
    text_len * 20 + 1024
}

pub fn run(args: AnalyzeArgs) -> Result<bool, Failure> {
    let sources = input::resolve(&args.paths).map_err(Failure::Usage)?;
    let settings = settings(&args)?;
    let available = crate::catalog::available(&settings, &args.plugins).map_err(Failure::Usage)?;
    let pipeline = Pipeline::plan(available, args.analyzers.as_deref()).map_err(|e| Failure::Usage(e.to_string()))?;
    let pipeline = if args.timings.is_some() { pipeline.timed() } else { pipeline };
    let host = args.timings.map(|_| HostClock::default());
    let host = host.as_ref();
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
        Some(path) => {
            Box::new(File::create(path).map_err(|e| Failure::Usage(format!("cannot write `{}`: {e}", path.display())))?)
        }
        None => Box::new(io::stdout().lock()),
    };

    let many = sources.len() > 1 || sources.iter().any(|s| !matches!(s, input::Source::TextFile(_)));
    let progress = if many && !args.no_progress && io::stderr().is_terminal() { Some(progress_bar()) } else { None };

    let started = Instant::now();
    let mut tally = Tally { docs: 0, failed: 0, chars: 0, started, progress };
    // A `jsonl` record is several times its article (tens of KB), more than `BufWriter`'s
    // default 8 KB: a larger buffer writes many records per system call instead of one each.
    // `jsonl` lines gather in the writer's own buffer (with `--jobs 1` they are serialized
    // straight into it), so they are not copied a second time into a `BufWriter`.
    let mut writer = match format {
        Format::Jsonl => Writer::Lines { out, buffer: Vec::with_capacity(OUTPUT_BUFFER + record_room(0)) },
        _ => {
            let out: Box<dyn Write> = Box::new(BufWriter::with_capacity(OUTPUT_BUFFER, out));
            Writer::Records(Box::new(Sink::new(out, format, pretty).with_output_path(args.output.as_deref())))
        }
    };
    let mode = match format {
        Format::Jsonl => Mode::Lines,
        // Only the HTML page shows the whole text; records carry spans only.
        other => Mode::Records { keep_text: other == Format::Html },
    };
    let mut reader = TimedReader { inner: Reader::new(sources, &args.text_field), host };
    if jobs == 1 {
        // One thread does everything, in order: `--jobs 1` uses one core. Each `jsonl`
        // record is written straight into the output buffer, which keeps its capacity.
        let mut unused = Vec::new();
        for item in reader {
            let done = analyze_item(&pipeline, item, mode, host, writer.line_buffer(&mut unused));
            writer.write(done, &[], &mut tally, host)?;
        }
    } else {
        // While the pool analyzes the batches in flight, this thread reads ahead and writes
        // the oldest finished batch: the pool never waits for input or output. A window of
        // several batches (not two) lets a worker that finishes its share of one batch take
        // documents of the next ones instead of idling until the slowest document of the
        // batch is done. The window is bounded, so memory stays bounded.
        pool.in_place_scope(|scope| -> Result<(), Failure> {
            let mut in_flight: VecDeque<mpsc::Receiver<Finished>> = VecDeque::with_capacity(IN_FLIGHT);
            let mut exhausted = false;
            loop {
                while !exhausted && in_flight.len() < IN_FLIGHT {
                    let batch = next_batch(&mut reader);
                    if batch.is_empty() {
                        exhausted = true;
                        break;
                    }
                    let (tx, rx) = mpsc::sync_channel(1);
                    let pipeline = &pipeline;
                    scope.spawn(move |_| {
                        let done: Finished = batch
                            .into_par_iter()
                            .map(|item| {
                                let mut line = Vec::new();
                                let done = analyze_item(pipeline, item, mode, host, &mut line);
                                (done, line)
                            })
                            .collect();
                        // The receiver is gone only when writing already failed.
                        let _ = tx.send(done);
                    });
                    in_flight.push_back(rx);
                }
                let Some(rx) = in_flight.pop_front() else { return Ok(()) };
                let done = rx.recv().map_err(|_| Failure::Io("internal error: a worker thread failed".into()))?;
                for (d, line) in done {
                    writer.write(d, &line, &mut tally, host)?;
                }
            }
        })?;
    }
    let flushing = Instant::now();
    writer.finish().map_err(write_failure)?;
    if let Some(h) = host {
        h.add(Step::Write, flushing);
    }
    let Tally { docs, failed, progress, .. } = tally;
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    if let (Some(format), Some(h)) = (args.timings, host) {
        // Timings are a report on the run, like the summary line: stderr, never the output.
        let _ = crate::timings::print(&mut io::stderr().lock(), format, &pipeline.timings(), h, secs);
    }
    if many && io::stderr().is_terminal() {
        eprintln!("slant: {docs} documents, {failed} errors, {secs:.2} s");
    }
    tracing::info!(documents = docs, errors = failed, seconds = secs, "analysis finished");
    Ok(failed == 0)
}

/// The input, timing each read when `--timings` asks for it.
struct TimedReader<'h> {
    inner: Reader,
    host: Option<&'h HostClock>,
}

impl Iterator for TimedReader<'_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let Some(host) = self.host else { return self.inner.next() };
        let started = Instant::now();
        let item = self.inner.next();
        host.add(Step::Read, started);
        item
    }
}

/// The next batch of input items, bounded by count and by bytes (empty at the end).
fn next_batch(reader: &mut TimedReader) -> Vec<Item> {
    let mut batch = Vec::new();
    let mut batch_bytes = 0;
    while batch.len() < BATCH_DOCS && batch_bytes < BATCH_BYTES {
        let Some(item) = reader.next() else { break };
        match &item {
            Item::Doc(d) => batch_bytes += d.text().len(),
            Item::Line(l) => batch_bytes += l.len(),
            Item::Failed(_) => {}
        }
        batch.push(item);
    }
    batch
}

/// What the workers produce for each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Finished `jsonl` lines, serialized by the worker straight from the document.
    Lines,
    /// Records for the sink (`json`, `pretty`, `html`), with the text when the format shows it.
    Records { keep_text: bool },
}

/// A batch analyzed by the pool: each item with its `jsonl` line (empty for other formats),
/// which the worker serialized into a buffer of its own.
type Finished = Vec<(Done, Vec<u8>)>;

/// One analyzed input item, ready for the output.
enum Done {
    /// A `jsonl` line (newline included), already appended to the line buffer the item was
    /// analyzed with.
    Line {
        chars: usize,
        failed: bool,
    },
    Record(Box<Record>, Option<String>),
}

/// Where finished items go: `jsonl` lines gather in one buffer that is written out whenever
/// it holds [`OUTPUT_BUFFER`] bytes; other formats go through the sink, which writes `jsonl`
/// the same way (`serde_json::to_writer` and a newline).
enum Writer {
    Lines { out: Box<dyn Write>, buffer: Vec<u8> },
    Records(Box<Sink<Box<dyn Write>>>),
}

impl Writer {
    /// The buffer `jsonl` lines go to, so that a document can be serialized straight into
    /// it; other formats never write lines, and get `unused`, which stays empty.
    fn line_buffer<'a>(&'a mut self, unused: &'a mut Vec<u8>) -> &'a mut Vec<u8> {
        match self {
            Writer::Lines { buffer, .. } => buffer,
            Writer::Records(_) => unused,
        }
    }

    /// Hands one item to the output. `line` holds the item's `jsonl` line when it was not
    /// serialized into [`Writer::line_buffer`] (the pool's workers serialize into their own).
    fn write(&mut self, done: Done, line: &[u8], tally: &mut Tally, host: Option<&HostClock>) -> Result<(), Failure> {
        let started = host.map(|_| Instant::now());
        let result = self.write_untimed(done, line, tally);
        if let (Some(h), Some(started)) = (host, started) {
            h.add(Step::Write, started);
        }
        result
    }

    fn write_untimed(&mut self, done: Done, line: &[u8], tally: &mut Tally) -> Result<(), Failure> {
        match (self, done) {
            (Writer::Lines { out, buffer }, Done::Line { chars, failed }) => {
                tally.add(chars, failed);
                buffer.extend_from_slice(line);
                if buffer.len() >= OUTPUT_BUFFER {
                    out.write_all(buffer).map_err(write_failure)?;
                    buffer.clear();
                }
                Ok(())
            }
            (Writer::Lines { buffer, .. }, Done::Record(r, _)) => {
                tally.add(r.chars, r.is_failure());
                serde_json::to_writer(&mut *buffer, &r).map_err(|e| write_failure(e.into()))?;
                buffer.push(b'\n');
                Ok(())
            }
            (Writer::Records(sink), Done::Record(r, text)) => {
                tally.add(r.chars, r.is_failure());
                sink.write(&r, text.as_deref()).map_err(write_failure)
            }
            (Writer::Records(_), Done::Line { .. }) => {
                Err(Failure::Io("internal error: a JSONL line for a non-JSONL output".into()))
            }
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Writer::Lines { mut out, buffer } => {
                out.write_all(&buffer)?;
                out.flush()
            }
            Writer::Records(sink) => sink.finish(),
        }
    }
}

/// Counts for the exit status and the progress bar.
struct Tally {
    docs: usize,
    failed: usize,
    chars: usize,
    started: Instant,
    progress: Option<ProgressBar>,
}

impl Tally {
    fn add(&mut self, chars: usize, failed: bool) {
        self.docs += 1;
        self.chars += chars;
        if failed {
            self.failed += 1;
        }
        // Redrawing costs more than a document: update every 64 documents.
        if let Some(pb) = self.progress.as_ref().filter(|_| self.docs.is_multiple_of(64)) {
            pb.set_position(self.docs as u64);
            let secs = self.started.elapsed().as_secs_f64().max(1e-9);
            pb.set_message(format!(
                "{:.1} docs/s, {:.2} MB/s, {} errors",
                self.docs as f64 / secs,
                self.chars as f64 / secs / 1e6,
                self.failed
            ));
        }
    }
}

/// Runs the pipeline on one item. Anything that panics outside the per-stage guard still
/// yields a record for this document. In [`Mode::Lines`] the record's line is appended to
/// `lines`.
fn analyze_item(pipeline: &Pipeline, item: Item, mode: Mode, host: Option<&HostClock>, lines: &mut Vec<u8>) -> Done {
    // A panic while serializing would leave part of a line behind: the failed record's line
    // replaces it, so the output stays one whole line per document.
    let mark = lines.len();
    let failed_record = |r: Record, lines: &mut Vec<u8>| match mode {
        Mode::Lines => {
            lines.truncate(mark);
            jsonl(&r, lines);
            Done::Line { chars: r.chars, failed: r.is_failure() }
        }
        Mode::Records { .. } => Done::Record(Box::new(r), None),
    };
    // A JSONL line is parsed here, on the thread that analyzes it; its parse counts as reading.
    let item = match item {
        Item::Doc(doc) => Ok(doc),
        Item::Failed(record) => Err(Box::new(record)),
        Item::Line(line) => {
            // Parsing is our code too: a panic in it gives this line's failed record, as one
            // in an analyzer does.
            let started = Instant::now();
            let parsed = catch_unwind(AssertUnwindSafe(|| line.parse())).unwrap_or_else(|payload| {
                let message = slant_core::pipeline::panic_message(&*payload);
                let (id, source) = (line.default_id().to_string(), line.source().to_string());
                Err(Box::new(Record::failed(id, source, "internal", format!("internal error: {message}"))))
            });
            if let Some(h) = host {
                h.add(Step::Read, started);
            }
            parsed
        }
    };
    if let Some(h) = host {
        h.count(item.as_ref().ok());
    }
    match item {
        Err(record) => failed_record(*record, lines),
        Ok(mut doc) => {
            let (id, source) = (doc.id().to_string(), doc.source().to_string());
            let text = matches!(mode, Mode::Records { keep_text: true }).then(|| doc.text().to_string());
            let done = catch_unwind(AssertUnwindSafe(|| {
                let diagnostics = pipeline.run(&mut doc);
                let serializing = Instant::now();
                let done = match mode {
                    Mode::Lines => {
                        let view = RecordView::new(&doc, &diagnostics);
                        lines.reserve(record_room(doc.text().len()));
                        view.write_json(lines);
                        lines.push(b'\n');
                        Done::Line { chars: view.chars(), failed: view.is_failure() }
                    }
                    Mode::Records { .. } => Done::Record(Box::new(Record::from_document(&doc, diagnostics)), text),
                };
                if let Some(h) = host {
                    h.add(Step::Serialize, serializing);
                }
                done
            }));
            let message = match done {
                Ok(done) => return done,
                Err(payload) => slant_core::pipeline::panic_message(&*payload),
            };
            let mut r = Record::failed(id, source, "internal", format!("internal error: {message}"));
            r.diagnostics.push(Diagnostic::new("slant", Level::Error, message));
            failed_record(r, lines)
        }
    }
}

/// Appends one record as a `jsonl` line (a record of plain strings always serializes).
fn jsonl(record: &Record, lines: &mut Vec<u8>) {
    let mark = lines.len();
    if serde_json::to_writer(&mut *lines, record).is_err() {
        lines.truncate(mark);
    }
    lines.push(b'\n');
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
